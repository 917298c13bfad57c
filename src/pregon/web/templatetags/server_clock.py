"""The platform's clock on a page: the bid deadline, the time when the page was made, and what
is left (`partials/deadline_clock.html`, kept ticking by `static/pregon/countdown.js`).

The time shown is the database's clock, the one that decides whether a bid arrived before the
deadline (`pregon.core.clock.db_now`), not the web process's or the visitor's.
"""

from __future__ import annotations

import datetime as dt
import math

from django import template
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.core import clock, time_zones

register = template.Library()


@register.simple_tag
def server_now() -> dt.datetime:
    """The platform's current time (the database's clock), aware, in UTC."""
    return clock.db_now()


@register.filter
def iso_ms(moment: dt.datetime) -> str:
    """A moment in UTC to the millisecond, as scripts read it: "2026-12-10T21:00:00.250Z"."""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@register.simple_tag
def timetag_seconds(moment: dt.datetime, zone: str = "") -> SafeString:
    """Like `timetag`, to the second: "10 Dec 2026, 15:00:07 (America/Belize, UTC-06:00)"."""
    with_seconds = f"{get_format('DATETIME_FORMAT')}:s"
    return format_html(
        '<time datetime="{}">{}</time>',
        moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        time_zones.moment_text(moment, zone, with_seconds),
    )


def left_text(seconds: int, *, days_form: int | None = None) -> str:
    """What is left of `seconds` as the countdown writes it: "3 days, 04:05:06", "04:05:06".

    `days_form` picks the plural form for that number of days instead of the real one: the
    countdown's script receives the one-day and several-days sentences this way.
    """
    days, rest = divmod(max(seconds, 0), 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    time = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if days_form is None and days == 0:
        return time
    count = days if days_form is None else days_form
    return ngettext("%(days)s day, %(time)s", "%(days)s days, %(time)s", count) % {
        "days": "%(days)s" if days_form is not None else days,
        "time": "%(time)s" if days_form is not None else time,
    }


@register.simple_tag
def deadline_left(deadline: dt.datetime, now: dt.datetime) -> str:
    """What is left before `deadline` at `now`, or that it has passed.

    Rounded up: with half a second left the platform still takes bids, so it is "00:00:01".
    """
    seconds = math.ceil((deadline - now).total_seconds())
    if seconds <= 0:
        return deadline_passed_text()
    return left_text(seconds)


@register.simple_tag
def countdown_texts() -> dict[str, str]:
    """The sentences the countdown's script fills in (it knows no language of its own)."""
    return {
        "one": left_text(0, days_form=1),
        "other": left_text(0, days_form=2),
        "passed": deadline_passed_text(),
    }


def deadline_passed_text() -> str:
    """What the countdown says once the deadline has passed."""
    return _("The bid deadline has passed.")
