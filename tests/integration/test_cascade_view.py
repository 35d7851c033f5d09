"""The cascade view (chidao.queries.cascade_view) on the demo and on a small hand-built case:
every node's counts are its own runs plus its children's, checked against a second reading
(the CLI's status tree, built run by run in Python); the family reaches plans cited two levels
down; a sibling commune sees only its branch; the late filter keeps only late units; the
on-time series at each deadline; and the page's cache shows a change at once."""

import re

import pytest
from sqlmodel import select

from chidao.config.clock import parse_instant
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref, unit_by_code
from chidao.demo.scenario import run_demo
from chidao.domain.status import Status
from chidao.domain.timeliness import Timeliness
from chidao.domain.units import Unit
from chidao.queries.cascade_view import cascade_view, only_late
from chidao.queries.listings import due_window
from chidao.queries.read_scope import figures_scope
from chidao.queries.status_tree import DirectiveNode, status_tree
from tests.support.cascade import act, issue_data, runs, seed_units

STORY = "2026-03-25T09:00"
KH = "1039/KH-SGDĐT"


@pytest.fixture
def demo(runtime):
    run_demo(runtime, now=parse_instant(STORY), log=lambda _line: None)
    return runtime


def view(runtime, session, focus: str, reader: str = "SGDDT-AG", ref: str = KH,
         now: str = STORY):
    moment = parse_instant(now)
    _, soon = due_window(moment, runtime.calendar, runtime.rules.due_soon_working_days)
    directive = directive_by_ref(session, ref)
    top = figures_scope(session, unit_by_code(session, reader), directive)
    return cascade_view(session, directive, top=top, focus=unit_by_code(session, focus),
                        now=moment, soon=soon)


def tree_runs(node: DirectiveNode):
    """(unit id, run) of every run in the status tree, plans nested to any depth."""
    for unit in node.units:
        for run in unit.assignments:
            yield unit.id, run
        for plan in unit.directives:
            yield from tree_runs(plan)
    for plan in node.directives:
        yield from tree_runs(plan)


def expected_below(session, runtime, code: str) -> dict[str, int]:
    """The counts under `code`, read run by run from the status tree."""
    tree = status_tree(session, directive_by_ref(session, KH), now=parse_instant(STORY),
                       calendar=runtime.calendar)
    path = {u.id: u.path for u in session.exec(select(Unit)).all()}
    mine = unit_by_code(session, code).path
    below = [(uid, r) for uid, r in tree_runs(tree) if path[uid].startswith(mine)]
    return {"assigned": len(below),
            "received": sum(r.status is not Status.ISSUED for _, r in below),
            "handed_in": sum(r.status in (Status.SUBMITTED, Status.ACCEPTED) for _, r in below),
            "late": sum(r.timeliness is Timeliness.OVERDUE for _, r in below),
            "units": len({uid for uid, _ in below}),
            "late_units": len({uid for uid, r in below if r.timeliness is Timeliness.OVERDUE})}


def test_every_node_counts_its_own_runs_plus_its_children(demo):
    with transaction(demo.engine) as session:
        visited, frontier = 0, ["SGDDT-AG"]
        while frontier:
            code = frontier.pop()
            shown = view(demo, session, code)
            totals = shown.total.as_json()
            assert {k: totals[k] for k in expected_below(session, demo, code)} == \
                expected_below(session, demo, code), code
            for child in shown.children:
                below = view(demo, session, session.get(Unit, child.unit.id).code)
                assert below.total == child.counts  # its row above = itself and its children
                assert below.own.assigned == child.own
                frontier.append(session.get(Unit, child.unit.id).code)
            visited += 1
    # the Sở, 3 communes, Kiên Hải's Phòng and 4 schools, Hòn Tre's 2 teams (not its office)
    assert visited == 11


def test_the_family_reaches_plans_cited_two_levels_down(demo):
    with transaction(demo.engine) as session:
        top = view(demo, session, "SGDDT-AG")
        assert [f.number_symbol for f in top.family] == [KH, "/KH-UBND", "12/KH-MNHT"]
        teams = [level for level in top.levels if level.kinds == ("Bộ phận",)]
        assert teams and teams[0].units == 2 and teams[0].depth == 3
        school = view(demo, session, "MN-HONTRE")
        assert [c.unit.name for c in school.children] == ["Tổ chuyên môn Mẫu giáo",
                                                          "Tổ chuyên môn Nhà trẻ"]
        assert [u.name for u in school.trail] == [
            "Sở Giáo dục và Đào tạo tỉnh An Giang", "Ủy ban nhân dân đặc khu Kiên Hải",
            "Trường Mầm non Hòn Tre"]


