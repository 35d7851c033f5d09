"""One bad address never stops, loops or hijacks anyone's mail: an address stored before they
were checked fails its own message; what reaches the SMTP server carries no injected header or
recipient; repeated deliveries never send a message twice."""

import asyncio
from collections import Counter

from sqlalchemy import select, update

from chidao.db.database import transaction
from chidao.domain.notifications import MAX_ATTEMPTS, MessageStatus, message_table
from chidao.domain.units import unit_table
from chidao.notifications.mailer import Envelope, Outcome, SmtpMailer
from chidao.notifications.outbox import ABANDONED
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.cascade import T0, at, seed_many_schools

BAD = {  # as an operator's old database may hold them
    "T000": "t000@truong.edu.vn\r\nreply-to: ke-gian@gian.vn",
    "T001": "t001@truong.edu.vn, ke-gian@gian.vn",
    "T002": "trường@truong.edu.vn",
    "T003": "t003\x00@truong.edu.vn",
}
GOOD = 4  # T004…T007


def store_addresses(engine, addresses: dict[str, str]) -> None:
    with transaction(engine) as session:
        for code, address in addresses.items():
            session.execute(update(unit_table).where(unit_table.c.code == code)
                            .values(emails=[address]))


def outcomes(engine) -> dict[str, tuple[str, str]]:
    """Each school's message: (status, last_error), by the school's code."""
    m, u = message_table.c, unit_table.c
    with engine.connect() as conn:
        return {code: (status, error) for code, status, error in conn.execute(
            select(u.code, m.status, m.last_error).join(unit_table, u.id == m.to_unit_id))}


def test_a_bad_stored_address_fails_only_its_own_message(engine, smtp):
    seed_many_schools(engine, len(BAD) + GOOD)
    store_addresses(engine, BAD)
    report = tick(engine, engine_settings(smtp), T0)
    assert (report.sent, report.failed) == (GOOD, len(BAD))
    found = outcomes(engine)
    for code in BAD:
        status, error = found[code]
        assert status == MessageStatus.FAILED.value and f"unit {code}:" in error
    assert "Internationalized characters" in found["T002"][1]
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [
        f"t{i:03d}@truong.edu.vn" for i in range(len(BAD), len(BAD) + GOOD)]


def test_no_injected_header_or_recipient_reaches_the_server(engine, smtp):
    seed_many_schools(engine, len(BAD) + GOOD)
    store_addresses(engine, BAD | {"T004": "T004@Truong.EDU.vn"})  # valid, not normalised
    tick(engine, engine_settings(smtp), T0)
    assert len(smtp.received) == GOOD
    for received in smtp.received:
        assert b"gian.vn" not in received.raw and b"reply-to" not in received.raw.lower()
        assert received.rcpt_tos == [str(received.message["To"])]
        assert len(received.message.get_all("To")) == 1
    assert "t004@truong.edu.vn" in {r.rcpt_tos[0] for r in smtp.received}


def compose_then_corrupt(engine, smtp, recipients: dict[str, list[str]]) -> None:
    """Messages composed by an earlier version, their stored recipients never checked."""
    tick(engine, engine_settings(None), T0)  # no SMTP server: composed, kept in the outbox
    m, u = message_table.c, unit_table.c
    with transaction(engine) as session:
        for code, bad in recipients.items():
            unit_id = session.execute(select(u.id).where(u.code == code)).scalar_one()
            session.execute(update(message_table).where(m.to_unit_id == unit_id)
                            .values(recipients=bad))


STORED_BAD = {"T000": ["trường@truong.edu.vn"], "T001": ["t001\x00@truong.edu.vn"],
              "T002": ["t002@truong.edu.vn\r\nRSET"], "T003": ["t003@truong.edu.vn,x@gian.vn"]}


def test_a_message_that_cannot_be_sent_fails_alone_and_its_batch_goes_on(engine, smtp):
    seed_many_schools(engine, 40)
    compose_then_corrupt(engine, smtp, STORED_BAD)
    report = tick(engine, engine_settings(smtp, deliver_batch=10), T0)
    assert (report.sent, report.failed) == (36, 4)
    found = outcomes(engine)
    assert {found[code][0] for code in STORED_BAD} == {MessageStatus.FAILED.value}
    assert all("not a valid email address" in found[code][1] for code in STORED_BAD)
    assert len({r.header_id for r in smtp.received}) == len(smtp.received) == 36


def test_repeated_deliveries_never_send_twice_nor_retry_a_failed_message(engine, smtp):
    """`chidao worker` runs deliver every 2 minutes, each run past the claims of the last."""
    seed_many_schools(engine, 40)
    compose_then_corrupt(engine, smtp, STORED_BAD)
    settings = engine_settings(smtp, deliver_batch=10, claim_lease_seconds=60)
    errors = []
    for minute in range(0, 40, 2):
        try:
            tick(engine, settings, f"2026-03-03T09:{minute:02d}")
        except Exception as exc:  # the worker logs a failed run and carries on
            errors.append(exc)
    copies = Counter(r.header_id for r in smtp.received)
    assert len(copies) == 36 and set(copies.values()) == {1}
    assert errors == []
    statuses = Counter(status for status, _ in outcomes(engine).values())
    assert statuses == {MessageStatus.SENT.value: 36, MessageStatus.FAILED.value: 4}


def test_the_mailer_turns_what_aiosmtplib_raises_into_that_message_outcome(smtp):
    """Below the deliver's own check: what aiosmtplib refuses (non-ASCII without SMTPUTF8,
    NUL) fails that message, and the connection serves the next one."""
    data = b"Subject: x\r\n\r\nx\r\n"

    async def run() -> list[Outcome]:
        async with SmtpMailer("127.0.0.1", smtp.port, concurrency=1) as mailer:
            return [(await mailer.send(Envelope("a@chidao.vn", [to], data))).outcome
                    for to in ("trường@x.edu.vn", "a\x00b@x.edu.vn", "ok@x.edu.vn")]

    assert asyncio.run(run()) == [Outcome.PERMANENT, Outcome.PERMANENT, Outcome.SENT]
    assert [r.rcpt_tos for r in smtp.received] == [["ok@x.edu.vn"]]


def test_a_message_whose_worker_died_each_time_is_given_up_not_sent_forever(engine, smtp):
    """A take-over of a dead worker's claim counts as an attempt (after the last, it stops)."""
    seed_many_schools(engine, 3)
    compose_then_corrupt(engine, smtp, {})
    m, u = message_table.c, unit_table.c
    with transaction(engine) as session:
        for code, attempts in (("T000", MAX_ATTEMPTS - 1), ("T001", MAX_ATTEMPTS)):
            unit_id = session.execute(select(u.id).where(u.code == code)).scalar_one()
            session.execute(update(message_table).where(m.to_unit_id == unit_id).values(
                status=MessageStatus.SENDING.value, claimed_by="dead:1", attempts=attempts,
                claimed_until=at("2026-03-03T08:00")))
    report = tick(engine, engine_settings(smtp), T0)
    assert (report.sent, report.failed) == (2, 0)
    found = outcomes(engine)
    assert found["T000"][0] == MessageStatus.SENT.value
    assert found["T001"] == (MessageStatus.FAILED.value, ABANDONED)
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["t000@truong.edu.vn",
                                                            "t002@truong.edu.vn"]
