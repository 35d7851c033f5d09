"""Read a directive YAML file into a validated spec."""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import InvalidInput
from ..domain.specs import DirectiveSpec, parse_directive
from ..domain.yaml_input import DIRECTIVE_MAX_BYTES, load_bounded
from .input_files import read_input_text


def load_directive_file(path: Path, max_bytes: int = DIRECTIVE_MAX_BYTES) -> DirectiveSpec:
    data = load_bounded(read_input_text(path, max_bytes), "file", max_bytes)
    if not isinstance(data, dict):
        raise InvalidInput("file", f"'{path.name}' must hold one directive (a YAML mapping)")
    return parse_directive(data)
