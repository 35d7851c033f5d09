"""Announced day-off decisions (the official calendar layer) as data: one entry per decision,
its source (number and date, the issuing body) and the days it declares off or working (a swap:
off Friday 02/01/2026, work Saturday 10/01/2026). Pure: plain data in (a calendar file, already
read as YAML), DayRules out; reading the files is config's (chidao.config.calendar_source).

A file's form:

    entries:
      - source: Công văn 12729/VPCP-KGVX ngày 25/12/2025
        issued_by: Văn phòng Chính phủ
        name: Tết Dương lịch 2026
        days_off: [01/01/2026..04/01/2026]   # days (dd/mm/yyyy) or ranges FIRST..LAST
        working_days: [10/01/2026]           # a weekend day worked in exchange (làm bù)

(`days_off`, not `off`: YAML reads a bare `off` as false.)

Later entries override earlier ones day by day (an amending decision), and a deployment's file
overrides the shipped one likewise (`official_rules`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .calendar import DayRule, WorkingCalendar
from .errors import InvalidInput
from .text import nfc

ENTRY_KEYS = ("source", "issued_by", "name", "days_off", "working_days")
MAX_RANGE_DAYS = 62  # the longest announced break is ~9 days; a typo'd year is not a range
_DAY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_RANGE = re.compile(r"\s*(?:\.\.|–|—)\s*")
TEXT_MAX_CHARS = 500


@dataclass(frozen=True)
class Decision:
    """One announced decision: where it comes from and the days it declares."""

    source: str  # "Công văn 12729/VPCP-KGVX ngày 25/12/2025"
    name: str  # "Tết Dương lịch 2026"
    off: tuple[date, ...] = ()
    working: tuple[date, ...] = ()
    issued_by: str = ""  # "Văn phòng Chính phủ"

    def rules(self) -> list[DayRule]:
        worked = f"làm bù ({self.name})" if self.name else "làm bù"
        return ([DayRule(day, True, self.source, self.name) for day in self.off]
                + [DayRule(day, False, self.source, worked) for day in self.working])

    def as_data(self) -> dict[str, Any]:
        """The entry as a calendar file writes it (dd/mm/yyyy days, one per item)."""
        data: dict[str, Any] = {"source": self.source}
        if self.issued_by:
            data["issued_by"] = self.issued_by
        data["name"] = self.name
        for key, days in (("days_off", self.off), ("working_days", self.working)):
            if days:
                data[key] = day_spans(days)
        return data


def day_spans(days: Iterable[date]) -> list[str]:
    """Sorted days as dd/mm/yyyy items, consecutive ones as a range FIRST..LAST."""
    spans: list[list[date]] = []
    for day in sorted(set(days)):
        if spans and day - spans[-1][-1] == timedelta(days=1):
            spans[-1].append(day)
        else:
            spans.append([day])
    return [f"{s[0]:%d/%m/%Y}" if len(s) == 1 else f"{s[0]:%d/%m/%Y}..{s[-1]:%d/%m/%Y}"
            for s in spans]


def official_rules(*layers: Iterable[Decision]) -> list[DayRule]:
    """The day rules of `layers` (the shipped decisions, then a deployment's): a later
    decision's word on a day replaces an earlier one's."""
    by_day: dict[date, DayRule] = {}
    for layer in layers:
        for decision in layer:
            for rule in decision.rules():
                by_day[rule.day] = rule
    return [by_day[day] for day in sorted(by_day)]


def parse_decisions(data: Any, where: str) -> list[Decision]:
    """The decisions of a calendar file read as plain data; `where` names the file in errors
    ("calendar file official_days.yaml"). An empty file holds none."""
    if data is None:
        return []
    if not isinstance(data, Mapping) or set(data) - {"entries"}:
        raise InvalidInput(where, "expected a mapping with one key, 'entries' (a list of"
                                  " decisions)")
    entries = data.get("entries") or []
    if not isinstance(entries, list):
        raise InvalidInput(f"{where}: entries", "expected a list of decisions")
    return [parse_decision(entry, f"{where}: entries[{i}]") for i, entry in enumerate(entries)]


def parse_decision(entry: Any, field: str) -> Decision:
    if not isinstance(entry, Mapping):
        raise InvalidInput(field, "expected a mapping with source, name, days_off and/or"
                                  " working_days")
    if any(isinstance(k, bool) for k in entry):
        raise InvalidInput(field, "a key reads as true/false (YAML's bare off/on/yes/no):"
                                  " write days_off and working_days")
    unknown = sorted(str(k) for k in entry if k not in ENTRY_KEYS)
    if unknown:
        raise InvalidInput(f"{field}.{unknown[0]}", "unknown key (expected one of "
                                                    + ", ".join(ENTRY_KEYS) + ")")
    source = _text(entry.get("source"), f"{field}.source", required=True)
    off = _days(entry.get("days_off"), f"{field}.days_off")
    working = _days(entry.get("working_days"), f"{field}.working_days")
    if not off and not working:
        raise InvalidInput(field, "declares no day: give days_off and/or working_days")
    both = sorted(set(off) & set(working))
    if both:
        raise InvalidInput(f"{field}.working_days", f"{both[0]:%d/%m/%Y} is also in days_off")
    return Decision(source=source, name=_text(entry.get("name"), f"{field}.name"),
                    issued_by=_text(entry.get("issued_by"), f"{field}.issued_by"),
                    off=off, working=working)


def parse_days(value: Any, field: str) -> tuple[date, ...]:
    """A day (dd/mm/yyyy or YYYY-MM-DD) or a range (FIRST..LAST, inclusive) as its days."""
    if isinstance(value, date):
        return (value,)
    if not isinstance(value, str):
        raise InvalidInput(field, f"expected a day such as 02/01/2026, not {value!r}")
    parts = _RANGE.split(value.strip())
    if len(parts) == 1:
        return (_day(parts[0], field),)
    if len(parts) != 2:
        raise InvalidInput(field, f"'{value}' is not a day nor a range FIRST..LAST")
    first, last = _day(parts[0], field), _day(parts[1], field)
    if last < first:
        raise InvalidInput(field, f"the range {value} ends before it starts")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidInput(field, f"the range {value} is longer than {MAX_RANGE_DAYS} days")
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


def _days(value: Any, field: str) -> tuple[date, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    days: list[date] = []
    for i, item in enumerate(items):
        days.extend(d for d in parse_days(item, f"{field}[{i}]") if d not in days)
    return tuple(sorted(days))


def _day(text: str, field: str) -> date:
    match = _DAY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif (match := _ISO.match(text)) is not None:
        year, month, day = (int(g) for g in match.groups())
    else:
        raise InvalidInput(field, f"'{text}' is not a day such as 02/01/2026 or 2026-01-02")
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(field, f"{day:02d}/{month:02d}/{year} does not exist") from None


def _text(value: Any, field: str, *, required: bool = False) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(field, "missing: the decision's number and date, such as"
                                      " 'Công văn 12729/VPCP-KGVX ngày 25/12/2025'")
        return ""
    if not isinstance(value, str | int):
        raise InvalidInput(field, f"expected text, not {value!r}")
    text: str = nfc(" ".join(str(value).split()), field)
    if len(text) > TEXT_MAX_CHARS:
        raise InvalidInput(field, f"longer than {TEXT_MAX_CHARS} characters")
    return text


@dataclass(frozen=True)
class NotableDay:
    """A weekday off or a weekend day worked, with its name and source."""

    day: date
    working: bool
    name: str
    source: str  # the decision, a closure's reason, or "holidays" (the package)


def notable_days(calendar: WorkingCalendar, year: int) -> list[NotableDay]:
    """`year`'s weekdays off and weekend days worked on `calendar`, in order."""
    found = []
    day = date(year, 1, 1)
    while day.year == year:
        working, weekend = calendar.is_working_day(day), day.weekday() >= 5
        if working == weekend:
            name = calendar.holiday_name(day) or ""
            if working:
                rule = calendar.official.get(day)
                name = rule.name if rule is not None else "làm bù"
            found.append(NotableDay(day, working, name, calendar.source_of(day)))
        day += timedelta(days=1)
    return found


@dataclass(frozen=True)
class Disagreement:
    """A day the package and the official layer judge differently."""

    day: date
    package_working: bool
    package_name: str
    rule: DayRule


def disagreements(official: WorkingCalendar, package: WorkingCalendar,
                  years: Iterable[int]) -> list[Disagreement]:
    """The days of `years` where `official`'s decisions and the package part ways."""
    wanted = set(years)
    return [Disagreement(day, package.is_working_day(day), package.holiday_name(day) or "", rule)
            for day, rule in sorted(official.official.items())
            if day.year in wanted and package.is_working_day(day) == rule.off]
