"""The words of the generated documents, from the demo's own data: who heads and signs them,
their place, how they cite a plan, what each subordinate group is handed and by when; and
the units file that carries what the tree cannot tell."""

import re
import subprocess
import unicodedata
from datetime import date

import pytest
from sqlmodel import select

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.errors import InvalidInput
from chidao.domain.official_document import OfficialDocument, ParagraphStyle
from chidao.domain.units import Unit
from chidao.files.unit_files import parse_unit_csv, parse_unit_yaml
from chidao.services.documents import implementation_plan, urging_letter
from chidao.services.units_import import import_units
from tests.support.cascade import SEED, WHEN, at, issue_file, seed_units
from tests.support.cli import CHIDAO

SO_PLAN, KH_PLAN = "1039/KH-SGDĐT", "kh-kien-hai-stem-2026"


@pytest.fixture
def demo(engine):
    seed_units(engine)  # the demo's units.yaml, as `chidao demo` imports it
    for name, when in zip(SEED, WHEN, strict=True):
        issue_file(engine, name, when)
    return engine


def plan(engine, ref: str, unit: str, when: str, **kw) -> OfficialDocument:
    with transaction(engine) as session:
        return implementation_plan(session, directive=directive_by_ref(session, ref),
                                   unit_code=unit, now=at(when), calendar=vietnam_calendar(),
                                   days_before=5, **kw)


def urging(engine, ref: str, unit: str, when: str, **kw) -> OfficialDocument:
    with transaction(engine) as session:
        return urging_letter(session, directive=directive_by_ref(session, ref), unit_code=unit,
                             now=at(when), today=at(when).date(), **kw)


def sections(doc: OfficialDocument) -> dict[str, list[str]]:
    """"I. TỔ CHỨC THỰC HIỆN"'s numbered groups -> their bullets."""
    found: dict[str, list[str]] = {}
    current = None
    for p in doc.body:
        if p.style is ParagraphStyle.SUBHEADING:
            current = found.setdefault(p.text.split(". ", 1)[1], [])
        elif p.style is ParagraphStyle.BULLET and current is not None:
            current.append(p.text)
    return found


def body(doc: OfficialDocument) -> str:
    return "\n".join(p.text for p in doc.body)


