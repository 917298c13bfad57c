"""The catalogue's forms: the supplier's catalogue and items, and the public search filters."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.catalogue.choices import (
    CAPACITY_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    ITEM_DESCRIPTION_MAX_LENGTH,
    ITEM_NAME_MAX_LENGTH,
    PHOTO_FORMATS,
    UNIT_MAX_LENGTH,
    ItemKind,
)
from pregon.catalogue.selectors import SupplierFilters
from pregon.catalogue.services import ItemData, ProfileData
from pregon.core import classifications
from pregon.core.classification_forms import ClassifiedForm
from pregon.core.procurement import ClassificationScheme, Currency
from pregon.organizations.choices import CHOSEN_LEGAL_FORMS, LegalForm, Scale

_CURRENCIES = [("", _("Choose a currency")), *Currency.choices]
_SEPARATORS = re.compile(r"[\n,;]+")


class ProfileForm(forms.Form):
    """What the supplier says of itself: codes and regions typed one per line."""

    description = forms.CharField(
        label=_("What you do"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you make, sell or do, for whom, and what sets you apart."),
    )
    codes = forms.CharField(
        label=_("Classification codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, the scheme first: CPV 45000000-7, UNSPSC 43211507. A code without "
            "a scheme is read as CPV."
        ),
    )
    regions = forms.CharField(
        label=_("Regions served"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, the country's two-letter code, then the region as buyers write it in "
            "their address: CL: Valparaíso. The code alone is the whole country: CL."
        ),
    )
    capacity = forms.CharField(
        label=_("Capacity"),
        required=False,
        max_length=CAPACITY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you can take on: volumes per month, teams, equipment, certifications."),
    )
    max_contract_value = forms.DecimalField(
        label=_("Largest contract you can take on"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
    )
    capacity_currency = forms.ChoiceField(label=_("Currency"), required=False, choices=_CURRENCIES)
    lead_time_days = forms.IntegerField(
        label=_("Usual delivery time (days)"), required=False, min_value=0, max_value=3650
    )

    @staticmethod
    def initial_from(profile: Any) -> dict[str, Any]:
        """The form's initial values from a catalogue (or nothing for none yet)."""
        if profile is None:
            return {}
        return {
            "description": profile.description,
            "capacity": profile.capacity,
            "max_contract_value": profile.max_contract_value,
            "capacity_currency": profile.capacity_currency,
            "lead_time_days": profile.lead_time_days,
            "codes": "\n".join(f"{c.scheme} {c.code}" for c in profile.codes.all()),
            "regions": "\n".join(
                f"{r.country}: {r.region}" if r.region else str(r.country)
                for r in profile.regions.all()
            ),
        }

    def clean_codes(self) -> list[tuple[str, str]]:
        pairs = []
        for entry in _SEPARATORS.split(self.cleaned_data.get("codes") or ""):
            words = entry.split()
            if not words:
                continue
            if len(words) == 1:
                pairs.append((ClassificationScheme.CPV.value, words[0]))
            elif len(words) == 2 and words[0].upper() in ClassificationScheme.values:
                pairs.append((words[0].upper(), words[1]))
            else:
                raise forms.ValidationError(
                    _("Write each code as its scheme and its digits: %(entry)s"),
                    params={"entry": entry.strip()},
                )
        return pairs

    def clean_regions(self) -> list[tuple[str, str]]:
        pairs = []
        for line in (self.cleaned_data.get("regions") or "").splitlines():
            if not line.strip():
                continue
            country, _sep, region = line.partition(":")
            pairs.append((country.strip(), region.strip()))
        return pairs

    def data_for_service(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            description=data.get("description") or "",
            capacity=data.get("capacity") or "",
            max_contract_value=data.get("max_contract_value"),
            capacity_currency=data.get("capacity_currency") or "",
            lead_time_days=data.get("lead_time_days"),
            codes=data.get("codes") or [],
            regions=data.get("regions") or [],
        )


class ItemForm(ClassifiedForm):
    """A product or service, with its classification and an optional photo."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    name = forms.CharField(label=_("Name"), max_length=ITEM_NAME_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=ITEM_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=UNIT_MAX_LENGTH,
        help_text=_("What the price is for: a kilogram, a box of 100, an hour, a visit."),
    )
    price = forms.DecimalField(
        label=_("Indicative price"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False, choices=_CURRENCIES)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 5 MB. It is shown to everyone once published."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(PHOTO_FORMATS))}),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    field_order = [
        "kind",
        "name",
        "description",
        "classification_scheme",
        "classification_group",
        "classification_code",
        "unit",
        "price",
        "currency",
        "photo",
        "remove_photo",
    ]

    def data_for_service(self) -> ItemData:
        data = self.cleaned_data
        return ItemData(
            kind=data.get("kind") or "",
            name=data.get("name") or "",
            description=data.get("description") or "",
            classification_scheme=data.get("classification_scheme") or "",
            classification_code=data.get("code") or "",
            unit=data.get("unit") or "",
            price=data.get("price"),
            currency=data.get("currency") or "",
        )


class SupplierSearchForm(forms.Form):
    """The public filters of the supplier search. Every field is optional."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    code = forms.CharField(
        label=_("Classification code"),
        required=False,
        max_length=16,
        help_text=_("CPV or UNSPSC; for example 45 (construction) or 30213000-5."),
    )
    scheme = forms.ChoiceField(
        label=_("Scheme"),
        required=False,
        choices=[("", _("Either scheme")), *ClassificationScheme.choices],
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=())
    region = forms.ChoiceField(label=_("Region"), required=False, choices=())
    scale = forms.MultipleChoiceField(
        label=_("Size"),
        required=False,
        choices=Scale.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    verified = forms.BooleanField(label=_("Only sizes verified by the platform"), required=False)
    characteristics = forms.MultipleChoiceField(
        label=_("Characteristics"),
        required=False,
        choices=[
            ("women_owned", _("Women-owned")),
            ("indigenous_owned", _("Indigenous-owned")),
            ("is_local", _("Local business")),
            ("hubzone", _("HUBZone small business")),
            ("is_cooperative", _("Cooperative")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[
            ("", _("Any legal form")),
            *((value, label) for value, label in LegalForm.choices if value in CHOSEN_LEGAL_FORMS),
            (LegalForm.CONSORTIUM.value, LegalForm.CONSORTIUM.label),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Offers"),
        required=False,
        choices=[("", _("Goods, services or works")), *ItemKind.choices],
    )

    def __init__(
        self, *args: Any, countries: list[tuple[str, str]], regions: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *countries]  # type: ignore[attr-defined]
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Any region")),
            *((region, region) for region in regions),
        ]

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if code and not classifications.descendants_prefix(code):
            raise forms.ValidationError(_("Type the digits of a code, e.g. 45 or 30213000-5."))
        return code

    def filters(self) -> SupplierFilters:
        """The selector's filters (none when the form is not valid)."""
        if not self.is_bound or not self.is_valid():
            return SupplierFilters()
        data = self.cleaned_data
        return SupplierFilters(
            text=data.get("q") or "",
            code=data.get("code") or "",
            scheme=data.get("scheme") or "",
            country=data.get("country") or "",
            region=data.get("region") or "",
            scales=list(data.get("scale") or []),
            verified_scale=bool(data.get("verified")),
            characteristics=list(data.get("characteristics") or []),
            legal_form=data.get("legal_form") or "",
            kind=data.get("kind") or "",
        )
