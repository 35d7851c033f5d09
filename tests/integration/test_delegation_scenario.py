"""The delegation half of issue 17's "Done means", on the demo through the web pages: the Kiên
Hải head (Lê Thị Ngọc Hân) delegates to her deputy (Trương Văn Phúc, staff) for a week; within
the week the deputy sees the banner and the "Chấp nhận" button, accepts a school's handed-in
report, and the record names both; the plan draft the deputy downloads is signed "KT. CHỦ
TỊCH"; after the week (the runtime's clock moved) the deputy can no longer act (403, no
button), nor after a revocation; the audit page shows the head's unit, never a sibling's."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlmodel import col, select

from chidao.config.clock import parse_instant
from chidao.db.database import transaction
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.people import Delegation
from chidao.domain.status import Status
from chidao.domain.units import Unit
from tests.e2e.demo_site import build_demo_runtime
from tests.web_fixtures import csrf_of

# The demo is a SQLite file, as `chidao demo` makes it (tests/e2e/demo_site.py): the
# PostgreSQL phase would run the same test on the same SQLite file again.
pytestmark = pytest.mark.sqlite_only

DEMO_PASSWORD = "chidao-demo-2026"
HEAD, DEPUTY = "chuyenvien.kienhai", "phochutich.kienhai"
BOTH = "Trương Văn Phúc (KT. Lê Thị Ngọc Hân)"


class MovableClock:
    """The runtime's clock (chidao.config.clock.Clock), moved by the test."""

    def __init__(self, text: str) -> None:
        self.instant = parse_instant(text)

    def now(self):
        return self.instant


@pytest.fixture
def demo(tmp_path):
    """The demo (An Giang, its accounts) served in-process on a clock the test moves."""
    from chidao.web.app import create_app

    runtime = build_demo_runtime(tmp_path)
    clock = MovableClock("2026-03-25T09:00")
    app = create_app(runtime=replace(runtime, clock=clock))
    yield app, clock, runtime.engine
    runtime.close()


def sign_in(app, username: str) -> TestClient:
    client = TestClient(app)
    done = client.post("/login", data={"username": username, "password": DEMO_PASSWORD,
                                       "csrf": csrf_of(client.get("/login").text)},
                       follow_redirects=False)
    assert done.status_code == 303, done.text
    return client


def handed_in(engine) -> list[int]:
    """The schools' runs Kiên Hải issued that wait for its review (Hòn Tre, Lại Sơn)."""
    with transaction(engine) as session:
        kienhai = session.exec(select(Unit).where(Unit.code == "UBND-KIENHAI")).one()
        from chidao.domain.directives import Directive
        return list(session.exec(
            select(Assignment.id).join(Directive, col(Directive.id) == col(
                Assignment.directive_id))
            .where(Directive.issuer_id == kienhai.id, Assignment.status == Status.SUBMITTED)
            .order_by(col(Assignment.id))))


def review(client: TestClient, run_id: int, action: str = "accept"):
    page = client.get(f"/assignments/{run_id}").text
    return client.post(f"/assignments/{run_id}/review",
                       data={"csrf": csrf_of(page), "action": action, "reason": "Thiếu số liệu"},
                       follow_redirects=False)


def delegate_week(head: TestClient, **over: str):
    page = head.get("/delegations").text
    form = {"csrf": csrf_of(page), "from": HEAD, "to": DEPUTY, "starts_on": "25/03/2026",
            "ends_on": "31/03/2026", "title": "KT.", "reason": "Nghỉ phép", **over}
    return head.post("/delegations", data=form, follow_redirects=False)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def kienhai_plan(engine) -> int:
    """The plan the Sở's 1039 asks of Kiên Hải (its draft is downloadable by its users)."""
    from chidao.domain.directives import Requirement
    with transaction(engine) as session:
        return session.exec(
            select(Assignment.id).join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .join(Requirement, col(Requirement.id) == col(Assignment.requirement_id))
            .where(Unit.code == "UBND-KIENHAI", Requirement.kind == "plan")).first()


