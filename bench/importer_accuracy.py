"""How many fields the importer reads right on its own corpus (tests/fixtures/directives:
NAME.txt and NAME.expected.yaml, written by hand in the style of real directives), per field
and per input format.

Run: .venv/bin/python -m bench.importer_accuracy [--misses] [--text-only]
Last line: {"txt": {"overall": .., "documents": .., "fields": {field: .., …}}, "docx": …,
"pdf": …}
A format is a function NAME.txt path -> draft in FORMATS. "docx" and "pdf" read the variants
tests/support/corpus_variants.py makes of the same documents (the project's writer, then
LibreOffice), over the documents the writer has a layout for (not a HƯỚNG DẪN).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chidao.domain.doc_parse import parse_document
from tests.support.corpus_variants import variant_parser, write_variants
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


def variant_formats(folder: Path, paths: list[Path]
                    ) -> dict[str, tuple[Callable[[Path], Draft], list[Path]]]:
    """"docx" and "pdf": each document with a layout, written and printed into `folder`."""
    variants, _ = write_variants(folder)
    laid_out = {v.source.resolve() for v in variants}
    kept = [p for p in paths if p.resolve() in laid_out]
    return {kind: (variant_parser(variants, kind), kept) for kind in ("docx", "pdf")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list every field read wrong")
    parser.add_argument("--text-only", action="store_true", help="no .docx/PDF (LibreOffice)")
    args = parser.parse_args()
    paths = documents()
    with tempfile.TemporaryDirectory(prefix="chidao-variants-") as folder:
        formats = {name: (parse, paths) for name, parse in FORMATS.items()}
        if not args.text_only:
            formats |= variant_formats(Path(folder), paths)
        scores = {name: corpus_scores(parse, kept) for name, (parse, kept) in formats.items()}
        print(f"{'field':<16}" + "".join(f" {name:>14}" for name in formats))
        for field in FIELDS:
            print(f"{field:<16}" + "".join(
                f" {s[field][0]:>4}/{s[field][1]:<3}{s[field][0] / s[field][1]:>6.0%}"
                for s in scores.values()))
        print(f"{'overall':<16}" + "".join(f" {overall(s):>14.1%}" for s in scores.values()))
        if args.misses:
            for name, (parse, kept) in formats.items():
                for document, field, read, expected in misses(parse, kept):
                    print(f"MISS {name} {document} {field}: read {read!r},"
                          f" expected {expected!r}")
        print(json.dumps({name: format_result(scores[name], len(kept))
                          for name, (_, kept) in formats.items()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
