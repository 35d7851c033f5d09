"""The directive page's "Sửa đổi, bổ sung" and "Thu hồi văn bản" for the issuing unit's head:
the amend form starts from the directive as issued (unchanged, it changes nothing), the
preview lists the changes per unit and writes nothing, "Áp dụng" applies them; the recall
says how many open tasks close and needs a reason; a recalled directive says so on its page
and in the list and takes no further action; other units get 403 or 404."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
import yaml
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.directives import Directive
from chidao.domain.status import Status
from tests.support.amend_scene import KEY, KIENHAI, PHUQUOC, RACHGIA, amended, seed
from tests.support.cascade import runs, snapshot
from tests.web_fixtures import csrf_of

REASON = "Ban hành nhầm đối tượng"


@pytest.fixture
def scene(web, engine):
    seed(engine, units=False)
    with transaction(engine) as session:
        directive_id = session.exec(select(Directive.id).where(Directive.key == KEY)).one()
    return web, directive_id


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def directive(engine) -> Directive:
    with transaction(engine) as session:
        return session.exec(select(Directive).where(Directive.key == KEY)).one()


def test_amend_preview_then_apply_from_the_page(scene, engine):
    web, did = scene
    client = web.client("chuyenvien.so")
    page = client.get(f"/directives/{did}")
    assert 'id="amend-actions"' in page.text and f"/directives/{did}/recall" in page.text
    form = client.get(f"/directives/{did}/amend")
    assert form.status_code == 200
    current = unescape(re.search(r'<textarea name="yaml"[^>]*>(.*?)</textarea>', form.text,
                                 re.S)[1])
    before = snapshot(engine)
    same = client.post(f"/directives/{did}/amend",
                       data={"csrf": csrf_of(form.text), "yaml": current})
    assert 'id="amend-empty"' in same.text, text_of(same.text)[:2000]
    preview = client.post(f"/directives/{did}/amend", data={
        "csrf": csrf_of(form.text), "yaml": yaml.safe_dump(amended(), allow_unicode=True)})
    assert preview.status_code == 200, text_of(preview.text)[:2000]
    shown = text_of(preview.text)
    assert "3 đơn vị có thay đổi: 2 nhiệm vụ bổ sung, 2 thu hồi" in shown
    units = shown.split("Theo đơn vị")[1]
    assert units.index(KIENHAI) < units.index(PHUQUOC) < units.index(RACHGIA)
    assert ("Đổi hạn nhiệm vụ «Báo cáo kết quả kiểm tra»: 31/03/2026 → 15/04/2026"
            in units.split(KIENHAI)[1].split(PHUQUOC)[0])
    assert "Bổ sung nhiệm vụ «Cắt tỉa cây xanh», hạn 20/04/2026" in units.split(PHUQUOC)[1]
    assert "Giữ lại nhiệm vụ «Báo cáo nhanh» (đã nộp)" in units.split(RACHGIA)[1]
    assert snapshot(engine) == before
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview.text))
    done = client.post(f"/directives/{did}/amend/apply",
                       data={k: unescape(v) for k, v in hidden.items()}, follow_redirects=False)
    assert done.status_code == 303, text_of(done.text)[:2000]
    assert directive(engine).revision == 2
    assert runs(engine, KEY)[("UBND-PHUQUOC", "k", "")].status is Status.CANCELLED
    after = text_of(client.get(f"/directives/{did}").text)
    assert "Đã sửa đổi, bổ sung văn bản 55/KH-SGDĐT (lần 2)" in after
    assert "Đã sửa đổi, bổ sung 1 lần." in after
    text = after.split("Nhiệm vụ giao")[1].split("Tệp văn bản")[0]
    assert (f"Tự kiểm tra phòng học, mái, cây xanh (thực hiện) Giao {RACHGIA}, {KIENHAI};"
            " hạn 10/04/2026.") in text  # no more Phú Quốc
    assert "Báo cáo nhanh (báo cáo) — đã bỏ khi sửa đổi, bổ sung văn bản" in text
    assert f"Cắt tỉa cây xanh (thực hiện) Giao {PHUQUOC}; hạn 20/04/2026." in text


def test_the_changed_file_can_be_uploaded_and_a_bad_one_is_named(scene, engine):
    web, did = scene
    client = web.client("chuyenvien.so")
    csrf = csrf_of(client.get(f"/directives/{did}/amend").text)
    data = yaml.safe_dump(amended(), allow_unicode=True).encode()
    preview = client.post(f"/directives/{did}/amend", data={"csrf": csrf, "yaml": ""},
                          files={"file": ("sua-doi.yaml", data, "text/yaml")})
    assert "Cắt tỉa cây xanh" in text_of(preview.text)
    before = snapshot(engine)
    moved = yaml.safe_dump({**amended(), "issued_on": "05/03/2026"}, allow_unicode=True)
    bad = client.post(f"/directives/{did}/amend", data={"csrf": csrf, "yaml": moved})
    assert bad.status_code == 422
    assert "issued_on: không đổi được ngày ban hành" in text_of(bad.text)
    assert snapshot(engine) == before


def test_recall_confirms_the_count_needs_a_reason_and_ends_all_actions(scene, engine):
    web, did = scene
    client = web.client("chuyenvien.so")
    confirm = client.get(f"/directives/{did}/recall")
    assert "6 nhiệm vụ đang mở của 3 đơn vị sẽ được đóng" in text_of(confirm.text)
    csrf = csrf_of(confirm.text)
    before = snapshot(engine)
    blank = client.post(f"/directives/{did}/recall", data={"csrf": csrf, "reason": " "})
    assert blank.status_code == 422 and "reason: cần nêu lý do thu hồi" in text_of(blank.text)
    assert snapshot(engine) == before
    done = client.post(f"/directives/{did}/recall", data={"csrf": csrf, "reason": REASON},
                       follow_redirects=False)
    assert done.status_code == 303
    page = client.get(f"/directives/{did}")
    shown = text_of(page.text)
    assert "Đã thu hồi lúc" in shown and f"Lý do: {REASON}" in shown
    assert "Đã thu hồi văn bản 55/KH-SGDĐT: 6 nhiệm vụ đang mở được đóng." in shown
    assert 'id="amend-actions"' not in page.text and "/extend" not in page.text
    listed = text_of(client.get("/directives").text)
    assert re.search(r"Kiểm tra cơ sở vật chất Đã thu hồi \d\d/\d\d/\d{4}", listed)
    for path in (f"/directives/{did}/amend", f"/directives/{did}/recall"):
        assert client.get(path).status_code == 409
    assert client.post(f"/directives/{did}/recall",
                       data={"csrf": csrf, "reason": REASON}).status_code == 409
    assert runs(engine, KEY)[("UBND-RACHGIA", "r", "")].status is Status.ACCEPTED


@pytest.mark.parametrize(("user", "status"), [
    ("chuyenvien.kienhai", 403),  # a commune the directive was sent to
    ("nhanvien.so", 403),  # the Sở's staff: no right to issue
    ("chuyenvien.camau", 404),  # another province: not readable
])
def test_other_units_and_staff_cannot_recall_or_amend(scene, engine, user, status):
    web, did = scene
    client = web.client(user)
    csrf = csrf_of(client.get("/directives").text)
    before = snapshot(engine)
    for path in ("amend", "recall"):
        assert client.get(f"/directives/{did}/{path}").status_code == status
    assert client.post(f"/directives/{did}/recall",
                       data={"csrf": csrf, "reason": REASON}).status_code == status
    assert client.post(f"/directives/{did}/amend/apply", data={
        "csrf": csrf, "yaml": yaml.safe_dump(amended(), allow_unicode=True)}
    ).status_code == status
    assert snapshot(engine, frozenset({"user_session"})) == before
    if status == 403 and user == "chuyenvien.kienhai":
        assert 'id="amend-actions"' not in client.get(f"/directives/{did}").text
    assert directive(engine).revision == 1 and directive(engine).recalled_at is None
    assert runs(engine, KEY)[("UBND-PHUQUOC", "r", "")].due_on == date(2026, 3, 31)
