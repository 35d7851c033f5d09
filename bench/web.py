"""Dashboard benchmark: the national tree, one Ministry directive to all 32,700 schools and
classes; latency of the root directive page (the Ministry's view: 34 departments rolled up)
and of a commune's level of that tree (its schools), 200 requests each over HTTP to uvicorn
on 127.0.0.1, signed in. Then the cascade view of that directive as the Ministry sees it
(/directives/{id}/cascade) under 20 concurrent clients, next to a minimal FastAPI page served
by the same process under the same load (the yardstick); each client sends a bounded number
of requests after one warm-up round (the first, cold request is reported apart).

Run: .venv/bin/python -m bench.web [--requests 200] [--clients 20] [--per-client 20]
     [--database postgresql]
Last line: {"database": …, "p50_ms": .., "p95_ms": .., "commune_p50_ms": .., "commune_p95_ms": ..,
            "cascade_p50_ms": .., "cascade_p95_ms": .., "yardstick_p50_ms": ..,
            "yardstick_p95_ms": .., "ratio": cascade p95 / yardstick p95, "cascade_cold_ms": ..}
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import uvicorn
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from bench.cascade import DIRECTIVE, build_template
from bench.databases import Databases, add_database_arguments, bench_databases
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, transaction
from chidao.domain.specs import parse_directive
from chidao.domain.units import unit_table
from chidao.services.accounts import add_user
from chidao.services.issue import issue_directive
from chidao.web.app import create_app

PASSWORD = "mat-khau-bench-2026"


def build(dbs: Databases) -> tuple[str, int, int]:
    url = build_template(dbs)
    engine = make_engine(url)
    with transaction(engine) as session:
        result = issue_directive(session, parse_directive(DIRECTIVE),
                                 now=resolve_now("2026-02-26T09:00"), calendar=vietnam_calendar(),
                                 rules=Settings().rules())
        add_user(session, username="bo", full_name="Bộ", unit_code="BGDDT", role="staff",
                 password=PASSWORD, now=resolve_now(None))
        commune = session.execute(select(unit_table.c.id).where(
            unit_table.c.code == "S00-X0000")).scalar_one()
    engine.dispose()
    dbs.settle("template")
    return url, result.directive_id, commune


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def concurrent(base: str, cookies: httpx.Cookies, url: str, clients: int, each: int
               ) -> tuple[float, float, float]:
    """`clients` threads, each on its own kept-alive signed-in connection: one warm-up
    request each (the slowest returned as the cold time), then together `each` requests per
    client, timed one by one."""
    ready = threading.Barrier(clients)

    def client_run(_: int) -> tuple[float, list[float]]:
        samples = []
        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            cold = (time.perf_counter() - started) * 1000
            ready.wait()
            for _ in range(each):
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
        return cold, samples

    with ThreadPoolExecutor(clients) as pool:
        runs = list(pool.map(client_run, range(clients)))
    p50, p95 = percentiles([s for _, samples in runs for s in samples])
    return p50, p95, max(cold for cold, _ in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=20)
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs:
        url, directive_id, commune = build(dbs)
        app = create_app(Settings(database_url=url, secret_key="bench"))
        app.add_api_route("/bench/yardstick", lambda: HTMLResponse(
            "<!doctype html><title>chidao</title><p>Xin chào</p>"), methods=["GET"])
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base) as client:
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)[1]
            client.post("/login", data={"username": "bo", "password": PASSWORD, "csrf": csrf})
            results = {}
            for name, url in (("root", f"/directives/{directive_id}"),
                              ("commune", f"/directives/{directive_id}?under={commune}")):
                samples = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    response = client.get(url)
                    samples.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, response.status_code
                results[name] = percentiles(samples)
                print(f"{name}: p50 {results[name][0]:.1f} ms, p95 {results[name][1]:.1f} ms")
            for name, url in (("cascade", f"/directives/{directive_id}/cascade"),
                              ("yardstick", "/bench/yardstick")):
                p50, p95, cold = concurrent(base, client.cookies, url, args.clients,
                                            args.per_client)
                results[name] = (p50, p95, cold)
                print(f"{name}, {args.clients} clients: p50 {p50:.1f} ms, p95 {p95:.1f} ms,"
                      f" cold {cold:.1f} ms", flush=True)
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()
    print(json.dumps({"database": args.database, "p50_ms": round(results["root"][0], 1),
                      "p95_ms": round(results["root"][1], 1),
                      "commune_p50_ms": round(results["commune"][0], 1),
                      "commune_p95_ms": round(results["commune"][1], 1),
                      "cascade_p50_ms": round(results["cascade"][0], 1),
                      "cascade_p95_ms": round(results["cascade"][1], 1),
                      "yardstick_p50_ms": round(results["yardstick"][0], 1),
                      "yardstick_p95_ms": round(results["yardstick"][1], 1),
                      "ratio": round(results["cascade"][1] / results["yardstick"][1], 2),
                      "cascade_cold_ms": round(results["cascade"][2], 1)}))


if __name__ == "__main__":
    main()
