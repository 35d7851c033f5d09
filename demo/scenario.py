"""The demo scenario: An Giang's STEM plan (KH 1039/KH-SGDĐT) cascaded three levels deep."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config.clock import parse_instant
from ..config.runtime import Runtime
from ..db.database import migrate, transaction
from ..db.lookup import directive_by_ref, unit_by_code
from ..domain.status import Status
from ..files.directive_files import load_directive_file
from ..files.unit_files import read_unit_file
from ..notifications.deliver import deliver
from ..notifications.sweep import sweep
from ..queries.status_tree import DirectiveNode, status_tree
from ..services.issue import issue_directive
from ..services.status_changes import act_on_assignment
from ..services.units_import import import_units

EXAMPLES = Path(__file__).resolve().parent / "examples" / "an-giang"

# (when, what) — the story the demo replays, in Vietnam local time.
DIRECTIVES = [
    ("2026-02-26T09:00", "kh-1039-sgddt-stem.yaml"),
    ("2026-03-10T10:00", "kh-ubnd-kien-hai-stem.yaml"),
    ("2026-03-18T14:00", "kh-mn-hon-tre-stem.yaml"),
]
# The document as issued, kept with its directive (the corpus text of Kiên Hải's plan).
DOCUMENTS = {"kh-ubnd-kien-hai-stem.yaml": "kh-ubnd-kien-hai-stem-2026.txt"}
ACTIONS = [  # (when, unit, requirement key, status, note)
    ("2026-03-02T08:30", "UBND-RACHGIA", "ke-hoach-trien-khai", Status.RECEIVED, ""),
    ("2026-03-11T08:00", "PVHXH-KIENHAI", "pvhxh-tham-muu", Status.RECEIVED, ""),
    ("2026-03-20T15:30", "MN-LAISON", "mn-ke-hoach", Status.SUBMITTED,
     "Kế hoạch số 08/KH-MNLS ngày 20/3/2026"),
    ("2026-03-26T16:00", "MN-DUONGDONG", "ke-hoach-trien-khai", None, ""),
]
EXTENSIONS = [  # (when, issuer, directive, requirement key, unit given more time, new due, why)
    ("2026-03-23T10:00", "SGDDT-AG", "1039/KH-SGDĐT", "ke-hoach-trien-khai", "UBND-PHUQUOC",
     "2026-03-27", "UBND đặc khu Phú Quốc đề nghị gia hạn để lấy ý kiến các trường"),
    ("2026-03-23T14:00", "UBND-KIENHAI", "kh-kien-hai-stem-2026", "mn-ke-hoach", "MN-NAMDU",
     "2026-03-30", "Tàu ra xã đảo Nam Du tạm ngừng do gió mùa, trường chưa họp được hội đồng"),
]

CLOSURES = [  # (when, declared by, unit closed with its subtree, first, last day, why, decision)
    ("2026-03-24T16:00", "UBND-KIENHAI", "MN-ANSON", "2026-03-26", "2026-03-27",
     "Phun khử khuẩn phòng dịch tay chân miệng",
     "Công văn 112/UBND-VX ngày 24/3/2026 của UBND đặc khu Kiên Hải"),
]


def fresh_database(db: Path) -> str:
    """Delete the SQLite file `db` (and its WAL), create the schema; its URL."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    migrate(url)
    return url


def run_demo(runtime: Runtime, *, now: datetime, log: Callable[[str], None]
             ) -> DirectiveNode:
    """Seed the runtime's (fresh) database, replay the story up to `now` with the runtime's
    calendar and rules, return the cascade tree."""
    engine, calendar, url = runtime.engine, runtime.calendar, runtime.settings.database_url
    with transaction(engine) as session:
        result = import_units(session, read_unit_file(EXAMPLES / "units.yaml"),
                              now=parse_instant("2026-02-01T08:00"))
    log(f"Imported {result.total} units into {url.removeprefix('sqlite:///')}")
    _replay(runtime, now, log)
    with transaction(engine) as session:
        swept = sweep(session, now=now, calendar=calendar, send_at=runtime.rules.send_from)
    report = deliver(engine, now=now, calendar=calendar, settings=runtime.settings, mailer=None)
    log(f"Deadline sweep: {len(swept.notifications)} reminders and escalations due;"
        f" {report.formed} digest emails in the outbox ({report.held}):"
        f" chidao --db {url} outbox")
    with transaction(engine) as session:
        tree = status_tree(session, directive_by_ref(session, "1039/KH-SGDĐT"), now=now,
                           calendar=calendar,
                           soon_working_days=runtime.rules.due_soon_working_days)
    log(f"Cascade tree at {now.astimezone(calendar.tz):%d/%m/%Y %H:%M} (giờ Việt Nam):")
    return tree


