"""What a sweep and a delivery at a moment T would send, without writing anything.

The real pipeline runs, step for step, in ONE transaction that is always rolled back: the sweep
(`sweep`) writes the notifications due at T, the outbox groups them (`form_messages`), each new
digest is loaded and rendered as `deliver.compose` does (`load_outgoing`, the same
`_composed`), then the due digests are claimed as `deliver.send` claims them (`claim_fresh`:
stale lines withdrawn, digests already queued and due by T included). The claimed envelopes'
bytes are what SMTP would be given; the preview parses them and lets the transaction go.

Locks, while the preview runs (its duration: a few hundred milliseconds on the demo; about
what a sweep plus composing takes at scale, see README):
- SQLite: the transaction is BEGIN IMMEDIATE (it writes), so other writers (a real sweep, a
  form) wait behind `busy_timeout` until the rollback; readers never wait (WAL).
- PostgreSQL: the rows a sweeper and a deliverer would take are locked; a real sweep or
  delivery running meanwhile does not wait (its selects SKIP LOCKED): it takes those runs and
  digests on its next pass. `lock_timeout` caps what the preview itself waits for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage

from sqlalchemy import Engine, select
from sqlmodel import Session

from ..config.settings import Settings
from ..domain.accounts import User
from ..domain.calendar import WorkingCalendar
from ..domain.notifications import MessageStatus, message_table
from ..domain.policy import in_sending_hours
from ..domain.units import unit_table
from .deliver import COMPOSE_CHUNK, _composed
from .freshness import claim_fresh, withdraw
from .loading import load_outgoing
from .outbox import Claimed, form_messages, store_rendered, unrendered
from .render import sender_address
from .sweep import sweep

_m, _u = message_table.c, unit_table.c
LOCK_TIMEOUT = "5s"  # PostgreSQL: the longest the preview waits for a row lock


@dataclass(frozen=True)
class Mail:
    """One email as SMTP would be given it."""

    to_unit: str  # the recipient unit's code
    to_unit_name: str
    subject: str
    sender: str  # the From header
    to: str  # the To header
    cc: str  # the Cc header ("" = none)
    envelope_to: list[str]  # RCPT TO: the To then the Cc addresses
    text: str
    html: str
    message_id: str  # of a new digest: made afresh by each preview and by the real delivery
    date: str
    raw: bytes  # the bytes SMTP would receive
    units: frozenset[str] = frozenset()  # every unit it is addressed to (its people's too)


@dataclass
class Preview:
    at: datetime
    swept: bool
    notifications: int = 0  # written by the sweep at T
    held: str = ""  # why nothing would be sent at T
    mails: list[Mail] = field(default_factory=list)

    def by_recipient(self) -> dict[str, list[Mail]]:
        """The mails grouped per recipient (the To header), recipients in order."""
        grouped: dict[str, list[Mail]] = {}
        for mail in sorted(self.mails, key=lambda m: (m.to, m.subject)):
            grouped.setdefault(mail.to, []).append(mail)
        return grouped


def preview_mail(engine: Engine, *, at: datetime, calendar: WorkingCalendar,
                 settings: Settings, send_at: time, sweep_first: bool = True) -> Preview:
    """The mail a sweep (unless `sweep_first` is False: a delivery alone) and a delivery at `at`
    would send; nothing is written."""
    result = Preview(at=at, swept=sweep_first)
    with discarded(engine) as session:
        if sweep_first:
            result.notifications = len(sweep(session, now=at, calendar=calendar,
                                             send_at=send_at).notifications)
        if not in_sending_hours(at, calendar, settings.send_from, settings.send_until):
            result.held = "outside sending hours (working days only)"
            return result
        form_messages(session, now=at, domain=settings.mail_domain)
        _compose(session, at=at, calendar=calendar, settings=settings)
        claimed = _claim_all(session, at=at, settings=settings)
        units = _addressed_units(session, [c.id for c in claimed])
    result.mails = [_mail(c, units.get(c.id, ("", "", frozenset()))) for c in claimed]
    return result


@contextmanager
def discarded(engine: Engine) -> Iterator[Session]:
    """A session whose transaction is always rolled back, whatever the block does."""
    with Session(engine, expire_on_commit=False) as session:
        session.begin()
        try:
            if engine.dialect.name == "postgresql":
                session.connection().exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            yield session
        finally:
            session.rollback()


def _compose(session: Session, *, at: datetime, calendar: WorkingCalendar,
             settings: Settings) -> None:
    """`deliver.compose` in this session: load, set aside the empty, render, store."""
    sender = sender_address(settings.mail_from)
    while True:
        outgoing = load_outgoing(session, unrendered(session, COMPOSE_CHUNK),
                                 today=calendar.local_date(at))
        withdraw(session, [m.id for m in outgoing if not m.items])
        outgoing = [m for m in outgoing if m.items]
        if not outgoing:
            return
        store_rendered(session, [_composed(m, at, calendar, sender, settings.public_url)
                                 for m in outgoing])


def _claim_all(session: Session, *, at: datetime, settings: Settings) -> list[Claimed]:
    """Every batch `deliver.send` would claim at `at`."""
    claimed: list[Claimed] = []
    while True:
        batch = claim_fresh(session, now=at, token="preview", lease_seconds=60,
                            limit=settings.deliver_batch, domain=settings.mail_domain)
        if not batch:
            return claimed
        claimed.extend(batch)


def _addressed_units(session: Session, ids: list[int]
                     ) -> dict[int, tuple[str, str, frozenset[str]]]:
    """Per message: its recipient unit's code and name, and the codes of every unit it is
    addressed to (To, Cc, the unit of the person it is addressed to)."""
    if not ids:
        return {}
    to, cc, person_unit = unit_table.alias("to_u"), unit_table.alias("cc_u"), unit_table.alias()
    person = User.__table__.alias("person")  # type: ignore[attr-defined]
    rows = session.execute(
        select(_m.id, to.c.code, to.c.name, cc.c.code, person_unit.c.code)
        .join(to, to.c.id == _m.to_unit_id)
        .outerjoin(cc, cc.c.id == _m.cc_unit_id)
        .outerjoin(person, person.c.id == _m.to_user_id)
        .outerjoin(person_unit, person_unit.c.id == person.c.unit_id)
        .where(_m.id.in_(ids), _m.status == MessageStatus.SENDING.value))
    return {mid: (code, name, frozenset(c for c in (code, cc_code, person_code) if c))
            for mid, code, name, cc_code, person_code in rows}


def _mail(claimed: Claimed, unit: tuple[str, str, frozenset[str]]) -> Mail:
    email = message_from_bytes(claimed.envelope.data, policy=policy.default)
    assert isinstance(email, EmailMessage)
    return Mail(to_unit=unit[0], to_unit_name=unit[1], subject=str(email["Subject"] or ""),
                sender=str(email["From"] or ""), to=str(email["To"] or ""),
                cc=str(email["Cc"] or ""), envelope_to=list(claimed.envelope.recipients),
                text=_part(email, "plain"), html=_part(email, "html"),
                message_id=str(email["Message-ID"] or ""), date=str(email["Date"] or ""),
                raw=claimed.envelope.data, units=unit[2])


def _part(email: EmailMessage, subtype: str) -> str:
    part = email.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    return str(part.get_content())
