"""`chidao amend FILE [--apply]` and `chidao recall DIRECTIVE --reason` on a real SQLite file:
the preview in words writes nothing, --apply makes the changes, bad input ends with exit
code 2 naming the field; neither command imports Prefect."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date

import yaml

from chidao.domain.status import Status
from tests.support.amend_scene import KEY, amended, issued, seed
from tests.support.cascade import runs, snapshot
from tests.support.cli import CHIDAO, chidao, refused

NOW = "2026-03-09T10:00"


def write(tmp_path, data, name="changed.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_the_preview_says_the_changes_in_words_and_writes_nothing(engine, db_url, tmp_path):
    seed(engine)
    before = snapshot(engine)
    done = chidao("--db", db_url, "amend", write(tmp_path, amended()), "--now", NOW,
                  COLUMNS="200")
    assert done.exit_code == 0, done.output
    out = done.output
    assert "Sửa đổi, bổ sung văn bản 55/KH-SGDĐT «Kiểm tra cơ sở vật chất» (lần 1 → 2)" in out
    kienhai = out.split("Ủy ban nhân dân đặc khu Kiên Hải (UBND-KIENHAI)")[1].split(
        "Ủy ban nhân dân đặc khu Phú Quốc")[0]
    assert "Đổi hạn nhiệm vụ «Báo cáo kết quả kiểm tra»: 31/03/2026 → 15/04/2026" in kienhai
    assert "Thu hồi nhiệm vụ «Báo cáo nhanh»" in kienhai
    assert "Giữ lại nhiệm vụ «Báo cáo nhanh» (đã nộp)" in out.split("(UBND-RACHGIA)")[1]
    assert "3 đơn vị" in out and "Chưa áp dụng" in out and "--apply" in out
    assert snapshot(engine) == before


def test_apply_makes_the_changes(engine, db_url, tmp_path):
    seed(engine)
    path = write(tmp_path, amended())
    preview = json.loads(chidao("--db", db_url, "amend", path, "--now", NOW, "--json").output)
    assert preview["counts"] == {"added": 2, "cancelled": 2, "kept": 1, "moved": 2,
                                 "retitled": 1, "form": 0}
    done = chidao("--db", db_url, "amend", path, "--apply", "--expect",
                  preview["fingerprint"], "--now", NOW)
    assert done.exit_code == 0, done.output
    assert "Đã áp dụng: văn bản 55/KH-SGDĐT sửa đổi lần 2." in done.output
    assert runs(engine, KEY)[("UBND-PHUQUOC", "r", "")].due_on == date(2026, 4, 15)
    again = chidao("--db", db_url, "amend", path, "--apply", "--now", NOW)
    assert "Không có gì thay đổi" in again.output


def test_bad_input_exits_2_naming_the_field(engine, db_url, tmp_path):
    seed(engine)
    before = snapshot(engine)
    moved = {**amended(), "issued_on": "2026-03-03"}
    refused(chidao("--db", db_url, "amend", write(tmp_path, moved), "--apply", "--now", NOW),
            "issued_on")
    other = {**issued(), "number_symbol": "99/KH-SGDĐT"}
    refused(chidao("--db", db_url, "amend", write(tmp_path, other), "--now", NOW),
            "number_symbol", "99/KH-SGDĐT")
    refused(chidao("--db", db_url, "amend", str(tmp_path / "missing.yaml")), "file")
    refused(chidao("--db", db_url, "amend", write(tmp_path, amended()), "--apply", "--expect",
                   "0000", "--now", NOW), "fingerprint")
    assert snapshot(engine) == before


def test_amend_imports_no_prefect(engine, db_url, tmp_path):
    """Seen from the real command with Python's import-time log."""
    seed(engine)
    env = {**os.environ, "CHIDAO_DATABASE_URL": db_url, "PYTHONPROFILEIMPORTTIME": "1"}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([CHIDAO, "amend", write(tmp_path, amended()), "--now", NOW],
                          env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "chidao.services.amend" in done.stderr  # the log is there
    assert " prefect" not in done.stderr and "| prefect" not in done.stderr


REASON = "Ban hành nhầm đối tượng, sẽ thay bằng văn bản khác"


def test_recall_closes_the_open_runs_and_deletes_nothing(engine, db_url, tmp_path):
    seed(engine)
    before = runs(engine, KEY)
    done = chidao("--db", db_url, "recall", "55/KH-SGDĐT", "--reason", REASON, "--now", NOW)
    assert done.exit_code == 0, done.output
    assert "Đã thu hồi văn bản 55/KH-SGDĐT: 6 nhiệm vụ đang mở được đóng" in done.output
    after = runs(engine, KEY)
    assert set(after) == set(before)  # nothing deleted
    assert after[("UBND-RACHGIA", "r", "")].status is Status.ACCEPTED
    assert {run.status for key, run in after.items() if key != ("UBND-RACHGIA", "r", "")} \
        == {Status.CANCELLED}
    refused(chidao("--db", db_url, "amend", write(tmp_path, amended()), "--now", NOW),
            "number_symbol", "đã bị thu hồi")
    refused(chidao("--db", db_url, "recall", "55/KH-SGDĐT", "--reason", REASON), "directive",
            "đã bị thu hồi")


def test_recall_refuses_bad_input_naming_it(engine, db_url):
    seed(engine)
    before = snapshot(engine)
    refused(chidao("--db", db_url, "recall", "55/KH-SGDĐT", "--reason", "  "), "reason")
    refused(chidao("--db", db_url, "recall", "99/KH-SGDĐT", "--reason", REASON), "directive")
    missing = chidao("--db", db_url, "recall", "55/KH-SGDĐT")
    assert missing.exit_code == 2 and "--reason" in missing.output
    assert snapshot(engine) == before


def test_issuing_a_changed_file_points_to_amend(engine, db_url, tmp_path):
    seed(engine)
    before = snapshot(engine)
    done = chidao("--db", db_url, "directive", "issue", write(tmp_path, amended()),
                  "--now", NOW)
    refused(done, "requirements[0].due", "chidao amend FILE")
    assert snapshot(engine) == before
