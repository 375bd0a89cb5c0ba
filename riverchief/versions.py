"""The version files: versions of the whole data set, each written once and never changed, and the pointer to
the one served.

    <data dir>/CURRENT                    the id of the version being served (replaced atomically)
    <data dir>/commits.log                the commit record: one line per version made current (publish or
                                          rollback), written before CURRENT moves, so `recover` can finish
    <data dir>/versions/<id>/manifest.json
    <data dir>/versions/<id>/<table>.parquet                      reference tables, aggregates
    <data dir>/versions/<id>/items/notice=2023-06-30/part-0.parquet   monthly snapshots
    <data dir>/versions/<id>/readings/year=2023/part-0.parquet        time series

A version is written aside (`versions/.tmp-*`), renamed into place, and only then named in CURRENT, so a reader
sees either the old version or the new one, never half of one. Old versions are kept. What goes into a version
(the lights, the monthly values) is riverchief/publishing.py's; who did what is the office store's audit trail
(riverchief/office/audit.py), which 操作记录 shows whole — the commit record included.
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

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from riverchief import clock, lights, schema, settings, water_rules
from riverchief.errors import RiverBoardError


class StoreError(RiverBoardError):
    """The data folder holds no usable version, or a publish was refused (messages in Chinese)."""


class NoData(StoreError):
    """No version has been published in this data folder yet."""


VERSION_ID = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{6}$")  # what publish names a version; nothing else is read


def data_dir() -> Path:
    """The data folder in force (RIVERBOARD_DATA_DIR, riverchief/settings.py)."""
    return settings.current().data_dir


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
    def water_rule(self) -> water_rules.MonthlyRule:
        """Which source gives a section's monthly value (manual or automatic), as the version was built."""
        return water_rules.MonthlyRule.of(self.manifest.get("water_rule"))


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
def publish_lock(root: Path):
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


def conform(name: str, frame: pd.DataFrame) -> pa.Table:
    """Conform a frame to the declared schema: exact columns, declared types."""
    target = schema.TABLES[name]
    missing = [c for c in target.names if c not in frame.columns]
    extra = [c for c in frame.columns if c not in target.names]
    if missing or extra:
        raise StoreError(f"数据表 {name} 的列不符：缺少 {missing}，多出 {extra}", f"table {name}: missing columns {missing}, unexpected columns {extra}")
    frame = frame[target.names].copy()
    for f in target:  # values merged from several sources arrive as mixed Python/pandas objects
        if pa.types.is_timestamp(f.type):
            frame[f.name] = pd.to_datetime(frame[f.name]).astype("datetime64[s]")
        elif pa.types.is_date(f.type):
            frame[f.name] = pd.to_datetime(frame[f.name]).dt.date.astype(object).where(frame[f.name].notna(), None)
    return pa.Table.from_pandas(frame, schema=target, preserve_index=False)


def write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def write_partitioned(table: pa.Table, folder: Path, keys: pa.ChunkedArray, name: str) -> None:
    """One file per distinct key (a notice date, a year of readings), in folders `<name>=<value>`."""
    if not table.num_rows:  # an empty table still has a file, so readers find its columns
        write(table, folder / f"{name}=none" / "part-0.parquet")
        return
    for value in sorted(pa.compute.unique(keys).to_pylist()):
        part = table.filter(pa.compute.equal(keys, pa.scalar(value, keys.type)))
        write(part, folder / f"{name}={value}" / "part-0.parquet")


def same_schema(table: Carried) -> bool:
    """Carried files are linked only if they have the columns this code writes (else they are rewritten)."""
    def same(a: pa.Field, b: pa.Field) -> bool:  # Parquet keeps seconds as milliseconds
        return a.name == b.name and (a.type == b.type or pa.types.is_timestamp(a.type) and pa.types.is_timestamp(b.type))

    target, files = schema.TABLES[table.name], table.files()
    return bool(files) and all(len(s) == len(target) and all(map(same, s, target))
                               for s in (pq.read_schema(f) for f in files))


def link(table: Carried, folder: Path) -> None:
    """Hard links to the carried files (versions are never changed in place), a copy where links fail."""
    for src in table.files():
        dst = folder / src.parent.name / src.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


def point_current(root: Path, vid: str) -> None:
    tmp = root / f".CURRENT.{secrets.token_hex(4)}"
    tmp.write_text(vid + "\n", encoding="utf-8")
    os.replace(tmp, root / "CURRENT")


def os_reason(exc: OSError) -> str:
    """What an operating-system error means to an office, in words."""
    return {errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "磁盘配额已用完", errno.EROFS: "数据文件夹是只读的",
            errno.EACCES: "没有写入数据文件夹的权限", errno.EPERM: "没有写入数据文件夹的权限"}.get(
        exc.errno, "数据文件夹写入出错")


def refuse_stale(root: Path, expect_current: str | None) -> None:
    if expect_current is not None and pointer(root) != expect_current:
        raise StoreError("数据已被他人更新（当前版本已变化），请重新检查后再操作")


def recover(root: Path) -> list[str]:
    """At start: finish what a stopped publish left. A version whose commit record (a commits.log line) is written
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
            log = commits(root)
            last = log[-1] if log else None
            if last and last.get("action") in ("publish", "rollback") and VERSION_ID.match(str(last.get("version"))):
                if pointer(root) != last["version"] and (root / "versions" / last["version"] / "manifest.json").exists():
                    point_current(root, last["version"])
                    done.append(f"CURRENT rolled forward to {last['version']}")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return done


COMMITS = "commits.log"
_OLD_COMMITS = "audit.log"  # what data folders written before 2026-12 call it: still read, never written


def commit(root: Path, action: str, vid: str, by: str, what: str) -> None:
    """The commit record: one line per version made current (publish or rollback) in <data dir>/commits.log —
    when, what, which version, who — written before CURRENT moves (recover() finishes a stopped switch)."""
    line = json.dumps({"at": clock.stamp(), "action": action, "version": vid,
                       "by": by, "what": what}, ensure_ascii=False)
    with open(Path(root) / COMMITS, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def commits(root: Path) -> list[dict]:
    """Every commit record, oldest first by its time (an older folder's audit.log and commits.log together: a
    server of the old code writing into audit.log after commits.log exists does not come out last)."""
    out = []
    for name in (_OLD_COMMITS, COMMITS):
        path = Path(root) / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut short by a stop: the others still count
            if isinstance(entry, dict):
                out.append(entry)
    earliest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)  # a line without a readable time: first
    return sorted(out, key=lambda entry: committed_at(entry) or earliest)


def committed_at(entry: dict) -> dt.datetime | None:
    """When a commit record's line was written, aware (a line without an offset is in office time), or None."""
    try:
        at = dt.datetime.fromisoformat(str(entry.get("at")))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=clock.zone())


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
        frame["method"] = frame["method"].where(frame["method"].notna(), water_rules.MANUAL)
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
