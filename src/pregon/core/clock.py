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

from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "pregon_clock", default=None
)


def now() -> dt.datetime:
    """The current time, aware, in UTC (or the moment set by `at`)."""
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


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
