"""`chidao worker` runs the embedded scheduler; `deployments` exposes the same flows to a
Prefect server with cron schedules. The worker stops within 5 s of SIGTERM or SIGINT, with no
terminal (the tests run it without one, as CI does), releasing the mail it claimed."""

import os
import signal
from collections import Counter

import pytest
from sqlalchemy import func, select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.notifications import MessageStatus, message_table, notification_table
from chidao.files.unit_files import parse_unit_yaml
from chidao.flows.scheduling import deployments
from chidao.notifications.deliver import deliver, smtp_mailer
from chidao.notifications.sweep import sweep
from chidao.services.units_import import import_units
from tests.processes import (
    STOP_WITHIN,
    clock_at,
    session_members,
    started,
    stop_and_time,
    wait_until,
)
from tests.smtp_server import SmtpServer
from tests.support.cascade import at, issue_data, seed_units, small
from tests.support.cli import CHIDAO


def worker_env(db_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "CHIDAO_DATABASE_URL": db_url, "CHIDAO_WORKER_NAME": "test-worker",
           **extra}
    env.pop("PREFECT_API_URL", None)
    return env


def test_worker_sweeps_on_start_and_stops_on_ctrl_c(engine, db_url, tmp_path):
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")
    log = tmp_path / "worker.log"

    def written():
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(
                notification_table)).scalar_one() >= 3
    with started([CHIDAO, "worker"], env=worker_env(db_url), cwd=tmp_path, log=log) as worker:
        wait_until(written, 60, "the first sweep")
        wait_until(lambda: "sweep: 3 runs examined, 3 notifications" in log.read_text(), 10,
                   "the sweep's log line")
        took = stop_and_time(worker, signal.SIGINT)
        assert worker.returncode == 0, log.read_text()
        assert session_members(worker.pid) == []
    assert took < STOP_WITHIN


def seed_schools(engine, n: int) -> None:
    """n schools under the three communes, each with an address and a run issued 02/03."""
    seed_units(engine)
    communes = ["UBND-KIENHAI", "UBND-PHUQUOC", "UBND-RACHGIA"]
    rows = "".join(f"- {{code: T{i:03d}, name: Trường thử {i}, kind: school, parent:"
                   f" {communes[i % 3]}, emails: [t{i:03d}@truong.edu.vn]}}\n" for i in range(n))
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(rows), now=at("2026-03-01T08:00"))
    data = small(number_symbol="78/KH-SGDĐT")
    data["requirements"][0]["to"] = {"units": [f"T{i:03d}" for i in range(n)]}
    issue_data(engine, data, "2026-03-02T09:00")
    with transaction(engine) as session:  # the "issued" notices, ready for the next deliver
        sweep(session, now=at("2026-03-02T09:30"), calendar=vietnam_calendar(),
              send_at=Settings().send_from)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_worker_stopped_mid_delivery_releases_what_it_did_not_send(engine, db_url, tmp_path,
                                                                    sig):
    schools = 30
    seed_schools(engine, schools)
    server = SmtpServer(delay=0.3).start()  # two connections: about 4.5 s for the 30 digests
    env = worker_env(db_url, CHIDAO_SMTP_HOST="127.0.0.1", CHIDAO_SMTP_PORT=str(server.port),
                     CHIDAO_SMTP_CONCURRENCY="2", **clock_at("2026-03-02T09:30"))
    log = tmp_path / "worker.log"
    try:
        with started([CHIDAO, "worker"], env=env, cwd=tmp_path, log=log) as worker:
            wait_until(lambda: len(server.received) >= 4, 60, "the worker to be sending")
            took = stop_and_time(worker, sig)
            assert worker.returncode == 0, log.read_text()
            assert session_members(worker.pid) == []
        received_at_stop = Counter(r.header_id for r in server.received)
        with engine.connect() as conn:
            rows = conn.execute(select(message_table.c.header_id, message_table.c.status,
                                       message_table.c.claimed_by)).all()
        sent = {h for h, status, _ in rows if status == MessageStatus.SENT.value}
        waiting = [(status, claim) for _, status, claim in rows
                   if status != MessageStatus.SENT.value]
        # Another deliver, at once: the released digests are due now, not after a lease.
        settings = Settings(database_url=db_url, smtp_host="127.0.0.1", smtp_port=server.port)
        again = deliver(engine, now=at("2026-03-02T09:31"), calendar=vietnam_calendar(),
                        settings=settings, mailer=smtp_mailer(settings))
    finally:
        server.stop()
    print(f"stopped in {took:.2f} s")
    assert took < STOP_WITHIN, log.read_text()
    assert set(received_at_stop) == sent and max(received_at_stop.values()) == 1
    assert len(sent) < schools, "stopped too late to test anything"
    assert waiting and set(waiting) == {(MessageStatus.QUEUED.value, None)}
    assert again.sent == schools - len(sent)
    assert Counter(Counter(r.header_id for r in server.received).values()) == {1: schools}


def test_deployments_carry_cron_schedules():
    built = {d.name: d for d in deployments(Settings(sweep_every_minutes=5,
                                                     deliver_every_minutes=2))}
    assert set(built) == {"cascade", "sweep", "deliver", "aggregate"}
    crons = {name: [s.schedule.cron for s in d.schedules] for name, d in built.items()
             if d.schedules}
    assert crons == {"sweep": ["*/5 * * * *"], "deliver": ["*/2 * * * *"],
                     "aggregate": ["*/5 * * * *"]}
