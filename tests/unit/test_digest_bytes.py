"""A digest's bytes are what the recipient got before the composing was made fast: the same
subject, headers, text and HTML parts, byte for byte. The reference below is the composing as
it was (email.mime's classes flattened by the generator, the To/Cc headers formatted by the
header registry); only the MIME boundary (random) is taken from the new bytes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.header import Header
from email.headerregistry import Address
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime

import pytest

from chidao.config.calendar_source import vietnam_calendar
from chidao.domain.closures import ClosureKind
from chidao.domain.policy import NotificationKind
from chidao.domain.status import Status
from chidao.notifications.context import (
    Item,
    OpenTask,
    Outgoing,
    Person,
    Recipient,
    digest_context,
)
from chidao.notifications.render import environment, render_email, sender_address
from chidao.queries.closure_notices import ClosureNotice

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội, a Tuesday
SENDER = sender_address("chidao <no-reply@chidao.local>")


def item(run: int, kind: NotificationKind, due: date, **extra: object) -> Item:
    return Item(run, kind.value, extra.pop("note", ""), f"T{run:03d}",  # type: ignore[arg-type]
                f"Trường Tiểu học số {run}, xã Hòn Tre", "78/KH-SGDĐT",
                "Kế hoạch kiểm tra nội bộ trường học năm học 2025-2026",
                "Sở Giáo dục và Đào tạo An Giang", "Báo cáo tự kiểm tra", "report", "HK2",
                due, extra.pop("status", Status.ISSUED), **extra)  # type: ignore[arg-type]


def digests() -> list[Outgoing]:
    unit = Recipient("UBND-KIENHAI", "UBND xã Kiên Hải", ["vanthu@kienhai.angiang.gov.vn"])
    many = Recipient("SGDDT-AG", "Sở Giáo dục và Đào tạo tỉnh An Giang",
                     [f"phong{i}@sogddt.angiang.edu.vn" for i in range(5)])
    closure = ClosureNotice(1, 2, "UBND xã Kiên Hải", "/1/2/", ClosureKind.SCHOOL,
                            date(2026, 3, 9), date(2026, 3, 12), "Bão số 3",
                            "Quyết định 12/QĐ-UBND", 4, True)
    tasks = [OpenTask(90 + i, "12/CV-SGDĐT", "Báo cáo sĩ số đầu năm", "", date(2026, 3, 5 + i),
                      Status.RECEIVED) for i in range(3)]
    kinds = list(NotificationKind)
    out = []
    for n, kind in enumerate(kinds):
        due = date(2026, 3, 3 + n)
        items = [item(n + 1, kind, due, note="Thiếu số liệu; bổ sung trước 15/03"),
                 item(n + 40, NotificationKind.RETURNED, due, note="Sai mẫu",
                      status=Status.RETURNED)]
        message = Outgoing(n + 1, f"<chidao.{n:032x}@chidao.local>",
                           many if n % 3 == 0 else unit, unit if n % 4 == 1 else None,
                           items=items, open_tasks=tasks if n % 2 else [],
                           closures=[closure] if n % 3 == 2 else [])
        if n % 5 == 4:
            message.person = Person("Nguyễn Thị Bảo Ngọc", "ngoc.nt",
                                    "ngoc.nt@kienhai.angiang.gov.vn" if n % 2 else "")
        out.append(message)
    return out


def as_before(message: Outgoing, boundary: str) -> bytes:
    """The composing of a digest before this change (render.render_email at main 7f254b9)."""
    cal = vietnam_calendar()
    person = message.person
    to_unit = (Recipient("x", person.name, [person.email]) if person and person.email
               else message.to)
    to = [Address(addr_spec=a) for a in to_unit.emails]
    cc = [Address(addr_spec=a) for a in message.cc.emails] if message.cc else []
    context = digest_context(message, now=NOW, cal=cal, public_url="https://chidao.angiang.vn")
    env = environment()
    subject = env.get_template(f"{context['main_kind']}.subject.txt").render(context).strip()
    email = MIMEMultipart("alternative", boundary=boundary)
    email["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]
    email["From"] = SENDER.header
    email["To"] = str(policy.SMTP.header_factory("To", to))
    if cc:
        email["Cc"] = str(policy.SMTP.header_factory("Cc", cc))
    email["Message-ID"] = message.header_id
    email["Date"] = format_datetime(NOW.astimezone(cal.tz))
    email.attach(MIMEText(env.get_template("digest.txt").render(context), "plain", "utf-8"))
    email.attach(MIMEText(env.get_template("digest.html").render(context), "html", "utf-8"))
    return email.as_bytes()


@pytest.mark.parametrize("message", digests(), ids=lambda m: f"digest{m.id}")
def test_a_digest_is_byte_for_byte_what_it_was(message):
    rendered = render_email(message, now=NOW, cal=vietnam_calendar(), sender=SENDER,
                            public_url="https://chidao.angiang.vn")
    found = re.search(rb'boundary="([^"]+)"', rendered.data)
    assert found
    assert rendered.data == as_before(message, found.group(1).decode())
    text = message_from_bytes(rendered.data, policy=policy.default).get_body(("plain",))
    assert text is not None and "78/KH-SGDĐT" in text.get_content()
