"""Figures as a Vietnamese page shows them: labels and units, Có/Không, choice counts, dates."""

from chidao.domain.figure_words import figure_text, labelled_figures, number_text
from chidao.domain.forms import FieldType, FormSpec

FORM = FormSpec.model_validate({"key": "f", "title": "Biểu", "fields": [
    {"key": "so_lop", "label": "Số lớp", "type": "integer", "unit": "lớp"},
    {"key": "goc_stem", "label": "Có góc STEM", "type": "boolean"},
    {"key": "muc_do", "label": "Mức độ", "type": "choice", "choices": ["tốt", "khá"]},
    {"key": "ngay", "label": "Ngày báo cáo", "type": "date"},
    {"key": "ty_le", "label": "Tỷ lệ đạt", "type": "decimal", "unit": "%"}]})


def test_numbers_use_vietnamese_separators():
    assert number_text(1234567) == "1.234.567"
    assert number_text(1234.5) == "1.234,5"
    assert number_text(0.25) == "0,25"


def test_each_figure_under_its_label_in_the_forms_order():
    values = {"ngay": "2026-03-05", "goc_stem": False, "so_lop": 6, "ty_le": 87.5,
              "muc_do": "tốt", "cu": 1}
    assert labelled_figures(FORM, values) == [
        ("Số lớp", "6 lớp"), ("Có góc STEM", "Không"), ("Mức độ", "tốt"),
        ("Ngày báo cáo", "05/03/2026"), ("Tỷ lệ đạt", "87,5 %"), ("cu", "1")]


def test_rolled_up_figures_read_as_counts():
    assert figure_text({"tốt": 3, "khá": 1}, FieldType.CHOICE) == "tốt: 3, khá: 1"
    assert figure_text(True) == "Có" and figure_text(None) == "—"
