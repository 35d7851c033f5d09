"""A delivery composes its digests beside the sending (notifications.pipeline): chunk after
chunk in a worker thread while the chunk before is sent. Each digest is still sent once,
with the bytes stored for it; the worker is gone when the delivery returns; composing a chunk
costs the same statements whatever its size (no query per message)."""

from __future__ import annotations

import threading

from sqlalchemy import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import transaction
from chidao.domain.notifications import MessageStatus, message_body_table, message_table
from chidao.files.unit_files import parse_unit_yaml
from chidao.notifications.composing import FIRST_CHUNK, Composer
from chidao.notifications.sweep import sweep
from chidao.services.units_import import import_units
from tests.integration.engine_helpers import engine_settings, tick
from tests.statements import counted
from tests.support.cascade import at, issue_data, seed_units, small

SCHOOLS = 3 * FIRST_CHUNK  # three chunks and more


def seed_schools(engine, n: int) -> None:
    """n schools with an address, one run each issued 02/03 (due in the sweep of 09/03)."""
    seed_units(engine)
    rows = "".join(f"- {{code: T{i:03d}, name: Trường Tiểu học số {i}, kind: school, parent:"
                   f" UBND-KIENHAI, emails: [t{i:03d}@truong.edu.vn]}}\n" for i in range(n))
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(rows), now=at("2026-03-01T08:00"))
    data = small(number_symbol="78/KH-SGDĐT")
    data["requirements"][0]["to"] = {"units": [f"T{i:03d}" for i in range(n)]}
    issue_data(engine, data, "2026-03-02T09:00")


def test_each_digest_composed_beside_the_sending_is_sent_once_as_stored(engine, smtp):
    seed_schools(engine, SCHOOLS)
    report = tick(engine, engine_settings(smtp), "2026-03-02T09:30")
    assert report.formed >= SCHOOLS and report.sent == report.formed and not report.failed
    m, b = message_table.c, message_body_table.c
    with engine.connect() as conn:
        stored = {h: bytes(body) for h, body, status in conn.execute(
            select(m.header_id, b.body, m.status).join_from(message_table, message_body_table))
            if status == MessageStatus.SENT.value}
    received = {r.header_id: r for r in smtp.received}
    assert len(received) == len(smtp.received) == len(stored) == report.sent
    for header_id, body in stored.items():  # SMTP turns the stored "\n" into CRLF
        assert received[header_id].raw.replace(b"\r\n", b"\n").rstrip() == body.rstrip()
    assert not [t for t in threading.enumerate() if t.name.startswith("compose")], \
        "a compose worker outlived its delivery"


def test_composing_a_chunk_costs_the_same_statements_whatever_its_size(engine):
    seed_schools(engine, 60)
    now, settings = at("2026-03-02T09:30"), engine_settings(None)
    with transaction(engine) as session:
        sweep(session, now=now, calendar=vietnam_calendar(), send_at=settings.send_from)
    composer = Composer.of(engine, now=now, calendar=vietnam_calendar(), settings=settings)
    _, ids = composer.plan()
    assert len(ids) >= 60
    with counted(engine) as small_chunk:
        composer.compose_chunk(ids[:5])
    with counted(engine) as large_chunk:
        composer.compose_chunk(ids[5:60])
    assert large_chunk.count == small_chunk.count, f"{small_chunk}\n---\n{large_chunk}"