def test_the_dac_khu_plan_has_no_governing_body_and_signs_tm(demo):
    doc = plan(demo, SO_PLAN, "UBND-KIENHAI", "2026-03-03T09:00")
    assert (doc.governing_body, doc.issuer) == ("", "ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI")
    assert doc.signature.lines == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert doc.place_date_line == "Kiên Hải, ngày     tháng 3 năm 2026"
    deputy = plan(demo, SO_PLAN, "UBND-KIENHAI", "2026-03-03T09:00", signer="deputy")
    assert deputy.signature.lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def test_the_so_urging_letter_is_headed_by_ubnd_tinh_and_signed_giam_doc(demo):
    doc = urging(demo, SO_PLAN, "SGDDT-AG", "2026-03-26T09:00")
    assert (doc.governing_body, doc.issuer) == ("ỦY BAN NHÂN DÂN TỈNH AN GIANG",
                                                "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    assert doc.signature.lines == ("GIÁM ĐỐC",) and doc.place.startswith("An Giang")
    kt = urging(demo, SO_PLAN, "SGDDT-AG", "2026-03-26T09:00", signer="deputy",
                signer_name="Trần Thị B")
    assert (kt.signature.lines, kt.signature.name) == (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
                                                       "Trần Thị B")
    assert doc.subject_line == "V/v đôn đốc triển khai thực hiện Kế hoạch số 1039/KH-SGDĐT"
    text = body(doc)
    assert text.startswith("Ngày 26/02/2026, Sở Giáo dục và Đào tạo tỉnh An Giang ban hành "
                           "Kế hoạch số 1039/KH-SGDĐT về triển khai thực hiện giáo dục STEM")
    assert "Thực hiện Kế hoạch số 1039" not in text  # not about its own plan
    late = {line.split(":")[0] for line in text.splitlines() if "(hạn " in line}
    assert set(doc.addressees) == late and "Ủy ban nhân dân đặc khu Phú Quốc" in late
    assert "Ủy ban nhân dân đặc khu Kiên Hải" not in late  # it issued its plan
    assert doc.recipients[0] == "Như trên;" and doc.recipients[-1].startswith("Lưu: VT")


def test_a_lower_level_urges_under_the_so_plan_and_its_own(demo):
    doc = urging(demo, SO_PLAN, "UBND-KIENHAI", "2026-03-26T09:00")
    assert body(doc).startswith(
        "Thực hiện Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026 của Sở Giáo dục và Đào tạo tỉnh "
        "An Giang về triển khai thực hiện giáo dục STEM")
    assert "Trường Mầm non Nam Du" in doc.addressees  # late under Kiên Hải's own plan
    assert "thực hiện triển khai thực hiện" not in f"{doc.subject_line}\n{body(doc)}"
    assert "Sở Giáo dục và Đào tạo tỉnh An Giang (để b/c);" in doc.recipients
    own = urging(demo, KH_PLAN, "UBND-KIENHAI", "2026-03-26T09:00")
    assert own.subject_line == "V/v đôn đốc triển khai thực hiện Kế hoạch ngày 10/03/2026"
    assert body(own).startswith("Ngày 10/03/2026, Ủy ban nhân dân đặc khu Kiên Hải ban hành "
                                "Kế hoạch về triển khai")


def test_the_school_plan_cites_an_unnumbered_plan_and_lists_its_teams(demo):
    doc = plan(demo, KH_PLAN, "MN-HONTRE", "2026-03-12T09:00")
    assert doc.governing_body == "ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI"
    assert (doc.issuer, doc.place, doc.signature.lines) == (
        "TRƯỜNG MẦM NON HÒN TRE", "Kiên Hải", ("HIỆU TRƯỞNG",))
    assert "Căn cứ Kế hoạch ngày 10/03/2026 của Ủy ban nhân dân đặc khu Kiên Hải về " \
           "triển khai thực hiện giáo dục STEM" in body(doc)
    assert "số /KH" not in body(doc) and "TM." not in " ".join(doc.signature.lines)
    groups = sections(doc)
    assert list(groups)[:2] == ["Hiệu trưởng", "Phó Hiệu trưởng"]
    assert {"Tổ chuyên môn Nhà trẻ", "Tổ chuyên môn Mẫu giáo", "Tổ Văn phòng"} <= set(groups)
    assert all(groups.values())  # never an empty part
    assert any("Tham mưu, tổng hợp báo cáo" in b for b in groups["Tổ Văn phòng"])
    assert any("gửi về Trường Mầm non Hòn Tre" in b for b in groups["Tổ chuyên môn Nhà trẻ"])


def test_each_group_gets_only_its_part_never_due_before_the_plan(demo):
    day = date(2026, 3, 12)
    doc = plan(demo, SO_PLAN, "UBND-PHUQUOC", "2026-03-12T09:00")
    groups = sections(doc)
    office, schools = groups["Phòng Văn hóa - Xã hội đặc khu Phú Quốc"], groups[
        "Các cơ sở giáo dục mầm non"]
    assert not any("Xây dựng kế hoạch của đơn vị" in b for b in office)
    assert any(b.startswith("Tham mưu, tổng hợp báo cáo") for b in office)
    assert any(b.startswith("Xây dựng kế hoạch của đơn vị") for b in schools)
    assert any("gửi về Ủy ban nhân dân đặc khu Phú Quốc (qua Phòng Văn hóa - Xã hội đặc khu "
               "Phú Quốc)" in b for b in schools)
    dates = [date(int(y), int(m), int(d)) for d, m, y in re.findall(
        r"hoàn thành trước (\d\d)/(\d\d)/(\d{4})", body(doc))]
    first_working_day = vietnam_calendar().add_working_days(day, 1)
    assert dates and min(dates) == first_working_day  # shortened, not 12/03 or before
    assert any("bị rút ngắn" in w for w in doc.warnings)
    past = plan(demo, SO_PLAN, "UBND-PHUQUOC", "2026-03-20T09:00")  # own due 19/03 passed
    plan_line = next(b for b in sections(past)["Các cơ sở giáo dục mầm non"]
                     if b.startswith("Xây dựng kế hoạch"))
    assert "khẩn trương" in plan_line and "trước" not in plan_line
    assert any("19/03/2026" in w and "không đặt thời hạn" in w for w in past.warnings)


def test_an_unknown_place_is_left_blank_with_a_warning(demo):
    with transaction(demo) as session:
        import_units(session, parse_unit_yaml(
            "- {code: SGD-X, name: Sở Giáo dục và Đào tạo tỉnh X, kind: department}\n"
            "- {code: MN-SON, name: Trường Mầm non Sơn, kind: school, parent: SGD-X}\n"),
            now=at("2026-03-01T08:00"))
    doc = plan(demo, SO_PLAN, "MN-SON", "2026-03-12T09:00")
    assert doc.place == "……" and "Sơn," not in doc.place_date_line
    assert any("place_name" in w for w in doc.warnings)
    assert doc.governing_body == "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH X"
    assert sections(doc)["Hiệu trưởng"]  # no sub-units: the leadership lines


def test_the_units_file_carries_the_document_fields(demo):
    with transaction(demo) as session:
        stored = {u.code: u for u in session.exec(select(Unit))}
    so = stored["SGDDT-AG"]
    assert (so.governing_body, so.header_name, so.place_name) == (
        "ỦY BAN NHÂN DÂN TỈNH AN GIANG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "An Giang")
    assert stored["UBND-KIENHAI"].place_name == "Kiên Hải"
    decomposed = unicodedata.normalize("NFD", "Hiệu trưởng")
    with transaction(demo) as session:
        import_units(session, parse_unit_yaml(
            f"- {{code: MN-LAISON, name: Trường Mầm non Lại Sơn, kind: school, "
            f"parent: UBND-KIENHAI, head_title: '{decomposed}', place_name: Lại Sơn}}\n"),
            now=at("2026-03-01T08:00"))
        import_units(session, parse_unit_csv(  # a file without the columns keeps them
            "code,name,kind,parent\nMN-LAISON,Trường Mầm non Lại Sơn,school,UBND-KIENHAI\n"
            "SGDDT-AG,Sở Giáo dục và Đào tạo tỉnh An Giang,department,BGDDT\n"),
            now=at("2026-03-02T08:00"))
        laison = session.exec(select(Unit).where(Unit.code == "MN-LAISON")).one()
        assert (laison.head_title, laison.place_name) == ("Hiệu trưởng", "Lại Sơn")
        assert session.get(Unit, so.id).governing_body == "ỦY BAN NHÂN DÂN TỈNH AN GIANG"
        import_units(session, parse_unit_csv(  # an empty cell: back to the kind's default
            "code,name,kind,parent,place_name,deputy_title\n"
            "MN-LAISON,Trường Mầm non Lại Sơn,school,UBND-KIENHAI,,Phó Hiệu trưởng\n"),
            now=at("2026-03-03T08:00"))
        session.refresh(laison)
        assert (laison.place_name, laison.deputy_title) == (None, "Phó Hiệu trưởng")


@pytest.mark.parametrize(("text", "field", "line", "problem"), [
    ("- code: A\n  name: Sở A\n  kind: department\n  governing_body: " + "Ủ" * 201 + "\n",
     "governing_body", 1, "longer than 200 characters"),
    ("- {code: A, name: Sở A, kind: department}\n"
     "- {code: B, name: Trường B, kind: school, parent: A, head_title: [HIỆU, TRƯỞNG]}\n",
     "head_title", 2, "expected text"),
])
def test_a_bad_document_field_names_the_field_and_the_line(text, field, line, problem):
    with pytest.raises(InvalidInput) as bad:
        parse_unit_yaml(text)
    assert (bad.value.field, bad.value.line, bad.value.problem) == (field, line, problem)


def test_cli_signs_as_asked_and_warns_on_stderr(demo, db_url, tmp_path):
    env = {"CHIDAO_DATABASE_URL": db_url, "COLUMNS": "200"}
    kt = subprocess.run([CHIDAO, "draft-urging", SO_PLAN, "--unit", "SGDDT-AG", "--signer",
                         "deputy", "--now", "2026-03-26T09:00"], capture_output=True,
                        text=True, cwd=tmp_path, timeout=60, env=env)
    assert kt.returncode == 0, kt.stderr
    lines = kt.stdout.splitlines()
    assert lines[:2] == ["ỦY BAN NHÂN DÂN TỈNH AN GIANG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"]
    assert lines[-2:] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    short = subprocess.run([CHIDAO, "draft-plan", SO_PLAN, "--unit", "UBND-PHUQUOC", "--now",
                            "2026-03-12T09:00"], capture_output=True, text=True, cwd=tmp_path,
                           timeout=60, env=env)
    assert short.returncode == 0 and "bị rút ngắn" in short.stderr
    assert "bị rút ngắn" not in short.stdout and "TM. ỦY BAN NHÂN DÂN" in short.stdout
    bad = subprocess.run([CHIDAO, "draft-plan", SO_PLAN, "--unit", "SGDDT-AG", "--signer",
                          "by-order"], capture_output=True, text=True, cwd=tmp_path,
                         timeout=60, env=env)
    assert bad.returncode == 2 and "signer-title" in bad.stderr
