"""Issuing through the web without YAML (the form, a document imported into it, the YAML page's
example) and gia hạn by unit name: real SQLite, the app in process (TestClient)."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from chidao.db.database import reading
from chidao.domain.assignments import Assignment
from chidao.domain.directives import Directive, Requirement
from chidao.services.doc_import import read_document
from tests.support.cascade import runs
from tests.support.paths import CORPUS, ROOT
from tests.web_fixtures import csrf_of

FIXTURES = ROOT / "tests" / "fixtures" / "documents"


def directive_count(engine) -> int:
    with reading(engine) as session:
        return session.execute(select(func.count()).select_from(Directive)).scalar_one()


def unescaped(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def test_the_form_issues_a_directive_to_units_picked_three_ways(web, engine):
    client = web.client("chuyenvien.so")
    page = client.get("/directives/new").text
    assert "Nhập YAML (nâng cao)" in page and 'name="file"' in page
    assert "Ủy ban nhân dân đặc khu Phú Quốc" in page  # the subtree, by name
    cited = runs(engine, "2026:1039/KH-SGDĐT")[("UBND-KIENHAI", "ke-hoach-trien-khai", "")]
    answer = web.client("chuyenvien.kienhai").get(
        f"/directives/new?based_on={cited.directive_id}").text  # "Ban hành văn bản triển khai"
    assert f'<option value="{cited.directive_id}" selected>1039/KH-SGDĐT' in answer
    response = client.post("/directives", data={
        "csrf": csrf_of(page), "number_symbol": "150/KH-SGDĐT", "issued_on": "02/11/2026",
        "doc_type": "KH", "title": "Kiểm tra cơ sở vật chất trước mùa mưa bão",
        "req-0-title": "Tự kiểm tra phòng học", "req-0-kind": "action",
        "req-0-who": "children", "req-0-due": "20/11/2026",
        "req-1-title": "Các trường báo cáo", "req-1-kind": "report", "req-1-who": "kind",
        "req-1-unit_kind": "school", "req-1-due": "27/11/2026",
        "req-2-title": "Kế hoạch riêng", "req-2-kind": "plan", "req-2-who": "units",
        "req-2-units": ["UBND-PHUQUOC", "MN-HONTRE"], "req-2-due": "30/11/2026",
    }, follow_redirects=False)
    assert response.status_code == 303, unescaped(response.text)[-3000:]
    shown = client.get(response.headers["location"]).text
    with reading(engine) as session:
        directive = session.execute(select(Directive).where(
            Directive.number == "150", Directive.symbol == "KH-SGDĐT")).scalar_one()
        reqs = {r.key: r for r in session.execute(select(Requirement).where(
            Requirement.directive_id == directive.id)).scalars()}
        units = session.execute(select(func.count(Assignment.unit_id.distinct())).where(
            Assignment.directive_id == directive.id)).scalar_one()
    assert f"Đã ban hành 150/KH-SGDĐT, giao {units} đơn vị." in unescaped(shown)
    assert reqs["nv-2"].target == {"descendants": {"kind": ["school"]}}
    assert reqs["nv-3"].target == {"units": ["UBND-PHUQUOC", "MN-HONTRE"]}
    assert reqs["nv-1"].due == {"date": "2026-11-20"} and reqs["nv-1"].kind == "action"
    placed = runs(engine, directive.key)
    assert placed[("MN-HONTRE", "nv-3", "")].due_on == date(2026, 11, 30)
    assert placed[("MN-LAISON", "nv-2", "")].due_on == date(2026, 11, 27)


def test_every_error_is_listed_at_once_next_to_its_field_and_what_was_typed_stays(web, engine):
    client = web.client("chuyenvien.so")
    before = directive_count(engine)
    response = client.post("/directives", data={
        "csrf": csrf_of(client.get("/directives/new").text), "number_symbol": "/KH-SGDĐT",
        "issued_on": "31/02/2026", "doc_type": "KH", "title": "",
        "req-0-title": "Việc có hạn vào Chủ nhật", "req-0-kind": "action", "req-0-who": "units",
        "req-0-due": "29/11/2026"})
    assert response.status_code == 422
    page = unescaped(response.text)
    assert "5 chỗ cần sửa" in page
    for problem in ("Thiếu số văn bản", "Ngày «31/02/2026» không có thật",
                    "Nhập trích yếu", "Chọn ít nhất một đơn vị",
                    "Ngày 29/11/2026 là ngày nghỉ (Chủ nhật)"):
        assert page.count(problem) == 2, problem  # in the summary and next to its field
    assert 'value="31/02/2026"' in page and "Việc có hạn vào Chủ nhật" in page
    assert 'class="site-header"' in page  # in the layout
    assert directive_count(engine) == before


def test_a_number_already_used_this_year_is_a_field_error(web):
    client = web.client("chuyenvien.so")
    response = client.post("/directives", data={
        "csrf": csrf_of(client.get("/directives/new").text), "number_symbol": "1039/KH-SGDĐT",
        "issued_on": "03/03/2026", "doc_type": "KH", "title": "Trùng số",
        "req-0-title": "x", "req-0-kind": "action", "req-0-who": "children",
        "req-0-due": "31/03/2026"})
    assert response.status_code == 422
    assert "Số 1039 năm 2026 đã dùng cho 1039/KH-SGDĐT ngày 26/02/2026" in \
        unescaped(response.text)


def docx_of(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_an_imported_corpus_file_prefills_the_form_then_issues(web, engine, kind):
    """Kiên Hải imports its own plan (number and day blank in the source), fills them in.
    The .docx is written from the corpus text by python-docx; the .pdf was printed from it
    by Chromium (A4, DejaVu Serif), so its lines wrap as a real PDF's do."""
    source = (CORPUS / "kh-ubnd-kien-hai-stem-2026.txt").read_text(encoding="utf-8")
    name, data = {"txt": ("kh.txt", source.encode()), "docx": ("kh.docx", docx_of(source)),
                  "pdf": ("kh.pdf", (FIXTURES / "kh-ubnd-kien-hai-stem-2026.pdf").read_bytes())
                  }[kind]
    client = web.client("chuyenvien.kienhai")
    response = client.post("/directives/import", data={
        "csrf": csrf_of(client.get("/directives/new").text)}, files={"file": (name, data)})
    assert response.status_code == 200, unescaped(response.text)[-2000:]
    page = unescaped(response.text)
    assert f"Bản nháp đọc từ tệp «{name}»" in page
    # a PDF's lines are the reader's (wrapped lines joined): the Căn cứ is where it put it
    line = 13 if kind != "pdf" else 1 + next(
        i for i, text in enumerate(read_document(
            FIXTURES / "kh-ubnd-kien-hai-stem-2026.pdf").splitlines()) if text.startswith("Căn cứ"))
    assert f"từ dòng {line}: Căn cứ Kế hoạch số 1039/KH-SGDĐT" in page
    assert re.search(r'<option value="\d+" selected>1039/KH-SGDĐT ngày 26/02/2026', page)
    assert 'value="/KH-UBND"' in page and "Triển khai thực hiện giáo dục STEM" in page
    # "báo cáo tổng kết năm học" (line 56): the Ministry's 30/06/2026 less the level's lead,
    # the Phòng 5 working days (23/06), the schools 10 (16/06)
    assert 'value="23/06/2026"' in page and 'value="16/06/2026"' in page
    fields = form_fields(response.text) | {"number_symbol": "45/KH-UBND",
                                           "issued_on": "12/03/2026", "action": "issue"}
    issued = client.post("/directives", data=fields, follow_redirects=False)
    assert issued.status_code == 303, unescaped(issued.text)[-3000:]
    shown = unescaped(client.get(issued.headers["location"]).text)
    assert "Đã ban hành 45/KH-UBND, giao 5 đơn vị." in shown  # the office and four schools
    # the Căn cứ as a document writes it
    assert ("Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026 của Sở Giáo dục và Đào tạo tỉnh An"
            " Giang</a>") in shown
    # the imported document is kept as the directive's own file: it opens, the same bytes
    links = re.findall(r'href="(/directives/\d+/files/\d+)"', shown)
    assert len(links) == 1, shown[-3000:]
    assert client.get(links[0]).content == data
    # its token is spent: the same form posted again (a new number) attaches nothing
    again = client.post("/directives", data=fields | {"number_symbol": "46/KH-UBND"},
                        follow_redirects=False)
    assert again.status_code == 303
    assert not re.findall(r'href="(/directives/\d+/files/\d+)"',
                          client.get(again.headers["location"]).text)


