"""A commune's pre-filled report follows its schools until it is handed in, then stays as
handed in; every aggregate kind reaches the draft (counts as counts); the consolidated report
puts accepted and provisional figures side by side and flags a handed-in figure that differs
from its schools' live subtotal (the 12 ≠ 31 that went unnoticed)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.errors import InvalidInput
from chidao.domain.reports import Submission
from chidao.domain.status import Status
from chidao.files.report_workbook import write_xlsx
from chidao.queries.report_export import FormReport, consolidated, report_data
from tests.integration.report_scenario import (
    KH,
    aggregate_at,
    figures,
    hand_in,
    one_school_then_three,
    school_run,
    submit,
    upward_run,
)
from tests.support.cascade import act, at, snapshot

HON_TRE, LAI_SON, AN_SON, NAM_DU = (
    "Trường Mầm non Hòn Tre", "Trường Mầm non Lại Sơn", "Trường Mầm non An Sơn",
    "Trường Mầm non Nam Du")


def versions(engine, run_id: int) -> list[Submission]:
    with transaction(engine) as session:
        return list(session.exec(select(Submission).where(Submission.assignment_id == run_id)
                                 .order_by(col(Submission.version))))


def report(engine, when: str) -> FormReport:
    with transaction(engine) as session:
        (found,) = consolidated(session, directive_by_ref(session, "60/KH-SGDĐT"), now=at(when),
                                calendar=vietnam_calendar())
    return found


@pytest.fixture
def followed(engine):
    one_school_then_three(engine)
    return engine


def test_the_draft_follows_its_schools_until_handed_in_then_stays(followed):
    engine, run_id = followed, upward_run(followed)
    (first,) = versions(engine, run_id)
    assert first.values == {"so_lop": 6, "gv_tap_huan": 12, "tre": 150, "ty_le_dat": 80.0,
                            "goc_stem": 1, "muc_do": {"tốt": 1, "khá": 0, "đạt": 0},
                            "kho_khan": f"{HON_TRE}: Thiếu học liệu"}
    second = aggregate_at(engine, "2026-05-26T10:00")
    assert second.updated == [first.id] and second.created == []  # the others did not change
    (draft,) = versions(engine, run_id)
    assert (draft.values["so_lop"], draft.values["tre"], draft.values["goc_stem"]) == (14, 340, 2)
    assert draft.values["muc_do"] == {"tốt": 1, "khá": 1, "đạt": 1}
    assert sorted(draft.values["kho_khan"].split("\n")) == [f"{AN_SON}: Phòng chật",
                                                            f"{HON_TRE}: Thiếu học liệu"]
    assert draft.values["ty_le_dat"] == round((80 * 150 + 70 * 100 + 60 * 90) / 340, 4)
    assert {"field": "so_lop", "label": "Số lớp tổ chức hoạt động STEM", "from": 6,
            "to": 14} in draft.basis["changes"]
    assert draft.basis["previous"]["values"]["tre"] == 150
    assert draft.basis["added"] == [AN_SON, LAI_SON] and draft.basis["removed"] == []
    assert "3/4" in draft.note and "so_lop 6 → 14" in draft.note
    assert f"thêm: {AN_SON}, {LAI_SON}" in draft.note
    before = snapshot(engine)
    assert aggregate_at(engine, "2026-05-26T10:05").drafts == []  # idempotent: nothing written
    assert snapshot(engine) == before

    submit(engine, run_id, KH, None, "2026-05-27T09:00")  # handed in as it stands
    hand_in(engine, "MN-NAMDU", figures(5, 7, 110, 90, True, "tốt"), "2026-05-27T10:00",
            "2026-05-27T11:00")
    before = snapshot(engine)
    assert aggregate_at(engine, "2026-05-28T08:00").drafts == []
    assert snapshot(engine) == before  # a handed-in report is never touched
    assert [(v.version, v.state, v.values["so_lop"], v.values["goc_stem"])
            for v in versions(engine, run_id)] == [(1, "draft", 14, 2), (2, "submitted", 14, 2)]


def test_counts_add_up_the_levels_and_a_school_answers_yes_or_no(followed):
    engine = followed
    aggregate_at(engine, "2026-05-26T10:00")
    submit(engine, upward_run(engine), KH, None, "2026-05-27T09:00")
    submit(engine, upward_run(engine, "UBND-PHUQUOC"), "UBND-PHUQUOC",
           {"so_lop": 11, "tre": 325, "goc_stem": "1", "muc_do": "tốt: 1; đạt: 1"},
           "2026-05-27T09:00")
    submit(engine, upward_run(engine, "UBND-RACHGIA"), "UBND-RACHGIA",
           {"so_lop": 8, "tre": 200, "goc_stem": "không", "muc_do": {"khá": 1}},
           "2026-05-27T09:00")
    for commune in ("UBND-KIENHAI", "UBND-PHUQUOC", "UBND-RACHGIA"):
        act(engine, upward_run(engine, commune), Status.ACCEPTED, "SGDDT-AG",
            when="2026-05-28T09:00")
    total = report(engine, "2026-05-28T10:00").total.accepted
    assert total.values["goc_stem"] == 2 + 1 + 0  # schools with a STEM corner, not communes
    assert total.values["muc_do"] == {"tốt": 2, "khá": 2, "đạt": 2}
    with pytest.raises(InvalidInput) as refused:  # a school answers for itself only
        submit(engine, school_run(engine, KH, "MN-NAMDU"), "MN-NAMDU",
               figures(1, 1, 1, 1, True, "tốt") | {"goc_stem": 2}, "2026-05-27T09:00")
    assert refused.value.field == "goc_stem" and "có hoặc không" in refused.value.problem
    with pytest.raises(InvalidInput) as refused:
        submit(engine, upward_run(engine), KH, {"so_lop": 1, "muc_do": "giỏi: 2"},
               "2026-05-29T09:00")
    assert refused.value.field == "muc_do" and "tốt: 0; khá: 0; đạt: 0" in refused.value.problem


def test_a_handed_in_figure_that_differs_from_its_schools_is_flagged(followed, tmp_path):
    engine = followed
    submit(engine, upward_run(engine), KH, None, "2026-05-26T08:30")  # 6 lớp: Hòn Tre only
    shown = report(engine, "2026-05-28T09:00")
    kien_hai = next(b for b in shown.blocks if b.row.code == KH)
    assert kien_hai.row.accepted is None and kien_hai.row.provisional["so_lop"] == 6
    assert kien_hai.live.accepted.values["so_lop"] == 14
    assert [(f.field, f.handed_in, f.live) for f in kien_hai.flags] == [
        ("so_lop", 6, 14), ("gv_tap_huan", 12, 26), ("tre", 150, 340),
        ("ty_le_dat", 80.0, round(24400 / 340, 4)), ("goc_stem", 1, 2),
        ("muc_do", {"tốt": 1, "khá": 0, "đạt": 0}, {"tốt": 1, "khá": 1, "đạt": 1})]
    assert "⚠ khác tổng cấp dưới: Số lớp tổ chức hoạt động STEM: 6 ≠ 14" in [
        f.text for f in kien_hai.flags]
    data = report_data([shown])[0]
    assert data["flagged"] == [KH]
    assert data["total"]["accepted"]["coverage"] == "0/3"
    assert data["total"]["provisional"]["coverage"] == "1/3"  # handed in, not yet accepted
    assert data["total"]["provisional"]["values"]["so_lop"] == 6
    assert data["live_total"]["accepted"]["values"]["so_lop"] == 14 + 0 + 0
    path = tmp_path / "bao-cao.xlsx"
    write_xlsx([shown], path)
    rows = [[c.value for c in r] for r in load_workbook(path)["stem-ket-qua"].iter_rows()]
    warning = rows[0].index("Cảnh báo")
    row = next(r for r in rows if r[0] == KH)
    assert "Số lớp tổ chức hoạt động STEM: 6 ≠ 14" in row[warning]
    total = next(r for r in rows if r[1] == "TỔNG CỘNG")
    assert total[warning].startswith("⚠ 1 đơn vị")
    assert "Ủy ban nhân dân đặc khu Kiên Hải" in total[warning]  # its name, not its code


def test_cli_shows_the_draft_and_the_report_as_of_now(followed, db_url, tmp_path: Path):
    from tests.support.cli import CHIDAO

    engine, run_id = followed, upward_run(followed)
    env = {"CHIDAO_DATABASE_URL": db_url, "COLUMNS": "200"}

    def chidao(*args: str) -> str:
        done = subprocess.run([CHIDAO, *args], env=env, capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "0 draft reports pre-filled, 1 brought up to date" in chidao(
        "aggregate", "--now", "2026-05-26T10:00")
    draft = json.loads(chidao("draft", str(run_id), "--unit", KH, "--json"))
    assert draft["values"]["so_lop"] == 14 and draft["changes"][0]["from"] == 6
    assert "so_lop 6 → 14" in chidao("draft", str(run_id))
    for commune in ("UBND-PHUQUOC", "UBND-RACHGIA"):
        submit(engine, upward_run(engine, commune), commune, {"so_lop": 1}, "2026-05-27T09:00")
    early = json.loads(chidao("report", "60/KH-SGDĐT", "--json", "--now", "2026-05-27T10:00"))
    late = json.loads(chidao("report", "60/KH-SGDĐT", "--json", "--now", "2026-06-01T08:00"))
    assert early[0]["as_of"].startswith("2026-05-27T03:00")
    assert (early[0]["total"]["accepted"]["coverage"],
            early[0]["total"]["provisional"]["coverage"]) == ("0/3", "2/3")
    kien_hai = [next(u for u in r[0]["units"] if u["code"] == KH) for r in (early, late)]
    assert kien_hai[0]["status"] == "chưa tiếp nhận · sắp đến hạn"
    assert kien_hai[1]["status"] == "chưa tiếp nhận · quá hạn"
    assert json.loads(chidao("draft", str(run_id), "--json")) is not None
    submit(engine, run_id, KH, None, "2026-05-28T09:00")
    assert json.loads(chidao("draft", str(run_id), "--json")) is None  # handed in
    text = chidao("report", "60/KH-SGDĐT", "--now", "2026-05-28T10:00")
    assert "Số lớp tổ chức hoạt động STEM: - | 14" in text


def test_api_shows_the_draft_before_it_is_handed_in(web, engine):
    one_school_then_three(engine, issue=False)
    aggregate_at(engine, "2026-05-26T10:00")
    run_id = upward_run(engine)
    client = web.client()
    auth = {"Authorization": f"Bearer {web.tokens['chuyenvien.kienhai']}"}
    shown = client.get(f"/api/assignments/{run_id}", headers=auth).json()
    assert shown["draft"]["values"]["so_lop"] == 14
    assert shown["draft"]["reported"] == 3 and shown["draft"]["expected"] == 4
    assert shown["draft"]["added"] == [AN_SON, LAI_SON]
    submit(engine, run_id, KH, None, "2026-05-27T09:00")
    assert client.get(f"/api/assignments/{run_id}", headers=auth).json()["draft"] is None


def test_the_web_form_shows_the_counts_and_hands_them_in(web, engine):
    from tests.web_fixtures import csrf_of

    one_school_then_three(engine, issue=False)
    aggregate_at(engine, "2026-05-26T10:00")
    run_id = upward_run(engine)
    commune = web.client("chuyenvien.kienhai")
    page = commune.get(f"/assignments/{run_id}").text
    assert 'name="f_goc_stem" value="2"' in page
    assert 'name="f_muc_do" value="tốt: 1; khá: 1; đạt: 1"' in page
    fields = dict(re.findall(r'<input[^>]*name="(f_\w+)" value="([^"]*)"', page))
    fields |= {"f_muc_do": "tốt: 2; khá: 1; đạt: 0", "csrf": csrf_of(page)}  # adjusted
    fields["f_kho_khan"] = "Thiếu học liệu"
    done = commune.post(f"/assignments/{run_id}/submit", data=fields, follow_redirects=False)
    assert done.status_code == 303, done.text
    handed_in = versions(engine, run_id)[-1]
    assert handed_in.state == "submitted"
    assert (handed_in.values["so_lop"], handed_in.values["goc_stem"]) == (14, 2)
    assert handed_in.values["muc_do"] == {"tốt": 2, "khá": 1, "đạt": 0}
