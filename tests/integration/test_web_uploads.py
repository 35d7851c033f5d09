"""Files handed in through the web form: stored (browser form or a plain multipart POST),
refused with a Vietnamese message naming the file when over the limits or not what their
name says (nothing written then), listed, and downloadable only by who may read the run."""

from __future__ import annotations

import hashlib
import html
import re
import select as readiness
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlmodel import select

from chidao.db.database import transaction
from chidao.domain.reports import Attachment
from tests.integration.report_scenario import school_run
from tests.support.cascade import snapshot
from tests.web_fixtures import PASSWORD, csrf_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "attachments"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 500
PDF = (FIXTURES / "bien-ban.pdf").read_bytes()
XLS = (FIXTURES / "so-lieu.xls").read_bytes()


@pytest.fixture
def hon_tre(web, engine):
    """Trường Mầm non Hòn Tre's report run (issued by Kiên Hải), its principal signed in."""
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    client = web.client("hieutruong.hontre")
    return run_id, client, csrf_of(client.get(f"/assignments/{run_id}").text)


def limit(web, **limits) -> None:
    web.app.state.settings = web.app.state.settings.model_copy(update=limits)


def stored(engine) -> list[Attachment]:
    with transaction(engine) as session:
        return list(session.exec(select(Attachment).order_by(Attachment.id)).all())


def files_dir(web) -> Path:
    return Path(web.app.state.settings.attachments_dir)


