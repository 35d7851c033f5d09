"""Pure checks and path maths for an organisation tree given as (code, parent code) rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .email_address import BadAddress, normalise_address
from .errors import InvalidInput
from .units import UnitKind


@dataclass(frozen=True)
class UnitRow:
    """One row of a units file, with the line it came from."""

    line: int
    code: str
    name: str
    kind: str
    parent: str | None
    emails: list[str] = field(default_factory=list)
    symbol: str = ""
    # The document fields the row gives (domain/signing.DOCUMENT_FIELDS), None = the kind's
    # default; a field the row leaves out keeps its stored value on re-import.
    document: dict[str, str | None] = field(default_factory=dict)


CODE_MAX_CHARS = 64  # unit.code is VARCHAR(64): PostgreSQL refuses longer


def validate_rows(rows: list[UnitRow], existing_parents: Mapping[str, str | None]) -> None:
    """Reject duplicate codes, unknown kinds, unknown parents and cycles, naming the line.

    `existing_parents` maps the codes already stored to their parent codes; the file's rows
    override them (re-import updates in place).
    """
    seen: dict[str, int] = {}
    for row in rows:
        if not row.code:
            raise InvalidInput("code", "is empty", line=row.line)
        if len(row.code) > CODE_MAX_CHARS:
            raise InvalidInput("code", f"longer than {CODE_MAX_CHARS} characters",
                               line=row.line)
        if row.code in seen:
            raise InvalidInput(
                "code", f"'{row.code}' is duplicated (first on line {seen[row.code]})",
                line=row.line,
            )
        seen[row.code] = row.line
        if not row.name:
            raise InvalidInput("name", "is empty", line=row.line)
        if row.kind not in {k.value for k in UnitKind}:
            kinds = ", ".join(k.value for k in UnitKind)
            raise InvalidInput("kind", f"'{row.kind}' is not one of: {kinds}", line=row.line)
        for email in row.emails:
            _check_address(email, row.line)
    parents = dict(existing_parents)
    parents.update({row.code: row.parent for row in rows})
    for row in rows:
        if row.parent is not None and row.parent not in parents:
            raise InvalidInput(
                "parent", f"'{row.parent}' is not a known unit code", line=row.line
            )
    for row in rows:
        _check_no_cycle(row, parents)


def _check_address(email: str, line: int) -> None:
    try:
        normal = normalise_address(email)
    except BadAddress as exc:
        raise InvalidInput("emails", str(exc), line=line) from None
    if normal != email:
        raise InvalidInput("emails", f"{email!r} must be given as {normal!r}", line=line)


def _check_no_cycle(row: UnitRow, parents: Mapping[str, str | None]) -> None:
    chain = [row.code]
    current = parents.get(row.code)
    while current is not None:
        if current == row.code:
            loop = " -> ".join([*chain, current])
            raise InvalidInput("parent", f"makes a cycle: {loop}", line=row.line)
        if len(chain) > len(parents):
            return  # a cycle elsewhere; reported on its own row
        chain.append(current)
        current = parents.get(current)


def compute_paths(parent_of: Mapping[int, int | None]) -> dict[int, tuple[str, int]]:
    """Unit id -> (materialised path "/root/../id/", depth) for an acyclic parent map."""
    result: dict[int, tuple[str, int]] = {}

    def resolve(uid: int) -> tuple[str, int]:
        stack: list[int] = []
        node: int | None = uid
        while node is not None and node not in result:
            stack.append(node)
            node = parent_of[node]
        path, depth = result[node] if node is not None else ("/", -1)
        for n in reversed(stack):
            path, depth = f"{path}{n}/", depth + 1
            result[n] = (path, depth)
        return result[uid]

    for uid in parent_of:
        resolve(uid)
    return result
