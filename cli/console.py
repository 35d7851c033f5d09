"""The commands' consoles, made on first use: importing rich costs more than a whole `chidao
--help` may (its help is Click's plain text), so a command that prints nothing through rich
does not load it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console


class _LazyConsole:
    """Stands for a rich Console; the Console is made at the first attribute asked of it."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


def lazy_console(**options: Any) -> Console:
    """A rich Console(**options), made when first used."""
    return cast("Console", _LazyConsole(**options))
