"""Render a digest (subject, text, HTML) with Jinja2 and build the EmailMessage."""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.calendar import WorkingCalendar
from notifications.context import Outgoing, digest_context

TEMPLATES = Path(__file__).parent / "templates"
# CPython's header folder drops the space between two RFC 2047 encoded words, which turns
# "giao — Ủy ban" into "giao —Ủy ban". Folding only past 998 characters keeps a Vietnamese
# subject in one encoded word; mail clients read it as written.
# 7-bit transfer encoding for bodies: any SMTP server takes it, 8BITMIME or not.
MAIL_POLICY = policy.default.clone(max_line_length=998, cte_type="7bit", linesep="\r\n")


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
        autoescape=select_autoescape(["html"]), keep_trailing_newline=True,
    )


def render_email(
    message: Outgoing, *, now: datetime, cal: WorkingCalendar, sender: str
) -> EmailMessage:
    context = digest_context(message, now=now, cal=cal)
    env = environment()
    subject = env.get_template(f"{context['main_kind']}.subject.txt").render(context).strip()
    email = EmailMessage(policy=MAIL_POLICY)
    email["Subject"] = subject
    email["From"] = sender
    email["To"] = ", ".join(message.to.emails)
    if message.cc and message.cc.emails:
        email["Cc"] = ", ".join(message.cc.emails)
    email["Message-ID"] = message.header_id
    email["Date"] = format_datetime(now.astimezone(cal.tz))
    email.set_content(env.get_template("digest.txt").render(context))
    email.add_alternative(env.get_template("digest.html").render(context), subtype="html")
    return email
