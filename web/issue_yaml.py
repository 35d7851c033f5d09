"""The example on the YAML page (for power users): a whole directive of the user's unit, with a
report form, that issues as it is when pasted (checked by parse_directive when it is built)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from ..domain.calendar import WorkingCalendar
from ..domain.specs import parse_directive
from ..domain.units import Unit


def yaml_example(unit: Unit, number: int, today: dt.date, calendar: WorkingCalendar) -> str:
    due = calendar.add_working_days(today, 10)
    symbol = unit.symbol or "UBND"
    data: dict[str, Any] = {
        "number_symbol": f"{number:02d}/KH-{symbol}",
        "issuer": unit.code,
        "issued_on": f"{today:%d/%m/%Y}",
        "title": "Kế hoạch kiểm tra cơ sở vật chất trước mùa mưa bão",
        "forms": [{
            "key": "kiem-tra-csvc", "version": 1, "title": "Kết quả kiểm tra cơ sở vật chất",
            "fields": [
                {"key": "so_phong", "label": "Số phòng học đã kiểm tra", "type": "integer",
                 "unit": "phòng", "required": True, "min": 0},
                {"key": "dat_yeu_cau", "label": "Đạt yêu cầu", "type": "boolean"},
                {"key": "kho_khan", "label": "Khó khăn, vướng mắc", "type": "text"},
            ]}],
        "requirements": [
            {"key": "kiem-tra", "kind": "action", "title": "Tự kiểm tra phòng học, mái, cây xanh",
             "to": {"children": {}}, "due": f"{due:%d/%m/%Y}"},
            {"key": "bao-cao", "kind": "report", "form": "kiem-tra-csvc",
             "title": "Báo cáo kết quả kiểm tra", "to": {"children": {}},
             "due": {"working_days_after_issue": 15}},
        ],
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)
    parse_directive(yaml.safe_load(text))  # the example on the page is always a valid one
    return text
