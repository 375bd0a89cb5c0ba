"""The monthly reporting round: pure rules (checks, warnings, status, carrying a notice forward) and the
whole round through the office store on SQLite and PostgreSQL, ending in a published snapshot."""
import datetime as dt

import pandas as pd
import pytest

from riverchief import access, dates, publishing, reporting, versions
from riverchief.access import Forbidden, Principal
from riverchief.office import audit, rounds
from riverchief.reporting import Report, ReportError

N2 = dt.date(2023, 6, 30)
JULY = dt.date(2023, 7, 31)
OFFICE = Principal("hzb", "区河长办", access.OFFICE)
T1 = Principal("jia", "甲镇", access.UNIT, "T1")
D1 = Principal("slj", "区水利局", access.UNIT, "D1")
WORK = dict(title="清淤", target_qty=None, target_unit=None)
QTY = dict(title="河道整治", target_qty=3360.0, target_unit="米")


# --- pure rules ---------------------------------------------------------------------------------

def test_a_quantified_task_reports_the_amount_and_progress_follows():
    r = reporting.check_report(QTY, Report(done_qty=1680), JULY)
    assert r.progress == pytest.approx(0.5) and r.done_qty == 1680
    assert reporting.check_report(QTY, Report(done_qty=5000), JULY).progress == 1.0  # capped
    with pytest.raises(ReportError, match="已完成量.*3360米"):
        reporting.check_report(QTY, Report(progress=0.5), JULY)
    with pytest.raises(ReportError, match="负数"):
        reporting.check_report(QTY, Report(done_qty=-1), JULY)
    with pytest.raises(ReportError, match="应达到目标"):
        reporting.check_report(QTY, Report(done_qty=100, done_date=dt.date(2023, 7, 3)), JULY)


@pytest.mark.parametrize("progress,ok", [(0.0, True), (1.0, True), (0.999, True), (-0.01, False), (1.01, False), (None, False)])
def test_progress_must_be_a_share(progress, ok):
    if ok:
        assert reporting.check_report(WORK, Report(progress=progress), JULY).progress == progress
    else:
        with pytest.raises(ReportError, match="“清淤”"):
            reporting.check_report(WORK, Report(progress=progress), JULY)


def test_a_done_date_means_done_and_cannot_be_after_the_notice():
    assert reporting.check_report(WORK, Report(progress=0.4, done_date=dt.date(2023, 7, 20)), JULY).progress == 1.0
    with pytest.raises(ReportError, match="晚于本期通报日"):
        reporting.check_report(WORK, Report(progress=1, done_date=dt.date(2023, 8, 1)), JULY)


def test_at_risk_needs_a_reason_and_text_is_kept_as_typed():
    with pytest.raises(ReportError, match="原因"):
        reporting.check_report(WORK, Report(progress=0.3, at_risk=True, risk_reason="  "), JULY)
    r = reporting.check_report(WORK, Report(progress=0.3, at_risk=True, risk_reason="<b>征地</b>", note="=1+1"), JULY)
    assert (r.risk_reason, r.note) == ("<b>征地</b>", "=1+1")
    assert reporting.check_report(WORK, Report(progress=0.3, risk_reason="忘了取消"), JULY).risk_reason == ""


@pytest.mark.parametrize("before,after,done,expected", [
    (0.6, 0.5, None, ["进度倒退"]),
    (0.2, 0.71, None, ["跃升51"]),
    (0.2, 0.7, None, []),  # exactly 50 points is not a jump
    (0.4, 1.0, None, ["跃升", "未填完成日期"]),
    (0.9, 1.0, dt.date(2023, 7, 10), []),
    (None, 0.3, None, []),
    (0.3, 0.3, None, []),
])
def test_warnings_for_the_reviewer(before, after, done, expected):
    said = reporting.warnings(before, Report(progress=after, done_date=done), deadline=dt.date(2023, 12, 31),
                              notice=JULY, submitted=dt.datetime(2023, 8, 3), round_deadline=dt.date(2023, 8, 5))
    assert len(said) == len(expected) and all(w in s for w, s in zip(expected, said))