def test_a_sibling_commune_sees_only_its_own_branch(demo):
    with transaction(demo.engine) as session:
        mine = view(demo, session, "UBND-PHUQUOC", reader="UBND-PHUQUOC")
        text = str(mine.as_json())
        assert "Kiên Hải" not in text and "Hòn Tre" not in text and "Rạch Giá" not in text
        assert mine.top.name == "Ủy ban nhân dân đặc khu Phú Quốc"
        assert [(lv.depth, lv.units) for lv in mine.levels] == [(0, 1)]
        assert [f.number_symbol for f in mine.family] == [KH]
        with pytest.raises(ValueError):
            view(demo, session, "MN-HONTRE", reader="UBND-PHUQUOC")
        kien_hai = view(demo, session, "UBND-KIENHAI", reader="UBND-KIENHAI")
        assert kien_hai.total == view(demo, session, "UBND-KIENHAI").total


def test_only_late_units_are_listed_under_the_late_filter(demo):
    with transaction(demo.engine) as session:
        tree = status_tree(session, directive_by_ref(session, KH), now=parse_instant(STORY),
                           calendar=demo.calendar)
        units = {u.id: u for u in session.exec(select(Unit)).all()}
        late_paths = [units[uid].path for uid, r in tree_runs(tree)
                      if r.timeliness is Timeliness.OVERDUE]
        for code in ("SGDDT-AG", "UBND-KIENHAI", "MN-HONTRE"):
            parent = unit_by_code(session, code)
            expected = {u.name for u in units.values() if u.parent_id == parent.id
                        and any(p.startswith(u.path) for p in late_paths)}
            late = only_late(view(demo, session, code))
            assert {c.unit.name for c in late.children} == expected, code
            assert all(c.counts.late > 0 for c in late.children)
        assert expected == set()  # Hòn Tre's teams are not late…
        # …Phú Quốc's plan was given until 27/03 (due soon, not late); Rạch Giá's plan is late,
        # and so are Kiên Hải's Phòng and An Sơn (Nam Du was given until 30/03)
        assert {c.unit.name for c in only_late(view(demo, session, "SGDDT-AG")).children} == {
            "Ủy ban nhân dân phường Rạch Giá", "Ủy ban nhân dân đặc khu Kiên Hải"}


SMALL = {"number_symbol": "31/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "2026-03-02",
         "title": "Kiểm tra tiến độ", "requirements": [
             {"key": "ke-hoach", "kind": "plan", "title": "Kế hoạch",
              "to": {"children": {"kind": "people_committee"}}, "due": "2026-03-10"},
             {"key": "thuc-hien", "kind": "action", "title": "Thực hiện",
              "to": {"children": {"kind": "people_committee"}}, "due": "2026-03-20"}]}
# (unit, requirement, handed in at): Rạch Giá hands in nothing.
HANDED_IN = [("UBND-KIENHAI", "ke-hoach", "2026-03-09T10:00"),
             ("UBND-PHUQUOC", "ke-hoach", "2026-03-12T10:00"),
             ("UBND-KIENHAI", "thuc-hien", "2026-03-18T10:00"),
             ("UBND-PHUQUOC", "thuc-hien", "2026-03-19T10:00")]


def test_the_on_time_series_counts_runs_due_by_each_deadline(runtime):
    seed_units(runtime.engine)
    issue_data(runtime.engine, SMALL, "2026-03-02T09:00")
    found = runs(runtime.engine, "2026:31/KH-SGDĐT")
    for unit, key, when in HANDED_IN:
        act(runtime.engine, found[(unit, key, "")].id, Status.SUBMITTED, unit, when=when)
    due = {key: found[("UBND-RACHGIA", key, "")].due_at for key in ("ke-hoach", "thuc-hien")}
    on_time = {(u, k) for u, k, when in HANDED_IN if parse_instant(when) < due[k]}
    assert on_time == {("UBND-KIENHAI", "ke-hoach"), ("UBND-KIENHAI", "thuc-hien"),
                       ("UBND-PHUQUOC", "thuc-hien")}  # Phú Quốc's plan came two days late
    with transaction(runtime.engine) as session:
        shown = view(runtime, session, "SGDDT-AG", ref="2026:31/KH-SGDĐT",
                     now="2026-03-30T09:00")
        before = view(runtime, session, "SGDDT-AG", ref="2026:31/KH-SGDĐT",
                      now="2026-03-15T09:00")
    assert [(p.due_on.isoformat(), p.due, p.on_time) for p in shown.series] == [
        ("2026-03-10", 3, 1), ("2026-03-20", 6, 3)]
    assert [(p.due, p.on_time) for p in before.series] == [(3, 1)]  # the second not yet due
    assert (shown.total.judged, shown.total.on_time, shown.total.on_time_percent) == (6, 3, 50)
    assert (shown.total.late, shown.total.late_units) == (2, 1)  # Rạch Giá, both runs
    communes = shown.levels[0]
    assert (communes.units, communes.plan_units, communes.plans_done) == (3, 3, 2)
    assert (communes.late_units, communes.done_units) == (1, 2)


def _row(html: str, name: str, label: str) -> int:
    row = html[html.index(name):]
    return int(re.search(rf'data-label="{label}">(\d+)', row)[1])


