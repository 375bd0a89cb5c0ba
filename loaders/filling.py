"""What a file leaves to the rules: the notice and list of a sheet from its title, progress from words,
done dates, ids from what rows are, water bodies and targets of sections, readings one row per factor."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import numpy as np
import pandas as pd
import shapely

from loaders import convert, layouts
from loaders.cells import _is_long, _Refs, _value
from loaders.issues import Issue
from loaders.names import ID_PREFIX, LIST_PREFIX, _dedupe, _digest, _is_sequence, _lookup, _next_ids, name_key
from loaders.read import RawTable, match
from loaders.specs import CHOICE_WORDS, DEFAULT_DAYS, FACTORS, SPECS
from riverchief import clock, lights, schema, water_rules
from riverchief.schema import LIST_NAMES


def _col(frame: pd.DataFrame, column: str, default=None) -> pd.Series:
    return frame[column] if column in frame else pd.Series(default, index=frame.index, dtype=object)


def _with_notice(raw: RawTable, frame: pd.DataFrame, notice: dt.date | None, issues: list[Issue], what: str,
                 notes: list[Issue]) -> bool:
    """Fill the notice date of a snapshot sheet: its column, else the month asked for, else the month of
    its title or file name; never a notice after today. False (and an issue) when none says it."""
    if "notice_date" not in frame or frame["notice_date"].isna().any():
        ctx = raw.context
        when = notice or (convert.month_end(ctx.year, ctx.month) if ctx.year and ctx.month else None)
        if when is None:
            issues.append(Issue(raw.file, raw.sheet, None, None, f"无法确定这份{what}对应的通报月份：请在文件名或标题中"
                                "写明（如“2024年6月”），或在导入时指定通报月份"))
            return False
        frame["notice_date"] = _col(frame, "notice_date").where(_col(frame, "notice_date").notna(), when)
    # A notice is the month's (its month end): 2025-01-15 is January's notice, not a second one hiding it.
    ends = frame["notice_date"].map(lambda d: convert.month_end(d.year, d.month) if isinstance(d, dt.date) else d)
    moved = frame["notice_date"].ne(ends) & frame["notice_date"].notna()
    if moved.any():
        first = frame.loc[moved, "notice_date"].iloc[0]
        notes.append(Issue(raw.file, raw.sheet, None, "通报日期", f"通报日期{first:%Y-%m-%d}等{int(moved.sum())}行不是月末："
                           f"按当月通报（{convert.month_end(first.year, first.month):%Y-%m-%d}）导入"))
        frame["notice_date"] = ends
    today = clock.today()
    future = frame["notice_date"].map(lambda d: d > today)
    if future.any():  # a notice from the future would become everyone's default month
        issues.append(Issue(raw.file, raw.sheet, None, "通报日期", f"通报日期{frame.loc[future, 'notice_date'].iloc[0]:%Y-%m-%d}"
                            "晚于今天，请核对文件名、标题中的月份或“通报日期”列"))
        return False
    return True


def _per_column(raw: RawTable, frame: pd.DataFrame, notes: list[Issue]) -> list:
    """The progress column's figures, percent or fraction decided once for the column: any bare number above 1
    makes every bare number a percentage (60 → 60%, and then 1 → 1%); otherwise they are shares (1 → 100%)."""
    reported = list(_col(frame, "_progress"))
    numbers = [p.number for p in reported if isinstance(p, convert.Progress) and p.number is not None]
    if not any(n > 1 for n in numbers):
        return reported
    if any(0 < n <= 1 for n in numbers):
        notes.append(Issue(raw.file, raw.sheet, None, "进度", "进度列中有大于1的数，整列按百分数理解（如 0.6 记为 0.6%）"))
    return [dataclasses.replace(p, progress=p.number / 100, done=p.number >= 100)
            if isinstance(p, convert.Progress) and p.number is not None else p for p in reported]


def _item_progress(raw: RawTable, frame: pd.DataFrame, issues: list[Issue], notes: list[Issue]) -> pd.DataFrame:
    """Progress as reported, in numbers or words; a quantity done counted in the target's unit; the status
    in the words written (else from the figures); `_done` when the row says the item is finished."""
    progress, done_qty, status, done = [], [], [], []
    if "_progress" in frame:
        frame["_progress"] = _per_column(raw, frame, notes)
    if "_target_words" in frame and frame["_target_words"].notna().any():
        example = frame["_target_words"].dropna().iloc[0]
        notes.append(Issue(raw.file, raw.sheet, None, None, f"目标写的是文字（如“{example}”），不计入目标量"))
    if "_qty_unit" in frame:  # a unit written with the target (3360米) where no unit column says it
        frame["target_unit"] = _col(frame, "target_unit").where(_col(frame, "target_unit").notna(), frame["_qty_unit"])
    target_unit = _col(frame, "target_unit")
    for i, row in frame.iterrows():
        p = row.get("_progress") if "_progress" in frame else None
        p = p if isinstance(p, convert.Progress) else None
        qty = row.get("done_qty") if "done_qty" in frame else None
        share = p.progress if p else None
        if p and p.done_qty is not None:
            converted = convert.quantity_in(p.done_qty, p.qty_unit, target_unit[i])
            if converted is None:
                unit = target_unit[i] if isinstance(target_unit[i], str) else "（未填）"
                notes.append(Issue(raw.file, raw.sheet, int(row["_row"]), "进度",
                                   f"“{row['_progress_text']}”的单位与目标单位“{unit}”不一致，未计入完成量"))
            else:
                qty = converted
        target = row.get("target_qty") if "target_qty" in frame else None
        if share is None and pd.notna(qty) and float(qty) < 0:
            issues.append(Issue(raw.file, raw.sheet, int(row["_row"]), "进度", f"完成量不能为负数（{float(qty):g}）"))
        elif share is None and pd.notna(qty) and pd.notna(target) and target > 0:
            share = lights.progress_of(float(qty), float(target))
        share = 0.0 if share is None else share
        if share > 1:
            issues.append(Issue(raw.file, raw.sheet, int(row["_row"]), "进度", f"进度超过100%（{share:.0%}）"))
            share = 1.0
        progress.append(share)
        done_qty.append(qty)
        finished = bool(p and p.done) or share >= 1
        done.append(finished)
        standing = pd.isna(row.get("deadline")) if "deadline" in frame else True
        words = row.get("_progress_text") if "_progress_text" in frame else None
        status.append(words if isinstance(words, str) and not re.search(r"\d", words or "") else
                      "已完成" if finished else "持续推进" if standing else
                      "未开始" if p and p.not_started else "推进中")
    frame["progress"] = progress
    frame["done_qty"] = done_qty
    frame["_done"] = done
    frame["_status"] = status
    return frame


_REMARKS = re.compile(r"备注|进展|说明|形象进度|完成情况")
_SHARE = re.compile(r"(?:完成|进度|完工)[^0-9%，,；;]{0,4}(\d{1,3}(?:\.\d+)?)\s*[%％]")


def _progress_in_notes(raw: RawTable, frame: pd.DataFrame, notes: list[Issue]) -> None:
    """A list with no progress column that says it in its 备注 (完成65%，堤防主体完工): the share read from there,
    and said."""
    columns = [j for j, h in enumerate(raw.headers) if h and j not in raw.columns and _REMARKS.search(str(h))]
    for j in columns:
        texts = frame["_row"].map(lambda n: raw.data.at[n, j] if n in raw.data.index and j in raw.data else None)
        found = texts.map(lambda t: _SHARE.search(convert.plain(t)) if isinstance(t, str) else None)
        if found.notna().any():
            frame["_progress"] = [convert.to_progress(f"{m[1]}%") if m else None for m in found]
            frame["_progress_text"] = [t if isinstance(t, str) else None for t in texts]
            notes.append(Issue(raw.file, raw.sheet, None, raw.headers[j], "没有进度列：进度按这一列中写的“完成××%”读取"))
            return


def _list_from_headers(raw: RawTable, notes: list[Issue]) -> str | None:
    """Which list a sheet holds when no name says it: its headers do (问题 → 突出问题, 项目/资金 → 重大事项,
    任务 → 一河一策); the preview says so."""
    headers = "".join(h for h in raw.headers if h)
    for words, kind in (("问题", "problem"), ("项目", "major"), ("资金", "major"), ("任务", "task")):
        if words in headers:
            notes.append(Issue(raw.file, raw.sheet, None, None,
                               f"未写明是哪张清单，按表头中的“{words}”判断为{LIST_NAMES[kind]}清单"))
            return kind
    return None


def _items(raw: RawTable, frame: pd.DataFrame, tables: dict, notice: dt.date | None, issues: list[Issue],
           notes: list[Issue]) -> pd.DataFrame:
    """A list sheet as one notice's snapshot: notice, list and year from the title when not in columns;
    progress from words or quantities; done when 100%; ids from what the row is."""
    ctx = raw.context
    if not _with_notice(raw, frame, notice, issues, "清单", notes):
        return frame
    if ctx.list is None and ("list" not in frame or frame["list"].isna().any()):
        ctx = dataclasses.replace(ctx, list=_list_from_headers(raw, notes))
    if "list" not in frame or frame["list"].isna().any():
        if ctx.list is None:
            issues.append(Issue(raw.file, raw.sheet, None, "清单", "无法判断属于哪张清单：请在工作表名称或标题中写明"
                                f"（{'、'.join(LIST_NAMES.values())}），或增加“清单”列"))
            return frame
        frame["list"] = _col(frame, "list").fillna(ctx.list)
    year = _col(frame, "list_year")
    frame["list_year"] = year.where(year.notna(), ctx.year or frame["notice_date"].map(lambda d: d.year))
    if not _rivers_named(raw, frame, issues):
        return frame
    if "_period_start" in frame:  # 建设起止年限 2022-2024: the start and deadline a list does not give otherwise
        for column, part in (("start_date", "_period_start"), ("deadline", "_period_end")):
            frame[column] = _col(frame, column).where(_col(frame, column).notna(), frame[part])
    if "_immediate" in frame:  # 立行立改 with no date to count from: due with this notice
        now = frame["_immediate"].eq(True) & _col(frame, "deadline").isna()
        frame["deadline"] = _col(frame, "deadline").where(~now, frame["notice_date"])
    if "deadline" not in frame and (frame["list"] == "major").all():  # an annual list of major projects
        frame["deadline"] = frame["list_year"].map(lambda y: dt.date(int(y), 12, 31))
        notes.append(Issue(raw.file, raw.sheet, None, None, "没有完成时限列：重大事项按年度清单，以当年年底为完成时限"))
    start = _col(frame, "start_date")
    frame["start_date"] = start.where(start.notna(), frame["list_year"].map(lambda y: dt.date(int(y), 1, 1)))
    if "_progress" not in frame:
        _progress_in_notes(raw, frame, notes)
    frame = _item_progress(raw, frame, issues, notes)
    # A standing task's month is reported when the file says so (本月落实情况), or states its progress this month
    # (持续推进, 60%); an empty progress cell or 未启动 is no report — "not reported", as the monthly round counts it.
    reported = _col(frame, "month_reported")
    stated = pd.Series([isinstance(p, convert.Progress) and not p.not_started for p in _col(frame, "_progress")],
                       index=frame.index)
    frame["month_reported"] = reported.where(reported.notna(), stated)
    given = _col(frame, "status")
    frame["status"] = given.where(given.notna(), frame["_status"])
    frame["exposed"] = _col(frame, "exposed").where(_col(frame, "exposed").notna(),
                                                    _col(frame, "source").fillna("").astype(str).str.contains("曝光"))
    frame["at_risk"] = _col(frame, "at_risk").fillna(False)
    # Ids from what the item is: list, year, river, title, unit (序号 is a row number, never an id).
    if "item_id" not in frame or _is_sequence(raw, "item_id"):
        frame["item_id"] = _dedupe([
            f"{LIST_PREFIX[r['list']]}{int(r['list_year'])}-"
            f"{_digest(r['list'], int(r['list_year']), r['river_id'], name_key(r['title']), r['unit_id'])}"
            for _, r in frame.iterrows()])
    dates = _col(frame, "done_date")
    dated = dates.notna() & (dates.astype(object) <= frame["notice_date"].astype(object))
    frame.loc[dated, "progress"] = 1.0  # a 销号 date on or before the notice means done
    frame["done_date"] = _done_on(frame, frame["_done"], dates, tables["items"], "item_id", "done_date")
    # A township's own items are that township's.
    towns = tables["units"].dropna(subset=["township_id"]).set_index("unit_id")["township_id"]
    own = _col(frame, "township_id")
    frame["township_id"] = own.where(own.notna(), frame["unit_id"].map(towns))
    return frame


def _rivers_named(raw: RawTable, frame: pd.DataFrame, issues: list[Issue]) -> bool:
    """Every item names its river, but a major item (重大事项, district-wide) need not. False when a whole sheet of
    another list has no river column (the sheet is held back)."""
    needs = frame["list"] != "major"
    if "river_id" not in frame:
        if needs.any():
            issues.append(Issue(raw.file, raw.sheet, None, "河流", "缺少必填列“河流”（只有重大事项可以不写河流）"))
            return False
        frame["river_id"] = None
        return True
    header = next((raw.headers[j] for j, f in raw.columns.items() if f.column == "river_id"), "河流")
    said = {(i.row, i.column) for i in issues}
    for _, r in frame[needs & frame["river_id"].isna()].iterrows():
        if (int(r["_row"]), header) not in said:
            issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), header, "必填，不能为空（只有重大事项可以不写河流）"))
    return True


LEVELS = ("区级", "镇级", "村级")


def _river_levels(raw: RawTable, frame: pd.DataFrame, issues: list[Issue], notes: list[Issue]) -> None:
    """A river list without a level column takes the level its sheet or title names (区级河流名录); a list
    naming none, or several, is asked about."""
    level = _col(frame, "level")
    if level.notna().all():
        return
    words = {"乡级": "镇级", "乡镇级": "镇级", "县级": "区级", **{w: w for w in LEVELS}}
    for text in raw.context.texts[1:] + raw.context.texts[:1]:  # the sheet and title before the file name
        found = {v for w, v in words.items() if w in convert.plain(text)}
        if len(found) == 1:
            frame["level"] = level.where(level.notna(), found.pop())
            notes.append(Issue(raw.file, raw.sheet, None, "河流级别", f"没有填写河流级别的行，按“{text}”记为{frame['level'].dropna().iloc[-1]}"))
            return
    issues.append(Issue(raw.file, raw.sheet, None, "河流级别", "无法判断河流级别：请增加“河流级别”列（区级、镇级、村级），"
                        "或在工作表名称或标题中写明（如“区级河流名录”）"))


def _problems(raw: RawTable, frame: pd.DataFrame, tables: dict, notice: dt.date | None,
              issues: list[Issue], notes: list[Issue]) -> pd.DataFrame:
    if not _with_notice(raw, frame, notice, issues, "问题台账", notes):
        return frame
    if "deadline" not in frame:  # a hotline ledger has no 整改时限 column: due DEFAULT_DAYS after it was found
        frame["deadline"] = frame["found_date"].map(lambda d: d + dt.timedelta(days=DEFAULT_DAYS))
        notes.append(Issue(raw.file, raw.sheet, None, "整改时限", f"没有整改时限列，各问题按发现后{DEFAULT_DAYS}日计"))
    header = next((raw.headers[j] or "整改时限" for j, f in raw.columns.items() if f.column == "deadline"), "整改时限")
    for _, r in frame[frame["deadline"].isna()].iterrows():  # a problem is never standing: its 整改时限 is needed
        issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), header, "必填，不能为空（问题须有整改时限）"))
    if "source" not in frame or frame["source"].isna().any():
        source = next(iter(_named_in_context(raw, "source")), None)
        if source is None:
            issues.append(Issue(raw.file, raw.sheet, None, "来源", "无法判断问题来源：请增加“来源”列（巡河、群众举报、督察反馈、暗访），"
                                "或在工作表名称或标题中写明（如“巡河问题台账”）"))
            return frame
        frame["source"] = _col(frame, "source").fillna(source)
    p = pd.Series(_per_column(raw, frame, []), index=frame.index, dtype=object)
    share = p.map(lambda x: x.progress if isinstance(x, convert.Progress) else None)
    if "status" not in frame or frame["status"].isna().any():  # the state from the progress words or figures
        said = _col(frame, "_progress_text").map(lambda t: _status_in(t))
        done_now = p.map(lambda x: bool(x.done) if isinstance(x, convert.Progress) else False)
        figure = share.fillna(0).astype(float)
        derived = said.where(said.notna(), pd.Series(["已整改" if d else "整改中" if f > 0 else "已交办"
                                                       for d, f in zip(done_now, figure)], index=frame.index))
        frame["status"] = _col(frame, "status").where(_col(frame, "status").notna(), derived)
    frame = frame.drop(columns=[c for c in ("_progress", "_progress_text") if c in frame])
    done = frame["status"].isin(["已整改", "已销号"])
    rectified = _col(frame, "rectified_date")
    frame["progress"] = share.where(share.notna(), (rectified.notna() | done).astype(float)).astype(float)
    frame.loc[done, "progress"] = 1.0
    if "problem_id" not in frame or _is_sequence(raw, "problem_id"):
        frame["problem_id"] = _dedupe([f"WT{r['found_date'].year}-{_digest(r['river_id'], name_key(r['title']), r['found_date'])}"
                                       for _, r in frame.iterrows()])
    frame["rectified_date"] = _done_on(frame, done, rectified, tables["problems"], "problem_id", "rectified_date")
    return frame


def _status_in(text) -> str | None:
    """A problem's state named in its progress words (已整改, 正在整改 …), else None."""
    if not isinstance(text, str):
        return None
    try:
        return convert.to_choice(text, SPECS["problems"].headers()["状态"].choices, "status")
    except convert.BadValue:
        return None


