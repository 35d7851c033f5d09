"""People in units on the web: the run page's "Người thực hiện" section and its form, the
personal inbox (/me), the head's view of who holds what (/units/{id}/people), with the same
scoping as every page (a sibling unit gets 404, a staff member 403) and Vietnamese problems
naming the person."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import select

from chidao.config.runtime import build_runtime
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.audit import AuditEvent
from tests.support.people import ids, kienhai_report, live_holders, unit_id
from tests.web_fixtures import Web, csrf_of

NOW = "2026-06-10T09:00"  # the STEM report of Kiên Hải is due 23/06/2026

HOLDERS = AuditEvent.action.startswith("holder.")  # type: ignore[attr-defined]


@pytest.fixture
def site(web, db_url, tmp_path):
    """The test site on a clock stopped at NOW (the demo's way: a fixed story moment)."""
    from chidao.web.app import create_app

    settings = Settings(database_url=db_url, secret_key="test-secret",
                        attachments_dir=str(tmp_path / "files"))
    app = create_app(runtime=build_runtime(settings, now=NOW, pooled=True))
    yield Web(app, web.tokens)
    app.state.engine.dispose()


def post_holders(client, run_id: int, rows: dict[int, tuple[str, str, str]]):
    page = client.get(f"/assignments/{run_id}")
    data = {"csrf": csrf_of(page.text)}
    for uid, (role, due, note) in rows.items():
        data |= {f"role_{uid}": role, f"due_{uid}": due, f"note_{uid}": note}
    return client.post(f"/assignments/{run_id}/holders", data=data, follow_redirects=False)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_head_puts_people_on_the_run_and_the_page_lists_them(site, engine):
    run_id = kienhai_report(engine)
    head, staff = ids(engine, "chuyenvien.kienhai", "nhanvien.kienhai")
    client = site.client("chuyenvien.kienhai")
    page = client.get(f"/assignments/{run_id}")
    assert "Người thực hiện" in page.text and "Chưa giao cho cá nhân nào" in page.text
    assert f'name="role_{staff}"' in page.text and f'name="role_{head}"' in page.text
    done = post_holders(client, run_id, {staff: ("lead", "05/06/2026", "Tổng hợp số liệu"),
                                         head: ("watch", "", "")})
    assert done.status_code == 303 and done.headers["location"].endswith("#holders")
    shown = text_of(client.get(f"/assignments/{run_id}").text)
    assert "nhanvien.kienhai · chủ trì · hạn 05/06/2026 Tổng hợp số liệu" in shown
    assert "chuyenvien.kienhai · để biết · hạn 23/06/2026 (hạn của đơn vị)" in shown
    assert "Đã giao việc: nhanvien.kienhai chủ trì" in shown
    assert live_holders(engine, run_id) == sorted([(staff, "lead"), (head, "watch")])
    with transaction(engine) as session:
        audit = session.exec(select(AuditEvent.action, AuditEvent.person,
                                    AuditEvent.unit_code).where(HOLDERS)).all()
    assert sorted(audit) == [("holder.assign", "chuyenvien.kienhai", "UBND-KIENHAI")] * 2


@pytest.mark.parametrize(("rows", "problem"), [
    ({"a": ("lead", "", ""), "b": ("lead", "", "")},
     "Phải có đúng một người chủ trì (đang chọn 2)."),
    ({"a": ("cooperate", "", "")}, "Phải có đúng một người chủ trì (đang chọn 0)."),
    ({"b": ("lead", "24/06/2026", "")},
     "nhanvien.kienhai (hạn cá nhân): hạn của cá nhân (24/06/2026) không được sau hạn của"
     " đơn vị (23/06/2026)."),
    ({"b": ("lead", "31/02/2026", "")},
     "nhanvien.kienhai (hạn cá nhân): ngày «31/02/2026» không có thật hoặc không đúng dạng"
     " dd/mm/yyyy."),
])
def test_a_refused_choice_names_the_person_and_stores_nothing(site, engine, rows, problem):
    run_id = kienhai_report(engine)
    head, staff = ids(engine, "chuyenvien.kienhai", "nhanvien.kienhai")
    client = site.client("chuyenvien.kienhai")
    by_key = {"a": head, "b": staff}
    refused = post_holders(client, run_id, {by_key[k]: v for k, v in rows.items()})
    assert refused.status_code == 422
    assert problem in text_of(refused.text)
    assert "Chưa lưu" in refused.text
    for key, (role, due, _) in rows.items():  # what was typed is kept
        assert f'<option value="{role}" selected>' in refused.text
        assert f'name="due_{by_key[key]}" value="{due}"' in refused.text
    assert live_holders(engine, run_id) == []
    with transaction(engine) as session:
        assert session.exec(sa_select(AuditEvent.id).where(HOLDERS)).first() is None


def test_who_may_assign(site, engine):
    run_id = kienhai_report(engine)
    (staff,) = ids(engine, "nhanvien.kienhai")
    page = site.client("nhanvien.kienhai").get(f"/assignments/{run_id}")
    assert "Người thực hiện" in page.text and "Lưu giao việc" not in page.text
    for username, status in (("nhanvien.kienhai", 403),  # staff of the unit
                             ("chuyenvien.so", 403),  # the Sở above: reads, may not assign
                             ("chuyenvien.phuquoc", 404)):  # a sibling: not even there
        client = site.client(username)
        csrf = csrf_of(client.get("/").text)
        refused = client.post(f"/assignments/{run_id}/holders",
                              data={"csrf": csrf, f"role_{staff}": "lead"})
        assert refused.status_code == status, username
    assert live_holders(engine, run_id) == []


def test_my_work_lists_what_i_hold_with_my_deadline(site, engine):
    run_id = kienhai_report(engine)
    (staff,) = ids(engine, "nhanvien.kienhai")
    head = site.client("chuyenvien.kienhai")
    assert post_holders(head, run_id, {staff: ("lead", "05/06/2026", "")}).status_code == 303
    mine = site.client("nhanvien.kienhai").get("/me")
    assert mine.status_code == 200
    shown = text_of(mine.text)
    assert '<a href="/me">Việc của tôi</a>' in mine.text
    assert "1 việc được giao, 1 việc đã quá hạn của anh/chị" in shown
    assert "quá hạn 3 ngày làm việc · hạn của anh/chị 05/06/2026 (đơn vị: 23/06/2026)" in shown
    assert "Vai trò: chủ trì" in shown
    assert f'href="/assignments/{run_id}"' in mine.text
    others = text_of(site.client("chuyenvien.kienhai").get("/me").text)
    assert "chưa được giao việc nào đang mở" in others


def test_the_head_sees_who_holds_what_and_who_is_late(site, engine):
    run_id = kienhai_report(engine)
    head_id, staff = ids(engine, "chuyenvien.kienhai", "nhanvien.kienhai")
    head = site.client("chuyenvien.kienhai")
    post_holders(head, run_id, {staff: ("lead", "05/06/2026", ""),
                                head_id: ("cooperate", "20/06/2026", "")})
    kh = unit_id(engine, "UBND-KIENHAI")
    view = head.get(f"/units/{kh}/people")
    assert view.status_code == 200
    shown = text_of(view.text)
    assert "1 việc quá hạn cá nhân" in shown
    # the late person first, their late run marked; the other's is not late yet
    assert view.text.index(f'id="person-{staff}"') < view.text.index(f'id="person-{head_id}"')
    assert "chủ trì · hạn 05/06/2026 (quá hạn 3 ngày làm việc) · chưa tiếp nhận · QUÁ HẠN" \
        in shown
    assert "phối hợp · hạn 20/06/2026 (còn 7 ngày làm việc) · chưa tiếp nhận" in shown
    assert "phối hợp · hạn 20/06/2026 (còn 7 ngày làm việc) · chưa tiếp nhận · QUÁ HẠN" \
        not in shown
    assert site.client("chuyenvien.so").get(f"/units/{kh}/people").status_code == 200
    assert site.client("nhanvien.kienhai").get(f"/units/{kh}/people").status_code == 403
    assert site.client("chuyenvien.phuquoc").get(f"/units/{kh}/people").status_code == 404


def test_a_staff_member_lent_the_right_assigns_on_the_page(site, engine):
    from datetime import date

    from chidao.domain.people import Delegation
    from tests.support.cascade import at

    run_id = kienhai_report(engine)
    head, staff = ids(engine, "chuyenvien.kienhai", "nhanvien.kienhai")
    with transaction(engine) as session:
        session.add(Delegation(from_user_id=head, to_user_id=staff, actions=["assign"],
                               starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 12),
                               title="Q.", created_at=at("2026-06-08T08:00")))
    client = site.client("nhanvien.kienhai")
    assert "Lưu giao việc" in client.get(f"/assignments/{run_id}").text
    assert post_holders(client, run_id, {staff: ("lead", "", "")}).status_code == 303
    with transaction(engine) as session:
        audit = session.exec(select(AuditEvent.person, AuditEvent.on_behalf_of)
                             .where(HOLDERS)).all()
    assert audit == [("nhanvien.kienhai", "Q. chuyenvien.kienhai")]
    kh = unit_id(engine, "UBND-KIENHAI")
    assert client.get(f"/units/{kh}/people").status_code == 200
