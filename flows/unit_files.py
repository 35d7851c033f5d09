"""Read an organisation tree from YAML (flat or nested) or CSV, keeping each row's line."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml

from domain.email_address import BadAddress, normalise_address
from domain.errors import InvalidInput
from domain.text import nfc
from domain.unit_tree import UnitRow

CSV_COLUMNS = ("code", "name", "kind", "parent", "emails", "symbol")
_KNOWN_KEYS = {"code", "name", "kind", "parent", "emails", "email", "symbol", "children"}


def read_unit_file(path: Path) -> list[UnitRow]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput("file", f"cannot read '{path}': {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput("file", f"'{path.name}' is not UTF-8 text (byte {exc.start})"
                           ) from None
    if path.suffix.lower() == ".csv":
        return parse_unit_csv(text)
    if path.suffix.lower() in {".yaml", ".yml"}:
        return parse_unit_yaml(text)
    raise InvalidInput("file", f"'{path.name}': expected a .yaml, .yml or .csv file")


def parse_unit_csv(text: str) -> list[UnitRow]:
    reader = csv.DictReader(io.StringIO(nfc(text)))
    missing = [c for c in ("code", "name", "kind") if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput("header", f"missing column(s): {', '.join(missing)}", line=1)
    rows, first_line = [], reader.line_num + 1  # a quoted field may span several lines
    for record in reader:
        rows.append(_row(record, first_line, record.get("parent")))
        first_line = reader.line_num + 1
    return rows


def parse_unit_yaml(text: str) -> list[UnitRow]:
    try:
        root = yaml.compose(nfc(text), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise InvalidInput("file", f"not valid YAML: {exc}") from None
    if root is None:
        return []
    if isinstance(root, yaml.MappingNode):
        root = next((v for k, v in root.value if k.value == "units"), None)
    if not isinstance(root, yaml.SequenceNode):
        raise InvalidInput("units", "expected a list of units (or a mapping with key 'units')")
    rows: list[UnitRow] = []
    _walk(root, None, rows)
    return rows


def _walk(seq: yaml.SequenceNode, parent: str | None, rows: list[UnitRow]) -> None:
    constructor = yaml.constructor.SafeConstructor()
    for node in seq.value:
        line = node.start_mark.line + 1
        try:
            record: Any = constructor.construct_document(node)
        except yaml.YAMLError as exc:  # e.g. a !!python/object tag: plain data only
            mark = getattr(exc, "problem_mark", None) or node.start_mark
            raise InvalidInput("units", f"not plain YAML data: {getattr(exc, 'problem', exc)}",
                               line=mark.line + 1) from None
        if not isinstance(record, dict):
            raise InvalidInput("units", "each unit must be a mapping", line=line)
        unknown = set(record) - _KNOWN_KEYS
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "is not a unit field", line=line)
        row = _row(record, line, record.get("parent", parent))
        rows.append(row)
        children = next((v for k, v in node.value if k.value == "children"), None)
        if isinstance(children, yaml.SequenceNode):
            _walk(children, row.code, rows)
        elif children is not None:
            raise InvalidInput("children", "expected a list of units", line=line)


def _row(record: dict[str, Any], line: int, parent: Any) -> UnitRow:
    emails = record.get("emails", record.get("email")) or []
    if isinstance(emails, str):
        emails = [e for e in re.split(r"[;,\s]+", emails) if e]
    if not isinstance(emails, list):
        raise InvalidInput("emails", "expected a list of email addresses", line=line)
    return UnitRow(
        line=line,
        code=str(record.get("code") or "").strip(),
        name=str(record.get("name") or "").strip(),
        kind=str(record.get("kind") or "").strip(),
        parent=(str(parent).strip() or None) if parent else None,
        emails=[_address(e, line) for e in emails],
        symbol=str(record.get("symbol") or "").strip(),
    )


def _address(value: Any, line: int) -> str:
    try:
        return normalise_address(str(value).strip())
    except BadAddress as exc:
        raise InvalidInput("emails", str(exc), line=line) from None
