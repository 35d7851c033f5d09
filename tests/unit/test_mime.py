"""notifications.mime builds a digest's bytes without the email generator: they must be the
very bytes `email.mime` (compat32, as_bytes) gives for the same headers and parts."""

from __future__ import annotations

import uuid
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from chidao.notifications.mime import alternative

SUBJECTS = [
    "[chidao] Nhắc việc: 1 nhiệm vụ sắp đến hạn — Trường Mầm non Hoa Sen",
    "[chidao] Đôn đốc: 12 nhiệm vụ quá hạn — " + "Trường Trung học cơ sở Nguyễn Đình Chiểu " * 3,
    "ASCII subject only",
    "x" * 200,
    "Đ",
]
TO = ["mn00001@truong.edu.vn",
      ", ".join(f"hieutruong{i}@thcs-nguyen-dinh-chieu.phongGD.edu.vn" for i in range(4)),
      "a@b.vn, c@d.vn"]
TEXTS = ["Kính gửi: Trường Mầm non Hoa Sen\n\n- 9/KH-SGDĐT: Báo cáo tự kiểm tra\n" * 40,
         "ascii\n", "é"]


def stdlib_bytes(headers: list[tuple[str, str]], subject: str, text: str, html: str,
                 boundary: str) -> bytes:
    email = MIMEMultipart("alternative", boundary=boundary)
    email["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]
    for name, value in headers:
        email[name] = value
    email.attach(MIMEText(text, "plain", "utf-8"))
    email.attach(MIMEText(html, "html", "utf-8"))
    return email.as_bytes()


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("to", TO)
@pytest.mark.parametrize("text", TEXTS)
def test_the_bytes_are_those_of_the_standard_library(subject, to, text):
    boundary = f"=_chidao_{uuid.uuid4().hex}"
    headers = [("From", "chidao <no-reply@chidao.local>"), ("To", to)]
    if "," in to:
        headers.append(("Cc", "so-gddt@angiang.edu.vn"))
    headers += [("Message-ID", f"<chidao.{uuid.uuid4().hex}@chidao.local>"),
                ("Date", "Tue, 03 Mar 2026 09:00:00 +0700")]
    html = "<p>" + text.replace("\n", "<br>") + "</p>\n"
    built = alternative([("Subject", Header(subject, "utf-8")), *headers], text, html,
                        boundary)
    assert built == stdlib_bytes(headers, subject, text, html, boundary)


def test_a_boundary_that_could_break_the_content_type_is_refused():
    with pytest.raises(ValueError, match="boundary"):
        alternative([], "a", "b", 'x"; y')
