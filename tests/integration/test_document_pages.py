"""The documents a unit signs, on the web (chidao.web.pages_documents): who sees and who edits
a unit's "Thông tin trên văn bản" (its own head, an admin above; a sibling or a school gets the
404 of the rest of the site), every problem of the form named in Vietnamese with nothing
stored, NFC on input; the draft plan a run asks of the unit and the urging letter to its late
subordinates, downloaded as .docx that python-docx opens, with the issuer in it."""

import io
import re
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.units import Unit
from chidao.services.accounts import add_user
from tests.support.cascade import at, runs
from tests.web_fixtures import PASSWORD, csrf_of

KH_1039 = "2026:1039/KH-SGDĐT"
KH_KIENHAI = "kh-kien-hai-stem-2026"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIELDS = ("governing_body", "header_name", "place_name", "collective_name", "head_title",
          "deputy_title")


def unit_row(engine, code: str) -> Unit:
    with transaction(engine) as session:
        return session.exec(select(Unit).where(Unit.code == code)).one()


def document_fields(engine, code: str) -> dict[str, str | None]:
    unit = unit_row(engine, code)
    return {name: getattr(unit, name) for name in FIELDS}


@pytest.fixture
def admin_so(web, engine):
    """An admin of the Sở (above Kiên Hải): may edit its units' document fields."""
    with transaction(engine) as session:
        add_user(session, username="quantri.so", full_name="Quản trị Sở", unit_code="SGDDT-AG",
                 role="admin", password=PASSWORD, now=at("2026-03-01T08:00"))
    return "quantri.so"


def save(client, unit_id: int, **typed: str):
    page = client.get(f"/units/{unit_id}/van-ban")
    form = dict.fromkeys(FIELDS, "") | typed
    return client.post(f"/units/{unit_id}/van-ban", data={"csrf": csrf_of(page.text), **form},
                       follow_redirects=False)


@pytest.mark.parametrize(("username", "sees", "edits"), [
    ("chuyenvien.kienhai", True, True),  # the unit's own head
    ("quantri.so", True, True),  # an admin of the Sở above it
    ("chuyenvien.so", True, False),  # a head above it: reads, does not edit
    ("nhanvien.kienhai", True, False),  # the unit's own staff
    ("chuyenvien.phuquoc", False, False),  # a sibling commune
    ("hieutruong.hontre", False, False),  # a school below it
])
def test_who_sees_and_who_edits_a_units_document_fields(web, engine, admin_so, username,
                                                          sees, edits):
    kienhai = unit_row(engine, "UBND-KIENHAI").id
    before = document_fields(engine, "UBND-KIENHAI")
    client = web.client(username)
    page = client.get(f"/units/{kienhai}/van-ban")
    assert page.status_code == (200 if sees else 404), page.text[:300]
    if not sees:
        assert "Ủy ban nhân dân đặc khu Kiên Hải" not in page.text
        # the form's POST answers the same 404 (the token is the user's own, from another page)
        token = csrf_of(client.get("/account").text)
        refused = client.post(f"/units/{kienhai}/van-ban",
                              data={"csrf": token, "place_name": "Nơi khác"})
        assert refused.status_code == 404
        assert document_fields(engine, "UBND-KIENHAI") == before
        return
    assert (f'action="/units/{kienhai}/van-ban"' in page.text) is edits
    response = save(client, kienhai, place_name="Hòn Tre")
    if edits:
        assert response.status_code == 303
        assert document_fields(engine, "UBND-KIENHAI")["place_name"] == "Hòn Tre"
        shown = client.get(response.headers["location"]).text
        assert "Đã lưu thông tin trên văn bản: địa danh." in shown
        assert 'value="Hòn Tre"' in shown
    else:
        assert response.status_code == 403
        assert document_fields(engine, "UBND-KIENHAI") == before


