"""People in units over the JSON API: a run's holders read and set, one taken off, the runs I
hold; 404 for a run the token may not read, 403 for what it may not do, problem+json naming
the field for a refused choice, and nothing half-written."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.audit import AuditEvent
from chidao.domain.status import Status
from tests.support.cascade import act
from tests.support.people import ids, kienhai_report, live_holders

PROBLEM = "application/problem+json"

HOLDERS = AuditEvent.action.startswith("holder.")  # type: ignore[attr-defined]


def api(web, username: str):
    client = TestClient(web.app)
    client.headers["Authorization"] = f"Bearer {web.tokens[username]}"
    return client


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    return response.json()


TEAM = {"holders": [
    {"username": "nhanvien.kienhai", "role": "lead", "due_on": "2026-06-05",
     "note": "Tổng hợp số liệu"},
    {"username": "chuyenvien.kienhai", "role": "để biết"}]}


def test_the_head_sets_the_holders_and_everyone_in_scope_reads_them(web, engine):
    run_id = kienhai_report(engine)
    head_id, staff = ids(engine, "chuyenvien.kienhai", "nhanvien.kienhai")
    done = api(web, "chuyenvien.kienhai").put(f"/api/assignments/{run_id}/holders", json=TEAM)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["unit_due_on"] == "2026-06-23"
    assert [(h["user_id"], h["role"], h["role_label"], h["due_on"], h["note"])
            for h in body["holders"]] == [
        (staff, "lead", "chủ trì", "2026-06-05", "Tổng hợp số liệu"),
        (head_id, "watch", "để biết", None, "")]
    for reader in ("nhanvien.kienhai", "chuyenvien.so"):
        read = api(web, reader).get(f"/api/assignments/{run_id}/holders")
        assert read.status_code == 200 and read.json() == body
    problem(api(web, "chuyenvien.phuquoc").get(f"/api/assignments/{run_id}/holders"), 404)
    mine = api(web, "nhanvien.kienhai").get("/api/me/assignments").json()  # a page, as every list
    assert (mine["page"], mine["total"]) == (1, 1)
    assert [(r["assignment_id"], r["role"], r["due_on"], r["unit_due_on"])
            for r in mine["items"]] == [(run_id, "lead", "2026-06-05", "2026-06-23")]
    assert api(web, "chuyenvien.phuquoc").get("/api/me/assignments").json()["items"] == []


def test_who_may_set_them(web, engine):
    run_id = kienhai_report(engine)
    path = f"/api/assignments/{run_id}/holders"
    assert "giao việc trong đơn vị" in problem(
        api(web, "nhanvien.kienhai").put(path, json=TEAM), 403)["detail"]
    problem(api(web, "chuyenvien.so").put(path, json=TEAM), 403)
    problem(api(web, "chuyenvien.phuquoc").put(path, json=TEAM), 404)
    assert live_holders(engine, run_id) == []


def test_a_refused_choice_names_the_field_and_writes_nothing(web, engine):
    run_id = kienhai_report(engine)
    head = api(web, "chuyenvien.kienhai")
    path = f"/api/assignments/{run_id}/holders"
    cases = [
        ([{"username": "nhanvien.kienhai", "role": "lead"},
          {"username": "chuyenvien.kienhai", "role": "lead"}], "holders",
         "phải có đúng một người chủ trì (đang chọn 2)"),
        ([{"username": "nhanvien.kienhai", "role": "lead", "due_on": "2026-06-24"}],
         "holders[0].due_on", "không được sau hạn của đơn vị (23/06/2026)"),
        ([{"username": "hieutruong.hontre", "role": "lead"}], "holders[0].username",
         "không có người dùng 'hieutruong.hontre' trong đơn vị"),
        ([{"username": "nhanvien.kienhai", "role": "boss"}], "holders[0].role",
         "vai trò phải là chủ trì (lead)"),
        ([{"username": "nhanvien.kienhai", "role": "lead"},
          {"username": "nhanvien.kienhai", "role": "watch"}], "holders[1].user_id",
         "đã được chọn ở dòng 1"),
    ]
    for holders, field, words in cases:
        body = problem(head.put(path, json={"holders": holders}), 422)
        (error,) = body["errors"]
        assert error["field"] == field and words in error["problem"], body
    bad_date = problem(head.put(path, json={"holders": [
        {"username": "nhanvien.kienhai", "role": "lead", "due_on": "2026-02-31"}]}), 422)
    assert bad_date["errors"][0]["field"].endswith("holders.0.due_on")
    assert live_holders(engine, run_id) == []
    with transaction(engine) as session:
        assert session.exec(select(AuditEvent).where(HOLDERS)).first() is None


def test_one_holder_taken_off_and_a_closed_run_refused(web, engine):
    run_id = kienhai_report(engine)
    head = api(web, "chuyenvien.kienhai")
    path = f"/api/assignments/{run_id}/holders"
    holders = head.put(path, json=TEAM).json()["holders"]
    watcher = holders[1]["id"]
    left = head.delete(f"{path}/{watcher}")
    assert left.status_code == 200
    assert [h["role"] for h in left.json()["holders"]] == ["lead"]
    problem(head.delete(f"{path}/{watcher}"), 404)  # already off
    problem(api(web, "nhanvien.kienhai").delete(f"{path}/{holders[0]['id']}"), 403)
    with transaction(engine) as session:
        actions = session.exec(select(AuditEvent.action).where(HOLDERS)
                               .order_by(AuditEvent.id)).all()
    assert actions == ["holder.assign", "holder.assign", "holder.remove"]
    act(engine, run_id, Status.CANCELLED, "SGDDT-AG", "Thu hồi để giao lại",
        when="2026-06-01T09:00")
    assert "đã đóng" in problem(head.put(path, json=TEAM), 409)["detail"]
