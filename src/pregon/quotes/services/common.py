"""What every quick-quote service does the same way: check who acts and lock the row."""

from __future__ import annotations

from django.db import models

from pregon.accounts.choices import BUYER_WRITE_ROLES, SUPPLIER_ROLES
from pregon.accounts.permissions import require_role
from pregon.core.actor import Actor
from pregon.organizations.models import Organization
from pregon.quotes.models import QuickQuote


def require_official(actor: Actor, buyer: Organization) -> None:
    """Refuse anyone but an official of `buyer`."""
    require_role(actor, buyer, BUYER_WRITE_ROLES)


def require_supplier(actor: Actor, supplier: Organization) -> None:
    """Refuse anyone but a person (or an API key) of `supplier`."""
    require_role(actor, supplier, SUPPLIER_ROLES)


def lock(quick_quote: QuickQuote) -> QuickQuote:
    """The quick quote's row read again under a lock held until the transaction ends: every
    check of its state reads this copy."""
    return (
        QuickQuote.objects.select_for_update(of=("self",))
        .select_related("buyer", "plan_line", "plan_line__plan")
        .get(pk=quick_quote.pk)
    )


def field_limit(model: type[models.Model], name: str) -> int | None:
    """The longest text a column takes."""
    return getattr(model._meta.get_field(name), "max_length", None)
