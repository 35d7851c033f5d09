"""The JSON API drives a whole cascade with the bearer tokens of three units: the Sở issues
(YAML), the commune Kiên Hải receives it and issues its own plan (JSON) to its schools, a school
receives, submits, is returned, resubmits and is accepted; the Sở returns and accepts the
commune's report, extends another commune's deadline and recalls the directive. A sibling
school never sees its neighbour's run (404), a unit that may read but not act gets 403, a
retried POST with the same Idempotency-Key creates nothing, the same key with another body is
refused. Runs on SQLite and on PostgreSQL (`bash run tests-postgres`)."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.audit import AuditEvent
from chidao.domain.idempotency import IdempotentRequest
from chidao.domain.reports import Submission
from tests.support.api_clients import api_clients, count, ok, problem
from tests.support.cascade import at

SO, XA, TRUONG, BEN = "chuyenvien.so", "chuyenvien.kienhai", "hieutruong.hontre", \
    "hieutruong.laison"
PLAN_SO = {
    "number_symbol": "21/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "2026-03-20",
    "title": "Kế hoạch rà soát an toàn trường học trước mùa mưa bão",
    "requirements": [{"key": "bao-cao", "kind": "action", "title": "Báo cáo kết quả rà soát",
                      "to": {"children": {}}, "due": "2026-04-30"}]}
PLAN_XA = {
    "number_symbol": "16/KH-UBND", "issuer": "UBND-KIENHAI", "issued_on": "2026-03-23",
    "title": "Kế hoạch rà soát an toàn các trường trên địa bàn xã",
    "based_on": ["21/KH-SGDĐT ngày 20/03/2026"],
    "requirements": [{"key": "ra-soat", "kind": "action", "title": "Tự rà soát và báo cáo",
                      "to": {"children": {}}, "due": "2026-04-20"}]}


@pytest.fixture
def api(web):
    yield from api_clients(web)


def run_of(client, key: str) -> int:
    listed = ok(client.get("/api/assignments?per_page=200"))
    found = [r["id"] for r in listed["items"] if r["directive"] == key]
    assert len(found) == 1, listed
    return found[0]


def test_a_whole_cascade_through_the_api(web, engine, api):
    client, clock = api
    so, xa, truong, ben = client(SO), client(XA), client(TRUONG), client(BEN)
    issued = ok(so.post("/api/directives", content=yaml.safe_dump(PLAN_SO, allow_unicode=True),
                        headers={"Content-Type": "application/yaml"}), 201)
    assert issued["created"] > 1
    directive_so = issued["id"]
    run_xa = run_of(xa, issued["key"])
    assert ok(xa.post(f"/api/assignments/{run_xa}/receive"))["status"] == "received"

    clock.instant = at("2026-03-23T10:00")
    plan = ok(xa.post("/api/directives", json=PLAN_XA), 201)
    run_school = run_of(truong, plan["key"])
    # a sibling school neither reads nor acts on its neighbour's run; the Sở reads it (above)
    # but did not issue it: 403
    assert problem(ben.get(f"/api/assignments/{run_school}"), 404)
    for verb in ("receive", "submit"):
        assert problem(ben.post(f"/api/assignments/{run_school}/{verb}", json={}), 404)
    assert ok(so.get(f"/api/assignments/{run_school}"))["status"] == "issued"
    assert problem(so.post(f"/api/assignments/{run_school}/accept", json={}), 403)
    assert problem(truong.post(f"/api/assignments/{run_school}/accept", json={}), 403)

    assert ok(truong.post(f"/api/assignments/{run_school}/receive"))["status"] == "received"
    first = ok(truong.post(f"/api/assignments/{run_school}/submit", json={"note": "Đã rà"}))
    assert (first["status"], first["version"]) == ("submitted", 1)
    problem(xa.post(f"/api/assignments/{run_school}/return", json={}), 422, "reason")
    returned = ok(xa.post(f"/api/assignments/{run_school}/return",
                          json={"reason": "Thiếu phòng học tầng 2"}))
    assert (returned["status"], returned["acted_by"]) == ("returned", XA)
    again = ok(truong.post(f"/api/assignments/{run_school}/submit", json={"note": "Bổ sung"}))
    assert (again["status"], again["version"]) == ("submitted", 2)
    assert ok(xa.post(f"/api/assignments/{run_school}/accept", json={}))["status"] == "accepted"

    ok(xa.post(f"/api/assignments/{run_xa}/submit", json={"note": "Xã đã tổng hợp"}))
    ok(so.post(f"/api/assignments/{run_xa}/return", json={"reason": "Thiếu trường Lại Sơn"}))
    ok(xa.post(f"/api/assignments/{run_xa}/submit", json={"note": "Đủ các trường"}))
    assert ok(so.post(f"/api/assignments/{run_xa}/accept", json={}))["status"] == "accepted"

    clock.instant = at("2026-03-25T09:00")
    problem(xa.post(f"/api/directives/{directive_so}/extend", json={}), 403)
    moved = ok(so.post(f"/api/directives/{directive_so}/extend", json={
        "requirement": "bao-cao", "subtree": "UBND-PHUQUOC", "new_due": "15/05/2026",
        "reason": "Đặc khu chịu ảnh hưởng của bão"}))
    assert moved == {"moved": 1}
    phu_quoc = _run_of_unit(engine, directive_so, "UBND-PHUQUOC")
    assert ok(so.get(f"/api/assignments/{phu_quoc}"))["due_on"] == "2026-05-15"

    problem(xa.post(f"/api/directives/{directive_so}/recall", json={"reason": "x"}), 403)
    problem(so.post(f"/api/directives/{directive_so}/recall", json={}), 422, "reason")
    recalled = ok(so.post(f"/api/directives/{directive_so}/recall",
                          json={"reason": "Ban hành nhầm; sẽ thay bằng kế hoạch khác"}))
    assert recalled["closed"] == issued["created"] - 1  # all but Kiên Hải's, accepted
    assert ok(so.get(f"/api/assignments/{phu_quoc}"))["status"] == "cancelled"
    assert ok(xa.get(f"/api/assignments/{run_xa}"))["status"] == "accepted"
    assert ok(so.get(f"/api/directives/{directive_so}"))["recalled_at"] is not None
    with transaction(engine) as session:  # the audit names the person of each action
        people = set(session.execute(select(AuditEvent.person)).scalars())
    assert {SO, XA} <= people


def _run_of_unit(engine, directive_id: int, code: str) -> int:
    from chidao.domain.units import Unit

    with transaction(engine) as session:
        return int(session.execute(
            select(Assignment.id).join(Unit, Unit.id == Assignment.unit_id)
            .where(Assignment.directive_id == directive_id, Unit.code == code)).scalar_one())


def test_a_retried_post_with_the_same_key_happens_once(web, engine, api):
    client, _clock = api
    so, xa = client(SO), client(XA)
    issued = ok(so.post("/api/directives", json=PLAN_SO), 201)
    run_xa = run_of(xa, issued["key"])
    key = {"Idempotency-Key": "nop-bao-cao-0001"}
    body = {"note": "Nộp một lần"}
    first = xa.post(f"/api/assignments/{run_xa}/submit", json=body, headers=key)
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    rows = (count(engine, Submission, assignment_id=run_xa),
            count(engine, AssignmentEvent, assignment_id=run_xa))
    retried = xa.post(f"/api/assignments/{run_xa}/submit", json=body, headers=key)
    assert retried.status_code == 200 and retried.json() == first.json()
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert (count(engine, Submission, assignment_id=run_xa),
            count(engine, AssignmentEvent, assignment_id=run_xa)) == rows
    assert count(engine, IdempotentRequest) == 1
    other = xa.post(f"/api/assignments/{run_xa}/submit", json={"note": "Khác"}, headers=key)
    assert "Idempotency-Key" in problem(other, 422, "Idempotency-Key")["detail"]
    elsewhere = xa.post(f"/api/assignments/{run_xa}/receive", headers=key)
    problem(elsewhere, 422, "Idempotency-Key")
    assert count(engine, Submission, assignment_id=run_xa) == rows[0]
    # the key is the user's: another user's same key is another call
    assert so.post(f"/api/assignments/{run_xa}/return", json={"reason": "Thiếu"},
                   headers=key).status_code == 200


def test_a_refused_call_keeps_no_key_and_its_retry_runs(web, engine, api):
    client, _clock = api
    so, xa = client(SO), client(XA)
    issued = ok(so.post("/api/directives", json=PLAN_SO), 201)
    run_xa = run_of(xa, issued["key"])
    ok(xa.post(f"/api/assignments/{run_xa}/submit", json={}))
    key = {"Idempotency-Key": "tra-lai-1"}
    problem(so.post(f"/api/assignments/{run_xa}/return", json={}, headers=key), 422, "reason")
    assert count(engine, IdempotentRequest) == 0
    done = so.post(f"/api/assignments/{run_xa}/return", json={}, headers=key)
    problem(done, 422, "reason")  # the same request again runs again (and is refused again)
    fixed = so.post(f"/api/assignments/{run_xa}/return", json={"reason": "Thiếu"}, headers=key)
    assert fixed.status_code == 200 and fixed.json()["status"] == "returned"
    for bad in (b"", "có dấu".encode(), b"hai tu", b"x" * 129):
        problem(so.post(f"/api/assignments/{run_xa}/accept", json={},
                        headers={"Idempotency-Key": bad}), 422, "Idempotency-Key")


def test_a_retried_issue_answers_as_the_first_time(web, engine, api):
    """Without a key the same directive again answers 200 (nothing new); with the key, the
    retry gets the first answer, 201, marked as a replay."""
    from chidao.domain.directives import Directive

    client, _clock = api
    so = client(SO)
    key = {"Idempotency-Key": "ban-hanh-21", "Content-Type": "application/yaml"}
    text = yaml.safe_dump(PLAN_SO, allow_unicode=True)
    first = so.post("/api/directives", content=text, headers=key)
    assert first.status_code == 201, first.text
    directives = count(engine, Directive)
    retried = so.post("/api/directives", content=text, headers=key)
    assert (retried.status_code, retried.json()) == (201, first.json())
    assert retried.headers["Location"] == first.headers["Location"]
    assert so.post("/api/directives", content=text,
                   headers={"Content-Type": "application/yaml"}).status_code == 200
    assert count(engine, Directive) == directives


def test_the_issuer_cancels_or_waives_one_units_run(web, engine, api):
    client, _clock = api
    xa, school = client(XA), client(TRUONG)
    plan = ok(client(SO).post("/api/directives", json=PLAN_SO), 201)  # the plan cites it
    assert plan["created"] > 0
    issued = ok(xa.post("/api/directives", json=PLAN_XA), 201)
    hon_tre = _run_of_unit(engine, issued["id"], "MN-HONTRE")
    lai_son = _run_of_unit(engine, issued["id"], "MN-LAISON")
    problem(school.post(f"/api/assignments/{hon_tre}/cancel", json={"reason": "x"}), 403)
    problem(xa.post(f"/api/assignments/{hon_tre}/cancel", json={}), 422, "reason")
    cancelled = ok(xa.post(f"/api/assignments/{hon_tre}/cancel",
                           json={"reason": "Trường đang sửa chữa, không tổ chức"}))
    assert (cancelled["status"], cancelled["status_label"]) == ("cancelled", "thu hồi")
    waived = ok(xa.post(f"/api/assignments/{lai_son}/waive", json={"reason": "Điểm lẻ"}))
    assert (waived["status"], waived["status_label"]) == ("waived", "miễn thực hiện")
    again = problem(xa.post(f"/api/assignments/{lai_son}/cancel", json={"reason": "x"}), 422,
                    "status")
    assert "không thể chuyển" in again["detail"]  # the service's words, in Vietnamese
    problem(school.post(f"/api/assignments/{hon_tre}/submit", json={}), 422, "status")