def _done_on(frame: pd.DataFrame, done: pd.Series, given: pd.Series, earlier: pd.DataFrame, key: str,
             column: str) -> pd.Series:
    """When a done row was done: the date written, else the one an earlier notice recorded for the same
    item, else this notice (done by then) — so re-importing a month never moves the date."""
    recorded = frame[key].map(earlier.dropna(subset=[column]).groupby(key)[column].min())
    fallback = recorded.where(recorded.notna(), frame["notice_date"])
    return given.where(given.notna() | ~done, fallback)


NEAR_KM = 50  # a point further than this from the district's outline is a typo or swapped coordinates


def _near_district(frame: pd.DataFrame, tables: dict, raw: RawTable, issues: list[Issue]) -> None:
    """Points far from the district (a digit wrong, degrees-minutes read as decimals) are refused by row."""
    wkt = tables["district"]["geom_wkt"].dropna()
    if wkt.empty:
        return
    outline = shapely.from_wkt(wkt.iloc[0])
    has = frame["lon"].notna() & frame["lat"].notna()
    for _, r in frame[has].iterrows():
        km = outline.distance(shapely.Point(r["lon"], r["lat"])) * 111
        if km > NEAR_KM:
            issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), "经度/纬度",
                                f"位置（{r['lon']:.4f}，{r['lat']:.4f}）距本区约{km:.0f}公里，请核对经纬度（是否写反或写错）"))


