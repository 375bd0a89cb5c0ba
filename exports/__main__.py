"""For scheduled jobs; both take --month YYYY-MM, the filters (--township --river --list --unit) and --out DIR,
and print the files they write:
    python -m exports notice   the month's light notice as .docx and .xlsx
    python -m exports pack     the meeting pack as .pptx (prints how long it took on stderr)
"""
from __future__ import annotations

import argparse
import time
import sys
from pathlib import Path

from exports.notice_files import notice_docx, notice_xlsx
from exports.pack import build_pack
from riverchief import store
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
    p.add_argument("--out", default=".", type=Path)
    pack = sub.add_parser("pack", help="the meeting pack (会议材料) as PowerPoint")
    pack.add_argument("--month", help="YYYY-MM; the latest notice when omitted")
    for key in ("township", "river", "list", "unit"):
        pack.add_argument(f"--{key}")
    pack.add_argument("--out", default=".", type=Path)
    args = parser.parse_args(argv)

    version = store.current_version()
    notices = {f"{d.year}-{d.month:02d}": d for d in version.notices}
    month = args.month or max(notices)
    if month not in notices:
        print(f"没有{month}的通报快照；可选：{min(notices)} 至 {max(notices)}", file=sys.stderr)
        return 2
    db = Database(version)
    filters = Filters(township=args.township, river=args.river, list=args.list, unit=args.unit)
    scope = scope_words(db, filters)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if scope == "全区" else f"_{scope.replace(' · ', '_')}"
    if args.command == "pack":
        started = time.perf_counter()
        path = args.out / f"会议材料_{month}{suffix}.pptx"
        path.write_bytes(build_pack(db, version, notices[month], filters, scope, load_rules(store.data_dir()).rules))
        print(path)
        print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        return 0
    notice = build_notice(db, notices[month], filters, scope, version.manifest.get("district", ""))
    line = filters_line(notices[month], scope, version.id)
    for ext, build in ((".docx", notice_docx), (".xlsx", notice_xlsx)):
        path = args.out / f"三色亮灯通报_{month}{suffix}{ext}"
        path.write_bytes(build(notice, line, version.is_demo))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
