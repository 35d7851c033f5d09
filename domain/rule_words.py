"""A requirement's stored rules (deadline, reminders, targets) told in Vietnamese words, for
an amendment's list of changes (chidao.domain.amendment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

_EVERY = {"month": "hằng tháng", "quarter": "hằng quý", "half_year": "mỗi nửa năm",
          "year": "hằng năm"}


def _day(text: str) -> str:
    return f"{dt.date.fromisoformat(text):%d/%m/%Y}"


def due_words(due: dict[str, Any]) -> str:
    """{"date": "2026-04-15"} → "15/04/2026"; the other forms of `due:` likewise."""
    if due.get("date"):
        return _day(due["date"])
    if due.get("working_days_after_issue") is not None:
        return f"{due['working_days_after_issue']} ngày làm việc sau ngày ban hành"
    if due.get("end_of_school_year"):
        return "ngày kết thúc năm học"
    if due.get("before_parent"):
        return (f"{due.get('working_days', 0)} ngày làm việc trước hạn của đơn vị giao"
                f" (nhiệm vụ '{due['before_parent']}')")
    if due.get("periods"):
        return "theo kỳ: " + ", ".join(f"{p['period']} hạn {_day(p['date'])}"
                                       for p in due["periods"])
    if due.get("every"):
        day = f", trước ngày {due['day']}" if due.get("day") else ""
        return f"{_EVERY.get(due['every'], due['every'])} từ {due.get('from')} đến" \
               f" {due.get('to')}{day}"
    if due.get("preset"):
        return f"theo lịch báo cáo {due['preset']}"
    return str(due)


def policy_words(policy: dict[str, Any]) -> str:
    before = ", ".join(str(n) for n in policy.get("before", [])) or "không"
    parts = [f"nhắc trước {before} ngày làm việc"]
    for key, words in (("overdue_after", "đôn đốc sau"), ("escalate_parent_after",
                                                          "báo cấp trên sau")):
        if policy.get(key):
            parts.append(f"{words} {policy[key]} ngày")
    return "; ".join(parts)


def target_words(target: dict[str, Any], name_of: Callable[[str], str]) -> str:
    """{"units": [codes]} → the units' names; children / descendants by kind; exclusions."""
    if target.get("units") is not None:
        found = ", ".join(name_of(code) for code in target["units"])
    else:
        which = "children" if "children" in target else "descendants"
        found = "các đơn vị trực thuộc" if which == "children" else "mọi đơn vị cấp dưới"
        kinds = (target.get(which) or {}).get("kind")
        if kinds:
            found += f" loại {', '.join(kinds)}"
    if target.get("exclude"):
        found += f", trừ {', '.join(name_of(code) for code in target['exclude'])}"
    return found
