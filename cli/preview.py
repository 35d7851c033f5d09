"""`chidao preview --at T`: the mail a sweep and a delivery at T would send, nothing written;
`chidao deliver --dry-run` is the same at now without the sweep (chidao.notifications.preview)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

from .common import JSON, print_json, runtime

if TYPE_CHECKING:
    from ..config.runtime import Runtime
    from ..notifications.preview import Mail, Preview

AT = typer.Option(None, "--at", help="The moment: 2026-03-16T07:30 (Vietnam time), with an"
                                    " offset (…+07:00, …Z), or 16/03/2026 07:30; default now.")
UNIT = typer.Option(None, "--unit", help="Only the mail to or cc this unit (and its people).")


HTML = typer.Option(False, "--html", help="Print each email's HTML part too.")


def preview(at: str = AT, unit: str = UNIT, html: bool = HTML, as_json: bool = JSON) -> None:
    """The emails a sweep and a delivery at --at would send, as they would be sent, per
    recipient; nothing is written."""
    from ..config.clock import parse_moment

    rt = runtime(None if at is None else parse_moment(at).isoformat())
    show(rt, unit, as_json, sweep_first=True, html=html)


def show(rt: Runtime, unit: str | None, as_json: bool, *, sweep_first: bool,
         html: bool = False) -> None:
    from ..db.database import reading
    from ..db.lookup import unit_by_code
    from ..notifications.preview import Scope, preview_mail

    if unit is not None:
        with reading(rt.engine) as session:
            unit = unit_by_code(session, unit.strip()).code
    found = preview_mail(rt.engine, at=rt.now(), calendar=rt.calendar, settings=rt.settings,
                         send_at=rt.rules.send_from, sweep_first=sweep_first,
                         scope=Scope(unit=unit))
    if as_json:
        print_json(as_data(found))
    else:
        print_preview(found, html=html)


def as_data(found: Preview) -> dict[str, Any]:
    return {"at": found.at.isoformat(), "at_local": _local(found.at), "swept": found.swept,
            "notifications": found.notifications, "held": found.held,
            "messages": len(found.mails), "total": found.total,
            "unsendable": [{"unit": {"code": code, "name": name}, "reason": reason}
                           for code, name, reason in found.unsendable],
            "recipients": [{"to": to, "mails": [_mail_data(m) for m in mails]}
                           for to, mails in found.by_recipient().items()]}


def _mail_data(mail: Mail) -> dict[str, Any]:
    return {"unit": {"code": mail.to_unit, "name": mail.to_unit_name}, "subject": mail.subject,
            "from": mail.sender, "to": mail.to, "cc": mail.cc, "envelope_to": mail.envelope_to,
            "date": mail.date, "message_id": mail.message_id, "text": mail.text,
            "html": mail.html}


def print_preview(found: Preview, *, html: bool = False) -> None:
    """Plain text, never wrapped: each body exactly as the email carries it."""
    out = typer.echo
    swept = (f"sweep at that moment: {found.notifications} notifications; "
             if found.swept else "")
    out(f"Preview at {_local(found.at)} (Asia/Ho_Chi_Minh): {swept}{len(found.mails)} emails"
        f"{'; ' + found.held if found.held else ''} (nothing written)")
    for code, name, reason in found.unsendable:
        out(f"would fail: {code} ({name}): {reason}")
    for to, mails in found.by_recipient().items():
        out(f"\n══ {to} — {len(mails)} email(s)")
        for mail in mails:
            out("\n" + "\n".join(f"{name}: {value}" for name, value in (
                ("From", mail.sender), ("To", mail.to), ("Cc", mail.cc),
                ("Subject", mail.subject), ("Date", mail.date)) if value))
            out("\n" + mail.text, nl=False)
            if html and mail.html:
                out("\n--- HTML ---\n" + mail.html, nl=False)


def _local(moment: datetime) -> str:
    from ..domain.calendar import LOCAL_TZ

    return f"{moment.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}"
