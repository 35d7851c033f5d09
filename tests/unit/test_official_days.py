"""The official calendar layer's data: the shipped decisions, the file form and its errors, a
deployment's decisions over the shipped ones, and the deployment file written by `calendar
add` (comments kept, read back the same)."""

import unicodedata
from datetime import date

import pytest

from chidao.config.calendar_source import (
    SHIPPED_FILE,
    calendar_of,
    parse_calendar_text,
    read_calendar_file,
    shipped_decisions,
    vietnam_calendar,
)
from chidao.domain.calendar import WorkingCalendar
from chidao.domain.errors import InvalidInput
from chidao.domain.official_days import (
    Decision,
    day_spans,
    disagreements,
    notable_days,
    official_rules,
)
from chidao.files.calendar_file import with_decision

CV_12729 = "Công văn 12729/VPCP-KGVX ngày 25/12/2025"


def test_the_shipped_file_loads_and_every_entry_names_its_decision():
    decisions = shipped_decisions()
    assert decisions, "no decision shipped"
    for decision in decisions:
        assert decision.source and decision.issued_by and decision.name
        assert " ngày " in decision.source and "/" in decision.source  # number and date
        assert decision.off or decision.working
    assert "calendar_data" == SHIPPED_FILE.parent.name


def test_tet_duong_lich_2026_as_cong_van_12729_decided():
    cal = vietnam_calendar()
    assert not cal.is_working_day(date(2026, 1, 2))  # Friday, given in exchange
    assert cal.roll_forward(date(2026, 1, 2)) == date(2026, 1, 5)
    assert cal.is_working_day(date(2026, 1, 10))  # Saturday, worked back
    assert cal.source_of(date(2026, 1, 2)) == cal.source_of(date(2026, 1, 10)) == CV_12729
    package = WorkingCalendar()  # what the package alone says: the defect
    assert package.roll_forward(date(2026, 1, 2)) == date(2026, 1, 2)
    assert not package.is_working_day(date(2026, 1, 10))


def test_the_year_lists_weekdays_off_and_weekend_days_worked_with_their_source():
    days = {d.day: d for d in notable_days(vietnam_calendar(), 2026)}
    assert days[date(2026, 1, 2)].source == CV_12729 and not days[date(2026, 1, 2)].working
    assert days[date(2026, 1, 10)].working
    assert days[date(2026, 2, 17)].source == "holidays" and "Tết" in days[date(2026, 2, 17)].name
    assert date(2026, 1, 3) not in days  # a Saturday off is no news
    assert date(2026, 1, 5) not in days


def test_check_finds_where_the_package_and_the_decisions_part_ways():
    found = disagreements(vietnam_calendar(), WorkingCalendar(), [2025, 2026])
    assert [(d.day, d.package_working, d.rule.off) for d in found] == [
        (date(2026, 1, 2), True, True), (date(2026, 1, 10), False, False)]
    assert disagreements(vietnam_calendar(), WorkingCalendar(), [2027]) == []


BAD = """entries:
  - {source: a, days_off: [01/01/2027]}
  - {source: b, days_off: [02/01/2027]}
  - {source: c, days_off: [03/01/2027]}
  - {source: d, days_off: [31/02/2026]}
"""


