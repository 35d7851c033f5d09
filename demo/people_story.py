"""The demo story's people (chidao.domain.people), once the demo accounts exist: inside UBND
đặc khu Kiên Hải the head puts two specialists on the commune's report to the Sở (chủ trì,
phối hợp, with a personal deadline three weeks before the unit's). No delegation is made in
the story: the deputy's account (phochutich.kienhai) is there for a visitor to lend it the
head's rights on the "Ủy quyền" page and see what changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..config.clock import parse_instant
from ..config.runtime import Runtime
from ..db.database import transaction
from ..db.lookup import unit_by_code
from ..domain.holding import HolderChoice
from ..domain.people import HolderRole
from ..services.accounts import user_named
from ..services.acting import own_actor
from ..services.holders import assign_holders

HEAD, LEAD, COOPERATOR = "chuyenvien.kienhai", "chuyenvien2.kienhai", "chuyenvien3.kienhai"
ASSIGNED_AT = "2026-03-12T14:00"


def replay_people(runtime: Runtime, log: Callable[[str], None]) -> None:
    """What of it happened by the runtime's clock."""
    now = runtime.now()
    if parse_instant(ASSIGNED_AT) <= now:
        _assign(runtime)
        log(f"{ASSIGNED_AT}: UBND-KIENHAI giao {LEAD} chủ trì, {COOPERATOR} phối hợp")


def _assign(runtime: Runtime) -> None:
    from ..demo.scenario import report_run_of

    with transaction(runtime.engine) as session:
        run_id = report_run_of(session, unit_by_code(session, "UBND-KIENHAI").code)
        lead, cooperator = user_named(session, LEAD), user_named(session, COOPERATOR)
        assign_holders(session, run_id, [
            HolderChoice(lead.id or 0, HolderRole.LEAD, date(2026, 6, 2),
                         "Tổng hợp báo cáo của các trường mầm non trên địa bàn"),
            HolderChoice(cooperator.id or 0, HolderRole.COOPERATE)],
            by=own_actor(session, user_named(session, HEAD)), now=parse_instant(ASSIGNED_AT))
