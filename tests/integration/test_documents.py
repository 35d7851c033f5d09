"""Documents: a generated plan reads back to the same fields; an urging letter names the late
units; bad files end with exit code 2 and nothing written."""

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.files.document_writers import render_html, text_lines, write_docx
from chidao.services.doc_import import import_document
from chidao.services.documents import implementation_plan, urging_letter
from tests.support.cascade import at, issue_file, runs, seed_units
from tests.support.cli import CHIDAO


@pytest.fixture
def seeded(engine):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    issue_file(engine, "kh-ubnd-kien-hai-stem.yaml", "2026-03-10T10:00")
    return engine


def test_a_generated_plan_imports_back_to_the_same_fields(seeded, tmp_path: Path):
    with transaction(seeded) as session:
        doc = implementation_plan(session, directive=directive_by_ref(session, "1039/KH-SGDĐT"),
                                     unit_code="UBND-PHUQUOC", now=at("2026-03-12T09:00"),
                                     calendar=vietnam_calendar(), days_before=5)
        path = tmp_path / "ke-hoach.docx"
        write_docx(doc, path)
        draft = import_document(path, session)
    assert (draft["number"], draft["symbol"], draft["doc_type"]) == (None, "KH-UBND", "KH")
    assert draft["issuer"] == "ỦY BAN NHÂN DÂN ĐẶC KHU PHÚ QUỐC"
    assert (draft["place"], draft["issued_on"]) == ("Phú Quốc",
                                                    {"day": None, "month": 3, "year": 2026})
    assert draft["title"] == ("Triển khai thực hiện giáo dục STEM trong giáo dục mầm non"
                              " năm học 2025-2026")
    (ref,) = draft["based_on"]
    assert (ref["number"], ref["symbol"], ref["date"], ref["directive"]) == (
        "1039", "KH-SGDĐT", "2026-02-26", "2026:1039/KH-SGDĐT")
    assert [g["name"] for g in draft["assignee_groups"]] == [  # the Phòng advises first
        "Phòng Văn hóa - Xã hội đặc khu Phú Quốc", "Các cơ sở giáo dục mầm non"]
    calendar = vietnam_calendar()
    own = runs(seeded, "2026:1039/KH-SGDĐT")  # the commune's own deadlines under the plan
    plan_due = own["UBND-PHUQUOC", "ke-hoach-trien-khai", ""].due_on
    report_due = own["UBND-PHUQUOC", "bao-cao-ket-qua", ""].due_on
    assert {d["date"] for d in draft["deadlines"] if "date" in d} == {day.isoformat() for day in (
        calendar.add_working_days(date(2026, 3, 12), 1),  # not 12/03: the plan's own day
        calendar.add_working_days(report_due, -5), calendar.add_working_days(report_due, -2),
    )} and plan_due == date(2026, 3, 19)
    assert [(r["name"], r["purpose"]) for r in draft["recipients"]][0] == (
        "Sở Giáo dục và Đào tạo tỉnh An Giang", "báo cáo")
    assert (draft["signer"]["authority"], draft["signer"]["position"]) == (
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert draft["missing"] == []
    html = render_html(doc)
    assert "Căn cứ Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026" in html


def test_urging_letter_lists_who_is_late(seeded, tmp_path: Path):
    with transaction(seeded) as session:
        doc = urging_letter(session, directive=directive_by_ref(
            session, "kh-kien-hai-stem-2026"), unit_code="UBND-KIENHAI",
            now=at("2026-03-26T09:00"), today=at("2026-03-26T09:00").date())
    text = "\n".join(text_lines(doc))
    assert "V/v đôn đốc" in text and "Trường Mầm non Nam Du;" in text
    assert "Trường Mầm non Hòn Tre" in text  # no plan issued yet in this seed
    path = tmp_path / "don-doc.docx"
    write_docx(doc, path)
    assert any("Kính gửi" in p.text for p in Document(str(path)).paragraphs)


@pytest.mark.parametrize(("name", "content", "words"), [
    ("trong.txt", b"   \n", "is empty"),
    ("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("gia.docx", b"PK\x03\x04 khong phai docx", "not a Word .docx"),
])
def test_bad_files_exit_2_and_write_nothing(tmp_path: Path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "draft.yaml"
    done = subprocess.run([CHIDAO, "import", str(path), "--yaml", str(out)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60,
                          env={"CHIDAO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert done.returncode == 2 and words in done.stderr
    assert not out.exists() and not (tmp_path / "x.db").exists()


def test_a_docx_that_is_not_a_directive_is_refused(tmp_path: Path):
    document = Document()
    document.add_paragraph("Danh sách mua sắm: bút, giấy, mực in.")
    path = tmp_path / "mua-sam.docx"
    document.save(str(path))
    done = subprocess.run([CHIDAO, "import", str(path)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60,
                          env={"CHIDAO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert done.returncode == 2 and "does not read as a directive" in done.stderr


def test_cli_import_prints_json_and_writes_a_yaml_draft(tmp_path: Path):
    from tests.support.paths import CORPUS

    out = tmp_path / "draft.yaml"
    done = subprocess.run([CHIDAO, "import", str(CORPUS / "kh-ubnd-kien-hai-stem-2026.txt"),
                           "--json", "--yaml", str(out)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60,
                          env={"CHIDAO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                               "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    body = done.stdout[done.stdout.index("{"):]
    assert json.loads(body)["symbol"] == "KH-UBND"
    assert "number_symbol: /KH-UBND" in out.read_text(encoding="utf-8")
