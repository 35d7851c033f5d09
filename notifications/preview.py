"""What a sweep and a delivery at a moment T would send, without writing anything.

The real pipeline runs, step for step, in ONE transaction that is always rolled back: the sweep
(`sweep`) writes the notifications due at T, the outbox groups them (`form_messages`), the
digests to compose are loaded as `composing` loads them (`unrendered`, `load_outgoing`, those
left with nothing to say withdrawn), and the digests already composed and due by T are claimed
as `deliver.send` claims them (`claim_fresh`: re-checked against the runs, stale lines
withdrawn). Then the transaction is rolled back, and the digests to compose are rendered by
`composing.outbox_row`, as a delivery renders them (with T as the moment: the same bytes but
for the Message-ID made when a digest is formed and the MIME boundary), outside any
transaction: rendering is most of the time and holds no lock. Only the mail of `unit` / the
subtree `within` is rendered.

Locks while the transaction runs (see README for its duration):
- SQLite: it is BEGIN IMMEDIATE (it writes), so other writers (a real sweep, a form) wait
  behind `busy_timeout` until the rollback; readers never wait (WAL).
- PostgreSQL: the rows a sweeper and a deliverer would take are locked; a real sweep or
  delivery running meanwhile does not wait (its selects SKIP LOCKED) and takes those runs and
  digests on its next pass. `lock_timeout` caps what the preview itself would wait for.
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
from ..domain.notifications import message_table
from ..domain.policy import in_sending_hours
from ..domain.units import unit_table
from .composing import COMPOSE_CHUNK, outbox_row
from .context import Outgoing
from .freshness import claim_fresh
from .loading import load_outgoing
from .mailer import Envelope
from .outbox import form_messages, unrendered
from .render import sender_address
from .sweep import sweep

_m = message_table.c
NO_ADDRESS = "the unit has no email address"
ALL = 10**9  # every message still to compose
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
    total: int = 0  # the digests that would go (`mails` holds the first of them: see limit)
    # (unit code, unit name, why) of each digest that would fail instead of going
    unsendable: list[tuple[str, str, str]] = field(default_factory=list)

    def by_recipient(self) -> dict[str, list[Mail]]:
        """The mails grouped per recipient (the To header), recipients in order."""
        grouped: dict[str, list[Mail]] = {}
        for mail in sorted(self.mails, key=lambda m: (m.to, m.subject)):
            grouped.setdefault(mail.to, []).append(mail)
        return grouped


@dataclass(frozen=True)
class Scope:
    """Whose mail: addressed to the unit `unit` (its code), or to a unit whose path starts with
    `within` (a subtree); None = everyone's. Its people's mail counts as the unit's."""

    unit: str | None = None
    within: str | None = None

    def covers(self, addressed: Addressed) -> bool:
        return ((self.unit is None or self.unit in addressed.codes)
                and (self.within is None
                     or any(p.startswith(self.within) for p in addressed.paths)))


@dataclass(frozen=True)
class Addressed:
    code: str  # the recipient unit
    name: str
    codes: frozenset[str]  # every unit the message is addressed to (To, Cc, the person's)
    paths: frozenset[str]


def preview_mail(engine: Engine, *, at: datetime, calendar: WorkingCalendar,
                 settings: Settings, send_at: time, sweep_first: bool = True,
                 scope: Scope | None = None, limit: int | None = None) -> Preview:
    """The mail a sweep (unless `sweep_first` is False: a delivery alone) and a delivery at `at`
    would send (only what `scope` covers; the first `limit` of it shown, all of it counted);
    nothing is written."""
    scope = scope or Scope()
    result = Preview(at=at, swept=sweep_first)
    with discarded(engine) as session:
        if sweep_first:
            result.notifications = len(sweep(session, now=at, calendar=calendar,
                                             send_at=send_at).notifications)
        if not in_sending_hours(at, calendar, settings.send_from, settings.send_until):
            result.held = "outside sending hours (working days only)"
            return result
        form_messages(session, now=at, domain=settings.mail_domain)
        to_compose = unrendered(session, ALL)  # before the claims, as deliver composes first
        composed = _claim_all(session, at=at, settings=settings)
        addressed = _addressed(session, [*to_compose, *composed])
        covered = {mid for mid, a in addressed.items() if scope.covers(a)}
        outgoing = _load(session, [i for i in to_compose if i in covered], at, calendar)
    for message in (m for m in outgoing if not m.to.emails):  # fails without rendering
        result.unsendable.append((message.to.code, message.to.name, NO_ADDRESS))
    outgoing = [m for m in outgoing if m.to.emails]
    sendable = sorted([*(m.id for m in outgoing), *(i for i in composed if i in covered)])
    shown = set(sendable[:limit])
    composed.update(_render([m for m in outgoing if m.id in shown], result, at=at,
                            calendar=calendar, settings=settings))
    result.total = len(sendable) - sum(m.id in shown and m.id not in composed for m in outgoing)
    result.mails = [_mail(envelope, addressed[mid]) for mid, envelope in composed.items()
                    if mid in shown]
    return result


