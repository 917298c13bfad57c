"""Forms of the supplier workspace (profile) and of the API key pages both workspaces share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.accounts.choices import OrganizationKind
from pregon.core.time_zones import zone_choices
from pregon.organizations.choices import (
    CHOSEN_LEGAL_FORMS,
    ApiScope,
    DocumentKind,
    LegalForm,
    Scale,
    profile_fields,
)
from pregon.organizations.forms import annual_turnover_field, employees_field
from pregon.organizations.models import Organization
from pregon.organizations.services import OrganizationData
from pregon.organizations.services_consortia import ConsortiumData, InvitedMember
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
    hubzone = forms.BooleanField(
        label=_("HUBZone small business (United States)"),
        required=False,
        help_text=_(
            "Certified by the US Small Business Administration: the United States' rules give "
            "your offers a price-evaluation preference."
        ),
    )

    def __init__(self, *args: Any, country: str = "", legal_form: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A consortium is formed on the platform and stays one; other suppliers choose theirs.
        self.fields["legal_form"].choices = (  # type: ignore[attr-defined]
            [(LegalForm.CONSORTIUM.value, LegalForm.CONSORTIUM.label)]
            if legal_form == LegalForm.CONSORTIUM
            else [(form, LegalForm(form).label) for form in CHOSEN_LEGAL_FORMS]
        )
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


#: How many other members the consortium form offers rows for (the service accepts more).
CONSORTIUM_FORM_ROWS = 4


class ConsortiumForm(forms.Form):
    """A consortium as its lead member forms it (`ConsortiumData`): its name, the lead's share,
    and one row per invited member (identifier and share); empty rows are left out."""

    name = forms.CharField(label=_("Name of the consortium"), max_length=300)
    description = forms.CharField(
        label=_("What the consortium offers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_share = forms.DecimalField(
        label=_("Your share (%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        help_text=_("The shares of all members add up to 100."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, CONSORTIUM_FORM_ROWS + 1):
            self.fields[f"member_{row}_scheme"] = forms.CharField(
                label=_("Member %(row)s: identifier scheme") % {"row": row},
                max_length=24,
                required=False,
                help_text=_("For example BR-CNPJ or CL-RUT."),
            )
            self.fields[f"member_{row}_id"] = forms.CharField(
                label=_("Member %(row)s: identifier") % {"row": row},
                max_length=64,
                required=False,
            )
            self.fields[f"member_{row}_share"] = forms.DecimalField(
                label=_("Member %(row)s: share (%%)") % {"row": row},
                min_value=Decimal("0.01"),
                max_value=Decimal(100),
                decimal_places=2,
                required=False,
            )

    def rows(self) -> list[list[forms.BoundField]]:
        """The member rows' fields, for the template."""
        return [
            [self[f"member_{row}_{part}"] for part in ("scheme", "id", "share")]
            for row in range(1, CONSORTIUM_FORM_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        """A row names both the identifier and the share, or nothing."""
        cleaned = super().clean() or {}
        for row in range(1, CONSORTIUM_FORM_ROWS + 1):
            given = [
                cleaned.get(f"member_{row}_{part}") not in (None, "")
                for part in ("scheme", "id", "share")
            ]
            if any(given) and not all(given):
                self.add_error(
                    f"member_{row}_id",
                    _("Give the member's identifier scheme, identifier and share, or none."),
                )
        return cleaned

    def to_data(self) -> ConsortiumData:
        """The typed consortium, without the empty rows."""
        return ConsortiumData(
            name=self.cleaned_data["name"],
            description=self.cleaned_data["description"],
            lead_share=self.cleaned_data["lead_share"],
            members=[
                InvitedMember(
                    identifier_scheme=self.cleaned_data[f"member_{row}_scheme"],
                    identifier_id=self.cleaned_data[f"member_{row}_id"],
                    share=self.cleaned_data[f"member_{row}_share"],
                )
                for row in range(1, CONSORTIUM_FORM_ROWS + 1)
                if self.cleaned_data.get(f"member_{row}_id")
            ],
        )
