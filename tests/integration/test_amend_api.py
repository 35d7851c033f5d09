"""POST /api/directives/{id}/amend: the preview (nothing written) and the apply, by the
issuing unit's head only: staff 403, a unit the directive was sent to 403, another
province 404; a file of another directive or a bad field is a 422 naming it."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.directives import Directive
from tests.support.amend_scene import EXPECTED, KEY, amended, issued, seed
from tests.support.cascade import runs, snapshot

URL = "/api/directives/{}/amend"


@pytest.fixture
def scene(web, engine):
    seed(engine, units=False)
    with transaction(engine) as session:
        directive_id = session.exec(select(Directive.id).where(Directive.key == KEY)).one()
    return web, directive_id


def post(web, user, directive_id, body):
    return web.client().post(URL.format(directive_id), json=body,
                             headers={"Authorization": f"Bearer {web.tokens[user]}"})


def listed(answer):
    return sorted((u["name"], c["kind"], c["requirement"], c["old"], c["new"])
                  for u in answer["units"] for c in u["changes"])


def test_preview_then_apply(scene, engine):
    web, directive_id = scene
    before = snapshot(engine)
    preview = post(web, "chuyenvien.so", directive_id, {"directive": amended()})
    assert preview.status_code == 200, preview.text
    assert listed(preview.json()) == EXPECTED and preview.json()["applied"] is False
    assert snapshot(engine) == before
    applied = post(web, "chuyenvien.so", directive_id,
                   {"yaml": yaml.safe_dump(amended(), allow_unicode=True), "apply": True,
                    "expect": preview.json()["fingerprint"]})
    assert applied.status_code == 200, applied.text
    assert applied.json()["applied"] is True and applied.json()["new_revision"] == 2
    assert runs(engine, KEY)[("UBND-PHUQUOC", "m", "")].due_on == date(2026, 4, 20)


@pytest.mark.parametrize(("user", "status"), [
    ("nhanvien.so", 403),  # staff of the issuer: no right to issue
    ("chuyenvien.kienhai", 403),  # sent the directive, did not issue it
    ("chuyenvien.camau", 404),  # another province: not even readable
])
def test_only_the_issuers_head_amends(scene, engine, user, status):
    web, directive_id = scene
    before = snapshot(engine)
    answer = post(web, user, directive_id, {"directive": amended(), "apply": True})
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert snapshot(engine) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"directive": {**issued(), "number_symbol": "56/KH-SGDĐT"}}, "number_symbol"),
    ({"directive": {**amended(), "issued_on": "2026-03-05"}}, "issued_on"),
    ({"yaml": "requirements: [\n"}, "yaml"),
    ({}, "directive"),
    ({"directive": amended(), "apply": True, "expect": "0"}, "fingerprint"),
])
def test_bad_input_is_a_422_naming_the_field(scene, engine, body, field):
    web, directive_id = scene
    before = snapshot(engine)
    answer = post(web, "chuyenvien.so", directive_id, body)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert snapshot(engine) == before


def test_a_delegate_of_the_head_amends_and_the_audit_names_both(scene, engine):
    """The Sở's staff member holds the head's right to issue for a week (KT.): the amendment
    goes through, its audit row names the delegate and on whose behalf."""
    from datetime import UTC, datetime, timedelta

    from chidao.domain.audit import AuditEvent
    from chidao.domain.calendar import LOCAL_TZ
    from chidao.domain.people import Delegation
    from chidao.services.accounts import user_named

    web, directive_id = scene
    today = datetime.now(UTC).astimezone(LOCAL_TZ).date()
    with transaction(engine) as session:
        head, staff = user_named(session, "chuyenvien.so"), user_named(session, "nhanvien.so")
        session.add(Delegation(from_user_id=head.id, to_user_id=staff.id, actions=["issue"],
                               starts_on=today - timedelta(days=1),
                               ends_on=today + timedelta(days=6), title="KT.",
                               created_by="chuyenvien.so", created_at=datetime.now(UTC)))
    answer = post(web, "nhanvien.so", directive_id, {"directive": amended(), "apply": True})
    assert answer.status_code == 200, answer.text
    with transaction(engine) as session:
        (row,) = session.exec(select(AuditEvent).where(
            AuditEvent.action == "directive.amend")).all()
        assert (row.unit_code, row.person, row.on_behalf_of) == (
            "SGDDT-AG", "nhanvien.so", "KT. chuyenvien.so")