def test_late_and_past_deadline_are_warned():
    said = reporting.warnings(0.5, Report(progress=1, done_date=dt.date(2023, 7, 20)), deadline=dt.date(2023, 7, 15),
                              notice=JULY, submitted=dt.datetime(2023, 8, 6, 9), round_deadline=dt.date(2023, 8, 5))
    assert any("晚于截止日期" in s for s in said) and any("逾期报送" in s for s in said)


STANDING = dict(title="河道保洁", kind="item", deadline=None, target_qty=None, target_unit=None, progress=0.8,
                done_qty=None)


@pytest.mark.parametrize("work,report,same,needs", [
    (WORK | dict(progress=0.3), Report(progress=0.3), True, True),  # the pre-filled value sent untouched
    (WORK | dict(progress=0.3), Report(progress=0.3 + 1e-12), True, True),  # a float round trip is still the same
    (WORK | dict(progress=0.3), Report(progress=0.31), False, False),
    (WORK | dict(progress=0.3), Report(progress=0.3, no_progress=True), True, False),  # confirmed: a report
    (WORK | dict(progress=0.3), Report(progress=0.3, note="本月推进征地"), True, True),  # a note is not progress
    (WORK | dict(progress=1.0), Report(progress=1.0, done_date=dt.date(2023, 7, 3)), False, False),  # done now
    (WORK | dict(progress=0.0), Report(progress=0.0), True, True),  # 0% → 0%
    (QTY | dict(progress=0.5, done_qty=1680.0), Report(done_qty=1680.0, progress=0.5), True, True),
    (QTY | dict(progress=0.5, done_qty=1680.0), Report(done_qty=1700.0, progress=0.506), False, False),
    (QTY | dict(progress=0.0, done_qty=None), Report(done_qty=0.0, progress=0.0), True, True),  # nothing yet, still 0
    (STANDING, Report(progress=0.8), True, True),
    (STANDING, Report(progress=0.8, note="本月巡查保洁4次"), True, False),  # a standing task's month said in words
    (STANDING, Report(progress=0.8, note="   "), True, True),
    (dict(STANDING, kind="problem"), Report(progress=0.8, note="已清理"), True, True),  # a problem is no standing task
])
def test_a_value_unchanged_since_last_month_needs_the_unit_to_confirm_it(work, report, same, needs):
    assert reporting.unchanged(work, report) is same
    assert reporting.unconfirmed(work, report) is needs


def test_no_progress_cannot_come_with_a_change():
    with pytest.raises(ReportError, match="本月无进展"):
        reporting.check_report(WORK | dict(progress=0.3), Report(progress=0.5, no_progress=True), JULY)
    with pytest.raises(ReportError, match="本月无进展"):
        reporting.check_report(QTY | dict(progress=0.5, done_qty=1680.0), Report(done_qty=2000, no_progress=True), JULY)
    kept = reporting.check_report(WORK | dict(progress=0.3), Report(progress=0.3, no_progress=True), JULY)
    assert kept.no_progress and kept.progress == pytest.approx(0.3)


def test_the_reviewer_is_told_an_entry_repeats_last_month():
    said = lambda report, same: reporting.warnings(0.3, report, deadline=dt.date(2023, 12, 31), notice=JULY,  # noqa: E731
                                                   submitted=dt.datetime(2023, 8, 3), round_deadline=dt.date(2023, 8, 5),
                                                   same=same)
    assert said(Report(progress=0.3), True) == ["与上月相同"]
    assert said(Report(progress=0.3, no_progress=True), True) == ["单位确认本月无进展"]
    assert said(Report(progress=0.4), False) == []


