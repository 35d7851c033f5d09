"""The issuing form without a database: what it builds is the spec the YAML path builds; every
problem is reported at once, in Vietnamese, keyed by field; unit names resolve to codes."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from starlette.datastructures import FormData

from chidao.config.calendar_source import vietnam_calendar
from chidao.domain.doc_parse import parse_document
from chidao.domain.specs import parse_directive
from chidao.domain.unit_names import UnitChoice, UnitNameError, resolve_unit_name
from chidao.queries.issue_choices import CiteChoice
from chidao.web.issue_checks import IssueContext, check_form
from chidao.web.issue_draft import form_from_draft
from chidao.web.issue_form import read_form
from tests.support.paths import CORPUS

UNITS = [UnitChoice("UBND-KIENHAI", "Ủy ban nhân dân đặc khu Kiên Hải", "people_committee", 2),
         UnitChoice("UBND-PHUQUOC", "Ủy ban nhân dân đặc khu Phú Quốc", "people_committee", 2),
         UnitChoice("PVHXH-PHUQUOC", "Phòng Văn hóa - Xã hội đặc khu Phú Quốc", "office", 3),
         UnitChoice("PVHXH-KIENHAI", "Phòng Văn hóa - Xã hội đặc khu Kiên Hải", "office", 3),
         UnitChoice("MN-HONTRE", "Trường Mầm non Hòn Tre", "school", 3),
         UnitChoice("MN-LAISON", "Trường Mầm non Lại Sơn", "school", 3)]


def context(**changes) -> IssueContext:
    base = {"issuer_code": "SGDDT-AG", "issuer_symbol": "SGDĐT", "issuer_depth": 1,
            "units": {u.code: u for u in UNITS}, "subtree_complete": True,
            "cite_keys": {"7": "2026:1039/KH-SGDĐT"}, "form_refs": {"stem-ket-qua@1"},
            "calendar": vietnam_calendar()}
    return IssueContext(**(base | changes))


def posted(**fields) -> FormData:
    items = []
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            items.append((name.replace("__", "-"), one))
    return FormData(items)


GOOD = {"number_symbol": "25/KH-SGDĐT", "issued_on": "02/03/2026", "doc_type": "KH",
        "title": "Kiểm tra cơ sở vật chất", "based_on": "7",
        "req__0__title": "Tự kiểm tra phòng học", "req__0__kind": "action",
        "req__0__who": "children", "req__0__due": "20/03/2026",
        "req__1__title": "Báo cáo kết quả", "req__1__kind": "report", "req__1__who": "kind",
        "req__1__unit_kind": "school", "req__1__due": "31/03/2026",
        "req__1__form": "stem-ket-qua@1",
        "req__2__title": "Kế hoạch của Phú Quốc", "req__2__kind": "plan",
        "req__2__who": "units", "req__2__units": ["UBND-PHUQUOC", "MN-HONTRE"],
        "req__2__due": "06/04/2026"}


def test_the_form_builds_the_spec_the_yaml_path_builds():
    spec, errors = check_form(read_form(posted(**GOOD)), context())
    assert errors == {}
    from_yaml = parse_directive(yaml.safe_load("""
number_symbol: 25/KH-SGDĐT
doc_type: KH
issuer: SGDDT-AG
issued_on: 02/03/2026
title: Kiểm tra cơ sở vật chất
based_on: ["2026:1039/KH-SGDĐT"]
requirements:
  - {key: nv-1, kind: action, title: Tự kiểm tra phòng học, to: {children: {}},
     due: 20/03/2026}
  - {key: nv-2, kind: report, title: Báo cáo kết quả, to: {descendants: {kind: school}},
     due: 31/03/2026, form: stem-ket-qua@1}
  - {key: nv-3, kind: plan, title: Kế hoạch của Phú Quốc,
     to: {units: [UBND-PHUQUOC, MN-HONTRE]}, due: 06/04/2026}
