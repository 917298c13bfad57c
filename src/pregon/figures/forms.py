"""The figures page's filter form (GET): the buyer's country, one buyer, a period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from pregon.figures.filters import FilterError, Filters, filters_parse


class FiguresFilterForm(forms.Form):
    """Every filter is optional; `filters` holds them, read by `filters.filters_parse` (as the
    API and the CSV downloads read them), once the form is valid."""

    country = forms.ChoiceField(label=_("Buyer's country"), required=False)
    buyer = forms.ChoiceField(label=_("Buyer"), required=False)
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=7,
        help_text=_('A year ("2026") or a quarter ("2026-Q3"); empty: every period.'),
    )

    def __init__(
        self,
        *args: Any,
        buyer_countries: list[str],
        buyers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        """`buyer_countries`: the codes of the buyers' countries; `buyers`: (id, name) pairs."""
        super().__init__(*args, **kwargs)
        named = sorted(((code, str(countries.name(code))) for code in buyer_countries), key=_name)
        self._choices("country", _("Every country"), named)
        self._choices("buyer", _("Every buyer"), [(str(pk), name) for pk, name in buyers])
        self.filters = Filters()

    def _choices(self, name: str, anything: Any, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", anything), *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.filters = filters_parse(
                country=data.get("country", ""),
                buyer=data.get("buyer", ""),
                period=data.get("period", ""),
            )
        except FilterError as error:
            self.add_error(error.field, str(error.message))
        return data


def _name(choice: tuple[str, str]) -> str:
    return choice[1]
