"""The forms of the subcontracting pages. They check the shape of what is typed; the services
check everything again and their refusals are shown on the same forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.contracts.forms import DateInput
from pregon.core.classification_forms import ClassifiedForm
from pregon.subcontracting.choices import TEXT_MAX_LENGTH, Reservation
from pregon.subcontracting.models import Answer
from pregon.subcontracting.services import (
    AnswerData,
    SubcontractPaymentData,
    SubOpportunityData,
)

#: What <input type="datetime-local"> sends and shows: minutes, no seconds, no zone.
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; the value is a wall-clock time in the active zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATETIME_INPUT_FORMAT)


def _amount(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
        **kwargs,
    )


def _text(label: Any, *, required: bool = True, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class SubOpportunityForm(ClassifiedForm):
    """A sub-opportunity: the work offered, its classification, value, closing time and who
    may answer."""

    title = forms.CharField(label=_("Title"), max_length=300)
    description = _text(
        _("The work you offer"),
        help_text=_("What is to be done or supplied, where and when, and what you expect."),
    )
    estimated_value = _amount(_("Estimated value"))
    closes_at = forms.DateTimeField(
        label=_("Answers accepted until"),
        widget=LocalDateTimeInput(),
        input_formats=[DATETIME_INPUT_FORMAT, "%Y-%m-%d %H:%M"],
    )
    reserved = forms.ChoiceField(
        label=_("Who may answer"),
        choices=Reservation.choices,
        initial=Reservation.MSME,
        widget=forms.RadioSelect,
    )

    field_order = [
        "title",
        "description",
        "classification_scheme",
        "classification_group",
        "classification_code",
        "estimated_value",
        "closes_at",
        "reserved",
    ]

    def data_for_service(self) -> SubOpportunityData:
        data = self.cleaned_data
        return SubOpportunityData(
            title=data["title"],
            description=data["description"],
            estimated_value=data["estimated_value"],
            closes_at=data["closes_at"],
            reserved=data["reserved"],
            classification_scheme=data["classification_scheme"],
            classification_code=data.get("code", ""),
        )


class AnswerForm(forms.Form):
    price = _amount(_("Your price"))
    note = _text(
        _("Note to the poster"),
        required=False,
        help_text=_("How and when you would do the work, your experience, what your price covers."),
    )

    def data_for_service(self) -> AnswerData:
        return AnswerData(price=self.cleaned_data["price"], note=self.cleaned_data["note"])


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=3)


class AnswerChoiceField(forms.ModelChoiceField[Answer]):
    """A chosen answer, named by its supplier, its sub-opportunity and its price."""

    def label_from_instance(self, obj: Answer) -> str:
        return _("%(supplier)s: %(title)s (%(price)s %(currency)s)") % {
            "supplier": obj.organization.display_name,
            "title": obj.opportunity.title,
            "price": obj.price,
            "currency": obj.currency,
        }


class SubcontractForm(forms.Form):
    """A subcontract: from one of the answers the prime chose, or for a supplier named by its
    identifier."""

    answer = AnswerChoiceField(
        label=_("From an answer you chose"),
        queryset=Answer.objects.none(),
        required=False,
        empty_label=_("None: name the subcontractor below"),
    )
    subcontractor = forms.CharField(
        label=_("Subcontractor's identifier"),
        required=False,
        max_length=120,
        help_text=_(
            "Its tax identifier as registered on the platform, for example 76086428-5 or "
            "CL-RUT-76086428-5."
        ),
    )
    description = _text(
        _("Work subcontracted"),
        required=False,
        rows=3,
        help_text=_("Left empty with a chosen answer, the sub-opportunity's title is used."),
    )
    value = _amount(
        _("Value"),
        required=False,
        help_text=_("Left empty with a chosen answer, its price is used."),
    )

    def __init__(self, *args: Any, answers: list[Answer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Answer.objects.filter(pk__in=[a.pk for a in answers]).select_related(
            "organization", "opportunity"
        )


class SubcontractPaymentForm(forms.Form):
    subcontract = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    amount = _amount(_("Amount paid"))
    paid_on = forms.DateField(label=_("Date paid"), widget=DateInput(), input_formats=["%Y-%m-%d"])

    def data_for_service(self) -> SubcontractPaymentData:
        return SubcontractPaymentData(
            amount=self.cleaned_data["amount"], paid_on=self.cleaned_data["paid_on"]
        )
