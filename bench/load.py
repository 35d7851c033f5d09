"""Load test: N concurrent clients for T seconds against `chidao serve`, started as a
subprocess on 127.0.0.1 over the national demo database (39,377 units, one Ministry plan to
32,734 schools and classes; `chidao demo --scale national` for SQLite, the same steps on
PostgreSQL), signed in as the national demo accounts (Ministry, a department, a commune),
each client asking a mix of dashboard pages one after another without pause. As yardstick,
a minimal FastAPI page served the same way (chidao.cli.lifecycle.run_server: same uvicorn settings)
is hit by the same number of clients.

Run: .venv/bin/python -m bench.load [--clients 200] [--seconds 60] [--database postgresql]
Last line: {"errors": …, "p50_ms": …, "p95_ms": …, "yardstick_p95_ms": …, "ratio": …,
            "clients": …, "seconds": …, "database": …, …}
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.databases import Databases, add_database_arguments, bench_databases

ROOT = Path(__file__).resolve().parent.parent
CHIDAO = str(Path(sys.executable).parent / "chidao")
MAX_REQUESTS_PER_CLIENT = 100_000
REQUEST_TIMEOUT = 60.0  # seconds: a request slower than this counts as an error
YARDSTICK = """
import sys
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from chidao.cli.lifecycle import run_server
app = FastAPI()
@app.get("/login")
def page() -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>chidao</title><p>Xin chào</p>")
run_server(app, "127.0.0.1", int(sys.argv[1]), None)
"""


def seed(dbs: Databases, folder: Path) -> tuple[str, dict[str, str]]:
    """The national demo database and its accounts; the pages each account asks for."""
    from chidao.config.runtime import build_runtime, load_settings
    from chidao.db.database import make_engine, transaction
    from chidao.db.lookup import unit_by_code
    from chidao.demo.scenario import DEMO_PASSWORD, NATIONAL_DIRECTIVE, add_demo_users

    users = [("chuyenvien.bo", "BGDDT", "head"), ("chuyenvien.so", "S00", "staff"),
             ("chuyenvien.xa", "S00-X0000", "staff")]  # (login, unit code, role)
    if dbs.kind == "sqlite":
        db = folder / "national.db"
        subprocess.run([CHIDAO, "demo", "--scale", "national",
                        "--db", str(db)], check=True, capture_output=True, timeout=900)
        add_demo_users(build_runtime(load_settings(database_url=f"sqlite:///{db}")),
                       [(login, login, code, role) for login, code, role in users])
        url = f"sqlite:///{db}"
    else:
        url = dbs.create("national")
        _seed_national(url, users, DEMO_PASSWORD, NATIONAL_DIRECTIVE)
    engine = make_engine(url)
    with transaction(engine) as session:
        unit = {code: unit_by_code(session, code).id for _, code, _ in users}
    engine.dispose()
    return url, {
        "chuyenvien.bo": ["/directives", "/directives/1", "/overdue",
                          f"/units/{unit['BGDDT']}/tree", "/notifications"],
        "chuyenvien.so": ["/directives", "/directives/1", f"/units/{unit['S00']}/inbox",
                          f"/directives/1?under={unit['S00']}", "/overdue"],
        "chuyenvien.xa": ["/directives", f"/units/{unit['S00-X0000']}/inbox",
                          f"/directives/1?under={unit['S00-X0000']}", "/notifications"],
    }


def _seed_national(url: str, users: list[tuple[str, str, str]], password: str,
                   directive: dict[str, Any]) -> None:
    """What `chidao demo --scale national` does, on a database of any kind."""
    from chidao.config.calendar_source import vietnam_calendar
    from chidao.config.clock import resolve_now
    from chidao.config.settings import Settings
    from chidao.db.database import make_engine, transaction
    from chidao.demo.national_tree import national_rows
    from chidao.domain.specs import parse_directive
    from chidao.services.accounts import add_user
    from chidao.services.issue import issue_directive
    from chidao.services.units_import import import_units

    now = resolve_now("2026-02-26T09:00")
    engine = make_engine(url)
    with transaction(engine) as session:
        import_units(session, national_rows(offices=True), now=now)
    with transaction(engine) as session:
        issue_directive(session, parse_directive(directive), now=now,
                        calendar=vietnam_calendar(), rules=Settings().rules())
    with transaction(engine) as session:
        for username, unit, role in users:
            add_user(session, username=username, full_name=username, unit_code=unit,
                     role=role, password=password, now=resolve_now(None))
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(command: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """`command` ({port} filled in) serving on 127.0.0.1, up (its /login answers) until the
    block ends; stopped
    (SIGTERM, then SIGKILL) even when the block fails."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([part.format(port=port) for part in command], env=env,
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(proc, base, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _wait_up(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}):\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within 120 s:\n{log.read_text()[-2000:]}")


