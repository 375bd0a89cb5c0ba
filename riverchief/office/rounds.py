"""The monthly reporting round (月报送), kept in the office store: the office opens a month with a
deadline, each unit reports its own open items and problems (drafts, then one submission), the office
accepts or returns each entry, and publishes the round as the month's snapshot through the store."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from riverchief import access, clock, publishing, reporting, usertext, versions
from riverchief.access import Principal
from riverchief.dates import cn_month
from riverchief.office import audit, database
from riverchief.office.models import Entry, Round
from riverchief.reporting import ACCEPTED, DRAFT, RETURNED, SUBMITTED, Report, ReportError

OPEN, PUBLISHED = "open", "published"
PUBLISHING = "publishing"  # between the publish's check and its end: no report is taken (none can be lost)


def _as_dict(r: Round) -> dict:
    return dict(id=r.id, notice_date=r.notice_date, deadline=r.deadline, status=r.status, base_notice=r.base_notice,
                base_version=r.base_version, opened_by=r.opened_by, opened_at=r.opened_at,
                published_version=r.published_version, published_at=r.published_at)


def open_round(principal: Principal, root: Path, notice: dt.date, deadline: dt.date) -> dict:
    """Open the month's round, carried from the newest published notice. One open round at a time."""
    access.require(principal, access.ROUNDS)
    version = versions.current_version(root)
    if not version.notices:
        raise ReportError("尚无已发布的清单，请先在“数据管理”导入三张清单")
    base = max(version.notices)
    if notice <= base:
        raise ReportError(f"{cn_month(notice)}已有通报（最新为{cn_month(base)}），月报送应从下一个月开始")
    with database.session(database.default_url(root)) as s:
        if s.scalar(select(Round).where(Round.status == OPEN)):
            raise ReportError("已有进行中的月报送，发布后再开启下一轮")
        if s.scalar(select(Round).where(Round.notice_date == notice)):
            raise ReportError(f"{cn_month(notice)}的月报送已开启过")
        r = Round(notice_date=notice, deadline=deadline, status=OPEN, base_version=version.id, base_notice=base,
                  opened_by=principal.username, opened_at=clock.now())
        s.add(r)
        s.flush()
        audit.record(s, principal, "round_open", cn_month(notice), f"报送截止{deadline:%Y-%m-%d}，以{cn_month(base)}通报为基础")
        return _as_dict(r)


def open_round_now(url: str | None = None) -> dict | None:
    with database.session(url) as s:
        r = s.scalar(select(Round).where(Round.status.in_((OPEN, PUBLISHING))))
        return _as_dict(r) if r else None


def all_rounds() -> list[dict]:
    with database.session() as s:
        return [_as_dict(r) for r in s.scalars(select(Round).order_by(Round.notice_date.desc()))]


def work(root: Path, rnd: dict, unit_id: str | None = None) -> pd.DataFrame:
    """The open items and problems of the round (of one unit), from the notice it carries from."""
    base = versions.read_notice(versions.current_version(root), rnd["base_notice"])
    return reporting.open_work(base["items"], base["problems"], unit_id)


@dataclass(frozen=True)
class RoundNow:
    """The round's open work (from the notice it carries from) and its entries, read once for a page's run: the
    overview, the review table and the publish preview all read the same."""
    work: pd.DataFrame
    entries: pd.DataFrame


def now(root: Path, rnd: dict) -> RoundNow:
    return RoundNow(work(root, rnd), entries(rnd["id"]))


def entries(round_id: int, unit_id: str | None = None) -> pd.DataFrame:
    cols = ["id", "kind", "ref_id", "unit_id", "done_qty", "progress", "done_date", "at_risk", "risk_reason", "note",
            "no_progress", "status", "return_reason", "updated_by", "updated_at", "submitted_at", "reviewed_by",
            "row_version"]
    q = select(Entry).where(Entry.round_id == round_id)
    if unit_id is not None:
        q = q.where(Entry.unit_id == unit_id)
    with database.session() as s:
        return pd.DataFrame([{c: getattr(e, c) for c in cols} for e in s.scalars(q.order_by(Entry.id))], columns=cols)


