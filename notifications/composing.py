"""Compose the outbox: group due notifications into one digest per recipient (`form`), then
chunk after chunk load what each digest must say (one set of queries per chunk), render it
and store its bytes (`compose_chunk`). `compose` does it all at once; a delivery does it
beside its sending (`pipeline`): while one chunk is sent, the next is composed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from ..config.settings import Settings
from ..db.database import reading, transaction
from ..domain.calendar import WorkingCalendar
from ..domain.notifications import MessageStatus
from .context import Outgoing
from .freshness import set_aside_empty
from .loading import load_outgoing
from .outbox import ClaimLost, form_messages, store_rendered, unrendered
from .render import Sender, Unsendable, render_email, sender_address
from .stopping import stop_requested

COMPOSE_CHUNK = 500  # messages rendered per transaction
FIRST_CHUNK = 50  # beside the sending: a small first chunk, so that the sending starts soon


@dataclass(frozen=True)
class Composer:
    engine: Engine
    now: datetime
    calendar: WorkingCalendar
    settings: Settings
    sender: Sender

    @classmethod
    def of(cls, engine: Engine, *, now: datetime, calendar: WorkingCalendar,
           settings: Settings) -> Composer:
        return cls(engine, now, calendar, settings, sender_address(settings.mail_from))

    def form(self) -> int:
        """Group the due notifications: the number of digests formed."""
        try:
            with transaction(self.engine) as session:
                return form_messages(session, now=self.now, domain=self.settings.mail_domain)
        except ClaimLost:
            return 0  # another worker grouped them; it or we render them below

    def to_compose(self) -> list[int]:
        """The digests to render in this delivery: those without their bytes now (one given
        back while it is sent waits for the next delivery, as its stale lines do)."""
        with reading(self.engine) as session:
            return unrendered(session, None)

    def load(self, ids: list[int]) -> list[Outgoing]:
        """The digests `ids` still to render, with all they must say; those left with
        nothing to say are withdrawn on the way."""
        with reading(self.engine) as session:
            outgoing = load_outgoing(session, unrendered(session, None, among=ids),
                                     today=self.calendar.local_date(self.now))
        return set_aside_empty(self.engine, outgoing)  # every line went stale

    def plan(self) -> tuple[int, list[int]]:
        """Form the digests, then list those to render: (digests formed, ids to render)."""
        return self.form(), self.to_compose()

    def compose_chunk(self, ids: list[int]) -> int:
        """Load, render and store the digests `ids`: the number of them failed for good."""
        return self.store([self.render(message) for message in self.load(ids)])

    def render(self, message: Outgoing) -> dict[str, object]:
        return outbox_row(message, self.now, self.calendar, self.sender,
                        self.settings.public_url)

    def store(self, rendered: list[dict[str, object]]) -> int:
        """Keep the rendered chunk: the number of its messages failed for good."""
        if rendered:
            with transaction(self.engine) as session:
                store_rendered(session, rendered)
        return sum(r["status"] == MessageStatus.FAILED for r in rendered)


def compose(engine: Engine, *, now: datetime, calendar: WorkingCalendar,
            settings: Settings) -> tuple[int, int]:
    """Group and render the due digests: (messages formed, messages failed at composing)."""
    composer = Composer.of(engine, now=now, calendar=calendar, settings=settings)
    formed, failed = composer.form(), 0
    for ids in chunks(composer.to_compose(), COMPOSE_CHUNK):
        if stop_requested():
            break
        failed += composer.compose_chunk(ids)
    return formed, failed


def chunks(ids: list[int], first: int) -> Iterator[list[int]]:
    """`ids` in chunks: `first` long, each next one half as long again, up to COMPOSE_CHUNK
    (beside the sending: a chunk is composed in about the time the one before is sent)."""
    start, size = 0, first
    while start < len(ids):
        yield ids[start:start + size]
        start, size = start + size, min(COMPOSE_CHUNK, size * 3 // 2)


def outbox_row(message: Outgoing, now: datetime, calendar: WorkingCalendar,
             sender: Sender, public_url: str) -> dict[str, object]:
    """What store_rendered keeps of one message: its bytes, or why it can never be sent."""
    try:
        email = render_email(message, now=now, cal=calendar, sender=sender,
                             public_url=public_url)
    except Unsendable as exc:
        return {"mid": message.id, "subject": "", "sender": sender.address.addr_spec,
                "recipients": [], "body": b"", "status": MessageStatus.FAILED.value,
                "last_error": exc.reason}
    envelope = email.envelope()
    return {"mid": message.id, "subject": email.subject, "sender": envelope.sender,
            "recipients": envelope.recipients, "body": envelope.data,
            "status": MessageStatus.QUEUED.value, "last_error": ""}
