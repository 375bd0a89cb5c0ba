"""The snapshot store: versions of the whole data set, published atomically.

    <data dir>/CURRENT                    the id of the version being served (replaced atomically)
    <data dir>/versions/<id>/manifest.json
    <data dir>/versions/<id>/<table>.parquet                      reference tables, aggregates
    <data dir>/versions/<id>/items/notice=2023-06-30/part-0.parquet   monthly snapshots
    <data dir>/versions/<id>/readings/year=2023/part-0.parquet        time series

A version is written aside (`versions/.tmp-*`), renamed into place, and only then named in CURRENT,
so a reader sees either the old version or the new one, never half of one. Old versions are kept.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from riverchief import clock, dates, lights, schema, usertext, water
from riverchief.sql import checked

DEFAULT_DATA_DIR = "data"


class StoreError(Exception):
    """The data folder holds no usable version, or a publish was refused (messages in Chinese)."""


class NoData(StoreError):
    """No version has been published in this data folder yet."""


VERSION_ID = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{6}$")  # what publish names a version; nothing else is read


def data_dir() -> Path:
    return Path(os.environ.get("RIVERBOARD_DATA_DIR", DEFAULT_DATA_DIR))


@dataclass(frozen=True)
class Version:
    id: str
    path: Path
    manifest: dict

    @property
    def is_demo(self) -> bool:
        return bool(self.manifest.get("demo"))

    @property
    def notices(self) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in self.manifest["notices"]]

    @property
    def root(self) -> Path:
        """The data folder this version belongs to (<root>/versions/<id>)."""
        return self.path.parent.parent

    @property
    def tolerance(self) -> float:
        """The light rule's tolerance the version was lit with (the one home for it: pages, exports and
        every republish read it here)."""
        return float(self.manifest.get("tolerance", lights.DEFAULT_TOLERANCE))

    @property
    def water_rule(self) -> water.MonthlyRule:
        """Which source gives a section's monthly value (manual or automatic), as the version was built."""
        return water.MonthlyRule.of(self.manifest.get("water_rule"))


def current_version(root: Path | None = None) -> Version:
    root = Path(root) if root is not None else data_dir()
    if not (root / "CURRENT").exists():
        raise NoData("尚未发布数据（数据文件夹中没有 CURRENT）")
    try:
        vid = (root / "CURRENT").read_bytes().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise StoreError("数据文件夹中的 CURRENT 无法读取（内容已损坏）") from None
    return read_version(root, vid)


def pointer(root: Path) -> str:
    """What CURRENT holds, as text, whatever it is ("" when missing): to compare, never to read a version by."""
    path = Path(root) / "CURRENT"
    return path.read_bytes().decode("utf-8", "replace").strip() if path.exists() else ""


def read_version(root: Path, vid: str) -> Version:
    """A published version by id; only ids as publish writes them, so CURRENT cannot point outside versions/."""
    if not VERSION_ID.match(vid or ""):
        raise StoreError("CURRENT 中的版本号不合规（应形如 20240630T120000-abc123），已拒绝读取")
    path = Path(root) / "versions" / vid
    manifest_path = path / "manifest.json"
    if not manifest_path.exists():
        raise StoreError(f"数据版本 {vid} 不存在或不完整")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("notices", []), list):
            raise ValueError
        [dt.date.fromisoformat(d) for d in manifest.get("notices", [])]
    except (OSError, ValueError):
        raise StoreError(f"数据版本 {vid} 的清单文件（manifest.json）已损坏") from None
    return Version(vid, path, manifest)


def list_versions(root: Path) -> list[Version]:
    """Every readable version, oldest first (one whose manifest is damaged is left out)."""
    base = Path(root) / "versions"
    if not base.exists():
        return []
    found = []
    for p in sorted(base.iterdir()):
        if VERSION_ID.match(p.name):
            try:
                found.append(read_version(root, p.name))
            except StoreError:
                continue
    return sorted(found, key=lambda v: v.manifest.get("seq", 0))


def any_version(root: Path) -> bool:
    """Whether anything was ever published here (even if damaged): then nothing starts afresh over it."""
    base = Path(root) / "versions"
    return base.is_dir() and any(VERSION_ID.match(p.name) for p in base.iterdir())


