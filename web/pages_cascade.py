"""The cascade view page: a directive's whole family at a glance (per level: units, plans
issued, reports, late; the on-time rate at each past deadline), then the tree focused on one
unit with breadcrumbs, one row per child unit rolled up over its subtree, and drill-down.

The view and its rendered content are kept (chidao.queries.cascade_cache) per directive, scope,
focus and data version while they hold: computed today, and no run's deadline passed since
(the view knows its next one). Twenty people reading the same view cost one computation and
one rendering; the layout around it (the user, the menu, the moment) is rendered per request."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.directives import DOC_TYPE_LABELS, DocType
from ..domain.scope import in_subtree
from ..domain.units import Unit
from ..queries.cascade_cache import ViewCache, data_version, minute_of
from ..queries.cascade_view import CascadeView, LevelSummary, cascade_view, only_late
from ..queries.closure_notices import closure_marks
from ..queries.listings import due_window
from ..queries.read_scope import figures_scope
from .access import readable_directive, user_unit
from .closure_views import closure_notices
from .deps import DB, page_user, runtime_of
from .pages_documents import urging_drafts
from .params import OptionalId, RowId
from .rendering import render, templates
from .svg_chart import GOOD, LATE, SOON, Point, rate_chart, stacked_bar

router = APIRouter()


@router.get("/directives/{directive_id}/cascade")
def cascade_page(request: Request, directive_id: RowId, unit: OptionalId = None,
                 late: Annotated[bool, Query()] = False, user: User = Depends(page_user),
                 session: Session = DB) -> Response:
    directive = readable_directive(session, user, directive_id)
    top = figures_scope(session, user_unit(session, user), directive)
    focus = top if unit is None else session.get(Unit, unit)
    if focus is None or not in_subtree(focus.path, top.path):
        raise HTTPException(404, "Không tìm thấy đơn vị")  # outside what the user may see
    runtime = runtime_of(request)
    now = minute_of(runtime.now())
    _, soon = due_window(now, runtime.calendar, runtime.rules.due_soon_working_days)
    day_end = runtime.calendar.end_of_day(runtime.calendar.local_date(now))
    key = (directive.id, top.id, focus.id, data_version(session))
    cache = _cache(request)

    def holds(kept: Any) -> bool:
        """Computed earlier today, and no deadline has passed since."""
        view = kept[0] if isinstance(kept, tuple) else kept
        return bool(view.as_of <= now < day_end and view.as_of >= day_end - timedelta(days=1)
                    and (view.next_deadline is None or now < view.next_deadline))

    def view() -> CascadeView:
        found: CascadeView = cache.get(("view", *key), lambda: cascade_view(
            session, directive, top=top, focus=focus, now=now, soon=soon), holds)
        return found

    # The closures shown (banner, marks on the children) are part of the kept body's key.
    closures = tuple(closure_notices(request, session, user, focus))
    marks = closure_marks(session, list(closures), [c.unit.id for c in view().children])

    def body() -> tuple[CascadeView, Markup]:
        computed = view()
        shown = only_late(computed) if late else computed
        return computed, Markup(templates.get_template("cascade_body.html").render(
            directive=directive, view=shown, issuer=session.get(Unit, directive.issuer_id),
            doc_type=DOC_TYPE_LABELS[DocType(directive.doc_type)], chart=_chart(shown),
            bars=[_bar(level) for level in shown.levels], closures=closures, marks=marks))

    shown_closures = (closures, tuple(sorted(marks.items())))
    return render(request, "cascade.html", session, user, directive=directive,
                  body=cache.get(("body", *key, late, shown_closures), body, holds)[1],
                  urging=urging_drafts(session, user, focus, directive,
                                       runtime.calendar.local_date(now)))


def _cache(request: Request) -> ViewCache:
    """The app's cache of computed views (one per app: one per database)."""
    state = request.app.state
    if not hasattr(state, "cascade_views"):
        state.cascade_views = ViewCache()
    cache: ViewCache = state.cascade_views
    return cache


def _chart(view: CascadeView) -> Markup | None:
    if not view.series:
        return None
    points = [Point(p.due_on, p.percent, f"Hạn đến {p.due_on:%d/%m/%Y}: {p.on_time}/{p.due}"
                    f" nhiệm vụ nộp đúng hạn ({p.percent:.0f}%)") for p in view.series]
    return rate_chart(points, title=f"Tỷ lệ nộp đúng hạn trong {view.top.name}")


def _bar(level: LevelSummary) -> Markup:
    segments = [(level.late_units, LATE, f"{level.late_units} đơn vị trễ hạn"),
                (level.soon_units, SOON, f"{level.soon_units} đơn vị có việc sắp đến hạn"),
                (level.on_track_units, GOOD, f"{level.on_track_units} đơn vị đúng tiến độ")]
    words = ", ".join(text for count, _, text in segments if count)
    return stacked_bar(segments, label=f"{' / '.join(level.kinds)}: {words}")
