"""The forms of the quick quotes' pages: what the buyer and the supplier write.

They check the shape of what is typed (a date, an amount); the services check everything else
again, whatever door the values come through, and their refusals are shown on the same forms
(`pregon.core.pages.form_errors_from`). Dates and times are typed in the buyer's zone, which
the views activate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.core.procurement import Category, ClassificationScheme, ContentLanguage, Currency
from pregon.quotes.choices import (
    DESCRIPTION_MAX_LENGTH,
    ITEMS_MAX,
    NOTE_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.services import ItemData, QuickQuoteData, QuoteData

#: Item rows the form offers (empty ones are ignored).
ITEM_ROWS = 5


class DateInput(forms.DateInput):
    """A native date picker; the value is sent as YYYY-MM-DD whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker, in the active (the buyer's) zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=["%Y-%m-%d"])


def _amount(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )


class QuickQuoteForm(forms.Form):
    """A quick quote in one form: what, where and when, its closing, and up to `ITEM_ROWS`
    items."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language of the texts"), choices=ContentLanguage.choices)
    category = forms.ChoiceField(label=_("Main category"), choices=Category.choices)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    estimated_value = _amount(_("Estimated value"))
    delivery_place = forms.CharField(label=_("Delivery place"), max_length=PLACE_MAX_LENGTH)
    delivery_date = _date(_("Delivery date"))
    closes_at = forms.DateTimeField(
        label=_("Closing (date and time)"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("Quotes are taken until then; the country's rules set the least and most."),
    )
    open_to_all = forms.BooleanField(
        label=_("Let any registered supplier quote, not only smaller and local ones"),
        required=False,
        help_text=_("Only where the country's rules leave the choice to the buyer."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(ITEM_ROWS):
            required = row == 0
            self.fields[f"item{row}_description"] = forms.CharField(
                label=_("Item %(number)s: description") % {"number": row + 1},
                max_length=TITLE_MAX_LENGTH,
                required=required,
            )
            self.fields[f"item{row}_scheme"] = forms.ChoiceField(
                label=_("Item %(number)s: classification scheme") % {"number": row + 1},
                choices=ClassificationScheme.choices,
                initial=ClassificationScheme.UNSPSC,
                required=required,
            )
            self.fields[f"item{row}_code"] = forms.CharField(
                label=_("Item %(number)s: classification code") % {"number": row + 1},
                max_length=16,
                required=required,
            )
            self.fields[f"item{row}_quantity"] = forms.DecimalField(
                label=_("Item %(number)s: quantity") % {"number": row + 1},
                max_digits=14,
                decimal_places=3,
                min_value=Decimal("0.001"),
                required=required,
            )
            self.fields[f"item{row}_unit"] = forms.CharField(
                label=_("Item %(number)s: unit") % {"number": row + 1},
                max_length=50,
                required=required,
            )

    def item_rows(self) -> list[list[forms.BoundField]]:
        """The item fields, row by row (for the template)."""
        names = ("description", "scheme", "code", "quantity", "unit")
        return [[self[f"item{row}_{name}"] for name in names] for row in range(ITEM_ROWS)]

    @classmethod
    def initial_of(cls, quick_quote: QuickQuote) -> dict[str, Any]:
        """The form's values for an existing draft."""
        initial: dict[str, Any] = {
            name: getattr(quick_quote, name)
            for name in (
                "title",
                "description",
                "language",
                "category",
                "currency",
                "estimated_value",
                "delivery_place",
                "delivery_date",
                "closes_at",
            )
        }
        initial["open_to_all"] = quick_quote.restriction == "none"
        for row, item in enumerate(quick_quote.items.all()[:ITEM_ROWS]):
            initial[f"item{row}_description"] = item.description
            initial[f"item{row}_scheme"] = item.classification_scheme
            initial[f"item{row}_code"] = item.classification_code
            initial[f"item{row}_quantity"] = item.quantity
            initial[f"item{row}_unit"] = item.unit
        return initial

    def data_for_service(self) -> QuickQuoteData:
        data = self.cleaned_data
        # A row counts once it has a description; the service names its gaps by item number.
        items = [
            ItemData(
                description=data[f"item{row}_description"],
                classification_scheme=data.get(f"item{row}_scheme") or "",
                classification_code=data.get(f"item{row}_code") or "",
                quantity=data.get(f"item{row}_quantity") or Decimal(0),
                unit=data.get(f"item{row}_unit") or "",
            )
            for row in range(ITEM_ROWS)
            if data.get(f"item{row}_description")
        ]
        return QuickQuoteData(
            title=data["title"],
            description=data["description"],
            language=data["language"],
            category=data["category"],
            currency=data["currency"],
            estimated_value=data["estimated_value"],
            delivery_place=data["delivery_place"],
            delivery_date=data["delivery_date"],
            closes_at=data["closes_at"],
            restricted=False if data["open_to_all"] else None,
            items=items[:ITEMS_MAX],
        )


_ITEM_FIELDS = {
    "description": "description",
    "classification_scheme": "scheme",
    "classification_code": "code",
    "quantity": "quantity",
    "unit": "unit",
}


def form_field_of(name: str | None) -> str | None:
    """The form's name of a field the services name ("items-0-quantity" → "item0_quantity")."""
    if name and name.startswith("items-"):
        _prefix, row, field = name.split("-", 2)
        if row.isdigit() and field in _ITEM_FIELDS and int(row) < ITEM_ROWS:
            return f"item{row}_{_ITEM_FIELDS[field]}"
    return name


class QuoteForm(forms.Form):
    """A supplier's quote."""

    price = _amount(_("Your price for everything asked"))
    delivery_date = _date(_("Date you can deliver"))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def data_for_service(self) -> QuoteData:
        data = self.cleaned_data
        return QuoteData(
            price=data["price"], delivery_date=data["delivery_date"], note=data["note"]
        )


class ReasonForm(forms.Form):
    """A reason the public reads (a cancellation)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuoteChoiceField(forms.ModelChoiceField):
    """A standing quote, named by its supplier, price and delivery date."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.supplier.display_name} · {obj.price} · {obj.delivery_date.isoformat()}"


class PickForm(forms.Form):
    """The buyer's choice among the standing quotes."""

    quote = QuoteChoiceField(
        label=_("Quote"), queryset=Quote.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    reason = forms.CharField(
        label=_("Reason (required when the quote is not the lowest)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, quotes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["quote"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = quotes


class OrderForm(forms.Form):
    """Who signs the purchase order for the buyer."""

    signatory = forms.CharField(
        label=_("Signed for the buyer by (name and position)"), max_length=200
    )
