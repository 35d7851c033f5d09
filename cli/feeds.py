"""`chidao feed url | reset --unit CODE | --user NAME`: the address of a unit's or a person's
calendar feed (made on first demand), or a new one (the old one answers 404 from then on).
One-shot commands (no Prefect): one transaction, an audit row when an address is made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from ..domain.errors import InvalidInput
from .common import NOW, console, group, reports_errors, runtime

if TYPE_CHECKING:
    from sqlmodel import Session

    from ..config.runtime import Runtime
    from ..domain.acting import Actor
    from ..services.feed_tokens import FeedAddress, FeedOf

    Change = Callable[..., FeedAddress]

feed_app = group("Calendar feeds (lịch hạn nhiệm vụ, ICS) of a unit or a person.")
UNIT = typer.Option(None, "--unit", help="Unit code: the unit's open deadlines.")
USER = typer.Option(None, "--user", help="User name: the runs the person holds.")



def register(app: typer.Typer) -> None:
    app.add_typer(feed_app, name="feed")


def _whose(session: Session, unit: str | None, user: str | None) -> tuple[FeedOf, Actor]:
    from ..db.lookup import unit_by_code
    from ..domain.acting import command_line
    from ..domain.units import Unit
    from ..services.accounts import user_named
    from ..services.feed_tokens import FeedOf

    if (unit is None) == (user is None):
        raise InvalidInput("unit", "give exactly one of --unit CODE or --user NAME")
    if unit is not None:
        found = unit_by_code(session, unit)
        return FeedOf(found.id, None, f"đơn vị {found.code}"), command_line(found.code)
    person = user_named(session, user or "")
    home = session.get(Unit, person.unit_id)
    assert home is not None
    return (FeedOf(None, person.id, f"{person.full_name} ({person.username})"),
            command_line(home.code))


def _run(rt: Runtime, unit: str | None, user: str | None, change: Change) -> FeedAddress:
    from ..db.database import transaction

    if "secret_key" not in rt.settings.model_fields_set:
        raise InvalidInput("CHIDAO_SECRET_KEY", "not set: a feed's address is derived from"
                           " the server's secret key; set it as the web server has it")
    now: datetime = rt.now()
    with transaction(rt.engine) as session:
        of, by = _whose(session, unit, user)
        return change(session, of, by=by, secret_key=rt.settings.secret_key,
                      public_url=rt.settings.public_url, now=now)


@feed_app.command("url")
@reports_errors
def url(unit: str = UNIT, user: str = USER, now: str = NOW) -> None:
    """Print the feed's address (made now if it has none)."""
    from ..services.feed_tokens import feed_address

    address = _run(runtime(now), unit, user, feed_address)
    console.print(address.url, highlight=False, soft_wrap=True)


@feed_app.command("reset")
@reports_errors
def reset(unit: str = UNIT, user: str = USER, now: str = NOW) -> None:
    """Make a new address; the old one stops working (404)."""
    from ..services.feed_tokens import reset_feed

    address = _run(runtime(now), unit, user, reset_feed)
    console.print(address.url, highlight=False, soft_wrap=True)
