"""Issuing directives: bulk, idempotent assignment runs, selectors, deadlines, lineage."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel import select as model_select

from chidao.db.database import transaction
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.directives import Citation, Directive, Requirement
from chidao.domain.errors import InvalidInput
from chidao.files.unit_files import parse_unit_yaml
from chidao.queries.status_tree import status_tree
from chidao.services.units_import import import_units
from tests.support.cascade import (
    SEED,
    WHEN,
    at,
    issue_data,
    issue_file,
    runs,
    seed_units,
    small,
    snapshot,
)


def count(engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def seed_cascade(engine) -> None:
    seed_units(engine)
    for name, when in zip(SEED, WHEN, strict=True):
        issue_file(engine, name, when)


def test_sở_plan_reaches_every_commune_with_working_day_deadlines(engine):
    seed_units(engine)
    result = issue_file(engine, SEED[0], WHEN[0])
    got = runs(engine, result.key)
    assert result.created == result.total == 6
    communes = {"UBND-KIENHAI", "UBND-PHUQUOC", "UBND-RACHGIA"}
    assert {code for code, _, _ in got} == communes
    plan = got[("UBND-KIENHAI", "ke-hoach-trien-khai", "")]
    assert plan.due_on == date(2026, 3, 19)  # 15 working days after 26/02
    assert plan.status == "issued" and plan.next_action_at == at(WHEN[0])  # sweep: "issued" now
    assert plan.due_at == datetime(2026, 3, 19, 17, 0, tzinfo=UTC)  # end of 19/03 in Hà Nội
    # báo cáo tổng kết năm học (edu_year_end): the Ministry's Tue 30/06/2026 less a commune's
    # 5 working days: Tue 23/06
    assert got[("UBND-RACHGIA", "bao-cao-ket-qua", "")].due_on == date(2026, 6, 23)


def test_bulk_written_deadlines_compare_correctly_in_sql(engine):
    seed_units(engine)
    issue_file(engine, SEED[0], WHEN[0])
    with transaction(engine) as session:
        def due_by(moment: str) -> set[str]:
            return set(session.exec(
                model_select(Requirement.key)
                .join(Assignment, col(Assignment.requirement_id) == col(Requirement.id))
                .where(col(Assignment.due_at) <= at(moment))))
        assert due_by("2026-03-19T23:59") == set()
        assert due_by("2026-03-20T00:00") == {"ke-hoach-trien-khai"}
        assert due_by("2026-06-23T23:59") == {"ke-hoach-trien-khai"}
        assert due_by("2026-06-24T00:00") == {"ke-hoach-trien-khai", "bao-cao-ket-qua"}


def test_seed_cascade_three_levels_deep_with_lineage(engine):
    seed_cascade(engine)
    sở = runs(engine, "2026:1039/KH-SGDĐT")
    xã = runs(engine, "kh-kien-hai-stem-2026")
    trường = runs(engine, "kh-mn-hon-tre-stem-2026")
    with transaction(engine) as session:
        ids = {d.key: d.id for d in session.exec(model_select(Directive))}
    commune_plan = sở[("UBND-KIENHAI", "ke-hoach-trien-khai", "")]
    assert (commune_plan.status, commune_plan.fulfilled_by_id) == (
        "submitted", ids["kh-kien-hai-stem-2026"])
    assert commune_plan.submitted_at == at("2026-03-10T10:00")
    school_plan = xã[("MN-HONTRE", "mn-ke-hoach", "")]
    assert (school_plan.status, school_plan.fulfilled_by_id) == (
        "submitted", ids["kh-mn-hon-tre-stem-2026"])
    assert xã[("MN-LAISON", "mn-ke-hoach", "")].status == "issued"
    assert sở[("UBND-PHUQUOC", "ke-hoach-trien-khai", "")].status == "issued"
    # Child deadlines are set from the parent's: 5 and 10 working days before Tue 23/06/2026.
    assert xã[("PVHXH-KIENHAI", "pvhxh-bao-cao", "")].due_on == date(2026, 6, 16)
    assert xã[("MN-NAMDU", "mn-bao-cao", "")].due_on == date(2026, 6, 9)
    # The school cascades to its teams, monthly, except the office team it excluded.
    assert set(trường) == {
        (team, key, period) for team in ("MN-HONTRE-TCM-NT", "MN-HONTRE-TCM-MG")
        for key, period in (("hoat-dong-mau", ""), ("bao-cao-thang", "2026-04"),
                            ("bao-cao-thang", "2026-05"))}
    assert trường[("MN-HONTRE-TCM-NT", "bao-cao-thang", "2026-04")].due_on == date(2026, 4, 28)


def test_status_tree_nests_each_plan_under_the_unit_that_issued_it(engine, calendar):
    seed_cascade(engine)
    with transaction(engine) as session:
        root = session.exec(model_select(Directive).where(Directive.number == "1039")).one()
        tree = status_tree(session, root, now=at("2026-03-25T09:00"), calendar=calendar)
    kien_hai = next(u for u in tree.units if u.code == "UBND-KIENHAI")
    (commune_plan,) = kien_hai.directives
    hon_tre = next(u for u in commune_plan.units if u.code == "MN-HONTRE")
    (school_plan,) = hon_tre.directives
    assert {u.code for u in school_plan.units} == {"MN-HONTRE-TCM-NT", "MN-HONTRE-TCM-MG"}
    assert tree.counts["total"] == 6 + 10 + 6
    assert tree.counts["submitted"] == 2
    # Overdue at 25/03: Phú Quốc and Rạch Giá plans (19/03), 3 schools' plans and PVHXH (24/03).
    assert tree.counts["overdue"] == 6
    assert kien_hai.counts["overdue"] == 4
    assert hon_tre.counts == {"total": 8, "submitted": 1, "on_time": 1, "issued": 7,
                                 "on_track": 7}


def test_issuing_twice_creates_nothing_new(engine):
    seed_cascade(engine)
    before = snapshot(engine)
    for name, when in zip(SEED, WHEN, strict=True):
        again = issue_file(engine, name, when)
        assert again.created == 0 and again.fulfilled == []
    assert snapshot(engine) == before


def test_the_unique_key_refuses_a_second_run_for_the_same_unit_and_period(engine):
    seed_units(engine)
    issue_file(engine, SEED[0], WHEN[0])
    with transaction(engine) as session:
        row = session.exec(model_select(Assignment)).first()
        clone = row.model_dump(exclude={"id"})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(Assignment.__table__), [clone])


def test_reissue_after_a_new_school_opens_adds_only_its_runs(engine):
    seed_cascade(engine)
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(
            "- {code: MN-HONDAU, name: Trường Mầm non Hòn Đầu, kind: school,"
            " parent: UBND-KIENHAI}\n"), now=at("2026-03-12T08:00"))
    result = issue_file(engine, SEED[1], "2026-03-12T09:00")
    assert result.created == 2
    assert {k for (code, k, _) in runs(engine, result.key) if code == "MN-HONDAU"} == {
        "mn-ke-hoach", "mn-bao-cao"}


@pytest.mark.parametrize(("target", "expected"), [
    ({"children": {}}, {"UBND-KIENHAI", "UBND-PHUQUOC", "UBND-RACHGIA"}),
    ({"descendants": {"kind": "school"}},
     {"MN-HONTRE", "MN-LAISON", "MN-ANSON", "MN-NAMDU", "MN-DUONGDONG", "MN-RACHGIA"}),
    ({"descendants": {"kind": ["independent_class", "office"]}},
     {"LMN-HOASEN-PQ", "PVHXH-KIENHAI", "PVHXH-PHUQUOC", "PVHXH-RACHGIA"}),
    ({"descendants": {"kind": "school"}, "exclude": ["MN-HONTRE", "MN-RACHGIA"]},
     {"MN-LAISON", "MN-ANSON", "MN-NAMDU", "MN-DUONGDONG"}),
    ({"units": ["MN-ANSON", "PVHXH-RACHGIA"]}, {"MN-ANSON", "PVHXH-RACHGIA"}),
])
def test_selectors_resolve_over_the_issuers_subtree(engine, target, expected):
    seed_units(engine)
    data = small()
    data["requirements"][0]["to"] = target
    result = issue_data(engine, data, "2026-03-02T09:00")
    assert {code for code, _, _ in runs(engine, result.key)} == expected


def test_a_commune_cannot_target_units_outside_its_subtree(engine):
    seed_units(engine)
    data = small(number_symbol="9/KH-UBND", issuer="UBND-KIENHAI")
    data["requirements"][0]["to"] = {"units": ["MN-ANSON", "MN-RACHGIA"]}
    with pytest.raises(InvalidInput) as exc:
        issue_data(engine, data, "2026-03-02T09:00")
    assert exc.value.field == "requirements[0].to.units"
    assert "MN-RACHGIA" in exc.value.problem


@pytest.mark.parametrize(("change", "field"), [
    ({"issuer": "SGDDT-XX"}, "issuer"),
    ({"number_symbol": "55/KH-UBND"}, "number_symbol"),
    ({"requirements": [{"key": "r", "kind": "report", "title": "Báo cáo",
                        "to": {"units": ["KHONG-CO"]}, "due": "2026-03-31"}]},
     "requirements[0].to.units"),
    ({"requirements": [{"key": "r", "kind": "report", "title": "Báo cáo",
                        "to": {"children": {}}, "due": "2026-03-31"},
                       {"key": "r2", "kind": "report", "title": "Báo cáo 2",
                        "to": {"children": {}}, "due": "27/02/2026"}]},
     "requirements[1].due"),  # (Sunday 01/03 rolls to the issue day 02/03 and is accepted)
    ({"requirements": [{"key": "r", "kind": "report", "title": "Báo cáo",
                        "to": {"children": {}}, "due": {"before_parent": "x"}}]},
     "requirements[0].due.before_parent"),
])
def test_bad_directive_names_the_field_and_writes_nothing(engine, change, field):
    seed_cascade(engine)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc:
        issue_data(engine, small(**change), "2026-03-02T09:00")
    assert exc.value.field == field
    assert snapshot(engine) == before


def test_a_number_is_used_once_per_issuer_per_year(engine):
    seed_cascade(engine)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc:
        issue_data(engine, small(number_symbol="1039/KH-SGDĐT", key="other"), "2026-03-02T09:00")
    assert exc.value.field == "number_symbol"
    assert snapshot(engine) == before


def test_reissuing_with_a_changed_deadline_is_refused(engine):
    seed_units(engine)
    issue_data(engine, small(), "2026-03-02T09:00")
    before = snapshot(engine)
    changed = small()
    changed["requirements"][0]["due"] = "2026-04-30"
    with pytest.raises(InvalidInput) as exc:
        issue_data(engine, changed, "2026-03-03T09:00")
    assert exc.value.field == "requirements[0].due"
    assert snapshot(engine) == before


def test_citations_keep_outside_documents_as_text(engine):
    seed_units(engine)
    result = issue_data(engine, small(based_on=["Thông tư số 28/2016/TT-BGDĐT"]),
                        "2026-03-02T09:00")
    with transaction(engine) as session:
        (citation,) = session.exec(model_select(Citation).where(
            Citation.directive_id == result.directive_id)).all()
    assert (citation.cited_id, citation.ref_text) == (None, "Thông tư số 28/2016/TT-BGDĐT")
    assert count(engine, AssignmentEvent.__table__) == 0
