"""/admin/preview: an admin sees the mail a sweep and a delivery at a moment would send to the
units of its own subtree (never a sibling's), nothing written; others are refused; a bad moment
or a unit outside the subtree is told in Vietnamese, naming the field."""

from __future__ import annotations

import html
import re

import pytest

from tests.support.cascade import snapshot
from tests.support.mail_preview import T, with_admins


def addresses(page: str) -> set[str]:
    return set(re.findall(r"Gửi đến: ([^<\s]+@[^<\s]+)", page))


@pytest.fixture
def admins(web, engine):
    return with_admins(web, engine)


def test_each_admin_sees_its_own_subtree_mail_and_nothing_of_the_sibling(admins, engine):
    before = snapshot(engine)
    an_giang = admins["quantri.so"].get("/admin/preview", params={"at": T})
    ca_mau = admins["quantri.camau"].get("/admin/preview", params={"at": T})
    assert snapshot(engine) == before  # a page view wrote nothing
    assert an_giang.status_code == ca_mau.status_code == 200
    mine, theirs = addresses(an_giang.text), addresses(ca_mau.text)
    assert theirs == {"ubnd.tanthanh@camau.gov.vn"}  # its commune's new task (88/KH-SGDĐT)
    assert "Việc Cà Mau" in ca_mau.text and "Việc Cà Mau" not in an_giang.text
    assert "vanthu.sgddt@angiang.gov.vn" in mine and not any("camau" in a for a in mine)
    # Hòn Tre's groups of children have no mailbox: their digests would fail, and say so
    assert re.search(r"\(MN-HONTRE-TCM-NT\)</span>: đơn vị chưa có địa chỉ thư điện tử",
                     an_giang.text)
    assert "An Giang" not in html.unescape(ca_mau.text).split("Xem trước thư sẽ gửi", 2)[-1]


def test_one_unit_of_the_subtree_and_its_mail_as_it_will_read(admins):
    page = admins["quantri.so"].get("/admin/preview",
                                    params={"at": "20/03/2026 07:35", "unit": "UBND-PHUQUOC"}).text
    assert addresses(page) == {"ubnd.phuquoc@angiang.gov.vn"}
    text = html.unescape(page)
    assert "Kính gửi: Ủy ban nhân dân đặc khu Phú Quốc" in text  # the body, as it will read
    assert "Tiêu đề" in text and "[chidao]" in text and 'srcdoc="' in page


@pytest.mark.parametrize(("params", "label", "problem"), [
    ({"at": "20/13/2026"}, "Thời điểm", "“20/13/2026” không phải thời điểm hợp lệ"),
    ({"at": T, "unit": "UBND-TANTHANH"}, "Đơn vị", "không có đơn vị mã “UBND-TANTHANH”"),
    ({"at": T, "unit": "KHONG-CO"}, "Đơn vị", "không có đơn vị mã “KHONG-CO”"),
])
def test_bad_moment_or_unit_outside_the_subtree_is_told_in_vietnamese(admins, params, label,
                                                                       problem):
    done = admins["quantri.so"].get("/admin/preview", params=params)
    assert done.status_code == 422
    text = html.unescape(done.text)
    assert f"{label}</a>: {problem}" in text
    assert "Gửi đến:" not in text


def test_only_admins_may_preview(web, admins):
    head = web.client("chuyenvien.so")
    assert head.get("/admin/preview", params={"at": T}).status_code == 403
    assert web.client().get("/admin/preview", follow_redirects=False).status_code in (303, 401)


def test_the_page_shows_the_first_mails_and_counts_them_all(admins, monkeypatch):
    from chidao.web import pages_preview

    everything = admins["quantri.so"].get("/admin/preview", params={"at": T}).text
    total = everything.count('<article class="mail-preview">')
    assert total > 2 and f"<strong>{total}</strong> thư" in everything
    monkeypatch.setattr(pages_preview, "SHOWN", 2)
    page = admins["quantri.so"].get("/admin/preview", params={"at": T}).text
    assert page.count('<article class="mail-preview">') == 2
    assert f"<strong>{total}</strong> thư; trang này hiển thị 2 thư đầu tiên" in page
