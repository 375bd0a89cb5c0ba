"""The snapshot store: layout, atomic publish, refused publishes leave the last good version served."""
import datetime as dt
import json
import threading

import pandas as pd
import pyarrow.parquet as pq
import pytest

from riverchief import lights, publishing, versions
from riverchief.db import Database
from tiny import N1, N2, tiny_tables


def test_publish_lays_out_a_version_and_points_current_at_it(tmp_path):
    v = publishing.publish(tmp_path, tiny_tables(), source="测试", created_by="tests")
    assert (tmp_path / "CURRENT").read_text().strip() == v.id
    assert sorted(p.name for p in (v.path / "items").iterdir()) == [f"notice={N1}", f"notice={N2}"]
    assert (v.path / "readings" / "year=2023" / "part-0.parquet").exists()
    assert (v.path / "readings" / "year=2024" / "part-0.parquet").exists()
    manifest = json.loads((v.path / "manifest.json").read_text())
    assert manifest["notices"] == [N1.isoformat(), N2.isoformat()]
    assert manifest["rows"]["items"] == 10 and manifest["rows"]["readings_monthly"] == 2
    assert manifest["district"] == "测试区" and manifest["demo"] is False
    assert v.notices == [N1, N2] and not v.is_demo


def test_lights_are_stored_with_the_snapshot(tiny_dir):
    items = pd.read_parquet(versions.current_version(tiny_dir).path / "items" / f"notice={N2}")
    assert dict(zip(items["item_id"], items["light"])) == {"A": "red", "B": "yellow", "C": "green", "D": "red",
                                                           "E": "red"}
    assert items["light_reason"].str.len().min() > 0


def test_a_publish_that_changes_no_reading_links_the_readings_instead_of_rewriting_them(tiny_dir):
    old = versions.current_version(tiny_dir)
    tables = versions.read_tables(old)
    assert isinstance(tables["readings"], versions.Carried)  # not read into memory
    tables["items"].loc[tables["items"]["item_id"] == "B", "title"] = "改过的标题"
    new = publishing.publish(tiny_dir, tables, source="测试", created_by="tests")
    for part in ("year=2023", "year=2024"):
        a, b = (v.path / "readings" / part / "part-0.parquet" for v in (old, new))
        assert a.stat().st_ino == b.stat().st_ino  # one file, two versions
    assert new.manifest["rows"]["readings"] == old.manifest["rows"]["readings"]
    pd.testing.assert_frame_equal(pd.read_parquet(new.path / "readings_monthly.parquet"),
                                  pd.read_parquet(old.path / "readings_monthly.parquet"))
    publishing.rollback(tiny_dir, old.id)  # the old version's files are whole after the new one is written
    assert versions.as_frame(versions.read_tables(versions.current_version(tiny_dir))["readings"]).equals(
        versions.as_frame(tables["readings"]))


def test_carried_readings_in_an_older_layout_are_rewritten_not_linked(tiny_dir):
    old = versions.current_version(tiny_dir)
    part = old.path / "readings" / "year=2023" / "part-0.parquet"
    frame = pd.read_parquet(part).drop(columns=["do"])  # a version written before a column was added
    frame.to_parquet(part)
    tables = versions.read_tables(old)
    new = publishing.publish(tiny_dir, tables, source="测试", created_by="tests")  # read, the new column left empty
    again = pd.read_parquet(new.path / "readings" / "year=2023" / "part-0.parquet")
    assert not (new.path / "readings" / "year=2023" / "part-0.parquet").samefile(part)  # rewritten, not linked
    assert again["do"].isna().all() and len(again) == len(frame)


def _no_leftovers(root):
    return [p.name for p in (root / "versions").iterdir() if p.name.startswith(".tmp")] == []