def test_a_standing_task_confirmed_without_progress_has_not_done_its_month():
    """本月无进展 on a standing task: the month's work is not reported done, so the rule lights it yellow."""
    from tiny import tiny_tables

    t = tiny_tables()
    items = t["items"].copy()
    items.loc[items["item_id"] == "B", "deadline"] = None
    entry = lambda still: pd.DataFrame([dict(kind="item", ref_id="B", done_qty=None, progress=0.2, done_date=None,  # noqa: E731
                                             at_risk=False, risk_reason="", no_progress=still)])
    for still, reported in ((True, False), (False, True)):
        carried, _ = reporting.carry(items, t["problems"], N2, JULY, entry(still))
        july = carried[(carried["item_id"] == "B") & (pd.to_datetime(carried["notice_date"]).dt.date == JULY)]
        assert bool(july["month_reported"].iloc[0]) is reported


@pytest.mark.parametrize("statuses,expected", [
    ([], reporting.NOT_REPORTED), (["draft", "draft"], reporting.UNIT_DRAFT),
    (["submitted", "accepted"], reporting.REPORTED), (["accepted", "returned"], reporting.UNIT_RETURNED),
])
def test_unit_status(statuses, expected):
    assert reporting.unit_status(statuses) == expected


def test_report_rate():
    assert reporting.report_rate(["T1", "T2", "D1"], {"T1": "reported", "T2": "returned"}) == pytest.approx(1 / 3)
    assert reporting.report_rate([], {}) == 1.0


def test_next_notice():
    assert dates.next_notice(dt.date(2023, 6, 30)) == dt.date(2023, 7, 31)
    assert dates.next_notice(dt.date(2023, 12, 31)) == dt.date(2024, 1, 31)
    assert dates.next_notice(dt.date(2024, 1, 31)) == dt.date(2024, 2, 29)


# --- the whole round through the store -------------------------------------------------------------

def _light(root, item_id, notice):
    """The light the published version holds for an item on a notice (as the pages read it)."""
    items = pd.read_parquet(versions.current_version(root).path / "items")
    hit = items[(items["item_id"] == item_id) & (pd.to_datetime(items["notice_date"]).dt.date == notice)]
    return hit["light"].iloc[0] if len(hit) else None