"""))
    assert spec == from_yaml


def test_every_problem_is_reported_at_once_and_nothing_is_built():
    bad = posted(number_symbol="/KH-SGDĐT", issued_on="31/02/2026", doc_type="QĐ", title=" ",
                 based_on="999", req__0__title="", req__0__kind="action", req__0__who="units",
                 req__0__due="21/03/2026", req__1__title="Báo cáo", req__1__kind="action",
                 req__1__who="kind", req__1__due="30/02/2026", req__1__form="stem-ket-qua@1")
    spec, errors = check_form(read_form(bad), context())
    assert spec is None
    assert set(errors) == {"number_symbol", "doc_type", "issued_on", "title", "based_on",
                           "req-0-title", "req-0-units", "req-0-due", "req-1-unit_kind",
                           "req-1-due", "req-1-form"}
    assert "31/02/2026" in errors["issued_on"] and "không có thật" in errors["issued_on"]
    assert "thứ Bảy" in errors["req-0-due"] and "23/03/2026" in errors["req-0-due"]
    assert "Chỉ nhiệm vụ báo cáo" in errors["req-1-form"]


def test_a_symbol_without_the_issuers_abbreviation_and_a_deadline_before_issue():
    form = read_form(posted(**(GOOD | {"number_symbol": "25/KH-UBND",
                                       "req__0__due": "27/02/2026"})))
    _, errors = check_form(form, context())
    assert "«SGDĐT»" in errors["number_symbol"]
    assert "trước ngày ban hành 02/03/2026" in errors["req-0-due"]


def test_a_form_without_requirements_is_refused():
    fields = {k: v for k, v in GOOD.items() if not k.startswith("req")}
    _, errors = check_form(read_form(posted(**fields)), context())
    assert list(errors) == ["requirements"]


@pytest.mark.parametrize(("typed", "code"), [
    ("Phú Quốc", "UBND-PHUQUOC"), ("phu quoc", "UBND-PHUQUOC"),
    ("Ủy ban nhân dân đặc khu Kiên Hải", "UBND-KIENHAI"), ("Hòn Tre", "MN-HONTRE"),
    ("Phòng Văn hóa - Xã hội đặc khu Phú Quốc", "PVHXH-PHUQUOC")])
def test_a_unit_is_found_by_its_name_or_a_part_of_it(typed, code):
    assert resolve_unit_name(typed, UNITS).code == code


@pytest.mark.parametrize(("typed", "problem"), [
    ("Cà Mau", "không có đơn vị nào"), ("Mầm non", "khớp nhiều đơn vị"), ("  ", "chưa chọn")])
def test_an_unknown_or_ambiguous_name_says_so(typed, problem):
    with pytest.raises(UnitNameError, match=problem):
        resolve_unit_name(typed, UNITS)


def test_an_imported_corpus_plan_prefills_the_form_with_its_lines():
    text = (CORPUS / "kh-ubnd-kien-hai-stem-2026.txt").read_text(encoding="utf-8")
    cites = [CiteChoice(7, "1039/KH-SGDĐT ngày 26/02/2026 — Triển khai …", False)]
    below = [u for u in UNITS if u.code in ("PVHXH-KIENHAI", "MN-HONTRE", "MN-LAISON")]
    form = form_from_draft(parse_document(text), text, file_name="kh.txt", depth=1,
                           cites=cites, units=[UnitChoice(u.code, u.name, u.kind, 2)
                                               for u in below],
                           school_year_end=(5, 31), calendar=vietnam_calendar(),
                           today=date(2026, 3, 12))
    assert form.number_symbol == "/KH-UBND"  # blank in the source: the văn thư numbers it
    assert form.issued_on == "12/03/2026"  # "ngày ... tháng 3 năm 2026": the day it issues
    assert form.sources["issued_on"].endswith("(ngày để trống: lấy ngày hôm nay)")
    assert form.title.startswith("Triển khai thực hiện giáo dục STEM")
    assert form.based_on == ["7"]
    assert form.sources["based_on"].startswith("từ dòng 13: ")
    assert "1039/KH-SGDĐT" in form.sources["based_on"]
    office, schools = form.requirements
    assert (office.who, office.units) == ("units", ["PVHXH-KIENHAI"])
    assert (schools.who, schools.unit_kind) == ("kind", "school")
    # "báo cáo tổng kết năm học" (line 56): the year-end summary, due at the Ministry on
    # Tuesday 30/06/2026; a Phòng 5 working days before (23/06), a school 10 (16/06)
    assert (office.due, schools.due) == ("23/06/2026", "16/06/2026")
    assert schools.sources["due"].startswith("từ dòng 56: ")
    assert schools.sources["who"].startswith("từ dòng 58: 2. Các cơ sở giáo dục mầm non")
