"""How many of a directive's fields the importer reads right, against the expected values
written by hand next to each document of tests/fixtures/directives (NAME.txt with
NAME.expected.yaml).

A field counts right only when exactly right: text fields compared after NFC, case folding,
one kind of dash and single blanks; list fields as sets of such values (the order of
"Kính gửi" or "Nơi nhận" does not count, every member does); a field expected null must come
out missing. `corpus_scores` takes any function path -> draft, so the .docx and PDF variants of
the same documents are scored the same way (the function is handed each NAME.txt path and may
read a sibling file made from it)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from chidao.domain.doc_deadlines import deadline_words

DIRECTIVES = Path(__file__).resolve().parents[1] / "fixtures" / "directives"
FIELDS = ("number", "symbol", "doc_type", "governing_body", "issuer", "place", "issued_on",
          "title", "school_year", "based_on", "addressees", "assignee_groups", "deadlines",
          "recipients", "signer")
Draft = dict[str, Any]


def normal(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = unicodedata.normalize("NFC", str(value)).casefold()
    text = re.sub(r"[‐‑‒–—―]", "-", text)
    return re.sub(r"\s+", " ", text).strip(" ;.,:")


def _date(issued: Any) -> str | None:
    if not issued:
        return None
    if isinstance(issued, dict):
        day = f"-{issued['day']:02d}" if issued.get("day") else ""
        return f"{issued['year']:04d}-{issued['month']:02d}{day}"
    return str(issued)


def read_value(draft: Draft, field: str) -> Any:
    """The importer's value of `field`, in the form it is compared in."""
    value = draft.get(field)
    if field == "issued_on":
        return _date(value)
    if field == "based_on":
        return frozenset((normal(r["number"]), normal(r["symbol"]), r.get("date"))
                         for r in value or [])
    if field in ("addressees", "assignee_groups"):
        return frozenset(normal(item["name"]) for item in value or [])
    if field == "deadlines":
        return frozenset(deadline_words(d) for d in value or [])
    if field == "recipients":
        return frozenset((normal(r["name"]), normal(r["purpose"])) for r in value or [])
    if field == "signer":
        return _signer(value)
    return normal(value)


def expected_value(expected: Draft, field: str) -> Any:
    """The hand-written value of `field`, in the same form."""
    value = expected.get(field)
    if field == "issued_on":
        return None if value is None else str(value)
    if field == "based_on":
        return frozenset((normal(r["number"]), normal(r["symbol"]),
                          None if r.get("date") is None else str(r["date"]))
                         for r in value or [])
    if field in ("addressees", "assignee_groups"):
        return frozenset(normal(name) for name in value or [])
    if field == "deadlines":
        return frozenset(str(d) for d in value or [])
    if field == "recipients":
        return frozenset((normal(r["name"]), normal(r.get("purpose"))) for r in value or [])
    if field == "signer":
        return _signer(value)
    return normal(value)


def _signer(value: Any) -> tuple[str | None, ...] | None:
    if not value:
        return None
    return tuple(normal(value.get(k)) for k in ("authority", "position", "name"))


def field_scores(draft: Draft, expected: Draft) -> dict[str, bool]:
    """Field -> read exactly right."""
    return {field: read_value(draft, field) == expected_value(expected, field)
            for field in FIELDS}


def documents(folder: Path = DIRECTIVES) -> list[Path]:
    """The corpus: every NAME.txt that has its NAME.expected.yaml."""
    return sorted(p for p in folder.glob("*.txt") if expected_path(p).is_file())


def expected_path(path: Path) -> Path:
    return path.with_name(path.name.split(".")[0] + ".expected.yaml")


def expected_of(path: Path) -> Draft:
    data = yaml.safe_load(expected_path(path).read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{expected_path(path).name}: expected a mapping"
    unknown = set(data) - set(FIELDS)
    assert not unknown, f"{expected_path(path).name}: unknown fields {sorted(unknown)}"
    return data


def corpus_scores(parse: Callable[[Path], Draft],
                  paths: Iterable[Path] | None = None) -> dict[str, tuple[int, int]]:
    """Field -> (right, total) over the corpus, `parse` reading each document."""
    totals = {field: [0, 0] for field in FIELDS}
    for path in documents() if paths is None else paths:
        for field, right in field_scores(parse(path), expected_of(path)).items():
            totals[field][0] += right
            totals[field][1] += 1
    return {field: (right, total) for field, (right, total) in totals.items()}


def misses(parse: Callable[[Path], Draft],
           paths: Iterable[Path] | None = None) -> list[tuple[str, str, Any, Any]]:
    """(document, field, read, expected) for every field read wrong: what to look at."""
    found = []
    for path in documents() if paths is None else paths:
        draft, expected = parse(path), expected_of(path)
        for field, right in field_scores(draft, expected).items():
            if not right:
                found.append((path.name, field, read_value(draft, field),
                              expected_value(expected, field)))
    return found


def overall(scores: dict[str, tuple[int, int]]) -> float:
    right = sum(r for r, _ in scores.values())
    total = sum(t for _, t in scores.values())
    return right / total if total else 0.0
