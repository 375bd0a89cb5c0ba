"""A tiny hand-made district for SQL and store tests: every expected number is worked out by hand."""
import datetime as dt

import pandas as pd

from riverchief import schema

N1, N2 = dt.date(2023, 5, 31), dt.date(2023, 6, 30)


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    cols = [c for c in schema.TABLES[table].names if c not in schema.COMPUTED_COLUMNS]
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)


def _item(notice, item_id, list_, river, township, unit, start, deadline, progress, **kw):
    return dict(notice_date=notice, item_id=item_id, list=list_, list_year=2023, title=f"事项{item_id}",
                river_id=river, township_id=township, unit_id=unit, start_date=start, deadline=deadline,
                progress=progress, status="推进中", exposed=False, at_risk=False, **kw)


def tiny_tables() -> dict[str, pd.DataFrame]:
    d = dt.date
    items = [
        # A: deadline 5-31. N1 90% on the deadline day (90% + 10% ≥ 100%: green); N2 95%, 30 days late: red.
        _item(N1, "A", "task", "R1", "T1", "T1", d(2023, 1, 1), d(2023, 5, 31), 0.9),
        _item(N2, "A", "task", "R1", "T1", "T1", d(2023, 1, 1), d(2023, 5, 31), 0.95),
        # B: a year-long task far behind: yellow on both notices (2 in a row).
        _item(N1, "B", "task", "R2", "T2", "D1", d(2023, 1, 1), d(2023, 12, 31), 0.1),
        _item(N2, "B", "task", "R2", "T2", "D1", d(2023, 1, 1), d(2023, 12, 31), 0.2),
        # C: a major project on schedule, done on 6-15: green, green.
        _item(N1, "C", "major", "R1", "T1", "D1", d(2023, 1, 1), d(2023, 6, 30), 0.8, funds_wan=500.0),
        _item(N2, "C", "major", "R1", "T1", "D1", d(2023, 1, 1), d(2023, 6, 30), 1.0, funds_wan=500.0,
              done_date=d(2023, 6, 15)),
        # D: an exposed problem, behind on N1 (yellow), 15 days past its deadline on N2 (red).
        _item(N1, "D", "problem", "R2", "T2", "T2", d(2023, 3, 1), d(2023, 6, 15), 0.3, source="暗访"),
        _item(N2, "D", "problem", "R2", "T2", "T2", d(2023, 3, 1), d(2023, 6, 15), 0.5, source="暗访"),
        # E: on schedule, but the office sets it red on N2 with a reason.
        _item(N1, "E", "task", "R1", "T1", "T1", d(2023, 1, 1), d(2023, 12, 31), 0.5),
        _item(N2, "E", "task", "R1", "T1", "T1", d(2023, 1, 1), d(2023, 12, 31), 0.6, override_light="red",
              override_reason="现场核查与上报不符", override_by="区河长办"),
    ]
    readings = [
        # S1 (river), June: TP 0.2 and 0.01L → (0.2 + 0.005) / 2 = 0.1025 → Ⅲ; NH3-N (0.4 + 0.6) / 2 = 0.5 → Ⅱ
        dict(section_id="S1", sampled_at=dt.datetime(2023, 6, 5), tp=0.2, tp_bdl=False, nh3n=0.4, nh3n_bdl=False,
             codmn=3.0, codmn_bdl=False, do=6.0),
        dict(section_id="S1", sampled_at=dt.datetime(2023, 6, 20), tp=0.01, tp_bdl=True, nh3n=0.6, nh3n_bdl=False,
             codmn=5.0, codmn_bdl=False, do=8.0),
        # S2 (reservoir): TP 0.06 is Ⅳ for a lake (it would be Ⅱ in a river)
        dict(section_id="S2", sampled_at=dt.datetime(2024, 1, 10), tp=0.06, tp_bdl=False, nh3n=0.1, nh3n_bdl=False,
             codmn=2.0, codmn_bdl=False, do=8.0),
    ]
    square = "POLYGON ((106 29, 107 29, 107 30, 106 30, 106 29))"  # a degree of Chongqing, so checks of place apply
    return {
        "district": _frame("district", [dict(code="000000", name="测试区", geom_wkt=square)]),
        "townships": _frame("townships", [dict(township_id="T1", name="甲镇", kind="镇", geom_wkt=square),
                                          dict(township_id="T2", name="乙街道", kind="街道", geom_wkt=square)]),
        "units": _frame("units", [dict(unit_id="T1", name="甲镇", kind="镇街", township_id="T1"),
                                  dict(unit_id="T2", name="乙街道", kind="镇街", township_id="T2"),
                                  dict(unit_id="D1", name="区水利局", kind="部门")]),
        "rivers": _frame("rivers", [dict(river_id="R1", name="一号河", level="区级", length_km=10.0, target_class=3,
                                         township_id="T1", geom_wkt="LINESTRING (106 29, 107 30)"),
                                    dict(river_id="R2", name="二号河", level="区级", length_km=5.0, target_class=3,
                                         township_id="T2", geom_wkt="LINESTRING (107 29, 106 30)")]),
        "sections": _frame("sections", [dict(section_id="S1", name="一号河断面", river_id="R1", township_id="T1",
                                             lon=106.5, lat=29.5, water_body="river", target_class=3),
                                        dict(section_id="S2", name="二号水库", river_id="R2", township_id="T2",
                                             lon=106.2, lat=29.8, water_body="lake", target_class=2)]),
        "items": _frame("items", items),
        "problems": _frame("problems", [dict(notice_date=N2, problem_id="P1", title="河面漂浮物", source="巡河",
                                             chief_level="村级", severity="一般", river_id="R1", township_id="T1",
                                             unit_id="T1", lon=106.4, lat=29.45, found_date=dt.date(2023, 6, 1),
                                             deadline=dt.date(2023, 7, 1), progress=0.5, status="整改中")]),
        "supervision": _frame("supervision", [
            dict(record_id="SV1", kind="约谈", date=dt.date(2023, 7, 5), notice_date=N2, unit_id="T1", item_id="A",
                 by_whom="区总河长", person="甲镇镇长", content="约谈红灯事项责任人"),
            dict(record_id="SV2", kind="提醒", date=dt.date(2023, 7, 3), notice_date=N2, unit_id="D1", item_id="B",
                 by_whom="区河长办", person="区水利局局长", content="提醒加快进度"),
            dict(record_id="SV3", kind="批示", date=dt.date(2023, 6, 10), notice_date=N1, unit_id="D1", item_id=None,
                 by_whom="区总河长", person=None, content="请区水利局统筹推进"),
        ]),
        "ratings": _frame("ratings", [dict(year=2023, unit_id="T1", rating="较好", by_whom="区总河长"),
                                      dict(year=2023, unit_id="T2", rating="好", by_whom="区总河长"),
                                      dict(year=2023, unit_id="D1", rating="一般", by_whom="区总河长")]),
        "complaints": _frame("complaints", [
            dict(complaint_id="C1", date=dt.date(2023, 4, 2), unit_id="T2", river_id="R2", title="重复举报：排污",
                 repeated=True, rectified=False, negative_impact=False),
            dict(complaint_id="C2", date=dt.date(2023, 5, 2), unit_id="T2", river_id="R2", title="已整改的举报",
                 repeated=True, rectified=True, negative_impact=False),
        ]),
        "lookbacks": _frame("lookbacks", [dict(lookback_id="L1", date=dt.date(2023, 6, 20), problem_id="P1",
                                               result="巩固", inspector="暗访组", notes="")]),
        "patrols": _frame("patrols", [
            dict(patrol_id="X1", date=dt.date(2023, 6, 3), chief="张三", chief_level="镇级", river_id="R1",
                 township_id="T1", problems_reported=1, serious_reported=0),
            dict(patrol_id="X2", date=dt.date(2023, 6, 17), chief="张三", chief_level="镇级", river_id="R1",
                 township_id="T1", problems_reported=0, serious_reported=0),
            dict(patrol_id="X3", date=dt.date(2023, 6, 5), chief="李四", chief_level="村级", river_id="R2",
                 township_id="T2", problems_reported=0, serious_reported=0),
        ]),
        "readings": _frame("readings", readings),
    }
