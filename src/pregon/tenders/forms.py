"""The public tender list's filter form: it turns query parameters into `TenderFilters`.

Whatever a visitor (or a crawler) puts in the URL, a bad value becomes a form error shown next
to its filter, never a server error.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from pregon.core import classifications
from pregon.organizations.models import Organization
from pregon.tenders.choices import QUESTION_MAX_LENGTH, Category, Method, TenderStatus
from pregon.tenders.models import Lot
from pregon.tenders.selectors import TenderFilters

ORDER_CHOICES = [
    ("closing", _("Closing soonest")),
    ("newest", _("Newest first")),
    ("value", _("Highest value")),
]

VALUE_LIMIT = 10**16


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one (its choices are set per request)."""
    return cast(forms.ChoiceField, form.fields[name])


def _any(label: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class TenderFilterForm(forms.Form):
    """Every filter of the public tender list; all optional."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    method = forms.ChoiceField(
        label=_("Procurement method"),
        required=False,
        choices=_any(_("Any method"), Method.choices),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_any(_("Any category"), Category.choices)
    )
    buyer = forms.TypedChoiceField(label=_("Buyer"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Buyer's country"), required=False)
    classification = forms.ChoiceField(label=_("Classification"), required=False)
    value_min = forms.DecimalField(
        label=_("Estimated value from"),
        required=False,
        min_value=0,
        max_value=VALUE_LIMIT,
        decimal_places=2,
    )
    value_max = forms.DecimalField(
        label=_("Estimated value up to"),
        required=False,
        min_value=0,
        max_value=VALUE_LIMIT,
        decimal_places=2,
    )
    closing_after = forms.DateField(
        label=_("Closing on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    closing_before = forms.DateField(
        label=_("Closing on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    order = forms.ChoiceField(label=_("Order"), required=False, choices=ORDER_CHOICES)

    def __init__(self, *args: Any, buyers: list[Organization], **kwargs: Any) -> None:
        """`buyers` are the buyers that have published tenders (for the buyer and country
        choices), read once by the view."""
        super().__init__(*args, **kwargs)
        _choice_field(self, "status").choices = _any(
            _("Any status"),
            [(value, label) for value, label in TenderStatus.choices if value != "draft"],
        )
        _choice_field(self, "buyer").choices = _any(
            _("Any buyer"), [(str(buyer.pk), buyer.display_name) for buyer in buyers]
        )
        codes = sorted({str(buyer.country) for buyer in buyers if buyer.country})
        _choice_field(self, "country").choices = _any(
            _("Any country"),
            sorted(((code, countries.name(code)) for code in codes), key=lambda c: str(c[1])),
        )
        _choice_field(self, "classification").choices = _any(
            _("Any classification"),
            [
                (
                    scheme,
                    [
                        (entry.code, f"{entry.code} · {entry.name()}")
                        for entry in classifications.top_level(scheme)
                    ],
                )
                for scheme in ("CPV", "UNSPSC")
            ],
        )

    def clean(self) -> dict[str, Any]:
        """Ranges must be in order."""
        cleaned = super().clean() or {}
        low, high = cleaned.get("value_min"), cleaned.get("value_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "value_max", _("The highest value must not be less than the lowest value.")
            )
        after, before = cleaned.get("closing_after"), cleaned.get("closing_before")
        if after and before and after > before:
            self.add_error("closing_before", _("This date must not be before the first date."))
        return cleaned

    def filters(self) -> TenderFilters:
        """The selector's filters from a valid form."""
        data = self.cleaned_data
        return TenderFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            method=data.get("method") or "",
            category=data.get("category") or "",
            buyer=data.get("buyer"),
            country=data.get("country") or "",
            value_min=data.get("value_min"),
            value_max=data.get("value_max"),
            closing_after=data.get("closing_after"),
            closing_before=data.get("closing_before"),
            classification=data.get("classification") or "",
            order=data.get("order") or "closing",
        )

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list (ordering aside)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return False
        return any(
            value not in (None, "") for name, value in self.cleaned_data.items() if name != "order"
        )


class QuestionForm(forms.Form):
    """A supplier's clarification question, optionally about one lot."""

    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Questions and answers are published for everyone; your name and your "
            "organization's are never shown."
        ),
    )
    lot = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, lots: list[Lot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lots = {lot.pk: lot for lot in lots}
        _choice_field(self, "lot").choices = _any(
            _("The whole tender"), [(str(lot.pk), str(lot)) for lot in lots]
        )
        # A tender of one lot still has two answers to "about what": the whole, or the lot.
        if not lots:
            self.fields["lot"].widget = forms.HiddenInput()

    def chosen_lot(self) -> Lot | None:
        """The chosen lot of a valid form."""
        pk = self.cleaned_data.get("lot")
        return self.lots.get(pk) if pk else None