def save(principal: Principal, root: Path, round_id: int, reports: dict[tuple[str, str], Report], *,
         submit: bool = False) -> int:
    """A unit's entries saved as drafts (or submitted, all at once). Only the unit's own open work is taken;
    an entry already submitted or accepted is not changed. Returns how many entries were written."""
    access.require(principal, access.REPORT)
    with database.session(database.default_url(root)) as s:
        rnd = s.get(Round, round_id, with_for_update=True)  # the round's publish waits for this report, or it for it
        if rnd is not None and rnd.status == PUBLISHING:
            raise ReportError("本轮月报送正在发布，这次填报没有保存；发布完成后请查看本月通报")
        if rnd is None or rnd.status != OPEN:
            raise ReportError("本轮月报送已结束或不存在")
        mine = work(root, _as_dict(rnd), principal.unit_id).set_index(["kind", "ref_id"])
        foreign = [ref for _, ref in reports if (_, ref) not in mine.index]
        if foreign:
            raise access.Forbidden(f"以下事项不属于{principal.name}或已完成，不能填报：{'、'.join(foreign[:5])}")
        existing = {(e.kind, e.ref_id): e for e in s.scalars(
            select(Entry).where(Entry.round_id == round_id, Entry.unit_id == principal.unit_id))}
        if submit:
            missing = [mine.loc[k, "title"] for k in mine.index if k not in reports and k not in existing]
            if missing:
                raise ReportError(f"还有{len(missing)}项未填写进展，如：{'、'.join(map(str, missing[:3]))}")
        now, written = clock.now(), 0
        checked = {key: reporting.check_report(mine.loc[key].to_dict() | {"kind": key[0]}, report, rnd.notice_date)
                   for key, report in reports.items()
                   if key not in existing or existing[key].status not in (SUBMITTED, ACCEPTED)}
        if submit:  # every entry going in must say this month's progress, or confirm there was none
            going = checked | {k: _report(e) for k, e in existing.items()
                               if e.status in (DRAFT, RETURNED) and k not in checked}
            same = [mine.loc[k, "title"] for k, r in going.items()
                    if reporting.unconfirmed(mine.loc[k].to_dict() | {"kind": k[0]}, r)]
            if same:
                raise ReportError(f"以下{len(same)}项与上月相同，尚未填写本月进展：{'、'.join(map(str, same[:5]))}"
                                  f"{'等' if len(same) > 5 else ''}。有进展请填写本月进度；确无进展请勾选“本月无进展”后再提交"
                                  "（长期任务请在说明中写明本月工作；勾选本月无进展的长期任务视为本月工作未落实，亮黄灯）。")
        for key, c in checked.items():
            e = existing.get(key)
            if e is None:
                e = Entry(round_id=round_id, kind=key[0], ref_id=key[1], unit_id=principal.unit_id, status=DRAFT,
                          return_reason="")
                s.add(e)
                existing[key] = e
            e.done_qty, e.progress, e.done_date = c.done_qty, c.progress, c.done_date
            e.at_risk, e.risk_reason, e.note, e.no_progress = c.at_risk, c.risk_reason, c.note, c.no_progress
            e.updated_by, e.updated_at = principal.username, now
            written += 1
        if submit:
            for e in existing.values():
                if e.status in (DRAFT, RETURNED):
                    e.status, e.submitted_at = SUBMITTED, now
            audit.record(s, principal, "submit", cn_month(rnd.notice_date), f"{principal.name}提交{len(existing)}项")
        elif written:
            audit.record(s, principal, "report", cn_month(rnd.notice_date), f"{principal.name}保存草稿{written}项")
        return written


