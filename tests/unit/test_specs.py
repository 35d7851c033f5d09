"""The directive file schema: NĐ 30 number/symbol, field-named errors, NFC input."""

import unicodedata
from typing import Any

import pytest

from chidao.domain.directives import DocType
from chidao.domain.errors import InvalidInput
from chidao.domain.specs import parse_directive, parse_number_symbol


def directive(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "number_symbol": "1039/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "2026-02-26",
        "title": "Triển khai giáo dục STEM",
        "requirements": [{"key": "ke-hoach", "kind": "plan", "title": "Xây dựng kế hoạch",
                          "to": {"children": {"kind": "people_committee"}},
                          "due": {"working_days_after_issue": 15}}],
    }
    base.update(over)
    return base


@pytest.mark.parametrize(("text", "expected"), [
    ("1039/KH-SGDĐT", ("1039", "KH-SGDĐT")),
    ("Số: 1039/KH-SGDĐT", ("1039", "KH-SGDĐT")),
    ("/KH-UBND", (None, "KH-UBND")),
    ("Số:    /KH-UBND", (None, "KH-UBND")),
    ("567/PGDĐT-NVMN", ("567", "PGDĐT-NVMN")),
    ("08/KH-UBND", ("08", "KH-UBND")),  # NĐ 30 numbers run from 01: kept as issued
    ("Số: 001/TB-SGDĐT", ("001", "TB-SGDĐT")),
])
def test_number_and_symbol(text: str, expected: tuple[str | None, str]):
    assert parse_number_symbol(text) == expected


def test_type_code_comes_from_the_symbol_and_cong_van_has_none():
    assert parse_directive(directive()).resolved_doc_type is DocType.KH
    cv = parse_directive(directive(number_symbol="567/PGDĐT-NVMN", issuer="PGD"))
    assert cv.resolved_doc_type is DocType.CV


def test_school_year_defaults_from_the_issue_date():
    assert parse_directive(directive()).resolved_school_year == "2025-2026"
    assert parse_directive(directive(issued_on="04/09/2023")).resolved_school_year == "2023-2024"


@pytest.mark.parametrize(("change", "field"), [
    ({"number_symbol": "KH-SGDĐT"}, "number_symbol"),
    ({"number_symbol": "/KH-UBND"}, "key"),
    ({"number_symbol": "00/KH-UBND"}, "number_symbol"),
    ({"number_symbol": "1234567890/KH-UBND"}, "number_symbol"),
    ({"doc_type": "QĐ"}, "doc_type"),
    ({"issued_on": "31/02/2026"}, "issued_on"),
    ({"school_year": "2025-2027"}, "school_year"),
    ({"colour": "red"}, "colour"),
    ({"requirements": [{"key": "a", "kind": "plan", "title": "x", "to": {}, "due": "2026-03-01"}]},
     "requirements[0].to"),
    ({"requirements": [{"key": "a", "kind": "plan", "title": "x", "to": {"units": []},
                        "due": "2026-03-01"}]}, "requirements[0].to.units"),
    ({"requirements": [{"key": "a", "kind": "task", "title": "x", "to": {"units": ["A"]},
                        "due": "2026-03-01"}]}, "requirements[0].kind"),
    ({"requirements": [{"key": "a", "kind": "plan", "title": "x", "to": {"units": ["A"]},
                        "due": {"every": "month", "from": "2026-3", "to": "2026-05"}}]},
     "requirements[0].due.from"),
])
def test_bad_fields_are_named(change: dict[str, Any], field: str):
    with pytest.raises(InvalidInput) as exc:
        parse_directive(directive(**change))
    assert exc.value.field == field


def test_decomposed_vietnamese_is_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Triển khai giáo dục STEM")
    assert decomposed != "Triển khai giáo dục STEM"
    spec = parse_directive(directive(title=decomposed,
                                     number_symbol=unicodedata.normalize("NFD", "1039/KH-SGDĐT")))
    assert spec.title == "Triển khai giáo dục STEM"
    assert spec.symbol == "KH-SGDĐT"