def _render(outgoing: list[Outgoing], result: Preview, *, at: datetime,
            calendar: WorkingCalendar, settings: Settings) -> dict[int, Envelope]:
    """Each digest's envelope as `deliver.compose` would store it (rendered at `at`); one with
    a stored address that is not valid would fail: told in `result.unsendable`."""
    sender, envelopes = sender_address(settings.mail_from), {}
    for message in outgoing:
        row = outbox_row(message, at, calendar, sender, settings.public_url)
        if row["status"] == "queued":
            envelopes[message.id] = _envelope(row)
        else:
            result.unsendable.append((message.to.code, message.to.name, str(row["last_error"])))
    return envelopes


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


def _load(session: Session, ids: list[int], at: datetime, calendar: WorkingCalendar
          ) -> list[Outgoing]:
    """The digests to compose, loaded as `deliver.compose` loads them (chunk by chunk); one
    left with nothing to say is not sent (compose withdraws it)."""
    outgoing: list[Outgoing] = []
    for start in range(0, len(ids), COMPOSE_CHUNK):
        outgoing.extend(load_outgoing(session, ids[start:start + COMPOSE_CHUNK],
                                      today=calendar.local_date(at)))
    return [m for m in outgoing if m.items]


def _claim_all(session: Session, *, at: datetime, settings: Settings) -> dict[int, Envelope]:
    """Every composed digest `deliver.send` would claim at `at`, batch after batch."""
    claimed: dict[int, Envelope] = {}
    while batch := claim_fresh(session, now=at, token="preview", lease_seconds=60,
                               limit=settings.deliver_batch, domain=settings.mail_domain):
        claimed.update((c.id, c.envelope) for c in batch)
    return claimed


def _addressed(session: Session, ids: list[int]) -> dict[int, Addressed]:
    """Per message: its recipient unit, and every unit it is addressed to (To, Cc, the unit of
    the person it is addressed to)."""
    to, cc, person_unit = unit_table.alias("to_u"), unit_table.alias("cc_u"), unit_table.alias()
    person = User.__table__.alias("person")  # type: ignore[attr-defined]
    found: dict[int, Addressed] = {}
    for start in range(0, len(ids), COMPOSE_CHUNK):
        for mid, code, name, path, *others in session.execute(
                select(_m.id, to.c.code, to.c.name, to.c.path, cc.c.code, cc.c.path,
                       person_unit.c.code, person_unit.c.path)
                .join(to, to.c.id == _m.to_unit_id)
                .outerjoin(cc, cc.c.id == _m.cc_unit_id)
                .outerjoin(person, person.c.id == _m.to_user_id)
                .outerjoin(person_unit, person_unit.c.id == person.c.unit_id)
                .where(_m.id.in_(ids[start:start + COMPOSE_CHUNK]))):
            found[mid] = Addressed(code, name, frozenset([code, *others[0::2]]) - {None},
                                   frozenset([path, *others[1::2]]) - {None})
    return found


def _envelope(row: dict[str, object]) -> Envelope:
    """The envelope of what `composing.outbox_row` would store."""
    recipients, body = row["recipients"], row["body"]
    assert isinstance(recipients, list) and isinstance(body, bytes)
    return Envelope(str(row["sender"]), [str(r) for r in recipients], body)


def _mail(envelope: Envelope, addressed: Addressed) -> Mail:
    email = message_from_bytes(envelope.data, policy=policy.default)
    assert isinstance(email, EmailMessage)
    return Mail(to_unit=addressed.code, to_unit_name=addressed.name,
                subject=str(email["Subject"] or ""), sender=str(email["From"] or ""),
                to=str(email["To"] or ""), cc=str(email["Cc"] or ""),
                envelope_to=list(envelope.recipients), text=_part(email, "plain"),
                html=_part(email, "html"), message_id=str(email["Message-ID"] or ""),
                date=str(email["Date"] or ""), raw=envelope.data, units=addressed.codes)


def _part(email: EmailMessage, subtype: str) -> str:
    part = email.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    return str(part.get_content())
