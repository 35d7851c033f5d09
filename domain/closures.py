"""Closures (nghỉ học / nghỉ làm việc): a unit and its whole subtree stop working for a range of
days by an authority's decision (storm, flood, epidemic). Those days are not working days for
those units; a deadline keeps the working days its unit had left when the closure began."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from .calendar import WorkingCalendar
from .dbtypes import EnumText, UTCDateTime


class ClosureKind(StrEnum):
    SCHOOL = "school"  # nghỉ học: pupils stay home
    WORK = "work"  # nghỉ làm việc: the office closes too

    @property
    def label(self) -> str:
        return {"school": "nghỉ học", "work": "nghỉ làm việc"}[self.value]


class Closure(SQLModel, table=True):
    __tablename__ = "closure"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)  # this unit and all below it
    kind: ClosureKind = Field(sa_column=Column(EnumText(ClosureKind, 16), nullable=False))
    starts_on: date  # first day closed (local), inclusive
    ends_on: date  # last day closed, inclusive
    reason: str = Field(sa_column=Column(Text, nullable=False))  # "Bão số 10 (Bualoi)"
    decision: str = Field(default="", sa_column=Column(String(200), nullable=False,
                                                        server_default=""))
    declared_by: str = Field(sa_column=Column(String(64), nullable=False))  # the unit's code
    declared_by_person: str = Field(default="", sa_column=Column(
        String(200), nullable=False, server_default=""))
    declared_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    lifted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))

    def days(self) -> list[date]:
        return [self.starts_on + timedelta(days=i)
                for i in range((self.ends_on - self.starts_on).days + 1)]

    @property
    def label(self) -> str:
        """"nghỉ học 29/09–01/10/2025 (Bão số 10)"."""
        span = (f"{self.starts_on:%d/%m/%Y}" if self.starts_on == self.ends_on
                else f"{self.starts_on:%d/%m}–{self.ends_on:%d/%m/%Y}")
        return f"{self.kind.label} {span} ({self.reason})"


closure_table = SQLModel.metadata.tables["closure"]


def closed_days(closures: Iterable[Closure]) -> dict[date, str]:
    """Day -> reason for the closures in force (not lifted); a day two closures share keeps
    the first's reason."""
    days: dict[date, str] = {}
    for closure in closures:
        if closure.lifted_at is None:
            for day in closure.days():
                days.setdefault(day, f"{closure.kind.label}: {closure.reason}")
    return days


def shift_for_closures(
    due_on: date, since: date, official: WorkingCalendar, unit: WorkingCalendar
) -> date:
    """The deadline `due_on` (a working day on the `official` calendar) for a unit whose own
    calendar `unit` has closed days: the unit gets back every working day a closure took from
    it between `since` (the day it received the task) and the deadline, counted on after the
    deadline on its own calendar. A closure of 3 working days before the deadline moves it by
    3 working days; one after the deadline or before `since` moves nothing."""
    lost = sum(1 for day in unit.closed
               if since <= day <= due_on and official.is_working_day(day))
    if not lost:
        return due_on if unit.is_working_day(due_on) else unit.roll_forward(due_on)
    return unit.add_working_days(due_on, lost)
