"""Read an organisation tree from YAML (flat or nested) or CSV, keeping each row's line."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from ..domain.email_address import BadAddress, normalise_address
from ..domain.errors import InvalidInput
from ..domain.signing import DOCUMENT_FIELDS, checked_field
from ..domain.text import nfc
from ..domain.unit_tree import UnitRow
from ..domain.yaml_input import (
    UNITS_FILE_MAX_BYTES,
    check_size,
    compose_bounded,
    construct_plain,
)
from .input_files import read_input_text

CSV_COLUMNS = ("code", "name", "kind", "parent", "emails", "symbol", *DOCUMENT_FIELDS)
_FIELD_MAX_CHARS = 2_000  # a unit's name is ~80 characters; its e-mail list a few hundred
_KNOWN_KEYS = {"code", "name", "kind", "parent", "emails", "email", "symbol", "children",
               *DOCUMENT_FIELDS}


def read_unit_file(path: Path, max_bytes: int = UNITS_FILE_MAX_BYTES) -> list[UnitRow]:
    text = read_input_text(path, max_bytes)
    if path.suffix.lower() == ".csv":
        return parse_unit_csv(text, max_bytes)
    if path.suffix.lower() in {".yaml", ".yml"}:
        return parse_unit_yaml(text, max_bytes)
    raise InvalidInput("file", f"'{path.name}': expected a .yaml, .yml or .csv file")


def parse_unit_csv(text: str, max_bytes: int = UNITS_FILE_MAX_BYTES) -> list[UnitRow]:
    check_size(text, max_bytes, "file")
    reader = csv.DictReader(io.StringIO(unicodedata.normalize("NFC", text)))
    missing = [c for c in ("code", "name", "kind") if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput("header", f"missing column(s): {', '.join(missing)}", line=1)
    rows, first_line = [], reader.line_num + 1  # a quoted field may span several lines
    for record in reader:
        record = _checked_text(record, first_line)
        rows.append(_row(record, first_line, record.get("parent")))
        first_line = reader.line_num + 1
    return rows


def parse_unit_yaml(text: str, max_bytes: int = UNITS_FILE_MAX_BYTES) -> list[UnitRow]:
    check_size(text, max_bytes, "file")
    root = compose_bounded(nfc(text, "file"), "file", max_bytes)
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
    for node in seq.value:
        line = node.start_mark.line + 1
        record: Any = _checked_text(construct_plain(node, "units"), line)  # plain data only
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


def _checked_text(record: Any, line: int) -> Any:
    """NFC, and a NUL or a lone surrogate refused naming the field and the line."""
    try:
        return nfc(record)
    except InvalidInput as exc:
        column = re.split(r"[.\[]", exc.field)[0]  # "emails", not "emails[0]"
        raise InvalidInput(column, exc.problem, line=line) from None


def _row(record: dict[str, Any], line: int, parent: Any) -> UnitRow:
    for key, value in record.items():
        if key != "children" and len(str(value)) > _FIELD_MAX_CHARS:
            raise InvalidInput(str(key), f"longer than {_FIELD_MAX_CHARS:,} characters",
                               line=line)
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
        document={key: checked_field(key, record[key], line)
                  for key in DOCUMENT_FIELDS if key in record},
    )


def _address(value: Any, line: int) -> str:
    try:
        return normalise_address(str(value).strip())
    except BadAddress as exc:
        raise InvalidInput("emails", str(exc), line=line) from None
