"""Delivery benchmark: messages/s from the sweep's notifications to a local SMTP server
(aiosmtpd, in its own process) — end to end: group into digests, render, store, claim, send
the stored bytes over pooled connections, record each outcome, the composing of the next chunk
beside the sending of this one (`deliver`) — against raw aiosmtplib sending the same messages'
bytes over the same number of connections, in the same run.

Each repetition, on fresh copies of one database: `deliver` end to end; compose alone, then
send alone (the send step's own ratio); raw aiosmtplib. Who goes first alternates; each ratio
is the median of the repetitions' paired ratios.

Run: .venv/bin/python -m bench.deliver [--messages 2000] [--connections 4] [--repeat 5]
                                       [--server-delay-ms 0] [--database sqlite|postgresql]
Last line: {"database": …, "messages": N, "ratio": end-to-end msg/s ÷ raw msg/s,
            "msg_per_s": end to end, "raw_msg_per_s": …, "send_ratio": send step ÷ raw,
            "compose_ms_per_message": compose alone, "cpu_ratio": raw's CPU ÷ end to end's}
On a busy machine the wall-clock ratios swing with the SMTP server's share of the CPU.
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
from chidao.notifications.composing import compose
from chidao.notifications.deliver import DeliveryReport, deliver, send, smtp_mailer
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


def end_to_end(url: str, settings: Settings) -> tuple[float, float]:
    """`deliver` as the worker runs it: (wall seconds, CPU seconds of this process)."""
    engine = make_engine(url)
    with engine.connect():
        pass
    started, cpu = time.perf_counter(), time.process_time()
    report = deliver(engine, now=resolve_now(NOW), calendar=vietnam_calendar(),
                     settings=settings, mailer=smtp_mailer(settings))
    finished, cpu = time.perf_counter(), time.process_time() - cpu
    engine.dispose()
    assert report.sent == report.formed and not report.failed, report
    return finished - started, cpu


def steps(url: str, settings: Settings) -> tuple[float, float, int]:
    """Compose alone, then send alone: (compose seconds, send seconds, messages sent)."""
    engine = make_engine(url)
    with engine.connect():
        pass
    now, cal, report = resolve_now(NOW), vietnam_calendar(), DeliveryReport()
    started = time.perf_counter()
    compose(engine, now=now, calendar=cal, settings=settings)
    composed = time.perf_counter()
    mailer = smtp_mailer(settings)
    assert mailer is not None
    asyncio.run(send(engine, mailer, now=now, settings=settings, report=report))
    finished = time.perf_counter()
    engine.dispose()
    return composed - started, finished - composed, report.sent


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
    runs: list[dict[str, float]] = []
    try:
        with bench_databases(args) as dbs:
            template = build(dbs, args.messages)
            for i in range(args.repeat):
                runs.append(repetition(dbs, template, i, port, settings, args))
    finally:
        server.terminate()
        server.wait()
    print(json.dumps(summary(runs, args)))


def repetition(dbs: Databases, template: str, i: int, port: int, settings: Settings,
               args: argparse.Namespace) -> dict[str, float]:
    """One paired measurement. The three share the machine with the SMTP server, whose speed
    drifts: they take turns going first."""
    e2e_url, steps_url = dbs.copy(template, f"e2e{i}"), dbs.copy(template, f"steps{i}")
    composing, sending, sent = steps(steps_url, settings)
    assert sent == args.messages, sent
    envelopes = stored_envelopes(steps_url)
    measured: dict[str, float] = {"compose": composing, "send": sending}

    def raw() -> None:
        measured["raw"], measured["raw_cpu"] = asyncio.run(
            raw_send(port, envelopes, args.connections))

    def ours() -> None:
        measured["e2e"], measured["e2e_cpu"] = end_to_end(e2e_url, settings)

    for measure in (raw, ours) if i % 2 else (ours, raw):
        measure()
    dbs.drop(f"e2e{i}")
    dbs.drop(f"steps{i}")
    print(f"run {i + 1}: end to end {measured['e2e']:.2f} s (CPU {measured['e2e_cpu']:.2f} s);"
          f" compose {composing:.2f} s, send {sending:.2f} s;"
          f" raw aiosmtplib {measured['raw']:.2f} s (CPU {measured['raw_cpu']:.2f} s)",
          flush=True)
    return measured


def summary(runs: list[dict[str, float]], args: argparse.Namespace) -> dict[str, object]:
    n = args.messages

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    def paired(key: str) -> float:  # raw's time ÷ ours, per repetition, then the median
        return round(statistics.median(r["raw"] / r[key] for r in runs), 2)

    return {"database": args.database, "messages": n, "connections": args.connections,
            "repeat": args.repeat, "ratio": paired("e2e"),
            "msg_per_s": round(n / median("e2e"), 1),
            "raw_msg_per_s": round(n / median("raw"), 1),
            "send_ratio": paired("send"),
            "compose_ms_per_message": round(median("compose") / n * 1000, 3),
            "cpu_ratio": round(statistics.median(r["raw_cpu"] / r["e2e_cpu"] for r in runs), 2)}


if __name__ == "__main__":
    main()
