"""A calendar feed as iCalendar (RFC 5545), written with the `icalendar` library.

Each open run is one all-day event on its due day: a deadline ends at the end of that day in
Vietnam (chidao.domain.calendar.end_of_day), and an all-day DATE has no time zone, so Google
Calendar, Apple Calendar and Outlook show it on the same day wherever the phone is. The
reminders are VALARMs with absolute UTC triggers (TRIGGER;VALUE=DATE-TIME:…Z): the ladder's
send time in Vietnam, the same instant on every client. A run's UID is stable (per run, and
per person on a person's feed); SEQUENCE and LAST-MODIFIED grow when its deadline moves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vDuration

from ..domain.calendar import WorkingCalendar
from ..domain.feed_events import FeedRun, reminders, rings

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//chidao//Lich han nhiem vu//VI"
REFRESH = timedelta(hours=1)  # how often a client is asked to fetch the feed again


@dataclass(frozen=True)
class FeedOwner:
    """Whose feed: a unit's (user_id None) or a person's."""

    name: str  # "Trường Mầm non Hòn Tre" / "Lê Thị Ngọc Hân"
    unit_name: str
    user_id: int | None = None

    @property
    def title(self) -> str:
        if self.user_id is None:
            return f"Hạn nhiệm vụ – {self.name}"
        return f"Hạn nhiệm vụ của {self.name} ({self.unit_name})"


@dataclass(frozen=True)
class FeedSite:
    public_url: str  # the dashboard: each event links to its task there
    uid_domain: str  # the right-hand side of the UIDs (CHIDAO_MAIL_DOMAIN)
    send_at: time  # the ladder's send time (CHIDAO_SEND_FROM)


def feed_ics(owner: FeedOwner, runs: Sequence[FeedRun], calendars: Mapping[int, WorkingCalendar],
             site: FeedSite, *, now: datetime) -> bytes:
    """The feed's bytes (UTF-8, CRLF lines folded at 75 octets by the library)."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("name", owner.title)
    feed.add("x-wr-calname", owner.title)
    feed.add("x-wr-caldesc", "Các nhiệm vụ còn mở và hạn nộp, từ chidao")
    feed.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))  # Outlook's name of it
    for run in runs:
        feed.add_component(_event(owner, run, calendars[run.unit_id], site, now))
    return bytes(feed.to_ical())


def summary(run: FeedRun) -> str:
    return f"Hạn nộp: {run.requirement_title} ({run.directive_number_symbol})"


def task_link(public_url: str, assignment_id: int) -> str:
    return f"{public_url.rstrip('/')}/assignments/{assignment_id}"


def _event(owner: FeedOwner, run: FeedRun, cal: WorkingCalendar, site: FeedSite,
           now: datetime) -> Event:
    event = Event()
    person = f"-user-{owner.user_id}" if owner.user_id is not None else ""
    event.add("uid", f"chidao-run-{run.assignment_id}{person}@{site.uid_domain}")
    event.add("dtstamp", now)
    event.add("created", run.created_at)
    event.add("last-modified", run.last_modified)
    event.add("sequence", run.sequence)
    event.add("dtstart", run.due)
    event.add("dtend", run.due + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("status", "CONFIRMED")
    event.add("summary", summary(run))
    event.add("description", _description(run, site.public_url))
    event.add("url", task_link(site.public_url, run.assignment_id))
    if rings(run.holder_role):
        for reminder in reminders(run.due, run.policy, cal, site.send_at, after=now):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{reminder.words}: {summary(run)}")
            alarm.add("trigger", reminder.at, parameters={"VALUE": "DATE-TIME"})
            event.add_component(alarm)
    return event


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _description(run: FeedRun, public_url: str) -> str:
    lines = [f"Nhiệm vụ: {run.requirement_title}",
             f"Văn bản: {run.directive_number_symbol} – {run.directive_title}"
             f" ({run.issuer_name})",
             f"Đơn vị thực hiện: {run.unit_name}",
             f"Trạng thái: {run.status.label}"]
    if run.period:
        lines.append(f"Kỳ báo cáo: {run.period}")
    if run.holder_role is not None:
        lines.append(f"Vai trò của bạn: {run.holder_role.label}")
    if run.holder_due_on is not None:
        lines.append(f"Hạn của bạn: hết ngày {_day(run.holder_due_on)};"
                     f" hạn của đơn vị: hết ngày {_day(run.due_on)} (giờ Việt Nam)")
    else:
        lines.append(f"Hạn: hết ngày {_day(run.due_on)} (trước 24 giờ, giờ Việt Nam)")
    lines.append(f"Xem và nộp: {task_link(public_url, run.assignment_id)}")
    return "\n".join(lines)
