"""Quick quotes, the items they ask for, and the suppliers' quotes. The state diagram is in
`QuickQuote`'s docstring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pregon.core import clock
from pregon.core.procurement import Category, ClassificationScheme, ContentLanguage, Currency
from pregon.quotes.choices import (
    NOTE_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    OcdsMethod,
    QuickQuoteStatus,
    QuoteStatus,
    Restriction,
)

# A cancelled quick quote may have been a draft: it carries a publication date or not.
_PUBLISHED = [
    QuickQuoteStatus.OPEN,
    QuickQuoteStatus.CLOSED,
    QuickQuoteStatus.ORDERED,
    QuickQuoteStatus.UNSUCCESSFUL,
]
_ENDED_OPEN = [
    QuickQuoteStatus.CLOSED,
    QuickQuoteStatus.ORDERED,
    QuickQuoteStatus.UNSUCCESSFUL,
]


class QuickQuote(models.Model):
    """A small purchase posted in minutes (Chile's Compra Ágil, Brazil's electronic dispensa,
    the US micro-purchase): items, delivery place and date, a closing a few days ahead, within
    the value threshold of the buyer's country rule pack (`rule_pack`, `rule_key`, kept from
    the publication) and, where the pack says so, open only to smaller or local suppliers.

    Its life, as `choices.TRANSITIONS` writes it::

          edit                 quotes come in              pick (a quote, with a reason
          ┌──┐                    ┌──┐                     ┌──┐  when not the lowest)
          │  ▼                    │  ▼                     │  ▼
        ┌───────┐ publish ┌────────┐ closing, enough ┌────────┐ order ┌─────────┐
        │ draft ├────────▶│  open  ├────────────────▶│ closed ├──────▶│ ordered │
        └───┬───┘         └───┬──┬─┘  quotes         └───┬────┘       └─────────┘
            │ cancel          │  │ closing, fewer than   │ cancel
            ▼                 │  ▼ the pack's minimum    ▼
        ┌───────────┐◀────────┘ ┌──────────────┐   ┌───────────┐
        │ cancelled │  cancel   │ unsuccessful │   │ cancelled │
        └───────────┘           └──────────────┘   └───────────┘

    The purchase order is a contract (`order`, ADR 0020): signed by the buyer when issued, in
    force once the supplier confirms it, then delivered, invoiced and paid as any contract.
    A quick quote that follows a plan line takes the line's ocid; any other one gets its own
    in the series ``quote-``.
    """

    buyer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="quick_quotes",
    )
    ocid = models.CharField(
        _("open contracting id"), max_length=100, unique=True, null=True, blank=True
    )
    plan_line = models.ForeignKey(
        "planning.PlanLine",
        verbose_name=_("plan line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quick_quotes",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=ContentLanguage.choices, default=ContentLanguage.ES
    )
    category = models.CharField(_("main category"), max_length=16, choices=Category.choices)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    estimated_value = models.DecimalField(_("estimated value"), max_digits=18, decimal_places=2)
    delivery_place = models.CharField(_("delivery place"), max_length=PLACE_MAX_LENGTH)
    delivery_date = models.DateField(_("delivery date"))
    closes_at = models.DateTimeField(_("closing"))
    restriction = models.CharField(
        _("who may quote"), max_length=16, choices=Restriction.choices, default=Restriction.NONE
    )
    # The pack's rule, kept from the draft and fixed at the publication (`CODE@VERSION`).
    rule_pack = models.CharField(_("rule pack"), max_length=64)
    rule_key = models.CharField(_("rule"), max_length=64)
    min_quotes = models.PositiveSmallIntegerField(_("quotes needed"), default=1)
    ocds_method = models.CharField(
        _("OCDS method"), max_length=16, choices=OcdsMethod.choices, default=OcdsMethod.LIMITED
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=QuickQuoteStatus.choices,
        default=QuickQuoteStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)
    chosen = models.ForeignKey(
        "Quote",
        verbose_name=_("chosen quote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("chosen"), null=True, blank=True)
    choice_reason = models.TextField(_("reason for the choice"), blank=True)
    order = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("purchase order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quick_quote",
    )
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("quick quote")
        verbose_name_plural = _("quick quotes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=QuickQuoteStatus.values), name="quick_quote_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(restriction__in=Restriction.values),
                name="quick_quote_restriction_valid",
            ),
            models.CheckConstraint(
                condition=Q(ocds_method__in=OcdsMethod.values),
                name="quick_quote_ocds_method_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="quick_quote_has_title"),
            models.CheckConstraint(
                condition=~Q(delivery_place=""), name="quick_quote_has_delivery_place"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gt=0), name="quick_quote_value_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_quotes__gte=1), name="quick_quote_min_quotes_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=_PUBLISHED)
                | Q(published_at__isnull=False, ocid__isnull=False),
                name="quick_quote_published_has_date_and_ocid",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(closes_at__gt=F("published_at")),
                name="quick_quote_closes_after_publication",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=_ENDED_OPEN) | Q(closed_at__isnull=False),
                name="quick_quote_closed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuickQuoteStatus.CANCELLED)
                | (Q(cancelled_at__isnull=False) & ~Q(cancellation_reason="")),
                name="quick_quote_cancellation_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuickQuoteStatus.ORDERED)
                | Q(order__isnull=False, chosen__isnull=False, ordered_at__isnull=False),
                name="quick_quote_ordered_has_order",
            ),
            models.CheckConstraint(
                condition=Q(chosen__isnull=True) | Q(chosen_at__isnull=False),
                name="quick_quote_choice_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Quick quote %(reference)s: %(title)s") % {
            "reference": self.reference,
            "title": self.title,
        }

    def get_absolute_url(self) -> str:
        return reverse("quotes:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        """The quick quote's reference: ``QQ-`` and its number."""
        return f"QQ-{self.pk or 0:06d}"

    @property
    def is_public(self) -> bool:
        return self.status != QuickQuoteStatus.DRAFT and self.published_at is not None

    @property
    def quotes_visible(self) -> bool:
        """Quotes are shown to the buyer and the public only once the quick quote has closed."""
        return self.closed_at is not None


