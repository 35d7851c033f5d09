"""Units cannot reach into other units' work: a form key names the form of the directive
itself or of what it cites (never one some other unit defined), and a unit cites only
directives it can read."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import text as sa_text
from sqlmodel import select

from chidao.cli.main import app
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.directives import Citation, Requirement
from chidao.domain.errors import InvalidInput
from chidao.domain.reports import ReportForm
from tests.integration.report_scenario import FORM, issue_report_cascade
from tests.support.cascade import issue_data, snapshot
from tests.support.cli import chidao, refused
from tests.web_fixtures import csrf_of

HIJACK = {"key": "stem-ket-qua", "version": 99, "title": "HIJACKED",
          "fields": [{"key": "x", "label": "Bị chiếm", "type": "integer"}]}


def school_plan(issuer: str, number: int, **extra) -> dict:
    symbol = {"MN-HONTRE": "MNHT", "MN-DUONGDONG": "MNDĐ"}[issuer]
    return {"number_symbol": f"{number}/KH-{symbol}", "issuer": issuer,
            "issued_on": "2026-03-12", "title": "Kế hoạch của trường",
            "requirements": [{"key": "to", "kind": "report", "title": "Báo cáo của tổ",
                              "to": {"children": {}}, "due": "2026-05-20",
                              "form": extra.pop("form", "stem-ket-qua")}]} | extra


def used_form(engine, key: str) -> ReportForm:
    with transaction(engine) as session:
        directive = directive_by_ref(session, key)
        requirement = session.exec(select(Requirement).where(
            Requirement.directive_id == directive.id)).first()
        form = session.get(ReportForm, requirement.form_id)
        session.expunge(form)
        return form


@pytest.fixture
def cascade(engine):
    issue_report_cascade(engine)
    return engine


def test_a_schools_form_version_99_is_not_picked_up_by_another_commune(cascade):
    """Hòn Tre defines its own `stem-ket-qua` version 99; Phú Quốc's later plan, citing the
    Sở's directive, still gets the Sở's form."""
    issue_data(cascade, school_plan("MN-HONTRE", 5, forms=[HIJACK], form="stem-ket-qua@99",
                                    based_on=["60/KH-SGDĐT"]), "2026-03-12T09:00")
    assert used_form(cascade, "2026:5/KH-MNHT").title == "HIJACKED"  # its own, for its own plan
    issue_data(cascade, {
        "key": "pq-late", "number_symbol": "31/KH-UBND", "issuer": "UBND-PHUQUOC",
        "issued_on": "2026-03-13", "title": "Báo cáo STEM bổ sung", "based_on": ["60/KH-SGDĐT"],
        "requirements": [{"key": "r", "kind": "report", "form": "stem-ket-qua", "title": "BC",
                          "to": {"children": {"kind": "school"}}, "due": "2026-05-20"}]},
        "2026-03-13T09:00")
    form = used_form(cascade, "pq-late")
    assert (form.title, form.version) == (FORM["title"], 1)


def test_a_form_no_directive_in_the_lineage_defines_is_refused(cascade):
    issue_data(cascade, school_plan("MN-HONTRE", 5, forms=[HIJACK | {"key": "sec-form"}],
                                    form="sec-form", based_on=["60/KH-SGDĐT"]),
               "2026-03-12T09:00")
    before = snapshot(cascade)
    with pytest.raises(InvalidInput) as caught:
        issue_data(cascade, school_plan("MN-DUONGDONG", 6, form="sec-form",
                                        based_on=["60/KH-SGDĐT"]), "2026-03-12T10:00")
    assert caught.value.field == "requirements[0].form" and "sec-form" in caught.value.problem
    assert snapshot(cascade) == before


def test_the_form_resolves_transitively_up_the_lineage(cascade):
    """A school plan cites its commune's plan, which cites the Sở's: the Sở's form."""
    issue_data(cascade, school_plan("MN-HONTRE", 5, based_on=["kh-ubnd-kienhai-stem"]),
               "2026-03-12T09:00")
    assert used_form(cascade, "2026:5/KH-MNHT").title == FORM["title"]


def test_a_schools_form_of_the_same_key_and_version_does_not_block_the_so(engine):
    """Before namespacing, a school that defined `stem-ket-qua` version 1 first made the Sở's
    own version 1 fail with "already exists with other fields"."""
    from tests.support.cascade import seed_units
    seed_units(engine)
    issue_data(engine, school_plan("MN-HONTRE", 5, forms=[HIJACK | {"version": 1}]),
               "2026-03-01T09:00")
    issue_report_cascade(engine)
    assert used_form(engine, "2026:60/KH-SGDĐT").title == FORM["title"]
    assert used_form(engine, "kh-ubnd-phuquoc-stem").title == FORM["title"]


def test_a_school_cannot_cite_another_communes_plan(cascade):
    before = snapshot(cascade)
    with pytest.raises(InvalidInput) as caught:
        issue_data(cascade, school_plan("MN-DUONGDONG", 6,
                                        based_on=["60/KH-SGDĐT", "kh-ubnd-kienhai-stem"]),
                   "2026-03-12T10:00")
    assert caught.value.field == "based_on[1]"
    assert "kh-ubnd-kienhai-stem" in caught.value.problem
    assert snapshot(cascade) == before