@pytest.mark.parametrize("break_it,message", [
    (lambda t: t.__setitem__("items", t["items"].drop(columns=["deadline"])), "的列不符：缺少"),
    (lambda t: t["readings"].loc.__setitem__((0, "section_id"), "S9"), "不在断面表中"),
    (lambda t: t.pop("units"), "缺少数据表"),
    (lambda t: t["items"].loc.__setitem__((0, "progress"), 1.5), "进度应在0%至100%之间，实际为150%"),
    (lambda t: t["items"].loc.__setitem__((0, "progress"), None), "进度未填写"),
    (lambda t: t["readings"].loc.__setitem__((0, "tp"), -0.1), "总磷浓度不能为负数"),
])
def test_a_refused_publish_leaves_the_last_good_version(tiny_dir, break_it, message):
    before = versions.current_version(tiny_dir)
    tables = tiny_tables()
    break_it(tables)
    with pytest.raises((versions.StoreError, ValueError), match=message):
        publishing.publish(tiny_dir, tables, source="坏文件", created_by="tests")
    assert versions.current_version(tiny_dir).id == before.id
    assert len(versions.list_versions(tiny_dir)) == 1 and _no_leftovers(tiny_dir)
    assert Database(versions.current_version(tiny_dir)).query("light_totals", notice=N2, township=None, river=None,
                                                           list=None, unit=None)["n"].sum() == 5


def test_old_versions_are_kept_and_rollback_restores_one(tiny_dir):
    first = versions.current_version(tiny_dir)
    tables = tiny_tables()
    tables["items"] = tables["items"][tables["items"]["item_id"] != "E"]
    second = publishing.publish(tiny_dir, tables, source="第二次", created_by="tests")
    assert versions.current_version(tiny_dir).id == second.id
    assert [v.id for v in versions.list_versions(tiny_dir)] == [first.id, second.id]
    publishing.rollback(tiny_dir, first.id)
    assert versions.current_version(tiny_dir).id == first.id
    with pytest.raises(versions.StoreError):
        publishing.rollback(tiny_dir, "no-such-version")


def test_a_reader_on_the_old_version_is_not_disturbed_by_a_publish(tiny_dir):
    old = Database(versions.current_version(tiny_dir))
    publishing.publish(tiny_dir, tiny_tables(), source="新版本", created_by="tests")
    assert old.query("light_totals", notice=N2, township=None, river=None, list=None, unit=None)["n"].sum() == 5


def test_concurrent_publishes_each_produce_a_whole_version(tmp_path):
    errors = []

    def run():
        try:
            publishing.publish(tmp_path, tiny_tables(), source="并发", created_by="tests")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    made = versions.list_versions(tmp_path)
    assert len({v.id for v in made}) == 4 and _no_leftovers(tmp_path)
    assert versions.current_version(tmp_path).id in {v.id for v in made}
    for v in made:
        assert v.manifest["rows"]["items"] == 10


def test_the_commit_record_is_read_in_time_order_across_its_old_and_new_files(tiny_dir):
    """A server of the old code writing into audit.log after commits.log exists: its line is not taken as the last
    (recover() would otherwise roll CURRENT back to it)."""
    import json

    first = versions.current_version(tiny_dir)
    second = publishing.publish(tiny_dir, versions.read_tables(first), source="测试", created_by="tests")
    (tiny_dir / "audit.log").write_text(json.dumps({"at": "2000-01-01T00:00:00+08:00", "action": "publish",
                                                    "version": first.id, "by": "old", "what": "old"}) + "\n")
    assert [c["version"] for c in versions.commits(tiny_dir)][-1] == second.id
    (tiny_dir / "CURRENT").write_text(first.id)  # as if the switch to `second` had stopped half-way
    versions.recover(tiny_dir)
    assert versions.current_version(tiny_dir).id == second.id


def test_no_data_is_a_clear_error(tmp_path):
    with pytest.raises(versions.NoData, match="尚未发布数据"):
        versions.current_version(tmp_path)


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tmp_path))
    assert versions.data_dir() == tmp_path
    monkeypatch.delenv("RIVERBOARD_DATA_DIR")
    assert str(versions.data_dir()) == "data"


def _light(version, item, notice):
    items = pd.read_parquet(version.path / "items" / f"notice={notice}" / "part-0.parquet")
    row = items[items["item_id"] == item].iloc[0]
    return row["light"], row["lit_with"]


