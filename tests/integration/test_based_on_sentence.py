"""A directive file's `based_on` as officials write it ("Kế hoạch số 60/KH-SGDĐT ngày
02/3/2026 của Sở Giáo dục và Đào tạo …") links to the cited directive, so a deadline derived
from the parent's (before_parent) resolves: through `chidao directive issue`."""

from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.assignments import Assignment
from chidao.domain.directives import Citation
from tests.support.cascade import issue_data, seed_units
from tests.support.cli import chidao, refused

SENTENCE = ("Kế hoạch số 60/KH-SGDĐT ngày 02/3/{year} của Sở Giáo dục và Đào tạo tỉnh An Giang"
            " về báo cáo kết quả giáo dục STEM")


def so_plan(year: int) -> dict:
    return {"number_symbol": "60/KH-SGDĐT", "issuer": "SGDDT-AG",
            "issued_on": f"{year}-03-02", "title": f"Báo cáo kết quả giáo dục STEM {year}",
            "requirements": [{"key": "bao-cao-stem", "kind": "action",
                              "title": "Báo cáo kết quả STEM của xã",
                              "to": {"children": {"kind": "people_committee"}},
                              "due": f"{year}-05-29"}]}


def commune_plan(based_on: str, year: int) -> dict:
    return {"number_symbol": "21/KH-UBND", "issuer": "UBND-KIENHAI",
            "issued_on": f"{year}-03-09", "title": "Báo cáo STEM của trường",
            "based_on": [based_on],
            "requirements": [{"key": "truong-bao-cao", "kind": "action",
                              "title": "Báo cáo kết quả STEM của trường",
                              "to": {"children": {"kind": ["school", "independent_class"]}},
                              "due": {"before_parent": "bao-cao-stem", "working_days": 5}}]}


def issue_file(db_url: str, tmp_path: Path, data: dict, now: str):
    path = tmp_path / "ke-hoach.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return chidao("--db", db_url, "directive", "issue", str(path), "--now", now)


def cited_and_dues(engine) -> tuple[list[int | None], set[date]]:
    with transaction(engine) as session:
        plan = directive_by_ref(session, "21/KH-UBND")
        cited = session.exec(select(Citation.cited_id).where(
            Citation.directive_id == plan.id)).all()
        dues = set(session.exec(select(Assignment.due_on).where(
            Assignment.directive_id == plan.id)).all())
    return list(cited), dues


def test_the_sentence_officials_write_links_and_derives_the_deadline(engine, db_url, tmp_path):
    seed_units(engine)
    issue_data(engine, so_plan(2026), "2026-03-02T09:00")
    done = issue_file(db_url, tmp_path, commune_plan(SENTENCE.format(year=2026), 2026),
                      "2026-03-09T09:00")
    assert done.exit_code == 0, done.output
    with transaction(engine) as session:
        so_id = directive_by_ref(session, "60/KH-SGDĐT").id
    cited, dues = cited_and_dues(engine)
    assert cited == [so_id]
    assert dues == {vietnam_calendar().add_working_days(date(2026, 5, 29), -5)}


@pytest.mark.parametrize("ref", [SENTENCE.format(year=2025), "60/KH-SGDĐT ngày 02/3/2025"])
def test_the_date_picks_the_year_when_the_number_was_used_twice(engine, db_url, tmp_path, ref):
    """60/KH-SGDĐT of 2025 and of 2026: "ngày 02/3/2025" cites the older one, not the latest."""
    seed_units(engine)
    issue_data(engine, so_plan(2025), "2025-03-02T09:00")
    issue_data(engine, so_plan(2026), "2026-03-02T09:00")
    done = issue_file(db_url, tmp_path, commune_plan(ref, 2025), "2025-03-09T09:00")
    assert done.exit_code == 0, done.output
    with transaction(engine) as session:
        older = directive_by_ref(session, "2025:60/KH-SGDĐT").id
    cited, dues = cited_and_dues(engine)
    assert cited == [older]
    assert dues == {vietnam_calendar().add_working_days(date(2025, 5, 29), -5)}


def test_a_sentence_citing_nothing_stored_still_refuses_the_derived_deadline(
        engine, db_url, tmp_path):
    seed_units(engine)
    issue_data(engine, so_plan(2026), "2026-03-02T09:00")
    done = issue_file(db_url, tmp_path, commune_plan(
        "Kế hoạch số 61/KH-SGDĐT ngày 02/3/2026 của Sở Giáo dục và Đào tạo", 2026),
        "2026-03-09T09:00")
    refused(done, "before_parent")
