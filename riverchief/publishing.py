"""The publish pipeline: what a new version holds beyond the office's tables, made in one place — every item's
and problem's light on each notice (kept where the facts did not change, `lights.keep_lights`), and the sections'
monthly values and classes from the readings — and the changes the office makes as new versions: an override,
lights given again by today's rule, another monthly-value rule, a new district, a rollback. Files and the
pointer are riverchief/versions.py's."""
from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from riverchief import clock, dates, lights, schema, usertext, versions, water_rules
from riverchief.sql import checked

def publish(root: Path, tables: dict[str, pd.DataFrame], *, source: str, created_by: str,
            demo: bool = False, tolerance: float = lights.DEFAULT_TOLERANCE, extra: dict | None = None,
            expect_current: str | None = None, water_rule: water_rules.MonthlyRule | None = None,
            relight: tuple[dt.date, ...] = ()) -> versions.Version:
    """Write a complete new version and make it current. Refuses (and leaves CURRENT alone) on error.

    Lights are given here, by the rule, from each snapshot's facts: a light is a fact of its notice. A row
    the version served already lit, with the same facts, keeps its light and the rule that gave it (a rule or
    tolerance changed since does not rewrite the past); the notices in `relight` are lit again by today's
    rule (`relight_notices`, a recorded act). With expect_current, the publish is refused if another one
    landed since that version was read."""
    root = Path(root)
    missing = [t for t in schema.SOURCE_TABLES if t not in tables]
    if missing:
        raise versions.StoreError(f"缺少数据表 {missing}，无法发布", f"cannot publish without tables {missing}")
    if not 0 <= tolerance <= 0.5:  # 10 meant as 10% would light everything green
        raise versions.StoreError(f"亮灯容差应在 0 至 0.5（50%）之间，实际为 {tolerance:g}；例如 10% 写作 0.1")
    tables = dict(tables)
    served = _served(root, expect_current)
    tables["items"] = lights.keep_lights(tables["items"], _lit(served, "items"), tolerance, "item_id", relight=relight)
    tables["problems"] = lights.keep_lights(
        tables["problems"], _lit(served, "problems"), tolerance, "problem_id", start="found_date",
        done="rectified_date", relight=relight).drop(columns="expected")
    carried = {name: t for name, t in tables.items() if isinstance(t, versions.Carried) and versions.same_schema(t)}
    arrow = {name: versions.conform(name, versions.as_frame(tables[name])) for name in schema.SOURCE_TABLES if name not in carried}
    notices = sorted(pa.compute.unique(arrow["items"]["notice_date"]).drop_null().to_pylist())  # none yet for a district just started

    with versions.publish_lock(root):
        versions.refuse_stale(root, expect_current)
        folder = root / "versions"
        folder.mkdir(parents=True, exist_ok=True)
        made = clock.now()  # the id and created_at say the same office time
        vid = f"{made:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        tmp = folder / f".tmp-{vid}"
        try:
            for name, table in carried.items():
                versions.link(table, tmp / name)
            for name, table in arrow.items():
                if name in schema.SNAPSHOT_TABLES:
                    versions.write_partitioned(table, tmp / name, table["notice_date"], "notice")
                elif name in schema.SERIES_TABLES:
                    versions.write_partitioned(table, tmp / name, pa.compute.year(table["sampled_at"]), "year")
                else:
                    versions.write(table, tmp / f"{name}.parquet")
            rows = {name: t.num_rows for name, t in arrow.items()} | {name: t.rows() for name, t in carried.items()}
            rule = water_rule or (served.water_rule if served else water_rules.MonthlyRule())
            monthly = _monthly_from(tmp, tables["sections"], rows["readings"], rule)
            versions.write(versions.conform("readings_monthly", monthly), tmp / "readings_monthly.parquet")
            manifest = {
                "version": vid,
                "seq": max((v.manifest["seq"] for v in versions.list_versions(root)), default=0) + 1,
                "created_at": clock.stamp(made),
                "created_by": created_by,
                "source": source,
                "district": str(tables["district"]["name"].iloc[0]) if len(tables["district"]) else "",
                "demo": demo,
                "tolerance": tolerance,
                "water_rule": rule.as_dict(),
                "lit_with": _lit_by_notice(tables["items"], tables["problems"]),
                "notices": [d.isoformat() for d in notices],
                "rows": {name: rows[name] for name in schema.SOURCE_TABLES} | {"readings_monthly": len(monthly)},
                **(extra or {}),
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            final = folder / vid
            tmp.rename(final)
        except OSError as exc:  # a full disk, a read-only folder: said in words, nothing half-published
            shutil.rmtree(tmp, ignore_errors=True)
            raise versions.StoreError(f"数据未能写入：{versions.os_reason(exc)}；当前数据保持不变") from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        try:
            versions.commit(root, "publish", vid, created_by, source)  # the commit record first: versions.recover() rolls it forward
            versions.point_current(root, vid)
        except OSError as exc:
            raise versions.StoreError(f"数据未能发布：{versions.os_reason(exc)}；当前数据保持不变") from None
    return versions.read_version(root, vid)


def _based_on(root: Path, expect_current: str | None) -> versions.Version:
    """The version a change is made on: the one its caller read, else the one served."""
    return versions.read_version(root, expect_current) if expect_current else versions.current_version(root)


def _served(root: Path, expect_current: str | None) -> versions.Version | None:
    """The version a publish replaces, if any."""
    try:
        return _based_on(root, expect_current)
    except versions.StoreError:
        return None


def _republish(version: versions.Version, tables: dict, source: str, by: str, **kw) -> versions.Version:
    """A version's own tables published again with one change (an override, a re-lighting, another monthly
    rule), refused if another publish landed since `version` was read."""
    kw.setdefault("tolerance", version.tolerance)
    return publish(version.root, tables, source=source, created_by=by, demo=version.is_demo,
                   expect_current=version.id, **kw)


_LIT_READ = {"items": ("notice_date", "item_id", "start_date", "deadline", "done_date", "progress", "at_risk",
                       "at_risk_note", "month_reported", "override_light", "override_reason"),
             "problems": ("notice_date", "problem_id", "found_date", "deadline", "rectified_date", "progress")}


def _lit(version: versions.Version | None, name: str) -> pd.DataFrame | None:
    """The lights a version gave, with the facts they were given on (only the columns the light reads)."""
    if version is None:
        return None
    try:
        have = set(pq.read_schema(next(iter(sorted((version.path / name).glob("*/*.parquet"))))).names)
    except (StopIteration, OSError, pa.ArrowException):
        return None
    columns = [c for c in _LIT_READ[name] + lights.LIT if c in have]
    return pq.read_table(version.path / name, columns=columns, partitioning=None).to_pandas()


def rebuild_water(root: Path, rule: water_rules.MonthlyRule, by: str, expect_current: str | None = None) -> versions.Version:
    """Serve the same data with the monthly values built by another rule (manual / automatic), as a new version."""
    version = _based_on(root, expect_current)
    return _republish(version, versions.read_tables(version), f"水质月值口径改为：{rule.words}", by, water_rule=rule)


def _lit_by_notice(*frames: pd.DataFrame) -> dict[str, list[str]]:
    """Per notice, the rules its lights were given by (one, unless some rows were re-lit since)."""
    rows = pd.concat([f[["notice_date", "lit_with"]] for f in frames if len(f)], ignore_index=True) \
        if any(len(f) for f in frames) else pd.DataFrame(columns=["notice_date", "lit_with"])
    rows = rows.drop_duplicates().dropna()  # a few rows per notice, whatever the size of the lists
    rows = rows.assign(notice=pd.to_datetime(rows["notice_date"]).dt.strftime("%Y-%m-%d"))
    return {n: sorted(set(g["lit_with"])) for n, g in rows.groupby("notice")}


def relight_notices(root: Path, notices: list[dt.date], by: str, tolerance: float | None = None,
                    expect_current: str | None = None) -> versions.Version:
    """Light the chosen notices again by today's rule (and `tolerance`, else the version's): the office's
    explicit act, recorded in the commit record and 操作记录 with the notices it re-lit. Every other notice keeps its lights."""
    version = _based_on(root, expect_current)
    unknown = [d for d in notices if d not in version.notices]
    if not notices or unknown:
        raise versions.StoreError("请选择要重新亮灯的通报期次" if not notices else
                         f"没有 {'、'.join(dates.cn_notice(d) for d in unknown)}，无法重新亮灯")
    tolerance = version.tolerance if tolerance is None else tolerance
    said = "、".join(dates.cn_notice(d) for d in sorted(notices))
    return _republish(version, versions.read_tables(version), f"按现行规则重新亮灯（{lights.lit_with(tolerance)}）：{said}", by,
                      tolerance=tolerance, relight=tuple(notices),
                      extra={"relit": [d.isoformat() for d in sorted(notices)]})


def _monthly_from(folder: Path, sections: pd.DataFrame, n_readings: int, rule: water_rules.MonthlyRule) -> pd.DataFrame:
    glob = str(folder / "readings" / "*" / "*.parquet")
    if not n_readings:  # a district with no readings yet
        return pd.DataFrame({c: pd.Series(dtype=object) for c in schema.TABLES["readings_monthly"].names})
    con = duckdb.connect()
    params = {"readings": glob}
    monthly = water_rules.monthly_values(con.execute(checked("build_readings_monthly", params), params).df(), rule)
    body = monthly["section_id"].map(sections.set_index("section_id")["water_body"])
    if body.isna().any():
        unknown = sorted(monthly.loc[body.isna(), "section_id"].unique())
        raise versions.StoreError(f"监测数据中有断面不在断面表中：{unknown[:5]}", f"readings name unknown sections: {unknown[:5]}")
    return water_rules.classify_frame(monthly, body)


def empty_tables(district: str, code: str = "") -> dict[str, pd.DataFrame]:
    """Every source table with no rows, and the district's name: where a real district starts."""
    tables = {name: pd.DataFrame({c: pd.Series(dtype=object) for c in schema.TABLES[name].names
                                  if c not in schema.COMPUTED_COLUMNS}) for name in schema.SOURCE_TABLES}
    tables["district"] = pd.DataFrame([{"code": code or None, "name": district, "geom_wkt": None}])
    return tables


def init_district(root: Path, district: str, code: str = "", by: str = "") -> versions.Version:
    """Start the office's own district: an empty real version (no demo rows, no 示例数据 label).

    Refused when real data is already served; over the demo it is allowed (the demo's versions are kept
    and can be rolled back to, but the two are never mixed in one version)."""
    district = (district or "").strip()
    if not district:
        raise versions.StoreError("请填写本区名称（如 青川区）")
    if code and not (code.isdigit() and len(code) == 6):
        raise versions.StoreError(f"行政区划代码“{code}”应为6位数字（如 500151），也可不填")
    root = Path(root)
    current = None
    if (root / "CURRENT").exists():
        current = versions.current_version(root)
        if not current.is_demo:
            raise versions.StoreError(f"已在使用本区数据（{current.manifest.get('district', '')}），无需重新开始")
    return publish(root, empty_tables(district, code), source=f"开始使用本区数据：{district}",
                   created_by=by or "河长办", demo=False, expect_current=current.id if current else None)


def rollback(root: Path, vid: str, by: str = "", expect_current: str | None = None) -> versions.Version:
    """Serve an earlier version again (it is kept whole, so this is one atomic pointer change).
    With expect_current, refused if the version served changed since the caller looked."""
    with versions.publish_lock(Path(root)):
        version = versions.read_version(root, vid)
        versions.check_version(version)
        versions.refuse_stale(Path(root), expect_current)
        try:
            versions.commit(Path(root), "rollback", vid, by, f"回退到版本 {vid}")
            versions.point_current(Path(root), vid)
        except OSError as exc:
            raise versions.StoreError(f"未能回退：{versions.os_reason(exc)}") from None
    return version


def override_light(root: Path, item_id: str, notice: dt.date, light: str | None, reason: str, by: str,
                   expect_current: str | None = None) -> versions.Version:
    """Set (or, with light=None, clear) the office's light for one item on one notice, as a new version.

    The override keeps who, when and why; the light rule then counts it as the item's light.
    """
    if light is not None and light not in lights.LIGHTS:
        raise versions.StoreError(f"亮灯“{light}”无法识别（应为红灯、黄灯或绿灯）", f"unknown light {light!r}")
    try:
        reason = usertext.clean(reason, what="认定理由")
    except ValueError as exc:
        raise versions.StoreError(str(exc)) from None
    if light is not None and not reason:
        raise versions.StoreError("人工认定亮灯须写明理由")
    if not by.strip():
        raise versions.StoreError("人工认定亮灯须写明认定人")
    version = _based_on(root, expect_current)
    tables = versions.read_tables(version)
    items = tables["items"]
    hit = (items["item_id"] == item_id) & dates.on_day(items["notice_date"], notice)
    if not hit.any():
        raise versions.StoreError(f"事项 {item_id} 不在{dates.cn_notice(notice)}中", f"item {item_id} is not on the notice of {notice}")
    items.loc[hit, "override_light"] = light
    items.loc[hit, "override_reason"] = reason.strip() if light else None
    items.loc[hit, "override_by"] = by.strip() if light else None
    items.loc[hit, "override_at"] = pd.Timestamp(clock.now()) if light else pd.NaT
    action = f"人工认定 {item_id} {notice} 为{lights.LIGHT_NAMES[light]}" if light else f"撤销 {item_id} {notice} 的人工认定"
    return _republish(version, tables, action, by.strip())