def test_a_school_edits_its_own_and_the_form_keeps_nothing_half_written(web, engine):
    hontre = unit_row(engine, "MN-HONTRE").id
    client = web.client("hieutruong.hontre")
    assert save(client, hontre, head_title="Hiệu trưởng",
                deputy_title="Phó Hiệu trưởng").status_code == 303
    before = document_fields(engine, "MN-HONTRE")
    assert before["head_title"] == "Hiệu trưởng" and before["governing_body"] is None
    too_long = "Ủy ban nhân dân " * 13  # 208 characters
    refused = save(client, hontre, governing_body=too_long, place_name="Hòn\x00Tre",
                   head_title="Hiệu trưởng mới")
    assert refused.status_code == 422
    assert "Chưa gửi được: 2 lỗi cần sửa" in refused.text
    assert re.search(r'href="#f-governing_body">Cơ quan chủ quản</a>: dài 207 ký tự, tối đa'
                     r' 200 ký tự', refused.text), refused.text
    assert 'href="#f-place_name">Địa danh</a>: chứa ký tự NUL' in refused.text
    assert 'value="Hiệu trưởng mới"' in refused.text  # what was typed, kept to correct
    assert 'aria-invalid="true"' in refused.text
    assert document_fields(engine, "MN-HONTRE") == before  # nothing stored, not even the title


def test_input_is_nfc_blanks_collapsed_and_empty_means_the_default(web, engine):
    kienhai = unit_row(engine, "UBND-KIENHAI").id
    client = web.client("chuyenvien.kienhai")
    decomposed = unicodedata.normalize("NFD", " Hòn  Trẻ ")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    # 200 characters once composed (more code points as typed): accepted
    long_nfd = unicodedata.normalize("NFD", "Ủ" * 200)
    assert len(long_nfd) > 200
    assert save(client, kienhai, place_name=decomposed, header_name="  ",
                collective_name=long_nfd).status_code == 303
    stored = document_fields(engine, "UBND-KIENHAI")
    assert stored["place_name"] == "Hòn Trẻ" == unicodedata.normalize("NFC", "Hòn Trẻ")
    assert stored["collective_name"] == "Ủ" * 200
    assert stored["header_name"] is None and stored["governing_body"] is None
    assert save(client, kienhai, place_name="").status_code == 303
    assert document_fields(engine, "UBND-KIENHAI")["place_name"] is None


def test_a_form_without_its_token_is_refused(web, engine):
    kienhai = unit_row(engine, "UBND-KIENHAI").id
    before = document_fields(engine, "UBND-KIENHAI")
    client = web.client("chuyenvien.kienhai")
    response = client.post(f"/units/{kienhai}/van-ban", data={"place_name": "X"})
    assert response.status_code == 403
    assert document_fields(engine, "UBND-KIENHAI") == before