def test_the_deputy_acts_for_the_head_for_a_week(demo):
    app, clock, engine = demo
    first, second = handed_in(engine)
    deputy = sign_in(app, DEPUTY)
    assert "Chấp nhận" not in deputy.get(f"/assignments/{first}").text
    assert review(deputy, first).status_code == 403
    plan = kienhai_plan(engine)
    unsigned = docx_text(deputy.get(f"/assignments/{plan}/du-thao-ke-hoach.docx").content)
    assert "KT. CHỦ TỊCH" not in unsigned and "Trương Văn Phúc" not in unsigned
    head = sign_in(app, HEAD)
    made = delegate_week(head)
    assert made.status_code == 303, made.text
    page = deputy.get(f"/assignments/{first}").text
    assert "Bạn đang được ủy quyền (KT.) thay" in page and "Lê Thị Ngọc Hân" in page
    assert "đến 31/03/2026" in page
    assert 'value="accept"' in page and "Chấp nhận" in page
    clock.instant = parse_instant("2026-03-25T11:00")
    accepted = review(deputy, first)
    assert accepted.status_code == 303, accepted.text
    with transaction(engine) as session:
        last = session.exec(select(AssignmentEvent).where(
            AssignmentEvent.assignment_id == first).order_by(col(AssignmentEvent.id).desc())
        ).first()
        assert session.get(Assignment, first).status == Status.ACCEPTED
    assert (last.actor, last.by_person, last.on_behalf_of) == (
        "UBND-KIENHAI", "Trương Văn Phúc", "KT. Lê Thị Ngọc Hân")
    assert BOTH in deputy.get(f"/assignments/{first}").text  # the run's history
    signed = docx_text(deputy.get(f"/assignments/{plan}/du-thao-ke-hoach.docx").content)
    assert re.search(r"TM\. ỦY BAN NHÂN DÂN\s+KT\. CHỦ TỊCH\s+PHÓ CHỦ TỊCH", signed), signed
    assert "Trương Văn Phúc" in signed
    trail = head.get("/audit").text  # the head's audit page names both
    decided = f"{Status.SUBMITTED.label.capitalize()} → {Status.ACCEPTED.label}"
    assert re.search(rf"{re.escape(BOTH)}</strong> · Ủy ban nhân dân đặc khu Kiên Hải<br>\s*"
                     rf"{decided}", trail), trail
    # after the week: the delegation has ended by itself
    clock.instant = parse_instant("2026-04-01T08:00")
    deputy = sign_in(app, DEPUTY)  # the old session is idle too long
    page = deputy.get(f"/assignments/{second}").text
    assert "Bạn đang được ủy quyền" not in page and 'value="accept"' not in page
    assert review(deputy, second).status_code == 403
    with transaction(engine) as session:
        assert session.get(Assignment, second).status == Status.SUBMITTED


def test_a_revoked_delegation_stops_the_deputy_at_once(demo):
    app, _clock, engine = demo
    [first, _second] = handed_in(engine)
    head, deputy = sign_in(app, HEAD), sign_in(app, DEPUTY)
    assert delegate_week(head, actions="review").status_code == 303
    assert 'value="accept"' in deputy.get(f"/assignments/{first}").text
    with transaction(engine) as session:
        number = session.exec(select(Delegation.id)).one()
    page = head.get("/delegations").text
    assert f"/delegations/{number}/revoke" in page and "Thu hồi ủy quyền" in page
    revoked = head.post(f"/delegations/{number}/revoke", data={"csrf": csrf_of(page)},
                        follow_redirects=False)
    assert revoked.status_code == 303
    page = deputy.get(f"/assignments/{first}").text
    assert 'value="accept"' not in page and "Bạn đang được ủy quyền" not in page
    assert review(deputy, first).status_code == 403
    assert "đã thu hồi" in deputy.get("/delegations").text
    trail = head.get("/audit").text
    assert "Thu hồi ủy quyền" in trail and "Lê Thị Ngọc Hân" in trail


