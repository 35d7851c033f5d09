"""The closures page (Lịch nghỉ) of a unit: a commune's head declares for its commune and lifts
it, the Sở for any unit of its province; a school of another commune neither sees nor declares
for the neighbour; every bad field gets a Vietnamese message (422, nothing written)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.closures import Closure
from chidao.domain.units import Unit
from tests.support.cascade import runs, snapshot
from tests.web_fixtures import csrf_of

KEY = "kh-kien-hai-stem-2026"  # Kiên Hải's plan to its schools


def unit_id(engine, code: str) -> int:
    with transaction(engine) as session:
        return session.exec(select(Unit.id).where(Unit.code == code)).one()


def declare(client, engine, code: str, **fields: str):
    page = client.get(f"/units/{unit_id(engine, code)}/closures")
    data = {"csrf": csrf_of(page.text), "kind": "school", "from": "06/04/2026",
            "to": "08/04/2026", "reason": "Bão số 3", "decision": "CV 210/UBND-VP"} | fields
    return client.post(f"/units/{unit_id(engine, code)}/closures", data=data,
                       follow_redirects=False)


def test_a_commune_head_declares_and_lifts_a_closure_for_its_commune(web, engine):
    client = web.client("chuyenvien.kienhai")
    before = {k: r.due_on for k, r in runs(engine, KEY).items()}
    tree = client.get(f"/units/{unit_id(engine, 'UBND-KIENHAI')}/tree").text
    assert f'href="/units/{unit_id(engine, "UBND-KIENHAI")}/closures"' in tree
    response = declare(client, engine, "UBND-KIENHAI")
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"]).text
    assert "Đã công bố nghỉ học 06/04–08/04/2026 (Bão số 3)" in page
    assert "Bão số 3" in page and "CV 210/UBND-VP" in page
    after = {k: r.due_on for k, r in runs(engine, KEY).items()}
    moved = {k for k in before if after[k] != before[k]}
    assert moved and all(after[k] > before[k] for k in moved)
    with transaction(engine) as session:
        (closure,) = session.exec(select(Closure)).all()
        assert (closure.declared_by, closure.declared_by_person) == (
            "UBND-KIENHAI", "chuyenvien.kienhai")
    school = web.client("hieutruong.hontre")  # its school sees it, may not lift it
    school_page = school.get(f"/units/{unit_id(engine, 'MN-HONTRE')}/closures").text
    assert "Bão số 3" in school_page and "Hủy lịch nghỉ này" not in school_page
    lifted = client.post(f"/units/{unit_id(engine, 'UBND-KIENHAI')}/closures/{closure.id}/lift",
                         data={"csrf": csrf_of(page), "reason": "Bão suy yếu"},
                         follow_redirects=False)
    assert lifted.status_code == 303
    assert "Đã hủy nghỉ học" in client.get(lifted.headers["location"]).text
    assert {k: r.due_on for k, r in runs(engine, KEY).items()} == before


def test_the_so_declares_for_a_school_of_any_commune(web, engine):
    response = declare(web.client("chuyenvien.so"), engine, "MN-DUONGDONG", kind="work")
    assert response.status_code == 303


def test_a_school_of_another_commune_neither_sees_nor_declares_for_the_neighbour(web, engine):
    school = web.client("hieutruong.hontre")
    neighbour = unit_id(engine, "UBND-PHUQUOC")
    assert school.get(f"/units/{neighbour}/closures").status_code == 404
    before = snapshot(engine)
    csrf = csrf_of(school.get(f"/units/{unit_id(engine, 'MN-HONTRE')}/closures").text)
    refused = school.post(f"/units/{neighbour}/closures", data={
        "csrf": csrf, "kind": "school", "from": "06/04/2026", "to": "08/04/2026",
        "reason": "Bão"})
    assert refused.status_code == 404
    assert snapshot(engine) == before


def test_staff_see_closures_but_cannot_declare(web, engine):
    staff = web.client("nhanvien.kienhai")
    page = staff.get(f"/units/{unit_id(engine, 'UBND-KIENHAI')}/closures")
    assert page.status_code == 200 and "Công bố lịch nghỉ</button>" not in page.text
    assert declare(staff, engine, "UBND-KIENHAI").status_code == 403


@pytest.mark.parametrize(("fields", "shown"), [
    ({"from": "31/02/2026"}, "Từ ngày</a>: «31/02/2026» không phải ngày có thật"),
    ({"from": "", "to": ""}, "Đến ngày</a>: chưa nhập (dd/mm/yyyy)"),
    ({"to": "01/04/2026"}, "Đến ngày</a>: ngày kết thúc 01/04/2026 trước ngày bắt đầu"),
    ({"to": "30/07/2026"}, "Đến ngày</a>: lịch nghỉ dài 116 ngày, quá 60 ngày"),
    ({"from": "06/04/1999"}, "Từ ngày</a>: nằm ngoài khoảng cho phép"),
    ({"reason": "  "}, "Lý do</a>: chưa nhập"),
    ({"kind": "tet"}, "Loại nghỉ</a>: &#39;tet&#39; không phải loại nghỉ"),
])
def test_bad_fields_are_named_in_vietnamese_and_nothing_is_written(web, engine, fields, shown):
    client = web.client("chuyenvien.kienhai")
    before = snapshot(engine)
    response = declare(client, engine, "UBND-KIENHAI", **fields)
    assert response.status_code == 422
    assert shown in response.text, response.text[response.text.find("form-errors"):][:600]
    assert snapshot(engine) == before


def test_a_lift_without_a_reason_is_refused_in_vietnamese(web, engine):
    client = web.client("chuyenvien.kienhai")
    assert declare(client, engine, "MN-LAISON").status_code == 303
    with transaction(engine) as session:
        (closure,) = session.exec(select(Closure)).all()
    page = client.get(f"/units/{unit_id(engine, 'MN-LAISON')}/closures").text
    response = client.post(f"/units/{unit_id(engine, 'MN-LAISON')}/closures/{closure.id}/lift",
                           data={"csrf": csrf_of(page), "reason": " "})
    assert response.status_code == 422
    assert "Lý do hủy</a>: chưa nhập" in response.text
    with transaction(engine) as session:
        assert session.get(Closure, closure.id).lifted_at is None
