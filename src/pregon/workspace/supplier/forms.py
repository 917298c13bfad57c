"""Forms of the supplier workspace (profile) and of the API key pages both workspaces share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.accounts.choices import OrganizationKind
from pregon.core.time_zones import zone_choices
from pregon.organizations.choices import (
    ApiScope,
    DocumentKind,
    LegalForm,
    Scale,
    profile_fields,
)
from pregon.organizations.forms import annual_turnover_field, employees_field
from pregon.organizations.models import Organization
from pregon.organizations.services import OrganizationData
from pregon.organizations.services_documents import DocumentData
from pregon.organizations.services_scale import ScaleData

# Fields a supplier edits; the identifier and the country are fixed at registration.
PROFILE_FIELDS = profile_fields(OrganizationKind.SUPPLIER)


class ProfileForm(forms.Form):
    """A supplier's public profile (`OrganizationData` without the identifier and country)."""

    legal_name = forms.CharField(label=_("Legal name"), max_length=300)
    name = forms.CharField(
        label=_("Name in common use"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if it is the legal name."),
    )
    street_address = forms.CharField(label=_("Street address"), max_length=300, required=False)
    locality = forms.CharField(label=_("City or locality"), max_length=120, required=False)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    email = forms.EmailField(label=_("Contact e-mail"), required=False)
    telephone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("What the organization does"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Buyers and larger firms looking for partners read this."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=(),
        help_text=_(
            "The zone your organization's own dates are shown in; a tender's dates are always "
            "in its buyer's zone. Change it only if you are not in the country's main zone."
        ),
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        choices=LegalForm.choices,
        help_text=_("Cooperatives, associations and community enterprises are counted apart."),
    )
    women_owned = forms.BooleanField(label=_("Women-owned"), required=False)
    indigenous_owned = forms.BooleanField(label=_("Indigenous-owned"), required=False)
    is_local = forms.BooleanField(label=_("Local business"), required=False)

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per form: the offsets are today's, the names in the visitor's language, and a
        # zone already chosen stays on the list.
        self.fields["time_zone"].choices = zone_choices(  # type: ignore[attr-defined]
            country, also=str(self.initial.get("time_zone") or "")
        )

    @classmethod
    def initial_from(cls, organization: Organization) -> dict[str, Any]:
        """The profile as stored."""
        return {name: getattr(organization, name) for name in PROFILE_FIELDS}

    def to_data(self, organization: Organization) -> OrganizationData:
        """The typed profile, with the fixed facts (identifier, country) as stored."""
        return OrganizationData(
            identifier_scheme=organization.identifier_scheme,
            identifier_id=organization.identifier_id,
            country=str(organization.country),
            buyer_type=organization.buyer_type,
            **{name: self.cleaned_data[name] for name in PROFILE_FIELDS},
        )


class ScaleForm(forms.Form):
    """The figures a supplier's size is computed from, and its own word when they are not
    enough (`ScaleData`)."""

    employees = employees_field()
    annual_turnover = annual_turnover_field()
    declared_scale = forms.ChoiceField(
        label=_("Size, if the figures do not decide it"),
        required=False,
        help_text=_("Needed only if you leave a figure out, or your country's rules do not say."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declared_scale"].choices = [  # type: ignore[attr-defined]
            ("", _("Let the figures decide")),
            *Scale.choices,
        ]

    @classmethod
    def initial_from(cls, organization: Organization) -> dict[str, Any]:
        """The declaration as stored."""
        return {
            "employees": organization.employees,
            "annual_turnover": organization.annual_turnover,
            "declared_scale": organization.declared_scale,
        }

    def to_data(self) -> ScaleData:
        """The typed declaration."""
        return ScaleData(
            employees=self.cleaned_data["employees"],
            annual_turnover=self.cleaned_data["annual_turnover"],
            declared_scale=self.cleaned_data["declared_scale"],
        )


class DocumentForm(forms.Form):
    """A document to hold, with the day it expires."""

    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image or office document; the size limit is shown if it is passed."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for tax and social security certificates."),
    )
    issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def to_data(self) -> DocumentData:
        """The typed upload."""
        return DocumentData(
            kind=self.cleaned_data["kind"],
            upload=self.cleaned_data["file"],
            expires_on=self.cleaned_data["expires_on"],
            issued_on=self.cleaned_data["issued_on"],
        )


class ScaleReviewForm(forms.Form):
    """A platform administrator's decision on the evidence of a supplier's scale."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("verify", _("The evidence shows the scale: verify it")),
            ("reject", _("The evidence does not show the scale: do not accept it")),
        ],
    )
    note = forms.CharField(
        label=_("Note to the supplier"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the evidence is not accepted: say what is missing."),
    )


# Scopes only one side uses; any other scope is offered to both.
_BUYER_SCOPES = {ApiScope.TENDERS_READ, ApiScope.TENDERS_WRITE, ApiScope.QUESTIONS_ANSWER}
_SUPPLIER_SCOPES = {ApiScope.QUESTIONS_ASK, ApiScope.BIDS_SUBMIT}


def scopes_for(kind: str) -> list[tuple[str, Any]]:
    """The scopes an organization of this kind can give a key."""
    hidden = _SUPPLIER_SCOPES if kind == OrganizationKind.BUYER else _BUYER_SCOPES
    return [(value, label) for value, label in ApiScope.choices if value not in hidden]


class ApiKeyForm(forms.Form):
    """A new key: who it is for and what it may do."""

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("Name the integrator that will use the key, e.g. “MarketPyme broker”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the key may do.")},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scopes_for(kind)  # type: ignore[attr-defined]