def shown(response) -> str:
    """The page's text as a reader sees it (no tags, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.text))


def post(client, run_id, csrf, files, **fields):
    return client.post(f"/assignments/{run_id}/submit", follow_redirects=False,
                       data={"csrf": csrf, "f_so_lop": "6", "f_tre": "150", **fields},
                       files=[("files", f) for f in files])


def test_a_plain_multipart_post_stores_the_files_and_the_page_lists_them(web, engine, hon_tre):
    run_id, client, csrf = hon_tre
    done = post(client, run_id, csrf, [("Biên bản họp.pdf", PDF, "application/pdf"),
                                       ("so-lieu.xls", XLS, "application/vnd.ms-excel")])
    assert done.status_code == 303, done.text
    rows = stored(engine)
    assert [(r.name, r.size) for r in rows] == [("Biên bản họp.pdf", len(PDF)),
                                                ("so-lieu.xls", len(XLS))]
    for row, data in zip(rows, (PDF, XLS), strict=True):
        on_disk = (files_dir(web) / row.stored_as).read_bytes()
        assert on_disk == data and row.sha256 == hashlib.sha256(data).hexdigest()
    page = client.get(done.headers["location"])
    assert "Đã nộp kèm 2 tệp" in page.text
    assert f'href="/assignments/{run_id}/files/{rows[0].id}"' in page.text
    assert "Biên bản họp.pdf" in page.text and "so-lieu.xls" in page.text


def test_genuine_office_files_pass_on_the_web(web, engine, hon_tre):
    run_id, client, csrf = hon_tre
    names = sorted(p.name for p in FIXTURES.iterdir() if p.suffix != ".pdf")
    limit(web, attachment_max_files=len(names))
    done = post(client, run_id, csrf, [(n, (FIXTURES / n).read_bytes()) for n in names])
    assert done.status_code == 303, done.text
    assert sorted(r.name for r in stored(engine)) == names


@pytest.mark.parametrize(("name", "data", "words"), [
    ("bao-cao.pdf", EXE, "nội dung không phải tệp .pdf (tệp EXE)"),
    ("so-lieu.xls", PDF, "nội dung không phải tệp .xls (tệp PDF)"),
    ("bien-ban.docx", XLS, "nội dung không phải tệp .docx"),
    ("chuong-trinh.exe", EXE, "chỉ nhận các loại pdf"),
    ("rong.pdf", b"", "rỗng"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_written(
        web, engine, hon_tre, name, data, words):
    run_id, client, csrf = hon_tre
    before = snapshot(engine)
    refused = post(client, run_id, csrf, [("Biên bản.pdf", PDF), (name, data)])
    assert refused.status_code == 422
    assert f"'{name}'" in shown(refused) and words in shown(refused)
    assert 'value="6"' in refused.text  # what was typed is kept
    assert snapshot(engine) == before
    assert not files_dir(web).exists() or not any(files_dir(web).iterdir())


def test_an_upload_over_the_size_limit_is_refused_and_nothing_is_written(web, engine, hon_tre):
    run_id, client, csrf = hon_tre
    limit(web, attachment_max_bytes=64 * 1024)
    before = snapshot(engine)
    big = PDF + b"\n%" + b"x" * (100 * 1024)
    refused = post(client, run_id, csrf, [("Biên bản.pdf", PDF), ("Ảnh lớp học.pdf", big)])
    assert refused.status_code == 413
    assert ("Chưa nộp (không có gì được lưu): tệp 'Ảnh lớp học.pdf' quá lớn"
            " (tối đa 64 KB mỗi tệp, 10 tệp mỗi lần nộp)") in shown(refused)
    assert snapshot(engine) == before and not files_dir(web).exists()


def test_more_files_than_allowed_are_refused(web, engine, hon_tre):
    run_id, client, csrf = hon_tre
    limit(web, attachment_max_files=2)
    before = snapshot(engine)
    refused = post(client, run_id, csrf, [(f"{i}.pdf", PDF) for i in range(3)])
    assert refused.status_code == 422 and "tối đa 2 tệp" in shown(refused)
    assert snapshot(engine) == before


def test_files_are_downloaded_only_by_who_may_read_the_run(web, engine, hon_tre):
    run_id, client, csrf = hon_tre
    assert post(client, run_id, csrf, [("Biên bản họp.pdf", PDF)]).status_code == 303
    (row,) = stored(engine)
    url = f"/assignments/{run_id}/files/{row.id}"
    for reader in ("hieutruong.hontre", "chuyenvien.kienhai", "chuyenvien.so"):
        got = web.client(reader).get(url)
        assert got.status_code == 200 and got.content == PDF, reader
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["content-disposition"] == (
            "attachment; filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf")
        assert got.headers["x-content-type-options"] == "nosniff"
    for outsider in ("hieutruong.laison", "chuyenvien.phuquoc", "chuyenvien.camau"):
        got = web.client(outsider).get(url)
        assert got.status_code == 404 and PDF[:100] not in got.content, outsider
    assert web.client().get(url).status_code == 401
    lai_son = school_run(engine, "UBND-KIENHAI", "MN-LAISON")
    sibling = web.client("hieutruong.laison")
    assert sibling.get(f"/assignments/{lai_son}/files/{row.id}").status_code == 404


def test_the_api_lists_and_serves_files_to_who_may_read_the_run(web, engine, hon_tre):
    run_id, client, csrf = hon_tre
    assert post(client, run_id, csrf, [("Biên bản họp.pdf", PDF)]).status_code == 303
    (row,) = stored(engine)
    api = web.client()

    def bearer(username):
        return {"Authorization": f"Bearer {web.tokens[username]}"}

    listed = api.get(f"/api/assignments/{run_id}/files", headers=bearer("chuyenvien.kienhai"))
    files = listed.json()["items"]
    assert [(f["name"], f["size"]) for f in files] == [("Biên bản họp.pdf", len(PDF))]
    got = api.get(files[0]["url"], headers=bearer("hieutruong.hontre"))
    assert got.status_code == 200 and got.content == PDF
    for outsider in ("hieutruong.laison", "chuyenvien.camau"):
        assert api.get(f"/api/assignments/{run_id}/files",
                       headers=bearer(outsider)).status_code == 404
        assert api.get(f"/api/assignments/{run_id}/files/{row.id}",
                       headers=bearer(outsider)).status_code == 404


def test_cli_refuses_exe_bytes_named_pdf(engine, db_url, tmp_path):
    import subprocess

    from tests.integration.report_scenario import issue_report_cascade
    from tests.support.cli import CHIDAO

    issue_report_cascade(engine)
    run_id = school_run(engine, "UBND-KIENHAI", "MN-HONTRE")
    fake = tmp_path / "Báo cáo.pdf"
    fake.write_bytes(EXE)
    values = tmp_path / "so-lieu.yaml"
    values.write_text("so_lop: 5\ntre: 120\n", encoding="utf-8")
    before = snapshot(engine)
    done = subprocess.run(
        [CHIDAO, "submit", str(run_id), "--unit", "MN-HONTRE", "--attach", str(fake),
         "--values", str(values), "--now", "2026-05-20T10:00"],
        capture_output=True, text=True, timeout=120,
        env={"CHIDAO_DATABASE_URL": db_url, "CHIDAO_ATTACHMENTS_DIR": str(tmp_path / "files"),
             "COLUMNS": "200"})
    assert done.returncode == 2, done.stderr
    assert "tệp 'Báo cáo.pdf': nội dung không phải tệp .pdf (tệp EXE)" in done.stderr
    assert snapshot(engine) == before and not (tmp_path / "files").exists()


def _signed_in(base: str) -> tuple[str, str]:
    """A session cookie and CSRF token of Hòn Tre's principal on the live server."""
    with httpx.Client(base_url=base) as client:
        csrf = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": "hieutruong.hontre", "password": PASSWORD,
                                    "csrf": csrf})
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        return cookie, csrf_of(client.get("/directives").text)


