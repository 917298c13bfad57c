"""The forms of the contracts' pages: what the buyer and the supplier write.

They check the shape of what is typed (a date, an amount, a file); the services check
everything else again, whatever door the values come through, and their refusals are shown on
the same forms (`pregon.core.pages.form_errors_from`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.contracts.choices import TEXT_MAX_LENGTH, ContractDocumentType
from pregon.contracts.models import Milestone
from pregon.contracts.services import (
    AmendmentData,
    ContractData,
    DocumentData,
    InvoiceData,
    MilestoneData,
    PaymentData,
)


class DateInput(forms.DateInput):
    """A native date picker; the value is sent as YYYY-MM-DD whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=["%Y-%m-%d"], **kwargs)


def _amount(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )


def _text(label: Any, *, required: bool = True, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class ContractForm(forms.Form):
    """The draft's title, description and period (its value is the award's)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    description = _text(_("Description"), required=False)
    period_start = _date(_("Start of the period"))
    period_end = _date(_("End of the period"))

    def data_for_service(self) -> ContractData:
        return ContractData(
            title=self.cleaned_data["title"],
            description=self.cleaned_data["description"],
            period_start=self.cleaned_data["period_start"],
            period_end=self.cleaned_data["period_end"],
        )


class DocumentForm(forms.Form):
    """A document of the contract."""

    title = forms.CharField(label=_("Title of the document"), max_length=300)
    document_type = forms.ChoiceField(label=_("Type"), choices=ContractDocumentType.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, an office document, an image, text or a ZIP archive."),
    )

    def data_for_service(self) -> DocumentData:
        return DocumentData(
            title=self.cleaned_data["title"],
            document_type=self.cleaned_data["document_type"],
            upload=self.cleaned_data["file"],
        )


class MilestoneForm(forms.Form):
    """A delivery the contract expects by a date."""

    title = forms.CharField(label=_("What is delivered"), max_length=300)
    description = _text(_("Details"), required=False, rows=2)
    due_date = _date(_("Due date"))

    def data_for_service(self) -> MilestoneData:
        return MilestoneData(
            title=self.cleaned_data["title"],
            description=self.cleaned_data["description"],
            due_date=self.cleaned_data["due_date"],
        )


class SignForm(forms.Form):
    """Who signs, and their position."""

    signatory = forms.CharField(
        label=_("Signed by (name and position)"),
        max_length=200,
        help_text=_("Recorded with the contract; the signatures' dates are public."),
    )


class ReasonForm(forms.Form):
    """A reason, in words (to cancel, terminate, reject an invoice)."""

    reason = _text(_("Reason"))


class NoteForm(forms.Form):
    """An optional note (to complete a contract)."""

    reason = _text(_("Note (optional)"), required=False, rows=2)


class AmendmentForm(forms.Form):
    """The new values of an amendment (those left empty do not change), and its reason."""

    reason = _text(_("Reason for the amendment"))
    value = _amount(_("New value"), required=False)
    period_end = _date(_("New end of the period"), required=False)
    change_description = forms.BooleanField(label=_("Change the description"), required=False)
    description = _text(_("New description"), required=False)
    document_title = forms.CharField(
        label=_("Title of the signed amendment (optional)"), max_length=300, required=False
    )
    document = forms.FileField(label=_("Signed amendment (optional)"), required=False)

    def data_for_service(self) -> AmendmentData:
        data = self.cleaned_data
        document = None
        if data.get("document"):
            document = DocumentData(
                title=data["document_title"] or str(_("Signed amendment")),
                document_type=ContractDocumentType.SIGNED,
                upload=data["document"],
            )
        return AmendmentData(
            reason=data["reason"],
            value=data.get("value"),
            period_end=data.get("period_end"),
            description=data["description"] if data.get("change_description") else None,
            document=document,
        )


class MeetForm(forms.Form):
    """The date a delivery was made."""

    date_met = _date(_("Date it was delivered"))


class PaymentForm(forms.Form):
    """A payment of an accepted invoice."""

    amount = _amount(_("Amount paid"))
    paid_on = _date(_("Date of the payment"))

    def data_for_service(self) -> PaymentData:
        return PaymentData(amount=self.cleaned_data["amount"], paid_on=self.cleaned_data["paid_on"])


class InvoiceForm(forms.Form):
    """A supplier's invoice against one of the contract's met deliveries."""

    milestone = forms.ModelChoiceField(
        label=_("Delivery invoiced"), queryset=Milestone.objects.none(), empty_label=None
    )
    reference = forms.CharField(label=_("Your invoice number"), max_length=64)
    amount = _amount(_("Amount"))
    issued_on = _date(_("Invoice date"))
    file = forms.FileField(label=_("The invoice (a document)"))

    def __init__(self, *args: Any, milestones: list[Milestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["milestone"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Milestone.objects.filter(pk__in=[m.pk for m in milestones]).order_by(
            "number"
        )

    def data_for_service(self) -> InvoiceData:
        return InvoiceData(
            milestone=self.cleaned_data["milestone"],
            reference=self.cleaned_data["reference"],
            amount=self.cleaned_data["amount"],
            issued_on=self.cleaned_data["issued_on"],
            upload=self.cleaned_data["file"],
        )
