"""How many fields the importer reads right on its own corpus (tests/fixtures/directives:
NAME.txt and NAME.expected.yaml, written by hand in the style of real directives), per field.

Run: .venv/bin/python -m bench.importer_accuracy [--misses]
Last line: {"txt": {"overall": .., "fields": {field: .., …}, "documents": ..}}
(other input formats, .docx and PDF made from the same documents, add their own keys.)
"""

from __future__ import annotations

import argparse
import json
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


def format_result(scores: dict[str, tuple[int, int]], count: int) -> dict[str, Any]:
    return {"overall": round(overall(scores), 4), "documents": count,
            "fields": {f: round(r / t, 4) if t else 0.0 for f, (r, t) in scores.items()}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list every field read wrong")
    args = parser.parse_args()
    paths = documents()
    scores = corpus_scores(parse_txt, paths)
    print(f"{'field':<16} {'txt':>9}")
    for field in FIELDS:
        right, total = scores[field]
        print(f"{field:<16} {right:>3}/{total:<3} {right / total:6.1%}")
    print(f"{'overall':<16} {overall(scores):>15.1%}")
    if args.misses:
        for name, field, read, expected in misses(parse_txt, paths):
            print(f"MISS {name} {field}: read {read!r}, expected {expected!r}")
    print(json.dumps({"txt": format_result(scores, len(paths))}, ensure_ascii=False))


if __name__ == "__main__":
    main()