def _raw_post(base: str, path: str, headers: dict[str, str], body_chunks, pace: float = 0):
    """Sends the request over a socket chunk by chunk, stopping as soon as the server has
    answered (or after 60 s); returns (what the server answered, body bytes sent)."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    sent, answer, deadline = 0, b"", time.monotonic() + 60
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{head}\r\n".encode())
        for chunk in body_chunks:
            if readiness.select([sock], [], [], 0)[0] or time.monotonic() > deadline:
                break
            try:
                sock.sendall(chunk)
            except OSError:  # the server closed or stopped reading
                break
            sent += len(chunk)
            time.sleep(pace)
        sock.settimeout(5)
        try:
            while b"</html>" not in answer and (more := sock.recv(65536)):
                answer += more
        except OSError:
            pass
    return answer.decode("utf-8", "replace"), sent


def test_a_300_mb_upload_is_refused_from_its_declared_length_without_being_read(
        web, engine, hon_tre, live_server):
    run_id = hon_tre[0]
    cookie, csrf = _signed_in(live_server)
    before = snapshot(engine)
    declared = 300 * 1024 * 1024
    answer, sent = _raw_post(
        live_server, f"/assignments/{run_id}/submit",
        {"Cookie": cookie, "Content-Length": str(declared),
         "Content-Type": "multipart/form-data; boundary=XyZ"},
        (b"x" * 65536 for _ in range(declared // 65536)), pace=0.001)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "dữ liệu gửi lên quá lớn (300 MB; tối đa 10 MB mỗi tệp" in answer
    assert sent < 5 * 1024 * 1024  # answered before the body was sent, let alone read
    assert snapshot(engine) == before
    assert csrf


def test_a_chunked_upload_is_stopped_once_a_file_passes_the_limit(
        web, engine, hon_tre, live_server):
    run_id = hon_tre[0]
    limit(web, attachment_max_bytes=256 * 1024)
    cookie, csrf = _signed_in(live_server)
    before = snapshot(engine)
    opening = (f"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
               "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; "
               "filename=\"video.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n")

    def chunks():
        body = [opening.encode()] + [b"x" * 16384] * 6400  # 100 MB if it were all sent
        for piece in body:
            yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"

    answer, sent = _raw_post(live_server, f"/assignments/{run_id}/submit",
                             {"Cookie": cookie, "Transfer-Encoding": "chunked",
                              "Content-Type": "multipart/form-data; boundary=XyZ"},
                             chunks(), pace=0.0005)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "tệp 'video.pdf' quá lớn (tối đa 256 KB mỗi tệp" in html.unescape(answer)
    assert sent < 8 * 1024 * 1024
    assert snapshot(engine) == before and not files_dir(web).exists()
