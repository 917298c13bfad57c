"""The platform clock.

Everything that compares against "now" (deadlines, publication dates, the audit log) reads it
here, so that the demo can build a believable history by acting at chosen moments and tests can
place actions in time, both through the same services as real users.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "pregon_clock", default=None
)


def now() -> dt.datetime:
    """The current time, aware, in UTC (or the moment set by `at`)."""
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


def db_now(using: str = DEFAULT_DB_ALIAS) -> dt.datetime:
    """The database's current time, aware, in UTC (or the moment set by `at`).

    What decides between accepted and refused at a deadline reads this, inside the transaction
    that holds the row lock: one clock for every web process, however their own clocks drift.
    PostgreSQL's `clock_timestamp()` is the time of the call (its `now()` would be the start of
    the transaction, before the lock was granted); SQLite's `'now'` is read per statement.
    """
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    connection = connections[using]
    if connection.vendor == "postgresql":
        query = "SELECT clock_timestamp()"
    elif connection.vendor == "sqlite":
        query = "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')"
    else:
        query = "SELECT CURRENT_TIMESTAMP"
    with connection.cursor() as cursor:
        cursor.execute(query)
        (value,) = cursor.fetchone()
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        # SQLite answers in UTC without saying so.
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


@contextlib.contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Act as if the time were `moment` inside the block (demo data and tests only)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
