"""Pages a supervisor uses: the overdue board, the organisation tree, a deadline moved for a
subtree from the directive page; the JSON API for a machine client."""

from datetime import date

from tests.support.cascade import runs
from tests.web_fixtures import csrf_of


def test_overdue_board_and_org_tree(web):
    client = web.client("chuyenvien.kienhai")
    board = client.get("/overdue").text
    assert "Trường Mầm non Nam Du" in board and "Quá hạn (ngày làm việc)" in board
    assert "Ủy ban nhân dân đặc khu Phú Quốc" not in board  # another commune's runs
    tree = client.get(f"/units/{_unit_id(client)}/tree").text
    assert "Phòng Văn hóa - Xã hội đặc khu Kiên Hải" in tree and "Trường Mầm non Lại Sơn" in tree


def _unit_id(client) -> int:
    import re
    return int(re.search(r'href="/units/(\d+)/tree"', client.get("/directives").text)[1])


def test_the_issuer_moves_a_deadline_for_a_subtree(web, engine):
    client = web.client("chuyenvien.kienhai")
    key = "kh-kien-hai-stem-2026"
    before = runs(engine, key)
    directive_id = before[("MN-ANSON", "mn-ke-hoach", "")].directive_id
    page = client.get(f"/directives/{directive_id}").text
    assert "Gia hạn cho một nhánh" in page
    response = client.post(f"/directives/{directive_id}/extend", data={
        "csrf": csrf_of(page), "requirement": "mn-ke-hoach", "subtree": "MN-ANSON",
        "new_due": "03/04/2026", "reason": "Trường bị ngập"}, follow_redirects=False)
    assert response.status_code == 303
    after = runs(engine, key)
    assert after[("MN-ANSON", "mn-ke-hoach", "")].due_on == date(2026, 4, 3)
    assert after[("MN-NAMDU", "mn-ke-hoach", "")].due_on == before[
        ("MN-NAMDU", "mn-ke-hoach", "")].due_on
    school = web.client("hieutruong.laison")
    refused = school.post(f"/directives/{directive_id}/extend", data={
        "csrf": csrf_of(school.get("/login").text), "requirement": "mn-ke-hoach",
        "subtree": "MN-LAISON", "new_due": "30/04/2026", "reason": "x"})
    assert refused.status_code == 403


def test_api_submit_with_a_token_and_scoped_lists(web, engine):
    from tests.integration.report_scenario import school_run

    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    client = web.client()
    auth = {"Authorization": f"Bearer {web.tokens['hieutruong.hontre']}"}
    assert client.get("/api/assignments").status_code == 401
    mine = client.get("/api/assignments", headers=auth).json()["items"]
    assert run_id in [r["id"] for r in mine]
    bad = client.post(f"/api/assignments/{run_id}/submit", headers=auth,
                      json={"values": {"so_lop": "nhiều"}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "so_lop"
    done = client.post(f"/api/assignments/{run_id}/submit", headers=auth,
                       json={"values": {"so_lop": 6, "tre": 150}, "note": "API"})
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    listed = client.get("/api/directives", headers=auth).json()["items"]
    assert all("Cà Mau" not in d["title"] for d in listed)
    assert client.get("/api/openapi.json").json()["info"]["title"] == "chidao"
