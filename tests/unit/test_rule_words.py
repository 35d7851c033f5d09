"""A requirement's rules in words, as an amendment lists their changes."""

from chidao.domain.rule_words import due_words, policy_words, target_words


def test_deadlines_in_words():
    assert due_words({"date": "2026-04-15"}) == "15/04/2026"
    assert due_words({"working_days_after_issue": 10}) == "10 ngày làm việc sau ngày ban hành"
    assert due_words({"end_of_school_year": True}) == "ngày kết thúc năm học"
    assert due_words({"before_parent": "r", "working_days": 3}) == (
        "3 ngày làm việc trước hạn của đơn vị giao (nhiệm vụ 'r')")
    assert due_words({"periods": [{"period": "HK1", "date": "2026-01-10"},
                                  {"period": "HK2", "date": "2026-05-20"}]}) == (
        "theo kỳ: HK1 hạn 10/01/2026, HK2 hạn 20/05/2026")
    assert due_words({"every": "month", "from": "2026-01", "to": "2026-06", "day": 25}) == (
        "hằng tháng từ 2026-01 đến 2026-06, trước ngày 25")


def test_targets_and_reminders_in_words():
    names = {"A": "Trường A", "B": "Trường B"}.__getitem__
    assert target_words({"units": ["A", "B"]}, names) == "Trường A, Trường B"
    assert target_words({"children": {"kind": ["school"]}, "exclude": ["B"]}, names) == (
        "các đơn vị trực thuộc loại school, trừ Trường B")
    assert target_words({"descendants": {}}, names) == "mọi đơn vị cấp dưới"
    assert policy_words({"before": [7, 3], "overdue_after": 1,
                         "escalate_parent_after": None}) == (
        "nhắc trước 7, 3 ngày làm việc; đôn đốc sau 1 ngày")
