"""Exactly-once (or recognisably once) delivery: concurrent workers, SMTP down, SIGKILL."""

import signal
import subprocess
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from chidao.db.database import transaction
from chidao.domain.notifications import MessageStatus, message_table, notification_table
from chidao.files.unit_files import parse_unit_yaml
from chidao.services.units_import import import_units
from tests.integration.engine_helpers import engine_settings, tick
from tests.smtp_server import SmtpServer
from tests.support.cascade import SCHOOLS, T0, at, seed_many_schools
from tests.support.cli import CHIDAO, chidao_env


def outbox_rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(message_table.c.header_id, message_table.c.status)).all()


def test_two_sweepers_and_two_deliverers_send_each_notification_once(engine, db_url, smtp):
    seed_many_schools(engine)
    env = chidao_env(db_url, smtp, CHIDAO_DELIVER_BATCH="7")
    commands = [["sweep", "--now", T0], ["sweep", "--now", T0],
                ["deliver", "--now", T0], ["deliver", "--now", T0]]
    for round_ in (commands, commands[2:]):  # deliverers again for what swept after they looked
        procs = [subprocess.Popen([CHIDAO, *c], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for c in round_]
        for p in procs:
            out, errors = p.communicate(timeout=120)
            assert p.returncode == 0, errors
    ids = Counter(r.header_id for r in smtp.received)
    assert len(ids) == SCHOOLS and max(ids.values()) == 1
    assert Counter(r.rcpt_tos[0] for r in smtp.received) == Counter(
        {f"t{i:03d}@truong.edu.vn": 1 for i in range(SCHOOLS)})
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(notification_table)).scalar() \
            == SCHOOLS
    assert {status for _, status in outbox_rows(engine)} == {MessageStatus.SENT.value}


def test_smtp_down_then_up_delivers_everything_once(engine):
    seed_many_schools(engine, 10)
    server = SmtpServer()  # not started yet: connection refused
    settings = engine_settings(server)
    report = tick(engine, settings, T0)
    assert (report.sent, report.retrying) == (0, 10)
    assert tick(engine, settings, "2026-03-03T09:00:30").retrying == 0  # backoff not over
    server.start()
    try:
        report = tick(engine, settings, "2026-03-03T09:02")
        again = tick(engine, settings, "2026-03-03T09:10")
    finally:
        server.stop()
    assert (report.sent, again.sent) == (10, 0)
    assert len({r.header_id for r in server.received}) == len(server.received) == 10


def test_a_refused_address_fails_for_good_and_is_recorded(engine, smtp):
    seed_many_schools(engine, 3)
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(
            "- {code: T000, name: Trường Mầm non thử 0, kind: school, parent: UBND-KIENHAI,"
            " emails: [khong-ton-tai@truong.edu.vn]}\n"), now=at("2026-03-02T10:00"))
    report = tick(engine, engine_settings(smtp), T0)
    assert (report.sent, report.failed) == (2, 1)
    with engine.connect() as conn:
        (error,) = conn.execute(select(message_table.c.last_error).where(
            message_table.c.status == MessageStatus.FAILED.value)).scalars()
    assert "550" in error


@pytest.mark.parametrize("trial", range(2))
def test_delivery_killed_mid_batch_loses_nothing_and_resends_recognisably(
        engine, db_url, trial):
    seed_many_schools(engine)
    server = SmtpServer(delay=0.02).start()
    try:
        env = chidao_env(db_url, server)
        subprocess.run([CHIDAO, "sweep", "--now", T0], env=env, check=True, capture_output=True)
        proc = subprocess.Popen([CHIDAO, "deliver", "--now", T0], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(server.received) < 20 + 30 * trial and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert len(server.received) < SCHOOLS, "killed too late to test anything"
        later = "2026-03-03T09:10"  # past the dead worker's claim lease (300 s)
        subprocess.run([CHIDAO, "deliver", "--now", later], env=env, check=True,
                       capture_output=True)
    finally:
        server.stop()
    sent = {h for h, status in outbox_rows(engine) if status == MessageStatus.SENT.value}
    received = Counter(r.header_id for r in server.received)
    assert len(sent) == SCHOOLS and set(received) == sent  # nothing lost
    for header_id, copies in received.items():  # a re-send is the same message, same id
        if copies > 1:
            versions = {(tuple(r.rcpt_tos), r.message["Subject"]) for r in server.received
                        if r.header_id == header_id}
            assert len(versions) == 1
