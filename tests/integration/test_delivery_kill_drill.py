"""Kill drill: `chidao deliver` killed with SIGKILL at 20 random moments, then resumed. Each
kill may re-send at most as many digests as were in flight (CHIDAO_SMTP_CONCURRENCY), counted
by Message-ID at a real SMTP server; nothing is lost."""

import random
import shutil
import signal
import subprocess
import time
from collections import Counter

import pytest
from sqlalchemy import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import make_engine, transaction
from chidao.domain.notifications import MessageStatus, message_table
from chidao.notifications.deliver import deliver, smtp_mailer
from chidao.notifications.sweep import sweep
from tests.integration.engine_helpers import engine_settings
from tests.smtp_server import SmtpServer
from tests.support.cascade import T0, at, seed_many_schools
from tests.support.cli import CHIDAO, chidao_env

pytestmark = pytest.mark.sqlite_only
SCHOOLS, CONCURRENCY, BATCH, TRIALS = 300, 4, 50, 20
RESUME = "2026-03-03T09:10"  # past the killed worker's claim lease (300 s)


def kill_at_random_moment(proc: subprocess.Popen[bytes], server: SmtpServer,
                          rng: random.Random) -> int:
    """Wait for sending to start, then kill at a random moment of it (or, one time in five,
    at a random moment before: starting up, composing). Returns the messages received then."""
    started = time.monotonic()
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.0, 1.0))
    else:
        while not server.received and proc.poll() is None and time.monotonic() - started < 30:
            time.sleep(0.001)
        target = rng.randrange(SCHOOLS)
        while len(server.received) < target and proc.poll() is None:
            time.sleep(0.0005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return len(server.received)


def resume_and_count(db_url: str, server: SmtpServer) -> tuple[int, set[str]]:
    """Deliver again after the lease ran out: (copies beyond the first, ids not yet sent)."""
    engine = make_engine(db_url)
    try:
        settings = engine_settings(server, smtp_concurrency=CONCURRENCY, deliver_batch=BATCH)
        deliver(engine, now=at(RESUME), calendar=vietnam_calendar(), settings=settings,
                mailer=smtp_mailer(settings))
        with engine.connect() as conn:
            rows = conn.execute(select(message_table.c.header_id, message_table.c.status)).all()
    finally:
        engine.dispose()
    copies = Counter(r.header_id for r in server.received)
    unsent = {h for h, status in rows if status != MessageStatus.SENT.value} | (
        {h for h, _ in rows} - set(copies))
    assert len(rows) == SCHOOLS
    return sum(n - 1 for n in copies.values()), unsent


def test_sigkill_during_deliver_resends_at_most_what_was_in_flight(engine, db_url, tmp_path):
    seed_many_schools(engine, SCHOOLS)
    with transaction(engine) as session:
        sweep(session, now=at(T0), calendar=vietnam_calendar(), send_at=at(T0).time())
    engine.dispose()
    template = db_url.removeprefix("sqlite:///")
    rng = random.Random(20261129)
    drill = []
    for trial in range(TRIALS):
        copy = tmp_path / f"trial{trial}.db"
        shutil.copy(template, copy)
        url = f"sqlite:///{copy}"
        server = SmtpServer().start()
        try:
            env = chidao_env(url, server, CHIDAO_SMTP_CONCURRENCY=str(CONCURRENCY),
                             CHIDAO_DELIVER_BATCH=str(BATCH))
            proc = subprocess.Popen([CHIDAO, "deliver", "--now", T0], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                before = kill_at_random_moment(proc, server, rng)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            duplicates, unsent = resume_and_count(url, server)
        finally:
            server.stop()
        drill.append((before, duplicates))
        assert unsent == set(), f"trial {trial}: lost {len(unsent)}"
    print(f"\nkill drill, {SCHOOLS} digests, {CONCURRENCY} SMTP connections, batches of {BATCH}:"
          f" (received before the kill, sent twice) per kill: {drill}")
    assert max(d for _, d in drill) <= CONCURRENCY, drill
    assert sum(1 for before, _ in drill if 0 < before < SCHOOLS) >= TRIALS // 2, drill
