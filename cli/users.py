"""Account commands: users add, users token."""

from __future__ import annotations

import typer

from cli.common import console, reports_errors, settings
from config.database import make_engine, transaction
from flows.accounts import add_user, create_token
from flows.clock import resolve_now

users_app = typer.Typer(help="Accounts (người dùng).", no_args_is_help=True)


@users_app.command("add")
@reports_errors
def users_add(username: str, unit: str = typer.Option(..., help="Unit code."),
              role: str = typer.Option("staff", help="staff | head | admin"),
              full_name: str = typer.Option(..., "--name"),
              password: str = typer.Option(..., prompt=True, hide_input=True,
                                           confirmation_prompt=True)) -> None:
    """Create a user of a unit (password hashed with argon2)."""
    with transaction(make_engine(settings().database_url)) as session:
        add_user(session, username=username, full_name=full_name, unit_code=unit, role=role,
                 password=password, now=resolve_now(None))
    console.print(f"User {username} created")


@users_app.command("token")
@reports_errors
def users_token(username: str, name: str = typer.Option("api", help="What it is for.")) -> None:
    """Create an API token for a user (shown once)."""
    with transaction(make_engine(settings().database_url)) as session:
        raw = create_token(session, username=username, name=name, now=resolve_now(None))
    console.print(raw, highlight=False)
