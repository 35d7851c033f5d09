"""`chidao preview --at T`: the mail a sweep and a delivery at T would send, compared with
what a real sweep and delivery at T then hand a local SMTP server (aiosmtpd on 127.0.0.1);
nothing written by the preview, `--unit` filtering, refusals; `deliver --dry-run`; the sweep's
dry run in words."""

from __future__ import annotations

import json
from collections import defaultdict
from email.message import EmailMessage
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from chidao.db.database import transaction
from chidao.domain.acting import Actor
from chidao.domain.notifications import message_table
from chidao.services.recall import recall_directive
from tests.integration.engine_helpers import engine_settings, tick
from tests.smtp_server import free_port
from tests.support.cascade import (
    SEED,
    WHEN,
    at,
    issue_data,
    issue_file,
    seed_units,
    small,
    snapshot,
)
from tests.support.cli import chidao, refused

T = "2026-03-20T07:35"  # Friday: the 31/03 report's 7-working-days reminder, and more
DOMAIN = "test.chidao.vn"


@pytest.fixture
def queued_and_due(engine):
    """Two directives issued; their 'new task' digests composed while SMTP was down, so they
    wait in the outbox (queued, retry due well before T); at T new reminders are due too, and
    the notices of a third directive recalled (thu hồi) the day before."""
    seed_units(engine)
    issue_file(engine, SEED[0], WHEN[0])
    issue_data(engine, small(), "2026-03-02T09:00")
    down = engine_settings(SimpleNamespace(port=free_port()))  # nothing listens there
    report = tick(engine, down, "2026-03-02T10:00")
    assert report.sent == 0 and report.retrying > 0
    recalled = issue_data(engine, small(number_symbol="66/KH-SGDĐT"), "2026-03-02T11:00")
    with transaction(engine) as session:
        assert recall_directive(session, recalled.directive_id, by=Actor("SGDDT-AG"),
                                reason="Ban hành nhầm", now=at("2026-03-19T15:00")) == 3
    return report.retrying


def run(db_url: str, *args: str) -> Any:
    return chidao(*args, CHIDAO_DATABASE_URL=db_url, CHIDAO_MAIL_DOMAIN=DOMAIN)


def preview_json(db_url: str, *args: str) -> dict[str, Any]:
    done = run(db_url, *args, "--json")
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def mails(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for r in data["recipients"] for m in r["mails"]]


def part(message: EmailMessage, subtype: str) -> bytes:
    found = message.get_body(preferencelist=(subtype,))
    assert found is not None and found.get_content_subtype() == subtype
    return bytes(found.get_payload(decode=True))  # the part's bytes as the email carries them


def test_preview_prints_byte_for_byte_what_the_real_sweep_and_delivery_send(
        engine, db_url, smtp, queued_and_due):
    before = snapshot(engine)
    shown = preview_json(db_url, "preview", "--at", T)
    printed = run(db_url, "preview", "--at", T).output
    assert snapshot(engine) == before  # the preview wrote nothing
    report = tick(engine, engine_settings(smtp), T)  # the real sweep and delivery at T
    assert report.sent == len(smtp.received) == shown["messages"] > queued_and_due
    assert shown["notifications"] > 0  # the sweep at T wrote reminders: new digests
    previewed = defaultdict(list)
    for mail in mails(shown):
        previewed[mail["to"]].append(mail)
    received = defaultdict(list)
    for got in smtp.received:
        received[str(got.message["To"])].append(got)
    assert sorted(previewed) == sorted(received)
    kept_ids = 0
    for to, got_mails in received.items():
        got_mails.sort(key=lambda g: str(g.message["Subject"]))
        shown_mails = sorted(previewed[to], key=lambda m: m["subject"])
        for mail, got in zip(shown_mails, got_mails, strict=True):
            message = got.message
            for header, key in (("Subject", "subject"), ("From", "from"), ("Date", "date")):
                assert str(message[header]) == mail[key], (to, header)
            assert str(message["Cc"] or "") == mail["cc"]
            assert got.rcpt_tos == mail["envelope_to"]
            assert part(message, "plain") == mail["text"].encode("utf-8")
            assert part(message, "html") == mail["html"].encode("utf-8")
            assert mail["text"] in printed  # the plain output carries each body verbatim
            kept_ids += str(message["Message-ID"]) == mail["message_id"]
    # A digest already composed keeps its Message-ID; a new one gets one made when it is formed
    # (the preview's own formation is rolled back), so only those queued before T match.
    assert kept_ids == queued_and_due


