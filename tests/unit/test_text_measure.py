"""Line breaking for the NĐ 30 layout: agency names break before their level word, titles in
even lines, an author's own breaks are kept, and a paragraph's measure reproduces the breaks."""

from chidao.domain.nd30_layout import STYLES, Part, pt
from chidao.files.text_measure import (
    balanced_lines,
    fitting_measure,
    name_lines,
    width_pt,
    wrapped,
)

ISSUER, TITLE = STYLES[Part.ISSUER], STYLES[Part.TITLE]
COLUMN = pt(68)


def test_vietnamese_letters_measure_as_their_base_letters():
    assert width_pt("ỦY BAN", ISSUER) == width_pt("UY BAN", ISSUER)
    assert width_pt("ĐẶC", ISSUER) == width_pt("DAC", ISSUER)
    assert width_pt("Độc lập", TITLE) > width_pt("Độc lập", STYLES[Part.BODY])  # bold 14 pt


def test_agency_names_break_before_their_level_word():
    assert name_lines("ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI", ISSUER, COLUMN) == [
        "ỦY BAN NHÂN DÂN", "ĐẶC KHU KIÊN HẢI"]
    assert name_lines("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH AN GIANG", STYLES[Part.GOVERNING_BODY],
                      COLUMN) == ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TỈNH AN GIANG"]
    # "XÃ HỘI" is not a level: the break comes before ĐẶC KHU
    assert name_lines("PHÒNG VĂN HÓA - XÃ HỘI ĐẶC KHU KIÊN HẢI", ISSUER, COLUMN) == [
        "PHÒNG VĂN HÓA - XÃ HỘI", "ĐẶC KHU KIÊN HẢI"]
    assert name_lines("SỞ GIÁO DỤC VÀ ĐÀO TẠO", ISSUER, COLUMN) == ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"]
    assert name_lines("ỦY BAN NHÂN DÂN\nXÃ VĨNH HẢI", ISSUER, COLUMN) == [
        "ỦY BAN NHÂN DÂN", "XÃ VĨNH HẢI"]


def test_a_title_breaks_into_even_lines_and_keeps_its_authors_breaks():
    title = "Triển khai thực hiện giáo dục STEM trong giáo dục mầm non năm học 2025-2026"
    greedy = wrapped(title, TITLE, pt(165))
    even = balanced_lines(title, TITLE, pt(165))
    assert len(even) == len(greedy) == 2
    assert greedy[-1] == "2025-2026" and even[-1] != "2025-2026"  # not one word left alone
    widths = [width_pt(line, TITLE) for line in even]
    assert max(widths) - min(widths) < width_pt("giáo dục mầm", TITLE)
    assert balanced_lines("Chuyên đề A\nNăm học 2023-2024", TITLE, pt(165)) == [
        "Chuyên đề A", "Năm học 2023-2024"]


def test_the_measure_reproduces_the_breaks_even_when_widths_differ_by_one_percent():
    text = "ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI"
    lines = name_lines(text, ISSUER, COLUMN)
    measure = fitting_measure(text, lines, ISSUER)
    assert measure is not None and measure < COLUMN
    for scale in (0.99, 1.01):
        assert wrapped(text, ISSUER, measure * scale) == lines
    assert fitting_measure(text, [text], ISSUER) is None  # one line: nothing to fit