def docx_text(data: bytes) -> str:
    """Every paragraph's text, in the body and in tables (the NĐ 30 header is a table)."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def disposition_names(header: str) -> tuple[str, str]:
    ascii_name = re.search(r'filename="([^"]+)"', header)[1]
    utf8 = re.search(r"filename\*=UTF-8''(\S+)", header)[1]
    return ascii_name, unquote(utf8)


def test_the_unit_that_owes_a_plan_downloads_its_draft(web, engine):
    plan = runs(engine, KH_1039)[("UBND-KIENHAI", "ke-hoach-trien-khai", "")]
    client = web.client("chuyenvien.kienhai")
    page = client.get(f"/assignments/{plan.id}").text
    assert f'href="/assignments/{plan.id}/du-thao-ke-hoach.docx"' in page
    assert "Dự thảo kế hoạch (.docx)" in page and "Xem trước" in page
    left_before = set(Path(tempfile.gettempdir()).glob("chidao-docx-*"))
    response = client.get(f"/assignments/{plan.id}/du-thao-ke-hoach.docx")
    assert response.status_code == 200
    assert set(Path(tempfile.gettempdir()).glob("chidao-docx-*")) == left_before  # removed
    assert response.headers["content-type"] == DOCX
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert disposition_names(disposition) == ("Du-thao-KH-UBND-KIENHAI.docx",
                                              "Dự-thảo-KH-UBND-KIENHAI.docx")
    text = docx_text(response.content)
    assert "ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI" in text and "KẾ HOẠCH" in text
    assert "1039/KH-SGDĐT" in text
    preview = client.get(f"/assignments/{plan.id}/du-thao-ke-hoach")
    assert preview.status_code == 200
    assert 'id="document-preview"' in preview.text and "srcdoc=" in preview.text
    # the document, escaped into srcdoc; its lines break where NĐ 30 wants (<br>)
    squeezed = re.sub(r"\s+|&lt;br&gt;", "", preview.text)
    assert "ỦYBANNHÂNDÂNĐẶCKHUKIÊNHẢI" in squeezed


def test_no_draft_where_no_plan_is_owed_or_for_another_unit(web, engine):
    kienhai = runs(engine, KH_1039)
    plan = kienhai[("UBND-KIENHAI", "ke-hoach-trien-khai", "")]
    report = kienhai[("UBND-KIENHAI", "bao-cao-ket-qua", "")]
    own = web.client("chuyenvien.kienhai")
    assert "du-thao-ke-hoach" not in own.get(f"/assignments/{report.id}").text
    assert own.get(f"/assignments/{report.id}/du-thao-ke-hoach.docx").status_code == 404
    issuer = web.client("chuyenvien.so")  # reads the run (it issued it), drafts nothing for it
    assert issuer.get(f"/assignments/{plan.id}").status_code == 200
    assert "du-thao-ke-hoach" not in issuer.get(f"/assignments/{plan.id}").text
    for username in ("chuyenvien.so", "chuyenvien.phuquoc", "hieutruong.hontre"):
        client = web.client(username)
        for suffix in ("", ".docx"):
            assert client.get(f"/assignments/{plan.id}/du-thao-ke-hoach{suffix}"
                              ).status_code == 404, (username, suffix)


def test_the_urging_letter_to_late_subordinates(web, engine):
    """On the real clock (after every deadline of the fixtures) Kiên Hải's schools are late
    with their plans under Kiên Hải's own plan, a member of 1039's family."""
    top = runs(engine, KH_1039)[("UBND-KIENHAI", "ke-hoach-trien-khai", "")].directive_id
    own = runs(engine, KH_KIENHAI)[("MN-ANSON", "mn-ke-hoach", "")].directive_id
    client = web.client("chuyenvien.kienhai")
    cascade = client.get(f"/directives/{top}/cascade").text
    assert f'href="/directives/{own}/cong-van-don-doc.docx"' in cascade
    assert "Công văn đôn đốc (.docx)" in cascade
    response = client.get(f"/directives/{own}/cong-van-don-doc.docx")
    assert response.status_code == 200 and response.headers["content-type"] == DOCX
    assert disposition_names(response.headers["content-disposition"]) == (
        "Cong-van-don-doc-UBND-KIENHAI.docx", "Công-văn-đôn-đốc-UBND-KIENHAI.docx")
    text = docx_text(response.content)
    assert "ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI" in text and "Trường Mầm non An Sơn" in text
    assert client.get(f"/directives/{own}/cong-van-don-doc").status_code == 200
    # the Sở drilled down to Kiên Hải: not its letter to write
    so = web.client("chuyenvien.so")
    kienhai = unit_row(engine, "UBND-KIENHAI").id
    assert "cong-van-don-doc" not in so.get(f"/directives/{top}/cascade?unit={kienhai}").text
    assert so.get(f"/directives/{own}/cong-van-don-doc.docx").status_code == 404
    # a school with no unit below it, and a sibling commune: nothing to urge, or not theirs
    for username in ("hieutruong.laison", "chuyenvien.phuquoc"):
        assert web.client(username).get(
            f"/directives/{own}/cong-van-don-doc.docx").status_code == 404, username
