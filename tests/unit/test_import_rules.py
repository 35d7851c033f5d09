"""The importer's rules, each from a kind of miss seen in real directives (issue 15), and the
importer's scores on its own corpus (tests/fixtures/directives)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chidao.domain.doc_parse import parse_document
from tests.support.import_scores import (
    FIELDS,
    corpus_scores,
    documents,
    expected_of,
    field_scores,
    misses,
    overall,
)
from tests.support.paths import ROOT

SO_HEADER = ("UBND TỈNH AN GIANG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: {number}\n"
             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
             "An Giang, ngày 06 tháng 01 năm 2027\n")


def parse_txt(path: Path) -> dict:
    return parse_document(path.read_text(encoding="utf-8"))


def test_a_stray_dot_after_the_number_is_not_part_of_it():
    draft = parse_document("TRƯỜNG MẦM NON HƯNG SƠN\nSố: 20./KH-MNHgS\nKẾ HOẠCH\nViệc gì\n")
    assert (draft["number"], draft["symbol"]) == ("20", "KH-MNHgS")


def test_a_symbol_typed_with_blanks_and_an_en_dash_is_read_as_issued():
    draft = parse_document("BỘ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 4144 /GDĐT – VP\nV/v hướng dẫn\n")
    assert (draft["number"], draft["symbol"], draft["doc_type"]) == ("4144", "GDĐT-VP", "CV")


@pytest.mark.parametrize("sentence", [
    "Thực hiện Kế hoạch 403/KH-UBND ngày 02/12/2026 của Ủy ban nhân dân tỉnh về chuyển đổi số;",
    "Sở đề nghị các đơn vị thực hiện theo thông báo số 403/KH-UBND ngày 02/12/2026 của Sở.",
    "Căn cứ công văn số 403 / KH – UBND ngày 02 tháng 12 năm 2026 của UBND tỉnh,"])
def test_a_citation_without_so_in_lower_case_or_with_blanks_is_read(sentence):
    (ref,) = parse_document(sentence)["based_on"]
    assert (ref["number"], ref["symbol"], ref["date"]) == ("403", "KH-UBND", "2026-12-02")


@pytest.mark.parametrize("subject", ["V/v: tăng cường an toàn", "Về tăng cường an toàn",
                                     "Về việc tăng cường an toàn"])
def test_a_subject_after_ve_or_vv_colon_is_the_title(subject):
    draft = parse_document(SO_HEADER.format(number="1187/SGDĐT-CTTT") + subject
                           + "\ntrường học mùa mưa bão\nKính gửi: Các trường THPT.\n")
    assert draft["title"] == "tăng cường an toàn trường học mùa mưa bão"


@pytest.mark.parametrize("mark", ["(đã ký)", "Đã ký", "(Đã ký)"])
def test_the_signed_mark_is_never_the_signers_name(mark):
    draft = parse_document(f"Nơi nhận:\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n{mark}\n"
                           "Hồ Thị Ngọc Lan\n")
    assert draft["signer"]["name"] == "Hồ Thị Ngọc Lan"


def test_the_type_line_beats_a_symbol_without_a_type_code():
    draft = parse_document(SO_HEADER.format(number="12/SGDĐT-VP")
                           + "THÔNG BÁO\nLịch công tác tháng 01 năm 2027\n")
    assert (draft["doc_type"], draft["title"]) == ("TB", "Lịch công tác tháng 01 năm 2027")


def test_the_issuer_comes_from_the_body_never_from_the_signature():
    text = ("Số: 654/TB-SGDĐT\nAn Giang, ngày 20 tháng 5 năm 2026\nTHÔNG BÁO\nKết luận\n"
            "Sau khi nghe báo cáo, Sở Giáo dục và Đào tạo thông báo kết luận như sau:\n"
            "I. NỘI DUNG\n1. Làm việc.\nNơi nhận:\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n"
            "Hồ Thị Ngọc Lan\n")
    assert parse_document(text)["issuer"] == "Sở Giáo dục và Đào tạo"
    unnamed = text.replace("Sở Giáo dục và Đào tạo thông báo", "thông báo")
    assert parse_document(unnamed)["issuer"] is None
    collective = ("KẾ HOẠCH\nViệc\nNơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n"
                  "An Văn Bình\n")
    draft = parse_document(collective)
    assert draft["issuer"] is None and "issuer" in draft["missing"]


def test_unnumbered_paragraphs_opening_with_the_actor_are_the_groups():
    text = ("KẾ HOẠCH\nViệc\nIII. TỔ CHỨC THỰC HIỆN\n"
            "Hiệu trưởng chỉ đạo chung, kiểm tra việc thực hiện.\n"
            "Phó Hiệu trưởng phụ trách chuyên môn xây dựng kế hoạch theo tháng.\n"
            "Bộ phận chuyên môn: tổng hợp kết quả.\n"
            "Ban kiểm tra nội bộ thực hiện kiểm tra theo kế hoạch.\n"
            "Chi đoàn giáo viên phối hợp tổ chức các hoạt động.\n"
            "Báo cáo kết quả hằng tháng.\n"
            "UBND các xã, phường chỉ đạo các trường trên địa bàn.\n")
    groups = parse_document(text)["assignee_groups"]
    assert [(g["name"], len(g["tasks"])) for g in groups] == [
        ("Hiệu trưởng", 1), ("Phó Hiệu trưởng phụ trách chuyên môn", 1),
        ("Bộ phận chuyên môn", 1), ("Ban kiểm tra nội bộ", 1), ("Chi đoàn giáo viên", 2),
        ("UBND các xã, phường", 1)]


def test_the_addressees_of_a_cong_van_are_the_ones_who_act():
    text = (SO_HEADER.format(number="1187/SGDĐT-CTTT") + "V/v an toàn trường học\n"
            "Kính gửi:\n- Ủy ban nhân dân các xã, phường;\n- Các trường THPT.\n"
            "Sở đề nghị các đơn vị thực hiện:\n1. Rà soát cơ sở vật chất.\n"
            "2. Báo cáo trước ngày 30/11/2026.\nNơi nhận:\n- Như trên;\n")
    groups = parse_document(text)["assignee_groups"]
    assert [(g["name"], [t["text"] for t in g["tasks"]]) for g in groups] == [
        (name, ["Rà soát cơ sở vật chất.", "Báo cáo trước ngày 30/11/2026."])
        for name in ("Ủy ban nhân dân các xã, phường", "Các trường THPT")]


def test_a_title_stops_at_the_quoc_hieu_and_keeps_its_third_line():
    columns = ("UBND TỈNH AN GIANG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 1187/SGDĐT-CTTT\n"
               "V/v tăng cường công tác\nbảo đảm an toàn\ntrường học mùa mưa bão\n"
               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
               "An Giang, ngày 09 tháng 6 năm 2026\nKính gửi: Các trường.\n")
    draft = parse_document(columns)
    assert draft["title"] == "tăng cường công tác bảo đảm an toàn trường học mùa mưa bão"
    assert (draft["place"], draft["governing_body"]) == ("An Giang", "UBND TỈNH AN GIANG")


def test_a_header_typed_side_by_side_is_read_column_by_column():
    text = ("ỦY BAN NHÂN DÂN TỈNH AN GIANG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO\t\tĐộc lập - Tự do - Hạnh phúc\n\n"
            "Số: 12/SGDĐT-VP\t\tAn Giang, ngày 06 tháng 01 năm 2027\n"
            "\t\t\t\tTHÔNG BÁO\nLịch công tác tháng 01\n")
    draft = parse_document(text)
    assert (draft["governing_body"], draft["issuer"], draft["number"], draft["symbol"],
            draft["place"], draft["issued_on"], draft["doc_type"], draft["title"]) == (
        "ỦY BAN NHÂN DÂN TỈNH AN GIANG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "12", "SGDĐT-VP",
        "An Giang", {"day": 6, "month": 1, "year": 2027}, "TB", "Lịch công tác tháng 01")
    assert (draft["lines"]["issuer"], draft["lines"]["place"], draft["lines"]["title"]) == (
        2, 4, 6)


def test_every_field_found_keeps_its_line_and_nothing_missing_is_invented():
    path = next(p for p in documents() if p.name.startswith("tb-sgddt-ket-luan"))
    draft = parse_txt(path)
    source = path.read_text(encoding="utf-8").splitlines()

    def at(field: str) -> str:
        return source[draft["lines"][field] - 1]

    assert draft["governing_body"] is None  # no line above "Số:": none invented
    assert "governing_body" not in draft["lines"]
    assert draft["symbol"] in at("number") and at("doc_type") == "THÔNG BÁO"
    assert at("issuer").startswith("Ngày 18/5/2026") and "Sở Giáo dục" in at("issuer")
    assert at("place").startswith(draft["place"]) and at("title") == draft["title"]
    assert "2025-2026" in at("school_year")
    assert at("signer") == "KT. GIÁM ĐỐC"
    for field in ("assignee_groups", "deadlines", "recipients"):
        assert draft["lines"][field] == draft[field][0]["line"]
        for item in draft[field]:
            text = item.get("name") or item["text"]
            assert text.split()[0] in source[item["line"] - 1], (field, item)


def test_the_corpus_is_big_and_varied_enough():
    paths = documents()
    assert len(paths) >= 14
    kinds = {expected_of(p)["doc_type"] for p in paths}
    assert {"KH", "CV", "TB", "HD"} <= kinds


def test_a_field_counts_right_only_when_exactly_right():
    path = documents()[0]
    draft, expected = parse_txt(path), expected_of(path)
    assert all(field_scores(draft, expected).values())
    draft["recipients"] = draft["recipients"][:-1]
    draft["title"] += " năm"
    scores = field_scores(draft, expected)
    assert not scores["recipients"] and not scores["title"] and scores["number"]


def test_the_importer_reads_95_percent_of_every_field_of_its_corpus():
    scores = corpus_scores(parse_txt)
    wrong = misses(parse_txt)
    for field in FIELDS:
        right, total = scores[field]
        assert right >= 0.95 * total, (field, [m for m in wrong if m[1] == field])
    assert overall(scores) >= 0.95


def test_columns_run_together_by_one_blank_as_a_pdf_gives_them():
    text = ("ỦY BAN NHÂN DÂN TỈNH AN GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc\n"
            "Số: 4144 /SGDĐT – VP An Giang, ngày 06 tháng 01 năm 2027\n"
            "V/v tăng cường công tác\nan toàn trường học\nKính gửi: Các trường THPT.\n"
            "Căn cứ Kế hoạch 403/KH-UBND ngày 02/12/2026 của UBND tỉnh.\n"
            "Nơi nhận: KT. GIÁM ĐỐC\n- Như trên; PHÓ GIÁM ĐỐC\n- UBND tỉnh (b/c);\n"
            "- Lưu: VT. (Đã ký)\nNguyễn Văn An\n")
    draft = parse_document(text)
    assert (draft["governing_body"], draft["issuer"], draft["number"], draft["symbol"],
            draft["place"], draft["title"]) == (
        "ỦY BAN NHÂN DÂN TỈNH AN GIANG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "4144", "SGDĐT-VP",
        "An Giang", "tăng cường công tác an toàn trường học")
    assert [(r["name"], r["purpose"]) for r in draft["recipients"]] == [
        ("Như trên", "như trên"), ("UBND tỉnh", "báo cáo"), ("Lưu: VT", "lưu")]
    assert draft["signer"] == {"authority": "KT. GIÁM ĐỐC", "position": "PHÓ GIÁM ĐỐC",
                               "name": "Nguyễn Văn An", "line": 8}


def test_the_bench_prints_the_scores_as_its_last_line():
    done = subprocess.run([sys.executable, "-m", "bench.importer_accuracy"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(last["txt"]["fields"]) == set(FIELDS)
    assert last["txt"]["documents"] == len(documents())
    assert last["txt"]["overall"] == round(overall(corpus_scores(parse_txt)), 4)


def test_a_title_typed_in_capitals_keeps_all_its_lines():
    draft = parse_document("TRƯỜNG MẦM NON BÌNH AN\nSố: 09/KH-MNBA\nKẾ HOẠCH\n"
                           "TỔ CHỨC HỘI THI BÉ KHỎE BÉ NGOAN\nNĂM HỌC 2025-2026\n"
                           "Căn cứ tình hình thực tế của trường.\n")
    assert draft["title"] == "TỔ CHỨC HỘI THI BÉ KHỎE BÉ NGOAN NĂM HỌC 2025-2026"
    assert draft["school_year"] == "2025-2026"


def test_the_yaml_draft_cites_with_the_date_so_issuing_links_the_right_year():
    from chidao.services.doc_import import draft_yaml

    path = next(p for p in documents() if p.name.startswith("kh-sgddt-chuyen-doi-so"))
    written = yaml.safe_load(draft_yaml(parse_txt(path)))
    assert written["based_on"] == ["403/KH-UBND ngày 02/12/2026", "5120/BGDĐT-CNTT ngày 20/09/2026"]


AGENCY, NATIONAL = "UBND TỈNH AN GIANG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n", (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n")
NUMBER, SUBJECT = "Số: 1187/SGDĐT-CTTT\n", "V/v tăng cường an toàn\ntrường học mùa mưa bão\n"
DATED = "An Giang, ngày 09 tháng 6 năm 2026\n"


@pytest.mark.parametrize("header", [
    AGENCY + NUMBER + SUBJECT + NATIONAL + DATED,  # a one-row table or a PDF, column by column
    AGENCY + NATIONAL + NUMBER + SUBJECT + DATED,  # a two-row table, row by row
    NATIONAL + AGENCY + NUMBER + DATED + SUBJECT,  # stacked, Quốc hiệu first
    AGENCY + NUMBER + DATED + SUBJECT,  # reading order, no Quốc hiệu
])
def test_the_header_reads_the_same_in_any_order(header):
    draft = parse_document(header + "Kính gửi: Các trường THPT.\nCăn cứ tình hình thực tế.\n")
    assert (draft["governing_body"], draft["issuer"], draft["number"], draft["symbol"],
            draft["place"], draft["title"], draft["doc_type"]) == (
        "UBND TỈNH AN GIANG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "1187", "SGDĐT-CTTT", "An Giang",
        "tăng cường an toàn trường học mùa mưa bão", "CV")


def test_a_header_copied_as_a_table_with_bars_is_read_by_cells():
    text = ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
            "XÃ TÂN HIỆP | Độc lập - Tự do - Hạnh phúc |\n"
            "Số: 58/KH-UBND | Tân Hiệp, ngày 14 tháng 8 năm 2025 |\n"
            "KẾ HOẠCH\nDuy trì phổ cập giáo dục\nCăn cứ tình hình thực tế.\n")
    draft = parse_document(text)
    assert (draft["issuer"], draft["number"], draft["place"], draft["title"]) == (
        "ỦY BAN NHÂN DÂN XÃ TÂN HIỆP", "58", "Tân Hiệp", "Duy trì phổ cập giáo dục")


def test_a_document_cited_in_the_subject_and_the_body_is_one_reference():
    text = (SO_HEADER.format(number="/SGDĐT") + "V/v đôn đốc thực hiện Kế hoạch số 1039/KH-SGDĐT\n"
            "Kính gửi: UBND phường Rạch Giá.\n"
            "Thực hiện Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026 của Sở về giáo dục STEM, Sở đề"
            " nghị:\n")
    (ref,) = parse_document(text)["based_on"]
    assert (ref["number"], ref["date"], ref["line"]) == ("1039", "2026-02-26", 9)