def _sections(frame: pd.DataFrame, tables: dict, raw: RawTable, issues: list[Issue]) -> pd.DataFrame:
    rivers = tables["rivers"].set_index("river_id")
    body = _col(frame, "water_body")
    lake = frame["river_id"].map(rivers["name"]).fillna("").astype(str).str.contains(r"(?:水库|湖|库|塘|堰)$")
    frame["water_body"] = body.where(body.notna(), lake.map({True: "lake", False: "river"}))
    target = _col(frame, "target_class")
    frame["target_class"] = target.where(target.notna(), frame["river_id"].map(rivers["target_class"]))
    for _, r in frame[frame["target_class"].isna()].iterrows():
        issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), "水质目标", "缺少水质目标（断面和所在河流都没有填写）"))
    return frame


def _pivot_readings(frame: pd.DataFrame, raw: RawTable, issues: list[Issue], notes: list[Issue]) -> pd.DataFrame:
    """One row per factor (监测项目, 监测值) into one row per section and time, a column per factor."""
    spec = SPECS["readings"]
    fields = {f.column: f for f in spec.fields}
    column = frame["factor"].map(lambda t: match(spec, t) if isinstance(t, str) else None)
    ours = column.isin(FACTORS)
    others = sorted(set(frame.loc[~ours & frame["factor"].notna(), "factor"].astype(str)))
    if others:
        notes.append(Issue(raw.file, raw.sheet, None, "监测项目", "以下监测项目不在本系统评价范围内，未导入：" + "、".join(others)))
    rows: dict[tuple, dict] = {}
    for (_, r), factor in zip(frame[ours].iterrows(), column[ours]):
        try:
            value = _value(fields[factor], r["value"], _Refs({}), raw.context.year)
            scale = (layouts.unit_scale(r["unit"]) if isinstance(r.get("unit"), str) else None) \
                or raw.scale.get(factor) or raw.scale.get("*")
            if scale and fields[factor].kind == "conc" and value[factor] is not None:
                value[factor] = round(value[factor] * scale[0], 6)
            if factor == "do" and value["do"] is not None and not 0 <= value["do"] <= 25:
                raise convert.BadValue(f"溶解氧应在 0 至 25 之间（实际为 {value['do']:g}）")
        except convert.BadValue as exc:
            issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), "监测值", str(exc)))
            continue
        method = r.get("method") if isinstance(r.get("method"), str) else None
        record = rows.setdefault((r["section_id"], r["sampled_at"], method),
                                 {"_row": r["_row"], "section_id": r["section_id"], "sampled_at": r["sampled_at"],
                                  "method": method})
        if factor in record:
            issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), "监测项目",
                                f"同一断面、同一时间的“{fields[factor].header}”出现了两次"))
        record.update(value)
    return pd.DataFrame(list(rows.values()))