def form_fields(page: str) -> dict[str, str | list[str]]:
    """What a browser would post from the issuing form as shown (inputs, checked boxes and
    radios, selected options, textareas)."""
    form = page[page.index('<form method="post" action="/directives" id="issue-form">'):]
    form = form[:form.index("</form>")]
    fields: dict[str, str | list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind[1] in ("checkbox", "radio") and " checked" not in tag):
            continue
        value = html.unescape(re.search(r'value="([^"]*)"', tag)[1])
        if kind and kind[1] == "checkbox":
            fields.setdefault(name[1], [])
            fields[name[1]].append(value)  # type: ignore[union-attr]
        else:
            fields[name[1]] = value
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = html.unescape(body)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = html.unescape(chosen[1]) if chosen else \
            html.unescape(re.search(r'<option value="([^"]*)"', body)[1])
    return fields


def test_a_file_that_is_not_a_directive_comes_back_as_a_field_error(web):
    client = web.client("chuyenvien.so")
    csrf = csrf_of(client.get("/directives/new").text)
    for name, data in (("anh.png", b"\x89PNG\r\n"), ("thu.txt", "Chào anh".encode())):
        response = client.post("/directives/import", data={"csrf": csrf},
                               files={"file": (name, data)})
        assert response.status_code == 422
        assert f"«{name}»" in unescaped(response.text)  # the problem names the file