def _report(e) -> Report:
    """An entry (a stored row, or its dict) as the report it holds."""
    get = e.get if isinstance(e, dict) else lambda name: getattr(e, name)
    missing = reporting._missing  # the rules' own test of an empty value (None, NaT, NaN)
    return Report(None if missing(get("done_qty")) else get("done_qty"), None if missing(get("progress")) else get("progress"),
                  None if missing(get("done_date")) else get("done_date"), bool(get("at_risk")),
                  get("risk_reason") or "", get("note") or "", bool(get("no_progress")))


def review(principal: Principal, entry_id: int, row_version: int, accept: bool, reason: str = "",
           about: str = "") -> None:
    """Accept an entry, or return it with a reason. Refused if the entry changed since the office read it.
    `about` names the entry in the log as people read it (unit and title); its codes otherwise."""
    access.require(principal, access.ROUNDS)
    try:
        reason = usertext.clean(reason, what="退回理由")
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    if not accept and not reason:
        raise ReportError("退回须写明理由")
    try:
        with database.session() as s:
            e = s.get(Entry, entry_id)
            if e is None or e.row_version != row_version:
                raise ReportError("该条报送已被修改，请刷新后重新审核")
            if e.status != SUBMITTED:
                raise ReportError("只能审核已提交的报送")
            rnd = s.get(Round, e.round_id)
            if rnd.status != OPEN:
                raise ReportError("本轮月报送已发布")
            e.status, e.reviewed_by = (ACCEPTED, principal.username) if accept else (RETURNED, principal.username)
            e.return_reason = "" if accept else reason.strip()
            audit.record(s, principal, "accept" if accept else "return", about or f"{e.unit_id} {e.ref_id}",
                         f"{cn_month(rnd.notice_date)}" + ("" if accept else f"，理由：{reason.strip()}"))
    except StaleDataError:
        raise ReportError("该条报送已被他人修改，请刷新后重新审核") from None


@dataclass(frozen=True)
class UnitTask:
    """Where one unit stands in the open round: what it must report, what it has done, what came back."""
    open: int  # items and problems to report on
    unfilled: int  # not entered at all
    drafts: int  # entered, not submitted
    submitted: int  # waiting for the office
    accepted: int
    returned: list[tuple[str, str]]  # (title, the office's reason)

    @property
    def to_do(self) -> int:
        """Entries the unit still has to send (not entered, drafts, returned)."""
        return self.unfilled + self.drafts + len(self.returned)


def unit_task(root: Path, rnd: dict, unit_id: str) -> UnitTask:
    mine, got = work(root, rnd, unit_id), entries(rnd["id"], unit_id)
    titles = dict(zip(zip(mine["kind"], mine["ref_id"]), mine["title"]))
    still_open = pd.Series([k in titles for k in zip(got["kind"], got["ref_id"])], index=got.index, dtype=bool)
    got = got[still_open]
    count = lambda status: int((got["status"] == status).sum())  # noqa: E731
    back = got[got["status"] == RETURNED]
    return UnitTask(open=len(mine), unfilled=len(mine) - len(got), drafts=count(DRAFT), submitted=count(SUBMITTED),
                    accepted=count(ACCEPTED), returned=[(titles[(k, r)], why) for k, r, why in
                                                        zip(back["kind"], back["ref_id"], back["return_reason"])])


@dataclass(frozen=True)
class PublishPreview:
    """What publishing the round now would do, said before the office confirms it."""
    pending: int  # entries submitted and not yet reviewed: publishing is refused until they are
    carried: int  # items and problems without an accepted entry: last month's values carry over
    standing_unreported: int  # standing tasks whose month's work is not reported done: they light yellow


def publish_preview(root: Path, rnd: dict, read: RoundNow | None = None) -> PublishPreview:
    read = read or now(root, rnd)
    all_work, got = read.work, read.entries
    accepted = got[got["status"] == ACCEPTED]
    taken = set(zip(accepted["kind"], accepted["ref_id"]))
    done_month = {(k, r) for k, r, still in zip(accepted["kind"], accepted["ref_id"], accepted["no_progress"]) if not still}
    keys = list(zip(all_work["kind"], all_work["ref_id"]))
    standing = [k for k, d in zip(keys, all_work["deadline"]) if k[0] == "item" and pd.isna(d)]
    return PublishPreview(pending=int((got["status"] == SUBMITTED).sum()), carried=sum(k not in taken for k in keys),
                          standing_unreported=sum(k not in done_month for k in standing))