def _replay(runtime: Runtime, now: datetime, log: Callable[[str], None]) -> None:
    """Issue the story's directives and take its units' actions that happened before `now`."""
    engine = runtime.engine
    for when, name in DIRECTIVES:
        at = parse_instant(when)
        if at > now:
            continue
        with transaction(engine) as session:
            issued = issue_directive(session, load_directive_file(EXAMPLES / name), now=at,
                                     calendar=runtime.calendar, rules=runtime.rules)
            if name in DOCUMENTS:
                _keep_document(session, runtime, issued.directive_id, DOCUMENTS[name], at)
        log(f"{when}: issued {issued.key}: {issued.created} assignments;"
            f" plan runs fulfilled {issued.fulfilled or '-'}")
    for when, unit_code, key, target, note in ACTIONS:
        at = parse_instant(when)
        if target is None or at > now:
            continue
        with transaction(engine) as session:
            assignment_id = _assignment_of(session, unit_code, key)
            act_on_assignment(session, assignment_id, target, unit_code=unit_code,
                              reason=note, now=at)
        log(f"{when}: {unit_code} → {target.label} (#{assignment_id})")
    _extend(runtime, now, log)
    _close(runtime, now, log)


def _close(runtime: Runtime, now: datetime, log: Callable[[str], None]) -> None:
    """The story's closures (nghỉ học) declared before `now`."""
    from datetime import date

    from ..domain.closures import ClosureKind
    from ..services.closures import declare_closure

    for when, actor, unit_code, first, last, why, decision in CLOSURES:
        at = parse_instant(when)
        if at > now:
            continue
        with transaction(runtime.engine) as session:
            _closure, moved = declare_closure(
                session, unit_code=unit_code, kind=ClosureKind.SCHOOL,
                starts_on=date.fromisoformat(first), ends_on=date.fromisoformat(last),
                reason=why, decision=decision, actor=actor, now=at,
                calendar=runtime.calendar, rules=runtime.rules)
        log(f"{when}: {actor} cho {unit_code} nghỉ học {first} – {last} ({why}; {moved} hạn lùi)")


def _keep_document(session: Any, runtime: Runtime, directive_id: int, name: str,
                   at: datetime) -> None:
    from ..services.directive_documents import attach_document
    from ..services.report_submit import Upload

    attach_document(session, directive_id, Upload(name, (EXAMPLES / name).read_bytes()),
                    settings=runtime.settings, now=at)


def _extend(runtime: Runtime, now: datetime, log: Callable[[str], None]) -> None:
    """The story's extensions (gia hạn) granted before `now`."""
    from datetime import date

    from ..services.extend import extend_deadline

    for when, issuer, ref, key, unit_code, new_due, why in EXTENSIONS:
        at = parse_instant(when)
        if at > now:
            continue
        with transaction(runtime.engine) as session:
            moved = extend_deadline(session, directive_ref=ref, requirement_key=key,
                                    subtree=unit_code, new_due=date.fromisoformat(new_due),
                                    actor=issuer, reason=why, now=at,
                                    calendar=runtime.calendar, rules=runtime.rules)
        log(f"{when}: {issuer} gia hạn {key} cho {unit_code} đến {new_due} ({moved} việc)")


def _assignment_of(session: Any, unit_code: str, requirement_key: str) -> int:
    from sqlmodel import col, select

    from ..domain.assignments import Assignment
    from ..domain.directives import Requirement

    unit = unit_by_code(session, unit_code)
    found = session.exec(
        select(Assignment.id)
        .join(Requirement, col(Requirement.id) == col(Assignment.requirement_id))
        .where(Assignment.unit_id == unit.id, Requirement.key == requirement_key)).first()
    assert found is not None, (unit_code, requirement_key)
    return int(found)


