"""The permission table, session lifetimes and the login wait (pure)."""

from datetime import UTC, datetime, timedelta

import pytest

from chidao.domain.accounts import MAX_WAIT, Role, login_wait, session_alive, token_usable
from chidao.domain.permissions import Action, NotPermitted, may, require

NOW = datetime(2026, 3, 25, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_who_may_do_what(role, action):
    expected = {
        Role.STAFF: {Action.RECEIVE, Action.SUBMIT},
        Role.HEAD: {Action.RECEIVE, Action.SUBMIT, Action.REVIEW, Action.EXTEND, Action.ISSUE,
                    Action.CLOSE, Action.ASSIGN},
        Role.ADMIN: set(Action),
    }[role]
    assert may(role, action) is (action in expected)
    if action not in expected:
        with pytest.raises(NotPermitted, match="không có quyền"):
            require(role.value, action)


def test_the_login_wait_doubles_after_five_failures_up_to_fifteen_minutes():
    waits = [login_wait(n, NOW, now=NOW) for n in range(4, 16)]
    assert waits[:1] == [timedelta(0)]
    assert [w.total_seconds() for w in waits[1:6]] == [2, 4, 8, 16, 32]
    assert login_wait(40, NOW, now=NOW) == MAX_WAIT
    assert login_wait(6, NOW - timedelta(seconds=3), now=NOW) == timedelta(seconds=1)
    assert login_wait(6, NOW - timedelta(seconds=5), now=NOW) == timedelta(0)


def test_a_session_ends_when_revoked_idle_or_old():
    def alive(created, seen, revoked=None):
        return session_alive(NOW - created, NOW - seen, revoked, now=NOW,
                             idle=timedelta(hours=8), absolute=timedelta(days=7))
    assert alive(timedelta(days=6), timedelta(hours=7))
    assert not alive(timedelta(days=6), timedelta(hours=9))
    assert not alive(timedelta(days=7, seconds=1), timedelta(0))
    assert not alive(timedelta(0), timedelta(0), revoked=NOW)


def test_a_token_is_usable_until_it_expires_or_is_revoked():
    assert token_usable(NOW + timedelta(seconds=1), None, now=NOW)
    assert not token_usable(NOW, None, now=NOW)
    assert not token_usable(NOW + timedelta(days=1), NOW, now=NOW)
