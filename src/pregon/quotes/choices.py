"""The states of quick quotes and of the suppliers' quotes, their moves, and the labels of the
quick quotes' audit rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.procurement import Category, ContentLanguage
from pregon.core.transitions import Transition


class QuickQuoteStatus(models.TextChoices):
    """Where a quick quote is. The allowed moves are in `TRANSITIONS`."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for quotes")
    CLOSED = "closed", _("Closed")
    ORDERED = "ordered", _("Ordered")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
    CANCELLED = "cancelled", _("Cancelled")


class QuoteStatus(models.TextChoices):
    """A supplier's quote: standing until it is replaced or withdrawn (before the closing)."""

    SUBMITTED = "submitted", _("Submitted")
    REPLACED = "replaced", _("Replaced")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Restriction(models.TextChoices):
    """Who may quote: any registered supplier, or only those the country's rule pack names
    (smaller or local suppliers)."""

    NONE = "none", _("Any registered supplier")
    ELIGIBLE = "eligible", _("Only the suppliers the country's rules name")


#: The quick quotes' OCDS methods (`tender.procurementMethod`), as the packs map them.
class OcdsMethod(models.TextChoices):
    LIMITED = "limited", _("Limited")
    DIRECT = "direct", _("Direct")


#: The platform's bounds when the country's pack sets none: open at least 1 day, at most 30.
DEFAULT_MIN_DAYS = 1
DEFAULT_MAX_DAYS = 30
#: The most items one quick quote lists, and the longest texts it takes.
ITEMS_MAX = 20
TITLE_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 5_000
PLACE_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 1_000
REASON_MAX_LENGTH = 2_000
#: The series of the ocids of quick quotes that follow no plan line.
QUICK_QUOTE_SERIES = "quote-"

#: The quick quote's state machine (drawn in `models.QuickQuote`'s docstring).
TRANSITIONS: dict[str, Transition] = {
    "edit": Transition(
        sources=frozenset({QuickQuoteStatus.DRAFT}),
        target=None,
        refusal=_("Only a draft quick quote can be edited; this one is %(status)s."),
    ),
    "publish": Transition(
        sources=frozenset({QuickQuoteStatus.DRAFT}),
        target=QuickQuoteStatus.OPEN,
        refusal=_("Only a draft quick quote can be published; this one is %(status)s."),
    ),
    "quote": Transition(
        sources=frozenset({QuickQuoteStatus.OPEN}),
        target=None,
        refusal=_("Quotes are taken only while the quick quote is open; it is %(status)s."),
    ),
    "close": Transition(
        sources=frozenset({QuickQuoteStatus.OPEN}),
        target=QuickQuoteStatus.CLOSED,
        refusal=_("Only an open quick quote can close; this one is %(status)s."),
    ),
    "close_unsuccessful": Transition(
        sources=frozenset({QuickQuoteStatus.OPEN}),
        target=QuickQuoteStatus.UNSUCCESSFUL,
        refusal=_("Only an open quick quote can close; this one is %(status)s."),
    ),
    "pick": Transition(
        sources=frozenset({QuickQuoteStatus.CLOSED}),
        target=None,
        refusal=_("A quote is chosen once the quick quote has closed; it is %(status)s."),
    ),
    "order": Transition(
        sources=frozenset({QuickQuoteStatus.CLOSED}),
        target=QuickQuoteStatus.ORDERED,
        refusal=_("The order is issued from a closed quick quote; this one is %(status)s."),
    ),
    "cancel": Transition(
        sources=frozenset({QuickQuoteStatus.DRAFT, QuickQuoteStatus.OPEN, QuickQuoteStatus.CLOSED}),
        target=QuickQuoteStatus.CANCELLED,
        refusal=_("This quick quote can no longer be cancelled; it is %(status)s."),
    ),
}

#: A quote's moves (while its quick quote is open).
QUOTE_TRANSITIONS: dict[str, Transition] = {
    "replace": Transition(
        sources=frozenset({QuoteStatus.SUBMITTED}),
        target=QuoteStatus.REPLACED,
        refusal=_("Only a standing quote can be replaced; this one is %(status)s."),
    ),
    "withdraw": Transition(
        sources=frozenset({QuoteStatus.SUBMITTED}),
        target=QuoteStatus.WITHDRAWN,
        refusal=_("Only a standing quote can be withdrawn; this one is %(status)s."),
    ),
}


#: What the quick quotes' audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "quick_quote.create": _("Quick quote drafted"),
        "quick_quote.update": _("Draft quick quote edited"),
        "quick_quote.publish": _("Quick quote published"),
        "quick_quote.close": _("Quick quote closed"),
        "quick_quote.unsuccessful": _("Quick quote closed without enough quotes"),
        "quick_quote.pick": _("Quote chosen"),
        "quick_quote.order": _("Purchase order issued"),
        "quick_quote.cancel": _("Quick quote cancelled"),
        "quote.submit": _("Quote submitted"),
        "quote.withdraw": _("Quote withdrawn"),
    },
    summary_keys={
        "closes_at": _("Closing"),
        "quotes": _("Quotes"),
        "min_quotes": _("Quotes needed"),
        "price": _("Price"),
        "delivery_date": _("Delivery date"),
        "quote": _("Quote"),
        "lowest": _("Lowest price"),
        "rule_pack": _("Rule pack"),
        "order": _("Order"),
        "plan_line": _("Plan line"),
    },
    summary_choices={
        ("quotes.quickquote", "status"): QuickQuoteStatus,
        ("quotes.quickquote", "category"): Category,
        ("quotes.quickquote", "language"): ContentLanguage,
        ("quotes.quickquote", "restriction"): Restriction,
    },
    owner_fields={"quotes.quickquote": "buyer", "quotes.quote": "supplier"},
)
