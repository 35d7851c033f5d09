"""The reminder ladder and the pure decision of which stage a run owes at `now`."""

from dataclasses import dataclass
from datetime import date, time
from itertools import islice

import pytest

from chidao.domain.calendar import WorkingCalendar
from chidao.domain.policy import (
    Audience,
    NotificationKind,
    PolicySpec,
    audience_unit,
    decide,
    digest_items,
    in_sending_hours,
    is_stale,
    kind_on,
    ladder,
    merge_policies,
)
from chidao.domain.status import Status
from chidao.notifications.context import deadline_phrase
from tests.support.cascade import at

cal = WorkingCalendar()
DUE = date(2026, 3, 19)  # Thursday
CREATED = at("2026-02-26T09:00")
SEND_AT = time(7, 30)


def stages(policy: PolicySpec, n: int) -> list[tuple[str, str]]:
    it = islice(ladder(DUE, CREATED, policy, cal, SEND_AT), n)
    return [(s.key, f"{s.fire_at.astimezone(cal.tz):%d/%m %H:%M}") for s in it]


def test_default_ladder_fires_on_working_days_at_half_past_seven():
    assert stages(PolicySpec(), 10) == [
        ("issued", "26/02 09:00"), ("2026-03-19/d-7", "10/03 07:30"),
        ("2026-03-19/d-3", "16/03 07:30"), ("2026-03-19/d-1", "18/03 07:30"),
        ("2026-03-19/d+0", "19/03 07:30"), ("2026-03-19/d+1", "20/03 07:30"),
        ("2026-03-19/d+3", "24/03 07:30"), ("2026-03-19/d+7", "30/03 07:30"),
        ("2026-03-19/d+12", "06/04 07:30"), ("2026-03-19/d+17", "13/04 07:30")]


def test_audiences_climb_the_chain():
    by_key = {s.key: s for s in islice(ladder(DUE, CREATED, PolicySpec(), cal, SEND_AT), 9)}
    assert (by_key["2026-03-19/d+1"].to, by_key["2026-03-19/d+1"].cc) == (
        Audience.UNIT, Audience.PARENT)
    assert by_key["2026-03-19/d+3"].to is Audience.PARENT
    assert by_key["2026-03-19/d+7"].to is Audience.GRANDPARENT
    assert by_key["2026-03-19/d+12"].kind is NotificationKind.ESCALATION


def test_a_reminder_over_tet_counts_working_days():
    due = date(2026, 2, 24)  # Tuesday after Tết
    keys = {s.key: s.fire_at for s in islice(ladder(due, CREATED, PolicySpec(), cal, SEND_AT), 4)}
    # 23/02 is one working day before, then Tết: 13/02 is two, 12/02 three.
    assert keys["2026-02-24/d-3"].astimezone(cal.tz).date() == date(2026, 2, 12)


def test_machine_off_for_days_sends_only_the_latest_due_stage():
    decision = decide(DUE, CREATED, at("2026-02-26T09:00"), PolicySpec(), cal, SEND_AT,
                      at("2026-03-25T10:00"))
    assert decision.send is not None and decision.send.key == "2026-03-19/d+3"
    assert decision.next_action_at == at("2026-03-30T07:30")


def test_nothing_is_due_twice():
    first = decide(DUE, CREATED, None, PolicySpec(), cal, SEND_AT, at("2026-03-16T08:00"))
    again = decide(DUE, CREATED, first.cursor, PolicySpec(), cal, SEND_AT,
                   at("2026-03-16T15:00"))
    assert first.send is not None and first.send.key == "2026-03-19/d-3"
    assert again.send is None and again.next_action_at == at("2026-03-18T07:30")


def test_before_the_first_stage_nothing_is_sent():
    decision = decide(DUE, CREATED, at("2026-02-26T09:00"), PolicySpec(), cal, SEND_AT,
                      at("2026-03-10T07:29"))
    assert decision.send is None and decision.next_action_at == at("2026-03-10T07:30")


def test_a_moved_deadline_moves_the_ladder_and_skips_what_already_passed():
    cursor = at("2026-03-20T07:30")  # the overdue notice for 19/03 went out
    decision = decide(date(2026, 3, 31), CREATED, cursor, PolicySpec(), cal, SEND_AT,
                      at("2026-03-20T10:00"))
    assert decision.send is None
    assert decision.next_action_at == at("2026-03-26T07:30")  # d-3 of the new deadline


def test_overrides_shape_the_ladder_and_stop_repeating():
    policy = PolicySpec.model_validate(merge_policies(
        {"before": [5], "repeat_every": 0}, {"escalate_grandparent_after": None}))
    assert [k for k, _ in stages(policy, 20)] == [
        "issued", "2026-03-19/d-5", "2026-03-19/d+0", "2026-03-19/d+1", "2026-03-19/d+3"]
    last = decide(DUE, CREATED, None, policy, cal, SEND_AT, at("2026-04-30T10:00"))
    assert last.send is not None and last.next_action_at is None


