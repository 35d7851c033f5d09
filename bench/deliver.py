"""Delivery benchmark: messages/s from the outbox to a local SMTP server (aiosmtpd, in its own
process) — claim, send the stored bytes over pooled connections, record each outcome — next
to raw aiosmtplib sending the same messages over the same number of connections, same run.
Composing the digests (grouping + Jinja2 rendering) is timed too and reported beside it.

Run: .venv/bin/python -m bench.deliver [--messages 2000] [--connections 4] [--server-delay-ms 0]
                                       [--database sqlite|postgresql]
Last line: {"database": …, "messages": N, "messages_per_s": ours, "baseline_messages_per_s": raw,
            "ratio": …, "cpu_ratio": raw's CPU seconds / ours (this process, every thread),
            "compose_seconds": …, "end_to_end_messages_per_s": …}
On a busy machine the wall-clock ratio swings with the SMTP server's share of the CPU; the CPU
ratio (medians of paired runs) does much less.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiosmtplib
from sqlalchemy import select

from bench.databases import Databases, add_database_arguments, bench_databases
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, transaction
from chidao.domain.notifications import message_body_table, message_table
from chidao.domain.specs import parse_directive
from chidao.domain.unit_tree import UnitRow
from chidao.notifications.deliver import DeliveryReport, compose, send, smtp_mailer
from chidao.notifications.sweep import sweep
from chidao.services.issue import issue_directive
from chidao.services.units_import import import_units

NOW = "2026-03-03T09:00"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, delay_ms: float) -> subprocess.Popen[bytes]:
    """The SMTP server runs in its own process (as a real relay would), on the other core."""
    sink = Path(__file__).resolve().parent / "smtp_sink.py"
    server = subprocess.Popen([sys.executable, str(sink), str(port), str(delay_ms)])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return server
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the SMTP sink did not start")


def build(dbs: Databases, messages: int) -> str:
    """`messages` schools, one directive to all of them, swept: one digest each to send.
    Returns the template's name."""
    engine = make_engine(dbs.create("template"))
    rows = [UnitRow(1, "SGD", "Sở Giáo dục và Đào tạo", "department", None, [], "SGDĐT")]
    rows += [UnitRow(i + 2, f"MN{i:05d}", f"Trường Mầm non số {i}", "school", "SGD",
                     [f"mn{i:05d}@truong.edu.vn"]) for i in range(messages)]
    with transaction(engine) as session:
        import_units(session, rows, now=resolve_now("2026-03-01T08:00"))
        issue_directive(session, parse_directive({
            "number_symbol": "9/KH-SGDĐT", "issuer": "SGD", "issued_on": "2026-03-02",
            "title": "Kế hoạch kiểm tra nội bộ trường học năm học 2025-2026",
            "requirements": [{"key": "bc", "kind": "report", "title": "Báo cáo tự kiểm tra",
                              "to": {"children": {"kind": "school"}}, "due": "2026-03-20"}]}),
            now=resolve_now("2026-03-02T09:00"), calendar=vietnam_calendar(),
            rules=Settings().rules())
        sweep(session, now=resolve_now(NOW), calendar=vietnam_calendar(),
              send_at=Settings().send_from)
    engine.dispose()
    dbs.settle("template")
    return "template"


def ours(url: str, settings: Settings) -> tuple[float, float, int, float]:
    engine = make_engine(url)
    with engine.connect():
        pass
    now, cal, report = resolve_now(NOW), vietnam_calendar(), DeliveryReport()
    started = time.perf_counter()
    compose(engine, now=now, calendar=cal, settings=settings)
    composed = time.perf_counter()
    mailer = smtp_mailer(settings)
    assert mailer is not None
    cpu = time.process_time()
    asyncio.run(send(engine, mailer, now=now, settings=settings, report=report))
    finished, cpu = time.perf_counter(), time.process_time() - cpu
    engine.dispose()
    return composed - started, finished - composed, report.sent, cpu


def stored_envelopes(url: str) -> list[tuple[str, list[str], bytes]]:
    engine = make_engine(url)
    m, b = message_table.c, message_body_table.c
    with engine.connect() as conn:
        rows = [(s, list(r), bytes(body)) for s, r, body in conn.execute(
            select(m.sender, m.recipients, b.body).join_from(message_table, message_body_table)
            .order_by(m.id))]
    engine.dispose()
    return rows


async def raw_send(port: int, messages: list[tuple[str, list[str], bytes]],
                   connections: int) -> tuple[float, float]:
    async def worker(share: list[tuple[str, list[str], bytes]]) -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as smtp:
            for sender, recipients, data in share:
                await smtp.sendmail(sender, recipients, data)
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker(messages[i::connections]) for i in range(connections)))
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--server-delay-ms", type=float, default=0.0,
                        help="per-message latency of the SMTP server (a remote relay)")
    parser.add_argument("--repeat", type=int, default=5)
    add_database_arguments(parser)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.server_delay_ms)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port,
                        smtp_concurrency=args.connections)
    compose_times, send_times, raw_times, cpu_ratios = [], [], [], []
    envelopes: list[tuple[str, list[str], bytes]] = []
    try:
        with bench_databases(args) as dbs:
            template = build(dbs, args.messages)
            # The two share the machine with the SMTP server, whose speed drifts: they take
            # turns going first, and the medians are compared.
            for i in range(args.repeat):
                url = dbs.copy(template, f"run{i}")
                if i % 2:
                    raw_time, raw_cpu = asyncio.run(raw_send(port, envelopes, args.connections))
                composing, sending, sent, cpu = ours(url, settings)
                assert sent == args.messages, sent
                envelopes = envelopes or stored_envelopes(url)
                if not i % 2:
                    raw_time, raw_cpu = asyncio.run(raw_send(port, envelopes, args.connections))
                raw_times.append(raw_time)
                cpu_ratios.append(raw_cpu / cpu)
                dbs.drop(f"run{i}")
                compose_times.append(composing)
                send_times.append(sending)
                print(f"run {i + 1}: compose {composing:.2f} s, send {sending:.2f} s"
                      f" (CPU {cpu:.2f} s); raw aiosmtplib {raw_time:.2f} s (CPU {raw_cpu:.2f} s)")
    finally:
        server.terminate()
        server.wait()
    n = args.messages
    composing, sending = statistics.median(compose_times), statistics.median(send_times)
    ours_rate, raw_rate = n / sending, n / statistics.median(raw_times)
    print(json.dumps({"database": args.database, "messages": n,
                      "messages_per_s": round(ours_rate, 1),
                      "baseline_messages_per_s": round(raw_rate, 1),
                      "ratio": round(ours_rate / raw_rate, 2),
                      "cpu_ratio": round(statistics.median(cpu_ratios), 2),
                      "compose_seconds": round(composing, 3),
                      "end_to_end_messages_per_s": round(n / (composing + sending), 1)}))


if __name__ == "__main__":
    main()
