"""Mail already composed when a closure is declared (the SMTP server was down, or the digest
waited for its batch): at claim time a ladder notice of a closed unit's run is not sent during
the closure, and one whose deadline the closure moved is stale for good (its stage key names
the old due date); the ladder of the new deadline follows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.domain.notifications import MessageStatus, message_table
from chidao.notifications.deliver import deliver, smtp_mailer
from tests.integration.closure_helpers import KIENHAI, MAIL, NEIGHBOURS, declare, mailed, to_schools
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.cascade import at, issue_data, seed_units


def sweep_and_compose(engine, settings, moment: str) -> None:
    """Sweep and compose, the digests kept in the outbox (no SMTP server configured)."""
    from chidao.db.database import transaction
    from chidao.notifications.sweep import sweep

    with transaction(engine) as session:
        sweep(session, now=at(moment), calendar=vietnam_calendar(), send_at=settings.send_from)
    report = deliver(engine, now=at(moment), calendar=vietnam_calendar(), settings=settings,
                     mailer=None)
    assert report.formed and report.held.startswith("no SMTP server")


def queued(engine) -> int:
    m = message_table.c
    with engine.connect() as conn:
        return len(conn.execute(select(m.id).where(
            m.status == MessageStatus.QUEUED.value)).all())


def test_a_composed_urging_of_a_closed_unit_is_not_sent_during_the_closure(engine, smtp):
    seed_units(engine)
    issue_data(engine, to_schools("2026-03-10"), "2026-03-02T09:00")
    sweep_and_compose(engine, engine_settings(None), "2026-03-11T07:40")  # urging, +1
    assert queued(engine) >= len(KIENHAI + NEIGHBOURS)
    declare(engine, "2026-03-11T07:50", starts_on=date(2026, 3, 11), ends_on=date(2026, 3, 13))
    settings = engine_settings(smtp)
    deliver(engine, now=at("2026-03-11T08:00"), calendar=vietnam_calendar(),
            settings=settings, mailer=smtp_mailer(settings))
    assert {MAIL[s] for s in NEIGHBOURS} <= mailed(smtp)
    assert not mailed(smtp) & {MAIL[s] for s in KIENHAI + ["UBND-KIENHAI"]}
    assert queued(engine) == 0  # withdrawn, not left to go out on reopening


def test_a_composed_reminder_of_a_moved_deadline_is_stale_and_the_new_one_follows(
        engine, smtp):
    seed_units(engine)
    issue_data(engine, to_schools("2026-03-20"), "2026-03-02T09:00")
    sweep_and_compose(engine, engine_settings(None), "2026-03-11T07:40")  # -7 reminders
    declare(engine, "2026-03-11T07:50")  # 16–18/03: Kiên Hải's schools due 25/03
    settings = engine_settings(smtp)
    deliver(engine, now=at("2026-03-11T08:00"), calendar=vietnam_calendar(),
            settings=settings, mailer=smtp_mailer(settings))  # 11/03 is not a closed day
    assert {MAIL[s] for s in NEIGHBOURS} <= mailed(smtp)
    assert not mailed(smtp) & {MAIL[s] for s in KIENHAI}  # "hạn 20/03": stale
    smtp.received.clear()
    # Their next rung: -3 working days before 25/03 on their own calendar = Fri 20/03.
    tick(engine, settings, "2026-03-19T07:45")
    assert not mailed(smtp) & {MAIL[s] for s in KIENHAI}
    tick(engine, settings, "2026-03-20T07:45")
    fresh = [m for m in smtp.received if set(m.rcpt_tos) & {MAIL[s] for s in KIENHAI}]
    assert {r for m in fresh for r in m.rcpt_tos} == {MAIL[s] for s in KIENHAI}
    assert all("Hạn: 25/03/2026" in m.text and "Hạn: 20/03/2026" not in m.text
               for m in fresh)
