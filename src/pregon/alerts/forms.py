"""The forms of the alerts' pages: a subscription, a webhook.

Lists (codes, keywords, regions, buyers) are typed one per line; the services check every
value and say which one is wrong.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pregon.alerts.choices import VALUE_LIMIT, Frequency
from pregon.alerts.models import Subscription, WebhookEndpoint
from pregon.alerts.services.subscriptions import SubscriptionData
from pregon.tenders.choices import ClassificationScheme

_SCHEMES = {scheme.upper(): scheme for scheme in ClassificationScheme.values}


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def parse_codes(text: str) -> tuple[tuple[str, str], ...]:
    """Codes typed one per line, each "45210000" (CPV) or "UNSPSC 43211902" ("CPV 4521")."""
    codes = []
    for line in _lines(text):
        parts = line.replace(":", " ").split()
        if len(parts) >= 2 and parts[0].upper() in _SCHEMES:
            codes.append((_SCHEMES[parts[0].upper()], parts[1]))
        else:
            codes.append((ClassificationScheme.CPV.value, parts[0]))
    return tuple(codes)


def codes_text(codes: list[dict[str, str]]) -> str:
    """Stored codes as the form shows them, one per line."""
    return "\n".join(
        entry["code"]
        if entry["scheme"] == ClassificationScheme.CPV
        else f"{entry['scheme']} {entry['code']}"
        for entry in codes
    )


def _list_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def _value_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=VALUE_LIMIT, decimal_places=2
    )


class SubscriptionForm(forms.Form):
    """What to follow and how to hear of it. `anonymous` adds the e-mail address."""

    name = forms.CharField(
        label=_("Name of the subscription"),
        max_length=120,
        help_text=_("For you: it is in the subject of the e-mails."),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("We send one message to confirm it; nothing else until you confirm."),
    )
    codes = _list_field(
        _("Classification codes"),
        _(
            "One per line. A CPV code (45000000), or UNSPSC and the code (UNSPSC 43000000). A "
            "group finds its descendants: 4521 finds 45210000-2 and 45214000-0."
        ),
    )
    keywords = _list_field(
        _("Keywords"),
        _(
            "One per line, in any of the four languages: “hospitales” finds “hospital”. A line "
            "of several words needs all of them."
        ),
    )
    regions = _list_field(_("Regions"), _("One per line: the region of the buyer's address."))
    buyers = _list_field(
        _("Buyers"),
        _("One per line: the buyer's identifier as the open data names it (CL-RUT-61234567-8)."),
    )
    value_min = _value_field(_("Estimated value from"))
    value_max = _value_field(_("Estimated value up to"))
    reserved_msme = forms.BooleanField(
        label=_("Only tenders reserved for my scale (micro, small and medium enterprises)"),
        required=False,
    )
    frequency = forms.ChoiceField(
        label=_("E-mails"),
        choices=Frequency.choices,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
    )
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=())
    webhook = forms.TypedChoiceField(
        label=_("Webhook"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
        help_text=_("Also send each notice, signed, to one of your webhooks."),
    )

    def __init__(
        self,
        *args: Any,
        anonymous: bool = False,
        webhooks: list[WebhookEndpoint] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = list(settings.LANGUAGES)
        if anonymous:
            self.fields["email"].required = True
            del self.fields["webhook"]
            frequency = self.fields["frequency"]
            assert isinstance(frequency, forms.ChoiceField)
            frequency.choices = [
                choice for choice in Frequency.choices if choice[0] != Frequency.NONE
            ]
        else:
            del self.fields["email"]
            webhook = self.fields["webhook"]
            assert isinstance(webhook, forms.ChoiceField)
            webhook.choices = [
                ("", _("No webhook")),
                *((endpoint.pk, endpoint.url) for endpoint in webhooks or []),
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("value_min"), cleaned.get("value_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "value_max", _("The greatest value must not be less than the least value.")
            )
        return cleaned

    def to_data(self) -> SubscriptionData:
        """The subscription a valid form describes."""
        data = self.cleaned_data
        value_min: Decimal | None = data.get("value_min")
        value_max: Decimal | None = data.get("value_max")
        return SubscriptionData(
            name=data["name"],
            codes=parse_codes(data.get("codes") or ""),
            keywords=_lines(data.get("keywords") or ""),
            regions=_lines(data.get("regions") or ""),
            buyers=_lines(data.get("buyers") or ""),
            value_min=value_min,
            value_max=value_max,
            reserved_msme=bool(data.get("reserved_msme")),
            frequency=data["frequency"],
            language=data["language"],
            webhook_id=data.get("webhook"),
            email=data.get("email") or "",
        )

    @staticmethod
    def initial_from(subscription: Subscription) -> dict[str, Any]:
        """The form's values for an existing subscription."""
        return {
            "name": subscription.name,
            "codes": codes_text(subscription.codes),
            "keywords": "\n".join(subscription.keywords),
            "regions": "\n".join(subscription.regions),
            "buyers": "\n".join(subscription.buyers),
            "value_min": subscription.value_min,
            "value_max": subscription.value_max,
            "reserved_msme": subscription.reserved_msme,
            "frequency": subscription.frequency,
            "language": subscription.language,
            "webhook": subscription.webhook_id,
        }


class WebhookForm(forms.Form):
    """A webhook to register."""

    url = forms.URLField(
        label=_("Address that receives the notices"),
        max_length=500,
        assume_scheme="https",
        help_text=_("It receives a signed POST with JSON for each notice."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
