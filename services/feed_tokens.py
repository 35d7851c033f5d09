"""The address of a calendar feed: made on first demand, shown again while the server's secret
key is the same, reset on demand (the old address then answers 404). Each creation and reset
writes an audit row, in the caller's transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ..domain.acting import Actor
from ..domain.errors import InvalidInput
from ..domain.feed_tokens import feed_token, token_digest
from ..domain.feeds import FeedToken
from ..queries.feed_tokens import live_feed
from .audit import record_audit

KEY_CHANGED = ("địa chỉ đã tạo không hiển thị lại được vì khóa bí mật của máy chủ"
               " (CHIDAO_SECRET_KEY) đã đổi; hãy đặt lại để có địa chỉ mới")


@dataclass(frozen=True)
class FeedOf:
    """Whose feed: a unit (user_id None) or a person; `label` names it in the audit."""

    unit_id: int | None
    user_id: int | None
    label: str  # "đơn vị MN-HONTRE", "Lê Thị Ngọc Hân (hieutruong.hontre)"


@dataclass(frozen=True)
class FeedAddress:
    url: str
    created_at: datetime
    made_now: bool  # created by this call


def feed_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/feeds/{token}.ics"


def shown_address(row: FeedToken, *, secret_key: str, public_url: str) -> str:
    """The address of a live row, derived again; InvalidInput when the secret key changed
    since it was made (the digest no longer matches)."""
    assert row.id is not None
    token = feed_token(secret_key, row.id, row.created_at)
    if token_digest(token) != row.token_sha256:
        raise InvalidInput("feed", KEY_CHANGED)
    return feed_url(public_url, token)


def feed_address(session: Session, of: FeedOf, *, by: Actor, secret_key: str, public_url: str,
                 now: datetime) -> FeedAddress:
    """The feed's address in force, made now if there is none."""
    row = live_feed(session, unit_id=of.unit_id, user_id=of.user_id)
    if row is not None:
        return FeedAddress(shown_address(row, secret_key=secret_key, public_url=public_url),
                           row.created_at, False)
    row = _new_row(session, of, by, secret_key, now)
    record_audit(session, by, "feed.create", subject_type="feed", subject_id=row.id or 0,
                 summary=f"Tạo địa chỉ lịch hạn nhiệm vụ của {of.label}", now=now,
                 detail={"unit_id": of.unit_id, "user_id": of.user_id})
    return FeedAddress(shown_address(row, secret_key=secret_key, public_url=public_url),
                       row.created_at, True)


def reset_feed(session: Session, of: FeedOf, *, by: Actor, secret_key: str, public_url: str,
               now: datetime) -> FeedAddress:
    """Revoke the feed's address(es) in force and make a new one."""
    query = select(FeedToken).where(col(FeedToken.revoked_at).is_(None))
    if of.user_id is not None:
        query = query.where(FeedToken.user_id == of.user_id)
    else:
        query = query.where(FeedToken.unit_id == of.unit_id, col(FeedToken.user_id).is_(None))
    revoked = []
    for old in session.exec(query):
        old.revoked_at = now
        session.add(old)
        revoked.append(old.id)
    row = _new_row(session, of, by, secret_key, now)
    record_audit(session, by, "feed.reset", subject_type="feed", subject_id=row.id or 0,
                 summary=f"Đặt lại địa chỉ lịch hạn nhiệm vụ của {of.label}"
                         f" (địa chỉ cũ ngừng hoạt động: {len(revoked)})", now=now,
                 detail={"unit_id": of.unit_id, "user_id": of.user_id, "revoked": revoked})
    return FeedAddress(shown_address(row, secret_key=secret_key, public_url=public_url),
                       row.created_at, True)


def _new_row(session: Session, of: FeedOf, by: Actor, secret_key: str,
             now: datetime) -> FeedToken:
    """A new row; its digest is written once its id (part of the token) is known."""
    made = now.replace(microsecond=0)  # the token is derived from it: any storage keeps it
    row = FeedToken(unit_id=of.unit_id, user_id=of.user_id, created_by=by.signed or by.unit_code,
                    created_at=made, token_sha256=secrets.token_hex(32))  # placeholder
    session.add(row)
    session.flush()
    assert row.id is not None
    row.token_sha256 = token_digest(feed_token(secret_key, row.id, made))
    session.add(row)
    session.flush()
    return row
