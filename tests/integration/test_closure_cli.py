"""`chidao closure add | list | lift` on a real SQLite file: deadlines move and come back; bad
input ends with exit code 2 naming the field, nothing written; no Prefect imported."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.integration.closure_helpers import KIENHAI, deadlines, to_schools
from tests.support.cascade import issue_data, seed_units, snapshot
from tests.support.cli import chidao, refused


def test_add_list_and_lift_a_closure(engine, db_url):
    seed_units(engine)
    key = issue_data(engine, to_schools("2026-03-20"), "2026-03-02T09:00").key
    done = chidao("--db", db_url, "closure", "add", "UBND-KIENHAI", "--from", "16/03/2026",
                  "--to", "18/03/2026", "--reason", "Bão số 3", "--decision",
                  "Công văn 210/UBND-VP", "--actor", "SGDDT-AG", "--now", "2026-03-13T15:00")
    assert done.exit_code == 0, done.output
    assert "4 open runs moved" in done.output and "nghỉ học 16/03–18/03/2026" in done.output
    assert {deadlines(engine, key)[s] for s in KIENHAI} == {date(2026, 3, 25)}
    # The refresh handed the moved runs to the sweep; it finds them on a closed day.
    swept = chidao("--db", db_url, "sweep", "--now", "2026-03-17T08:00").output
    assert "4 paused (their unit is closed today)" in swept, swept
    assert "nhắc hạn 3 ngày làm việc trước hạn → gửi" in swept  # the neighbours' reminders
    listed = json.loads(chidao("--db", db_url, "closure", "list", "--unit", "MN-HONTRE",
                               "--json").output)
    assert [(c["unit"], c["from"], c["to"], c["reason"], c["lifted_at"]) for c in listed] == [
        ("UBND-KIENHAI", "2026-03-16", "2026-03-18", "Bão số 3", None)]
    assert json.loads(chidao("--db", db_url, "closure", "list", "--unit", "UBND-PHUQUOC",
                             "--json").output) == []
    table = chidao("--db", db_url, "closure", "list", COLUMNS="200").output
    assert "Bão số 3" in table and "nghỉ học" in table
    done = chidao("--db", db_url, "closure", "lift", str(listed[0]["id"]), "--reason",
                  "Bão đổi hướng", "--now", "2026-03-14T08:00")
    assert done.exit_code == 0, done.output
    assert "4 open runs moved back" in done.output
    assert set(deadlines(engine, key).values()) == {date(2026, 3, 20)}


@pytest.mark.parametrize(("args", "needles"), [
    (["--from", "31/02/2026", "--to", "18/03/2026", "--reason", "Bão"], ["from:", "31/02/2026"]),
    (["--from", "16/03/2026", "--to", "hôm qua", "--reason", "Bão"], ["to:", "hôm qua"]),
    (["--from", "16/03/2026", "--to", "15/03/2026", "--reason", "Bão"],
     ["to:", "trước ngày bắt đầu"]),
    (["--from", "16/03/2026", "--to", "18/03/2026", "--reason", " "], ["reason:", "lý do"]),
    (["--from", "16/03/2026", "--to", "18/03/2026", "--reason", "Bão", "--kind", "tet"],
     ["kind:", "school", "work"]),
    (["--from", "16/03/2026", "--to", "18/03/2026", "--reason", "Bão", "--actor",
      "UBND-PHUQUOC"], ["unit:", "không thuộc"]),
])
def test_bad_input_exits_2_naming_the_field(engine, db_url, args, needles):
    seed_units(engine)
    before = snapshot(engine)
    refused(chidao("--db", db_url, "closure", "add", "UBND-KIENHAI", *args), *needles)
    assert snapshot(engine) == before


def test_lifting_a_closure_that_does_not_exist(engine, db_url):
    seed_units(engine)
    refused(chidao("--db", db_url, "closure", "lift", "99", "--reason", "x"),
            "closure:", "không có lịch nghỉ số 99")

