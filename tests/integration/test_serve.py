"""`chidao serve` stops within 5 s of SIGTERM or SIGINT while requests are in flight: they get
3 s to finish, then are cancelled; the scheduler beside them stops too; nothing is left."""

import os
import signal
import socket
import threading
import time

import httpx
import pytest

from tests.processes import STOP_WITHIN, session_members, started, stop_and_time, wait_until
from tests.smtp_server import free_port
from tests.support.cascade import seed_units
from tests.support.cli import CHIDAO


def slow_upload(port: int, stop: threading.Event) -> None:
    """A form post of 1 MB sent 200 bytes at a time, 10 times a second (a slow link)."""
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 1000000\r\n\r\nusername=" + b"a" * 200)
        try:
            while not stop.wait(0.1):
                conn.sendall(b"a" * 200)
        except OSError:  # the server closed the connection
            pass


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_with_requests_in_flight_stops_within_five_seconds(engine, db_url, tmp_path,
                                                                 sig):
    seed_units(engine)
    port = free_port()
    env = {**os.environ, "CHIDAO_DATABASE_URL": db_url, "CHIDAO_WORKER_NAME": "test-serve"}
    env.pop("PREFECT_API_URL", None)
    log = tmp_path / "serve.log"
    stop_uploads = threading.Event()
    uploads = [threading.Thread(target=slow_upload, args=(port, stop_uploads), daemon=True)
               for _ in range(4)]

    def up():
        try:
            return httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    try:
        with started([CHIDAO, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                     log=log) as serve:
            wait_until(up, 60, "the dashboard")
            for upload in uploads:
                upload.start()
            time.sleep(1)  # four requests reading their bodies, none near the end
            took = stop_and_time(serve, sig)
            assert serve.returncode == 0, log.read_text()
            assert session_members(serve.pid) == []
    finally:
        stop_uploads.set()
        for upload in uploads:
            upload.join(5)
    print(f"stopped in {took:.2f} s")
    assert took < STOP_WITHIN, log.read_text()
