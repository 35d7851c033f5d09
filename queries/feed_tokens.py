"""Calendar feed tokens, read: the live row of a unit's or a person's feed, and the feed an
address opens (by the SHA-256 of its token: never the token itself)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ..domain.feed_tokens import looks_like_token, token_digest
from ..domain.feeds import FeedToken


def live_feed(session: Session, *, unit_id: int | None = None,
              user_id: int | None = None) -> FeedToken | None:
    """The feed row in force of a unit (or of a person), the newest if several."""
    query = select(FeedToken).where(col(FeedToken.revoked_at).is_(None))
    if user_id is not None:
        query = query.where(FeedToken.user_id == user_id)
    else:
        query = query.where(FeedToken.unit_id == unit_id, col(FeedToken.user_id).is_(None))
    return session.exec(query.order_by(col(FeedToken.id).desc())).first()


def feed_of_token(session: Session, token: str) -> FeedToken | None:
    """The feed in force the token opens; None for anything else (unknown, revoked, not
    shaped like a token): the caller answers 404 alike."""
    if not looks_like_token(token):
        return None
    return session.exec(select(FeedToken).where(
        FeedToken.token_sha256 == token_digest(token),
        col(FeedToken.revoked_at).is_(None))).first()
