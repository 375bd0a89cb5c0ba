"""Accounts from the command line (the first office account is made here):

    python -m riverchief.office add hzb --role office --name 区河长办
    python -m riverchief.office add shuiwuju --role unit --unit D02 --name 区水务局
    python -m riverchief.office reset hzb | unlock hzb | disable hzb | enable hzb | list
    python -m riverchief.office unlock --address 10.1.2.3     (lift an address's login wait)

A new or reset account gets a one-time password, printed once, to be changed at the first login.
"""
from __future__ import annotations

import argparse
import ipaddress
import sys

from sqlalchemy.exc import SQLAlchemyError

from riverchief import access, settings, versions
from riverchief.office import accounts
from riverchief.office.database import Unavailable

OPERATOR = "命令行"


def _units() -> set[str]:
    """The units of the data served (a unit account must name one of them; none before any data)."""
    try:
        return set(versions.read_tables(versions.current_version())["units"]["unit_id"].dropna())
    except versions.StoreError:
        return set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m riverchief.office", description="河长看板账号管理")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="新建账号")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=access.ROLES)
    add.add_argument("--name", default="")
    add.add_argument("--unit", default=None, help="责任单位账号的单位编号")
    add.add_argument("--sso-only", action="store_true", help="只用统一身份认证登录")
    for name, said in (("reset", "重置密码：打印一次性密码，下次登录须修改"), ("disable", "停用账号（记录保留）"),
                       ("enable", "恢复已停用的账号")):
        sub.add_parser(name, help=said).add_argument("username")
    unlock = sub.add_parser("unlock", help="解除登录等待（某账号，或 --address 某地址）")
    unlock.add_argument("username", nargs="?")
    unlock.add_argument("--address", help="解除该地址的登录等待")
    sub.add_parser("list", help="列出全部账号：账号、姓名或单位名称、角色、单位编号、状态")
    args = parser.parse_args(argv)
    try:
        if args.command == "add":
            pw = accounts.create(OPERATOR, args.username, args.name, args.role, args.unit, sso_only=args.sso_only,
                                 units=_units())
            print(f"已创建账号 {args.username}（{access.ROLE_NAMES[args.role]}）")
            if pw:
                print(f"一次性密码：{pw}（首次登录须修改）")
        elif args.command == "reset":
            print(f"一次性密码：{accounts.reset_password(OPERATOR, args.username)}（下次登录须修改）")
        elif args.command == "unlock" and args.address:
            if args.username:
                raise accounts.AccountError("一次解除一项：写账号，或用 --address 写地址")
            try:
                address = str(ipaddress.ip_network(args.address.strip(), strict=False))
                address = address.removesuffix("/32").removesuffix("/128")
            except ValueError:
                raise accounts.AccountError(f"“{args.address}”不是IP地址") from None
            print(f"已解除 {address} 的登录等待（{accounts.unlock_address(OPERATOR, address)}项）")
        elif args.command == "unlock" and not args.username:
            raise accounts.AccountError("请写明账号，或用 --address 写明地址")
        elif args.command in ("unlock", "disable", "enable"):
            accounts.update(OPERATOR, args.username, unlock=args.command == "unlock",
                            disabled={"disable": True, "enable": False}.get(args.command))
            print("已完成")
        else:
            for u in accounts.users():
                print(f"{u['username']}\t{u['name']}\t{access.ROLE_NAMES[u['role']]}\t{u['unit_id'] or ''}\t{u['state']}")
    except accounts.AccountError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except Unavailable as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:  # never a traceback: its parameters would print the new password's hash
        print(f"错误：账号库无法写入（{type(exc).__name__}），未做任何修改。请检查数据库连接或所填内容。", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(settings.run_command(main))
