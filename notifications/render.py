"""Render a digest (subject, text, HTML) with Jinja2 and build the MIME message.

The message's bytes are those of the standard library's `email.mime` classes (compat32
policy), built by `mime.alternative` once per message without the generator's cost. `Header`
encodes the Vietnamese subject as RFC 2047 words without losing the spaces between them (the
default policy's folder drops them).

Each address is checked (`email-validator`) and made an `email.headerregistry.Address`, the
header's value formatted as the header registry formats it, so a comma, a CR/LF or a NUL in a
stored address can never add a recipient or a header: such a message is `Unsendable` and
fails on its own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.utils import format_datetime
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from ..domain.calendar import WorkingCalendar
from ..domain.email_address import BadAddress, normalise_address
from ..domain.errors import InvalidInput
from .context import Outgoing, Recipient, digest_context
from .mailer import Envelope
from .mime import alternative

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The templates' environment, made once per process; each template is compiled once
    (`auto_reload` off: no stat of its file at every render or include)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
        autoescape=select_autoescape(["html"]), keep_trailing_newline=True, auto_reload=False,
    )


@cache
def template(name: str) -> Template:
    return environment().get_template(name)


class Unsendable(ValueError):
    """This message cannot be sent as its recipients are stored; `reason` goes to the outbox."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Sender:
    address: Address
    header: str  # the From header's value, formatted once per delivery


@dataclass(frozen=True)
class Rendered:
    subject: str
    data: bytes  # the MIME message
    sender: Address
    recipients: list[Address]  # To, then Cc

    def envelope(self) -> Envelope:
        return Envelope(self.sender.addr_spec, [a.addr_spec for a in self.recipients],
                        self.data)


def sender_address(mail_from: str) -> Sender:
    """The configured From (`chidao <no-reply@…>`), parsed once per delivery by the header
    registry (a special-use domain such as `chidao.local` is allowed: it receives no mail)."""
    header = policy.SMTP.header_factory("From", mail_from)
    addresses = header.addresses
    if header.defects or len(addresses) != 1 or not addresses[0].domain \
            or not addresses[0].addr_spec.isascii():
        raise InvalidInput("CHIDAO_MAIL_FROM", f"{mail_from!r} is not one ASCII email address")
    return Sender(addresses[0], _header("From", [addresses[0]]))


def render_email(
    message: Outgoing, *, now: datetime, cal: WorkingCalendar, sender: Sender,
    public_url: str = "http://127.0.0.1:8000",
) -> Rendered:
    """The digest's MIME message, each task linked under `public_url`; Unsendable when a
    stored address is not valid."""
    to = _addresses(_addressee(message))
    cc = _addresses(message.cc) if message.cc else []
    if not to:
        raise Unsendable(f"the unit {message.to.code} has no email address")
    context = digest_context(message, now=now, cal=cal, public_url=public_url)
    subject = template(f"{context['main_kind']}.subject.txt").render(context).strip()
    headers: list[tuple[str, str | Header]] = [
        ("Subject", Header(subject, "utf-8")), ("From", sender.header),
        ("To", _header_value(to))]
    if cc:
        headers.append(("Cc", _header_value(cc)))
    headers += [("Message-ID", message.header_id),
                ("Date", format_datetime(now.astimezone(cal.tz)))]
    # "=_" never occurs in base64 bodies: a boundary the generator need not search for.
    data = alternative(headers, template("digest.txt").render(context),
                       template("digest.html").render(context),
                       boundary=f"=_chidao_{uuid.uuid4().hex}")
    return Rendered(subject, data, sender.address, [*to, *cc])


def _addressee(message: Outgoing) -> Recipient:
    """Who the To header names: the person's own address when the message is for a person
    who has one; else the unit's mailbox (the salutation then names the person)."""
    person = message.person
    if person is not None and person.email:
        return Recipient(f"{message.to.code}/{person.username}", person.name, [person.email])
    return message.to


def _addresses(unit: Recipient) -> list[Address]:
    """The unit's stored addresses, each checked again: rows written before addresses were
    validated on input may hold anything."""
    addresses = []
    for stored in unit.emails:
        try:
            # checked: an unquoted local part and a domain name, so no re-parse is needed
            local, _, domain = normalise_address(stored).rpartition("@")
            addresses.append(Address(username=local, domain=domain))
        except BadAddress as exc:
            raise Unsendable(f"unit {unit.code}: {exc}") from None
        except ValueError as exc:  # refused by the header registry itself
            raise Unsendable(f"unit {unit.code}: {stored!r}: {exc}") from None
    return addresses


def _header_value(addresses: list[Address]) -> str:
    """An address header's value as the header registry formats it (each address as text,
    comma-separated), without parsing that text back."""
    return ", ".join(str(address) for address in addresses)


def _header(name: str, addresses: list[Address]) -> str:
    """The header's value as the standard library's header registry formats it."""
    return str(policy.SMTP.header_factory(name, addresses))
