"""Every route, generated from the app's route table: another school, another commune,
another province and anonymous get 401/403/404 and never the data; the owner gets it."""

import re

import pytest
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.directives import Directive
from chidao.domain.units import Unit
from tests.support.cascade import runs
from tests.web_fixtures import call, csrf_of, routes

SECRETS = ("Tổ chuyên môn Nhà trẻ", "Tổ chức các hoạt động giáo dục STEM tại trường")
OUTSIDERS = ("hieutruong.laison", "chuyenvien.phuquoc", "chuyenvien.camau", None)
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/api/docs"),
          ("GET", "/api/openapi.json"), ("POST", "/logout"), ("GET", "/")}


def targets(engine, web) -> dict[str, int | str]:
    """Path parameters naming Trường Mầm non Hòn Tre's own things."""
    run = runs(engine, "kh-mn-hon-tre-stem-2026")[("MN-HONTRE-TCM-NT", "hoat-dong-mau", "")]
    with transaction(engine) as session:
        plan = session.exec(select(Directive).where(
            Directive.key == "kh-mn-hon-tre-stem-2026")).one()
        team = session.exec(select(Unit).where(Unit.code == "MN-HONTRE-TCM-NT")).one()
    return {"directive_id": plan.id, "assignment_id": run.id, "unit_id": team.id,
            "attachment_id": _handed_in_file(engine, run.id, web),
            "file_id": _directive_file(engine, int(plan.id), web),
            "closure_id": _closure(engine), "username": "hieutruong.hontre",
            "delegation_id": _delegation(engine), "holder_id": 1}


def _delegation(engine) -> int:
    """Hòn Tre's head delegates to a teacher of the school: the revoke route's target."""
    from datetime import UTC, date, datetime

    from chidao.domain.people import Delegation
    from chidao.services.accounts import add_user, user_named

    with transaction(engine) as session:
        done = session.exec(select(Delegation)).first()
        if done is None:
            teacher = add_user(session, username="giaovien.hontre", full_name="Giáo viên",
                               unit_code="MN-HONTRE", role="staff", password="mat-khau-dai",
                               now=datetime(2026, 3, 1, tzinfo=UTC))
            done = Delegation(from_user_id=user_named(session, "hieutruong.hontre").id,
                              to_user_id=teacher.id, starts_on=date(2026, 3, 25),
                              ends_on=date(2099, 3, 31), reason="Tổ chuyên môn Nhà trẻ",
                              created_at=datetime(2026, 3, 25, tzinfo=UTC))
            session.add(done)
            session.flush()
        return int(done.id or 0)


def _closure(engine) -> int:
    """A closure Hòn Tre declared for its team, so the lift route has a real target."""
    from datetime import UTC, date, datetime

    from chidao.config.calendar_source import vietnam_calendar
    from chidao.config.settings import Settings
    from chidao.domain.closures import Closure
    from chidao.services.closures import declare_closure

    with transaction(engine) as session:
        done = session.exec(select(Closure)).first()
        if done is None:
            done, _ = declare_closure(
                session, unit_code="MN-HONTRE-TCM-NT", kind="school",
                starts_on=date(2026, 4, 6), ends_on=date(2026, 4, 6),
                reason="Tổ chuyên môn Nhà trẻ sửa lớp", actor="MN-HONTRE",
                now=datetime(2026, 3, 25, 3, tzinfo=UTC), calendar=vietnam_calendar(),
                rules=Settings().rules())
        return int(done.id or 0)


def _directive_file(engine, directive_id: int, web) -> int:
    """The plan's own document, so the directive file route has a real target."""
    from datetime import UTC, datetime

    from chidao.services.directive_documents import attach_document
    from chidao.services.report_submit import Upload

    with transaction(engine) as session:
        kept = attach_document(session, directive_id, Upload(
            "Tổ chuyên môn Nhà trẻ.txt", "Tổ chức các hoạt động giáo dục STEM tại trường".encode()),
            settings=web.app.state.settings, now=datetime(2026, 3, 25, 3, tzinfo=UTC))
        return int(kept.id)


def _handed_in_file(engine, run_id: int, web) -> int:
    """The team hands in a file on its run, so the download route has a real target."""
    from datetime import UTC, datetime

    from chidao.domain.reports import Attachment
    from chidao.services.report_submit import Upload, submit_report

    with transaction(engine) as session:
        done = session.exec(select(Attachment)).first()
        if done is None:
            submission = submit_report(
                session, run_id, unit_code="MN-HONTRE-TCM-NT", values=None,
                uploads=[Upload("Tổ chuyên môn Nhà trẻ.pdf", b"%PDF-1.4 secret")],
                now=datetime(2026, 3, 25, 3, tzinfo=UTC),
                settings=web.app.state.settings)
            done = session.exec(select(Attachment).where(
                Attachment.submission_id == submission.id)).one()
        return int(done.id)


def test_the_route_table_is_what_the_test_covers(web):
    found = set(routes(web.app))
    assert ("GET", "/assignments/{assignment_id}") in found
    assert ("POST", "/api/assignments/{assignment_id}/submit") in found
    assert len(found - PUBLIC) >= 15


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_no_data_from_any_route(web, engine, outsider):
    ids = targets(engine, web)
    client = web.client(outsider)
    csrf = csrf_of(client.get("/login").text)
    token = web.tokens.get(outsider) if outsider else None
    for method, path in routes(web.app):
        if (method, path) in PUBLIC:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m[1]]), path)
        response = call(client, method, url, token if path.startswith("/api") else None, csrf)
        if "{" in path or outsider is None:
            assert response.status_code in (401, 403, 404), (method, path, response.status_code)
        for secret in SECRETS:
            assert secret not in response.text, (method, path, outsider)


def test_the_owner_does_see_its_data(web, engine):
    ids = targets(engine, web)
    client = web.client("hieutruong.hontre")
    assert SECRETS[1] in client.get(f"/directives/{ids['directive_id']}").text
    assert SECRETS[0] in client.get(f"/directives/{ids['directive_id']}").text
    token = web.tokens["hieutruong.hontre"]
    api = client.get(f"/api/assignments/{ids['assignment_id']}",
                     headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and api.json()["id"] == ids["assignment_id"]
    got = client.get(f"/assignments/{ids['assignment_id']}/files/{ids['attachment_id']}")
    assert got.status_code == 200 and got.content == b"%PDF-1.4 secret"
    own = client.get(f"/directives/{ids['directive_id']}/files/{ids['file_id']}")
    assert own.status_code == 200 and SECRETS[1] in own.text


def test_a_form_posted_without_its_csrf_token_is_refused(web, engine):
    client = web.client("chuyenvien.kienhai")
    run = runs(engine, "kh-kien-hai-stem-2026")[("MN-LAISON", "mn-ke-hoach", "")]
    response = client.post(f"/assignments/{run.id}/review", data={"action": "accept"})
    assert response.status_code == 403 and "Biểu mẫu đã hết hiệu lực" in response.text


def test_a_unit_named_like_a_script_renders_inert(web, engine):
    from chidao.files.unit_files import parse_unit_yaml
    from chidao.services.units_import import import_units
    from tests.support.cascade import at
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(
            "- {code: MN-HONTRE, name: '<script>alert(1)</script>', kind: school,"
            " parent: UBND-KIENHAI}\n"), now=at("2026-03-20T08:00"))
    page = web.client("chuyenvien.kienhai").get(
        f"/directives/{targets(engine, web)['directive_id'] - 1}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
