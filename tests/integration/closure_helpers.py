"""Closure scenes shared by the closure tests: the example province's schools, the Sở's report
to every school, a closure of Kiên Hải declared through the service, what was mailed."""

from __future__ import annotations

from datetime import date

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.services.closures import declare_closure
from tests.support.cascade import at, runs, small

KIENHAI = ["MN-HONTRE", "MN-LAISON", "MN-ANSON", "MN-NAMDU"]  # schools of UBND-KIENHAI
NEIGHBOURS = ["MN-DUONGDONG", "MN-RACHGIA"]  # schools of the other communes
MAIL = {"MN-HONTRE": "mnhontre@angiang.edu.vn", "MN-LAISON": "mnlaison@angiang.edu.vn",
        "MN-ANSON": "mnanson@angiang.edu.vn", "MN-NAMDU": "mnnamdu@angiang.edu.vn",
        "MN-DUONGDONG": "mnduongdong@angiang.edu.vn", "MN-RACHGIA": "mnrachgia@angiang.edu.vn",
        "UBND-KIENHAI": "ubnd.kienhai@angiang.gov.vn",
        "UBND-PHUQUOC": "ubnd.phuquoc@angiang.gov.vn"}


def to_schools(due: str) -> dict:
    data = small(number_symbol="91/KH-SGDĐT", title="Báo cáo kiểm tra cơ sở vật chất")
    data["requirements"][0]["to"] = {"descendants": {"kind": "school"}}
    data["requirements"][0]["due"] = due
    return data


def declare(engine, when: str, **over):
    values = {"unit_code": "UBND-KIENHAI", "kind": "school", "starts_on": date(2026, 3, 16),
              "ends_on": date(2026, 3, 18), "reason": "Bão số 3", "decision":
              "Công văn 210/UBND-VP ngày 13/03/2026", "actor": "SGDDT-AG"} | over
    with transaction(engine) as session:
        closure, moved = declare_closure(session, now=at(when), calendar=vietnam_calendar(),
                                         rules=Settings().rules(), **values)
        return closure.id, moved


def deadlines(engine, key: str) -> dict[str, date]:
    return {code: run.due_on for (code, _r, _p), run in runs(engine, key).items()}


def mailed(smtp) -> set[str]:
    return {rcpt for mail in smtp.received for rcpt in mail.rcpt_tos}
