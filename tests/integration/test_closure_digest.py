"""Closures in the digest emails, through a real SMTP server on 127.0.0.1: the recipient whose
unit or subtree is under a closure in force or starting soon reads what is closed, when, why,
and that deadlines moved and reminders pause, in the plain-text part and the HTML part; the
neighbouring commune's digest says nothing of it; a lifted or past closure is never told."""

from __future__ import annotations

import html

import pytest

from chidao.db.database import transaction
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.cascade import issue_data, seed_units, small
from tests.support.closure_scene import GONE, close_units, units_below

KH, PQ = "ubnd.kienhai@angiang.gov.vn", "ubnd.phuquoc@angiang.gov.vn"
HEADING = "Lịch nghỉ học, nghỉ làm việc"


def storm_lines(below: int, state: str, pause: str) -> list[str]:
    return [f"- {state}: Ủy ban nhân dân đặc khu Kiên Hải và {below} đơn vị trực thuộc,"
            " 23/03–26/03/2026 — Bão số 3 (Wipha) (theo 45/QĐ-UBND).",
            f"  Hạn của các đơn vị này đã lùi theo số ngày nghỉ; {pause}."]


LAISON = ["- Sắp nghỉ làm việc: Trường Mầm non Lại Sơn, 30/03–31/03/2026 — Ngập do triều cường.",
          "  Hạn của đơn vị này đã lùi theo số ngày nghỉ; nhắc hạn sẽ tạm dừng trong những"
          " ngày nghỉ."]


def parts(mail) -> tuple[str, str]:
    body = mail.message.get_body(preferencelist=("html",))
    return mail.text, html.unescape(body.get_content())


@pytest.mark.parametrize(("moment", "state", "pause"), [
    ("2026-03-20T09:00", "Sắp nghỉ học", "nhắc hạn sẽ tạm dừng trong những ngày nghỉ"),
    ("2026-03-24T09:00", "Đang nghỉ học", "nhắc hạn tạm dừng"),
])
def test_the_closed_communes_digest_tells_the_closure_and_the_neighbours_does_not(
        engine, smtp, moment, state, pause):
    seed_units(engine)
    close_units(engine)
    with transaction(engine) as session:
        below = units_below(session, "UBND-KIENHAI")
    data = small(issued_on=moment[:10])
    data["requirements"][0]["due"] = "2026-04-15"
    issue_data(engine, data, moment)
    tick(engine, engine_settings(smtp), moment)  # the "issued" digest to each commune
    mails = {address: [m for m in smtp.received if address in m.rcpt_tos] for address in (KH, PQ)}
    (kien_hai,), (phu_quoc,) = mails[KH], mails[PQ]
    text, page = parts(kien_hai)
    print(text, page, sep="\n")  # shown with -s: what the commune reads
    lines = text.splitlines()
    start = lines.index(f"{HEADING}:")
    assert lines[start + 1:start + 5] == [*storm_lines(below, state, pause), *LAISON]
    assert lines.index("Đơn vị được giao nhiệm vụ mới:") > start  # before the tasks
    assert f"<h3 style=\"margin:0 0 6px\">{HEADING}</h3>" in page
    assert f"<strong>{state}:</strong> Ủy ban nhân dân đặc khu Kiên Hải và {below} đơn vị" in page
    assert f"Hạn của các đơn vị này đã lùi theo số ngày nghỉ; {pause}." in page
    assert "<strong>Sắp nghỉ làm việc:</strong> Trường Mầm non Lại Sơn, 30/03–31/03/2026" in page
    for other in parts(phu_quoc):  # the neighbour: its own lifted and past closures untold too
        assert HEADING not in other and "Kiên Hải" not in other
        assert not any(gone in other for gone in GONE)
        assert "Đơn vị được giao nhiệm vụ mới" in other


def test_a_closure_over_after_the_digest_day_is_no_longer_told(engine, smtp):
    seed_units(engine)
    close_units(engine)
    data = small(issued_on="2026-04-01")
    data["requirements"][0]["due"] = "2026-04-15"
    issue_data(engine, data, "2026-04-01T09:00")
    tick(engine, engine_settings(smtp), "2026-04-01T09:00")
    (kien_hai,) = [m for m in smtp.received if KH in m.rcpt_tos]
    assert all(HEADING not in part for part in parts(kien_hai))
