"""When the demo's actions happen: at a buyer's local hours, some days from the demo's day.

Every event of the demo is dated in its buyer's zone (offices open at nine in Santiago, Porto
Alegre and Belmopan alike), and the days a contract counts in (its period, due dates, the days
deliveries were made and invoices paid) are days of the buyer's calendar.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pregon.demo.organizations import BuyerSpec


def local_day(buyer: BuyerSpec, today: dt.datetime, days: int) -> dt.date:
    """The day `days` days from `today` (negative: before it), in the buyer's calendar."""
    return today.astimezone(ZoneInfo(buyer.timezone)).date() + dt.timedelta(days=days)


def local_moment(
    buyer: BuyerSpec, today: dt.datetime, days: int, hour: int, minute: int = 0
) -> dt.datetime:
    """`hour`:`minute` of the buyer's day `days` days from `today`, as a UTC moment."""
    day = local_day(buyer, today, days)
    zone = ZoneInfo(buyer.timezone)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone).astimezone(dt.UTC)
