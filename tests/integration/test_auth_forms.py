"""The sign-in and password forms: every problem at once, each naming its field in
Vietnamese and linking to it; what was typed comes back, never a password."""

import re

from tests.web_fixtures import PASSWORD, csrf_of


def summary(html: str) -> list[str]:
    """The error summary's items, as text."""
    box = re.search(r'<div class="form-errors".*?</div>', html, re.S)
    assert box, html
    return [re.sub(r"<[^>]+>", "", item).strip()
            for item in re.findall(r"<li>(.*?)</li>", box[0], re.S)]


def test_an_empty_login_form_lists_both_fields(web):
    client = web.client()
    response = client.post("/login", data={"csrf": csrf_of(client.get("/login").text)})
    assert response.status_code == 422
    assert summary(response.text) == ["Tên đăng nhập: chưa nhập", "Mật khẩu: chưa nhập"]
    assert 'href="#f-username"' in response.text and 'id="f-username"' in response.text
    assert 'aria-invalid="true" aria-describedby="f-password-loi"' in response.text


def test_a_wrong_password_keeps_the_name_typed_and_never_the_password(web):
    client = web.client()
    response = client.post("/login", data={"csrf": csrf_of(client.get("/login").text),
                                            "username": "hieutruong.hontre",
                                            "password": "sai-mat-khau-bi-mat"})
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.text
    assert 'value="hieutruong.hontre"' in response.text
    assert "sai-mat-khau-bi-mat" not in response.text


def test_a_stale_login_form_asks_again_keeping_the_name(web):
    client = web.client()
    response = client.post("/login", data={"csrf": "het-han", "username": "hieutruong.hontre",
                                            "password": PASSWORD})
    assert response.status_code == 403
    assert "biểu mẫu hết hiệu lực" in response.text
    assert 'value="hieutruong.hontre"' in response.text and PASSWORD not in response.text
    assert client.get("/account").status_code == 401  # not signed in


def test_login_goes_back_only_to_a_page_of_this_site(web):
    plain = web.client()
    landing = plain.post("/login", data={  # where the school lands (its own tasks)
        "csrf": csrf_of(plain.get("/login").text), "username": "hieutruong.hontre",
        "password": PASSWORD}, follow_redirects=False).headers["location"]
    assert landing.endswith("/inbox")
    for target, expected in (("/overdue", "/overdue"), ("https://evil.example/x", landing),
                             ("//evil.example/x", landing), ("/\\evil.example", landing)):
        client = web.client()
        response = client.post("/login", data={
            "csrf": csrf_of(client.get("/login").text), "username": "hieutruong.hontre",
            "password": PASSWORD, "next": target}, follow_redirects=False)
        assert response.headers["location"] == expected, target


def test_the_password_form_lists_every_problem_at_once(web):
    client = web.client("hieutruong.hontre")
    response = client.post("/account/password", data={
        "csrf": csrf_of(client.get("/account").text), "current": "sai", "new": "ngan"})
    assert response.status_code == 422
    assert summary(response.text) == ["Mật khẩu hiện tại: không đúng",
                                      "Mật khẩu mới: cần ít nhất 10 ký tự (đã nhập 4)"]
    assert "ngan" not in response.text.split("</header>")[1].replace("ngắn", "")
    same = client.post("/account/password", data={
        "csrf": csrf_of(client.get("/account").text), "current": PASSWORD, "new": PASSWORD})
    assert summary(same.text) == ["Mật khẩu mới: phải khác mật khẩu hiện tại"]


def test_the_account_page_names_the_role_in_vietnamese(web):
    main = web.client("hieutruong.hontre").get("/account").text.split("<main")[1]
    assert "Lãnh đạo đơn vị" in main and not re.search(r"\bhead\b", main)


def test_a_password_change_redirects_and_says_so_once(web):
    client = web.client("hieutruong.hontre")
    response = client.post("/account/password", data={
        "csrf": csrf_of(client.get("/account").text), "current": PASSWORD,
        "new": "mat-khau-moi-2026"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/account")
    assert "Đã đổi mật khẩu; 0 phiên đăng nhập khác đã kết thúc." in client.get("/account").text
    assert "Đã đổi mật khẩu" not in client.get("/account").text  # shown once
