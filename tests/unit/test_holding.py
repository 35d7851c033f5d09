"""The pure rules of who holds a run: one chủ trì, each person once, a personal deadline no
later than the unit's, notes NFC; a person late only while the unit still owes the run."""

import unicodedata
from datetime import date

import pytest

from chidao.domain.errors import InvalidInput
from chidao.domain.holding import HolderChoice, check_holders, late_in_person, parse_role
from chidao.domain.people import HolderRole

DUE = date(2026, 3, 19)
USERS = {1: "Lê Thị Ngọc Hân", 2: "Đặng Quốc Bảo", 3: "Huỳnh Thị Mai"}
LEAD, COOP, WATCH = HolderRole.LEAD, HolderRole.COOPERATE, HolderRole.WATCH


def check(*choices):
    return check_holders(list(choices), unit_due_on=DUE, unit_users=USERS)


def test_a_good_choice_comes_back_lead_first_with_its_note_normalised():
    decomposed = unicodedata.normalize("NFD", "  Tổng hợp số liệu ")
    got = check(HolderChoice(3, WATCH), HolderChoice(2, LEAD, DUE, decomposed),
                HolderChoice(1, COOP, date(2026, 3, 2)))
    assert [(c.user_id, c.role) for c in got] == [(2, LEAD), (1, COOP), (3, WATCH)]
    assert got[0].note == unicodedata.normalize("NFC", "Tổng hợp số liệu")
    assert check() == []  # nobody: the unit as a whole


@pytest.mark.parametrize(("choices", "field", "words"), [
    ([HolderChoice(2, COOP)], "holders", "đúng một người chủ trì (đang chọn 0)"),
    ([HolderChoice(2, LEAD), HolderChoice(3, LEAD)], "holders", "(đang chọn 2)"),
    ([HolderChoice(9, LEAD)], "holders[0].user_id", "không thuộc đơn vị"),
    ([HolderChoice(2, LEAD), HolderChoice(2, WATCH)], "holders[1].user_id",
     "Đặng Quốc Bảo đã được chọn ở dòng 1"),
    ([HolderChoice(2, LEAD, date(2026, 3, 20))], "holders[0].due_on",
     "hạn của cá nhân (20/03/2026) không được sau hạn của đơn vị (19/03/2026)"),
    ([HolderChoice(2, LEAD, None, "x" * 1001)], "holders[0].note", "dài quá 1000"),
])
def test_a_bad_choice_names_its_field(choices, field, words):
    with pytest.raises(InvalidInput) as refused:
        check(*choices)
    assert refused.value.field == field and words in refused.value.problem


def test_roles_are_read_in_english_or_vietnamese():
    assert [parse_role(t, "r") for t in ("lead", " Chủ trì ", "phối hợp", "WATCH")] == [
        LEAD, LEAD, COOP, WATCH]
    with pytest.raises(InvalidInput, match="vai trò phải là"):
        parse_role("chief", "holders[0].role")


def test_a_person_is_late_only_while_the_unit_owes_the_run():
    today = date(2026, 3, 17)
    assert late_in_person(date(2026, 3, 16), DUE, today, unit_owes=True)
    assert not late_in_person(date(2026, 3, 16), DUE, today, unit_owes=False)
    assert not late_in_person(date(2026, 3, 17), DUE, today, unit_owes=True)
    assert not late_in_person(None, DUE, today, unit_owes=True)  # the unit's deadline
    assert late_in_person(None, DUE, date(2026, 3, 20), unit_owes=True)


def test_names_sort_as_vietnamese_lists_do():
    from chidao.domain.holding import name_key

    names = ["Huỳnh Thị Mai", "Đặng Quốc Bảo", "Lê Thị Ngọc Hân", "Dương Văn An"]
    assert sorted(names, key=name_key) == ["Dương Văn An", "Đặng Quốc Bảo", "Huỳnh Thị Mai",
                                           "Lê Thị Ngọc Hân"]
