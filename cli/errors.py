"""How a command ends when something goes wrong: never with a traceback.

Known problems (bad input, a missing or unreadable file, bad YAML, bad settings, a database
that cannot be reached) end with exit code 2 and one line `field: problem` on stderr. Anything
else is a bug: exit code 1, one line naming the error and the file holding its traceback
(CHIDAO_DEBUG=1 raises it instead, traceback and all)."""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from ..domain.errors import InvalidInput
from .console import lazy_console

if TYPE_CHECKING:
    import yaml
    from sqlalchemy.exc import DBAPIError

# One line per error, whatever the width. (What classifies an error, SQLAlchemy's, PyYAML's
# and pydantic's exceptions, is imported only when one happens, and only if the command had
# loaded that library: an error it raised must come from a library already imported.)
err = lazy_console(stderr=True, soft_wrap=True, emoji=False)
# Typer's own flow (usage errors, --help, Exit, Ctrl-C's Abort): left to Typer to handle.
CLICK_FLOW = (typer.TyperException, typer.Exit, typer.Abort)


def database_url() -> str:
    """The database URL in use, password hidden."""
    from sqlalchemy.engine import make_url

    from ..config.settings import get_settings

    try:
        url = get_settings().database_url
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - the message must not fail in turn
        return os.environ.get("CHIDAO_DATABASE_URL", "sqlite:///chidao.db")


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{where}file: not valid YAML: {problem}"


def _database_problem(exc: DBAPIError) -> str:
    reason = str(exc.orig or exc).strip().splitlines()[0]
    if _missing_table(exc):
        return (f"database: no chidao schema at {database_url()} ({reason});"
                " run `chidao db init`")
    return f"database_url: cannot use {database_url()}: {reason}"


def _missing_table(exc: DBAPIError) -> bool:
    """SQLite's "no such table", PostgreSQL's undefined_table (SQLSTATE 42P01)."""
    return "no such table" in str(exc.orig) or getattr(exc.orig, "sqlstate", "") == "42P01"


def known_problem(exc: BaseException) -> str | None:
    """`field: problem` for what the user can fix; None for a bug."""
    if isinstance(exc, InvalidInput):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"file: '{exc.filename}': {exc.strerror or exc}"
    if isinstance(exc, ModuleNotFoundError) and exc.name in DATABASE_DRIVERS:
        return (f"database_url: {database_url()} needs the {exc.name} driver, which is not"
                f" installed: pip install '{DATABASE_DRIVERS[exc.name]}'")
    return _settings_problem(exc) or _yaml_or_database_problem(exc)


def _settings_problem(exc: BaseException) -> str | None:
    if "pydantic" not in sys.modules:
        return None
    from pydantic import ValidationError

    if isinstance(exc, ValidationError) and exc.title == "Settings":
        from ..config.settings import settings_problem

        return settings_problem(exc)
    return None


def _yaml_or_database_problem(exc: BaseException) -> str | None:
    if "yaml" in sys.modules:
        import yaml

        if isinstance(exc, yaml.YAMLError):
            return _yaml_problem(exc)
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import (
        ArgumentError,
        NoSuchModuleError,
        OperationalError,
        ProgrammingError,
    )

    if isinstance(exc, OperationalError) or (isinstance(exc, ProgrammingError)
                                             and _missing_table(exc)):
        return _database_problem(exc)
    if isinstance(exc, NoSuchModuleError) or (isinstance(exc, ArgumentError)
                                               and "URL" in str(exc)):
        return f"database_url: {exc}"
    return None


DATABASE_DRIVERS = {"psycopg": "chidao[postgres]", "psycopg2": "psycopg2-binary",
                    "asyncpg": "asyncpg", "pg8000": "pg8000", "pymysql": "pymysql"}


def fail(exc: Exception) -> typer.Exit:
    """Print what went wrong; the exit to raise (2: the user's to fix, 1: a bug)."""
    from rich.markup import escape

    problem = known_problem(exc)
    if problem is not None:
        err.print(f"[bold red]Error[/] {escape(problem)}", highlight=False)
        return typer.Exit(2)
    if os.environ.get("CHIDAO_DEBUG"):
        raise exc
    fd, path = tempfile.mkstemp(prefix="chidao-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as log:
        log.write("".join(traceback.format_exception(exc)))
    err.print(f"[bold red]Unexpected error[/] {escape(type(exc).__name__)}: "
              f"{escape(str(exc).splitlines()[0] if str(exc) else '')}\n"
              f"This is a bug in chidao: the traceback is in {escape(path)}"
              " (CHIDAO_DEBUG=1 prints it here).", highlight=False)
    return typer.Exit(1)


class CommandGroup(TyperGroup):
    """The `chidao` group: every command below it ends through `fail`."""

    def invoke(self, ctx: Any) -> Any:  # (the vendored Click's Context is private)
        try:
            return super().invoke(ctx)
        except CLICK_FLOW:
            raise
        except Exception as exc:  # noqa: BLE001 - known problems and bugs both end cleanly
            raise fail(exc) from None
