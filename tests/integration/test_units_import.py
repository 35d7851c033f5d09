"""Importing the organisation tree: YAML (nested or flat) and CSV, re-import, all-or-nothing."""

from pathlib import Path

import pytest
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.errors import InvalidInput
from chidao.domain.units import Unit
from chidao.files.unit_files import parse_unit_csv, parse_unit_yaml, read_unit_file
from chidao.services.units_import import import_units
from tests.support.cascade import at, seed_units, snapshot
from tests.support.paths import EXAMPLES


def units(engine) -> dict[str, Unit]:
    with transaction(engine) as session:
        return {u.code: u for u in session.exec(select(Unit))}


def test_nested_yaml_builds_the_tree_with_paths(engine):
    seed_units(engine)
    found = units(engine)
    school, team = found["MN-HONTRE"], found["MN-HONTRE-TCM-NT"]
    assert team.parent_id == school.id
    assert team.path == f"{school.path}{team.id}/"
    assert team.depth == 4  # Bộ 0, Sở 1, UBND 2, trường 3, tổ 4
    assert found["SGDDT-AG"].symbol == "SGDĐT"
    assert found["MN-HONTRE"].emails == ["mnhontre@angiang.edu.vn"]


def test_csv_import_with_emails_and_symbols(engine):
    rows = parse_unit_csv(
        "code,name,kind,parent,emails,symbol\n"
        "SGD,Sở GDĐT Cà Mau,department,,vanthu@sgd.vn,SGDĐT\n"
        "XA1,UBND xã Tân Thành,people_committee,SGD,a@x.vn; b@x.vn,UBND\n")
    with transaction(engine) as session:
        result = import_units(session, rows, now=at("2026-02-01T08:00"))
    assert (result.created, result.updated) == (2, 0)
    assert units(engine)["XA1"].emails == ["a@x.vn", "b@x.vn"]


def test_reimport_updates_in_place_and_moves_a_subtree(engine):
    seed_units(engine)
    before = units(engine)
    moved = parse_unit_yaml(
        "- {code: MN-HONTRE, name: Trường Mầm non Hòn Tre (mới), kind: school,"
        " parent: UBND-RACHGIA}\n")
    with transaction(engine) as session:
        result = import_units(session, moved, now=at("2026-03-01T08:00"))
    after = units(engine)
    assert (result.created, result.updated, result.total) == (0, 1, len(before))
    school = after["MN-HONTRE"]
    assert school.id == before["MN-HONTRE"].id
    assert school.name == "Trường Mầm non Hòn Tre (mới)"
    assert school.path == f"{after['UBND-RACHGIA'].path}{school.id}/"
    assert after["MN-HONTRE-TCM-NT"].path.startswith(school.path)


@pytest.mark.parametrize(("text", "line", "field"), [
    ("- {code: X1, name: Trường X, kind: school, parent: KHONG-CO}\n", 1, "parent"),
    ("- {code: X1, name: Trường X, kind: school, parent: SGDDT-AG}\n"
     "- {code: X1, name: Trường Y, kind: school, parent: SGDDT-AG}\n", 2, "code"),
    ("- {code: SGDDT-AG, name: Sở, kind: department, parent: MN-HONTRE}\n", 1, "parent"),
    ("- {code: X1, name: Trường X, kind: school, parent: SGDDT-AG, emails: [khong-phai-email]}\n",
     1, "emails"),
    # unit.code is VARCHAR(64): PostgreSQL refused it with a DataError (found by the fuzz test)
    ("- {code: %s, name: Trường X, kind: school, parent: SGDDT-AG}\n" % ("X" * 65), 1, "code"),
])
def test_bad_file_names_the_line_and_writes_nothing(engine, text, line, field):
    seed_units(engine)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc, transaction(engine) as session:
        import_units(session, parse_unit_yaml(text), now=at("2026-03-01T08:00"))
    assert (exc.value.line, exc.value.field) == (line, field)
    assert snapshot(engine) == before


SCHOOL = "- {code: X1, name: Trường X, kind: school, parent: SGDDT-AG, emails: [%s]}\n"


@pytest.mark.parametrize(("address", "problem"), [
    ('"a@x.edu.vn\\r\\nreply-to: kẻ@gian.vn"', "invalid characters"),  # CR/LF: a header
    ('"a@x.edu.vn, b@gian.vn"', "invalid characters"),  # comma: another recipient
    ('"a\\0@x.edu.vn"', "U+0000"),  # NUL
    ("trường@x.edu.vn", "Internationalized characters before the @-sign"),  # needs SMTPUTF8
    ("a@localhost", "period"),
])
def test_a_bad_address_in_a_units_file_names_the_line_and_the_field(engine, address, problem):
    seed_units(engine)
    before = snapshot(engine)
    text = "- {code: X0, name: Trường O, kind: school, parent: SGDDT-AG}\n" + SCHOOL % address
    with pytest.raises(InvalidInput) as exc, transaction(engine) as session:
        import_units(session, parse_unit_yaml(text), now=at("2026-03-01T08:00"))
    assert (exc.value.line, exc.value.field) == (2, "emails")
    assert problem in exc.value.problem
    assert snapshot(engine) == before


@pytest.mark.parametrize("emails", ['"a@x.edu.vn\r\nreply-to: b@gian.vn"', "trường@x.edu.vn",
                                    '"a@x.edu.vn;a\x00b@x.edu.vn"'])
def test_a_bad_address_in_a_csv_file_names_the_line_and_the_field(emails):
    text = ("code,name,kind,parent,emails\n"
            "SGD,Sở GDĐT Cà Mau,department,,vanthu@sgd.vn\n"
            f"XA1,UBND xã Tân Thành,people_committee,SGD,{emails}\n")
    with pytest.raises(InvalidInput) as exc:
        parse_unit_csv(text)
    assert (exc.value.line, exc.value.field) == (3, "emails")


def test_addresses_are_normalised_on_import():
    (row,) = parse_unit_yaml(SCHOOL % "Van.Thu@Trường.EDU.vn")
    assert row.emails == ["van.thu@xn--trng-rib8295b.edu.vn"]


def test_unknown_file_type_is_refused(tmp_path: Path):
    path = tmp_path / "units.txt"
    path.write_text("x")
    with pytest.raises(InvalidInput, match="yaml"):
        read_unit_file(path)


def test_example_file_has_every_kind_of_level():
    kinds = {row.kind for row in read_unit_file(EXAMPLES / "units.yaml")}
    assert {"ministry", "department", "people_committee", "office", "school",
            "independent_class", "team"} <= kinds
