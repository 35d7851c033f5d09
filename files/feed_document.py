"""The calendar a feed address answers with: its owner and open runs read (chidao.queries),
then written as iCalendar (chidao.files.ics_feed). A fixed number of statements: the owner,
the runs with their events, the closures over their units."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ..domain.accounts import User
from ..domain.calendar import WorkingCalendar
from ..domain.feeds import FeedToken
from ..domain.units import Unit
from ..queries.feed_runs import person_feed_runs, unit_calendars, unit_feed_runs
from .ics_feed import FeedOwner, FeedSite, feed_ics


def feed_document(session: Session, row: FeedToken, *, calendar: WorkingCalendar,
                  site: FeedSite, now: datetime) -> bytes:
    if row.user_id is not None:
        user = session.get(User, row.user_id)
        assert user is not None, "a feed's person (a foreign key)"
        unit = session.get(Unit, user.unit_id)
        assert unit is not None
        owner = FeedOwner(user.full_name, unit.name, user.id)
        runs = person_feed_runs(session, row.user_id)
    else:
        assert row.unit_id is not None, "a feed is a unit's or a person's"
        unit = session.get(Unit, row.unit_id)
        assert unit is not None
        owner = FeedOwner(unit.name, unit.name)
        runs = unit_feed_runs(session, row.unit_id)
    calendars = unit_calendars(session, calendar, {r.unit_id for r in runs},
                               calendar.local_date(now))
    return feed_ics(owner, runs, calendars, site, now=now)