def test_a_full_round_from_entries_to_the_published_notice(tiny_dir, office_db):
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2023, 8, 5))
    work_t1 = rounds.work(tiny_dir, rnd, "T1")
    assert set(work_t1["ref_id"]) == {"A", "E", "P1"} or set(work_t1["ref_id"]) >= {"A", "E"}
    assert "B" not in set(work_t1["ref_id"])  # D1's task is not T1's to report

    with pytest.raises(Forbidden, match="不属于"):
        rounds.save(T1, tiny_dir, rnd["id"], {("item", "B"): Report(progress=0.9)})
    with pytest.raises(ReportError, match="未填写进展"):
        rounds.save(T1, tiny_dir, rnd["id"], {("item", "A"): Report(progress=1.0, done_date=dt.date(2023, 7, 20))},
                    submit=True)
    reports = {(k, r): Report(progress=0.7) for k, r in zip(work_t1["kind"], work_t1["ref_id"])}
    reports[("item", "A")] = Report(progress=1.0, done_date=dt.date(2023, 7, 20), note="已验收")
    assert rounds.save(T1, tiny_dir, rnd["id"], reports) == len(reports)  # a draft first
    assert rounds.overview(tiny_dir, rnd, {}).set_index("unit_id").loc["T1", "status"] == reporting.UNIT_DRAFT
    rounds.save(T1, tiny_dir, rnd["id"], {}, submit=True)
    over = rounds.overview(tiny_dir, rnd, {}).set_index("unit_id")
    assert over.loc["T1", "status"] == reporting.REPORTED and over.loc["D1", "status"] == reporting.NOT_REPORTED
    # submitted once: a second save changes nothing until the office returns it
    assert rounds.save(T1, tiny_dir, rnd["id"], {("item", "A"): Report(progress=0.1)}) == 0

    review = rounds.review_table(tiny_dir, rnd).set_index("ref_id")
    assert review.loc["A", "before"] == pytest.approx(0.95)
    assert "完成日期晚于截止日期2023-05-31" in review.loc["A", "warnings"]  # A was due in May
    assert "逾期报送" in review.loc["E", "warnings"]  # submitted today, long after the 2023 round's deadline
    assert "倒退" not in review.loc["E", "warnings"] and "跃升" not in review.loc["E", "warnings"]  # 60% → 70%
    with pytest.raises(Forbidden):
        rounds.review(T1, int(review.loc["A", "id"]), int(review.loc["A", "row_version"]), True)
    with pytest.raises(ReportError, match="理由"):
        rounds.review(OFFICE, int(review.loc["E", "id"]), int(review.loc["E", "row_version"]), False)
    rounds.review(OFFICE, int(review.loc["E", "id"]), int(review.loc["E", "row_version"]), False, "与现场不符")
    with pytest.raises(ReportError, match="已被修改"):  # the office acts on what it saw, not on a stale row
        rounds.review(OFFICE, int(review.loc["E", "id"]), int(review.loc["E", "row_version"]), True)
    for ref in review.index.drop("E"):
        rounds.review(OFFICE, int(review.loc[ref, "id"]), int(review.loc[ref, "row_version"]), True)
    assert rounds.overview(tiny_dir, rnd, {}).set_index("unit_id").loc["T1", "status"] == reporting.UNIT_RETURNED

    before = versions.current_version(tiny_dir)
    with pytest.raises(Forbidden):
        rounds.publish(T1, tiny_dir, rnd["id"], before.id)
    with pytest.raises(versions.StoreError, match="他人更新"):
        rounds.publish(OFFICE, tiny_dir, rnd["id"], "20000101T000000-000000")
    new = rounds.publish(OFFICE, tiny_dir, rnd["id"], before.id)
    assert JULY in new.notices and versions.current_version(tiny_dir).id == new.id
    assert _light(tiny_dir, "A", N2) == "red" and _light(tiny_dir, "A", JULY) == "green"  # reported done
    assert _light(tiny_dir, "B", JULY) in ("yellow", "red")  # D1 never reported: carried, lit by the rule
    items = versions.read_tables(new)["items"]
    july = items[pd.to_datetime(items["notice_date"]).dt.date == JULY].set_index("item_id")
    assert july.loc["E", "override_light"] is None or pd.isna(july.loc["E", "override_light"])  # not carried
    assert july.loc["E", "progress"] == pytest.approx(0.6)  # returned: last month's value stands
    assert july.loc["A", "done_date"] == dt.date(2023, 7, 20)
    actions = list(audit.log()["action"])
    for a in ("round_open", "report", "submit", "return", "accept", "round_publish"):
        assert a in actions
    with pytest.raises(ReportError, match="已发布"):
        rounds.publish(OFFICE, tiny_dir, rnd["id"], new.id)


def test_a_round_for_a_month_already_notified_is_refused(tiny_dir, office_db):
    with pytest.raises(ReportError, match="已有通报"):
        rounds.open_round(OFFICE, tiny_dir, N2, dt.date(2023, 7, 5))
    with pytest.raises(Forbidden):
        rounds.open_round(Principal("fx", "分析", access.ANALYST), tiny_dir, JULY, dt.date(2023, 8, 5))
    rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2023, 8, 5))
    with pytest.raises(ReportError, match="进行中"):
        rounds.open_round(OFFICE, tiny_dir, dt.date(2023, 8, 31), dt.date(2023, 9, 5))


def test_publishing_waits_for_every_submitted_entry_to_be_reviewed(tiny_dir, office_db):
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2023, 8, 5))
    work_d1 = rounds.work(tiny_dir, rnd, "D1")
    rounds.save(D1, tiny_dir, rnd["id"], {(k, r): Report(progress=0.5) for k, r in zip(work_d1["kind"], work_d1["ref_id"])},
                submit=True)
    with pytest.raises(ReportError, match="待审核"):
        rounds.publish(OFFICE, tiny_dir, rnd["id"], versions.current_version(tiny_dir).id)


