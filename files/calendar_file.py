"""Writing a deployment's calendar file (CHIDAO_CALENDAR_FILE): a decision is appended as an
entry, the operator's comments and layout kept; the file is replaced whole (no half-written
file for the scheduler to read). The form is chidao.domain.official_days'."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from ..config.calendar_source import parse_calendar_text, read_calendar_file
from ..domain.errors import InvalidInput
from ..domain.official_days import Decision

HEADER = ("# This deployment's day-off decisions, over those shipped with chidao (see `chidao"
          " calendar`).\n# One entry per decision; `chidao calendar add` appends to this file.\n")


def with_decision(path: Path, decision: Decision) -> str:
    """The text of `path` (which may not exist yet) with `decision` appended. InvalidInput if
    the file as it is now is broken: the operator mends it first."""
    decisions, _ = read_calendar_file(path)
    old = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    entry = yaml.safe_dump([decision.as_data()], allow_unicode=True, sort_keys=False,
                           default_flow_style=None, width=100)
    item = ("\n" if decisions else "") + "".join("  " + line if line.strip() else line
                          for line in entry.splitlines(keepends=True))
    text = (old if old.strip() and decisions else (old or HEADER) + "entries:\n")
    appended = text.rstrip("\n") + "\n" + item
    if _reads_as(appended, [*decisions, decision]):
        return appended
    # a layout the appended lines do not extend (a flow list, entries not last): write anew
    return HEADER + yaml.safe_dump({"entries": [d.as_data() for d in (*decisions, decision)]},
                                   allow_unicode=True, sort_keys=False, width=100)


def _reads_as(text: str, decisions: list[Decision]) -> bool:
    try:
        return parse_calendar_text(text, "calendar file") == decisions
    except InvalidInput:
        return False


def replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` whole: a reader sees the old file or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
