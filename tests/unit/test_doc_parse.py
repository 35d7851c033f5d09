"""Reading directives: the three corpus documents field by field, and documents of our own in
the same style (other issuers, types, levels; markdown; no diacritics; letter numbering)."""

from pathlib import Path

import pytest

from chidao.domain.doc_parse import parse_document
from tests.fixtures.corpus_expected import HUYEN, KIEN_HAI, MY_TU
from tests.support.paths import CORPUS

OWN = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
CASES = [("kh-ubnd-kien-hai-stem-2026.txt", KIEN_HAI),
         ("kh-ubnd-huyen-tre-trung-tam-2023.txt", HUYEN),
         ("cv-pgddt-my-tu-nhiem-vu-2023.txt", MY_TU)]


@pytest.mark.parametrize(("name", "expected"), CASES)
def test_corpus_document_fields(name, expected):
    draft = parse_document((CORPUS / name).read_text(encoding="utf-8"))
    for field in ("number", "symbol", "doc_type", "issuer", "place", "issued_on", "title",
                  "school_year", "signer", "missing"):
        assert draft[field] == expected[field], field
    assert [(r["kind"], r["number"], r["symbol"], r["date"], r["issuer"], r["line"])
            for r in draft["based_on"]] == expected["based_on"]
    assert [(g["name"], g["line"], len(g["tasks"])) for g in draft["assignee_groups"]] == \
        expected["groups"]
    assert [(d["text"], d["line"], {k: v for k, v in d.items() if k not in ("text", "line")})
            for d in draft["deadlines"]] == expected["deadlines"]
    assert [(r["name"], r["purpose"]) for r in draft["recipients"]] == expected["recipients"]
    for field, line in expected["lines"].items():
        assert draft["lines"][field] == line, field


def test_a_task_broken_over_two_lines_stays_one_task():
    draft = parse_document((CORPUS / CASES[0][0]).read_text(encoding="utf-8"))
    task = draft["assignee_groups"][1]["tasks"][3]["text"]
    assert task.endswith("khám phá thiên nhiên, môi trường địa phương).")


def test_a_school_plan_in_markdown_with_letter_numbering():
    draft = parse_document((OWN / "kh-truong-mn-hoa-sen-2025.md").read_text(encoding="utf-8"))
    assert (draft["number"], draft["symbol"], draft["issuer"]) == (
        "15", "KH-MNHS", "TRƯỜNG MẦM NON HOA SEN")
    assert draft["based_on"][0]["number"] == "88"  # introduced by "Thực hiện", not "Căn cứ"
    assert [g["name"] for g in draft["assignee_groups"]] == [
        "Tổ chuyên môn Mẫu giáo", "Tổ Văn phòng"]
    assert [{k: v for k, v in d.items() if k not in ("text", "line")}
            for d in draft["deadlines"]] == [
        {"working_days": 5}, {"recurrence": "monthly"}, {"date": "2026-05-25"}]
    assert draft["signer"] == {"authority": None, "position": "HIỆU TRƯỞNG",
                               "name": "Trần Thị Mai", "line": 35}


def test_a_notice_typed_partly_without_diacritics():
    draft = parse_document((OWN / "tb-so-ket-luan-2026.txt").read_text(encoding="utf-8"))
    assert (draft["number"], draft["symbol"], draft["doc_type"]) == ("45", "TB-SGDDT", "TB")
    assert (draft["place"], draft["issued_on"]) == (
        "Dong Thap", {"day": 12, "month": 1, "year": 2026})
    assert draft["based_on"][0]["symbol"] == "QĐ-UBND"
    assert ("Như mục II", "thực hiện") in [(r["name"], r["purpose"])
                                           for r in draft["recipients"]]
    assert draft["signer"]["authority"] == "KT. GIÁM ĐỐC"


def test_what_is_not_there_is_reported_missing_not_invented():
    draft = parse_document("KẾ HOẠCH\nViệc gì đó\n\nI. NỘI DUNG\n1. Làm một việc.\n")
    assert draft["number"] is None and draft["place"] is None
    assert {"number", "symbol", "place", "issued_on", "signer", "recipients"} <= set(
        draft["missing"])