def _readings(frame: pd.DataFrame, raw: RawTable, issues: list[Issue], notes: list[Issue],
              earlier: pd.DataFrame | None = None) -> pd.DataFrame:
    if "sampled_at" not in frame:  # a sheet per month without dates: the month it names
        ctx = raw.context
        frame["sampled_at"] = dt.datetime(ctx.year, ctx.month, 1)
        notes.append(Issue(raw.file, raw.sheet, None, None, f"没有采样时间列：按标题记为{ctx.year}年{ctx.month}月"))
    if _is_long(frame):
        frame = _pivot_readings(frame, raw, issues, notes)
    factors = [f for f in FACTORS if f in frame]
    headers = {f.column: raw.headers[j] or f.header for j, f in raw.columns.items()}
    for f in factors:
        if frame[f].isna().all() and len(frame):
            issues.append(Issue(raw.file, raw.sheet, None, headers[f], "这一列没有读到任何数值，请检查表头和单元格内容"))
    if not factors:
        issues.append(Issue(raw.file, raw.sheet, None, None, "没有找到任何监测指标列（总磷、氨氮、高锰酸盐指数、溶解氧）"))
        return frame
    empty = frame[factors].isna().all(axis=1)
    for _, r in frame[empty].iterrows():
        issues.append(Issue(raw.file, raw.sheet, int(r["_row"]), None, "该行没有任何监测值"))
    _method(frame, raw, notes, earlier)
    return frame


