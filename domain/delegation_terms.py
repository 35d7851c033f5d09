"""The rules of a delegation (ủy quyền) that need no database: how it signs (KT. ký thay,
Q. quyền), the rights it may lend, its date range, the words pages and the audit use.

chidao.services.delegations applies them with the users and the delegations stored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .accounts import Role
from .errors import InvalidInput
from .people import Delegation, delegation_live
from .permissions import PERMISSIONS, Action

TITLES = ("KT.", "Q.")
TITLE_WORDS = {"KT.": "ký thay", "Q.": "quyền"}
MAX_DAYS = 366  # a delegation covers at most a year (inclusive days)
REASON_MAX_CHARS = 500

# What a right lets the delegate do, as the form's checkboxes and the audit say it.
ACTION_LABELS: dict[str, str] = {
    Action.RECEIVE.value: "Tiếp nhận nhiệm vụ",
    Action.SUBMIT.value: "Nộp báo cáo",
    Action.REVIEW.value: "Chấp nhận hoặc trả lại báo cáo",
    Action.EXTEND.value: "Gia hạn",
    Action.CLOSE.value: "Công bố, hủy lịch nghỉ",
    Action.ISSUE.value: "Ban hành văn bản",
    Action.MANAGE_USERS.value: "Quản lý tài khoản",
    Action.MANAGE_UNITS.value: "Cập nhật danh sách đơn vị",
    "assign": "Giao việc cho cán bộ (chủ trì, phối hợp, để biết)",  # (the people helper's)
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def role_actions(role: Role | str) -> list[Action]:
    """The rights a role holds, in the order of the Action enum (what a form offers)."""
    held = PERMISSIONS.get(Role(role), frozenset())
    return [a for a in Action if a in held]


def checked_title(title: str) -> str:
    """"KT." or "Q." ("kt", "KT", "q." accepted); InvalidInput("title") otherwise."""
    cleaned = title.strip().upper().rstrip(".")
    for known in TITLES:
        if cleaned == known.rstrip("."):
            return known
    raise InvalidInput("title", f"'{title}' không phải KT. (ký thay) hoặc Q. (quyền)")


def checked_actions(actions: Iterable[str], giver_role: Role | str,
                    receiver_role: Role | str) -> list[str]:
    """The rights lent, as stored: [] lends every right of the giver. Each must be a right
    the giver holds; at least one must be a right the receiver lacks (else it lends
    nothing)."""
    wanted = sorted({a.strip() for a in actions if a.strip()})
    known = {a.value for a in Action}
    held = {a.value for a in role_actions(giver_role)}
    for action in wanted:
        if action not in known:
            raise InvalidInput("actions", f"'{action}' không phải một quyền; các quyền: "
                                          + ", ".join(sorted(known)))
        if action not in held:
            raise InvalidInput("actions", f"người ủy quyền không có quyền "
                                          f"“{action_label(action)}” để ủy quyền")
    lent = set(wanted) or held
    own = {a.value for a in role_actions(receiver_role)}
    if lent <= own:
        raise InvalidInput("actions", "người được ủy quyền đã có sẵn các quyền này:"
                                      " ủy quyền không thêm quyền nào")
    return wanted


def checked_range(starts_on: date, ends_on: date, today: date) -> None:
    """Starts today or later, ends on or after the start, at most MAX_DAYS days long."""
    if starts_on < today:
        raise InvalidInput("starts_on", f"ngày bắt đầu {starts_on:%d/%m/%Y} đã qua"
                                        f" (hôm nay {today:%d/%m/%Y})")
    if ends_on < starts_on:
        raise InvalidInput("ends_on", f"ngày kết thúc {ends_on:%d/%m/%Y} trước ngày bắt đầu"
                                      f" {starts_on:%d/%m/%Y}")
    if ends_on - starts_on >= timedelta(days=MAX_DAYS):
        raise InvalidInput("ends_on", f"ủy quyền dài nhất {MAX_DAYS} ngày"
                                      f" (đã chọn {(ends_on - starts_on).days + 1} ngày)")


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def state_label(delegation: Delegation, today: date) -> str:
    """"đang hiệu lực", "chưa bắt đầu", "đã hết hạn" or "đã thu hồi"."""
    if delegation.revoked_at is not None:
        return "đã thu hồi"
    if delegation_live(delegation, today):
        return "đang hiệu lực"
    return "chưa bắt đầu" if today < delegation.starts_on else "đã hết hạn"


def rights_words(actions: list[str]) -> str:
    """"mọi quyền của đơn vị" for [], else the labels joined."""
    if not actions:
        return "mọi quyền"
    return ", ".join(action_label(a).lower() for a in actions)