def check_version(version: Version) -> None:
    """Every file the version's manifest promises is there and readable as Parquet; else a StoreError
    naming what is wrong (pages then say so, and 数据管理 still lists versions to roll back to)."""
    names = [f"{t}.parquet" for t in schema.TABLES if t not in schema.SNAPSHOT_TABLES + schema.SERIES_TABLES]
    for name in names:
        try:
            pq.read_metadata(version.path / name)
        except Exception:
            raise StoreError(f"数据版本 {version.id} 中的 {name} 缺失或已损坏") from None
    for notice in version.manifest.get("notices", []):  # the notices are the items' snapshots
        if not (version.path / "items" / f"notice={notice}" / "part-0.parquet").exists():
            raise StoreError(f"数据版本 {version.id} 缺少 {notice} 的三张清单快照")


def private_folder(root: Path) -> None:
    """The data folder, made if needed, readable by the server's account only (0700): it holds the office store
    with its password hashes and every version of the district's data."""
    root.mkdir(parents=True, exist_ok=True)
    try:
        if root.stat().st_mode & 0o077:
            root.chmod(0o700)
    except PermissionError:  # a folder the office owns otherwise (a mount): left as it is
        pass


@contextmanager
def _publish_lock(root: Path):
    try:
        private_folder(root)
        fh = open(root / ".publish.lock", "w")
    except OSError as exc:
        raise StoreError(f"无法写入数据文件夹：{os_reason(exc)}") from None
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _table(name: str, frame: pd.DataFrame) -> pa.Table:
    """Conform a frame to the declared schema: exact columns, declared types."""
    target = schema.TABLES[name]
    missing = [c for c in target.names if c not in frame.columns]
    extra = [c for c in frame.columns if c not in target.names]
    if missing or extra:
        raise StoreError(f"table {name}: missing columns {missing}, unexpected columns {extra}")
    frame = frame[target.names].copy()
    for f in target:  # values merged from several sources arrive as mixed Python/pandas objects
        if pa.types.is_timestamp(f.type):
            frame[f.name] = pd.to_datetime(frame[f.name]).astype("datetime64[s]")
        elif pa.types.is_date(f.type):
            frame[f.name] = pd.to_datetime(frame[f.name]).dt.date.astype(object).where(frame[f.name].notna(), None)
    return pa.Table.from_pandas(frame, schema=target, preserve_index=False)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def _write_partitioned(table: pa.Table, folder: Path, keys: pa.ChunkedArray, name: str) -> None:
    """One file per distinct key (a notice date, a year of readings), in folders `<name>=<value>`."""
    if not table.num_rows:  # an empty table still has a file, so readers find its columns
        _write(table, folder / f"{name}=none" / "part-0.parquet")
        return
    for value in sorted(pa.compute.unique(keys).to_pylist()):
        part = table.filter(pa.compute.equal(keys, pa.scalar(value, keys.type)))
        _write(part, folder / f"{name}={value}" / "part-0.parquet")


