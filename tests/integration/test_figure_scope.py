"""Scoping of data, not only of routes: on a directive addressed to many units, every reader
sees the figures and texts of its own subtree only (the issuer and the units above it: the
whole cascade), on every route and in every export. Each unit hands in a distinctive marker."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from chidao.db.database import transaction
from chidao.domain.reports import Attachment, Submission
from chidao.services.accounts import add_user, user_named
from chidao.services.report_submit import Upload
from chidao.services.sessions import create_token
from tests.integration.report_scenario import COMMUNES, figures, school_run, submit
from tests.support.cascade import at, issue_data, runs
from tests.web_fixtures import PASSWORD, call, csrf_of, routes

SO = "2026:60/KH-SGDĐT"
TO_ALL = "so-stem-moi-truong"  # the Sở asks every school directly
SCHOOLS = {"MN-HONTRE": "UBND-KIENHAI", "MN-LAISON": "UBND-KIENHAI",
           "MN-DUONGDONG": "UBND-PHUQUOC", "MN-RACHGIA": "UBND-RACHGIA"}
MARKER = {code: f"MARKER-{code.split('-')[1]}-4711" for code in (*SCHOOLS, *COMMUNES)}
# Who may see whose figures on the Sở's directive and the communes' plans under it.
SCOPE = {
    "chuyenvien.so": set(MARKER),
    "chuyenvien.kienhai": {"UBND-KIENHAI", "MN-HONTRE", "MN-LAISON"},
    "chuyenvien.phuquoc": {"UBND-PHUQUOC", "MN-DUONGDONG"},
    "hieutruong.hontre": {"MN-HONTRE"},
    "hieutruong.laison": {"MN-LAISON"},
    "hieutruong.duongdong": {"MN-DUONGDONG"},  # a school of a sibling commune
    "chuyenvien.camau": set(),
}


@pytest.fixture
def marked(web, engine):
    """Every school and commune hands in figures carrying its marker in the text field."""
    with transaction(engine) as session:
        add_user(session, username="hieutruong.duongdong", full_name="Hiệu trưởng Dương Đông",
                 unit_code="MN-DUONGDONG", role="staff", password=PASSWORD,
                 now=at("2026-03-01T08:00"))
        web.tokens["hieutruong.duongdong"] = create_token(
            session, user=user_named(session, "hieutruong.duongdong"), name="test",
            now=datetime.now(UTC))
    issue_data(engine, {
        "key": TO_ALL, "number_symbol": "61/KH-SGDĐT", "issuer": "SGDDT-AG",
        "issued_on": "2026-03-03", "title": "Báo cáo STEM trực tiếp của các trường",
        "requirements": [{"key": "moi-truong", "kind": "report", "form": "stem-ket-qua",
                          "title": "Báo cáo STEM của trường", "due": "2026-05-29",
                          "to": {"descendants": {"kind": "school"}}}]}, "2026-03-03T09:00")
    to_all = runs(engine, TO_ALL)
    for school, commune in SCHOOLS.items():
        for run in (school_run(engine, commune, school), to_all[(school, "moi-truong", "")].id):
            marker = MARKER[school]
            submit(engine, run, school, figures(3, 4, 50, 80, True, "tốt", marker),
                   "2026-05-20T10:00", settings=web.app.state.settings,
                   uploads=[Upload(f"{marker}.pdf", f"%PDF-1.4 {marker}".encode())])
    upward = runs(engine, SO)
    for commune in COMMUNES:
        submit(engine, upward[(commune, "bao-cao-stem", "")].id, commune,
               figures(9, 9, 99, 80, True, "tốt", MARKER[commune]), "2026-05-26T10:00")
    return web


def ids(engine) -> dict[str, int]:
    with transaction(engine) as session:
        from chidao.db.lookup import directive_by_ref
        return {"so": directive_by_ref(session, SO).id,
                "to_all": directive_by_ref(session, TO_ALL).id,
                **{c: directive_by_ref(session, f"kh-{c.lower()}-stem").id for c in COMMUNES}}


def text_of(response) -> str:
    """The body as text; an .xlsx (a zip) as the XML of all its parts."""
    if response.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return response.text


def seen(text: str) -> set[str]:
    return {code for code, marker in MARKER.items() if marker in text}


@pytest.mark.parametrize("directive", ["to_all", "UBND-KIENHAI"])
@pytest.mark.parametrize("school", ["MN-HONTRE", "MN-DUONGDONG"])
def test_a_school_sees_only_its_own_figures_in_the_report_page_and_xlsx(marked, engine,
                                                                         directive, school):
    """The Sở's directive to every school, and a commune's plan to its schools."""
    reader = {"MN-HONTRE": "hieutruong.hontre", "MN-DUONGDONG": "hieutruong.duongdong"}[school]
    if directive == "UBND-KIENHAI" and school == "MN-DUONGDONG":
        directive = "UBND-PHUQUOC"
    client = marked.client(reader)
    page = client.get(f"/directives/{ids(engine)[directive]}/report")
    assert page.status_code == 200
    assert seen(page.text) == {school}
    assert "Kết quả triển khai giáo dục STEM" in page.text  # the form and its title still show
    book = client.get(f"/directives/{ids(engine)[directive]}/report.xlsx")
    assert book.status_code == 200 and seen(text_of(book)) == {school}


def test_a_commune_sees_its_schools_not_its_siblings(marked, engine):
    so = ids(engine)["so"]
    client = marked.client("chuyenvien.kienhai")
    for suffix in ("report", "report.xlsx"):
        body = text_of(client.get(f"/directives/{so}/{suffix}"))
        assert seen(body) == {"UBND-KIENHAI", "MN-HONTRE", "MN-LAISON"}, suffix


def test_the_issuer_still_sees_the_whole_cascade(marked, engine):
    client = marked.client("chuyenvien.so")
    so = ids(engine)["so"]
    assert seen(client.get(f"/directives/{so}/report").text) == set(MARKER)
    assert seen(text_of(client.get(f"/directives/{so}/report.xlsx"))) == set(MARKER)


def filled(path: str, target: dict[str, int | str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(target[m[1]]), path)


def targets(engine) -> list[dict[str, int | str]]:
    """Path parameters naming each marked unit's things: its run, its unit, the directive,
    the file it handed in (0 when none)."""
    directives, found = ids(engine), []
    upward, to_all = runs(engine, SO), runs(engine, TO_ALL)
    for commune in COMMUNES:
        found.append((directives["so"], upward[(commune, "bao-cao-stem", "")]))
    for school, commune in SCHOOLS.items():
        found.append((directives[commune],
                      runs(engine, f"kh-{commune.lower()}-stem")[(school, "truong-bao-cao", "")]))
        found.append((directives["to_all"], to_all[(school, "moi-truong", "")]))
    with transaction(engine) as session:
        files = dict(session.exec(select(Submission.assignment_id, Attachment.id).join(
            Attachment, col(Attachment.submission_id) == col(Submission.id))).all())
    return [{"directive_id": directive, "unit_id": run.unit_id, "assignment_id": run.id,
             "attachment_id": files.get(run.id, 0), "file_id": 1,  # no directive file: 404
             "closure_id": 1, "username": "hieutruong.hontre", "holder_id": 1,
             "delegation_id": 1}
            for directive, run in found]


@pytest.mark.parametrize("reader", sorted(SCOPE))
def test_no_route_or_export_shows_figures_outside_the_readers_scope(marked, engine, reader):
    """Second axis of the route-table test: every route (pages, API, exports), every reader
    that may open it, filled in with every marked unit's ids: only markers in scope."""
    client = marked.client(reader)
    csrf = csrf_of(client.get("/directives/new").text)
    token = marked.tokens[reader]
    opened, downloads = 0, []
    for target in targets(engine):
        for method, path in routes(marked.app):
            if method != "GET" and not path.startswith("/api"):
                continue  # page forms answer with a redirect or the form: tested below
            url = filled(path, target)
            response = call(client, method, url, token if path.startswith("/api") else None,
                            csrf)
            assert response.status_code < 500, (method, url, response.status_code)
            leaked = seen(text_of(response)) - SCOPE[reader]
            assert not leaked, (method, url, reader, leaked)
            opened += response.status_code == 200
            if "{attachment_id}" in path and response.status_code == 200:
                downloads.append(response.headers.get("content-disposition", "") + url)
    assert opened > 0
    if SCOPE[reader]:  # the reader's own file is among what it opened
        assert any(f"{MARKER[c]}.pdf" in t for c in SCOPE[reader] for t in downloads), reader


def test_posted_forms_echo_no_figures_outside_scope(marked, engine):
    """Refused or accepted, a posted form answers with nothing of another unit."""
    client = marked.client("hieutruong.duongdong")
    csrf = csrf_of(client.get("/directives/new").text)
    for target in targets(engine):
        for method, path in routes(marked.app):
            if method != "POST" or path.startswith("/api") or path in ("/login", "/logout"):
                continue
            url = filled(path, target)
            response = call(client, method, url, None, csrf)
            assert response.status_code < 500, (method, url, response.status_code)
            assert not seen(text_of(response)) - SCOPE["hieutruong.duongdong"], (method, url)
