"""The portal's search form: the query box, the facet filters and the order, as GET parameters.

The facet fields are selects whose options are the values present among the results, each
with its count; they are filled after the search ran (`with_facets`), so the form validates
against the known vocabularies first. Whatever a visitor (or a crawler) puts in the URL, a bad
value becomes a form error shown next to its filter, never a server error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from pregon.core import classifications
from pregon.search.selectors import FacetCount, SearchQuery
from pregon.search.text import LANGUAGES
from pregon.tenders.choices import Category, Method

VALUE_LIMIT = 10**16
CLASSIFICATION_SCHEMES = ("CPV", "UNSPSC")

#: The portal's statuses. "active" and "closed" are both OCDS `active` (bids are being
#: evaluated after the deadline): the deadline tells them apart.
STATUS_CHOICES = [
    ("active", _("Open for bids")),
    ("closed", _("Closed (deadline passed)")),
    ("cancelled", _("Cancelled")),
    ("complete", _("Complete")),
    ("unsuccessful", _("Unsuccessful")),
]
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
]
ORDER_CHOICES = [
    ("relevance", _("Best match")),
    ("closing", _("Closing soonest")),
    ("newest", _("Newest first")),
    ("value", _("Highest value")),
]
#: The facet selects, in the order the page shows them.
FACET_FIELDS = (
    "status",
    "method",
    "category",
    "classification",
    "buyer",
    "country",
    "region",
    "language",
)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes as Django's `attrs.html` writes them (False left out, True bare)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class FacetSelect(forms.Select):
    """A select written in Python, with the same HTML as Django's templates.

    A facet has up to a few hundred options (buyers, regions); rendering each through
    Django's option template took a third of the tender list's time.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        # The options straight from the choices (Django's `optgroups` builds a dictionary and
        # copies the attributes for each); the first option of the value is the selected one.
        chosen = {str(one) if one is not None else "" for one in self.format_value(value)}
        rows = []
        selected = False
        for option_value, label in self.choices:
            text = str(option_value) if option_value is not None else ""
            mark = not selected and text in chosen
            selected = selected or mark
            rows.append((text, " selected" if mark else "", label))
        options = format_html_join("", '\n  <option value="{}"{}>{}</option>', rows)
        attributes = _attributes(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}\n</select>', name, attributes, options)


def _facet(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=200, widget=FacetSelect)


class SearchForm(forms.Form):
    """Every filter of the public tender search; all optional."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    status = _facet(_("Status"))
    method = _facet(_("Procurement method"))
    category = _facet(_("Category"))
    classification = _facet(_("Classification"))
    buyer = _facet(_("Buyer"))
    country = _facet(_("Buyer's country"))
    region = _facet(_("Region"))
    language = _facet(_("Language"))
    reserved_msme = forms.BooleanField(label=_("Reserved for MSMEs only"), required=False)
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
        label=_("Closing on or after"), required=False, widget=_date_input()
    )
    closing_before = forms.DateField(
        label=_("Closing on or before"), required=False, widget=_date_input()
    )
    order = forms.ChoiceField(label=_("Order"), required=False, choices=ORDER_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FACET_FIELDS:
            # A select has no maxlength (CharField gives its widget one); the length is checked.
            self.fields[name].widget.attrs.pop("maxlength", None)

    def _known(self, name: str, values: list[str]) -> str:
        value: str = self.cleaned_data.get(name) or ""
        if value and value not in values:
            raise forms.ValidationError(_("Select a valid choice."), code="invalid_choice")
        return value

    def clean_status(self) -> str:
        return self._known("status", [value for value, _label in STATUS_CHOICES])

    def clean_method(self) -> str:
        return self._known("method", list(Method.values))

    def clean_category(self) -> str:
        return self._known("category", list(Category.values))

    def clean_language(self) -> str:
        return self._known("language", list(LANGUAGES))

    def clean_country(self) -> str:
        value: str = (self.cleaned_data.get("country") or "").upper()
        if value and value not in dict(countries):
            raise forms.ValidationError(_("Select a valid choice."), code="invalid_choice")
        return value

    def clean_classification(self) -> str:
        value: str = (self.cleaned_data.get("classification") or "").strip()
        if value and not any(
            classifications.lookup(scheme, value) for scheme in CLASSIFICATION_SCHEMES
        ):
            raise forms.ValidationError(_("Select a valid choice."), code="invalid_choice")
        return value

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

    def query(self, *, now: dt.datetime, offset: int, limit: int) -> SearchQuery:
        """The search's query from a valid form, at the moment `now` (which tells an open
        tender from a closed one)."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        after = data.get("closing_after")
        before = data.get("closing_before")
        closing_after = dt.datetime.combine(after, dt.time.min, zone) if after else None
        closing_before = dt.datetime.combine(before, dt.time.max, zone) if before else None
        status = data.get("status") or ""
        if status == "active":
            closing_after = max(closing_after, now) if closing_after else now
        elif status == "closed":
            closing_before = min(closing_before, now) if closing_before else now
        text = data.get("q") or ""
        return SearchQuery(
            text=text,
            classification=data.get("classification") or "",
            buyer=data.get("buyer") or "",
            country=data.get("country") or "",
            region=data.get("region") or "",
            method=data.get("method") or "",
            category=data.get("category") or "",
            status="active" if status == "closed" else status,
            language=data.get("language") or "",
            value_min=data.get("value_min"),
            value_max=data.get("value_max"),
            reserved_msme=True if data.get("reserved_msme") else None,
            closing_after=closing_after,
            closing_before=closing_before,
            order=data.get("order") or ("relevance" if text.strip() else "closing"),
            offset=offset,
            limit=limit,
            closed_after=now,
        )

    def with_facets(self, facets: dict[str, list[FacetCount]]) -> None:
        """Fill the facet selects with the values among the results and their counts."""
        labels: dict[str, dict[str, str]] = {
            "status": {value: str(label) for value, label in STATUS_CHOICES},
            "method": {value: str(label) for value, label in Method.choices},
            "category": {value: str(label) for value, label in Category.choices},
            "language": {value: str(label) for value, label in LANGUAGE_CHOICES},
        }
        empty = {
            "status": _("Any status"),
            "method": _("Any method"),
            "category": _("Any category"),
            "classification": _("Any classification"),
            "buyer": _("Any buyer"),
            "country": _("Any country"),
            "region": _("Any region"),
            "language": _("Any language"),
        }
        for name in FACET_FIELDS:
            options: list[tuple[str, str]] = []
            for entry in facets.get(name, []):
                options.append((entry.value, self._option_label(name, entry, labels)))
            chosen = str(self.data.get(name) or "")
            if chosen and chosen not in {value for value, _label in options}:
                options.insert(0, (chosen, chosen))
            widget = self.fields[name].widget
            assert isinstance(widget, forms.Select)
            widget.choices = [("", empty[name]), *options]

    @staticmethod
    def _option_label(name: str, entry: FacetCount, labels: dict[str, dict[str, str]]) -> str:
        if name == "classification":
            entry_label = classifications.lookup(entry.label, entry.value)
            shown = f"{entry.label} {entry.value[:2]}"
            if entry_label is not None:
                shown = f"{shown} · {entry_label.name()}"
        elif name == "buyer":
            shown = entry.label or entry.value
        elif name == "country":
            shown = str(countries.name(entry.value)) or entry.value
        else:
            shown = labels.get(name, {}).get(entry.value, entry.value)
        return f"{shown} ({entry.count})"
