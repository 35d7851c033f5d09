"""Nhật ký: the audit trail of the user's unit and the units below it (chidao.queries
.audit_trail) for its heads and admins (and a delegate holding the review right): who did
what, for whom, in which unit, filterable by unit and by days. A sibling unit's trail is
never shown: a unit outside the reader's subtree is a field error."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from ..domain.accounts import User
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.scope import in_subtree
from ..domain.specs import check_day_range, parse_day
from ..domain.units import Unit
from ..queries.audit_trail import AuditFilter, audit_trail
from .access import user_unit
from .acting import acting
from .deps import DB, page_user
from .form_errors import FormErrors
from .rendering import render

router = APIRouter()
LABELS = {"unit": "Đơn vị (mã)", "since": "Từ ngày", "until": "Đến ngày"}
SHOWN = 300


def _day(text: str, field: str, form: FormErrors) -> date | None:
    if not text.strip():
        return None
    try:
        return check_day_range(parse_day(text), field)
    except InvalidInput as exc:
        form.add(field, exc.problem)
    except ValueError:
        form.add(field, f"«{text.strip()[:40]}» không phải ngày có thật dạng dd/mm/yyyy")
    return None


def _unit(session: Session, mine: Unit, code: str, form: FormErrors) -> Unit:
    """The unit typed, if it is the reader's or below it; else the reader's (and an error)."""
    if not code.strip():
        return mine
    found = session.exec(select(Unit).where(Unit.code == code.strip())).first()
    if found is None or not in_subtree(found.path, mine.path):
        form.add("unit", f"«{code.strip()[:64]}» không phải mã của {mine.name} hay một"
                         " đơn vị trực thuộc")
        return mine
    return found


@router.get("/audit")
def audit_page(request: Request, unit: str = "", since: str = "", until: str = "",
               user: User = Depends(page_user), session: Session = DB) -> Response:
    acting(request, session, user, Action.REVIEW)  # heads, admins, their delegates: else 403
    form = FormErrors.typed({"unit": unit[:64], "since": since[:40], "until": until[:40]},
                            LABELS)
    mine = user_unit(session, user)
    under = _unit(session, mine, unit, form)
    start, end = _day(since, "since", form), _day(until, "until", form)
    if start and end and end < start:
        form.add("until", f"ngày {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}")
    lines = [] if form else audit_trail(session, AuditFilter(under, start, end, SHOWN + 1))
    return render(request, "audit.html", session, user, status_code=422 if form else 200,
                  form=form, under=under, lines=lines[:SHOWN], more=len(lines) > SHOWN)
