"""Account commands: users add, password, token (create or --revoke), tokens, sessions,
logout-all.

The CLI is the operator's tool: whoever runs it holds the database, so it acts for any user."""

from __future__ import annotations

import typer

from ..domain.errors import InvalidInput
from .common import console, group, reports_errors, runtime

users_app = group("Accounts (người dùng).")


@users_app.command("add")
@reports_errors
def users_add(username: str, unit: str = typer.Option(..., help="Unit code."),
              role: str = typer.Option("staff", help="staff | head | admin"),
              full_name: str = typer.Option(..., "--name"),
              password: str = typer.Option(..., prompt=True, hide_input=True,
                                           confirmation_prompt=True)) -> None:
    """Create a user of a unit (password hashed with argon2). staff: receive and submit;
    head: also issue, accept/return, extend; admin: also manage users."""
    from ..db.database import transaction
    from ..services.accounts import add_user

    rt = runtime()
    with transaction(rt.engine) as session:
        add_user(session, username=username, full_name=full_name, unit_code=unit, role=role,
                 password=password, now=rt.now())
    console.print(f"User {username} created")


@users_app.command("password")
@reports_errors
def users_password(username: str,
                   password: str = typer.Option(..., prompt=True, hide_input=True,
                                                confirmation_prompt=True)) -> None:
    """Set a user's password; every session of the user ends."""
    from ..db.database import transaction
    from ..services.accounts import change_password

    rt = runtime()
    with transaction(rt.engine) as session:
        ended = change_password(session, username=username, password=password,
                                now=rt.now())
    console.print(f"Password of {username} changed; {ended} session(s) ended")


@users_app.command("logout-all")
@reports_errors
def users_logout_all(username: str) -> None:
    """End every browser session of a user (takes effect on its next request)."""
    from ..db.database import transaction
    from ..services.accounts import user_named
    from ..services.sessions import end_sessions

    rt = runtime()
    with transaction(rt.engine) as session:
        ended = end_sessions(session, user_named(session, username), now=rt.now())
    console.print(f"{ended} session(s) of {username} ended")


@users_app.command("sessions")
@reports_errors
def users_sessions(username: str) -> None:
    """List a user's browser sessions: id, started, last seen, ended (if so)."""
    from ..db.database import transaction
    from ..services.accounts import user_named
    from ..services.sessions import user_sessions

    rt = runtime()
    with transaction(rt.engine) as session:
        found = user_sessions(session, user_named(session, username))
    for s in found:
        ended = f"ended {s.revoked_at:%Y-%m-%d %H:%M}" if s.revoked_at else "open"
        console.print(f"{s.id}\tstarted {s.created_at:%Y-%m-%d %H:%M}\tlast seen"
                      f" {s.last_seen_at:%Y-%m-%d %H:%M}\t{ended}", highlight=False)
    if not found:
        console.print(f"{username} has no session")


@users_app.command("token")
@reports_errors
def users_token(username: str = typer.Argument(None, help="Whose token to create."),
                name: str = typer.Option("api", help="What it is for."),
                days: int = typer.Option(90, "--days", help="Valid for this many days."),
                revoke: int = typer.Option(None, "--revoke", help="Revoke the token with this id"
                                           " (see `users tokens`) instead.")) -> None:
    """Create an API token for a user (shown once; only its SHA-256 is stored), or revoke one."""
    from ..db.database import transaction
    from ..services.accounts import user_named
    from ..services.sessions import create_token, revoke_token

    rt = runtime()
    with transaction(rt.engine) as session:
        if revoke is not None:
            token = revoke_token(session, revoke, now=rt.now())
            console.print(f"Token {token.id} ({token.name}) revoked")
            return
        if not username:
            raise InvalidInput("username", "give a user name, or --revoke ID")
        raw = create_token(session, user=user_named(session, username), name=name,
                           now=rt.now(), days=days)
    console.print(raw, highlight=False)


@users_app.command("tokens")
@reports_errors
def users_tokens(username: str) -> None:
    """List a user's API tokens: id, name, created, expires, revoked."""
    from ..db.database import transaction
    from ..services.accounts import user_named
    from ..services.sessions import user_tokens

    rt = runtime()
    with transaction(rt.engine) as session:
        tokens = user_tokens(session, user_named(session, username))
    for t in tokens:
        state = ("revoked " + f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else
                 "expires " + (f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never"))
        console.print(f"{t.id}\t{t.name}\tcreated {t.created_at:%Y-%m-%d}\t{state}",
                      highlight=False)
    if not tokens:
        console.print(f"{username} has no API token")
