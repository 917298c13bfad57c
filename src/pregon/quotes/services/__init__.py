"""Every change of a quick quote and of its quotes: one function each (see
`services.drafting`, `services.quoting`, `services.closing` and `services.ordering`)."""

from pregon.quotes.services.closing import quick_quote_close_if_due, quick_quotes_close_due
from pregon.quotes.services.data import ItemData, QuickQuoteData, QuoteData
from pregon.quotes.services.drafting import (
    quick_quote_cancel,
    quick_quote_create,
    quick_quote_publish,
    quick_quote_update,
)
from pregon.quotes.services.ordering import quick_quote_order, quick_quote_pick
from pregon.quotes.services.quoting import quote_submit, quote_withdraw

__all__ = [
    "ItemData",
    "QuickQuoteData",
    "QuoteData",
    "quick_quote_cancel",
    "quick_quote_close_if_due",
    "quick_quote_create",
    "quick_quote_order",
    "quick_quote_pick",
    "quick_quote_publish",
    "quick_quote_update",
    "quick_quotes_close_due",
    "quote_submit",
    "quote_withdraw",
]
