"""Each hostile input of issue 12 (items 4 and 5) as a named case: refused with a message that
names the field, in bounded time, with nothing written; never a 500 or a traceback."""

import time

import pytest

from tests.integration.hostile_inputs import directive_yaml, laughs, post_form, zip_bomb_docx
from tests.integration.report_scenario import school_run
from tests.support.cascade import seed_units, snapshot
from tests.support.cli import chidao, refused

BIG = 2**63


def issue(web, text: str):
    return post_form(web.client("chuyenvien.kienhai"), "/directives", "/directives/new",
                     {"yaml": text})


def refused_page(response, *needles: str) -> str:
    assert response.status_code == 422, (response.status_code, response.text[:2000])
    assert "Traceback" not in response.text
    for needle in needles:
        assert needle in response.text, response.text[:3000]
    return response.text


def api(web, username: str = "hieutruong.hontre") -> dict[str, str]:
    return {"Authorization": f"Bearer {web.tokens[username]}",
            "Content-Type": "application/json"}


def test_billion_laughs_directive_on_the_web_is_refused_at_once(web, engine):
    before = snapshot(engine)
    started = time.monotonic()
    refused_page(issue(web, laughs(5, "title")), "aliases")
    assert time.monotonic() - started < 5
    assert snapshot(engine) == before


def test_billion_laughs_units_file_is_refused(engine, db_url, tmp_path):
    seed_units(engine)
    before = snapshot(engine)
    bomb = tmp_path / "units.yaml"
    bomb.write_text(laughs(4, "x") + "units:\n  - {code: X1, name: *a4, kind: school,"
                    " parent: SGDDT-AG}\n", encoding="utf-8")
    refused(chidao("--db", db_url, "units", "import", str(bomb)), "aliases", "line")
    assert snapshot(engine) == before


def test_a_50_mb_units_file_is_refused_before_it_is_read(engine, db_url, tmp_path):
    seed_units(engine)
    before = snapshot(engine)
    big = tmp_path / "units.yaml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("- {code: X1, name: Trường X, kind: school, parent: SGDDT-AG}\n")
        for _ in range(50):
            handle.write(("#" + " " * 1023 + "\n") * 1024)
    refused(chidao("--db", db_url, "units", "import", str(big)), "too large", "5,242,880")
    assert snapshot(engine) == before


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = zip_bomb_docx(tmp_path / "bom.docx", unpacked_mb=60)
    assert bomb.stat().st_size < 1024 * 1024
    refused(chidao("--db", f"sqlite:///{tmp_path}/none.db", "import", str(bomb)),
            "unpacks to", "bom.docx")


@pytest.mark.parametrize("url", [
    f"/directives/{BIG}", f"/directives/{BIG}/report", f"/directives/{BIG}/units/1",
    f"/directives/1/units/{BIG}", f"/assignments/{BIG}", f"/units/{BIG}/inbox",
    f"/units/{BIG}/tree", f"/assignments/1/files/{BIG}"])
def test_an_id_of_2_63_in_a_page_address_is_a_404_not_a_500(web, url):
    response = web.client("chuyenvien.so").get(url)
    assert response.status_code == 404, (url, response.status_code)
    assert "Không tìm thấy" in response.text


@pytest.mark.parametrize("url", [f"/directives?page={BIG}", f"/overdue?page={BIG}",
                                 f"/directives/new?based_on={BIG}"])
def test_a_page_or_id_of_2_63_in_a_query_is_a_422_not_a_500(web, url):
    response = web.client("chuyenvien.so").get(url)
    assert response.status_code == 422, (url, response.status_code)
    assert "lớn hơn mức tối đa" in response.text


def test_an_api_id_or_page_of_2_63_is_a_422_problem(web):
    client = web.client()
    for url in (f"/api/directives/{BIG}", f"/api/assignments/{BIG}",
                f"/api/directives?page={BIG}", f"/api/directives/1/units?page={BIG}",
                f"/api/assignments/{BIG}/files", f"/api/assignments/1/files/{BIG}"):
        response = client.get(url, headers=api(web))
        assert response.status_code == 422, (url, response.status_code)
        assert response.json()["errors"][0]["problem"] == "lớn hơn mức tối đa"


def test_a_non_ascii_csrf_is_a_403(web, engine):
    client = web.client("chuyenvien.kienhai")
    client.get("/directives/new")  # the session now holds a token to compare with
    before = snapshot(engine)
    response = client.post("/directives", data={"csrf": "đ" * 43, "yaml": directive_yaml()})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hiệu lực" in response.text  # the CSRF token was refused
    assert snapshot(engine) == before


