"""Read a directive YAML file into a validated spec."""

from __future__ import annotations

from pathlib import Path

import yaml

from domain.errors import InvalidInput
from domain.specs import DirectiveSpec, parse_directive


def load_directive_file(path: Path) -> DirectiveSpec:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput("file", f"cannot read '{path}': {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput("file", f"'{path.name}' is not UTF-8 text (byte {exc.start})"
                           ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput("file", f"'{path.name}' is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput("file", f"'{path.name}' must hold one directive (a YAML mapping)")
    return parse_directive(data)
