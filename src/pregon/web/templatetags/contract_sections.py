"""The contracts on the pages of the apps below them: `{% tender_contracts tender %}` on a
tender's page and `{% buyer_payments organization %}` on a buyer's public page.

The tender page is the tenders app's and the organization page the web app's; the contracts
app sits above the first, so this library, in the pages' layer, renders its sections into
them: a tender's signed contracts with their amendments, deliveries and payments, and how its
buyer pays its suppliers (average days to pay, invoices paid late, invoices overdue).
"""

from __future__ import annotations

from typing import Any

from django import template

from pregon.contracts.selectors import buyer_payment_figures, contracts_public
from pregon.contracts.terms import today_of
from pregon.organizations.models import Organization
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender

register = template.Library()


@register.inclusion_tag("contracts/partials/tender_section.html")
def tender_contracts(tender: Tender) -> dict[str, Any]:
    """The contracts section of a published tender's page. Only a closed tender has had
    awards, and so contracts: the others cost the page no query for them (the buyer's payment
    figures, one query, are shown on every tender of the buyer)."""
    return {
        "tender": tender,
        "contracts": contracts_public(tender=tender)
        if tender.status == TenderStatus.CLOSED
        else [],
        "figures": buyer_payment_figures(buyer=tender.buyer),
        "today": today_of(tender.buyer),
    }


@register.inclusion_tag("contracts/partials/buyer_section.html")
def buyer_payments(buyer: Organization) -> dict[str, Any]:
    """A buyer's payment figures, on its public page."""
    return {"buyer": buyer, "figures": buyer_payment_figures(buyer=buyer)}
