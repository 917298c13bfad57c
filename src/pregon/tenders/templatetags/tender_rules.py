"""What the country rule packs decided for a tender, in the page's language: a reserved lot's
badge and the rule it was reserved under (`tenders.rule_packs`)."""

from __future__ import annotations

from django import template

from pregon.tenders import rule_packs
from pregon.tenders.models import Lot, Tender

register = template.Library()


@register.filter
def reservation_label(lot: Lot) -> str:
    """ "Reserved for micro and small enterprises" ("" for a lot open to all)."""
    return rule_packs.reservation_label(lot) if lot.reserved else ""


@register.filter
def reservation_basis(lot: Lot) -> str:
    """The title and legal basis of the rule a lot is reserved under."""
    return rule_packs.reservation_basis(lot) if lot.reserved else ""


@register.filter
def subcontracting_requirement(tender: Tender) -> str:
    """The share the winner subcontracts to smaller firms, in words ("" for none)."""
    return rule_packs.subcontracting_requirement(tender)
