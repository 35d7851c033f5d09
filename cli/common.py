"""What every command shares: consoles, common options, error reporting, settings."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from config.settings import Settings, get_settings
from domain.errors import InvalidInput

console = Console()
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

NOW = typer.Option(None, "--now", help="ISO datetime to act at (naive = Asia/Ho_Chi_Minh).")
JSON = typer.Option(False, "--json", help="Print JSON instead of a table or tree.")


def reports_errors(func: F) -> F:
    """Bad input ends the command with exit code 2 and 'field: problem' on stderr."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidInput as exc:
            err.print(f"[bold red]Error[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
    return wrapper  # type: ignore[return-value]


def settings() -> Settings:
    return get_settings()


def print_json(data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))
