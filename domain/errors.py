"""The one error type bad input raises: it names the field and the problem."""

from __future__ import annotations


class InvalidInput(ValueError):
    """Rejected input: `field` is a dotted path (`requirements[1].due`), `line` a source line."""

    def __init__(self, field: str, problem: str, *, line: int | None = None) -> None:
        self.field = field
        self.problem = problem
        self.line = line
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{field}: {problem}")
