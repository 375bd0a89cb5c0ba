"""For scheduled jobs; both take --month YYYY-MM, the filters (--township --river --list --unit) and --out DIR,
and print the files they write:
    python -m exports notice   the month's light notice as .docx and .xlsx [--to 主送机关]
    python -m exports pack     the meeting pack as .pptx (prints how long it took on stderr)
    python -m exports paper    a 交办单 (red) or 提醒函 (yellow) to one unit as .docx, recorded as supervision:
        --month 2024-06 --unit D02 [--item ID ...] [--light red|yellow] --reply-by 2024-07-15 --by 区河长办
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
import sys
from pathlib import Path

from exports.notice_files import notice_docx, notice_xlsx
from exports.pack import build_pack
from riverchief import clock, settings, versions
from riverchief.assessment_rules import load_rules
from riverchief.board import Filters
from riverchief.db import Database
from riverchief.notice import build_notice, filters_line, scope_words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exports")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("notice", help="the monthly light notice (每月亮灯通报) as Word and Excel")
    p.add_argument("--month", help="YYYY-MM; the latest notice when omitted")
    for key in ("township", "river", "list", "unit"):
        p.add_argument(f"--{key}")
    p.add_argument("--to", help="主送机关 (the addressees); 各镇街、区级有关部门 when omitted")
    p.add_argument("--out", default=".", type=Path)
    pack = sub.add_parser("pack", help="the meeting pack (会议材料) as PowerPoint")
    pack.add_argument("--month", help="YYYY-MM; the latest notice when omitted")
    for key in ("township", "river", "list", "unit"):
        pack.add_argument(f"--{key}")
    pack.add_argument("--out", default=".", type=Path)
    paper = sub.add_parser("paper", help="督办通知／交办单 or 提醒函 to a unit, as Word, recorded as supervision")
    paper.add_argument("--month", help="YYYY-MM; the latest notice when omitted")
    paper.add_argument("--unit", required=True, help="the responsible unit's id")
    paper.add_argument("--item", action="append", default=[], help="an item id (repeat); all of the light when omitted")
    paper.add_argument("--light", choices=("red", "yellow"), default="red")
    paper.add_argument("--reply-by", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
    paper.add_argument("--by", required=True, help="who issues it (recorded)")
    paper.add_argument("--out", default=".", type=Path)
    args = parser.parse_args(argv)

    version = versions.current_version()
    notices = {f"{d.year}-{d.month:02d}": d for d in version.notices}
    month = args.month or max(notices)
    if month not in notices:
        print(f"没有{month}的通报快照；可选：{min(notices)} 至 {max(notices)}", file=sys.stderr)
        return 2
    db = Database(version)
    if args.command == "paper":
        return _paper(db, version, notices[month], args)
    filters = Filters(township=args.township, river=args.river, list=args.list, unit=args.unit)
    scope = scope_words(db, filters)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if scope == "全区" else f"_{scope.replace(' · ', '_')}"
    if args.command == "pack":
        started = time.perf_counter()
        path = args.out / f"会议材料_{month}{suffix}.pptx"
        path.write_bytes(build_pack(db, version, notices[month], filters, scope, load_rules(versions.data_dir()).rules))
        print(path)
        print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        return 0
    notice = build_notice(db, notices[month], filters, scope, version.manifest.get("district", ""), addressee=args.to)
    line = filters_line(notices[month], scope, version.id)
    for ext, build in ((".docx", notice_docx), (".xlsx", notice_xlsx)):
        path = args.out / f"三色亮灯通报_{month}{suffix}{ext}"
        path.write_bytes(build(notice, line, version.is_demo))
        print(path)
    return 0


def _paper(db: Database, version, notice, args) -> int:
    from exports.paper_files import paper_docx
    from riverchief import supervision
    from riverchief.office import actions

    items = args.item or list(db.query("item_choices", notice=notice, township=None, river=None, list=None,
                                       unit=args.unit).query("light == @args.light and unit_id == @args.unit")["item_id"])
    try:
        paper = supervision.build_paper(db, notice, args.unit, items, args.reply_by, supervision.ISSUER, clock.today(),
                                   light=args.light)
        new = actions.issue_paper(args.by, versions.data_dir(), paper, expect_current=version.id)
    except (supervision.PaperError, versions.StoreError) as exc:
        print(f"未生成：{exc}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{paper.number}_{paper.addressee}.docx"
    path.write_bytes(paper_docx(paper, version.is_demo))
    print(path)
    print(f"已登记为督办记录，数据版本 {new.id}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(settings.run_command(main))
