"""The supplier registration form: the person and the organization, in one page.

The form checks only what a form can (required fields, the two passwords agreeing); the rules
(identifier check digits, a unique identifier, a free e-mail address, a strong password) are the
service's, and its refusals come back onto the fields named after the service's own.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from pregon.core.identifiers import KNOWN_SCHEMES
from pregon.organizations.choices import CHOSEN_LEGAL_FORMS, LegalForm, Scale
from pregon.organizations.services import OrganizationData, SupplierRegistration

OTHER_SCHEME = "other"


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one (its choices are set per request)."""
    return cast(forms.ChoiceField, form.fields[name])


def _password_help() -> str:
    return " ".join(password_validators_help_texts())


def employees_field() -> forms.IntegerField:
    """The number of employees a supplier's size is computed from (registration, its page)."""
    return forms.IntegerField(
        label=_("Number of employees"),
        required=False,
        min_value=0,
        help_text=_("On average over the last closed year."),
    )


def annual_turnover_field() -> forms.DecimalField:
    """The annual turnover a supplier's size is computed from (registration, its page)."""
    return forms.DecimalField(
        label=_("Annual turnover"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=_("Sales of the last closed year, in your country's currency."),
    )


class SupplierRegistrationForm(forms.Form):
    """Who registers (and signs in later) and the business they register."""

    # The person
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("You sign in with it. We send a message to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=lazy(_password_help, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the e-mails we send you."),
    )

    # The organization
    identifier_scheme = forms.ChoiceField(
        label=_("Identifier register"),
        help_text=_("The public register that gives your business its number (tax or company)."),
    )
    identifier_scheme_other = forms.CharField(
        label=_("Code of the other register"),
        required=False,
        max_length=24,
        help_text=_(
            "Only if you chose another register: its code as listed on org-id.guide, such as "
            "PE-RUC."
        ),
    )
    identifier_id = forms.CharField(
        label=_("Identifier"),
        max_length=64,
        help_text=_("Your business's number in that register, such as 76.086.428-5 for a RUT."),
    )
    legal_name = forms.CharField(label=_("Legal name"), max_length=300)
    name = forms.CharField(
        label=_("Name in common use"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if it is the legal name."),
    )
    country = forms.ChoiceField(label=_("Country"))
    region = forms.CharField(label=_("Region, state or province"), max_length=120, required=False)
    locality = forms.CharField(label=_("City or locality"), max_length=120, required=False)
    street_address = forms.CharField(label=_("Street address"), max_length=300, required=False)
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        help_text=_("Cooperatives, associations and community enterprises register too."),
    )
    employees = employees_field()
    annual_turnover = annual_turnover_field()
    scale = forms.ChoiceField(
        label=_("Size of the business"),
        required=False,
        help_text=_(
            "With both figures above, your country's rules compute the size and this choice is "
            "not needed; choose it only if you leave a figure out."
        ),
    )
    women_owned = forms.BooleanField(label=_("It is women-owned"), required=False)
    indigenous_owned = forms.BooleanField(label=_("It is indigenous-owned"), required=False)
    is_local = forms.BooleanField(label=_("It is a local business where it sells"), required=False)
    description = forms.CharField(
        label=_("What your business does"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on your public profile, so buyers and other suppliers can find you."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "identifier_scheme").choices = [
            ("", _("Choose a register")),
            *[(scheme.code, f"{scheme.code} · {scheme.name}") for scheme in KNOWN_SCHEMES],
            (OTHER_SCHEME, _("Another register")),
        ]
        _choice_field(self, "country").choices = [("", _("Choose a country")), *list(countries)]
        _choice_field(self, "scale").choices = [("", _("Choose a size")), *Scale.choices]
        _choice_field(self, "legal_form").choices = [
            ("", _("Choose a legal form")),
            *[(form, LegalForm(form).label) for form in CHOSEN_LEGAL_FORMS],
        ]

    def clean(self) -> dict[str, Any]:
        """The passwords agree, and another register is named when chosen."""
        cleaned = super().clean() or {}
        password, again = cleaned.get("password"), cleaned.get("password_confirm")
        if password and again and password != again:
            self.add_error("password_confirm", _("The two passwords are not the same."))
        if (
            cleaned.get("identifier_scheme") == OTHER_SCHEME
            and not cleaned.get("identifier_scheme_other", "").strip()
        ):
            self.add_error("identifier_scheme_other", _("Give the code of the register."))
        return cleaned

    @property
    def chose_other_scheme(self) -> bool:
        """Whether the identifier's register was typed in rather than chosen."""
        return self.cleaned_data.get("identifier_scheme") == OTHER_SCHEME

    def registration(self) -> SupplierRegistration:
        """The service's input from a valid form."""
        data = self.cleaned_data
        scheme = (
            data["identifier_scheme_other"]
            if self.chose_other_scheme
            else data["identifier_scheme"]
        )
        return SupplierRegistration(
            email=data["email"],
            password=data["password"],
            full_name=data["full_name"],
            language=data["language"],
            organization=OrganizationData(
                identifier_scheme=scheme,
                identifier_id=data["identifier_id"],
                legal_name=data["legal_name"],
                name=data["name"],
                country=data["country"],
                region=data["region"],
                locality=data["locality"],
                street_address=data["street_address"],
                legal_form=data["legal_form"],
                scale=data["scale"],
                employees=data["employees"],
                annual_turnover=data["annual_turnover"],
                women_owned=data["women_owned"],
                indigenous_owned=data["indigenous_owned"],
                is_local=data["is_local"],
                description=data["description"],
            ),
        )
