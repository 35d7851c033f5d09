"""A principal's day on the web, in-process: lands on "Việc của đơn vị", receives a task in
one tap, reads the directive behind it and its "Căn cứ"; the commune returns without a reason
and is told so in Vietnamese, keeping what it typed."""

from sqlmodel import select

from chidao.db.database import reading
from chidao.db.lookup import directive_by_ref
from chidao.domain.assignments import Assignment
from chidao.domain.status import Status
from chidao.domain.units import Unit
from tests.support.cascade import runs
from tests.web_fixtures import csrf_of


def unit_id(engine, code: str) -> int:
    with reading(engine) as session:
        return session.exec(select(Unit.id).where(Unit.code == code)).one()


def directive_id(engine, ref: str) -> int:
    with reading(engine) as session:
        return directive_by_ref(session, ref).id


def test_a_principal_lands_on_the_units_tasks_and_the_department_on_its_directives(web, engine):
    hon_tre = web.client()
    page = hon_tre.get("/login")
    landed = hon_tre.post("/login", data={"username": "hieutruong.hontre",
                                          "password": "mat-khau-thu-nghiem",
                                          "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert landed.headers["location"] == f"/units/{unit_id(engine, 'MN-HONTRE')}/inbox"
    assert hon_tre.get("/", follow_redirects=False).headers["location"] == landed.headers[
        "location"]
    assert web.client("chuyenvien.so").get("/", follow_redirects=False).headers[
        "location"] == "/directives"


def test_the_inbox_lists_open_tasks_soonest_first_with_the_deadline_in_words(web, engine):
    page = web.client("hieutruong.hontre").get(f"/units/{unit_id(engine, 'MN-HONTRE')}/inbox")
    assert page.status_code == 200
    open_part = page.text.split('id="open"')[1].split('id="closed"')[0]
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in open_part  # who gave it, by name
    assert "ngày làm việc" in open_part or "hạn hôm nay" in open_part
    assert "Tiếp nhận" in open_part
    dues = [line.split("hạn ")[1][:10] for line in open_part.split('class="muted">· ')[1:]]
    days = [tuple(reversed(d.split("/"))) for d in dues]
    assert days == sorted(days) and len(days) >= 2


def test_receive_in_one_tap_returns_to_the_inbox_with_a_confirmation(web, engine):
    run = runs(engine, "kh-kien-hai-stem-2026")[("MN-HONTRE", "mn-bao-cao", "")]
    assert run.status is Status.ISSUED
    client = web.client("hieutruong.hontre")
    inbox = client.get(f"/units/{unit_id(engine, 'MN-HONTRE')}/inbox")
    back = client.post(f"/assignments/{run.id}/receive", data={"csrf": csrf_of(inbox.text)})
    assert back.status_code == 200 and back.url.path.endswith("/inbox")
    assert "Đã tiếp nhận nhiệm vụ" in back.text
    with reading(engine) as session:
        assert session.get(Assignment, run.id).status is Status.RECEIVED
    again = client.post(f"/assignments/{run.id}/receive", data={"csrf": csrf_of(inbox.text)})
    assert again.status_code == 409
    other = web.client("hieutruong.laison")  # not its task: refused, nothing changes
    refused = other.post(f"/assignments/{run.id}/receive",
                         data={"csrf": csrf_of(other.get("/notifications").text)})
    assert refused.status_code == 404


def test_the_directive_that_gave_the_task_and_what_it_cites_open_for_the_school(web, engine):
    client = web.client("hieutruong.hontre")
    kien_hai = client.get(f"/directives/{directive_id(engine, 'kh-kien-hai-stem-2026')}")
    assert kien_hai.status_code == 200
    cited = client.get(f"/directives/{directive_id(engine, '1039/KH-SGDĐT')}")
    assert cited.status_code == 200, cited.text[:300]
    other = web.client("chuyenvien.camau")  # another province: still not found
    assert other.get(f"/directives/{directive_id(engine, '1039/KH-SGDĐT')}"
                     ).status_code == 404
