"""No traceback reaches a web user: Vietnamese error pages, problem+json (RFC 9457) under /api,
each with the request id that is also in the log."""

import logging

import pytest
from fastapi.testclient import TestClient

from chidao.config.settings import Settings
from tests.integration.report_scenario import figures, school_run, submit
from tests.support.cascade import runs
from tests.web_fixtures import PASSWORD, csrf_of

PROBLEM = "application/problem+json"


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.INFO, logger="chidao.web")
    return caplog


def request_id(response, caplog) -> str:
    """The response's id: in the header, and in a log record."""
    rid = response.headers["X-Request-ID"]
    assert len(rid) >= 16
    assert any(rid in record.getMessage() for record in caplog.records), caplog.text
    return rid


def problem(response, status: int, caplog) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["request_id"] == request_id(response, caplog)
    assert body["instance"] == response.request.url.path
    return body


def page(response, status: int, caplog, *texts: str) -> str:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert f"Mã yêu cầu: <code>{request_id(response, caplog)}</code>" in html
    assert "Traceback" not in html
    for text in texts:
        assert text in html, html
    return html


def test_every_response_has_its_own_request_id(web):
    client = web.client("chuyenvien.so")
    ids = {client.get("/directives").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_404_pages_are_vietnamese(web, logged):
    client = web.client("chuyenvien.so")
    page(client.get("/khong-co-trang-nay"), 404, logged, "Không tìm thấy",
         "Không tìm thấy trang hoặc dữ liệu được yêu cầu.")
    page(client.get("/directives/999999"), 404, logged, "Không tìm thấy văn bản",
         "Đăng xuất")  # the signed-in menu is still there
    body = problem(client.get("/api/directives/999999", headers={
        "Authorization": f"Bearer {web.tokens['chuyenvien.so']}"}), 404, logged)
    assert (body["title"], body["detail"]) == ("Không tìm thấy", "Không tìm thấy văn bản")
    assert problem(web.client().get("/api/khong-co"), 404, logged)["title"] == "Không tìm thấy"


def test_403_and_401(web, engine, logged):
    key = "kh-kien-hai-stem-2026"
    directive_id = next(iter(runs(engine, key).values())).directive_id
    school = web.client("hieutruong.laison")
    page(school.post(f"/directives/{directive_id}/extend", data={
        "csrf": csrf_of(school.get("/login").text), "requirement": "mn-ke-hoach",
        "subtree": "MN-LAISON", "new_due": "30/04/2026", "reason": "x"}), 403, logged,
         "Không có quyền thực hiện", "Chỉ đơn vị ban hành mới được gia hạn")
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    commune = {"Authorization": f"Bearer {web.tokens['chuyenvien.kienhai']}"}
    body = problem(web.client().post(f"/api/assignments/{run_id}/submit", headers=commune,
                                     json={"note": "x"}), 403, logged)
    assert body["detail"] == "Chỉ đơn vị được giao mới được nộp"
    unauthorised = web.client().get("/api/assignments")
    assert problem(unauthorised, 401, logged)["title"] == "Chưa đăng nhập"
    assert unauthorised.headers["WWW-Authenticate"] == "Bearer"


def test_422_names_the_field_in_vietnamese(web, engine, logged):
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    client = web.client()
    auth = {"Authorization": f"Bearer {web.tokens['hieutruong.hontre']}"}
    body = problem(client.post(f"/api/assignments/{run_id}/submit", headers=auth,
                               json={"values": "nhiều"}), 422, logged)
    assert body["errors"] == [{"field": "values", "problem": "phải là một đối tượng JSON"}]
    assert body["detail"] == "values: phải là một đối tượng JSON"
    body = problem(client.get("/api/directives?page=hai", headers=auth), 422, logged)
    assert body["errors"] == [{"field": "page", "problem": "phải là số nguyên"}]
    bad_value = problem(client.post(f"/api/assignments/{run_id}/submit", headers=auth,
                                    json={"values": {"so_lop": "nhiều"}}), 422, logged)
    assert bad_value["errors"][0]["field"] == "so_lop"
    kien_hai = web.client("chuyenvien.kienhai")
    directive_id = next(iter(runs(engine, "kh-kien-hai-stem-2026").values())).directive_id
    form = kien_hai.get(f"/directives/{directive_id}").text
    missing = kien_hai.post(f"/directives/{directive_id}/extend", data={
        "csrf": csrf_of(form), "requirement": "mn-ke-hoach", "subtree": "MN-ANSON"})
    assert missing.status_code == 422  # the gia hạn form again, each missing field named
    assert "Nhập hạn mới (dd/mm/yyyy)." in missing.text and "Nhập lý do gia hạn." in missing.text


def test_a_new_deadline_that_does_not_exist_is_a_422_page(web, engine, logged):
    key = "kh-kien-hai-stem-2026"
    before = runs(engine, key)
    directive_id = before[("MN-ANSON", "mn-ke-hoach", "")].directive_id
    client = web.client("chuyenvien.kienhai")
    response = client.post(f"/directives/{directive_id}/extend", data={
        "csrf": csrf_of(client.get(f"/directives/{directive_id}").text),
        "requirement": "mn-ke-hoach", "subtree": "MN-ANSON", "new_due": "31/02/2026",
        "reason": "Trường bị ngập"})
    assert response.status_code == 422  # the gia hạn form again, what was typed kept
    assert "Ngày «31/02/2026» không có thật" in response.text
    assert 'value="31/02/2026"' in response.text and 'value="Trường bị ngập"' in response.text
    assert runs(engine, key)[("MN-ANSON", "mn-ke-hoach", "")].due_on == before[
        ("MN-ANSON", "mn-ke-hoach", "")].due_on


def test_an_unexpected_error_is_a_logged_500_with_its_request_id(web, logged, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("hỏng giữa chừng")
    monkeypatch.setattr("chidao.web.pages_directives.visible_directives", broken)
    monkeypatch.setattr("chidao.web.api.visible_directives", broken)
    response = web.client("chuyenvien.so").get("/directives")
    html = page(response, 500, logged, "Lỗi hệ thống", "Đã xảy ra lỗi ngoài dự kiến")
    assert "hỏng giữa chừng" not in html  # the cause is for the log, not for the page
    (record,) = [r for r in logged.records if response.headers["X-Request-ID"] in r.getMessage()]
    assert record.levelno == logging.ERROR and record.exc_info[0] is RuntimeError
    body = problem(web.client().get("/api/directives", headers={
        "Authorization": f"Bearer {web.tokens['chuyenvien.so']}"}), 500, logged)
    assert body["title"] == "Lỗi hệ thống" and "hỏng" not in body["detail"]


def test_an_unreachable_database_is_a_503(logged, tmp_path):
    from chidao.web.app import create_app

    app = create_app(Settings(database_url="sqlite:////nonexistent/dir/x.db",
                              secret_key="test-secret"))
    try:
        client = TestClient(app)
        body = problem(client.get("/api/directives", headers={"Authorization": "Bearer x"}),
                       503, logged)
        assert body["title"] == "Hệ thống tạm thời gián đoạn"
        assert "unable to open database file" in logged.text
    finally:
        app.state.engine.dispose()


def test_a_bad_address_on_a_page_is_a_404_page_in_the_layout(web, logged):
    client = web.client("chuyenvien.so")
    for path in ("/directives/abc", "/units/x/tree", "/assignments/1e3",
                 "/directives/99999999999999999999"):
        html = page(client.get(path), 404, logged, "Không tìm thấy", "Đăng xuất")
        assert "directive_id" not in html and "unit_id" not in html, path
    body = problem(client.get("/api/directives/abc", headers={
        "Authorization": f"Bearer {web.tokens['chuyenvien.so']}"}), 422, logged)
    assert body["errors"] == [{"field": "directive_id", "problem": "phải là số nguyên"}]


def test_a_bad_query_on_a_page_names_the_field_by_its_label(web, logged):
    html = page(web.client("chuyenvien.so").get("/overdue?page=hai"), 422, logged,
                "<strong>Trang</strong>: phải là số nguyên",
                "Địa chỉ trang có 1 giá trị không hợp lệ.")
    assert "page:" not in html
    page(web.client("chuyenvien.so").get("/overdue?page=-1"), 422, logged,
         "<strong>Trang</strong>: nhỏ hơn mức tối thiểu (0)")


def test_405_and_a_stale_form_are_vietnamese_pages(web, logged):
    client = web.client("chuyenvien.so")
    page(client.delete("/directives"), 405, logged, "Thao tác không được hỗ trợ",
         "Địa chỉ này không nhận thao tác đó.")
    html = page(client.post("/account/password", data={"csrf": "cu", "current": "x",
                                                        "new": "y"}),
                403, logged, "Biểu mẫu đã hết hiệu lực", "Vui lòng tải lại trang rồi gửi lại.")
    assert "CSRF" not in html


def test_a_services_english_problem_reaches_a_page_in_vietnamese(web, engine, logged):
    """"a reason is required to set 'returned'" (the CLI's words) never reaches the page."""
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    submit(engine, run_id, "MN-HONTRE", figures(6, 12, 150, 80, True, "tốt"),
           "2026-03-20T10:00")
    commune = web.client("chuyenvien.kienhai")
    response = commune.post(f"/assignments/{run_id}/review", data={
        "csrf": csrf_of(commune.get(f"/assignments/{run_id}").text), "action": "return",
        "reason": " "})
    assert response.status_code == 422
    html = response.text
    assert "Lý do" in html.split("<main")[1], html
    assert "returned" not in html.split("<main")[1] and "reason is required" not in html


def test_an_ended_session_shows_the_sign_in_form_saying_why_and_comes_back(web, logged):
    anonymous = web.client().get("/overdue?page=0")
    assert anonymous.status_code == 401
    assert "Vui lòng đăng nhập để xem trang này." in anonymous.text
    phone, laptop = web.client("hieutruong.hontre"), web.client("hieutruong.hontre")
    changed = laptop.post("/account/password", data={
        "csrf": csrf_of(laptop.get("/account").text), "current": PASSWORD,
        "new": "mat-khau-moi-2026"})
    assert changed.status_code == 200  # the phone's session has ended
    ended = phone.get("/overdue?page=0")
    assert ended.status_code == 401
    assert "Phiên đăng nhập đã hết hạn hoặc đã kết thúc" in ended.text
    assert 'name="next" value="/overdue?page=0"' in ended.text
    back = phone.post("/login", data={"csrf": csrf_of(ended.text), "next": "/overdue?page=0",
                                      "username": "hieutruong.hontre",
                                      "password": "mat-khau-moi-2026"}, follow_redirects=False)
    assert (back.status_code, back.headers["location"]) == (303, "/overdue?page=0")


def test_a_form_posted_with_several_bad_fields_lists_them_all_by_label(web, logged):
    """Any page form FastAPI validates: every field's problem at once, each by its label."""
    from fastapi import Form

    @web.app.post("/thu-nghiem/bieu-mau")
    def posted(page: int = Form(...), new_due: str = Form(...), reason: str = Form(...)):
        raise AssertionError("not reached")

    html = page(web.client("chuyenvien.so").post("/thu-nghiem/bieu-mau", data={"page": "hai"}),
                422, logged, "Có 3 lỗi cần sửa", "<strong>Trang</strong>: phải là số nguyên",
                "<strong>Hạn mới</strong>: chưa nhập (bắt buộc)",
                "<strong>Lý do</strong>: chưa nhập (bắt buộc)")
    assert "new_due" not in html and "Field required" not in html
