"""How many fields the importer reads right on its own corpus (tests/fixtures/directives:
NAME.txt and NAME.expected.yaml, written by hand in the style of real directives), per field
and per input format.

Run: .venv/bin/python -m bench.importer_accuracy [--misses]
Last line: {"txt": {"overall": .., "documents": .., "fields": {field: .., …}}, …}
A format is a function NAME.txt path -> draft in FORMATS: .docx and PDF variants made from the
same documents plug in there and get their own key.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chidao.domain.doc_parse import parse_document
from tests.support.import_scores import (
    FIELDS,
    Draft,
    corpus_scores,
    documents,
    misses,
    overall,
)


def parse_txt(path: Path) -> Draft:
    return parse_document(path.read_text(encoding="utf-8"))


FORMATS: dict[str, Callable[[Path], Draft]] = {"txt": parse_txt}


def format_result(scores: dict[str, tuple[int, int]], count: int) -> dict[str, Any]:
    return {"overall": round(overall(scores), 4), "documents": count,
            "fields": {f: round(r / t, 4) if t else 0.0 for f, (r, t) in scores.items()}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list every field read wrong")
    args = parser.parse_args()
    paths = documents()
    scores = {name: corpus_scores(parse, paths) for name, parse in FORMATS.items()}
    print(f"{'field':<16}" + "".join(f" {name:>14}" for name in FORMATS))
    for field in FIELDS:
        print(f"{field:<16}" + "".join(
            f" {s[field][0]:>4}/{s[field][1]:<3}{s[field][0] / s[field][1]:>6.0%}"
            for s in scores.values()))
    print(f"{'overall':<16}" + "".join(f" {overall(s):>14.1%}" for s in scores.values()))
    if args.misses:
        for name, parse in FORMATS.items():
            for document, field, read, expected in misses(parse, paths):
                print(f"MISS {name} {document} {field}: read {read!r}, expected {expected!r}")
    print(json.dumps({name: format_result(s, len(paths)) for name, s in scores.items()},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