@pytest.mark.parametrize(("text", "message"), [
    (BAD, "calendar file x.yaml: entries[3].days_off[0]: 31/02/2026 does not exist"),
    ("entries:\n  - {days_off: [01/01/2027]}\n", "entries[0].source: missing"),
    ("entries:\n  - {source: a}\n", "entries[0]: declares no day"),
    ("entries:\n  - {source: a, off: [01/01/2027]}\n", "entries[0]: a key reads as true/false"),
    ("entries:\n  - {source: a, day: [01/01/2027]}\n", "entries[0].day: unknown key"),
    ("entries:\n  - {source: a, days_off: [1/13/2027]}\n",
     "entries[0].days_off[0]: 01/13/2027 does not exist"),
    ("entries:\n  - {source: a, days_off: [tomorrow]}\n", "'tomorrow' is not a day"),
    ("entries:\n  - {source: a, days_off: [05/01/2027..01/01/2027]}\n", "ends before it starts"),
    ("entries:\n  - {source: a, days_off: [01/01/2027..01/06/2027]}\n", "longer than 62 days"),
    ("entries:\n  - {source: a, days_off: [01/01/2027], working_days: [01/01/2027]}\n",
     "entries[0].working_days: 01/01/2027 is also in days_off"),
    ("entries: {source: a}\n", "x.yaml: entries: expected a list"),
    ("- a\n", "expected a mapping with one key, 'entries'"),
    ("entries: [*x]\n", "aliases"),
])
def test_a_bad_file_is_refused_naming_the_entry_and_the_field(text, message):
    with pytest.raises(InvalidInput) as refused:
        parse_calendar_text(text, "calendar file x.yaml")
    assert message in str(refused.value)


def test_days_ranges_and_iso_days_and_text_normalised():
    nfd = unicodedata.normalize("NFD", "Quyết định (thử) 01/QĐ-TTg ngày 10/01/2027")
    text = (f"entries:\n  - source: '{nfd}'\n    name: Tết\n"
            "    days_off: [2027-02-04..2027-02-06, 12/02/2027, 2027-02-05]\n")
    [decision] = parse_calendar_text(text, "f")
    assert decision.source == unicodedata.normalize("NFC", nfd) != nfd
    assert decision.off == (date(2027, 2, 4), date(2027, 2, 5), date(2027, 2, 6),
                            date(2027, 2, 12))
    assert day_spans(decision.off) == ["04/02/2027..06/02/2027", "12/02/2027"]


def test_a_deployment_decision_overrides_the_shipped_one_day_by_day():
    # A (made-up) later decision: Friday 02/01/2026 worked after all, Saturday 10/01 off.
    amend = Decision(source="Công văn (thử) 1/VPCP ngày 29/12/2025", name="sửa",
                     off=(date(2026, 1, 10),), working=(date(2026, 1, 2),))
    cal = calendar_of([amend])
    assert cal.is_working_day(date(2026, 1, 2)) and not cal.is_working_day(date(2026, 1, 10))
    assert cal.source_of(date(2026, 1, 2)) == amend.source
    assert cal.source_of(date(2026, 1, 1)) == CV_12729  # the shipped word where none is said
    rules = official_rules(shipped_decisions(), [amend])
    assert len({r.day for r in rules}) == len(rules)


def test_calendar_add_appends_to_the_file_keeping_its_comments(tmp_path):
    path = tmp_path / "decisions.yaml"
    first = Decision(source="Quyết định (thử) 01/QĐ-TTg ngày 10/01/2027", name="Tết 2027",
                     issued_by="Thủ tướng Chính phủ",
                     off=tuple(date(2027, 2, d) for d in range(4, 13)))
    path.write_text(with_decision(path, first), encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace("entries:", "# kept\nentries:")
    path.write_text(text, encoding="utf-8")
    second = Decision(source="Công văn (thử) 2/VPCP ngày 01/04/2027", name="30/4",
                      working=(date(2027, 5, 8),))
    written = with_decision(path, second)
    assert "# kept" in written and "days_off: [04/02/2027..12/02/2027]" in written
    path.write_text(written, encoding="utf-8")
    assert read_calendar_file(path)[0] == [first, second]
    # a flow-style file cannot be extended line by line: it is written anew, same decisions
    path.write_text("entries: [{source: a, days_off: [01/03/2027]}]\n", encoding="utf-8")
    assert parse_calendar_text(with_decision(path, second), "f")[-1] == second


def test_a_missing_deployment_file_holds_no_decision(tmp_path):
    assert read_calendar_file(tmp_path / "none.yaml") == ([], None)