def test_preview_at_a_unit_shows_only_its_mail_and_deliver_dry_run_only_what_waits(
        engine, db_url, queued_and_due):
    everything = mails(preview_json(db_url, "preview", "--at", T))
    address = "ubnd.phuquoc@angiang.gov.vn"
    mine = mails(preview_json(db_url, "preview", "--at", T, "--unit", "UBND-PHUQUOC"))
    assert mine and len(mine) < len(everything)
    assert all(address in m["envelope_to"] for m in mine)
    assert len(mine) == sum(address in m["envelope_to"] for m in everything)
    before = snapshot(engine)
    waiting = preview_json(db_url, "deliver", "--dry-run", "--now", T)
    assert snapshot(engine) == before
    assert waiting["swept"] is False and waiting["notifications"] == 0
    with engine.connect() as conn:  # the digests composed while SMTP was down
        queued = set(conn.execute(select(message_table.c.header_id).where(
            message_table.c.status == "queued")).scalars())
    # Sent by a delivery alone: those, and one digest per commune of the recall's notices
    # (written when it was recalled); not the reminders only the sweep at T writes.
    ids = [m["message_id"] for m in mails(waiting)]
    assert len(queued) == queued_and_due and queued <= set(ids)
    assert len(ids) == queued_and_due + 3 < len(everything)


def test_preview_outside_sending_hours_sends_nothing_and_says_why(engine, db_url,
                                                                  queued_and_due):
    saturday = preview_json(db_url, "preview", "--at", "21/03/2026 09:00")
    assert saturday["messages"] == 0 and "sending hours" in saturday["held"]


@pytest.mark.parametrize(("args", "field"), [
    (["--at", "2026-13-40T07:00"], "at"),
    (["--at", "hôm qua"], "at"),
    (["--at", T, "--unit", "KHONG-CO"], "unit"),
])
def test_bad_moment_or_unknown_unit_is_refused_naming_the_field(engine, db_url, args, field):
    seed_units(engine)
    refused(run(db_url, "preview", *args), f"Error {field}:")


def test_sweep_dry_run_names_units_tasks_and_stages_in_words(engine, db_url, queued_and_due):
    before = snapshot(engine)
    done = run(db_url, "sweep", "--dry-run", "--now", "2026-04-01T07:35")
    data = preview_json(db_url, "sweep", "--dry-run", "--now", "2026-04-01T07:35")
    assert snapshot(engine) == before
    urged = next(d for d in data["due"] if d["kind"] == "overdue")
    assert urged["unit"]["code"] in {"UBND-KIENHAI", "UBND-PHUQUOC", "UBND-RACHGIA"}
    assert urged["unit"]["name"].startswith("Ủy ban nhân dân")
    assert urged["task"] == {**urged["task"], "requirement": "Báo cáo",
                             "directive": "55/KH-SGDĐT", "due_on": "2026-03-31"}
    assert urged["stage_words"] == "quá hạn 1 ngày làm việc: đôn đốc đơn vị"
    assert urged["to"] == urged["unit"]
    line = next(li for li in done.output.splitlines() if urged["unit"]["code"] in li
                and "quá hạn 1 ngày" in li)
    assert urged["unit"]["name"] in line and "“Báo cáo”, văn bản 55/KH-SGDĐT" in line
    assert "hạn 31/03/2026" in line and f"→ gửi {urged['unit']['code']}" in line
    escalated = [d for d in data["due"] if d["kind"] == "escalation"]
    assert escalated and all(
        d["stage_words"] == "báo cáo lên cấp trên: đơn vị quá hạn 7 ngày làm việc"
        and d["to"] == {"code": "SGDDT-AG", "name": "Sở Giáo dục và Đào tạo tỉnh An Giang"}
        for d in escalated)


def test_a_real_sweep_during_a_preview_is_not_held_long_and_loses_nothing(engine,
                                                                          queued_and_due):
    """The preview's transaction held open (its sweep done, as mid-preview): a real sweep
    meanwhile waits for it on SQLite (the write lock, until the rollback) and does not wait on
    PostgreSQL (SKIP LOCKED: the runs the preview holds are left to its next pass); either
    way every notification is written once the preview is gone."""
    import threading
    import time

    from sqlalchemy import func

    from chidao.config.calendar_source import vietnam_calendar
    from chidao.domain.notifications import notification_table
    from chidao.notifications.preview import discarded
    from chidao.notifications.sweep import sweep

    def real_sweep() -> int:
        with transaction(engine) as session:
            return len(sweep(session, now=at(T), calendar=vietnam_calendar(),
                             send_at=engine_settings(None).send_from).notifications)

    def count() -> int:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(notification_table))
                       .scalar_one())

    before, done = count(), {}
    with discarded(engine) as preview:
        due = len(sweep(preview, now=at(T), calendar=vietnam_calendar(),
                        send_at=engine_settings(None).send_from).notifications)
        started = time.monotonic()
        worker = threading.Thread(target=lambda: done.update(
            written=real_sweep(), took=time.monotonic() - started))
        worker.start()
        time.sleep(0.5)
        worker.join(timeout=0 if engine.dialect.name == "sqlite" else 10)
    worker.join(timeout=30)
    assert due > 0 and "written" in done
    if engine.dialect.name == "sqlite":
        assert done["took"] >= 0.5 and done["written"] == due  # waited, then did it all
    else:
        assert done["took"] < 0.5 and done["written"] == 0  # did not wait: skipped them
        assert real_sweep() == due  # its next pass writes them
    assert count() == before + due
