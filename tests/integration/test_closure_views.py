"""Closures shown on the pages (chidao.queries.closure_notices, chidao.web.closure_views): the
banner to the readers whose unit a closure covers or whose subtree holds it, never to the
neighbouring commune; the mark on the closed units of the organisation tree and of the
cascade; lifted and past closures nowhere."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.closures import Closure
from tests.support.cascade import at
from tests.support.closure_scene import (
    GONE,
    LAISON_BANNER,
    NEIGHBOUR,
    STORM_BANNER,
    close_units,
    fix_clock,
    unit_id,
    units_below,
)
from tests.support.html_text import texts_of


@pytest.fixture
def closed(web, engine):
    close_units(engine)
    fix_clock(web.app)
    with transaction(engine) as session:
        ids = {code: unit_id(session, code) for code in (
            "SGDDT-AG", "UBND-KIENHAI", "UBND-PHUQUOC", "MN-HONTRE", "MN-LAISON",
            "MN-DUONGDONG")}
        storm = STORM_BANNER.format(below=units_below(session, "UBND-KIENHAI"))
        ids["cascade"] = int(directive_by_ref(session, "1039/KH-SGDĐT").id or 0)
    return web, ids, storm


def banners(client, path: str) -> list[str]:
    page = client.get(path)
    assert page.status_code == 200, page.text
    for gone in GONE:
        assert gone not in page.text  # a lifted or past closure shows nowhere
    return texts_of(page.text, "closure-banner")


@pytest.mark.parametrize(("username", "home", "expected"), [
    ("chuyenvien.so", "SGDDT-AG", ["storm", LAISON_BANNER]),  # the whole province
    ("chuyenvien.kienhai", "UBND-KIENHAI", ["storm", LAISON_BANNER]),  # its own and its school's
    ("hieutruong.hontre", "MN-HONTRE", ["storm"]),  # its commune's, not the other school's
    ("hieutruong.laison", "MN-LAISON", ["storm", LAISON_BANNER]),
    (NEIGHBOUR, "MN-DUONGDONG", []),  # the next commune's school: nothing of Kiên Hải
    ("chuyenvien.phuquoc", "UBND-PHUQUOC", []),
])
def test_each_reader_sees_the_closures_over_its_unit_and_within_its_subtree(
        closed, username, home, expected):
    web, ids, storm = closed
    want = [storm if line == "storm" else line for line in expected]
    client = web.client(username)
    for path in ("/overdue", "/directives", f"/units/{ids[home]}/inbox",
                 f"/units/{ids[home]}/tree"):
        assert banners(client, path) == want, path


def test_the_sos_tree_marks_the_closed_commune_and_not_its_neighbour(closed):
    web, ids, _ = closed
    page = web.client("chuyenvien.so").get(f"/units/{ids['SGDDT-AG']}/tree")
    assert texts_of(page.text, "closure-mark") == ["Đang nghỉ học 23/03–26/03/2026"]
    line = next(li for li in page.text.split("<li>") if "đặc khu Kiên Hải</a>" in li)
    assert "closure-mark closed" in line
    phu_quoc = next(li for li in page.text.split("<li>") if "đặc khu Phú Quốc</a>" in li)
    assert "closure-mark" not in phu_quoc


def test_the_communes_tree_marks_each_closed_school_with_words(closed):
    web, ids, _ = closed
    page = web.client("chuyenvien.kienhai").get(f"/units/{ids['UBND-KIENHAI']}/tree")
    marks = texts_of(page.text, "closure-mark")
    # every unit under the commune is closed now (the storm): the storm's mark, in force first
    assert marks and set(marks) == {"Đang nghỉ học 23/03–26/03/2026"}
    assert 'class="closure-icon" aria-hidden="true"' in page.text  # the icon only repeats it
    found = web.client("chuyenvien.so").get(f"/units/{ids['SGDDT-AG']}/tree?q=lai son")
    results = found.text.split('id="unit-results"')[1].split("</ul>")[0]
    assert "Lại Sơn" in results
    assert texts_of(results, "closure-mark") == ["Đang nghỉ học 23/03–26/03/2026"]


def test_a_unit_above_a_closed_one_is_marked_as_holding_it(closed, engine):
    web, ids, _ = closed
    with transaction(engine) as session:  # the storm lifted: only Lại Sơn's closure is left
        for row in session.exec(select(Closure).where(col(Closure.reason).startswith("Bão"))):
            row.lifted_at = at("2026-03-24T08:00")
    page = web.client("chuyenvien.so").get(f"/units/{ids['SGDDT-AG']}/tree")
    assert texts_of(page.text, "closure-mark") == ["Có 1 đơn vị trực thuộc sắp nghỉ"]
    assert texts_of(page.text, "closure-banner") == [LAISON_BANNER]
    hon_tre = web.client("hieutruong.hontre").get(f"/units/{ids['MN-HONTRE']}/inbox")
    assert texts_of(hon_tre.text, "closure-banner") == []


def test_the_cascade_shows_the_banner_and_marks_the_closed_communes_row(closed):
    web, ids, storm = closed
    page = web.client("chuyenvien.so").get(f"/directives/{ids['cascade']}/cascade")
    assert texts_of(page.text, "closure-banner") == [storm, LAISON_BANNER]
    rows = {row.split("</td>")[0]: row for row in page.text.split('<tr class="unit ')[1:]}
    kien_hai = next(row for cell, row in rows.items() if "Kiên Hải" in cell)
    assert texts_of(kien_hai, "closure-mark") == ["Đang nghỉ học 23/03–26/03/2026"]
    assert all("closure-mark" not in row for cell, row in rows.items() if "Kiên Hải" not in cell)
    focused = web.client("chuyenvien.so").get(
        f"/directives/{ids['cascade']}/cascade?unit={ids['UBND-PHUQUOC']}")
    assert texts_of(focused.text, "closure-banner") == []  # Phú Quốc's subtree: nothing closed
    neighbour = web.client(NEIGHBOUR).get(f"/directives/{ids['cascade']}/cascade")
    assert neighbour.status_code == 200 and "closure-" not in neighbour.text.split("<main")[1]


def test_a_closure_declared_after_a_view_was_kept_shows_at_once(web, engine):
    fix_clock(web.app)
    with transaction(engine) as session:
        cascade = int(directive_by_ref(session, "1039/KH-SGDĐT").id or 0)
    client = web.client("chuyenvien.so")
    assert texts_of(client.get(f"/directives/{cascade}/cascade").text, "closure-mark") == []
    close_units(engine)  # no run changed: the kept view's data version is the same
    assert texts_of(client.get(f"/directives/{cascade}/cascade").text, "closure-mark") == [
        "Đang nghỉ học 23/03–26/03/2026"]


def test_the_banner_says_upcoming_before_the_first_day_and_nothing_after_the_last(closed):
    web, ids, storm = closed
    inbox = f"/units/{ids['MN-LAISON']}/inbox"
    fix_clock(web.app, "2026-03-20T09:00")  # Friday before the storm (signed in on that day)
    assert banners(web.client("hieutruong.laison"), inbox) == [
        storm.replace("Đang nghỉ học", "Sắp nghỉ học").replace(
            "nhắc hạn tạm dừng.", "nhắc hạn sẽ tạm dừng trong những ngày nghỉ."), LAISON_BANNER]
    fix_clock(web.app, "2026-03-27T09:00")  # the day after the storm's last day
    assert banners(web.client("hieutruong.laison"), inbox) == [LAISON_BANNER]
    fix_clock(web.app, "2026-04-01T09:00")
    assert banners(web.client("hieutruong.laison"), inbox) == []


def test_the_directive_page_marks_the_closed_units_it_lists(closed):
    web, ids, storm = closed
    client = web.client("chuyenvien.so")
    page = client.get(f"/directives/{ids['cascade']}")
    assert texts_of(page.text, "closure-banner") == [storm, LAISON_BANNER]
    rows = page.text.split("<tr class=")[1:]
    marked = [row for row in rows if "closure-mark" in row]
    assert len(marked) == 1 and "Kiên Hải" in marked[0]
    inside = client.get(f"/directives/{ids['cascade']}?under={ids['UBND-PHUQUOC']}")
    assert texts_of(inside.text, "closure-banner") == []
    assert "closure-mark" not in inside.text.split("<main")[1]