class QuickQuoteItem(models.Model):
    """One thing a quick quote asks for: what, classified how, how many of what unit."""

    quick_quote = models.ForeignKey(
        QuickQuote, verbose_name=_("quick quote"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("item number"))
    description = models.CharField(_("description"), max_length=TITLE_MAX_LENGTH)
    classification_scheme = models.CharField(
        _("classification scheme"), max_length=8, choices=ClassificationScheme.choices
    )
    classification_code = models.CharField(_("classification code"), max_length=16)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=50)

    class Meta:
        verbose_name = _("quick quote item")
        verbose_name_plural = _("quick quote items")
        ordering = ["quick_quote", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quick_quote", "number"], name="quick_quote_item_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="quick_quote_item_quantity_positive"
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="quick_quote_item_has_description"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description}"


class Quote(models.Model):
    """A supplier's quote on an open quick quote: its price for everything asked, the date it
    can deliver, a short note. One standing quote per supplier; replacing it keeps the old one
    as `replaced`, withdrawing it as `withdrawn`, both only until the closing."""

    quick_quote = models.ForeignKey(
        QuickQuote, verbose_name=_("quick quote"), on_delete=models.PROTECT, related_name="quotes"
    )
    supplier = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="quick_quote_quotes",
    )
    price = models.DecimalField(_("price"), max_digits=18, decimal_places=2)
    delivery_date = models.DateField(_("delivery date"))
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=QuoteStatus.choices, default=QuoteStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=clock.now)
    ended_at = models.DateTimeField(_("replaced or withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["quick_quote", "price", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quick_quote", "supplier"],
                condition=Q(status=QuoteStatus.SUBMITTED),
                name="quote_one_standing_per_supplier",
            ),
            models.CheckConstraint(
                condition=Q(status__in=QuoteStatus.values), name="quote_status_valid"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="quote_price_positive"),
            models.CheckConstraint(
                condition=Q(status=QuoteStatus.SUBMITTED) | Q(ended_at__isnull=False),
                name="quote_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Quote of %(supplier)s") % {"supplier": self.supplier.display_name}

    @property
    def ocds_id(self) -> str:
        """The award's id in published data when this quote is chosen."""
        return f"quote-{self.pk}"