def overview(root: Path, rnd: dict, unit_names: dict[str, str], read: RoundNow | None = None) -> pd.DataFrame:
    """Per unit that has open work: its status, how many entries, returned, and 报送率 inputs."""
    read = read or now(root, rnd)
    all_work, got = read.work, read.entries
    rows = []
    for unit, w in all_work.groupby("unit_id"):
        mine = got[got["unit_id"] == unit]
        status = reporting.unit_status(list(mine["status"]))
        rows.append(dict(unit_id=unit, unit=unit_names.get(unit, unit), open=len(w), entries=len(mine),
                         status=status, status_name=reporting.UNIT_STATUS_NAMES[status],
                         returned=int((mine["status"] == RETURNED).sum()),
                         pending=int((mine["status"] == SUBMITTED).sum()),
                         accepted=int((mine["status"] == ACCEPTED).sum()),
                         submitted_at=mine["submitted_at"].max() if len(mine) else None))
    return pd.DataFrame(rows, columns=["unit_id", "unit", "open", "entries", "status", "status_name", "returned",
                                       "pending", "accepted", "submitted_at"])


def review_table(root: Path, rnd: dict, read: RoundNow | None = None) -> pd.DataFrame:
    """Every entry beside what the notice it carries from said, with the warnings for the reviewer."""
    read = read or now(root, rnd)
    all_work, got = read.work.set_index(["kind", "ref_id"]), read.entries
    rows = []
    for e in got.to_dict("records"):
        key = (e["kind"], e["ref_id"])
        w = all_work.loc[key] if key in all_work.index else None
        before = None if w is None else w["progress"]
        report = _report(e)
        rows.append(e | dict(title=None if w is None else w["title"], before=before,
                             deadline=None if w is None else w["deadline"],
                             warnings="；".join(reporting.warnings(
                                 before, report, deadline=None if w is None or pd.isna(w["deadline"]) else w["deadline"],
                                 notice=rnd["notice_date"], submitted=e["submitted_at"], round_deadline=rnd["deadline"],
                                 same=w is not None and reporting.unconfirmed(w.to_dict() | {"kind": e["kind"]}, report)))))
    return pd.DataFrame(rows)


LIVE_PUBLISH = dt.timedelta(minutes=2)  # a publish takes seconds: one 'publishing' longer has stopped


def _published_as(root: Path, attempt: str | None) -> versions.Version | None:
    """The data version this publish attempt wrote and committed (its manifest carries the attempt; the data
    folder's commit record names it), if it did. Another attempt's version, or one never committed, is not it."""
    if not attempt:
        return None
    committed = {e.get("version") for e in versions.commits(root) if e.get("action") == "publish"}
    return next((v for v in versions.list_versions(root)
                 if (v.manifest.get("round") or {}).get("attempt") == attempt and v.id in committed), None)


def _record_published(s, rnd: Round, version: versions.Version, actor, detail: str) -> bool:
    """Mark the round (locked by the caller) published by the version, once; False when already recorded."""
    if rnd.status == PUBLISHED:
        return False
    rnd.status, rnd.published_version = PUBLISHED, version.id
    rnd.published_at = dt.datetime.fromisoformat(version.manifest["created_at"]).replace(tzinfo=None)
    audit.record(s, actor, "round_publish", cn_month(rnd.notice_date), detail)
    return True


