"""Command line:
    python -m loaders demo [--if-empty] [--seed N]      build the fictional demo district
    python -m loaders import FILE... [--dry-run] [--kind K] [--by NAME]   import office files
    python -m loaders templates [--out DIR]             the Excel templates to fill in
"""
from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from loaders.specs import SPECS
from riverchief import store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="RiverBoard data loaders")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="build the fictional demo district (示例数据) into the data folder")
    demo.add_argument("--seed", type=int, default=2023)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when data is already published")
    imp = sub.add_parser("import", help="import office files (Excel, CSV) into a new data version")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check and show what would change; publish nothing")
    imp.add_argument("--kind", choices=sorted(SPECS), help="what the files hold, when the headers do not say")
    imp.add_argument("--by", default=getpass.getuser(), help="who publishes (recorded with the version)")
    tpl = sub.add_parser("templates", help="write the Excel templates of every importable table")
    tpl.add_argument("--out", type=Path, default=Path("templates"))
    args = parser.parse_args(argv)

    root = store.data_dir()
    if args.command == "templates":
        from loaders.templates import all_templates

        args.out.mkdir(parents=True, exist_ok=True)
        for name, data in all_templates().items():
            (args.out / name).write_bytes(data)
            print(args.out / name)
        return 0
    if args.command == "import":
        return _import(root, args)
    if args.command == "demo":
        if args.if_empty and (root / "CURRENT").exists():
            print(f"{root}: data already published ({store.current_version(root).id}); demo not rebuilt")
            return 0
        from loaders.demo import build_demo  # heavy imports only when building

        t0 = time.perf_counter()
        version = build_demo(root, seed=args.seed)
        rows = ", ".join(f"{k} {v}" for k, v in version.manifest["rows"].items())
        print(f"demo district published as {version.id} in {time.perf_counter() - t0:.1f} s: {rows}")
    return 0


def _import(root: Path, args) -> int:
    """Exit 0 only when published (or, with --dry-run, when there is nothing wrong); 1 on any issue."""
    from loaders.importer import prepare, publish

    prepared = prepare([(p.name, p.read_bytes()) for p in args.files], root, args.kind)
    for issue in prepared.issues:
        print(issue, file=sys.stderr)
    if prepared.issues:
        print(f"共{len(prepared.issues)}个问题，未发布；当前数据版本保持不变。", file=sys.stderr)
        return 1
    for r in prepared.changes.itertuples():
        print(f"{r.table}（{r.file}{' · ' + r.sheet if r.sheet else ''}）：{r.rows}行，新增{r.added}、修改{r.changed}、删除{r.removed}")
    if args.dry_run:
        print("检查通过（--dry-run：未发布）")
        return 0
    try:
        version = publish(prepared, root, args.by)
    except store.StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已发布为数据版本 {version.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
