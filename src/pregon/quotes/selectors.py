"""Reading quick quotes, for each kind of reader:

- Everyone (`quick_quotes_public`, `quick_quote_public_get`): published quick quotes; their
  quotes only once closed (`quotes_public`).
- The buyer (`quick_quotes_of_buyer`, `quick_quote_for_buyer`): every quick quote of its own,
  drafts included, for its officials, committee members and auditors.
- A supplier (`quick_quotes_open_for_supplier`, `quotes_of_supplier`): the open quick quotes it
  may quote on, and its own quotes.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_READ_ROLES
from pregon.accounts.permissions import require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import NotFound
from pregon.organizations.models import Organization
from pregon.quotes.choices import QuickQuoteStatus, QuoteStatus
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.packs import supplier_refusal


def quick_quotes_public() -> QuerySet[QuickQuote]:
    """Published quick quotes, the newest first."""
    return (
        QuickQuote.objects.exclude(status=QuickQuoteStatus.DRAFT)
        .filter(published_at__isnull=False)
        .select_related("buyer")
        .order_by("-published_at", "-pk")
    )


def quick_quote_public_get(*, pk: int) -> QuickQuote:
    """One published quick quote (NotFound for a draft or an unknown number)."""
    found = quick_quotes_public().filter(pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such quick quote."))
    return found


def quotes_public(quick_quote: QuickQuote) -> list[Quote]:
    """The standing quotes of a closed quick quote, the lowest price first; [] before the
    closing (quotes are secret until then)."""
    if not quick_quote.quotes_visible:
        return []
    return standing_quotes(quick_quote)


def standing_quotes(quick_quote: QuickQuote) -> list[Quote]:
    """The quotes that stand (neither replaced nor withdrawn), the lowest price first."""
    return list(
        Quote.objects.filter(quick_quote=quick_quote, status=QuoteStatus.SUBMITTED)
        .select_related("supplier")
        .order_by("price", "submitted_at", "pk")
    )


def quick_quotes_of_buyer(*, actor: Actor, buyer: Organization) -> QuerySet[QuickQuote]:
    """Every quick quote of `buyer`, drafts included, the newest first."""
    require_role(actor, buyer, BUYER_READ_ROLES)
    return QuickQuote.objects.filter(buyer=buyer).order_by("-created_at", "-pk")


def quick_quote_for_buyer(*, actor: Actor, pk: int) -> QuickQuote:
    """One quick quote of the actor's buyer (NotFound, or PermissionDenied for another's)."""
    found = QuickQuote.objects.select_related("buyer", "order", "chosen").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such quick quote."))
    require_role(actor, found.buyer, BUYER_READ_ROLES)
    return found


def quick_quotes_open_for_supplier(*, supplier: Organization) -> list[QuickQuote]:
    """The open quick quotes `supplier` may quote on, the soonest closing first."""
    found = (
        QuickQuote.objects.filter(status=QuickQuoteStatus.OPEN, closes_at__gt=clock.now())
        .select_related("buyer")
        .order_by("closes_at", "pk")
    )
    return [quick_quote for quick_quote in found if supplier_refusal(quick_quote, supplier) is None]


def quotes_of_supplier(*, supplier: Organization) -> QuerySet[Quote]:
    """The supplier's standing and past quotes, the newest first, with their quick quotes."""
    return (
        Quote.objects.filter(supplier=supplier)
        .select_related("quick_quote", "quick_quote__buyer", "quick_quote__order")
        .order_by("-submitted_at", "-pk")
    )


def quote_standing_of(quick_quote: QuickQuote, supplier: Organization) -> Quote | None:
    """The supplier's standing quote on the quick quote, if any."""
    return Quote.objects.filter(
        quick_quote=quick_quote, supplier=supplier, status=QuoteStatus.SUBMITTED
    ).first()


def quick_quotes_awaiting_order_of(*, supplier: Organization) -> list[QuickQuote]:
    """The quick quotes whose buyer chose `supplier`'s quote and has not issued the order yet:
    before it does, the supplier's evidence must be complete (its documents page says so)."""
    return list(
        QuickQuote.objects.filter(
            status=QuickQuoteStatus.CLOSED,
            chosen__supplier=supplier,
            chosen__status=QuoteStatus.SUBMITTED,
        )
        .select_related("buyer")
        .order_by("chosen_at", "pk")
    )
