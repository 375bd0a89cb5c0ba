"""Who may see and do what: the four roles of a river chief office, enforced here (not only hidden).

docs/ACCOUNTS.md explains the roles. Every action the app can take is named in ACTIONS; a service
function calls `require(principal, action)` before it writes anything, and the frame narrows the
filters with `scoped()` so a link cannot widen what a township or department sees.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from riverchief.board import Filters
from riverchief.errors import RiverBoardError

LEADER, ANALYST, OFFICE, UNIT = "leader", "analyst", "office", "unit"
ROLES = (LEADER, ANALYST, OFFICE, UNIT)
ROLE_NAMES = {LEADER: "领导", ANALYST: "分析", OFFICE: "河长办", UNIT: "责任单位"}
GUEST = "guest"  # the demo on localhost: every view and export, no action

# Every action that reads beyond a page or writes anything.
VIEW_ALL = "view_all"  # every unit's details (a unit sees its own and the district totals)
MEETING = "meeting"  # 会议模式
EXPORT = "export"  # Excel, PNG, Word, the meeting pack
IMPORT = "import"  # bring files in and publish them
ROLLBACK = "rollback"
RULES = "rules"  # save the assessment rules
OVERRIDE = "override"  # set a light by hand, with a reason
ACCOUNTS = "accounts"
ROUNDS = "rounds"  # open, review and publish the monthly reporting round
REPORT = "report"  # a unit enters its own progress
AUDIT = "audit"  # read and export the audit log
SUPERVISE = "supervise"  # issue a 交办单 or 提醒函 (recorded as supervision)
ACTIONS = (VIEW_ALL, MEETING, EXPORT, IMPORT, ROLLBACK, RULES, OVERRIDE, ACCOUNTS, ROUNDS, REPORT, AUDIT, SUPERVISE)

_OFFICE_ONLY = {IMPORT, ROLLBACK, RULES, OVERRIDE, ACCOUNTS, ROUNDS, AUDIT, SUPERVISE}
PERMISSIONS: dict[str, frozenset[str]] = {
    LEADER: frozenset({VIEW_ALL, MEETING}),
    ANALYST: frozenset({VIEW_ALL, MEETING, EXPORT}),
    OFFICE: frozenset({VIEW_ALL, MEETING, EXPORT} | _OFFICE_ONLY),
    UNIT: frozenset({EXPORT, REPORT}),
    GUEST: frozenset({VIEW_ALL, MEETING, EXPORT}),
}

# The pages each role opens (app.py's page names); a page not listed is not in the role's menu and
# opening its URL gives the role's first page.
_VIEWS = ("light_board", "glance", "item", "progress", "water", "river_map", "score")
PAGES: dict[str, tuple[str, ...]] = {
    LEADER: (*_VIEWS, "meeting"),
    ANALYST: (*_VIEWS, "meeting"),
    OFFICE: (*_VIEWS, "meeting", "rounds", "data_admin", "accounts", "audit"),
    UNIT: (*_VIEWS, "report"),
    GUEST: (*_VIEWS, "meeting"),
}


class Forbidden(RiverBoardError):
    """An action refused to the role that asked (message in Chinese, for the page)."""


@dataclass(frozen=True)
class Principal:
    """Who is using the app on this session."""

    username: str
    name: str
    role: str
    unit_id: str | None = None  # a unit's own unit (required for the unit role)
    via: str = "local"  # local / sso / guest

    def __post_init__(self):
        if self.role not in PERMISSIONS:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == UNIT and not self.unit_id:
            raise ValueError("a unit account needs its unit")

    @property
    def label(self) -> str:
        """How the header names who is logged in: 区水务局（责任单位） · 张三."""
        return f"{self.name}（{ROLE_NAMES.get(self.role, '访客')}）"


GUEST_PRINCIPAL = Principal("guest", "访客", GUEST, via="guest")


def can(principal: Principal | None, action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return principal is not None and action in PERMISSIONS[principal.role]


def require(principal: Principal | None, action: str) -> Principal:
    """The principal when it may take the action; otherwise Forbidden, said in words."""
    if principal is None:
        raise Forbidden("请先登录")
    if not can(principal, action):
        raise Forbidden(f"{principal.label}无权{ACTION_NAMES[action]}")
    return principal


ACTION_NAMES = {VIEW_ALL: "查看其他单位的明细", MEETING: "进入会议模式", EXPORT: "导出", IMPORT: "导入和发布数据",
                ROLLBACK: "回退数据版本", RULES: "修改考核规则", OVERRIDE: "人工认定亮灯", ACCOUNTS: "管理账号",
                ROUNDS: "组织月报送", REPORT: "填报进展", AUDIT: "查看操作记录", SUPERVISE: "发督办通知或提醒函"}


def pages_for(principal: Principal | None) -> tuple[str, ...]:
    return PAGES[principal.role] if principal else ()


def scoped(principal: Principal, filters: Filters) -> Filters:
    """The filters a principal's views use: a unit always sees its own unit, whatever the link says."""
    if can(principal, VIEW_ALL):
        return filters
    return dataclasses.replace(filters, unit=principal.unit_id)


def may_see_unit(principal: Principal, unit_ids) -> bool:
    """Whether a row naming these units (lead and co-units) may be shown in detail to the principal."""
    if can(principal, VIEW_ALL):
        return True
    return principal.unit_id in {u for u in unit_ids if u}
