"""Render a digest (subject, text, HTML) with Jinja2 and build the MIME message.

The message is built with the standard library's `email.mime` classes (compat32 policy):
~0.3 ms a message against ~2.3 ms for `EmailMessage` with the default policy, whose header
registry dominates a delivery batch. `Header` encodes the Vietnamese subject as RFC 2047 words
without losing the spaces between them (the default policy's folder drops them).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, parseaddr
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.calendar import WorkingCalendar
from notifications.context import Outgoing, digest_context
from notifications.mailer import Envelope

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
        autoescape=select_autoescape(["html"]), keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Rendered:
    subject: str
    email: Message

    def envelope(self, sender: str, message: Outgoing) -> Envelope:
        recipients = [*message.to.emails, *(message.cc.emails if message.cc else [])]
        return Envelope(parseaddr(sender)[1], recipients, self.email.as_bytes())


def render_email(
    message: Outgoing, *, now: datetime, cal: WorkingCalendar, sender: str
) -> Rendered:
    context = digest_context(message, now=now, cal=cal)
    env = environment()
    subject = env.get_template(f"{context['main_kind']}.subject.txt").render(context).strip()
    # "=_" never occurs in base64 bodies: a boundary the generator need not search for.
    email = MIMEMultipart("alternative", boundary=f"=_chidao_{uuid.uuid4().hex}")
    email["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]
    email["From"] = sender
    email["To"] = ", ".join(message.to.emails)
    if message.cc and message.cc.emails:
        email["Cc"] = ", ".join(message.cc.emails)
    email["Message-ID"] = message.header_id
    email["Date"] = format_datetime(now.astimezone(cal.tz))
    email.attach(MIMEText(env.get_template("digest.txt").render(context), "plain", "utf-8"))
    email.attach(MIMEText(env.get_template("digest.html").render(context), "html", "utf-8"))
    return Rendered(subject, email)
