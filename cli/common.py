"""What every command shares: consoles, common options, error reporting, settings.

Light on purpose: `chidao --help` imports the command modules, and each of them this one, so
nothing here loads the database, the settings or rich until a command runs (each command
imports what it uses inside its function: see tests/integration/test_cli_imports.py)."""

from __future__ import annotations

import functools
import gc
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from .console import lazy_console
from .errors import CLICK_FLOW, fail
from .errors import err as err  # the stderr console, for commands that warn

if TYPE_CHECKING:
    from ..config.runtime import Runtime
    from ..config.settings import Settings

# (emoji=False: ":smile:" typed in a title or a unit's name is printed as typed, like "[b]")
console = lazy_console(emoji=False)
F = TypeVar("F", bound=Callable[..., Any])

NOW = typer.Option(None, "--now", help="ISO datetime to act at (naive = Asia/Ho_Chi_Minh).")
JSON = typer.Option(False, "--json", help="Print JSON instead of a table or tree.")


def group(help: str, **options: Any) -> typer.Typer:
    """A command group (`chidao units`, `chidao closure` ...): its help is Click's plain text
    (rich's formatting would double the cost of `--help`); no arguments show the help."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None, **options)


def reports_errors(func: F) -> F:
    """Bad input ends the command with exit code 2 and 'field: problem' on stderr; a bug with
    exit code 1 and one line (see chidao.cli.errors, which the `chidao` group applies to all)."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CLICK_FLOW:
            raise
        except Exception as exc:  # noqa: BLE001 - chidao.cli.errors.fail tells known from bugs
            raise fail(exc) from None
    return wrapper  # type: ignore[return-value]


def startup_done() -> None:
    """The command has imported what it runs on: from here the garbage collector works as
    usual, over what the command makes (the startup's modules, classes and tables are frozen:
    never garbage, never walked again). Only in the `chidao` process, whose start runs with
    the collector off (chidao.cli.main.run); another caller's collector is left alone."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def settings(**overrides: Any) -> Settings:
    """The settings, checked: an impossible value names its variable (exit 2)."""
    from ..config.runtime import load_settings

    startup_done()

    return load_settings(**overrides)


def runtime(now: str | None = None, *, pooled: bool = False, **overrides: Any) -> Runtime:
    """The command's runtime (chidao.config.runtime): engine, calendar, rules, and the clock
    (`now` is the command's --now; absent: the wall clock). `pooled`: the web's engine;
    `overrides`: settings the command sets itself (the demo's database)."""
    from ..config.runtime import build_runtime, load_settings

    built = build_runtime(load_settings(**overrides), now=now, pooled=pooled)
    startup_done()  # (after the calendar: the holidays package's 250 countries are loaded)
    return built


def print_json(data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))
