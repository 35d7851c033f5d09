"""Idempotency keys of the JSON API (chidao.domain.idempotency): look up what a key already
answered, and keep a new answer IN THE CALLER'S TRANSACTION, so the key exists exactly when
the action it guards was committed (a rolled-back action leaves no key, and a second
transaction storing the same key fails on the unique (user, key) and rolls its action back).

Keys live KEEP_FOR (24 h): an older key is treated as unknown and replaced; each new key of a
user clears that user's expired ones, and `purge_idempotent_requests` clears everyone's (for a
maintenance job: `DELETE FROM idempotent_request WHERE created_at < now - 24 h` is the same)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from ..domain.idempotency import IdempotentRequest, idempotent_request_table

KEEP_FOR = timedelta(hours=24)
KEY_MAX_CHARS = 128
_t = idempotent_request_table.c


@dataclass(frozen=True)
class Stored:
    """What a key answered: the request's fingerprint, the status and the JSON kept."""

    request_sha256: str
    status_code: int
    response: Any


def request_fingerprint(method: str, path: str, content_type: str, body: bytes) -> str:
    """SHA-256 of what makes two requests "the same": method, path with query, body type,
    body bytes."""
    digest = hashlib.sha256()
    for part in (method.upper(), path, content_type.split(";")[0].strip().lower()):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\n")
    digest.update(body)
    return digest.hexdigest()


def key_problem(key: str) -> str | None:
    """Why a header value cannot be a key (None: it can): 1-128 visible ASCII characters."""
    if not key or len(key) > KEY_MAX_CHARS:
        return f"phải dài từ 1 đến {KEY_MAX_CHARS} ký tự"
    if not all(33 <= ord(c) <= 126 for c in key):
        return "chỉ gồm ký tự ASCII nhìn thấy được (không dấu cách, không dấu tiếng Việt)"
    return None


def stored_answer(session: Session, user_id: int, key: str, *, now: datetime) -> Stored | None:
    """The answer kept for (user, key) within KEEP_FOR, or None."""
    row = session.execute(
        select(_t.request_sha256, _t.status_code, _t.response, _t.created_at)
        .where(_t.user_id == user_id, _t.key == key)).first()
    if row is None or row.created_at < now - KEEP_FOR:
        return None
    return Stored(row.request_sha256, row.status_code, row.response)


def keep_answer(session: Session, user_id: int, key: str, *, request_sha256: str,
                status_code: int, response: Any, now: datetime) -> None:
    """Store the answer in the caller's transaction (flushed: a concurrent transaction that
    stored the same key first makes this raise IntegrityError)."""
    session.execute(delete(idempotent_request_table).where(
        _t.user_id == user_id, _t.created_at < now - KEEP_FOR))
    session.add(IdempotentRequest(user_id=user_id, key=key, request_sha256=request_sha256,
                                  status_code=status_code, response=response, created_at=now))
    session.flush()


def purge_idempotent_requests(session: Session, *, now: datetime) -> int:
    """Delete every key older than KEEP_FOR; returns how many."""
    result = session.execute(delete(idempotent_request_table).where(
        _t.created_at < now - KEEP_FOR))
    return int(getattr(result, "rowcount", 0) or 0)
