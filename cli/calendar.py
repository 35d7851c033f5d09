"""`chidao calendar`: the working calendar as the government keeps it. `chidao calendar YEAR
[--unit CODE]` prints the year's weekdays off and weekend days worked with their source (and
that unit's closures); `check` lists where the decisions and the `holidays` package disagree;
`add` records a decision in the deployment's file (CHIDAO_CALENDAR_FILE) and moves the open
runs' deadlines at once."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from ..domain.errors import InvalidInput
from .common import JSON, NOW, console, group, print_json, reports_errors, runtime

if TYPE_CHECKING:
    from ..domain.calendar import WorkingCalendar
    from ..domain.closures import Closure
    from ..domain.official_days import Decision

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
PACKAGE = "holidays package"


class CalendarGroup(TyperGroup):
    """`chidao calendar 2026` means `chidao calendar year 2026`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0].isdigit():
            args = ["year", *args]
        return super().parse_args(ctx, args)


calendar_app = group(
    cls=CalendarGroup,
    help="Lịch làm việc: ngày nghỉ, ngày làm bù theo quyết định, đợt nghỉ của đơn vị."
         " `chidao calendar YEAR [--unit CODE]` (= `year`), `check`, `add`.")


def _source(source: str) -> str:
    return PACKAGE if source == "holidays" else source


def _day(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m/%Y}"


@calendar_app.command("year")
@reports_errors
def show_year(year: int = typer.Argument(..., help="The year, e.g. 2026."),
              unit: str = typer.Option(None, "--unit", help="Also this unit's closures."),
              as_json: bool = JSON) -> None:
    """The year's weekdays off and weekend days worked, with their source."""
    from rich.markup import escape
    from rich.table import Table

    from ..db.database import reading
    from ..db.lookup import unit_by_code
    from ..domain.official_days import notable_days
    from ..queries.closures import closures_over

    _check_year(year, "year")
    rt = runtime()
    closures: list[Closure] = []
    if unit:
        with reading(rt.engine) as session:
            unit_id = unit_by_code(session, unit).id or 0
            closures = closures_over(session, [unit_id]).get(unit_id, [])
        closures = [c for c in closures if c.starts_on.year <= year <= c.ends_on.year]
    days = notable_days(rt.calendar, year)
    if as_json:
        print_json({"year": year, "days": [
            {"day": d.day.isoformat(), "working": d.working, "name": d.name,
             "source": _source(d.source)} for d in days],
            "closures": [_closure_data(c, rt.calendar) for c in closures]})
        return
    table = Table(title=f"Lịch làm việc năm {year}", title_justify="left", show_lines=False)
    for column in ("Ngày", "", "Tên", "Nguồn"):
        table.add_column(column, overflow="fold")
    for d in days:
        kind = "[green]làm việc[/]" if d.working else "[red]nghỉ[/]"
        table.add_row(_day(d.day), kind, escape(d.name), escape(_source(d.source)))
    console.print(table)
    if unit:
        _print_closures(unit, closures, rt.calendar)


def _closure_data(closure: Closure, calendar: WorkingCalendar) -> dict[str, Any]:
    return {"kind": closure.kind.value, "starts_on": closure.starts_on.isoformat(),
            "ends_on": closure.ends_on.isoformat(), "reason": closure.reason,
            "decision": closure.decision, "declared_by": closure.declared_by,
            "working_days_closed": _working_days(closure, calendar)}


def _working_days(closure: Closure, calendar: WorkingCalendar) -> int:
    return sum(1 for day in closure.days() if calendar.is_working_day(day))


def _print_closures(unit: str, closures: list[Closure], calendar: WorkingCalendar) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not closures:
        console.print(f"{escape(unit)}: không có đợt nghỉ (closure) nào trong năm.")
        return
    table = Table(title=f"Đợt nghỉ của {escape(unit)} (và đơn vị cấp trên)",
                  title_justify="left")
    for column in ("Từ", "Đến", "Loại", "Ngày làm việc", "Lý do", "Quyết định", "Đơn vị"):
        table.add_column(column, overflow="fold")
    for c in closures:
        table.add_row(_day(c.starts_on), _day(c.ends_on), c.kind.label,
                      str(_working_days(c, calendar)), escape(c.reason), escape(c.decision),
                      escape(c.declared_by))
    console.print(table)


