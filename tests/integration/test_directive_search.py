"""Finding directives and units: words of the number or the title without their accents, the
issuer, the year, the state of the runs, the boxes đến / đi; always within what the reader may
read (a sibling school never finds the other's plan), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from chidao.db.database import reading, transaction
from chidao.domain.accounts import User
from chidao.domain.status import Status
from chidao.domain.units import Unit
from chidao.queries.directive_search import DirectiveFilter
from chidao.queries.listings import list_choices, visible_directives
from chidao.queries.org_tree import find_units
from chidao.services.accounts import add_user
from tests.support.cascade import act, at, issue_data, issue_file, runs, seed_units

NOW = at("2026-03-25T09:00")
READERS = {"so": "SGDDT-AG", "kienhai": "UBND-KIENHAI", "hontre": "MN-HONTRE",
           "laison": "MN-LAISON", "phuquoc": "UBND-PHUQUOC"}


@pytest.fixture
def province(engine):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    issue_file(engine, "kh-ubnd-kien-hai-stem.yaml", "2026-03-10T10:00")
    issue_file(engine, "kh-mn-hon-tre-stem.yaml", "2026-03-18T14:00")
    issue_data(engine, {"number_symbol": "7/CV-SGDĐT", "issuer": "SGDDT-AG",
                        "issued_on": "2025-12-01", "title": "Về việc kiểm tra 100% cơ sở",
                        "requirements": [{"key": "r", "kind": "action", "title": "Tự kiểm tra",
                                          "to": {"units": ["UBND-PHUQUOC"]},
                                          "due": "2026-01-15"}]}, "2025-12-01T09:00")
    with transaction(engine) as session:
        for name, unit in READERS.items():
            add_user(session, username=name, full_name=name, unit_code=unit, role="head",
                     password="mat-khau-thu-nghiem", now=at("2026-02-01T08:00"))
    return engine


def found(engine, reader: str, now=NOW, **search) -> list[str]:
    with reading(engine) as session:
        user = session.exec(select(User).where(User.username == reader)).one()
        rows = visible_directives(session, user, now=now, soon=now, page=0,
                                  search=DirectiveFilter(**search))
    return [r["number_symbol"] for r in rows]


def test_words_match_without_accents_in_number_symbol_and_title(province):
    # the type in words: a KH is a "kế hoạch" (no title says so), a CV a "công văn"
    assert found(province, "so", words="ke hoach") == ["12/KH-MNHT", "/KH-UBND", "1039/KH-SGDĐT"]
    assert found(province, "so", words="cong van") == ["7/CV-SGDĐT"]
    assert found(province, "so", words="giao duc mam non") == ["/KH-UBND", "1039/KH-SGDĐT"]
    assert found(province, "so", words="giáo dục stem") == [
        "12/KH-MNHT", "/KH-UBND", "1039/KH-SGDĐT"]
    assert found(province, "so", words="GIÁO DỤC mầm NON 1039") == ["1039/KH-SGDĐT"]
    assert found(province, "so", words="kh-sgddt") == ["1039/KH-SGDĐT"]
    assert found(province, "so", words="kiểm tra 100%") == ["7/CV-SGDĐT"]
    assert found(province, "so", words="100_") == []  # LIKE's wildcards taken literally
    assert found(province, "so", words="%") == ["7/CV-SGDĐT"]  # the one title with a %
    assert len(found(province, "so", words="   ")) == 4


def test_a_sibling_school_never_finds_the_other_schools_plan(province):
    assert found(province, "hontre", words="12/KH-MNHT") == ["12/KH-MNHT"]
    assert found(province, "laison", words="12/KH-MNHT") == []
    assert found(province, "laison", words="giao duc") == ["/KH-UBND"]  # addressed to it
    assert found(province, "phuquoc", words="giao duc") == ["1039/KH-SGDĐT"]
    with reading(province) as session:
        laison = session.exec(select(User).where(User.username == "laison")).one()
        issuers, years = list_choices(session, laison)
    assert [name for _, name in issuers] == ["Ủy ban nhân dân đặc khu Kiên Hải"]
    assert years == [2026]


def test_boxes_incoming_and_outgoing(province):
    assert found(province, "kienhai", box="den") == ["1039/KH-SGDĐT"]
    assert found(province, "kienhai", box="di") == ["/KH-UBND"]
    assert found(province, "kienhai") == ["12/KH-MNHT", "/KH-UBND", "1039/KH-SGDĐT"]
    assert found(province, "hontre", box="den") == ["/KH-UBND"]
    assert found(province, "phuquoc", box="den") == ["1039/KH-SGDĐT", "7/CV-SGDĐT"]


def test_issuer_and_year(province):
    with reading(province) as session:
        kien_hai = session.exec(select(Unit).where(Unit.code == "UBND-KIENHAI")).one()
    assert found(province, "so", issuer_id=kien_hai.id) == ["/KH-UBND"]
    assert found(province, "so", year=2025) == ["7/CV-SGDĐT"]
    assert found(province, "so", year=2026, words="STEM", issuer_id=kien_hai.id) == ["/KH-UBND"]


def test_states_of_the_runs(province):
    before = at("2026-03-01T09:00")
    assert found(province, "phuquoc", now=before, state="late") == ["7/CV-SGDĐT"]
    assert found(province, "phuquoc", now=before, state="open") == ["1039/KH-SGDĐT",
                                                                    "7/CV-SGDĐT"]
    run = runs(province, "kh-kien-hai-stem-2026")[("MN-LAISON", "mn-ke-hoach", "")]
    act(province, run.id, Status.RECEIVED, "MN-LAISON", when="2026-03-12T09:00")
    assert found(province, "laison", state="own-received") == ["/KH-UBND"]
    assert found(province, "hontre", state="own-received") == []
    assert found(province, "hontre", state="own-issued") == ["/KH-UBND"]
    cv = runs(province, "7-cv-sgddt-2025") or runs(province, _key_of(province, "7/CV-SGDĐT"))
    (only,) = cv.values()
    act(province, only.id, Status.WAIVED, "SGDDT-AG", reason="Đã kiểm tra", when="2026-01-20T09:00")
    assert found(province, "phuquoc", state="closed") == ["7/CV-SGDĐT"]
    assert "7/CV-SGDĐT" not in found(province, "phuquoc", state="open")
    assert "7/CV-SGDĐT" not in found(province, "so", state="late")


def _key_of(engine, number_symbol: str) -> str:
    from chidao.domain.directives import Directive
    with reading(engine) as session:
        number, symbol = number_symbol.split("/", 1)
        return session.exec(select(Directive.key).where(Directive.symbol == symbol,
                                                        Directive.number == number)).one()


@pytest.mark.parametrize("reader, words, names", [
    ("UBND-KIENHAI", "lai son", ["Trường Mầm non Lại Sơn"]),
    ("UBND-KIENHAI", "mn-laison", ["Trường Mầm non Lại Sơn"]),
    ("UBND-KIENHAI", "to chuyen mon", ["Tổ chuyên môn Mẫu giáo", "Tổ chuyên môn Nhà trẻ"]),
    ("UBND-PHUQUOC", "lai son", []),  # another commune's school
    ("MN-LAISON", "hon tre", []),  # a sibling
])
def test_units_are_found_within_the_readers_subtree(province, reader, words, names):
    with reading(province) as session:
        under = session.exec(select(Unit).where(Unit.code == reader)).one()
        units, more = find_units(session, under, words)
    assert [u.name for u in units] == names and not more


@pytest.mark.sqlite_only
def test_the_migration_fills_the_search_text_of_directives_already_issued(tmp_path):
    from alembic import command
    from sqlalchemy import text

    from chidao.db.database import alembic_config, make_engine, migrate

    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate(url, "0011")
    engine = make_engine(url)
    now = "2026-03-03 02:00:00.000000"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO unit (id, code, name, kind, emails, symbol, path, depth,"
                          " updated_at) VALUES (1, 'SO', 'Sở', 'department', '[]', 'SGDĐT',"
                          " '/1/', 0, :now)"), {"now": now})
        conn.execute(text(
            "INSERT INTO directive (id, key, number, number_value, symbol, doc_type, issuer_id,"
            " issued_on, issue_year, title, school_year, issued_at) VALUES (1, 'k', '08', 8,"
            " 'KH-SGDĐT', 'KH', 1, '2026-03-02', 2026, 'Tổ chức Ngày hội', '2025-2026', :now)"),
            {"now": now})
    migrate(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT search_text FROM directive")).scalar_one() == (
            "ke hoach 08/kh-sgddt to chuc ngay hoi")
    command.downgrade(alembic_config(url), "0011")
    engine.dispose()