def reconcile(root: Path, *, now: bool = False) -> list[str]:
    """A round left 'publishing' whose attempt wrote and committed its version (the office store failed
    between the two) is recorded as published by that version — never published twice; one without such a
    version stays, to be published again. A page runs it for attempts older than LIVE_PUBLISH (a publish under
    way is left alone), the publish itself at once (now=True). Returns what it recorded."""
    url = database.default_url(root)
    done = []
    with database.session(url) as s:
        for rnd in s.scalars(select(Round).where(Round.status == PUBLISHING).with_for_update()):
            if not now and rnd.publishing_since and rnd.publishing_since > clock.now() - LIVE_PUBLISH:
                continue
            version = _published_as(Path(root), rnd.publish_attempt)
            if version is None:
                continue
            detail = f"发布为版本 {version.id}（发布时账号与报送库中断，{clock.now():%Y-%m-%d %H:%M}补记）"
            if _record_published(s, rnd, version, rnd.publishing_by or "命令行", detail):
                done.append(f"{cn_month(rnd.notice_date)}月报送已发布为 {version.id}")
    return done


def publish(principal: Principal, root: Path, round_id: int, expect_current: str) -> versions.Version:
    """The round's accepted entries as the month's snapshot: the same atomic publish as an import. Each
    publish is an attempt with an id the version's manifest carries, so one whose last step failed is
    recorded (reconcile), never repeated; a second publish cannot start while one is under way."""
    access.require(principal, access.ROUNDS)
    url = database.default_url(root)
    reconcile(root, now=True)
    attempt = secrets.token_hex(8)
    with database.session(url) as s:
        rnd = s.get(Round, round_id, with_for_update=True)
        if rnd is None or rnd.status not in (OPEN, PUBLISHING):
            raise ReportError("本轮月报送已发布或不存在")
        if rnd.status == PUBLISHING and rnd.publishing_since and rnd.publishing_since > clock.now() - LIVE_PUBLISH:
            raise ReportError(f"本轮月报送正由{rnd.publishing_by or '他人'}发布中，请稍后刷新查看")
        pending = s.scalars(select(Entry).where(Entry.round_id == round_id, Entry.status == SUBMITTED)).all()
        if pending:
            raise ReportError(f"还有{len(pending)}条报送待审核，审核完再发布")
        # committed before the entries are read: a report from now on is refused, not lost
        rnd.status, rnd.publish_attempt = PUBLISHING, attempt
        rnd.publishing_by, rnd.publishing_since = principal.username, clock.now()
        info = _as_dict(rnd)
    try:
        accepted = entries(round_id)
        accepted = accepted[accepted["status"] == ACCEPTED]
        version = versions.current_version(root)
        tables = versions.read_tables(version)
        tables["items"], tables["problems"] = reporting.carry(tables["items"], tables["problems"], info["base_notice"],
                                                              info["notice_date"], accepted)
        new = publishing.publish(root, tables, source=f"{cn_month(info['notice_date'])}月报送（{len(accepted)}条报送）",
                            created_by=principal.name, demo=version.is_demo, tolerance=version.tolerance,
                            expect_current=expect_current, extra={"round": {
                                "id": round_id, "notice": info["notice_date"].isoformat(), "attempt": attempt}})
    except BaseException:
        if _published_as(Path(root), attempt) is None:  # nothing of this attempt landed: the round is open again
            with database.session(url) as s:
                s.execute(update(Round).where(Round.id == round_id, Round.status == PUBLISHING,
                                              Round.publish_attempt == attempt)
                          .values(status=OPEN, row_version=Round.row_version + 1))
        raise
    try:
        with database.session(url) as s:
            rnd = s.get(Round, round_id, with_for_update=True)
            _record_published(s, rnd, new, principal, f"采用{len(accepted)}条报送，发布为版本 {new.id}")
    except database.Unavailable as exc:  # the notice is out; the round is recorded as published when the store is back
        raise ReportError(f"{cn_month(info['notice_date'])}通报已发布为版本 {new.id}，但账号与报送库暂时无法记下本轮已发布"
                          f"（错误编号 {exc.error_id}）；库恢复后系统自动补记，请勿重复发布。") from None
    return new
