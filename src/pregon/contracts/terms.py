"""The payment terms a contract's invoices are held to, read in one place.

Today every invoice is due `PREGON_INVOICE_DUE_DAYS` calendar days (30 by default) after the
buyer receives it on the platform. A country rule pack (the MSME issue) will set the term per
country, and per supplier size, through this function: every caller asks it, none reads the
setting itself. Each invoice keeps the term it was given, so a later change of the rule never
makes a past payment late or on time.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from pregon.core import clock

if TYPE_CHECKING:
    from pregon.contracts.models import Contract
    from pregon.organizations.models import Organization


def invoice_due_days(*, contract: Contract) -> int:
    """How many calendar days the buyer of `contract` has to pay an invoice, from the day it
    received it."""
    return int(settings.PREGON_INVOICE_DUE_DAYS)


def invoice_due_on(*, received_on: dt.date, due_days: int) -> dt.date:
    """The last day an invoice received on `received_on` may be paid without being late."""
    return received_on + dt.timedelta(days=due_days)


def day_of(organization: Organization, moment: dt.datetime) -> dt.date:
    """The day `moment` falls on in the organization's zone: a contract's dates (its period,
    deliveries, invoices and payments) are days of its buyer's calendar."""
    return timezone.localtime(moment, ZoneInfo(organization.effective_time_zone)).date()


def today_of(organization: Organization) -> dt.date:
    """Today in the organization's zone (by the platform clock)."""
    return day_of(organization, clock.now())
