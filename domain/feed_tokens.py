"""The secret in a calendar feed's address. The table (chidao.domain.feeds.FeedToken) keeps
only its SHA-256; the token itself is an HMAC of the row under the server's secret key, so
the address can be shown again to whom may see it (while CHIDAO_SECRET_KEY is the same) and a
copy of the database alone gives no working address."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

TOKEN_CHARS = 43  # 256 bits in URL-safe base64, without padding


def feed_token(secret_key: str, row_id: int, created_at: datetime) -> str:
    """The token of feed row `row_id` made at `created_at`: a reset makes a new row, hence a
    new token; the old row's digest is revoked."""
    message = f"chidao-feed/{row_id}/{created_at.astimezone(UTC).isoformat()}"
    mac = hmac.new(secret_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii").rstrip("=")


def token_digest(token: str) -> str:
    """What the table keeps of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(text: str) -> bool:
    """A token's shape (43 URL-safe base64 characters): anything else is not looked up."""
    return len(text) == TOKEN_CHARS and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in text)