@pytest.mark.parametrize(("moment", "expected"), [
    ("2026-03-16T07:29", False), ("2026-03-16T07:30", True), ("2026-03-16T17:29", True),
    ("2026-03-16T17:30", False), ("2026-03-15T09:00", False),  # Sunday
    ("2026-02-18T09:00", False),  # Tết
    ("2026-08-22T09:00", True),  # a working Saturday (swap day)
])
def test_sending_hours(moment: str, expected: bool):
    assert in_sending_hours(at(moment), cal, time(7, 30), time(17, 30)) is expected


# Who is told, and what a digest keeps: the issuer caps escalation; events are never replaced.
SCHOOL, COMMUNE, SO, BO = 4, 3, 2, 1


@pytest.mark.parametrize(("issuer", "audience", "expected"), [
    (SO, Audience.PARENT, COMMUNE), (SO, Audience.GRANDPARENT, SO),  # Sở's directive to schools
    (COMMUNE, Audience.PARENT, COMMUNE), (COMMUNE, Audience.GRANDPARENT, COMMUNE),  # commune's
    (BO, Audience.GRANDPARENT, SO),  # the issuer is above the grandparent: no cap needed
    (SO, Audience.UNIT, SCHOOL),
])
def test_escalation_never_goes_above_the_issuer(issuer, audience, expected):
    assert audience_unit(audience, SCHOOL, COMMUNE, SO, issuer) == expected


def test_a_commune_late_on_the_sở_deadline_is_never_reported_to_the_bộ():
    commune, so, bo = 3, 2, 1
    assert audience_unit(Audience.PARENT, commune, so, bo, so) == so
    assert audience_unit(Audience.GRANDPARENT, commune, so, bo, so) == so
    assert audience_unit(Audience.GRANDPARENT, so, bo, None, bo) == bo  # top of the tree
    assert audience_unit(Audience.PARENT, bo, None, None, bo) is None


@dataclass(frozen=True)
class Notice:
    assignment_id: int
    kind: str
    label: str = ""


def test_a_newer_reminder_replaces_an_older_one_but_never_a_return_or_acceptance():
    returned = Notice(1, "returned", "Friday's return with its reason")
    kept = digest_items([
        Notice(1, "reminder", "d-1"), returned, Notice(1, "due_today", "d+0"),
        Notice(2, "issued"), Notice(2, "reminder"), Notice(2, "accepted"),
        Notice(3, "overdue_copy"), Notice(3, "escalation")])
    assert [(n.assignment_id, n.kind) for n in kept] == [
        (1, "returned"), (1, "due_today"), (2, "issued"), (2, "reminder"), (2, "accepted"),
        (3, "escalation")]
    assert returned in kept


@pytest.mark.parametrize(("kind", "stage", "status", "stale"), [
    ("overdue", "2026-03-19/d+1", Status.RECEIVED, False),
    ("overdue", "2026-03-19/d+1", Status.RETURNED, False),  # the unit owes it again
    ("overdue", "2026-03-19/d+1", Status.SUBMITTED, True),
    ("overdue_copy", "2026-03-19/d+1/cc", Status.ACCEPTED, True),
    ("escalation", "2026-03-19/d+7", Status.CANCELLED, True),
    ("reminder", "2026-03-19/d-3", Status.WAIVED, True),
    ("reminder", "2026-03-12/d-3", Status.RECEIVED, True),  # the deadline moved since
    ("issued", "issued", Status.CANCELLED, True),
    ("issued", "issued", Status.ISSUED, False),
    ("returned", "returned@2026-03-13T10:50:00+00:00", Status.SUBMITTED, False),
    ("accepted", "accepted@2026-03-13T10:50:00+00:00", Status.ACCEPTED, False),
])
def test_what_goes_stale_when_the_run_moves_on(kind, stage, status, stale):
    assert is_stale(kind, stage, status, DUE) is stale


@pytest.mark.parametrize(("kind", "today", "expected"), [
    ("reminder", date(2026, 3, 18), "reminder"),
    ("reminder", DUE, "due_today"),  # a d-1 reminder that goes out on the due day
    ("due_today", date(2026, 3, 20), "overdue"),
    ("overdue", date(2026, 3, 20), "overdue"), ("returned", DUE, "returned"),
])
def test_a_reminder_is_worded_for_the_day_it_is_sent(kind, today, expected):
    assert kind_on(kind, DUE, today) == expected


@pytest.mark.parametrize(("today", "phrase"), [
    (date(2026, 3, 16), "Còn 3 ngày làm việc"), (date(2026, 3, 18), "Còn 1 ngày làm việc"),
    (DUE, "Hôm nay là hạn chót"), (date(2026, 3, 23), "Đã quá hạn 2 ngày làm việc"),
])
def test_deadline_wording_never_says_zero_days_left(today, phrase):
    assert deadline_phrase(DUE, today, cal) == phrase
