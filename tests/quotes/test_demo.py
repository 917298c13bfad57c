"""The demo's quick quotes, built on a small world of their own: one ordered and delivered,
one open with two quotes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pregon.contracts.choices import ContractStatus, MilestoneStatus
from pregon.demo.organizations import SUPPLIERS
from pregon.demo.quotes import build_open_quick_quote, build_quick_quotes
from pregon.quotes.choices import QuickQuoteStatus, QuoteStatus
from pregon.quotes.models import QuickQuote
from tests import factories
from tests.organizations.evidence import give_evidence


def test_the_demo_builds_an_ordered_and_delivered_quick_quote_and_an_open_one(
    buyer: Any, official: Any
) -> None:
    suppliers = {}
    for spec in SUPPLIERS:
        if spec.country == "CL" and spec.scale in {"micro", "small", "medium"}:
            organization = factories.SupplierFactory(scale=spec.scale)
            give_evidence(organization)
            suppliers[spec.key] = (organization, factories.member(organization, "supplier_user"))
    now = dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)
    world = {"buyers": {"valparaiso": buyer}, "officials": {"valparaiso": official}}
    assert build_quick_quotes(today=now, suppliers=suppliers, **world) == 1
    assert build_open_quick_quote(now=now, suppliers=suppliers, **world) == 1
    done, open_one = QuickQuote.objects.order_by("pk")
    assert done.status == QuickQuoteStatus.ORDERED
    assert done.choice_reason
    assert done.order is not None
    assert done.order.status == ContractStatus.ACTIVE
    assert done.order.milestones.get().status == MilestoneStatus.MET
    assert open_one.status == QuickQuoteStatus.OPEN
    assert open_one.closes_at > now
    assert open_one.quotes.filter(status=QuoteStatus.SUBMITTED).count() == 2
