"""Alembic migrations create exactly the schema the tables declare."""

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import Session, select

from chidao.db.database import alembic_config, make_engine, migrate
from chidao.domain.accounts import ApiToken
from chidao.domain.dbtypes import sqlite_utc_text
from chidao.domain.tables import metadata


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_deadline_index_exists(engine):
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("assignment")}
    assert indexes["ix_assignment_next_action_at"] == ["next_action_at"]


@pytest.mark.sqlite_only
def test_message_bodies_move_to_their_own_table_and_back(tmp_path):
    """0006 carries composed bytes over to outbound_message_body; its downgrade brings them
    back, every other column untouched."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url, "0005")
    engine = make_engine(url)
    now = "2026-03-03 02:00:00.000000"
    with engine.begin() as conn:
        _insert_unit(conn, now)
        for mid, body in ((1, b"From: a\r\n\r\nxin chao"), (2, None)):
            conn.exec_driver_sql(
                "INSERT INTO outbound_message (id, to_unit_id, header_id, status, attempts,"
                " next_attempt_at, smtp_reply, last_error, subject, sender, recipients, body,"
                " created_at) VALUES (?, 1, ?, 'queued', 0, ?, '', '', 'S', 'a', '[]', ?, ?)",
                (mid, f"<{mid}@x>", now, body, now))
    migrate(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT message_id, body FROM outbound_message_body"
                                    ).all() == [(1, b"From: a\r\n\r\nxin chao")]
        assert "body" not in {c["name"] for c in inspect(conn).get_columns("outbound_message")}
    command.downgrade(alembic_config(url), "0005")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT id, body, header_id FROM outbound_message"
                                    " ORDER BY id").all() == [
            (1, b"From: a\r\n\r\nxin chao", "<1@x>"), (2, None, "<2@x>")]
    engine.dispose()


@pytest.mark.sqlite_only
def test_sessions_and_token_expiry_up_and_down(tmp_path):
    """0010 adds user_session and api_token.expires_at/revoked_at (tokens made before it
    expire 90 days after the upgrade); its downgrade removes them, the tokens kept."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url, "0009")
    engine = make_engine(url)
    now = "2026-03-03 02:00:00.000000"
    with engine.begin() as conn:
        _insert_unit(conn, now)
        conn.exec_driver_sql("INSERT INTO app_user (id, username, full_name, unit_id, role,"
                             " password_hash, created_at) VALUES (1, 'a', 'A', 1, 'head', 'h',"
                             " ?)", (now,))
        conn.exec_driver_sql("INSERT INTO api_token (id, user_id, name, token_sha256,"
                             " created_at) VALUES (1, 1, 'cu', 'abc', ?)", (now,))
    before = datetime.now(UTC)
    migrate(url)
    after = datetime.now(UTC)
    with engine.connect() as conn:
        stored, revoked = conn.exec_driver_sql(
            "SELECT expires_at, revoked_at FROM api_token").one()
        assert revoked is None
        assert "user_session" in inspect(conn).get_table_names()
    with Session(engine) as session:  # read back through the models' UTCDateTime
        expires = session.exec(select(ApiToken.expires_at)).one()
    assert expires is not None
    assert before + timedelta(days=90) <= expires <= after + timedelta(days=90)
    assert stored == sqlite_utc_text(expires)  # the text the models write (the migration has
    #                                            its own column type: no import of chidao)
    command.downgrade(alembic_config(url), "0009")
    with engine.connect() as conn:
        assert "user_session" not in inspect(conn).get_table_names()
        assert {c["name"] for c in inspect(conn).get_columns("api_token")} == {
            "id", "user_id", "name", "token_sha256", "created_at"}
        assert conn.exec_driver_sql("SELECT name FROM api_token").all() == [("cu",)]
    engine.dispose()


def _insert_unit(conn, now: str) -> None:
    """One commune row, written below the models (the schema is an older revision)."""
    conn.exec_driver_sql("INSERT INTO unit (id, code, name, kind, path, depth, emails, symbol,"
                         " updated_at) VALUES (1, 'X', 'Xã', 'commune', '/1/', 0, '[]', '', ?)",
                         (now,))
