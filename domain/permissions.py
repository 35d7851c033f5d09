"""Who may do what: one table from role to actions, checked by the use cases (web, API).

- staff (chuyên viên / giáo viên): receive and submit the own unit's runs;
- head (lãnh đạo đơn vị): also issue directives, accept or return handed-in runs, extend
  deadlines, for the own unit; declare or lift a closure (nghỉ học / nghỉ làm việc) for the
  own unit's subtree; put people of the own unit on its runs (giao việc trong đơn vị);
- admin (quản trị): everything a head may, manage the unit's users and their sessions, and
  import units into the own subtree.

Where an action happens (own unit, issuer) is checked next to it; this table says only
whether the role may do it at all. The CLI is the operator's tool (whoever runs it holds the
database): it acts as OPERATOR."""

from __future__ import annotations

from enum import StrEnum

from .accounts import Role


class Action(StrEnum):
    RECEIVE = "receive"
    SUBMIT = "submit"
    REVIEW = "review"  # accept or return a handed-in run
    EXTEND = "extend"
    CLOSE = "close"  # declare or lift a closure (nghỉ học / nghỉ làm việc) for a subtree
    ISSUE = "issue"
    MANAGE_USERS = "manage_users"
    MANAGE_UNITS = "manage_units"  # import units into the own subtree
    ASSIGN = "assign"  # put people of the unit on its runs (chủ trì, phối hợp, để biết)


_STAFF = frozenset({Action.RECEIVE, Action.SUBMIT})
_HEAD = _STAFF | {Action.REVIEW, Action.EXTEND, Action.ISSUE, Action.CLOSE, Action.ASSIGN}
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.STAFF: _STAFF, Role.HEAD: _HEAD,
    Role.ADMIN: _HEAD | {Action.MANAGE_USERS, Action.MANAGE_UNITS},
}
OPERATOR = Role.ADMIN

_DENIED = {
    Action.RECEIVE: "tiếp nhận nhiệm vụ", Action.SUBMIT: "nộp báo cáo",
    Action.REVIEW: "duyệt hoặc trả lại báo cáo", Action.EXTEND: "gia hạn",
    Action.ISSUE: "ban hành văn bản", Action.MANAGE_USERS: "quản lý tài khoản",
    Action.CLOSE: "công bố hoặc hủy lịch nghỉ học / nghỉ làm việc",
    Action.MANAGE_UNITS: "cập nhật danh sách đơn vị",
    Action.ASSIGN: "giao việc trong đơn vị",
}


class NotPermitted(PermissionError):
    """The role may not do this action (a 403 on the web and the API)."""

    def __init__(self, role: Role, action: Action) -> None:
        self.role, self.action = role, action
        super().__init__(f"Vai trò '{role.value}' không có quyền {_DENIED[action]}"
                         " (cần lãnh đạo đơn vị hoặc quản trị)")


def may(role: Role | str, action: Action) -> bool:
    return action in PERMISSIONS.get(Role(role), frozenset())


def require(role: Role | str, action: Action) -> None:
    if not may(role, action):
        raise NotPermitted(Role(role), action)
