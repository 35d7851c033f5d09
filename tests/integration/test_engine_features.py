"""Returns notify the unit; deadlines move with their ladder; dry runs write nothing; the
outbox keeps mail when no SMTP server is configured; schedulers never double-write."""

import json
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlmodel import select as model_select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.runtime import build_runtime
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.assignments import AssignmentEvent
from chidao.domain.errors import InvalidInput
from chidao.domain.notifications import MessageStatus, message_table, notification_table
from chidao.domain.status import Status
from chidao.domain.units import unit_table
from chidao.flows.scheduling import build_scheduler, jobstore_table
from chidao.notifications.sweep import sweep
from chidao.services.extend import extend_deadline
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.cascade import act, at, issue_data, runs, seed_units, small, snapshot
from tests.support.cli import CHIDAO


def stages(engine) -> set[tuple[str, str]]:
    """(recipient unit code, stage) of every notification written."""
    n, u = notification_table.c, unit_table.c
    with engine.connect() as conn:
        return set(conn.execute(select(u.code, n.stage).join(unit_table, u.id == n.to_unit_id)))


def sweep_at(engine, moment: str) -> None:
    with transaction(engine) as session:
        sweep(session, now=at(moment), calendar=vietnam_calendar(), send_at=Settings().send_from)


def test_a_returned_submission_emails_the_unit_with_the_reason(engine, smtp):
    seed_units(engine)
    result = issue_data(engine, small(), "2026-03-02T09:00")
    run = runs(engine, result.key)[("UBND-PHUQUOC", "r", "")]
    tick(engine, engine_settings(smtp), "2026-03-02T10:00")  # the "issued" notices
    act(engine, run.id, Status.SUBMITTED, "UBND-PHUQUOC", when="2026-03-04T09:00")
    act(engine, run.id, Status.RETURNED, "SGDDT-AG", "Thiếu số liệu nhóm lớp độc lập",
        when="2026-03-05T09:00")
    smtp.received.clear()
    tick(engine, engine_settings(smtp), "2026-03-05T09:05")
    (mail,) = smtp.received
    assert mail.rcpt_tos == ["ubnd.phuquoc@angiang.gov.vn"]
    assert "trả lại" in mail.message["Subject"]
    assert "Lý do: Thiếu số liệu nhóm lớp độc lập" in mail.text


def test_extending_a_deadline_for_a_subtree_moves_its_ladder(engine):
    seed_units(engine)
    result = issue_data(engine, small(), "2026-03-02T09:00")  # communes, due 31/03
    sweep_at(engine, "2026-03-02T10:00")
    with transaction(engine) as session:
        moved = extend_deadline(session, directive_ref=result.key, requirement_key="r",
                                subtree="UBND-KIENHAI", new_due=date(2026, 4, 10),
                                actor="SGDDT-AG", reason="Đặc khu bị ảnh hưởng bão",
                                now=at("2026-03-20T09:00"), calendar=vietnam_calendar(),
                                rules=Settings().rules())
    assert moved == 1
    sweep_at(engine, "2026-03-26T07:40")
    sweep_at(engine, "2026-04-01T07:40")
    got = stages(engine) - {(c, "issued") for c in ("UBND-KIENHAI", "UBND-PHUQUOC",
                                                   "UBND-RACHGIA")}
    assert got == {
        ("UBND-PHUQUOC", "2026-03-31/d-3"), ("UBND-RACHGIA", "2026-03-31/d-3"),
        ("UBND-PHUQUOC", "2026-03-31/d+1"), ("UBND-RACHGIA", "2026-03-31/d+1"),
        ("SGDDT-AG", "2026-03-31/d+1/cc"),  # the urging's copy: a line of the Sở's digest
        ("UBND-KIENHAI", "2026-04-10/d-7"),
    }
    with transaction(engine) as session:
        (event,) = session.exec(model_select(AssignmentEvent)).all()
    assert event.reason == "Gia hạn 31/03/2026 → 10/04/2026: Đặc khu bị ảnh hưởng bão"


def test_only_the_issuer_may_extend_and_nothing_is_written_otherwise(engine):
    seed_units(engine)
    result = issue_data(engine, small(), "2026-03-02T09:00")
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc, transaction(engine) as session:
        extend_deadline(session, directive_ref=result.key, requirement_key="r",
                        subtree="UBND-KIENHAI", new_due=date(2026, 4, 10),
                        actor="UBND-KIENHAI", reason="x", now=at("2026-03-20T09:00"),
                        calendar=vietnam_calendar(), rules=Settings().rules())
    assert exc.value.field == "unit"
    assert snapshot(engine) == before


def test_cli_dry_run_writes_nothing_and_outbox_keeps_mail_without_smtp(engine, db_url, tmp_path):
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")
    env = {"CHIDAO_DATABASE_URL": db_url, "PATH": str(Path(CHIDAO).parent), "COLUMNS": "200"}
    before = snapshot(engine)

    def chidao(*args):
        done = subprocess.run([CHIDAO, *args], env=env, capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    dry = json.loads(chidao("sweep", "--now", "2026-03-02T10:00", "--dry-run", "--json"))
    assert (dry["examined"], dry["notifications"]) == (3, 3)
    assert snapshot(engine) == before
    chidao("sweep", "--now", "2026-03-02T10:00")
    assert "outside sending hours" in chidao("deliver", "--now", "2026-03-01T10:00")  # Sunday
    assert "mail stays in the outbox" in chidao("deliver", "--now", "2026-03-02T10:05")
    box = json.loads(chidao("outbox", "--json"))
    assert box["pending_notifications"] == 0
    assert [m["status"] for m in box["messages"]] == [MessageStatus.QUEUED.value] * 3
    shown = chidao("outbox", "--show", str(box["messages"][0]["id"]))
    assert "Nhiệm vụ mới được giao" in shown and "Message-ID: <chidao." in shown


def test_two_schedulers_on_one_database_write_each_stage_once(engine, db_url):
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")
    schedulers = [build_scheduler(build_runtime(Settings(database_url=db_url, worker_name=name)),
                                  blocking=False) for name in ("may-1", "may-2")]
    for scheduler in schedulers:
        scheduler.remove_job("deliver")  # sending depends on the wall clock's hours
        scheduler.remove_job("aggregate")
        scheduler.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(
            s.get_job("sweep").next_run_time.timestamp() > time.time() for s in schedulers):
        time.sleep(0.05)
    time.sleep(0.5)
    for scheduler in schedulers:
        scheduler.shutdown(wait=True)
    with engine.connect() as conn:
        stages = conn.execute(select(notification_table.c.assignment_id,
                                     notification_table.c.stage)).all()
        tables = set(inspect(conn).get_table_names())
    # Run on the wall clock (long after 31/03/2026): one catch-up stage per run, written once.
    assert sorted(a for a, _ in stages) == [1, 2, 3]
    assert len({stage for _, stage in stages}) == 1
    assert stages[0][1].startswith("2026-03-31/d+")
    assert {jobstore_table("may-1"), jobstore_table("may-2")} <= tables
    assert message_table.name in tables
