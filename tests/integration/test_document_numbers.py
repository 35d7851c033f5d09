"""Document numbers are text kept as issued: 08/KH-SGDĐT keeps its zero in the tree, on the
pages and in the mail; "8/KH-SGDĐT" finds it and cannot be issued again the same year."""

import uuid
from datetime import date

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from typer.testing import CliRunner

from chidao.cli.main import app
from chidao.db.database import alembic_config, make_engine, migrate, transaction
from chidao.db.lookup import find_directive
from chidao.domain.directives import Directive
from chidao.domain.errors import InvalidInput
from tests.integration.engine_helpers import engine_settings, tick
from tests.support.cascade import at, issue_data, seed_units, small
from tests.support.postgres import POSTGRES, admin, database_url

ZERO = "08/KH-SGDĐT"


def issue_zero(engine, **over):
    return issue_data(engine, small(number_symbol=ZERO, title="Kiểm tra số 08", **over),
                      "2026-03-02T09:00")


def test_the_cli_tree_and_the_mail_show_the_number_as_issued(engine, db_url, smtp):
    seed_units(engine)
    issue_zero(engine)
    tick(engine, engine_settings(smtp), "2026-03-02T10:00")
    mails = [r for r in smtp.received if "Báo cáo" in r.text]
    assert len(mails) == 3  # the three communes' "new task" digests
    assert all(f"- {ZERO} (" in m.text and "8/KH" not in m.text.replace(ZERO, "") for m in mails)
    runner = CliRunner()
    for typed in (ZERO, "8/KH-SGDĐT"):  # either spelling finds the directive
        done = runner.invoke(app, ["--db", db_url, "status", typed, "--now", "2026-03-03T09:00"])
        assert done.exit_code == 0, done.output
        assert f"Kế hoạch {ZERO} ngày 02/03/2026" in done.output
    inbox = runner.invoke(app, ["--db", db_url, "assignments", "--unit", "UBND-KIENHAI",
                                "--now", "2026-03-03T09:00"])
    assert inbox.exit_code == 0 and ZERO in inbox.output
    plan = runner.invoke(app, ["--db", db_url, "draft-plan", "8/KH-SGDĐT", "--unit",
                               "UBND-KIENHAI", "--now", "2026-03-03T09:00"])
    assert plan.exit_code == 0 and f"Căn cứ Kế hoạch số {ZERO} ngày 02/03/2026" in plan.output


def test_the_web_tree_shows_the_number_as_issued(web, engine):
    issue_zero(engine)
    with transaction(engine) as session:
        directive_id = find_directive(session, "8/KH-SGDĐT").id
    client = web.client("chuyenvien.so")
    assert ZERO in client.get(f"/directives/{directive_id}").text
    assert ZERO in client.get("/directives").text
    auth = {"Authorization": f"Bearer {web.tokens['chuyenvien.so']}"}
    assert client.get(f"/api/directives/{directive_id}", headers=auth).json()[
        "number_symbol"] == ZERO


def test_one_number_per_issuer_per_year_whatever_its_spelling(engine):
    seed_units(engine)
    issue_zero(engine)
    with pytest.raises(InvalidInput) as exc:
        issue_data(engine, small(number_symbol="8/KH-SGDĐT", key="tam"), "2026-03-02T09:00")
    assert exc.value.field == "number_symbol" and ZERO in exc.value.problem
    next_year = small(number_symbol="8/KH-SGDĐT", issued_on="2027-01-05")
    next_year["requirements"][0]["due"] = "2027-01-29"
    issue_data(engine, next_year, "2027-01-05T09:00")  # a new year starts again from 01
    with transaction(engine) as session:
        assert find_directive(session, ZERO).issue_year == 2026  # as typed comes first
        assert find_directive(session, "8/KH-SGDĐT").issue_year == 2027


@pytest.fixture
def blank_url(tmp_path):
    """An empty database (SQLite file, or a PostgreSQL database under tests-postgres)."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'n.db'}"
        return
    name = f"n_{uuid.uuid4().hex[:16]}"
    admin(f"CREATE DATABASE {name}")
    yield database_url(name)
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_numbers_become_text_and_back(blank_url):
    """0007 keeps the value, takes a lost zero back from the key; its downgrade restores."""
    migrate(blank_url, "0006")
    engine = make_engine(blank_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO unit (id, code, name, kind, path, depth, emails, symbol,"
                          " updated_at) VALUES (1, 'S', 'Sở', 'department', '/1/', 0, '[]', '',"
                          " :t)"), {"t": at("2026-03-01T08:00")})
        for did, key, number in ((1, "2026:08/KH-SGDĐT", 8), (2, "rieng", 12),
                                 (3, "2026:/KH-SGDĐT", None)):
            conn.execute(text(
                "INSERT INTO directive (id, key, number, symbol, doc_type, issuer_id, issued_on,"
                " issue_year, title, school_year, issued_at) VALUES (:id, :key, :number,"
                " 'KH-SGDĐT', 'KH', 1, :day, 2026, 'T', '2025-2026', :t)"),
                {"id": did, "key": key, "number": number, "day": date(2026, 3, 2),
                 "t": at("2026-03-02T09:00")})
    migrate(blank_url)
    with transaction(engine) as session:
        assert [(d.number_symbol, d.number_value) for d in session.exec(
            select(Directive).order_by(col(Directive.id)))] == [
                (ZERO, 8), ("12/KH-SGDĐT", 12), ("/KH-SGDĐT", None)]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE directive SET number_value = 8 WHERE id = 2"))
    command.downgrade(alembic_config(blank_url), "0006")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, number FROM directive ORDER BY id")).all() == [
            (1, 8), (2, 12), (3, None)]
    with pytest.raises(IntegrityError), engine.begin() as conn:  # the constraint is back
        conn.execute(text("UPDATE directive SET number = 8 WHERE id = 2"))
    engine.dispose()