def test_the_form_names_each_problem_and_stores_nothing(demo):
    app, _clock, engine = demo
    head = sign_in(app, HEAD)
    refused = delegate_week(head, to="", starts_on="24/03/2026", ends_on="31/02/2026")
    assert refused.status_code == 422
    assert "Người được ủy quyền" in refused.text and "chọn người được ủy quyền" in refused.text
    assert "không phải ngày có thật" in refused.text  # 31/02
    refused = delegate_week(head, starts_on="24/03/2026")
    assert refused.status_code == 422 and "Từ ngày" in refused.text and "đã qua" in refused.text
    refused = delegate_week(head, to="hieutruong.hontre")
    assert refused.status_code == 422 and "không cùng đơn vị" in refused.text
    refused = delegate_week(head, actions="manage_users")
    assert refused.status_code == 422 and "Quyền ủy quyền" in refused.text
    with transaction(engine) as session:
        assert session.exec(select(Delegation)).all() == []
    page = head.get("/delegations").text  # the rights as Vietnamese checkboxes
    assert "Chấp nhận hoặc trả lại báo cáo" in page and "Ban hành văn bản" in page
    assert "KT. (ký thay)" in page and "Q. (quyền)" in page


def test_the_audit_page_shows_the_readers_subtree_only(demo):
    app, _clock, _engine = demo
    head = sign_in(app, HEAD)
    assert delegate_week(head).status_code == 303
    assert "Ủy quyền (KT. ký thay) cho Trương Văn Phúc" in head.get("/audit").text
    # two sibling schools of Kiên Hải: each sees its own hand-in, not the other's, nor above
    pages = {}
    for school, name in (("hieutruong.hontre", "Hòn Tre"), ("hieutruong.laison", "Lại Sơn")):
        client = sign_in(app, school)
        pages[name] = client.get("/audit").text
        assert "Trương Văn Phúc" not in pages[name] and "Lê Thị Ngọc Hân" not in pages[name]
        refused = client.get("/audit", params={"unit": "UBND-KIENHAI"})
        assert refused.status_code == 422 and "không phải mã của" in refused.text
    listed = {name: page.split('id="audit"')[1] for name, page in pages.items()}
    assert "Hòn Tre</li>" not in listed["Hòn Tre"]  # (its own rows end with the owner)
    assert re.search(r"→ [^<]*: [^<]* của Trường Mầm non Hòn Tre", listed["Hòn Tre"])
    assert re.search(r"→ [^<]*: [^<]* của Trường Mầm non Lại Sơn", listed["Lại Sơn"])
    assert "Lại Sơn" not in listed["Hòn Tre"] and "Hòn Tre" not in listed["Lại Sơn"]
    staff = sign_in(app, "chuyenvien2.kienhai")  # staff without a delegation
    assert staff.get("/audit").status_code == 403 and "Nhật ký" not in staff.get(
        "/delegations").text


def test_the_deputy_extends_and_closes_with_every_right_lent(demo):
    """A delegation of every right: the menu offers "Ban hành văn bản", the directive page
    its "Gia hạn" link; the extension and the closure are audited with both names."""
    from chidao.domain.audit import AuditEvent
    from chidao.domain.directives import Directive

    app, _clock, engine = demo
    deputy = sign_in(app, DEPUTY)
    with transaction(engine) as session:
        plan = session.exec(select(Directive).where(
            Directive.key == "kh-kien-hai-stem-2026")).one()
        commune = session.exec(select(Unit).where(Unit.code == "UBND-KIENHAI")).one()
    assert "/directives/new" not in deputy.get("/delegations").text
    assert f"/directives/{plan.id}/extend\"" not in deputy.get(f"/directives/{plan.id}").text
    assert delegate_week(sign_in(app, HEAD)).status_code == 303
    assert "/directives/new" in deputy.get("/delegations").text
    page = deputy.get(f"/directives/{plan.id}").text
    assert f"/directives/{plan.id}/extend\"" in page
    extended = deputy.post(f"/directives/{plan.id}/extend", data={
        "csrf": csrf_of(page), "requirement": "mn-ke-hoach", "subtree": "MN-ANSON",
        "new_due": "03/04/2026", "reason": "Trường bị ngập"}, follow_redirects=False)
    assert extended.status_code == 303, extended.text
    closed = deputy.post(f"/units/{commune.id}/closures", data={
        "csrf": csrf_of(page), "kind": "school", "from": "30/03/2026", "to": "30/03/2026",
        "reason": "Bão"}, follow_redirects=False)
    assert closed.status_code == 303, closed.text
    with transaction(engine) as session:
        rows = {a.action: (a.person, a.on_behalf_of) for a in session.exec(select(AuditEvent))}
    assert rows["deadline.extend"] == rows["closure.declare"] == (
        "Trương Văn Phúc", "KT. Lê Thị Ngọc Hân")
