"""Command line:
    python -m loaders init --district 青川区 [--code 500xxx]   start the office's own district (no demo rows)
    python -m loaders import PATH... [--dry-run] [--notice 2024-06] [--crs EPSG:4524] [--map-kind district]
                                     [--kind K] [--by NAME] [--add-units] [--whole]   import files, or every file
                                     of a folder: what is valid goes in, the rest is held back and said
                                     (exit 0: all in; 3: some held back; 1: nothing published)
    python -m loaders map FILE [--sheet S] [--table T --column 表头=字段 ...]   say once what a sheet's columns hold
    python -m loaders answer WHAT 写法=含义 ...            say once what a value in the files means (remembered):
                                     WHAT is river / township / unit / section, or a column (kind, level …)
    python -m loaders relight 2024-06-30 ... [--tolerance 0.1]   light chosen notices again by today's rule (recorded)
    python -m loaders demo [--if-empty] [--seed N]      build the fictional demo district
    python -m loaders templates [--out DIR]             the Excel templates to fill in
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
import time
from pathlib import Path

from loaders.specs import SPECS
from riverchief import publishing, settings, versions


def _month(text: str) -> dt.date:
    from loaders.convert import BadValue, to_notice_month

    try:
        return to_notice_month(text)
    except BadValue as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="RiverBoard data loaders")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="start the office's own district: an empty real data set (no demo rows)")
    init.add_argument("--district", required=True, help="the district's name, e.g. 青川区")
    init.add_argument("--code", default="", help="its 6-digit administrative code, e.g. 500151 (optional)")
    init.add_argument("--by", default=getpass.getuser())
    demo = sub.add_parser("demo", help="build the fictional demo district (示例数据) into the data folder")
    demo.add_argument("--seed", type=int, default=2023)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the data folder holds any version")
    imp = sub.add_parser("import", help="import office files (Excel, CSV, maps), or every such file of a folder")
    imp.add_argument("paths", nargs="+", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check and show what would change; publish nothing")
    imp.add_argument("--kind", choices=sorted(SPECS), help="what the tables hold, when the headers do not say")
    imp.add_argument("--notice", type=_month, help="the notice month of list files that do not say it, e.g. 2024-06")
    imp.add_argument("--crs", help="the coordinate system of map files that do not say it, e.g. EPSG:4524")
    imp.add_argument("--map-kind", choices=("district", "townships", "rivers"), help="what the map files hold")
    imp.add_argument("--add-units", action="store_true", help="add units named in the lists but in no list of units "
                                                              "as departments")
    imp.add_argument("--whole", action="store_true", help="publish nothing unless every sheet and row can go in")
    imp.add_argument("--details", action="store_true", help="list every row added, changed or removed")
    imp.add_argument("--by", default=getpass.getuser(), help="who publishes (recorded with the version)")
    mp = sub.add_parser("map", help="say what the columns of a sheet hold (remembered for files of that shape)")
    mp.add_argument("file", type=Path)
    mp.add_argument("--sheet", help="the sheet, when the workbook has several")
    mp.add_argument("--table", choices=[*sorted(SPECS), "skip"], help="what the sheet holds (skip: never import it)")
    mp.add_argument("--column", action="append", default=[], metavar="表头=字段",
                    help="e.g. 点位=section_id; columns not named are ignored")
    ans = sub.add_parser("answer", help="say once what a value the import did not know means (remembered)")
    ans.add_argument("what", help="river, township, unit, section, or the column of a choice (kind, level, status …)")
    ans.add_argument("pairs", nargs="+", metavar="写法=含义", help="e.g. 土桥镇等=土桥镇; 写法= forgets an answer")
    ans.add_argument("--by", default=getpass.getuser())
    rl = sub.add_parser("relight", help="light chosen notices again by today's rule (recorded); others keep theirs")
    rl.add_argument("notices", nargs="+", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    rl.add_argument("--tolerance", type=float, help="the tolerance to light them by (default: the version's)")
    rl.add_argument("--by", default=getpass.getuser())
    tpl = sub.add_parser("templates", help="write the Excel templates of every importable table")
    tpl.add_argument("--out", type=Path, default=Path("templates"))
    args = parser.parse_args(argv)

    root = versions.data_dir()
    if args.command == "templates":
        from loaders.templates import all_templates

        args.out.mkdir(parents=True, exist_ok=True)
        for name, data in all_templates().items():
            (args.out / name).write_bytes(data)
            print(args.out / name)
        return 0
    if args.command == "init":
        try:
            version = publishing.init_district(root, args.district, args.code, args.by)
        except versions.StoreError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"已开始使用本区数据：{args.district}（数据版本 {version.id}）。下一步：python -m loaders import 文件夹")
        return 0
    if args.command == "import":
        return _import(root, args)
    if args.command == "map":
        return _map(root, args)
    if args.command == "answer":
        return _answer(root, args)
    if args.command == "relight":
        from riverchief.office import actions

        try:
            version = actions.relight(args.by, root, args.notices, tolerance=args.tolerance)
        except versions.StoreError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"{version.manifest['source']}（数据版本 {version.id}）")
        return 0
    if args.command == "demo":
        if args.if_empty and versions.any_version(root):
            print(f"{root}: data already published; demo not rebuilt")
            return 0
        from loaders.demo import build_demo  # heavy imports only when building

        t0 = time.perf_counter()
        version = build_demo(root, seed=args.seed)
        rows = ", ".join(f"{k} {v}" for k, v in version.manifest["rows"].items())
        print(f"demo district published as {version.id} in {time.perf_counter() - t0:.1f} s: {rows}")
    return 0


def _import(root: Path, args) -> int:
    """Exit 0 when everything went in (or nothing changed); 3 when published with sheets or rows held back (or
    --dry-run found some); 1 when nothing could be published."""
    from loaders.importer import expand, prepare, publish
    from loaders import answers
    from loaders.issues import grouped_lines

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print("找不到文件：" + "、".join(missing), file=sys.stderr)
        return 1
    files, passed = expand(args.paths)
    for name in passed:
        print(f"已跳过 {name}（不是 Excel、CSV 或地图文件）")
    if not files:
        print("没有可导入的文件", file=sys.stderr)
        return 1
    prepared = prepare(files, root, args.kind, args.notice, args.crs, args.map_kind, accept_new_units=args.add_units)
    for line in grouped_lines([i for i in prepared.issues if i.file]):
        print(line, file=sys.stderr)
    asked = answers.questions(prepared.issues)
    if asked:
        print("以下写法不认识：说明一次即可，以后的导入自动使用（python -m loaders answer 类别 写法=含义）：", file=sys.stderr)
        for (what, written), options in asked.items():
            hint = f"，可能是：{'、'.join(options[:5])}" if options else ""
            kind = what.split(":", 1)[1] if what.startswith("choice:") else what
            print(f"  {answers.label(what)}“{written}”{hint} —— python -m loaders answer {kind} \"{written}={options[0] if options else '含义'}\"",
                  file=sys.stderr)
    for u in prepared.unknown:
        shown = "、".join(str(h) for h in u.headers if h is not None)
        print(f"{u.label}：没有识别出这张表（第{u.header_row + 1}行表头：{shown}）。请在“数据管理”页面指定各列内容，或运行 "
              f"python -m loaders map \"{u.file}\"{f' --sheet {u.sheet}' if u.sheet else ''} --table 表名 "
              "--column 表头=字段 …", file=sys.stderr)
    if prepared.held:
        print(f"暂缓导入{len(prepared.held)}处（其余照常导入；加 --whole 则全部无误才发布）：", file=sys.stderr)
        for h in prepared.held:
            what = "整张表" if h.rows is None else f"{h.rows}行"
            print(f"  {h.file}{'“' + h.sheet + '”' if h.sheet else ''}：{what}，{h.reason}", file=sys.stderr)
    if prepared.blocked:
        print(prepared.blocked, file=sys.stderr)
        if prepared.new_units and not args.add_units:
            print("确认无误后加 --add-units 重新导入，以上单位将新增为部门", file=sys.stderr)
        return 1
    if not prepared.publishable or (args.whole and not prepared.ok):
        print("未发布；当前数据版本保持不变。", file=sys.stderr)
        return 1
    for note in prepared.notes:
        if "跳过" not in note.message:
            print(f"提示：{note}")
    for r in prepared.changes.itertuples():
        extra = (f"，忽略列：{r.ignored}" if r.ignored else "") + (f"，跳过小计/说明等{r.skipped}行" if r.skipped else "")
        print(f"{r.table}（{r.file}{' · ' + r.sheets if r.sheets else ''}）：{r.rows}行，新增{r.added}、修改{r.changed}、"
              f"删除{r.removed}、不变{r.unchanged}{extra}")
    if args.details:
        for d in prepared.details.itertuples():
            print(f"  {d.table} {d.action}：{d.what}{'（' + d.change + '）' if d.change else ''}")
    if prepared.unchanged:
        print("无变化：与当前数据完全相同，未发布新版本")
        return 0 if prepared.ok else 3
    if args.dry_run:
        print("检查完毕（--dry-run：未发布）")
        return 0 if prepared.ok else 3
    try:
        version = publish(prepared, root, args.by)
    except versions.StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已发布为数据版本 {version.id}" + ("（暂缓导入的部分改正后再导入即可）" if prepared.held else ""))
    return 0 if prepared.ok else 3


def _answer(root: Path, args) -> int:
    from loaders import answers
    from loaders.specs import SPECS as specs

    refs = {"river": "rivers", "township": "townships", "unit": "units", "section": "sections"}
    if args.what in refs:
        what, known = args.what, set(versions.read_tables(versions.current_version(root))[refs[args.what]]["name"].dropna())
    else:
        choices = {c for s in specs.values() for f in s.fields if f.column == args.what and f.kind == "choice" for c in f.choices}
        if not choices:
            print(f"不认识“{args.what}”：应为 {'、'.join(refs)}，或一个可选值列的字段名（如 kind、level、status）", file=sys.stderr)
            return 1
        what, known = f"choice:{args.what}", choices
    said = {}
    for pair in args.pairs:
        written, _, meant = pair.partition("=")
        if meant and meant not in known:
            print(f"“{meant}”不是已有的{answers.label(what)}：应为 {'、'.join(sorted(known)[:30])}", file=sys.stderr)
            return 1
        said[(what, written.strip())] = meant.strip()
    answers.remember(root, args.by, said)
    print("已记住：" + "；".join(f"“{w}”→“{m or '（取消）'}”" for (_, w), m in said.items()) + "。重新导入即可")
    return 0


def _map(root: Path, args) -> int:
    from loaders import mappings
    from loaders.read import ReadError, read_bytes

    try:
        found = read_bytes(args.file.name, args.file.read_bytes(), mappings=mappings.load(root))
    except (OSError, ReadError) as exc:
        print(f"{args.file.name}：{exc}" if isinstance(exc, ReadError) else f"无法读取 {args.file}", file=sys.stderr)
        return 1
    sheets = [u for u in found.unknown if args.sheet in (None, u.sheet)]
    # a sheet already read can be mapped again (a wrong guess, or a choice to change): name it with --sheet
    sheets += [t for t in found.tables if args.sheet is not None and t.sheet == args.sheet or not sheets and not found.unknown
               and len(found.tables) == 1]
    if not sheets:
        print("这个文件中没有需要指定的工作表（都已识别）；要改某张表的对应关系，请用 --sheet 指明工作表")
        return 0
    u = sheets[0]
    if not args.table:
        label = args.file.name + (f" · {u.sheet}" if u.sheet else "")
        print(f"{label} 的表头：" + "、".join(str(h) for h in u.headers if h is not None))
        if getattr(u, "columns", None):
            print(f"  现在按“{u.spec.title}”读取：" + "、".join(f"{u.headers[j]}={f.column}" for j, f in u.columns.items()))
        for spec in SPECS.values():
            print(f"  --table {spec.table}（{spec.title}）字段：" + "、".join(f"{f.column}={f.header}" for f in spec.fields))
        return 0
    chosen = {}
    for pair in args.column:
        header, _, column = pair.partition("=")
        chosen[header.strip()] = column.strip()
    try:
        path = mappings.save(root, u.headers, "" if args.table == "skip" else args.table, chosen)
    except ValueError:
        spec = SPECS.get(args.table)
        fields = "、".join(f"{f.column}={f.header}" for f in spec.fields) if spec else ""
        print("字段名不对：请写本系统的字段名" + (f"（{spec.title}：{fields}）" if fields else "") +
              "，例如 --column 站点名称=section_id", file=sys.stderr)
        return 1
    label = args.file.name + (f" · {u.sheet}" if u.sheet else "")
    print(f"已记住 {label} 这种表头的对应关系（{path.name}），以后同样表头的文件会自动识别")
    return 0


if __name__ == "__main__":
    sys.exit(settings.run_command(main))
