"""Calendar feeds: GET /feeds/{token}.ics without login (the calendar app's subscription), and
the page where a signed-in user gets or resets the address of their own feed and, a unit's
head or admin, the unit's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import Role, User
from ..domain.errors import InvalidInput
from ..domain.units import Unit
from ..files.feed_document import feed_document
from ..files.ics_feed import MEDIA_TYPE, FeedSite
from ..queries.feed_tokens import feed_of_token, live_feed
from ..services.acting import own_actor
from ..services.feed_tokens import FeedOf, feed_address, reset_feed, shown_address
from .deps import DB, check_csrf, page_user, runtime_of
from .flash import flash
from .rendering import render

router = APIRouter()
FEED_HEADS = (Role.HEAD, Role.ADMIN)  # who gets the unit's feed


@router.api_route("/feeds/{token}.ics", methods=["GET", "HEAD"], include_in_schema=False)
def calendar_feed(request: Request, token: str, session: Session = DB) -> Response:
    """The feed; any token not in force answers a bare 404 (nothing says whether it ever
    existed)."""
    row = feed_of_token(session, token)
    if row is None:
        return Response("Not Found", status_code=404, media_type="text/plain")
    rt = runtime_of(request)
    site = FeedSite(rt.settings.public_url, rt.settings.mail_domain, rt.settings.send_from)
    body = feed_document(session, row, calendar=rt.calendar, site=site, now=rt.now())
    return Response(body, media_type=MEDIA_TYPE, headers={
        "Content-Disposition": 'inline; filename="chidao.ics"',
        "Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex",
        "Referrer-Policy": "no-referrer"})


@dataclass(frozen=True)
class FeedBox:
    """One feed on the page: whose, its address when there is one (or why not shown)."""

    which: str  # "person" | "unit"
    title: str
    url: str | None
    since: datetime | None  # when the address was made
    problem: str | None

    @property
    def webcal(self) -> str | None:
        """The same address for a tap on an iPhone or a Mac (webcal: opens Calendar)."""
        return "webcal://" + self.url.split("://", 1)[1] if self.url else None


def _of(session: Session, user: User, which: str) -> FeedOf:
    if which == "person":
        return FeedOf(None, user.id, f"{user.full_name} ({user.username})")
    if which == "unit" and Role(user.role) in FEED_HEADS:
        unit = session.get(Unit, user.unit_id)
        assert unit is not None
        return FeedOf(unit.id, None, f"đơn vị {unit.code}")
    if which == "unit":
        raise HTTPException(403, "Chỉ lãnh đạo đơn vị hoặc quản trị được lấy lịch của đơn vị")
    raise HTTPException(404, "Không tìm thấy")


def _box(session: Session, request: Request, of: FeedOf, which: str, title: str) -> FeedBox:
    settings = runtime_of(request).settings
    row = live_feed(session, unit_id=of.unit_id, user_id=of.user_id)
    if row is None:
        return FeedBox(which, title, None, None, None)
    try:
        url = shown_address(row, secret_key=settings.secret_key, public_url=settings.public_url)
    except InvalidInput as exc:
        return FeedBox(which, title, None, None, exc.problem)
    return FeedBox(which, title, url, row.created_at, None)


@router.get("/account/calendar")
def calendar_page(request: Request, user: User = Depends(page_user),
                  session: Session = DB) -> Response:
    boxes = [_box(session, request, _of(session, user, "person"), "person",
                  "Lịch của tôi: các nhiệm vụ tôi được giao")]
    if Role(user.role) in FEED_HEADS:
        unit = session.get(Unit, user.unit_id)
        boxes.append(_box(session, request, _of(session, user, "unit"), "unit",
                          f"Lịch của đơn vị: {unit.name if unit else ''}"))
    return render(request, "calendar_feeds.html", session, user, boxes=boxes)


@router.post("/account/calendar/create", dependencies=[Depends(check_csrf)])
def calendar_create(request: Request, which: str = Form(""), user: User = Depends(page_user),
                    session: Session = DB) -> Response:
    """The address in force of `which` feed ("person" | "unit"), made if there is none."""
    return _change(request, session, user, which, "create")


@router.post("/account/calendar/reset", dependencies=[Depends(check_csrf)])
def calendar_reset(request: Request, which: str = Form(""), user: User = Depends(page_user),
                   session: Session = DB) -> Response:
    """A new address; the old one answers 404 from now on."""
    return _change(request, session, user, which, "reset")


def _change(request: Request, session: Session, user: User, which: str, verb: str
            ) -> Response:
    of = _of(session, user, which)
    rt = runtime_of(request)
    change = reset_feed if verb == "reset" else feed_address
    change(session, of, by=own_actor(session, user), secret_key=rt.settings.secret_key,
           public_url=rt.settings.public_url, now=rt.now())
    flash(request, "Đã tạo địa chỉ mới; địa chỉ cũ đã ngừng hoạt động." if verb == "reset"
          else "Đã tạo địa chỉ lịch.")
    return RedirectResponse("/account/calendar", status_code=303)