def test_a_returned_entry_is_corrected_and_submitted_again(tiny_dir, office_db):
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))
    rounds.save(D1, tiny_dir, rnd["id"], {("item", "B"): Report(progress=0.9)}, submit=True)
    entry = rounds.entries(rnd["id"], "D1").iloc[0]
    assert "跃升70个百分点" in rounds.review_table(tiny_dir, rnd).iloc[0]["warnings"]
    rounds.review(OFFICE, int(entry["id"]), int(entry["row_version"]), False, "与台账不符，请核实")
    returned = rounds.entries(rnd["id"], "D1").iloc[0]
    assert (returned["status"], returned["return_reason"]) == ("returned", "与台账不符，请核实")
    assert rounds.save(D1, tiny_dir, rnd["id"], {("item", "B"): Report(progress=0.35, note="已核实")}) == 1
    assert rounds.entries(rnd["id"], "D1").iloc[0]["status"] == "returned"  # corrected, not yet sent again
    rounds.save(D1, tiny_dir, rnd["id"], {}, submit=True)
    again = rounds.entries(rnd["id"], "D1").iloc[0]
    assert (again["status"], again["progress"], again["note"]) == ("submitted", 0.35, "已核实")
    assert rounds.review_table(tiny_dir, rnd).iloc[0]["warnings"] == ""  # 20% → 35%, on time
    rounds.review(OFFICE, int(again["id"]), int(again["row_version"]), True)
    new = rounds.publish(OFFICE, tiny_dir, rnd["id"], versions.current_version(tiny_dir).id)
    items = versions.read_tables(new)["items"]
    b = items[(items["item_id"] == "B") & (pd.to_datetime(items["notice_date"]).dt.date == JULY)].iloc[0]
    assert b["progress"] == pytest.approx(0.35) and bool(b["month_reported"])


def test_a_form_sent_untouched_is_not_a_report(tiny_dir, office_db):
    """提交 on the pre-filled form: refused, naming the items; 本月无进展 per item sends it, and the office sees it."""
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))
    work_t1 = rounds.work(tiny_dir, rnd, "T1").set_index(["kind", "ref_id"])
    as_before = {k: Report(progress=float(w["progress"])) for k, w in work_t1.iterrows()}
    with pytest.raises(ReportError, match="与上月相同") as said:
        rounds.save(T1, tiny_dir, rnd["id"], as_before, submit=True)
    assert all(t in str(said.value) for t in work_t1["title"]) and rounds.entries(rnd["id"], "T1").empty  # nothing kept
    assert rounds.save(T1, tiny_dir, rnd["id"], as_before) == len(as_before)  # a draft may repeat last month
    with pytest.raises(ReportError, match="与上月相同"):  # and its drafts are checked when it is submitted
        rounds.save(T1, tiny_dir, rnd["id"], {}, submit=True)
    moved = {k: Report(progress=min(1.0, r.progress + 0.05)) for k, r in as_before.items()}
    first = next(iter(moved))
    moved[first] = Report(progress=as_before[first].progress, no_progress=True)
    rounds.save(T1, tiny_dir, rnd["id"], moved, submit=True)
    review = rounds.review_table(tiny_dir, rnd).set_index(["kind", "ref_id"])
    assert "单位确认本月无进展" in review.loc[first, "warnings"]
    assert not any("与上月相同" in w for w in review["warnings"])
    task = rounds.unit_task(tiny_dir, rnd, "T1")
    assert (task.open, task.unfilled, task.submitted, task.to_do) == (len(work_t1), 0, len(work_t1), 0)


def test_a_unit_sees_its_task_and_what_came_back_by_title(tiny_dir, office_db):
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))
    assert rounds.unit_task(tiny_dir, rnd, "D1") == rounds.UnitTask(open=1, unfilled=1, drafts=0, submitted=0,
                                                                     accepted=0, returned=[])
    rounds.save(D1, tiny_dir, rnd["id"], {("item", "B"): Report(progress=0.3)}, submit=True)
    entry = rounds.entries(rnd["id"], "D1").iloc[0]
    rounds.review(OFFICE, int(entry["id"]), int(entry["row_version"]), False, "请附现场照片", about="区水利局：B事项")
    task = rounds.unit_task(tiny_dir, rnd, "D1")
    title = rounds.work(tiny_dir, rnd, "D1")["title"].iloc[0]
    assert task.returned == [(title, "请附现场照片")] and task.to_do == 1
    logged = audit.log()
    assert logged.loc[logged["action"] == "return", "target"].iloc[0] == "区水利局：B事项"  # names, not codes


