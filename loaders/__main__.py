"""Command line: `python -m loaders demo [--if-empty] [--seed N]` builds the fictional demo district."""
from __future__ import annotations

import argparse
import sys
import time

from riverchief import store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="RiverBoard data loaders")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="build the fictional demo district (示例数据) into the data folder")
    demo.add_argument("--seed", type=int, default=2023)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when data is already published")
    args = parser.parse_args(argv)

    root = store.data_dir()
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


if __name__ == "__main__":
    sys.exit(main())