def publish(root: Path, tables: dict[str, pd.DataFrame], *, source: str, created_by: str,
            demo: bool = False, tolerance: float = lights.DEFAULT_TOLERANCE, extra: dict | None = None,
            expect_current: str | None = None, water_rule: water.MonthlyRule | None = None,
            relight: tuple[dt.date, ...] = ()) -> Version:
    """Write a complete new version and make it current. Refuses (and leaves CURRENT alone) on error.

    Lights are given here, by the rule, from each snapshot's facts: a light is a fact of its notice. A row
    the version served already lit, with the same facts, keeps its light and the rule that gave it (a rule or
    tolerance changed since does not rewrite the past); the notices in `relight` are lit again by today's
    rule (`relight_notices`, a recorded act). With expect_current, the publish is refused if another one
    landed since that version was read."""
    root = Path(root)
    missing = [t for t in schema.SOURCE_TABLES if t not in tables]
    if missing:
        raise StoreError(f"cannot publish without tables {missing}")
    if not 0 <= tolerance <= 0.5:  # 10 meant as 10% would light everything green
        raise StoreError(f"亮灯容差应在 0 至 0.5（50%）之间，实际为 {tolerance:g}；例如 10% 写作 0.1")
    tables = dict(tables)
    served = _served(root, expect_current)
    tables["items"] = lights.keep_lights(tables["items"], _lit(served, "items"), tolerance, "item_id", relight=relight)
    tables["problems"] = lights.keep_lights(
        tables["problems"], _lit(served, "problems"), tolerance, "problem_id", start="found_date",
        done="rectified_date", relight=relight).drop(columns="expected")
    carried = {name: t for name, t in tables.items() if isinstance(t, Carried) and _same_schema(t)}
    arrow = {name: _table(name, as_frame(tables[name])) for name in schema.SOURCE_TABLES if name not in carried}
    notices = sorted(pa.compute.unique(arrow["items"]["notice_date"]).drop_null().to_pylist())  # none yet for a district just started

    with _publish_lock(root):
        _refuse_stale(root, expect_current)
        versions = root / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        made = clock.now()  # the id and created_at say the same office time
        vid = f"{made:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        tmp = versions / f".tmp-{vid}"
        try:
            for name, table in carried.items():
                _link(table, tmp / name)
            for name, table in arrow.items():
                if name in schema.SNAPSHOT_TABLES:
                    _write_partitioned(table, tmp / name, table["notice_date"], "notice")
                elif name in schema.SERIES_TABLES:
                    _write_partitioned(table, tmp / name, pa.compute.year(table["sampled_at"]), "year")
                else:
                    _write(table, tmp / f"{name}.parquet")
            rows = {name: t.num_rows for name, t in arrow.items()} | {name: t.rows() for name, t in carried.items()}
            rule = water_rule or (served.water_rule if served else water.MonthlyRule())
            monthly = _monthly_from(tmp, tables["sections"], rows["readings"], rule)
            _write(_table("readings_monthly", monthly), tmp / "readings_monthly.parquet")
            manifest = {
                "version": vid,
                "seq": max((v.manifest["seq"] for v in list_versions(root)), default=0) + 1,
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
            final = versions / vid
            tmp.rename(final)
        except OSError as exc:  # a full disk, a read-only folder: said in words, nothing half-published
            shutil.rmtree(tmp, ignore_errors=True)
            raise StoreError(f"数据未能写入：{os_reason(exc)}；当前数据保持不变") from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        try:
            _audit(root, "publish", vid, created_by, source)  # the commit record first: recover() rolls it forward
            _point_current(root, vid)
        except OSError as exc:
            raise StoreError(f"数据未能发布：{os_reason(exc)}；当前数据保持不变") from None
    return read_version(root, vid)


def _same_schema(table: Carried) -> bool:
    """Carried files are linked only if they have the columns this code writes (else they are rewritten)."""
    def same(a: pa.Field, b: pa.Field) -> bool:  # Parquet keeps seconds as milliseconds
        return a.name == b.name and (a.type == b.type or pa.types.is_timestamp(a.type) and pa.types.is_timestamp(b.type))

    target, files = schema.TABLES[table.name], table.files()
    return bool(files) and all(len(s) == len(target) and all(map(same, s, target))
                               for s in (pq.read_schema(f) for f in files))


def _link(table: Carried, folder: Path) -> None:
    """Hard links to the carried files (versions are never changed in place), a copy where links fail."""
    for src in table.files():
        dst = folder / src.parent.name / src.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


def _based_on(root: Path, expect_current: str | None) -> Version:
    """The version a change is made on: the one its caller read, else the one served."""
    return read_version(root, expect_current) if expect_current else current_version(root)


def _served(root: Path, expect_current: str | None) -> Version | None:
    """The version a publish replaces, if any."""
    try:
        return _based_on(root, expect_current)
    except StoreError:
        return None


def _republish(version: Version, tables: dict, source: str, by: str, **kw) -> Version:
    """A version's own tables published again with one change (an override, a re-lighting, another monthly
    rule), refused if another publish landed since `version` was read."""
    kw.setdefault("tolerance", version.tolerance)
    return publish(version.root, tables, source=source, created_by=by, demo=version.is_demo,
                   expect_current=version.id, **kw)


_LIT_READ = {"items": ("notice_date", "item_id", "start_date", "deadline", "done_date", "progress", "at_risk",
                       "at_risk_note", "month_reported", "override_light", "override_reason"),
             "problems": ("notice_date", "problem_id", "found_date", "deadline", "rectified_date", "progress")}


def _lit(version: Version | None, name: str) -> pd.DataFrame | None:
    """The lights a version gave, with the facts they were given on (only the columns the light reads)."""
    if version is None:
        return None
    try:
        have = set(pq.read_schema(next(iter(sorted((version.path / name).glob("*/*.parquet"))))).names)
    except (StopIteration, OSError, pa.ArrowException):
        return None
    columns = [c for c in _LIT_READ[name] + lights.LIT if c in have]
    return pq.read_table(version.path / name, columns=columns, partitioning=None).to_pandas()


def rebuild_water(root: Path, rule: water.MonthlyRule, by: str, expect_current: str | None = None) -> Version:
    """Serve the same data with the monthly values built by another rule (manual / automatic), as a new version."""
    version = _based_on(root, expect_current)
    return _republish(version, read_tables(version), f"水质月值口径改为：{rule.words}", by, water_rule=rule)


def _lit_by_notice(*frames: pd.DataFrame) -> dict[str, list[str]]:
    """Per notice, the rules its lights were given by (one, unless some rows were re-lit since)."""
    rows = pd.concat([f[["notice_date", "lit_with"]] for f in frames if len(f)], ignore_index=True) \
        if any(len(f) for f in frames) else pd.DataFrame(columns=["notice_date", "lit_with"])
    rows = rows.drop_duplicates().dropna()  # a few rows per notice, whatever the size of the lists
    rows = rows.assign(notice=pd.to_datetime(rows["notice_date"]).dt.strftime("%Y-%m-%d"))
    return {n: sorted(set(g["lit_with"])) for n, g in rows.groupby("notice")}


def relight_notices(root: Path, notices: list[dt.date], by: str, tolerance: float | None = None,
                    expect_current: str | None = None) -> Version:
    """Light the chosen notices again by today's rule (and `tolerance`, else the version's): the office's
    explicit act, recorded in audit.log with the notices it re-lit. Every other notice keeps its lights."""
    version = _based_on(root, expect_current)
    unknown = [d for d in notices if d not in version.notices]
    if not notices or unknown:
        raise StoreError("请选择要重新亮灯的通报期次" if not notices else
                         f"没有 {'、'.join(dates.cn_notice(d) for d in unknown)}，无法重新亮灯")
    tolerance = version.tolerance if tolerance is None else tolerance
    said = "、".join(dates.cn_notice(d) for d in sorted(notices))
    return _republish(version, read_tables(version), f"按现行规则重新亮灯（{lights.lit_with(tolerance)}）：{said}", by,
                      tolerance=tolerance, relight=tuple(notices),
                      extra={"relit": [d.isoformat() for d in sorted(notices)]})


def _monthly_from(folder: Path, sections: pd.DataFrame, n_readings: int, rule: water.MonthlyRule) -> pd.DataFrame:
    glob = str(folder / "readings" / "*" / "*.parquet")
    if not n_readings:  # a district with no readings yet
        return pd.DataFrame({c: pd.Series(dtype=object) for c in schema.TABLES["readings_monthly"].names})
    con = duckdb.connect()
    params = {"readings": glob}
    monthly = water.monthly_values(con.execute(checked("build_readings_monthly", params), params).df(), rule)
    body = monthly["section_id"].map(sections.set_index("section_id")["water_body"])
    if body.isna().any():
        unknown = sorted(monthly.loc[body.isna(), "section_id"].unique())
        raise StoreError(f"readings name unknown sections: {unknown[:5]}")
    return water.classify_frame(monthly, body)


def _point_current(root: Path, vid: str) -> None:
    tmp = root / f".CURRENT.{secrets.token_hex(4)}"
    tmp.write_text(vid + "\n", encoding="utf-8")
    os.replace(tmp, root / "CURRENT")


def empty_tables(district: str, code: str = "") -> dict[str, pd.DataFrame]:
    """Every source table with no rows, and the district's name: where a real district starts."""
    tables = {name: pd.DataFrame({c: pd.Series(dtype=object) for c in schema.TABLES[name].names
                                  if c not in schema.COMPUTED_COLUMNS}) for name in schema.SOURCE_TABLES}
    tables["district"] = pd.DataFrame([{"code": code or None, "name": district, "geom_wkt": None}])
    return tables


def init_district(root: Path, district: str, code: str = "", by: str = "") -> Version:
    """Start the office's own district: an empty real version (no demo rows, no 示例数据 label).

    Refused when real data is already served; over the demo it is allowed (the demo's versions are kept
    and can be rolled back to, but the two are never mixed in one version)."""
    district = (district or "").strip()
    if not district:
        raise StoreError("请填写本区名称（如 青川区）")
    if code and not (code.isdigit() and len(code) == 6):
        raise StoreError(f"行政区划代码“{code}”应为6位数字（如 500151），也可不填")
    root = Path(root)
    current = None
    if (root / "CURRENT").exists():
        current = current_version(root)
        if not current.is_demo:
            raise StoreError(f"已在使用本区数据（{current.manifest.get('district', '')}），无需重新开始")
    return publish(root, empty_tables(district, code), source=f"开始使用本区数据：{district}",
                   created_by=by or "河长办", demo=False, expect_current=current.id if current else None)


def rollback(root: Path, vid: str, by: str = "", expect_current: str | None = None) -> Version:
    """Serve an earlier version again (it is kept whole, so this is one atomic pointer change).
    With expect_current, refused if the version served changed since the caller looked."""
    with _publish_lock(Path(root)):
        version = read_version(root, vid)
        check_version(version)
        _refuse_stale(Path(root), expect_current)
        try:
            _audit(Path(root), "rollback", vid, by, f"回退到版本 {vid}")
            _point_current(Path(root), vid)
        except OSError as exc:
            raise StoreError(f"未能回退：{os_reason(exc)}") from None
    return version


def os_reason(exc: OSError) -> str:
    """What an operating-system error means to an office, in words."""
    return {errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "磁盘配额已用完", errno.EROFS: "数据文件夹是只读的",
            errno.EACCES: "没有写入数据文件夹的权限", errno.EPERM: "没有写入数据文件夹的权限"}.get(
        exc.errno, "数据文件夹写入出错")


def _refuse_stale(root: Path, expect_current: str | None) -> None:
    if expect_current is not None and pointer(root) != expect_current:
        raise StoreError("数据已被他人更新（当前版本已变化），请重新检查后再操作")


def recover(root: Path) -> list[str]:
    """At start: finish what a stopped publish left. A version whose commit record (audit line) is written
    but CURRENT not yet switched is served (rolled forward); half-written .tmp folders are removed.
    Returns what was done, for the log."""
    root = Path(root)
    done: list[str] = []
    if not (root / "versions").is_dir():
        return done
    try:
        lock = open(root / ".publish.lock", "a")
    except OSError:
        return done  # a read-only data folder: nothing to finish here
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return done  # a publish is running: its .tmp folder is alive
        try:
            for tmp in (root / "versions").glob(".tmp-*"):
                shutil.rmtree(tmp, ignore_errors=True)
                done.append(f"removed {tmp.name}")
            log = audit_log(root)
            last = log[-1] if log else None
            if last and last.get("action") in ("publish", "rollback") and VERSION_ID.match(str(last.get("version"))):
                if pointer(root) != last["version"] and (root / "versions" / last["version"] / "manifest.json").exists():
                    _point_current(root, last["version"])
                    done.append(f"CURRENT rolled forward to {last['version']}")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return done


def _audit(root: Path, action: str, vid: str, by: str, what: str) -> None:
    """One line per publish or rollback in <data dir>/audit.log: when, what, which version, who."""
    line = json.dumps({"at": clock.stamp(), "action": action, "version": vid,
                       "by": by, "what": what}, ensure_ascii=False)
    with open(Path(root) / "audit.log", "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def audit_log(root: Path) -> list[dict]:
    path = Path(root) / "audit.log"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a stop: the others still count
        if isinstance(entry, dict):
            out.append(entry)
    return out


@dataclass(frozen=True)
class Carried:
    """A table kept as it is in an earlier version. `publish` links its files into the new version instead of
    rewriting them, so changing one light of a province does not read its 22 million readings into memory."""
    version: Version
    name: str

    def files(self) -> list[Path]:
        return sorted((self.version.path / self.name).glob("*/*.parquet"))

    def rows(self) -> int:
        return sum(pq.ParquetFile(f).metadata.num_rows for f in self.files())

    def frame(self) -> pd.DataFrame:
        return _read_frame(self.version, self.name)


def as_frame(table: "pd.DataFrame | Carried") -> pd.DataFrame:
    """A table of `read_tables` as a frame, reading a carried one now (an import that adds readings)."""
    return table.frame() if isinstance(table, Carried) else table


def _read_frame(version: Version, name: str) -> pd.DataFrame:
    if name in schema.SNAPSHOT_TABLES or name in schema.SERIES_TABLES:
        frame = pq.read_table(version.path / name, partitioning=None).to_pandas()
    else:
        frame = pq.read_table(version.path / f"{name}.parquet").to_pandas()
    for column in schema.TABLES[name].names:  # a column this code added since the version was written: empty
        if column not in frame.columns and column not in schema.COMPUTED_COLUMNS:
            frame[column] = None
    if name == "readings":  # readings kept before their source was: manual samples (docs/DATA.md)
        frame["method"] = frame["method"].where(frame["method"].notna(), water.MANUAL)
    return frame.drop(columns=[c for c in schema.COMPUTED_COLUMNS if c in frame.columns])


def read_tables(version: Version, carry: tuple[str, ...] = schema.SERIES_TABLES) -> dict:
    """Every source table of a version as frames (the derived light columns dropped); the tables in `carry`
    (by default the readings) as `Carried`, read only if asked (`frame`), linked as they are by `publish`."""
    return {name: Carried(version, name) if name in carry else _read_frame(version, name)
            for name in schema.SOURCE_TABLES}


def read_notice(version: Version, notice: dt.date) -> dict[str, pd.DataFrame]:
    """The items and problems of one notice: only that notice's partitions are read (a page that needs one
    month does not read every table of the version)."""
    out = {}
    for name in schema.SNAPSHOT_TABLES:
        path = version.path / name / f"notice={notice.isoformat()}" / "part-0.parquet"
        out[name] = (pq.read_table(path) if path.exists() else schema.TABLES[name].empty_table()).to_pandas()
    return out


def override_light(root: Path, item_id: str, notice: dt.date, light: str | None, reason: str, by: str,
                   expect_current: str | None = None) -> Version:
    """Set (or, with light=None, clear) the office's light for one item on one notice, as a new version.

    The override keeps who, when and why; the light rule then counts it as the item's light.
    """
    if light is not None and light not in lights.LIGHTS:
        raise StoreError(f"unknown light {light!r}")
    try:
        reason = usertext.clean(reason, what="认定理由")
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    if light is not None and not reason:
        raise StoreError("an override needs a written reason")
    if not by.strip():
        raise StoreError("an override needs the name of who sets it")
    version = _based_on(root, expect_current)
    tables = read_tables(version)
    items = tables["items"]
    hit = (items["item_id"] == item_id) & dates.on_day(items["notice_date"], notice)
    if not hit.any():
        raise StoreError(f"item {item_id} is not on the notice of {notice}")
    items.loc[hit, "override_light"] = light
    items.loc[hit, "override_reason"] = reason.strip() if light else None
    items.loc[hit, "override_by"] = by.strip() if light else None
    items.loc[hit, "override_at"] = pd.Timestamp(clock.now()) if light else pd.NaT
    action = f"人工认定 {item_id} {notice} 为{lights.LIGHT_NAMES[light]}" if light else f"撤销 {item_id} {notice} 的人工认定"
    return _republish(version, tables, action, by.strip())
