"""Assignment status: a StrEnum and the explicit table of allowed transitions."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    ISSUED = "issued"
    RECEIVED = "received"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"
    WAIVED = "waived"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in CLOSED

    @property
    def awaits_unit(self) -> bool:
        """The unit still owes work: the deadline engine watches these."""
        return self in AWAITING_UNIT


STATUS_LABELS: dict[Status, str] = {
    Status.ISSUED: "chưa tiếp nhận",
    Status.RECEIVED: "đã tiếp nhận",
    Status.SUBMITTED: "đã nộp",
    Status.RETURNED: "trả lại",
    Status.ACCEPTED: "đã hoàn thành",
    Status.CANCELLED: "thu hồi",
    Status.WAIVED: "miễn thực hiện",
}

CLOSED = frozenset({Status.ACCEPTED, Status.CANCELLED, Status.WAIVED})
AWAITING_UNIT = frozenset({Status.ISSUED, Status.RECEIVED, Status.RETURNED})

_ABANDON = frozenset({Status.CANCELLED, Status.WAIVED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.ISSUED: frozenset({Status.RECEIVED}) | _ABANDON,
    Status.RECEIVED: frozenset({Status.SUBMITTED}) | _ABANDON,
    Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.RETURNED}) | _ABANDON,
    Status.RETURNED: frozenset({Status.SUBMITTED}) | _ABANDON,
    Status.ACCEPTED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.WAIVED: frozenset(),
}

# Who may move an assignment into a status: its own unit, or the unit that issued the directive.
BY_ASSIGNEE = frozenset({Status.RECEIVED, Status.SUBMITTED})
BY_ISSUER = frozenset({Status.ACCEPTED, Status.RETURNED, Status.CANCELLED, Status.WAIVED})
# A status change that must say why.
NEEDS_REASON = frozenset({Status.RETURNED, Status.CANCELLED, Status.WAIVED})


def can_transition(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]
