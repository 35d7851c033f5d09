"""Closures for the pages' and digests' tests, written as rows (declaring them is another
room's use case): on Tuesday 24/03/2026 Kiên Hải's subtree is closed for a storm (in force),
Lại Sơn's school will close next week (upcoming); Phú Quốc had one closure lifted and one
already over: neither may show anywhere. A principal of Phú Quốc's school looks on."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlmodel import Session, select

from chidao.config.clock import FixedClock
from chidao.db.database import transaction
from chidao.domain.closures import Closure, ClosureKind
from chidao.domain.units import Unit
from chidao.services.accounts import add_user
from tests.support.cascade import at
from tests.web_fixtures import PASSWORD

MOMENT = "2026-03-24T09:00"  # Tuesday, local time
NEIGHBOUR = "hieutruong.duongdong"  # principal of a school of Phú Quốc, the next commune
STORM = ("Bão số 3 (Wipha)", "45/QĐ-UBND")
STORM_BANNER = ("Đang nghỉ học: Ủy ban nhân dân đặc khu Kiên Hải và {below} đơn vị trực"
                " thuộc, 23/03–26/03/2026 — Bão số 3 (Wipha) (theo 45/QĐ-UBND). Hạn của các"
                " đơn vị này đã lùi theo số ngày nghỉ; nhắc hạn tạm dừng.")
LAISON_BANNER = ("Sắp nghỉ làm việc: Trường Mầm non Lại Sơn, 30/03–31/03/2026 — Ngập do triều"
                 " cường. Hạn của đơn vị này đã lùi theo số ngày nghỉ; nhắc hạn sẽ tạm dừng"
                 " trong những ngày nghỉ.")
GONE = ("Sạt lở đã khắc phục", "Dịch tay chân miệng")  # the lifted and the past closure


def unit_id(session: Session, code: str) -> int:
    return int(session.exec(select(Unit.id).where(Unit.code == code)).one())


def units_below(session: Session, code: str) -> int:
    """The units under `code`, counted by path (not as the page counts them)."""
    path = session.exec(select(Unit.path).where(Unit.code == code)).one()
    return len([p for p in session.exec(select(Unit.path)).all()
                if p.startswith(path) and p != path])


def closure(session: Session, code: str, kind: ClosureKind, first: date, last: date,
            reason: str, decision: str = "", lifted: str | None = None) -> None:
    session.add(Closure(unit_id=unit_id(session, code), kind=kind, starts_on=first,
                        ends_on=last, reason=reason, decision=decision, declared_by="SGDDT-AG",
                        declared_at=at("2026-03-20T16:00"),
                        lifted_at=at(lifted) if lifted else None))


def close_units(engine) -> None:
    """The four closures (see the module's text), and the neighbouring principal."""
    with transaction(engine) as session:
        closure(session, "UBND-KIENHAI", ClosureKind.SCHOOL, date(2026, 3, 23),
                date(2026, 3, 26), *STORM)
        closure(session, "MN-LAISON", ClosureKind.WORK, date(2026, 3, 30), date(2026, 3, 31),
                "Ngập do triều cường")
        closure(session, "UBND-PHUQUOC", ClosureKind.SCHOOL, date(2026, 3, 23),
                date(2026, 3, 27), GONE[0], lifted="2026-03-22T10:00")
        closure(session, "UBND-PHUQUOC", ClosureKind.SCHOOL, date(2026, 3, 9),
                date(2026, 3, 13), GONE[1])
        add_user(session, username=NEIGHBOUR, full_name="Hiệu trưởng Dương Đông",
                 unit_code="MN-DUONGDONG", role="head", password=PASSWORD,
                 now=at("2026-03-01T08:00"))


def fix_clock(app, moment: str = MOMENT) -> None:
    """The app's runtime reads `moment` (local time) as now."""
    app.state.runtime = dataclasses.replace(app.state.runtime, clock=FixedClock(at(moment)))
