"""The JSON API beyond the cascade: a unit's admin lists, adds and re-roles users and imports
units (YAML, CSV, JSON) within its subtree only; closures are declared, listed and lifted as on
their page; a delegate acts with both names recorded; every list pages alike; two calls
racing with one Idempotency-Key: the loser answers 409 and its action is rolled back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from chidao.db.database import transaction
from chidao.domain.assignments import AssignmentEvent
from chidao.domain.audit import AuditEvent
from chidao.domain.people import Delegation
from chidao.domain.units import Unit
from chidao.services.accounts import add_user, user_named
from chidao.services.sessions import create_token
from tests.integration.report_scenario import school_run, submit
from tests.support.api_clients import api_clients, count, ok, problem
from tests.support.cascade import at

ADMIN = "quantri.kienhai"


@pytest.fixture
def api(web, engine):
    with transaction(engine) as session:
        add_user(session, username=ADMIN, full_name="Võ Minh Quản", unit_code="UBND-KIENHAI",
                 role="admin", password="mat-khau-quan-tri", now=at("2026-03-01T08:00"))
        web.tokens[ADMIN] = create_token(session, user=user_named(session, ADMIN), name="t",
                                         now=at("2026-03-01T08:00"), days=3650)
    yield from api_clients(web)


def unit_id(engine, code: str) -> int:
    with transaction(engine) as session:
        return int(session.execute(select(Unit.id).where(Unit.code == code)).scalar_one())


def test_an_admin_manages_the_users_of_its_subtree_only(api, engine):
    client, _clock = api
    admin, head = client(ADMIN), client("chuyenvien.kienhai")
    problem(head.get("/api/users"), 403)
    listed = ok(admin.get("/api/users?per_page=200"))
    names = {u["username"] for u in listed["items"]}
    assert {"chuyenvien.kienhai", "nhanvien.kienhai", "hieutruong.hontre"} <= names
    assert not names & {"chuyenvien.so", "chuyenvien.phuquoc"}
    assert listed["total"] == len(listed["items"])
    new = {"username": "ketoan.hontre", "full_name": "Trần Thị Thu", "unit": "MN-HONTRE",
           "role": "staff", "password": "mot-mat-khau-du-dai"}
    made = admin.post("/api/users", json=new)
    assert ok(made, 201)["unit"] == "MN-HONTRE"
    assert made.headers["Location"] == "/api/users/ketoan.hontre"
    problem(admin.post("/api/users", json=new | {"username": "x.pq", "unit": "UBND-PHUQUOC"}),
            422, "unit")
    short = problem(admin.post("/api/users", json=new | {"username": "y", "password": "ngan"}),
                    422, "password")
    assert short["errors"][0]["problem"] == "cần ít nhất 10 ký tự"
    problem(admin.post("/api/users", json={"username": 5}), 422, "username")
    problem(admin.post("/api/users/chuyenvien.phuquoc/role", json={"role": "head"}), 404)
    problem(admin.post("/api/users/khong-co-ai/role", json={"role": "head"}), 404)
    problem(head.post("/api/users/nhanvien.kienhai/role", json={"role": "head"}), 403)
    problem(admin.post("/api/users/nhanvien.kienhai/role", json={"role": "vua"}), 422, "role")
    assert ok(admin.post("/api/users/nhanvien.kienhai/role",
                         json={"role": "head"}))["role"] == "head"
    with transaction(engine) as session:
        audit = session.execute(select(AuditEvent.person, AuditEvent.action).where(
            AuditEvent.subject_id == "nhanvien.kienhai", AuditEvent.action != "user.add")).all()
    assert [tuple(a) for a in audit] == [("Võ Minh Quản", "user.role")]
    problem(head.post("/api/users/nhanvien.kienhai/logout-all"), 403)
    problem(admin.post("/api/users/chuyenvien.so/logout-all"), 404)
    assert ok(admin.post("/api/users/nhanvien.kienhai/logout-all"))["username"] == \
        "nhanvien.kienhai"


def test_an_admin_imports_units_below_its_own_from_yaml_csv_or_json(api, engine):
    client, _clock = api
    admin = client(ADMIN)
    yaml_file = "- {code: MN-HONTRE-BEP, name: Tổ cấp dưỡng, kind: team, parent: MN-HONTRE}\n"
    problem(client("chuyenvien.kienhai").post(
        "/api/units/import", content=yaml_file, headers={"Content-Type": "text/yaml"}), 403)
    done = ok(admin.post("/api/units/import", content=yaml_file,
                         headers={"Content-Type": "application/yaml"}))
    assert (done["created"], done["updated"], done["rows"]) == (1, 0, 1)
    csv_file = "code,name,kind,parent\nMN-HONTRE-BEP,Tổ Cấp dưỡng - Y tế,team,MN-HONTRE\n"
    assert ok(admin.post("/api/units/import", content=csv_file.encode(),
                         headers={"Content-Type": "text/csv"}))["updated"] == 1
    assert ok(admin.post("/api/units/import", json={"units": [
        {"code": "MN-LAISON-VP", "name": "Tổ Văn phòng", "kind": "team",
         "parent": "MN-LAISON"}]}))["created"] == 1
    outside = problem(admin.post("/api/units/import", json={"units": [
        {"code": "MN-PQ-MOI", "name": "Trường mới", "kind": "school",
         "parent": "UBND-PHUQUOC"}]}), 422)
    assert outside["errors"][0]["field"] == "units[0].code"
    assert problem(admin.post("/api/units/import", content=b"code,name\n",
                              headers={"Content-Type": "text/plain"}), 415)["title"] == \
        "Kiểu nội dung không được nhận"
    problem(admin.post("/api/units/import", content="- code: [\n",
                       headers={"Content-Type": "text/yaml"}), 422, "file")
    codes = {u["code"] for u in ok(admin.get("/api/units?per_page=200"))["items"]}
    assert {"MN-HONTRE-BEP", "MN-LAISON-VP", "UBND-KIENHAI"} <= codes
    assert "UBND-PHUQUOC" not in codes and "MN-PQ-MOI" not in codes


def test_closures_are_declared_listed_and_lifted_as_on_their_page(api, engine):
    client, _clock = api
    hon_tre = unit_id(engine, "MN-HONTRE")
    xa, school, sibling = (client(u) for u in
                           ("chuyenvien.kienhai", "hieutruong.hontre", "hieutruong.laison"))
    problem(sibling.get(f"/api/units/{hon_tre}/closures"), 404)
    problem(sibling.post(f"/api/units/{hon_tre}/closures", json={}), 404)
    problem(xa.post(f"/api/units/{hon_tre}/closures", json={"to": "27/03/2026",
                                                            "reason": "Bão"}), 422, "from")
    declared = xa.post(f"/api/units/{hon_tre}/closures", json={
        "kind": "school", "from": "26/03/2026", "to": "27/03/2026",
        "reason": "Khử khuẩn phòng bệnh tay chân miệng", "decision": "45/QĐ-UBND"})
    closure = ok(declared, 201)["id"]
    listed = ok(school.get(f"/api/units/{hon_tre}/closures"))
    assert [(c["id"], c["from"], c["declared_by_person"]) for c in listed["items"]] == [
        (closure, "2026-03-26", "chuyenvien.kienhai")]
    problem(school.post(f"/api/units/{hon_tre}/closures/{closure}/lift",
                        json={"reason": "Xong"}), 422, "unit")  # declared above the school
    problem(xa.post(f"/api/units/{hon_tre}/closures/{closure}/lift", json={}), 422, "reason")
    ok(xa.post(f"/api/units/{hon_tre}/closures/{closure}/lift", json={"reason": "Đã xong"}))
    assert ok(school.get(f"/api/units/{hon_tre}/closures"))["items"][0]["lifted_at"]


def test_a_delegate_acts_through_the_api_with_both_names_recorded(api, engine):
    client, clock = api
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    submit(engine, run_id, "MN-HONTRE", {"so_lop": 6, "tre": 150}, "2026-03-19T09:00")
    deputy = client("nhanvien.kienhai")  # staff: may not accept on its own
    problem(deputy.post(f"/api/assignments/{run_id}/accept", json={}), 403)
    with transaction(engine) as session:
        head, staff = user_named(session, "chuyenvien.kienhai"), user_named(
            session, "nhanvien.kienhai")
        session.add(Delegation(from_user_id=head.id, to_user_id=staff.id, actions=["review"],
                               starts_on=date(2026, 3, 16), ends_on=date(2026, 3, 22),
                               title="KT.", created_at=at("2026-03-16T08:00")))
    accepted = ok(deputy.post(f"/api/assignments/{run_id}/accept", json={}))
    assert accepted["acted_by"] == "nhanvien.kienhai (KT. chuyenvien.kienhai)"
    with transaction(engine) as session:
        event = session.execute(select(AssignmentEvent).where(
            AssignmentEvent.assignment_id == run_id).order_by(AssignmentEvent.id.desc())
        ).scalars().first()
        assert (event.by_person, event.on_behalf_of) == ("nhanvien.kienhai",
                                                         "KT. chuyenvien.kienhai")
    clock.instant = at("2026-03-23T09:00")  # the delegation has ended
    problem(deputy.post(f"/api/assignments/{run_id}/return", json={"reason": "x"}), 403)


def test_every_list_pages_alike(api, engine):
    client, _clock = api
    xa = client("chuyenvien.kienhai")
    directive = ok(xa.get("/api/directives"))["items"][0]["id"]
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    lists = ["/api/directives", "/api/assignments", "/api/units", f"/api/units/"
             f"{unit_id(engine, 'MN-HONTRE')}/closures", f"/api/directives/{directive}/units",
             f"/api/assignments/{run_id}/files"]
    for url in lists:
        response = xa.get(url)
        assert set(ok(response)) == {"items", "page", "per_page", "total"}, url
        assert response.headers["X-Total-Count"] == str(response.json()["total"]), url
        assert 'rel="first"' in response.headers["Link"], url
    assert set(ok(client(ADMIN).get("/api/users"))) == {"items", "page", "per_page", "total"}
    first = xa.get("/api/units?per_page=2")
    body = ok(first)
    assert (body["page"], body["per_page"], len(body["items"])) == (1, 2, 2)
    assert body["total"] > 4
    links = {rel.split('"')[1]: url.strip(" <>") for url, rel in
             (part.split(";") for part in first.headers["Link"].split(","))}
    assert "prev" not in links and links["next"].endswith("page=2&per_page=2")
    second = ok(xa.get(links["next"]))
    assert second["page"] == 2 and not {u["code"] for u in second["items"]} & {
        u["code"] for u in body["items"]}
    last = xa.get(links["last"])
    assert 'rel="next"' not in last.headers["Link"] and ok(last)["items"]
    past = ok(xa.get("/api/units?page=999"))
    assert past["items"] == [] and past["total"] == body["total"]
    for bad, field in (("per_page=0", "per_page"), ("per_page=201", "per_page"),
                       ("page=0", "page")):
        problem(xa.get(f"/api/units?{bad}"), 422, field)


def test_two_calls_racing_with_one_key_one_answers_409_and_is_undone(api, engine,
                                                                    monkeypatch):
    """The second call read no key (the first had not committed yet) and ran; storing its key
    then fails on the unique (user, key): 409, and its action is rolled back."""
    client, _clock = api
    xa = client("chuyenvien.kienhai")
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    directive = ok(xa.get(f"/api/assignments/{run_id}"))["directive_id"]
    body = {"requirement": "truong-bao-cao", "subtree": "MN-HONTRE", "new_due": "29/05/2026",
            "reason": "Trường bị ngập"}
    key = {"Idempotency-Key": "gia-han-hon-tre"}
    assert ok(xa.post(f"/api/directives/{directive}/extend", json=body, headers=key)) == {
        "moved": 1}
    moves = (count(engine, AuditEvent, action="deadline.extend"),
             count(engine, AssignmentEvent, assignment_id=run_id))
    monkeypatch.setattr("chidao.web.api_idempotency.stored_answer", lambda *a, **k: None)
    raced = xa.post(f"/api/directives/{directive}/extend", json=body, headers=key)
    assert "Idempotency-Key" in problem(raced, 409)["detail"]
    assert (count(engine, AuditEvent, action="deadline.extend"),
            count(engine, AssignmentEvent, assignment_id=run_id)) == moves
    monkeypatch.undo()  # without the race, the retry is answered from the store
    assert xa.post(f"/api/directives/{directive}/extend", json=body,
                   headers=key).headers["Idempotent-Replayed"] == "true"
