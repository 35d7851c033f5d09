"""The pure rules of a delegation (chidao.domain.delegation_terms): how it signs, which rights
it may lend, its days, and the state words the pages show."""

from datetime import UTC, date, datetime

import pytest

from chidao.domain.delegation_terms import (
    checked_actions,
    checked_range,
    checked_title,
    rights_words,
    state_label,
)
from chidao.domain.errors import InvalidInput
from chidao.domain.people import Delegation


@pytest.mark.parametrize(("typed", "stored"), [("KT.", "KT."), ("kt", "KT."), (" Q ", "Q."),
                                               ("q.", "Q.")])
def test_titles(typed, stored):
    assert checked_title(typed) == stored


@pytest.mark.parametrize("typed", ["TM.", "TL.", "TUQ.", "", "K"])
def test_other_titles_are_refused(typed):
    with pytest.raises(InvalidInput) as refused:
        checked_title(typed)
    assert refused.value.field == "title"


def test_rights_lent():
    assert checked_actions([], "head", "staff") == []  # every right
    assert checked_actions(["review", " extend", "review"], "head", "staff") == [
        "extend", "review"]
    with pytest.raises(InvalidInput, match="đã có sẵn"):
        checked_actions([], "staff", "head")  # a head holds every right of staff already
    with pytest.raises(InvalidInput, match="không có quyền"):
        checked_actions(["manage_users"], "head", "staff")


def test_days():
    checked_range(date(2026, 3, 25), date(2026, 3, 25), date(2026, 3, 25))  # one day
    checked_range(date(2026, 3, 25), date(2027, 3, 25), date(2026, 3, 25))  # 366 days
    for start, end, field in [(date(2026, 3, 24), date(2026, 3, 25), "starts_on"),
                              (date(2026, 3, 26), date(2026, 3, 25), "ends_on"),
                              (date(2026, 3, 25), date(2027, 3, 26), "ends_on")]:
        with pytest.raises(InvalidInput) as refused:
            checked_range(start, end, date(2026, 3, 25))
        assert refused.value.field == field


def test_states_and_words():
    week = Delegation(from_user_id=1, to_user_id=2, starts_on=date(2026, 3, 25),
                      ends_on=date(2026, 3, 31), created_at=datetime(2026, 3, 25, tzinfo=UTC))
    assert [state_label(week, date(2026, 3, d)) for d in (24, 25, 31)] == [
        "chưa bắt đầu", "đang hiệu lực", "đang hiệu lực"]
    assert state_label(week, date(2026, 4, 1)) == "đã hết hạn"
    week.revoked_at = datetime(2026, 3, 26, tzinfo=UTC)
    assert state_label(week, date(2026, 3, 27)) == "đã thu hồi"
    assert rights_words([]) == "mọi quyền"
    assert rights_words(["review", "extend"]) == "chấp nhận hoặc trả lại báo cáo, gia hạn"