def test_an_integer_of_4301_digits_is_a_field_error(web, engine):
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    before = snapshot(engine)
    client = web.client("hieutruong.hontre")
    response = post_form(client, f"/assignments/{run_id}/submit", f"/assignments/{run_id}",
                         {"f_so_lop": "9" * 4301})
    refused_page(response, "Số lớp tổ chức hoạt động STEM", "tối đa 15 chữ số")
    assert snapshot(engine) == before


def test_a_4301_digit_integer_in_a_values_file_is_refused(engine, db_url, tmp_path):
    from tests.integration.report_scenario import issue_report_cascade

    issue_report_cascade(engine)
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    before = snapshot(engine)
    values = tmp_path / "values.yaml"
    values.write_text(f"so_lop: {'9' * 4301}\n", encoding="utf-8")
    refused(chidao("--db", db_url, "submit", str(run_id), "--unit", "MN-HONTRE",
                   "--values", str(values)), "values", "line 1")
    assert snapshot(engine) == before


def test_a_lone_surrogate_in_json_is_a_field_error(web, engine):
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    before = snapshot(engine)
    for body in ('{"note": "a\\ud800b"}', '{"values": {"kho_khan": "\\udfff"}}'):
        response = web.client().post(f"/api/assignments/{run_id}/submit", headers=api(web),
                                     content=body)
        assert response.status_code == 422, (body, response.status_code, response.text)
        assert "surrogate" in response.json()["detail"]
    assert snapshot(engine) == before


def test_a_due_date_in_9999_is_refused(web, engine):
    before = snapshot(engine)
    refused_page(issue(web, directive_yaml(requirements__0__due="9999-12-31")),
                 "requirements[0].due.date", "2100-12-31")
    assert snapshot(engine) == before


def test_an_extension_to_9999_is_refused(web, engine):
    from tests.support.cascade import runs

    directive_id = next(iter(runs(engine, "kh-kien-hai-stem-2026").values())).directive_id
    before = snapshot(engine)
    response = post_form(web.client("chuyenvien.kienhai"), f"/directives/{directive_id}/extend",
                         f"/directives/{directive_id}", {
                             "requirement": "mn-ke-hoach", "subtree": "MN-ANSON",
                             "new_due": "31/12/9999", "reason": "thử"})
    refused_page(response, "Hạn mới", "31/12/9999")
    assert snapshot(engine) == before


def test_10000_deep_nesting_is_refused(web, engine):
    before = snapshot(engine)
    refused_page(issue(web, "title: " + "[" * 10_000 + "]" * 10_000 + "\n"),
                 "nested deeper than 40")
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    deep = '{"values": {"kho_khan": ' + "[" * 10_000 + "]" * 10_000 + "}}"
    response = web.client().post(f"/api/assignments/{run_id}/submit", headers=api(web),
                                 content=deep)
    assert response.status_code in (400, 422), (response.status_code, response.text[:300])
    assert snapshot(engine) == before


def test_a_5_million_character_note_is_refused(web, engine):
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    before = snapshot(engine)
    response = web.client().post(f"/api/assignments/{run_id}/submit", headers=api(web),
                                 json={"note": "x" * 5_000_000})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "note"
    assert snapshot(engine) == before


def test_nan_and_infinity_are_refused(web, engine):
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    before = snapshot(engine)
    for bad in ("NaN", "Infinity", "-Infinity"):
        body = f'{{"values": {{"so_lop": 3, "tre": 10, "ty_le_dat": {bad}}}}}'
        response = web.client().post(f"/api/assignments/{run_id}/submit", headers=api(web),
                                     content=body)
        assert response.status_code == 422, (bad, response.status_code)
        assert response.json()["errors"][0]["field"] == "ty_le_dat"
    assert snapshot(engine) == before


def test_a_nul_in_a_title_is_refused(web, engine):
    before = snapshot(engine)
    refused_page(issue(web, directive_yaml(title="Kế hoạch\x00 thử")), "title", "NUL")
    assert snapshot(engine) == before


def test_issued_on_0001_01_01_is_refused(web, engine):
    before = snapshot(engine)
    refused_page(issue(web, directive_yaml(issued_on="0001-01-01")), "issued_on", "2000-01-01")
    assert snapshot(engine) == before