def _named_in_context(raw: RawTable, column: str) -> list[str]:
    """The choices of a column the sheet's file name, sheet name or title names (巡河问题台账 → 巡河; 自动监测数据 →
    自动), in the order they are found."""
    found = [choice for text in raw.context.texts for choice, words in CHOICE_WORDS[column]
             if any(w in convert.plain(text) for w in words)]
    return list(dict.fromkeys(found))


def _method(frame: pd.DataFrame, raw: RawTable, notes: list[Issue], earlier: pd.DataFrame | None) -> None:
    """手工 or 自动 for every row: as written; else as the readings already kept at the same section and time say
    (a file imported again replaces its own rows); else as the sheet's name or title says, when it names one source
    only (自动监测, 在线监测, 水站 / 手工监测, 实验室); else by the rows: a section with 4 or more values on one day
    (a station's 4-hourly or hourly export) or values on 20 or more days of a month (a station's daily means) is
    automatic; one to three a day (平行样, 加密监测) are manual samples. Every guess is said."""
    given = _col(frame, "method")
    if given.notna().all() and len(frame):
        return
    named = set(_named_in_context(raw, "method"))
    when = pd.to_datetime(frame["sampled_at"], errors="coerce")
    if len(named) == 1:
        said = next(iter(named))
        inferred = pd.Series(said, index=frame.index)
        how = f"按文件、工作表名称或标题（{said}监测）"
    else:
        keyed = frame.assign(_day=when.dt.normalize(), _month=when.dt.to_period("M"))
        per_day = keyed.groupby(["section_id", "_day"], dropna=False)["_row"].transform("size")
        days = keyed.groupby(["section_id", "_month"], dropna=False)["_day"].transform("nunique")
        inferred = pd.Series(np.where((per_day >= 4) | (days >= 20), water_rules.AUTOMATIC, water_rules.MANUAL), index=frame.index)
        how = "同一断面一天有4个及以上数值或一个月有20天及以上有数值"
    if isinstance(earlier, pd.DataFrame) and len(earlier):  # (a table not read into memory has nothing to say)
        # the same reading kept already (same section, time and values): it keeps its source, so a file imported
        # again replaces its own rows instead of adding them twice under another guess
        kept = earlier.assign(_at=pd.to_datetime(earlier["sampled_at"])).drop_duplicates(["section_id", "_at"])
        kept = kept.set_index(["section_id", "_at"]).reindex(pd.MultiIndex.from_arrays([frame["section_id"], when]))
        same = np.ones(len(frame), dtype=bool)
        for f in FACTORS:
            mine = pd.to_numeric(_col(frame, f), errors="coerce").to_numpy(dtype=float)
            theirs = pd.to_numeric(kept[f], errors="coerce").to_numpy(dtype=float)
            same &= (np.isnan(mine) & np.isnan(theirs)) | np.isclose(mine, theirs, rtol=0, atol=1e-9)
        before = kept["method"].to_numpy()
        adopt = same & pd.notna(before)
        inferred = inferred.where(~adopt, pd.Series(before, index=frame.index))
    frame["method"] = given.where(given.notna(), inferred)
    automatic = int((given.isna() & (frame["method"] == water_rules.AUTOMATIC)).sum())
    if automatic:
        notes.append(Issue(raw.file, raw.sheet, None, "监测方式", f"未注明监测方式：{how}，{automatic}行按自动监测计"
                           "（如不对，请增加“监测方式”列写明手工或自动）"))