def test_a_unit_cites_what_is_addressed_to_it_or_issued_above_it(cascade):
    """Dương Đông cites the Sở's directive (issued above it, not addressed to it) and its own
    commune's plan (addressed to it); both citations are stored."""
    done = issue_data(cascade, school_plan(
        "MN-DUONGDONG", 6, based_on=["60/KH-SGDĐT", "kh-ubnd-phuquoc-stem"]),
        "2026-03-12T10:00")
    with transaction(cascade) as session:
        cited = session.exec(select(Citation.cited_id).where(
            Citation.directive_id == done.directive_id)).all()
    assert len([c for c in cited if c is not None]) == 2


def test_the_cli_refuses_a_citation_with_exit_2(cascade, db_url, tmp_path):
    with transaction(cascade) as session:
        kien_hai_plan = directive_by_ref(session, "kh-ubnd-kienhai-stem").id
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(school_plan("MN-DUONGDONG", 6,
                                               based_on=[f"#{kien_hai_plan}"]),
                                   allow_unicode=True), encoding="utf-8")
    before = snapshot(cascade)
    refused(chidao("--db", db_url, "directive", "issue", str(plan)), "based_on[0]",
            f"#{kien_hai_plan}")
    assert snapshot(cascade) == before
    assert app is not None


def test_the_web_refuses_a_citation_with_422_in_vietnamese(web, engine):
    with transaction(engine) as session:
        plan = directive_by_ref(session, "kh-ubnd-phuquoc-stem").id
    client = web.client("hieutruong.hontre")
    csrf = csrf_of(client.get("/directives/new").text)
    before = snapshot(engine)
    text = yaml.safe_dump(school_plan("MN-HONTRE", 7, based_on=[f"#{plan}"]),
                          allow_unicode=True)
    response = client.post("/directives", data={"csrf": csrf, "yaml": text})
    assert response.status_code == 422
    assert "based_on[0]" in response.text and "không được căn cứ" in response.text
    assert snapshot(engine) == before


def test_0009_gives_each_form_the_issuer_that_first_used_it_and_goes_back(db_url):
    """Down to 0008, rows in, up: the form used first by XA's directive is XA's, an unused
    one has none; a second issuer may then reuse the key and version; down again: the
    column is gone, the rows and the (key, version) constraint are back. SQLite and
    PostgreSQL (`bash run tests-postgres`)."""
    from alembic import command
    from sqlalchemy import inspect

    from chidao.db.database import alembic_config, make_engine, migrate
    now = "2026-03-03 02:00:00.000000"
    command.downgrade(alembic_config(db_url), "0008")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        for uid, code in ((901, "SO"), (902, "XA")):
            conn.execute(sa_text(
                "INSERT INTO unit (id, code, name, kind, path, depth, emails, symbol,"
                " updated_at) VALUES (:id, :code, 'Đơn vị', 'department', :path, 0, '[]', '',"
                " :now)"), {"id": uid, "code": code, "path": f"/{uid}/", "now": now})
        for fid, key in ((901, "used"), (902, "unused")):
            conn.execute(sa_text("INSERT INTO report_form (id, key, version, title, fields,"
                                 " created_at) VALUES (:id, :key, 1, 'T', '[]', :now)"),
                         {"id": fid, "key": key, "now": now})
        for did, issuer in ((901, 902), (902, 901)):  # the XA's directive came first
            conn.execute(sa_text(
                "INSERT INTO directive (id, key, symbol, doc_type, issuer_id, issued_on,"
                " issue_year, title, school_year, issued_at) VALUES (:id, :key, 'KH', 'plan',"
                " :issuer, '2026-03-03', 2026, 'T', '2025-2026', :now)"),
                {"id": did, "key": f"d{did}", "issuer": issuer, "now": now})
            conn.execute(sa_text(
                "INSERT INTO requirement (directive_id, key, kind, title, target, due, policy,"
                " form_id) VALUES (:id, 'r', 'report', 'T', '{}', '{}', '{}', 901)"),
                {"id": did})
    migrate(db_url)
    forms = "SELECT id, key, issuer_id FROM report_form WHERE id > 900 ORDER BY id"
    with engine.begin() as conn:
        assert conn.exec_driver_sql(forms).all() == [(901, "used", 902), (902, "unused", None)]
        conn.execute(sa_text("INSERT INTO report_form (id, key, version, title, fields,"
                             " created_at, issuer_id) VALUES (903, 'used', 1, 'Khác', '[]',"
                             " :now, 901)"), {"now": now})
        conn.exec_driver_sql("DELETE FROM report_form WHERE id = 903")
    command.downgrade(alembic_config(db_url), "0008")
    with engine.connect() as conn:
        assert "issuer_id" not in {c["name"] for c in inspect(conn).get_columns("report_form")}
        assert conn.exec_driver_sql(forms.replace("issuer_id", "version")).all() == [
            (901, "used", 1), (902, "unused", 1)]
        uniques = inspect(conn).get_unique_constraints("report_form")
        assert [u["column_names"] for u in uniques] == [["key", "version"]]
    migrate(db_url)
    engine.dispose()
