"""Forms of the portal's shared pages: the filters of the organizations directory."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from pregon.organizations.choices import Scale
from pregon.organizations.selectors import PUBLIC_KINDS


class OrganizationFilterForm(forms.Form):
    """The directory's filters, all optional: kind, country and (for suppliers) scale."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    scale = forms.ChoiceField(
        label=_("Size of the business"),
        required=False,
        help_text=_("Suppliers declare their size; buyers have none."),
    )

    def __init__(self, *args: Any, countries_present: list[str], **kwargs: Any) -> None:
        """`countries_present` are the codes of the countries the directory holds."""
        super().__init__(*args, **kwargs)
        self._choices(
            "kind",
            _("Any kind"),
            [(kind.value, kind.label) for kind in PUBLIC_KINDS],
        )
        named = sorted(((code, countries.name(code)) for code in countries_present), key=_label)
        self._choices("country", _("Any country"), named)
        self._choices("scale", _("Any size"), list(Scale.choices))

    def _choices(self, name: str, anything: Any, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", anything), *choices]


def _label(choice: tuple[str, Any]) -> str:
    return str(choice[1])
