"""Login answer times: an unknown user name vs a known one with a wrong password (20 each,
interleaved, each from its own address so the throttle stays out of it).

    python -m bench.login_timing
"""

import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from chidao.config.settings import Settings
from chidao.db.database import make_engine, migrate, transaction
from chidao.demo.scenario import EXAMPLES
from chidao.files.unit_files import read_unit_file
from chidao.services.accounts import add_user
from chidao.services.units_import import import_units
from chidao.web.app import create_app

NOW = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)

db = Path(tempfile.mkdtemp()) / "m.db"
url = f"sqlite:///{db}"
migrate(url)
engine = make_engine(url)
with transaction(engine) as s:
    import_units(s, read_unit_file(EXAMPLES / "units.yaml"), now=NOW)
    add_user(s, username="hieutruong.hontre", full_name="x", unit_code="MN-HONTRE", role="head",
             password="mat-khau-thu-nghiem", now=NOW)
app = create_app(Settings(database_url=url, secret_key="k"))


def one(name: str, n: int) -> tuple[float, int]:
    c = TestClient(app, client=(f"127.0.1.{n}", 40000))
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)[1]
    t = time.perf_counter()
    form = {"username": name, "password": "sai-mat-khau", "csrf": csrf}
    code = c.post("/login", data=form).status_code
    return (time.perf_counter() - t) * 1000, code


one("khong-co-ai", 200)  # warm up (the dummy hash is made once)
results: dict[str, list[tuple[float, int]]] = {"unknown": [], "known, wrong password": []}
for n in range(1, 21):
    results["unknown"].append(one("khong-co-ai", n))
    results["known, wrong password"].append(one("hieutruong.hontre", 100 + n))
for label, times in results.items():
    assert all(c == 401 for _, c in times)
    ms = [t for t, _ in times]
    print(f"{label}: median {statistics.median(ms):.0f} ms, min {min(ms):.0f},"
          f" max {max(ms):.0f}")
app.state.engine.dispose()
engine.dispose()
db.unlink()