DEMO_PASSWORD = "chidao-demo-2026"
# Those who review (accept / return), extend or issue are heads (chidao.domain.permissions); the
# commune's officer accepts the schools' plans, so it is one too.
DEMO_USERS = [  # (login, full name, unit, role)
    ("chuyenvien.so", "Trần Minh Khoa", "SGDDT-AG", "head"),
    ("chuyenvien.kienhai", "Lê Thị Ngọc Hân", "UBND-KIENHAI", "head"),
    ("hieutruong.hontre", "Phạm Thị Thanh Tâm", "MN-HONTRE", "head"),
    ("hieutruong.laison", "Nguyễn Văn Lợi", "MN-LAISON", "head"),
    # People inside the commune (chidao.domain.people): two specialists the head puts on
    # tasks (chủ trì / phối hợp) and a deputy who stands in for the head (ủy quyền).
    ("chuyenvien2.kienhai", "Đặng Quốc Bảo", "UBND-KIENHAI", "staff"),
    ("chuyenvien3.kienhai", "Huỳnh Thị Mai", "UBND-KIENHAI", "staff"),
    ("phochutich.kienhai", "Trương Văn Phúc", "UBND-KIENHAI", "staff"),
]


def add_demo_users(runtime: Runtime, users: list[tuple[str, str, str, str]] | None = None
                   ) -> list[tuple[str, str]]:
    """Demo accounts (one password for all: this is a demo on 127.0.0.1), created now;
    (login, unit code) of each."""
    from ..services.accounts import add_user

    story = users is None
    users = users or DEMO_USERS
    with transaction(runtime.engine) as session:
        for username, full_name, unit, role in users:
            add_user(session, username=username, full_name=full_name, unit_code=unit,
                     role=role, password=DEMO_PASSWORD, now=runtime.now())
    if story:  # the province story's people: holders and a delegation at Kiên Hải
        from .people_story import replay_people

        replay_people(runtime, log=lambda _line: None)
    return [(u, unit) for u, _, unit, _ in users]


def report_run_of(session: Any, unit_code: str) -> int:
    """The unit's run of the Sở's report requirement (KH 1039: bao-cao-ket-qua)."""
    return _assignment_of(session, unit_code, "bao-cao-ket-qua")


def add_national_users(runtime: Runtime) -> list[tuple[str, str]]:
    return add_demo_users(runtime, [("chuyenvien.bo", "Đỗ Quang Huy", "BGDDT", "head"),
                                    ("chuyenvien.so", "Trần Minh Khoa", "S00", "head"),
                                    ("chuyenvien.xa", "Võ Thị Lan", "S00-X0000", "staff")])


NATIONAL_DIRECTIVE = {
    "number_symbol": "20/KH-BGDĐT", "issuer": "BGDDT", "issued_on": "2026-02-26",
    "title": "Triển khai giáo dục STEM trong giáo dục mầm non năm học 2025-2026",
    "requirements": [
        {"key": "ke-hoach-so", "kind": "plan", "title": "Sở xây dựng kế hoạch triển khai",
         "to": {"children": {"kind": "department"}}, "due": {"working_days_after_issue": 10}},
        {"key": "bao-cao-truong", "kind": "report", "title": "Báo cáo kết quả của cơ sở",
         "to": {"descendants": {"kind": ["school", "independent_class"]}},
         "due": "end_of_school_year"}],
}


def run_national_demo(runtime: Runtime, *, now: datetime, log: Callable[[str], None]) -> None:
    """The whole country, in the runtime's (fresh) database: the synthetic national tree and
    one Ministry plan to every school."""
    import time

    from ..domain.specs import parse_directive
    from .national_tree import national_rows

    engine = runtime.engine
    started = time.perf_counter()
    with transaction(engine) as session:
        result = import_units(session, national_rows(offices=True), now=now)
    log(f"Imported {result.total:,} units in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with transaction(engine) as session:
        issued = issue_directive(session, parse_directive(NATIONAL_DIRECTIVE), now=now,
                                 calendar=runtime.calendar, rules=runtime.rules)
    log(f"Issued {issued.key}: {issued.created:,} assignments in"
        f" {time.perf_counter() - started:.2f} s")