def test_a_publish_under_another_tolerance_leaves_earlier_lights_alone_until_the_office_relights(tiny_dir):
    """B on 2023-05-31: 10% done, schedule 41% (150 of 364 days). Lit yellow at 10% tolerance; a later publish at
    a 40% tolerance (10% + 40% ≥ 41% would be green) keeps it yellow — it is a fact of its notice — until the office
    re-lights that notice, which is recorded with the notice it re-lit."""
    first = versions.current_version(tiny_dir)
    assert _light(first, "B", "2023-05-31") == ("yellow", f"{lights.RULE_EDITION}版规则，容差10%")
    loose = publishing.publish(tiny_dir, versions.read_tables(first), source="测试", created_by="tests", tolerance=0.40,
                          expect_current=first.id)
    assert _light(loose, "B", "2023-05-31") == ("yellow", f"{lights.RULE_EDITION}版规则，容差10%")
    assert loose.manifest["lit_with"]["2023-05-31"] == [f"{lights.RULE_EDITION}版规则，容差10%"]
    relit = publishing.relight_notices(tiny_dir, [N1], by="河长办", expect_current=loose.id)
    assert _light(relit, "B", "2023-05-31") == ("green", f"{lights.RULE_EDITION}版规则，容差40%")
    assert _light(relit, "B", "2023-06-30") == ("yellow", f"{lights.RULE_EDITION}版规则，容差10%")  # not chosen
    last = versions.commits(tiny_dir)[-1]
    assert last["version"] == relit.id and last["by"] == "河长办"
    assert last["what"] == f"按现行规则重新亮灯（{lights.RULE_EDITION}版规则，容差40%）：2023年5月通报"
    with pytest.raises(versions.StoreError, match="没有 2022年1月通报"):
        publishing.relight_notices(tiny_dir, [dt.date(2022, 1, 31)], by="河长办")


def test_a_changed_fact_is_lit_by_today_s_rule(tiny_dir):
    first = versions.current_version(tiny_dir)
    tables = versions.read_tables(first)
    items = tables["items"]
    items.loc[(items["item_id"] == "B") & (items["notice_date"].astype(str) == "2023-05-31"), "progress"] = 0.4
    new = publishing.publish(tiny_dir, tables, source="测试", created_by="tests", tolerance=0.05, expect_current=first.id)
    assert _light(new, "B", "2023-05-31") == ("green", f"{lights.RULE_EDITION}版规则，容差5%")
    assert _light(new, "D", "2023-05-31")[1].endswith("容差10%")  # untouched rows keep theirs


def test_a_version_written_before_new_columns_is_still_read_by_every_query(tiny_dir):
    """An office upgrading keeps serving the version its old code wrote: columns added since read as empty."""
    version = versions.current_version(tiny_dir)
    monthly = version.path / "readings_monthly.parquet"
    pq.write_table(pq.read_table(monthly).drop_columns(["tp_src", "nh3n_src", "tp_n", "nh3n_n"]), monthly)
    for part in (version.path / "items").glob("*/*.parquet"):
        pq.write_table(pq.read_table(part).drop_columns(["lit_with", "lit_tolerance"]), part)
    db = Database(version)
    month = db.query("water_sections_month", month=dt.date(2023, 6, 1), township=None, river=None)
    assert month["tp_src"].isna().all() and month["tp"].notna().any()
    tasks = db.query("task_progress", notice=N2, river=None, township=None, unit=None, year=2023)
    assert tasks["lit_tolerance"].isna().all() and len(tasks)
    again = publishing.publish(tiny_dir, versions.read_tables(version), source="测试", created_by="tests",
                          expect_current=version.id)  # lights kept, stamped as given by an earlier rule
    items = pd.read_parquet(again.path / "items" / f"notice={N1}")
    assert set(items["lit_with"]) == {f"{lights.RULE_EDITION}版以前的规则"}


def test_relight_from_the_command_line_is_recorded_and_a_tolerance_out_of_range_refused(tiny_dir, monkeypatch):
    from loaders.__main__ import main
    from riverchief.office import audit, database

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(tiny_dir))
    assert main(["relight", "2023-05-31", "--tolerance", "10", "--by", "张三"]) == 1  # 10 meant as 10%
    assert main(["relight", "2023-05-31", "--tolerance", "0.4", "--by", "张三"]) == 0
    with database.session(database.default_url(tiny_dir)) as s:
        entry = s.query(audit.AuditEntry).filter_by(action="relight").one()
    assert entry.actor == "命令行：张三" and entry.target == "2023-05-31" and "容差40%" in entry.detail
