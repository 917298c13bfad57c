"""The quick quotes API: the published quick quotes (public, like the open data they mirror)
and a supplier's quote (submitted, replaced or withdrawn until the closing, with an API key of
scope `bids:submit` or a signed-in session)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from pregon.core.api_pagination import paginated
from pregon.core.errors import NotFound
from pregon.organizations.api_auth import acting, acting_for, actor_of, public
from pregon.organizations.choices import ApiScope
from pregon.quotes import services
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.schemas import QuickQuoteOut, QuoteIn, QuoteOut
from pregon.quotes.selectors import quick_quote_public_get, quick_quotes_public, quote_standing_of
from pregon.quotes.services import QuoteData

router = Router(tags=["quick quotes"])


@router.get(
    "/quick-quotes",
    response=list[QuickQuoteOut],
    url_name="quick_quotes",
    summary="List the published quick quotes",
    **public(errors=(422,)),
)
@paginated
def quick_quote_list(request: HttpRequest) -> list[QuickQuote]:
    """Published quick quotes, the newest first: their items, delivery, closing, the rule of
    the country's pack they follow, and their quotes once closed."""
    return quick_quotes_public().prefetch_related("items")  # type: ignore[return-value]


@router.get(
    "/quick-quotes/{int:quick_quote_id}",
    response=QuickQuoteOut,
    url_name="quick_quote",
    summary="Read a published quick quote",
    **public(errors=(404,)),
)
def quick_quote_get(request: HttpRequest, quick_quote_id: int) -> QuickQuote:
    """One published quick quote (drafts answer 404)."""
    return quick_quote_public_get(pk=quick_quote_id)


@router.put(
    "/quick-quotes/{int:quick_quote_id}/quote",
    response=QuoteOut,
    url_name="quick_quote_quote",
    summary="Submit or replace your quote",
    **acting(ApiScope.BIDS_SUBMIT, errors=(404, 409, 422)),
)
def quote_put(request: HttpRequest, quick_quote_id: int, payload: QuoteIn) -> Quote:
    """Quote on an open quick quote for the organization you act for: the price for everything
    asked, the delivery date and a note. A second call replaces the standing quote. Refused
    after the closing (409), or to a supplier the quick quote does not admit (403)."""
    actor = actor_of(request)
    return services.quote_submit(
        actor=actor,
        quick_quote=quick_quote_public_get(pk=quick_quote_id),
        supplier=acting_for(actor),
        data=QuoteData(price=payload.price, delivery_date=payload.delivery_date, note=payload.note),
    )


@router.delete(
    "/quick-quotes/{int:quick_quote_id}/quote",
    response={204: None},
    url_name="quick_quote_quote_withdraw",
    summary="Withdraw your quote",
    **acting(ApiScope.BIDS_SUBMIT, errors=(404, 409)),
)
def quote_delete(request: HttpRequest, quick_quote_id: int) -> tuple[int, None]:
    """Withdraw the standing quote of the organization you act for, before the closing."""
    actor = actor_of(request)
    quick_quote = quick_quote_public_get(pk=quick_quote_id)
    standing = quote_standing_of(quick_quote, acting_for(actor))
    if standing is None:
        raise NotFound(_("You have no standing quote on this quick quote."))
    services.quote_withdraw(actor=actor, quote=standing)
    return 204, None
