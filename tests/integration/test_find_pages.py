"""The pages of issue 14's "find things" and "Vietnamese everywhere" on the directive side:
the list searched and filtered, the directive's text and files, the consolidated report's
figures in words (Có/Không, "tốt: 1, khá: 1", labels with units), units found by name; unit
names, never codes; everything scoped to what the reader may read."""

from __future__ import annotations

import re

from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.directives import Directive
from chidao.domain.units import Unit
from chidao.services.directive_documents import attach_document
from chidao.services.report_submit import Upload
from tests.integration.report_scenario import schools_report
from tests.support.cascade import at, issue_data
from tests.support.paths import CORPUS, ROOT

KIEN_HAI_PLAN = "kh-kien-hai-stem-2026"
CODES = ("MN-LAISON", "MN-HONTRE", "UBND-KIENHAI", "SGDDT-AG", "PVHXH-KIENHAI")
ENGLISH = re.compile(r"\b(submitted|returned|accepted|received|issued|queued|True|False|None)\b")
RAW_KEYS = ("so_lop", "goc_stem", "muc_do", "gv_tap_huan", "{'", "['")


def visible_text(html: str) -> str:
    """The page's words: no tags, no attribute values, no script or style."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def directive_id(engine, key: str) -> int:
    with transaction(engine) as session:
        return session.exec(select(Directive.id).where(Directive.key == key)).one()


def unit_id(engine, code: str) -> int:
    with transaction(engine) as session:
        return session.exec(select(Unit.id).where(Unit.code == code)).one()


def test_the_list_is_searched_without_accents_and_scoped(web):
    so = web.client("chuyenvien.so")
    page = so.get("/directives", params={"q": "giao duc mam non"}).text
    assert "1039/KH-SGDĐT" in page and "Kế hoạch riêng của Cà Mau" not in page
    assert "Báo cáo kết quả giáo dục STEM" not in page  # its title lacks "mầm non"
    assert "Tìm thấy 2 văn bản" in page  # the Sở's plan and Kiên Hải's
    laison = web.client("hieutruong.laison")
    assert "12/KH-MNHT" in web.client("hieutruong.hontre").get(
        "/directives", params={"q": "12/KH-MNHT"}).text
    sibling = laison.get("/directives", params={"q": "12/KH-MNHT"}).text
    assert "12/KH-MNHT" not in sibling.replace('value="12/KH-MNHT"', "")
    assert "Không tìm thấy văn bản nào phù hợp" in sibling
    odd = so.get("/directives", params={"year": "abc", "state": "x", "box": "<b>", "issuer": "-1"})
    assert odd.status_code == 200 and "1039/KH-SGDĐT" in odd.text


def test_the_boxes_incoming_and_outgoing(web):
    kienhai = web.client("chuyenvien.kienhai")
    incoming = visible_text(kienhai.get("/directives", params={"box": "den"}).text)
    outgoing = visible_text(kienhai.get("/directives", params={"box": "di"}).text)
    assert "1039/KH-SGDĐT" in incoming and "60/KH-SGDĐT" in incoming
    assert "20/KH-UBND" not in incoming and "20/KH-UBND" in outgoing
    assert "1039/KH-SGDĐT" not in outgoing
    assert 'aria-current="page">Văn bản đi' in kienhai.get("/directives?box=di").text


def test_the_directive_shows_its_text_and_opens_its_file(web, engine):
    plan = directive_id(engine, KIEN_HAI_PLAN)
    source = CORPUS / "kh-ubnd-kien-hai-stem-2026.txt"
    pdf = ROOT / "tests" / "fixtures" / "attachments" / "bien-ban.pdf"
    with transaction(engine) as session:
        for path in (source, pdf):
            attach_document(session, plan, Upload(path.name, path.read_bytes()),
                            settings=web.app.state.settings, now=at("2026-03-10T10:00"))
    laison = web.client("hieutruong.laison")
    page = laison.get(f"/directives/{plan}").text
    words = visible_text(page)
    assert "Nội dung văn bản" in words and "Trích yếu" in words
    assert "Xây dựng Kế hoạch và tổ chức thực hiện các hoạt động giáo dục STEM" in words
    assert "Trường Mầm non Lại Sơn" in words and not any(c in words for c in CODES)
    assert "xây dựng kế hoạch" in words  # the requirement's kind, in words
    links = re.findall(rf'href="(/directives/{plan}/files/\d+)">([^<]+)<', page)
    assert [name for _, name in links] == [source.name, "bien-ban.pdf"]
    assert "Xem toàn văn" in page and "Căn cứ Kế hoạch số 1039/KH-SGDĐT" in words
    assert 'id="no-units"' in page and "Nhiệm vụ của đơn vị mình" in page
    text = laison.get(links[0][0])
    assert text.status_code == 200 and text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.content == source.read_bytes()
    opened = laison.get(links[1][0])
    assert opened.headers["content-type"] == "application/pdf"
    assert opened.headers["content-disposition"].startswith("inline")
    assert opened.content == pdf.read_bytes()
    other = web.client("chuyenvien.phuquoc")  # another commune: the plan is not addressed to it
    assert other.get(links[0][0]).status_code == 404
    assert laison.get(f"/directives/{plan}/files/999").status_code == 404


def test_a_cited_directive_is_linked_only_when_the_reader_may_open_it(web, engine):
    issue_data(engine, {"number_symbol": "9/KH-SGDĐT", "issuer": "SGDDT-AG",
                        "issued_on": "2026-03-03", "title": "Việc riêng của Phú Quốc",
                        "requirements": [{"key": "r", "kind": "action", "title": "Việc",
                                          "to": {"units": ["UBND-PHUQUOC"]},
                                          "due": "2026-04-30"}]}, "2026-03-03T09:00")
    issue_data(engine, {"number_symbol": "31/KH-UBND", "issuer": "UBND-KIENHAI",
                        "issued_on": "2026-03-12", "title": "Học tập kinh nghiệm Phú Quốc",
                        "based_on": ["1039/KH-SGDĐT", "9/KH-SGDĐT"],
                        "requirements": [{"key": "r", "kind": "action", "title": "Học tập",
                                          "to": {"units": ["MN-LAISON"]},
                                          "due": "2026-04-30"}]}, "2026-03-12T09:00")
    with transaction(engine) as session:
        plan = session.exec(select(Directive.id).where(Directive.title.startswith("Học tập"))
                            ).one()
    for reader in ("hieutruong.laison", "chuyenvien.kienhai"):
        client = web.client(reader)
        page = client.get(f"/directives/{plan}").text
        cites = re.findall(r'Căn cứ: (?:<a href="(/directives/\d+)">)?([^<]+)<', page)
        # named as a document names them, never by key: "Kế hoạch số 9/KH-SGDĐT ngày …"
        assert all(text.startswith("Kế hoạch số ") for _, text in cites), cites
        assert sorted(_number(text) for _, text in cites) == ["1039/KH-SGDĐT", "9/KH-SGDĐT"]
        for href, text in cites:  # every link opens: no 404 behind a "Căn cứ"
            if href:
                assert client.get(href).status_code == 200, (reader, text)
        linked = {_number(text) for href, text in cites if href}
        # neither reads the Sở's plan for Phú Quốc (it may be cited: issued above): named only
        assert "9/KH-SGDĐT" not in linked
        assert ("1039/KH-SGDĐT" in linked) or reader != "chuyenvien.kienhai"


def test_the_report_shows_figures_in_words_with_labels_and_units(web, engine):
    schools_report(engine)
    plan = directive_id(engine, "kh-ubnd-kienhai-stem")
    page = web.client("chuyenvien.kienhai").get(f"/directives/{plan}/report").text
    words = visible_text(page)
    assert "Số lớp tổ chức hoạt động STEM (lớp)" in words
    assert "Có" in words and "Không" in words
    assert "tốt: 1, khá: 1, đạt: 1" in words  # the total row's counts per choice
    assert "Trường Mầm non Lại Sơn" in words and not any(c in words for c in CODES)
    assert not ENGLISH.search(words), ENGLISH.search(words)
    assert not any(k in words for k in RAW_KEYS)
    assert "71,76" in words  # the weighted mean, with a decimal comma
    assert "Có: 2" in words  # two schools have a góc STEM
    assert "Tình trạng" in words


def test_units_are_found_by_name_within_the_readers_subtree(web, engine):
    kienhai = web.client("chuyenvien.kienhai")
    tree = f"/units/{unit_id(engine, 'UBND-KIENHAI')}/tree"
    found = visible_text(kienhai.get(tree, params={"q": "lai son"}).text)
    assert "Trường Mầm non Lại Sơn" in found and "thuộc Ủy ban nhân dân đặc khu Kiên Hải" in found
    assert not any(c in found for c in CODES)
    by_code = visible_text(kienhai.get(tree, params={"q": "mn-honTRE"}).text)
    assert "Trường Mầm non Hòn Tre" in by_code
    phuquoc = web.client("chuyenvien.phuquoc")
    own = f"/units/{unit_id(engine, 'UBND-PHUQUOC')}/tree"
    assert "Không tìm thấy đơn vị nào" in phuquoc.get(own, params={"q": "lai son"}).text
    assert phuquoc.get(tree, params={"q": "lai son"}).status_code == 404


def test_the_next_page_keeps_the_search_and_the_tab(web, engine):
    for n in range(1, 53):
        issue_data(engine, {"number_symbol": f"{100 + n}/TB-SGDĐT", "issuer": "SGDDT-AG",
                            "issued_on": "2026-03-04", "title": f"Tập huấn đợt {n}",
                            "requirements": [{"key": "r", "kind": "action", "title": "Dự",
                                              "to": {"units": ["UBND-KIENHAI"]},
                                              "due": "2026-04-30"}]}, "2026-03-04T09:00")
    client = web.client("chuyenvien.kienhai")
    first = client.get("/directives", params={"q": "tap huan", "box": "den"}).text
    assert "Tìm thấy 50+ văn bản" in first
    next_link = re.search(r'href="\?([^"]*page=1[^"]*)">Trang sau', first)[1]
    assert "q=tap+huan" in next_link and "box=den" in next_link
    second = visible_text(client.get("/directives?" + next_link.replace("&amp;", "&")).text)
    shown = re.findall(r"\b1\d\d/TB-SGDĐT", second)
    assert len(set(shown)) == 2 and "Trang trước" in second and "1039/KH-SGDĐT" not in second


def _number(text: str) -> str:
    return re.search(r"\d+/KH-SGDĐT", text)[0]