@pytest.mark.parametrize("typed,kept", [
    ("管线迁改\x00\x07\x1b未完成", "管线迁改未完成"),  # control characters dropped
    ("\u202e成完已\u202c", "成完已"),  # a right-to-left override shows text reversed: dropped, shown as stored
    ("  第一行\n第二行  ", "第一行\n第二行"),
])
def test_text_a_unit_sends_is_cleaned_on_the_server(typed, kept):
    from riverchief import usertext

    assert usertext.clean(typed) == kept
    work = dict(title="某任务", target_qty=None)
    report = reporting.check_report(work, reporting.Report(progress=0.5, at_risk=True, risk_reason=typed, note=typed),
                                    dt.date(2024, 6, 30))
    assert report.risk_reason == kept and report.note == kept


def test_a_reason_of_a_hundred_thousand_characters_is_refused_on_the_server():
    with pytest.raises(reporting.ReportError, match="原因最长500个字"):
        reporting.check_report(dict(title="某任务", target_qty=None),
                               reporting.Report(progress=0.5, at_risk=True, risk_reason="长" * 100_017),
                               dt.date(2024, 6, 30))


def test_a_report_sent_while_the_round_is_being_published_is_refused_not_lost(tiny_dir, office_db, monkeypatch):
    """The interleaving forced: the unit submits after the publish has checked the entries and while it writes the
    version. It was told 已提交 and left 'submitted' for good, outside the published notice; it is now refused,
    saying so, and nothing it sent is in a state nobody will ever review."""
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))
    real_publish, said = publishing.publish, []

    def publish_with_a_report_arriving(*args, **kwargs):
        try:
            rounds.save(D1, tiny_dir, rnd["id"], {("item", "B"): Report(progress=0.5)}, submit=True)
            said.append("已提交")
        except ReportError as exc:
            said.append(str(exc))
        return real_publish(*args, **kwargs)

    monkeypatch.setattr(rounds.publishing, "publish", publish_with_a_report_arriving)
    new = rounds.publish(OFFICE, tiny_dir, rnd["id"], versions.current_version(tiny_dir).id)
    assert said == ["本轮月报送正在发布，这次填报没有保存；发布完成后请查看本月通报"]
    assert rounds.entries(rnd["id"], "D1").empty  # nothing left 'submitted' outside the notice
    assert JULY in new.notices and rounds.open_round_now() is None


def test_a_publish_that_fails_leaves_the_round_open(tiny_dir, office_db, monkeypatch):
    rnd = rounds.open_round(OFFICE, tiny_dir, JULY, dt.date(2027, 8, 5))

    def broken(*args, **kwargs):
        raise versions.StoreError("数据未能写入：磁盘空间已满；当前数据保持不变")

    monkeypatch.setattr(rounds.publishing, "publish", broken)
    with pytest.raises(versions.StoreError):
        rounds.publish(OFFICE, tiny_dir, rnd["id"], versions.current_version(tiny_dir).id)
    assert rounds.open_round_now()["status"] == "open"
    rounds.save(D1, tiny_dir, rnd["id"], {("item", "B"): Report(progress=0.5)})  # reports are taken again


