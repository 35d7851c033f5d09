"""A sweep's stage in words, from the notification's kind and its stage key."""

import pytest

from chidao.domain.policy import PolicySpec
from chidao.notifications.due_words import stage_words


@pytest.mark.parametrize(("kind", "stage", "words"), [
    ("issued", "issued", "nhiệm vụ mới được giao"),
    ("reminder", "2026-03-31/d-3", "nhắc hạn 3 ngày làm việc trước hạn"),
    ("reminder", "2026-03-31/d-7", "nhắc hạn 7 ngày làm việc trước hạn"),
    ("due_today", "2026-03-31/d+0", "nhắc hạn: hôm nay là hạn chót"),
    ("overdue", "2026-03-31/d+1", "quá hạn 1 ngày làm việc: đôn đốc đơn vị"),
    ("overdue_copy", "2026-03-31/d+1/cc", "bản sao gửi cấp trên: đơn vị quá hạn 1 ngày làm việc"),
    ("escalation", "2026-03-31/d+12", "báo cáo lên cấp trên: đơn vị quá hạn 12 ngày làm việc"),
    ("returned", "returned/4", "báo cáo bị trả lại"),
    ("recalled", "recalled", "văn bản bị thu hồi"),  # a kind added since: its label
    ("not-a-kind", "x", "not-a-kind"),  # a kind nobody knows: its name
])
def test_stage_words(kind, stage, words):
    assert stage_words(kind, stage) == words


def test_every_rung_of_the_default_ladder_has_words_of_its_own():
    rungs = PolicySpec().rungs()
    said = {stage_words(r.kind.value, f"2026-03-31/d{r.offset:+d}") for r in rungs}
    assert len(said) == len(rungs)
