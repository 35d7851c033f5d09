"""Figures in Vietnamese words: Có/Không, counts per choice in the form's order, a count of
"có", Vietnamese separators, dates, units after numbers, labels in the form's order."""

import pytest

from chidao.domain.figures import column_title, figure_text, labelled, number_text, with_unit
from chidao.domain.forms import FormSpec

FORM = FormSpec.model_validate({"key": "f", "title": "F", "fields": [
    {"key": "so_lop", "label": "Số lớp", "type": "integer", "unit": "lớp"},
    {"key": "goc_stem", "label": "Có góc STEM", "type": "boolean"},
    {"key": "muc_do", "label": "Mức độ", "type": "choice", "choices": ["tốt", "khá", "đạt"]},
    {"key": "ngay", "label": "Ngày tổ chức", "type": "date"},
    {"key": "ty_le", "label": "Tỷ lệ", "type": "decimal"},
]})
F = {f.key: f for f in FORM.fields}


@pytest.mark.parametrize("value, expected", [
    (1234, "1.234"), (10.5, "10,5"), (71.764705, "71,76"), (150.0, "150"), (-0.25, "-0,25"),
    (0, "0"), (10**14, "100.000.000.000.000"),
])
def test_numbers_have_vietnamese_separators(value, expected):
    assert number_text(value) == expected


def test_figures_in_words():
    assert figure_text(True) == "Có" and figure_text(False) == "Không"
    assert figure_text(None) == ""
    assert figure_text({"khá": 1, "tốt": 3, "đạt": 0}, F["muc_do"]) == "tốt: 3, khá: 1"
    assert figure_text({"đạt": 0}, F["muc_do"]) == "0"
    assert figure_text(2, F["goc_stem"]) == "Có: 2"  # two units answered có
    assert figure_text("2026-03-20", F["ngay"]) == "20/03/2026"
    assert figure_text(["A: x", "B: y"]) == "A: x\nB: y"
    assert figure_text(["A: x", "B: y"], lines="; ") == "A: x; B: y"


def test_units_and_labels():
    assert with_unit(6, F["so_lop"]) == "6 lớp" and with_unit(None, F["so_lop"]) == ""
    assert column_title(F["so_lop"]) == "Số lớp (lớp)" and column_title(F["ty_le"]) == "Tỷ lệ"
    values = {"muc_do": "khá", "so_lop": 6, "goc_stem": False, "ty_le": None}
    assert labelled(values, FORM) == [("Số lớp", "6 lớp"), ("Có góc STEM", "Không"),
                                      ("Mức độ", "khá")]


def test_the_page_filters_say_statuses_in_vietnamese():
    from chidao.web.display import change_text, status_text, yes_no

    assert status_text("received") == "đã tiếp nhận" and status_text("") == ""
    assert change_text("issued", "received") == "chưa tiếp nhận → đã tiếp nhận"
    assert change_text(None, "issued") == "chưa tiếp nhận"
    assert yes_no(1) == "Có" and yes_no(0) == "Không"


def test_each_answered_figure_under_its_label_in_the_forms_order_with_its_unit():
    """What the task page shows of a submission (moved from the inbox's own copy of these
    rules, now one module)."""
    form = FormSpec.model_validate({"key": "f", "title": "Biểu", "fields": [
        {"key": "so_lop", "label": "Số lớp", "type": "integer", "unit": "lớp"},
        {"key": "goc_stem", "label": "Có góc STEM", "type": "boolean"},
        {"key": "muc_do", "label": "Mức độ", "type": "choice", "choices": ["tốt", "khá"]},
        {"key": "ngay", "label": "Ngày báo cáo", "type": "date"},
        {"key": "ty_le", "label": "Tỷ lệ đạt", "type": "decimal", "unit": "%"}]})
    values = {"ngay": "2026-03-05", "goc_stem": False, "so_lop": 1234, "ty_le": 87.5,
              "muc_do": "tốt", "cu": 1}
    assert labelled(values, form) == [
        ("Số lớp", "1.234 lớp"), ("Có góc STEM", "Không"), ("Mức độ", "tốt"),
        ("Ngày báo cáo", "05/03/2026"), ("Tỷ lệ đạt", "87,5 %")]  # no raw key ("cu")
