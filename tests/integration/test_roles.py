"""Roles mean something: staff receive and submit; heads also accept/return, extend and
issue. Checked in the use cases, so the pages and the API refuse alike (403, Vietnamese)."""

import pytest
import yaml

from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.assignments import Assignment
from chidao.domain.permissions import NotPermitted
from chidao.domain.status import Status
from chidao.services.status_changes import act_on_assignment
from tests.integration.report_scenario import school_run, submit
from tests.support.cascade import at, runs
from tests.web_fixtures import csrf_of

PLAN = {"number_symbol": "15/KH-UBND", "issuer": "UBND-KIENHAI", "issued_on": "2026-03-20",
        "title": "Kế hoạch kiểm tra cơ sở vật chất", "requirements": [
            {"key": "kiem-tra", "kind": "action", "title": "Tự kiểm tra cơ sở vật chất",
             "to": {"children": {}}, "due": "2026-04-30"}]}


def bearer(web, username):
    return {"Authorization": f"Bearer {web.tokens[username]}"}


def status_of(engine, run_id):
    with transaction(engine) as session:
        return session.get(Assignment, run_id).status


def refused(response):
    assert response.status_code == 403, response.text
    text = response.text if "html" in response.headers["content-type"] else \
        response.json()["detail"]
    assert "không có quyền" in text and "staff" in text
    return True


@pytest.fixture
def handed_in(web, engine):
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    submit(engine, run_id, "MN-HONTRE", {"so_lop": 6, "tre": 150}, "2026-03-25T09:00")
    return run_id


def test_staff_may_not_accept_or_return_a_head_may(web, engine, handed_in):
    staff = web.client("nhanvien.kienhai")
    csrf = csrf_of(staff.get(f"/assignments/{handed_in}").text)
    for action in ("accept", "return"):
        assert refused(staff.post(f"/assignments/{handed_in}/review",
                                  data={"csrf": csrf, "action": action, "reason": "Thiếu"}))
        assert refused(staff.post(f"/api/assignments/{handed_in}/review",
                                  headers=bearer(web, "nhanvien.kienhai"),
                                  json={"action": action, "reason": "Thiếu"}))
    assert status_of(engine, handed_in) == Status.SUBMITTED
    head = web.client("chuyenvien.kienhai")
    unknown = head.post(f"/api/assignments/{handed_in}/review",
                        headers=bearer(web, "chuyenvien.kienhai"), json={"action": "xoa"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "action"
    returned = head.post(f"/api/assignments/{handed_in}/review",
                         headers=bearer(web, "chuyenvien.kienhai"),
                         json={"action": "return", "reason": "Thiếu số liệu"})
    assert returned.status_code == 200 and returned.json()["status"] == Status.RETURNED
    submit(engine, handed_in, "MN-HONTRE", {"so_lop": 6, "tre": 151}, "2026-03-26T09:00")
    page = head.get(f"/assignments/{handed_in}").text
    accepted = head.post(f"/assignments/{handed_in}/review",
                         data={"csrf": csrf_of(page), "action": "accept"},
                         follow_redirects=False)
    assert accepted.status_code == 303 and status_of(engine, handed_in) == Status.ACCEPTED


def test_staff_may_submit_its_units_run(web, engine):
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    with transaction(engine) as session:
        act_on_assignment(session, run_id, Status.SUBMITTED, unit_code="MN-HONTRE",
                          now=at("2026-03-25T09:00"), role="staff")
    assert status_of(engine, run_id) == Status.SUBMITTED


def test_staff_may_not_extend_a_head_may(web, engine):
    before = runs(engine, "kh-kien-hai-stem-2026")[("MN-ANSON", "mn-ke-hoach", "")]
    form = {"requirement": "mn-ke-hoach", "subtree": "MN-ANSON", "new_due": "03/04/2026",
            "reason": "Trường bị ngập"}
    staff = web.client("nhanvien.kienhai")
    page = staff.get(f"/directives/{before.directive_id}").text
    assert refused(staff.post(f"/directives/{before.directive_id}/extend",
                              data={"csrf": csrf_of(page), **form}))
    assert refused(staff.post(f"/api/directives/{before.directive_id}/extend",
                              headers=bearer(web, "nhanvien.kienhai"), json=form))
    after = runs(engine, "kh-kien-hai-stem-2026")[("MN-ANSON", "mn-ke-hoach", "")]
    assert after.due_on == before.due_on
    moved = web.client().post(f"/api/directives/{before.directive_id}/extend",
                              headers=bearer(web, "chuyenvien.kienhai"), json=form)
    assert moved.status_code == 200 and moved.json() == {"moved": 1}


def test_staff_may_not_issue_a_head_may(web, engine):
    staff = web.client("nhanvien.kienhai")
    page = staff.get("/directives/new").text
    assert refused(staff.post("/directives", data={
        "csrf": csrf_of(page), "yaml": yaml.safe_dump(PLAN, allow_unicode=True)}))
    assert refused(staff.post("/api/directives", headers=bearer(web, "nhanvien.kienhai"),
                              json=PLAN))
    assert "15/KH-UBND" not in web.client("chuyenvien.kienhai").get("/directives").text
    issued = web.client().post("/api/directives", headers=bearer(web, "chuyenvien.kienhai"),
                               json=PLAN)
    assert issued.status_code == 201 and issued.json()["created"] > 0
    head = web.client("chuyenvien.kienhai")
    again = head.post("/directives", data={"csrf": csrf_of(head.get("/directives/new").text),
                                           "yaml": yaml.safe_dump(PLAN, allow_unicode=True)},
                      follow_redirects=False)
    assert again.status_code == 303  # the same directive again: nothing new, no refusal


def test_the_use_cases_refuse_staff_whoever_calls_them(web, engine, handed_in):
    from datetime import date

    from chidao.config.calendar_source import vietnam_calendar
    from chidao.domain.specs import parse_directive
    from chidao.services.extend import extend_deadline
    from chidao.services.issue import issue_directive

    with transaction(engine) as session, pytest.raises(NotPermitted):
        act_on_assignment(session, handed_in, Status.ACCEPTED, unit_code="UBND-KIENHAI",
                          now=at("2026-03-26T09:00"), role="staff")
    with transaction(engine) as session, pytest.raises(NotPermitted):
        extend_deadline(session, directive_ref="kh-kien-hai-stem-2026",
                        requirement_key="mn-ke-hoach", subtree="MN-ANSON",
                        new_due=date(2026, 4, 3), actor="UBND-KIENHAI", reason="x",
                        now=at("2026-03-26T09:00"), calendar=vietnam_calendar(),
                        rules=Settings().rules(), role="staff")
    with transaction(engine) as session, pytest.raises(NotPermitted):
        issue_directive(session, parse_directive(PLAN), now=at("2026-03-20T09:00"),
                        calendar=vietnam_calendar(), rules=Settings().rules(), role="staff")