@calendar_app.command("check")
@reports_errors
def check(years: list[int] = typer.Argument(
        None, help="Years to check (default: every year a decision speaks of).")) -> None:
    """The days where the decisions and the holidays package disagree (exit 0 either way)."""
    from rich.markup import escape
    from rich.table import Table

    from ..domain.calendar import WorkingCalendar
    from ..domain.official_days import disagreements

    for year in years or []:
        _check_year(year, "years")
    official = runtime().calendar
    wanted = sorted(set(years or []) or {day.year for day in official.official})
    found = disagreements(official, WorkingCalendar(), wanted)
    span = ", ".join(map(str, wanted)) or "(no decision)"
    if not found:
        console.print(f"The decisions and the holidays package agree on {span}.")
        return
    table = Table(title=f"Decisions that differ from the holidays package ({span})",
                  title_justify="left")
    for column in ("Ngày", "Package", "Decision", "Nguồn"):
        table.add_column(column, overflow="fold")
    for d in found:
        package = "làm việc" if d.package_working else f"nghỉ ({d.package_name or 'cuối tuần'})"
        decided = f"nghỉ ({d.rule.name})" if d.rule.off else f"làm việc ({d.rule.name})"
        table.add_row(_day(d.day), escape(package), escape(decided), escape(d.rule.source))
    console.print(table)
    console.print(f"{len(found)} day(s) differ: the decisions are in force.")


@calendar_app.command("add")
@reports_errors
def add(source: str = typer.Option(..., help="The decision: number and date, as issued."),
        off: list[str] = typer.Option(None, "--off", help="A day off (dd/mm/yyyy or"
                                      " YYYY-MM-DD) or a range FIRST..LAST; repeatable."),
        working: list[str] = typer.Option(None, "--working", help="A day worked (làm bù);"
                                          " repeatable."),
        name: str = typer.Option("", help="What it is for: 'Tết Nguyên đán 2027'."),
        issued_by: str = typer.Option("", "--issued-by", help="The issuing body."),
        now: str = NOW) -> None:
    """Record a decision in the deployment's calendar file (CHIDAO_CALENDAR_FILE) and move the
    open runs' deadlines it touches, in one transaction."""
    from rich.markup import escape

    from ..domain.official_days import parse_days

    if not off and not working:
        raise InvalidInput("off", "give the days: --off DAY|FIRST..LAST and/or --working DAY")
    for field, values in (("off", off or []), ("working", working or [])):
        for i, value in enumerate(values):
            parse_days(value, f"{field}[{i}]" if len(values) > 1 else field)
    entry = {"source": source, "name": name, "issued_by": issued_by,
             "days_off": list(off or []) or None, "working_days": list(working or []) or None}
    decision: Decision = _decision(entry)
    from ..services.calendar_reload import add_decision

    rt = runtime(now)
    done = add_decision(rt.calendars, rt.engine, decision, now=rt.now(), rules=rt.rules)
    console.print(f"Recorded in {rt.settings.calendar_file}: {escape(decision.source)}")
    console.print(f"{done.moved} open run(s) moved"
                  + (f" ({escape(done.reason)})" if done.reason else " (no day changed)"))


@calendar_app.command("apply")
@reports_errors
def apply(now: str = NOW) -> None:
    """Move every open run whose deadline the calendar in force changes (after an upgrade
    that ships new decisions, or a calendar file edited while no worker ran), in one
    transaction; each moved run gets an audit entry naming the decisions."""
    from rich.markup import escape

    from ..services.calendar_reload import apply_in_force

    rt = runtime(now)
    done = apply_in_force(rt.calendars, rt.engine, now=rt.now(), rules=rt.rules)
    console.print(f"{done.moved} open run(s) moved ({escape(done.reason)})")


def _decision(entry: dict[str, Any]) -> Decision:
    """The options as a decision; a problem names the option (--source, --off …)."""
    from ..domain.official_days import parse_decision

    try:
        return parse_decision(entry, "decision")
    except InvalidInput as exc:
        option = exc.field.removeprefix("decision").lstrip(".")
        option = {"days_off": "off", "working_days": "working"}.get(option, option)
        problem = exc.problem.replace("days_off", "--off")
        raise InvalidInput(option.replace("_", "-") or "off", problem) from None


def _check_year(year: int, field: str) -> None:
    if not 1900 <= year <= 2200:
        raise InvalidInput(field, f"{year} is not a year chidao keeps (1900–2200)")