def sign_in(base: str, username: str, password: str) -> httpx.Cookies:
    """One login per account (password hashing is not what is measured); clients share it."""
    with httpx.Client(base_url=base, timeout=60) as client:
        match = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
        assert match, "no CSRF field on /login"
        response = client.post("/login", data={"username": username, "password": password,
                                                "csrf": match[1]})
        assert response.status_code == 303, (response.status_code, response.text[:300])
        return client.cookies


async def one_client(base: str, cookies: httpx.Cookies | None, paths: list[str], offset: int,
                     until: float, tally: dict[str, Any]) -> None:
    """Ask `paths` in turn until `until` (monotonic) or MAX_REQUESTS_PER_CLIENT."""
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits,
                                 timeout=REQUEST_TIMEOUT) as client:
        for n in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= until:
                return
            started = time.perf_counter()
            try:
                response = await client.get(paths[(offset + n) % len(paths)])
                outcome = str(response.status_code)
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            tally["ms"].append((time.perf_counter() - started) * 1000)
            tally["outcomes"][outcome] += 1


async def load(base: str, clients: list[tuple[httpx.Cookies | None, list[str]]],
               seconds: float) -> dict[str, Any]:
    tally: dict[str, Any] = {"ms": [], "outcomes": collections.Counter()}
    started = time.monotonic()
    until = started + seconds
    tasks = [one_client(base, cookies, paths, i, until, tally)
             for i, (cookies, paths) in enumerate(clients)]
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + REQUEST_TIMEOUT + 30)
    elapsed = time.monotonic() - started
    ms = sorted(tally["ms"])
    outcomes = dict(tally["outcomes"])
    return {"requests": len(ms), "errors": len(ms) - outcomes.get("200", 0),
            "outcomes": outcomes, "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 1),
            "throughput_rps": round(len(ms) / elapsed, 1)}


def run_chidao(url: str, pages: dict[str, list[str]], args: argparse.Namespace,
               folder: Path) -> dict[str, Any]:
    from chidao.demo.scenario import DEMO_PASSWORD

    env = {**os.environ, "CHIDAO_DATABASE_URL": url, "CHIDAO_SECRET_KEY": "bench-load"}
    command = [CHIDAO, "serve", "--host", "127.0.0.1", "--port", "{port}"]
    with server(command, env, folder / "serve.log") as base:
        cookies = {user: sign_in(base, user, DEMO_PASSWORD) for user in pages}
        users = list(pages)
        clients = [(cookies[users[i % len(users)]], pages[users[i % len(users)]])
                   for i in range(args.clients)]
        figures = asyncio.run(load(base, clients, args.seconds))
        started = time.perf_counter()  # the next request once the load is over
        httpx.get(f"{base}/directives", cookies=cookies[users[0]], timeout=REQUEST_TIMEOUT)
        figures["after_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return figures


def run_yardstick(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    command = [sys.executable, "-c", YARDSTICK, "{port}"]
    with server(command, dict(os.environ), folder / "yard.log") as base:
        clients = [(None, ["/login"])] * args.clients
        return asyncio.run(load(base, clients, args.yardstick_seconds))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--yardstick-seconds", type=float, default=20)
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs, tempfile.TemporaryDirectory(prefix="chidao-load-") as tmp:
        url, pages = seed(dbs, Path(tmp))
        figures = run_chidao(url, pages, args, Path(tmp))
        print(f"chidao: {figures}", flush=True)
        yardstick = run_yardstick(args, Path(tmp))
        print(f"yardstick: {yardstick}", flush=True)
    print(json.dumps({
        "errors": figures["errors"], "p50_ms": figures["p50_ms"], "p95_ms": figures["p95_ms"],
        "yardstick_p95_ms": yardstick["p95_ms"],
        "ratio": round(figures["p95_ms"] / max(yardstick["p95_ms"], 0.1), 1),
        "clients": args.clients, "seconds": args.seconds, "database": args.database,
        "requests": figures["requests"], "throughput_rps": figures["throughput_rps"],
        "outcomes": figures["outcomes"], "after_ms": figures["after_ms"],
        "yardstick_throughput_rps": yardstick["throughput_rps"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