def test_a_standing_task_said_in_words_is_a_report_the_office_need_not_look_at_twice(tmp_path, office_db):
    """B made a standing task: its unchanged progress with the month's work in the note is sent without 本月无进展,
    and the reviewer is not told it repeats last month."""
    from tiny import tiny_tables

    tables = tiny_tables()
    tables["items"].loc[tables["items"]["item_id"] == "B", "deadline"] = None
    publishing.publish(tmp_path, tables, source="测试", created_by="tests")
    rnd = rounds.open_round(OFFICE, tmp_path, JULY, dt.date(2027, 8, 5))
    rounds.save(D1, tmp_path, rnd["id"], {("item", "B"): Report(progress=0.2, note="本月巡查保洁4次")}, submit=True)
    assert rounds.review_table(tmp_path, rnd).iloc[0]["warnings"] == ""


def _sheet_with(tiny_dir, change, drop_last_column=False):
    """The unit's report sheet as written for T1, changed row by row by `change(row)` (openpyxl cells), as bytes."""
    import io

    from openpyxl import load_workbook

    from loaders import report_sheet

    rnd = {"base_notice": N2, "notice_date": JULY}
    work = reporting.open_work(*[versions.read_notice(versions.current_version(tiny_dir), N2)[t] for t in ("items", "problems")],
                               "T1")
    wb = load_workbook(io.BytesIO(report_sheet.write(work, pd.DataFrame(columns=["kind", "ref_id"]), "甲镇")))
    ws = wb.active
    for row in ws.iter_rows(min_row=3):
        change(row)
    if drop_last_column:  # a sheet downloaded before the 本月无进展 column existed
        ws.delete_cols(13)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), work, rnd


def test_the_report_sheet_names_the_row_and_column_of_what_it_cannot_take(tiny_dir):
    from loaders import report_sheet

    def bad(row):
        if row[1].value == "A":
            row[7].value = "一半"
        elif row[1].value == "E":
            row[8].value = dt.date(2027, 3, 1)  # done in the future
    data, work, rnd = _sheet_with(tiny_dir, bad)
    with pytest.raises(report_sheet.SheetError) as said:
        report_sheet.read(data, "甲镇.xlsx", work, rnd["notice_date"])
    problems = said.value.problems
    assert any("第" in p and "“进度（%）”列" in p and "一半" in p for p in problems), problems
    assert any("完成日期" in p and "2027-03-01" in p and "晚于本期通报日" in p for p in problems), problems


def test_the_report_sheet_carries_no_progress_and_old_sheets_still_read(tiny_dir):
    from loaders import report_sheet

    def confirm(row):
        if row[1].value == "A":
            row[12].value = "是"
    data, work, rnd = _sheet_with(tiny_dir, confirm)
    got = report_sheet.read(data, "甲镇.xlsx", work, rnd["notice_date"])
    assert got[("item", "A")].no_progress and not got[("item", "E")].no_progress
    old, *_ = _sheet_with(tiny_dir, lambda row: None, drop_last_column=True)
    assert not any(r.no_progress for r in report_sheet.read(old, "旧表.xlsx", work, rnd["notice_date"]).values())


def test_before_publishing_the_office_is_told_what_waits_what_carries_and_what_turns_yellow(tmp_path, office_db):
    from tiny import tiny_tables

    tables = tiny_tables()
    tables["items"].loc[tables["items"]["item_id"] == "B", "deadline"] = None  # B: a standing task of D1
    publishing.publish(tmp_path, tables, source="测试", created_by="tests")
    rnd = rounds.open_round(OFFICE, tmp_path, JULY, dt.date(2027, 8, 5))
    n_open = len(rounds.work(tmp_path, rnd))
    assert rounds.publish_preview(tmp_path, rnd) == rounds.PublishPreview(pending=0, carried=n_open, standing_unreported=1)
    rounds.save(D1, tmp_path, rnd["id"], {("item", "B"): Report(progress=0.2, note="本月巡查4次")}, submit=True)
    assert rounds.publish_preview(tmp_path, rnd).pending == 1
    e = rounds.entries(rnd["id"], "D1").iloc[0]
    rounds.review(OFFICE, int(e["id"]), int(e["row_version"]), True)
    assert rounds.publish_preview(tmp_path, rnd) == rounds.PublishPreview(pending=0, carried=n_open - 1,
                                                                          standing_unreported=0)