def _finish(raw: RawTable, frame: pd.DataFrame, tables: dict, notice: dt.date | None, issues: list[Issue],
            notes: list[Issue]) -> pd.DataFrame:
    """Fill what the file leaves to the rules, make ids, keep the data model's columns."""
    spec = raw.spec
    out = frame.copy()
    if spec.table == "items":
        out = _items(raw, out, tables, notice, issues, notes)
    elif spec.table == "problems":
        out = _problems(raw, out, tables, notice, issues, notes)
    elif spec.table == "sections":
        out = _sections(out, tables, raw, issues)
    elif spec.table == "readings":
        out = _readings(out, raw, issues, notes, tables.get("readings"))
    elif spec.table == "rivers":
        _river_levels(raw, out, issues, notes)
    elif spec.table == "complaints":
        out["negative_impact"] = _col(out, "negative_impact").fillna(False)
    elif spec.table == "townships":
        kind = _col(out, "kind")
        out["kind"] = kind.where(kind.notna(), out["name"].astype(str).str.endswith("街道").map({True: "街道", False: "镇"}))
    elif spec.table == "units":
        towns = _lookup(tables, "township")
        tid = out["name"].map(lambda n: towns.get(name_key(n)) if isinstance(towns.get(name_key(n)), str) else None)
        out["township_id"] = _col(out, "township_id").where(_col(out, "township_id").notna(), tid)
        kind = _col(out, "kind")
        out["kind"] = kind.where(kind.notna(), out["township_id"].notna().map({True: "镇街", False: "部门"}))
    if spec.table in ("sections", "problems") and "lon" in out:
        _near_district(out, tables, raw, issues)
    key = spec.key[-1]
    needs_id = key not in out or _is_sequence(raw, key)
    if spec.table in ("townships", "units", "rivers", "sections") and needs_id:
        out[key] = _reference_ids(spec.table, out, tables)
    elif spec.table in ("supervision", "patrols", "lookbacks", "complaints") and needs_id:
        values = [c for c in out.columns if not c.startswith("_") and c != key]
        out[key] = _dedupe([ID_PREFIX[spec.table] + _digest(*[r[c] for c in values]) for _, r in out.iterrows()])
    if spec.table in ("townships", "units", "rivers", "sections"):  # the same name twice: one row, said
        twice = out.duplicated(subset=[key], keep="last")
        for name, rows in out[twice].groupby("name", sort=False)["_row"]:  # said once per name, not once per row
            listed = "、".join(str(int(r)) for r in rows.head(5)) + ("等" if len(rows) > 5 else "")
            notes.append(Issue(raw.file, raw.sheet, None, None,
                               f"“{name}”重复出现{len(rows) + 1}次（第{listed}行等与后面的行同名），按最后一行导入"))
        out = out[~twice]
    keep = [c for c in schema.TABLES[spec.table].names if c in out and c not in schema.COMPUTED_COLUMNS]
    return out[keep + ["_row"]]  # the row each came from: a row refused by a rule here is held back by it


def _reference_ids(table: str, frame: pd.DataFrame, tables: dict) -> list[str]:
    """A reference row keeps the id its name already has; a new name gets the next free number."""
    current = tables[table]
    key = schema.TABLES[table].names[0]
    known = {name_key(n): i for n, i in zip(current["name"], current[key])}
    if table == "units":  # a township's unit takes the township's id
        known.update({name_key(n): i for n, i in zip(tables["townships"]["name"], tables["townships"]["township_id"])
                      if name_key(n) not in known})
    fresh = [name_key(n) for n in frame["name"] if name_key(n) not in known]
    fresh = list(dict.fromkeys(fresh))
    ids = dict(zip(fresh, _next_ids(current[key], ID_PREFIX[table], len(fresh))))
    return [known.get(name_key(n)) or ids[name_key(n)] for n in frame["name"]]
