"""What a calendar feed says of one open run, decided without I/O: the run as the feed shows
it, the moments its reminders ring (the reminder ladder's rungs up to the due day, on the
unit's own working calendar, at the ladder's send time) and its version (SEQUENCE).
chidao.files.ics_feed writes it as iCalendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from .calendar import WorkingCalendar
from .people import HolderRole
from .policy import NotificationKind, PolicySpec
from .status import Status


@dataclass(frozen=True)
class FeedRun:
    """One open run as a feed lists it; for a person's feed, with their hold on it."""

    assignment_id: int
    unit_id: int
    unit_name: str
    requirement_title: str
    directive_number_symbol: str
    directive_title: str
    issuer_name: str
    status: Status
    due_on: date  # the unit's deadline
    period: str
    policy: PolicySpec
    created_at: datetime
    changed_at: datetime  # the last event of the run (status or deadline), else created_at
    deadline_moves: int  # events that moved the deadline (status unchanged)
    holder_role: HolderRole | None = None
    holder_due_on: date | None = None  # the person's own deadline, None = the unit's
    holder_since: datetime | None = None
    holder_rows: int = 0  # the person's rows on the run, removed ones too

    @property
    def due(self) -> date:
        """The day the feed shows: the person's own deadline when set, else the unit's."""
        return self.holder_due_on or self.due_on

    @property
    def sequence(self) -> int:
        """RFC 5545 SEQUENCE: grows each time the deadline moves (and, on a person's feed,
        each time the person is put on the run again, which is how a personal deadline
        changes); never goes down, so a calendar keeps the newest copy."""
        return self.deadline_moves + max(self.holder_rows - 1, 0)

    @property
    def last_modified(self) -> datetime:
        if self.holder_since is not None and self.holder_since > self.changed_at:
            return self.holder_since
        return self.changed_at


@dataclass(frozen=True)
class Reminder:
    offset: int  # working days from the due day: -3 = three working days before, 0 = on it
    at: datetime  # aware UTC

    @property
    def words(self) -> str:
        if self.offset == 0:
            return "Hôm nay là hạn chót"
        return f"Còn {-self.offset} ngày làm việc đến hạn"


def reminders(due_on: date, policy: PolicySpec, cal: WorkingCalendar, send_at: time, *,
              after: datetime) -> list[Reminder]:
    """The ladder's reminders before and on the due day (what the unit itself is sent: the
    urgings after the deadline are mail, not a calendar alarm), counted in working days on
    `cal` (the unit's calendar, closures included), at `send_at` local time; only those
    after `after` (a moment already past would ring at once on a phone adding the feed)."""
    found = []
    for rung in policy.rungs():
        if rung.offset > 0 or rung.kind not in (NotificationKind.REMINDER,
                                                 NotificationKind.DUE_TODAY):
            continue
        moment = cal.at_local(cal.add_working_days(due_on, rung.offset), send_at)
        if moment > after:
            found.append(Reminder(rung.offset, moment))
    return found


def rings(role: HolderRole | None) -> bool:
    """Whether a run rings on this feed: always on a unit's; on a person's, for the lead and
    the co-operators, not for one who holds it only to know (để biết)."""
    return role is not HolderRole.WATCH