def test_the_yaml_pages_example_issues_when_pasted(web, engine):
    client = web.client("chuyenvien.kienhai")
    page = client.get("/directives/new/yaml").text
    example = html.unescape(re.search(r'<pre class="yaml-example" id="yaml-example">(.*?)</pre>',
                                      page, re.S)[1])
    assert 'label: Khó khăn, vướng mắc' in example
    response = client.post("/directives", data={"csrf": csrf_of(page), "yaml": example},
                           follow_redirects=False)
    assert response.status_code == 303, unescaped(response.text)[-2000:]
    number = re.search(r"number_symbol: (\S+)", example)[1]
    assert f"Đã ban hành {number}, giao" in unescaped(client.get(response.headers["location"]).text)
    again = client.get("/directives/new/yaml").text  # the next example takes the next number
    assert re.search(r"number_symbol: (\d+)/", html.unescape(again))[1] != \
        re.search(r"number_symbol: (\d+)/", example)[1]


def test_gia_han_picks_the_unit_by_name_and_confirms(web, engine):
    key = "2026:1039/KH-SGDĐT"
    before = runs(engine, key)
    directive_id = next(iter(before.values())).directive_id
    client = web.client("chuyenvien.so")
    page = client.get(f"/directives/{directive_id}/extend").text
    assert '<option value="Ủy ban nhân dân đặc khu Phú Quốc">' in page
    response = client.post(f"/directives/{directive_id}/extend", data={
        "csrf": csrf_of(page), "requirement": "ke-hoach-trien-khai", "subtree": "Phú Quốc",
        "new_due": "10/04/2026", "reason": "Đặc khu xin lùi hạn"}, follow_redirects=False)
    assert response.status_code == 303, unescaped(response.text)[-2000:]
    assert "Đã gia hạn «Xây dựng Kế hoạch triển khai thực hiện giáo dục STEM trong GDMN của" \
           " địa phương» đến 10/04/2026 cho 1 đơn vị thuộc Ủy ban nhân dân đặc khu Phú Quốc." \
           in unescaped(client.get(response.headers["location"]).text)
    after = runs(engine, key)
    assert after[("UBND-PHUQUOC", "ke-hoach-trien-khai", "")].due_on == date(2026, 4, 10)
    assert after[("UBND-KIENHAI", "ke-hoach-trien-khai", "")].due_on == \
        before[("UBND-KIENHAI", "ke-hoach-trien-khai", "")].due_on


def test_gia_han_with_31_02_lists_every_error_in_vietnamese_and_keeps_the_input(web, engine):
    key = "2026:1039/KH-SGDĐT"
    before = runs(engine, key)
    directive_id = next(iter(before.values())).directive_id
    client = web.client("chuyenvien.so")
    response = client.post(f"/directives/{directive_id}/extend", data={
        "csrf": csrf_of(client.get(f"/directives/{directive_id}/extend").text),
        "requirement": "ke-hoach-trien-khai", "subtree": "Cà Mau", "new_due": "31/02/2026",
        "reason": ""})
    assert response.status_code == 422
    page = unescaped(response.text)
    assert "Chưa gia hạn: 3 chỗ cần sửa." in page
    assert "Hạn mới: Ngày «31/02/2026» không có thật hoặc không đúng dạng dd/mm/yyyy." in page
    assert "Đơn vị: Không có đơn vị nào tên «Cà Mau» trong danh sách." in page
    assert "Lý do: Nhập lý do gia hạn." in page
    assert 'value="31/02/2026"' in page and 'value="Cà Mau"' in page
    assert runs(engine, key) == before


def test_a_report_form_outside_the_cited_lineage_is_a_field_error(web, engine):
    """The forms offered are those of the unit and the units above it; one only resolves
    through the directive's Căn cứ, so without it the form comes back with the field named."""
    client = web.client("chuyenvien.kienhai")
    page = client.get("/directives/new").text
    offered = re.findall(r'<option value="([^"]+@\d+)">', page)
    assert offered, "no report form offered"
    before = directive_count(engine)
    response = client.post("/directives", data={
        "csrf": csrf_of(page), "number_symbol": "46/KH-UBND", "issued_on": "12/03/2026",
        "doc_type": "KH", "title": "Báo cáo theo mẫu của Sở",
        "req-0-title": "Các trường báo cáo", "req-0-kind": "report", "req-0-who": "kind",
        "req-0-unit_kind": "school", "req-0-due": "31/03/2026", "req-0-form": offered[0]})
    assert response.status_code == 422
    page = unescaped(response.text)
    assert "Nhiệm vụ 1 – mẫu báo cáo</a>: Mẫu báo cáo này không thuộc văn bản được chọn làm" \
           " Căn cứ" in page
    assert directive_count(engine) == before  # the savepoint rolled the directive back


def test_an_upload_over_the_limit_is_refused_on_the_form_before_it_is_read(web):
    client = web.client("chuyenvien.so")
    csrf = csrf_of(client.get("/directives/new").text)
    limit = web.app.state.settings.attachment_max_bytes
    response = client.post("/directives/import", data={"csrf": csrf},
                           files={"file": ("to.txt", b"a" * (limit + 1))})
    assert response.status_code == 413
    assert "Tệp quá lớn hoặc không đọc được" in unescaped(response.text)
    assert 'class="site-header"' in response.text  # the issuing page, in the layout