def test_the_page_scopes_a_sibling_and_shows_a_change_at_once(web, engine):
    with transaction(engine) as session:
        kh, kien_hai = directive_by_ref(session, KH).id, unit_by_code(session, "UBND-KIENHAI").id
        hon_tre = unit_by_code(session, "MN-HONTRE").id
    phu_quoc = web.client("chuyenvien.phuquoc")
    page = phu_quoc.get(f"/directives/{kh}/cascade")
    assert page.status_code == 200 and "Phú Quốc" in page.text and "Kiên Hải" not in page.text
    assert phu_quoc.get(f"/directives/{kh}/cascade?unit={kien_hai}").status_code == 404
    assert web.client("chuyenvien.camau").get(f"/directives/{kh}/cascade").status_code == 404
    assert web.client("chuyenvien.kienhai").get(
        f"/directives/{kh}/cascade?unit={hon_tre}").status_code == 200
    so = web.client("chuyenvien.so")
    before = so.get(f"/directives/{kh}/cascade").text
    assert _row(before, "phường Rạch Giá", "Đã nộp") == 0
    plan = runs(engine, "2026:1039/KH-SGDĐT")[("UBND-RACHGIA", "ke-hoach-trien-khai", "")]
    act(engine, plan.id, Status.SUBMITTED, "UBND-RACHGIA")
    after = so.get(f"/directives/{kh}/cascade").text  # the same minute: the cache must see it
    assert _row(after, "phường Rạch Giá", "Đã nộp") == 1
    late = so.get(f"/directives/{kh}/cascade?late=1").text
    assert "Chỉ đơn vị trễ hạn" in late and "tr class=\"unit" in late


def test_the_view_reads_in_a_fixed_number_of_statements(engine, runtime):
    """A province of 3 communes (2 plans) and one of 30 (20 plans), focused on the Sở and on
    a commune: the same statements, whatever the number of units, runs and plans."""
    from tests.integration.scaled_scenario import NOW, build
    from tests.statements import counted

    build(engine, "A", communes=3, schools=3)
    build(engine, "B", communes=30, schools=3)
    counts, shown = {}, {}
    _, soon = due_window(NOW, runtime.calendar, 3)
    for prefix in ("A", "B"):
        with transaction(engine) as session:
            root = directive_by_ref(session, f"{prefix}-so")
            for focus in ("SO", "XA-01"):
                so, unit = (unit_by_code(session, f"{prefix}-{c}") for c in ("SO", focus))
                with counted(engine) as sent:
                    shown[prefix, focus] = cascade_view(session, root, top=so, focus=unit,
                                                        now=NOW, soon=soon)
                counts[prefix, focus] = sent.count
    assert len(shown["B", "SO"].family) == 1 + 20 and len(shown["B", "SO"].children) == 30
    assert shown["B", "SO"].total.assigned == 30 + 20 * 3
    assert len(shown["A", "XA-01"].children) == 3
    assert counts["A", "SO"] == counts["B", "SO"] and counts["A", "XA-01"] == counts["B", "XA-01"]
    assert counts["B", "SO"] <= 8, counts


class MovableClock:
    """The runtime's clock (chidao.config.clock.Clock), moved by the test."""

    def __init__(self, text: str) -> None:
        self.instant = parse_instant(text)

    def now(self):
        return self.instant


def test_a_kept_view_gives_way_when_a_deadline_passes(demo):
    """Nothing changes in the data between 25/03 and 28/03, but Phú Quốc's plan (given until
    27/03) turns from due soon to late: the kept view must not be shown past its deadline."""
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from chidao.demo.scenario import DEMO_PASSWORD, add_demo_users
    from chidao.web.app import create_app
    from tests.web_fixtures import csrf_of

    add_demo_users(demo)
    clock = MovableClock(STORY)
    app = create_app(runtime=replace(demo, clock=clock, settings=demo.settings.model_copy(
        update={"secret_key": "test-secret"})))

    def signed_in() -> TestClient:
        client = TestClient(app)
        client.post("/login", data={"username": "chuyenvien.so", "password": DEMO_PASSWORD,
                                    "csrf": csrf_of(client.get("/login").text)})
        return client

    client = signed_in()
    with transaction(demo.engine) as session:
        kh = directive_by_ref(session, KH).id
    page = client.get(f"/directives/{kh}/cascade").text
    assert (_row(page, "đặc khu Phú Quốc", "Trễ hạn"),
            _row(page, "đặc khu Phú Quốc", "Sắp đến hạn")) == (0, 1)
    assert client.get(f"/directives/{kh}/cascade").text == page  # the same minute, kept
    clock.instant = parse_instant("2026-03-28T09:00")
    client = signed_in()  # three days idle: a new session
    page = client.get(f"/directives/{kh}/cascade").text
    assert (_row(page, "đặc khu Phú Quốc", "Trễ hạn"),
            _row(page, "đặc khu Phú Quốc", "Sắp đến hạn")) == (1, 0)
