"""What every command shares: consoles, common options, error reporting, settings."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..config.runtime import Runtime, build_runtime, load_settings
from ..config.settings import Settings
from .errors import CLICK_FLOW, fail
from .errors import err as err  # the stderr console, for commands that warn

console = Console()
F = TypeVar("F", bound=Callable[..., Any])

NOW = typer.Option(None, "--now", help="ISO datetime to act at (naive = Asia/Ho_Chi_Minh).")
JSON = typer.Option(False, "--json", help="Print JSON instead of a table or tree.")


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


def settings(**overrides: Any) -> Settings:
    """The settings, checked: an impossible value names its variable (exit 2)."""
    return load_settings(**overrides)


def runtime(now: str | None = None, *, pooled: bool = False, **overrides: Any) -> Runtime:
    """The command's runtime (chidao.config.runtime): engine, calendar, rules, and the clock
    (`now` is the command's --now; absent: the wall clock). `pooled`: the web's engine;
    `overrides`: settings the command sets itself (the demo's database)."""
    return build_runtime(settings(**overrides), now=now, pooled=pooled)


def print_json(data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))
