"""Three-level reports: rollup numbers, coverage and provenance; review; pre-filled drafts;
bad submissions refused in Vietnamese with nothing stored; the consolidated workbook."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.errors import InvalidInput
from chidao.domain.reports import Submission, form_spec
from chidao.domain.status import Status
from chidao.domain.units import Unit
from chidao.files.report_workbook import write_xlsx
from chidao.queries.report_export import consolidated
from chidao.queries.rollup import rollup
from chidao.services.aggregate import aggregate
from chidao.services.forms_store import form_by_ref
from chidao.services.report_submit import Upload
from tests.integration.report_scenario import (
    SO_KEY,
    figures,
    issue_report_cascade,
    school_run,
    schools_report,
    submit,
)
from tests.support.cascade import act, at, runs, snapshot


@pytest.fixture
def reported(engine):
    issue_report_cascade(engine)
    schools_report(engine)
    return engine


def stem_form(session):
    so_plan = directive_by_ref(session, "60/KH-SGDĐT")
    return form_spec(form_by_ref(session, "stem-ket-qua", field="form",
                                 directive_id=so_plan.id or 0))


def school_level(engine, **options):
    requirement_ids = [r.requirement_id for key in
                       ("kh-ubnd-kienhai-stem", "kh-ubnd-phuquoc-stem", "kh-ubnd-rachgia-stem")
                       for r in runs(engine, key).values()]
    with transaction(engine) as session:
        form = stem_form(session)
        so = session.exec(select(Unit).where(Unit.code == "SGDDT-AG")).one()
        return {n.code: n for n in rollup(session, requirement_ids=sorted(set(requirement_ids)),
                                          period="", node=so, form=form, provenance=True,
                                          **options)}


def test_rollup_numbers_coverage_and_provenance_are_exact(reported):
    nodes = school_level(reported)
    kien_hai = nodes["UBND-KIENHAI"]
    assert kien_hai.values == {
        "so_lop": 14, "gv_tap_huan": 26, "tre": 340,
        "ty_le_dat": round((80 * 150 + 70 * 100 + 60 * 90) / 340, 4), "goc_stem": 2,
        "muc_do": {"tốt": 1, "khá": 1, "đạt": 1},
        "kho_khan": ["Trường Mầm non Hòn Tre: Thiếu học liệu"]}
    assert (kien_hai.reported, kien_hai.expected) == (3, 4)
    assert kien_hai.reporters == ["MN-ANSON", "MN-HONTRE", "MN-LAISON"]
    assert kien_hai.missing == ["MN-NAMDU"]
    phu_quoc = nodes["UBND-PHUQUOC"]  # the class's figures are not accepted yet
    assert (phu_quoc.values["so_lop"], phu_quoc.reported, phu_quoc.expected) == (10, 1, 2)
    assert phu_quoc.missing == ["LMN-HOASEN-PQ"]
    so = nodes["SGDDT-AG"]
    assert (so.values["so_lop"], so.values["tre"], so.reported, so.expected) == (32, 840, 5, 7)
    assert so.values["goc_stem"] == 3


def test_provisional_rollup_counts_figures_not_yet_accepted(reported):
    nodes = school_level(reported, accepted_only=False)
    assert (nodes["UBND-PHUQUOC"].values["so_lop"], nodes["UBND-PHUQUOC"].reported) == (11, 2)


def test_on_time_is_judged_at_the_resubmission_after_a_return(reported):
    runs_kh = runs(reported, "kh-ubnd-kienhai-stem")
    an_son = runs_kh[("MN-ANSON", "truong-bao-cao", "")]
    lai_son = runs_kh[("MN-LAISON", "truong-bao-cao", "")]
    assert an_son.submitted_at == at("2026-05-21T10:00") and an_son.submitted_at < an_son.due_at
    assert lai_son.submitted_at > lai_son.due_at
    with transaction(reported) as session:
        versions = session.exec(select(Submission).where(
            Submission.assignment_id == an_son.id).order_by(Submission.version)).all()
    assert [(v.version, v.state, v.values["so_lop"]) for v in versions] == [
        (1, "returned", 40), (2, "accepted", 4)]
    assert versions[0].review_note == "Số lớp sai"


def test_cut_off_prefills_each_communes_report_and_the_so_sums_them(reported):
    with transaction(reported) as session:
        drafts = aggregate(session, now=at("2026-05-26T08:00"))
        again = aggregate(session, now=at("2026-05-26T08:05"))
    assert len(drafts.created) == 3 and again.drafts == []
    upward = runs(reported, SO_KEY)
    kien_hai_run = upward[("UBND-KIENHAI", "bao-cao-stem", "")]
    with transaction(reported) as session:
        draft = session.exec(select(Submission).where(
            Submission.assignment_id == kien_hai_run.id)).one()
    assert draft.state == "draft"
    assert draft.values == {"so_lop": 14, "gv_tap_huan": 26, "tre": 340,
                            "ty_le_dat": round(24400 / 340, 4), "goc_stem": 2,
                            "muc_do": {"tốt": 1, "khá": 1, "đạt": 1},
                            "kho_khan": "Trường Mầm non Hòn Tre: Thiếu học liệu"}
    assert "3/4" in draft.note and "MN-NAMDU" in draft.note
    # The commune adjusts one figure and submits; the others hand in the draft as it is.
    adjusted = {**draft.values, "so_lop": 15, "goc_stem": True, "muc_do": "khá"}
    submit(reported, kien_hai_run.id, "UBND-KIENHAI", adjusted, "2026-05-27T09:00")
    for commune in ("UBND-PHUQUOC", "UBND-RACHGIA"):
        submit(reported, upward[(commune, "bao-cao-stem", "")].id, commune, None,
               "2026-05-27T10:00")
    for commune in ("UBND-KIENHAI", "UBND-PHUQUOC", "UBND-RACHGIA"):
        act(reported, upward[(commune, "bao-cao-stem", "")].id, Status.ACCEPTED, "SGDDT-AG",
            when="2026-05-28T09:00")
    with transaction(reported) as session:
        form = stem_form(session)
        so = session.exec(select(Unit).where(Unit.code == "SGDDT-AG")).one()
        (total, *_) = rollup(session, requirement_ids=[kien_hai_run.requirement_id],
                             period="", node=so, form=form)
    assert (total.values["so_lop"], total.values["tre"], total.reported) == (15 + 10 + 8, 840, 3)


@pytest.mark.parametrize(("values", "field", "words"), [
    (figures("mười", 1, 1, 1, True, "tốt"), "so_lop", "phải là một số nguyên"),
    (figures(1, 1, 5000, 1, True, "tốt"), "tre", "không được lớn hơn 2000"),
    (figures(-1, 1, 1, 1, True, "tốt"), "so_lop", "không được nhỏ hơn 0"),
    ({"gv_tap_huan": 3}, "so_lop", "bắt buộc phải nhập"),
    (figures(1, 1, 1, 1, True, "tốt") | {"so_phong": 2}, "so_phong", "không có trong biểu mẫu"),
    (figures(1, 1, 1, 1, True, "xuất sắc"), "muc_do", "phải là một trong: tốt, khá, đạt"),
    (figures(1, 1, 1, 1, "có lẽ", "tốt"), "goc_stem", "phải là có hoặc không"),
])
def test_bad_figures_are_refused_in_vietnamese_and_nothing_is_stored(engine, values, field,
                                                                   words):
    issue_report_cascade(engine)
    run_id = school_run(engine, "UBND-KIENHAI", "MN-NAMDU")
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc:
        submit(engine, run_id, "MN-NAMDU", values, "2026-05-20T10:00")
    assert exc.value.field == field and words in exc.value.problem
    assert snapshot(engine) == before


@pytest.mark.parametrize(("upload", "words"), [
    (Upload("bao-cao.exe", b"MZ..."), "chỉ nhận các loại"),
    (Upload("bao-cao.pdf", b"x" * 2048), "quá lớn"),
    (Upload("rong.pdf", b""), "rỗng"),
    (Upload("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 300), "nội dung không phải tệp .pdf"),
])
def test_bad_attachments_are_refused_and_nothing_is_written(engine, tmp_path, upload, words):
    issue_report_cascade(engine)
    run_id = school_run(engine, "UBND-KIENHAI", "MN-NAMDU")
    settings = Settings(attachments_dir=str(tmp_path / "files"), attachment_max_bytes=1024)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as exc:
        submit(engine, run_id, "MN-NAMDU", figures(1, 1, 1, 1, True, "tốt"),
               "2026-05-20T10:00", uploads=[upload], settings=settings)
    assert exc.value.field == "attachments" and words in exc.value.problem
    assert snapshot(engine) == before
    assert not (tmp_path / "files").exists()


def test_an_attachment_is_stored_under_a_generated_name(engine, tmp_path):
    issue_report_cascade(engine)
    run_id = school_run(engine, "UBND-KIENHAI", "MN-NAMDU")
    settings = Settings(attachments_dir=str(tmp_path / "files"))
    submission = submit(engine, run_id, "MN-NAMDU", figures(1, 1, 1, 1, True, "tốt"),
                        "2026-05-20T10:00", settings=settings,
                        uploads=[Upload("../../etc/Biểu mẫu <số 1>.pdf", b"%PDF-1.4")])
    with transaction(engine) as session:
        from chidao.domain.reports import Attachment
        (stored,) = session.exec(select(Attachment).where(
            Attachment.submission_id == submission.id)).all()
    assert stored.name == "Biểu mẫu _số 1_.pdf"
    assert [p.name for p in (tmp_path / "files").iterdir()] == [stored.stored_as]
    assert "/" not in stored.stored_as and stored.stored_as.endswith(".pdf")


def test_consolidated_workbook_opens_with_the_right_cells(reported, tmp_path: Path):
    path = tmp_path / "tong-hop.xlsx"
    with transaction(reported) as session:
        write_xlsx(consolidated(session, directive_by_ref(session, "60/KH-SGDĐT"),
                                now=at("2026-05-26T08:00"), calendar=vietnam_calendar()), path)
    sheet = load_workbook(path)["stem-ket-qua"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["Mã đơn vị", "Đơn vị", "Trạng thái",
                           "Số lớp tổ chức hoạt động STEM (lớp) — đã duyệt",
                           "Số lớp tổ chức hoạt động STEM (lớp) — tạm tính"]
    by_label = {r[1].strip(): r for r in rows[1:] if r[1]}
    cover = slice(rows[0].index("Đã báo cáo — đã duyệt"), rows[0].index("Cảnh báo"))
    subtotal = by_label["Cộng các đơn vị thuộc Ủy ban nhân dân đặc khu Kiên Hải"]
    assert subtotal[3:9] == [14, 14, 26, 26, 340, 340] and subtotal[cover] == ["3/4", "3/4"]
    assert by_label["Trường Mầm non Lại Sơn"][3:5] == [4, 4]
    assert by_label["Trường Mầm non Nam Du"][2] == "chưa tiếp nhận · quá hạn"
    phu_quoc = by_label["Cộng các đơn vị thuộc Ủy ban nhân dân đặc khu Phú Quốc"]
    assert phu_quoc[3:5] == [10, 11] and phu_quoc[cover] == ["1/2", "2/2"]  # class not accepted
    assert by_label["TỔNG CỘNG"][cover] == ["0/3", "0/3"]  # the communes have not reported yet


def test_cli_submit_aggregate_and_workbook(engine, db_url, tmp_path: Path):
    import json
    import subprocess

    from tests.support.cli import CHIDAO

    issue_report_cascade(engine)
    env = {"CHIDAO_DATABASE_URL": db_url, "COLUMNS": "200",
           "CHIDAO_ATTACHMENTS_DIR": str(tmp_path / "files")}

    def chidao(*args, ok=True):
        done = subprocess.run([CHIDAO, *args], env=env, capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        assert (done.returncode == 0) is ok, done.stderr
        return done

    values = tmp_path / "so-lieu.yaml"
    values.write_text("so_lop: 5\ngv_tap_huan: 9\ntre: 120\nty_le_dat: 85,5\ngoc_stem: có\n"
                      "muc_do: tốt\n", encoding="utf-8")
    attachment = tmp_path / "Biên bản.pdf"
    attachment.write_bytes(b"%PDF-1.4 test")
    run_id = str(school_run(engine, "UBND-KIENHAI", "MN-NAMDU"))
    chidao("submit", run_id, "--unit", "MN-NAMDU", "--values", str(values),
           "--attach", str(attachment), "--now", "2026-05-20T10:00")
    values.write_text("so_lop: năm\n", encoding="utf-8")
    refused = chidao("submit", run_id, "--unit", "MN-NAMDU", "--values", str(values),
                     "--now", "2026-05-20T11:00", ok=False)
    assert "so_lop: Số lớp tổ chức hoạt động STEM: phải là một số nguyên" in refused.stderr
    chidao("accept", run_id, "--unit", "UBND-KIENHAI", "--now", "2026-05-21T09:00")
    assert "3 draft" in chidao("aggregate", "--now", "2026-05-29T08:00").stdout  # 1 a commune
    data = json.loads(chidao("report", "60/KH-SGDĐT", "--json").stdout)
    kien_hai = next(u for u in data[0]["units"] if u["code"] == "UBND-KIENHAI")
    assert kien_hai["live"]["accepted"]["values"]["so_lop"] == 5
    assert kien_hai["provisional"] is None and kien_hai["flags"] == []
    chidao("report", "60/KH-SGDĐT", "--xlsx", str(tmp_path / "bao-cao.xlsx"))
    assert load_workbook(tmp_path / "bao-cao.xlsx").sheetnames == ["stem-ket-qua"]
