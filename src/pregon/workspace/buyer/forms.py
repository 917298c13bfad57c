"""Forms of the buyer workspace. They parse what a person typed into the services' dataclasses;
the rules themselves (dates in order, codes that exist, what may change when) live in the
services, and their refusals come back onto these forms through `form_errors_from`.

Dates and times are typed and shown in the zone active when the form is built, read and shown:
the buyer's, which the workspace's views activate (`views.common.in_buyer_time_zone`). Every
date field names that zone, with its offset from UTC, in its help text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.core import classifications
from pregon.core.pages import time_zone_note
from pregon.tenders.choices import (
    AMENDABLE_FIELDS,
    ANSWER_MAX_LENGTH,
    COMMITTEE_MAX_MEMBERS,
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AwardCriteria,
    Category,
    ClassificationScheme,
    ContentLanguage,
    Currency,
    DocumentType,
    Method,
)
from pregon.tenders.models import CommitteeKey, Lot, Tender
from pregon.tenders.services import (
    AmendmentData,
    DocumentData,
    ItemData,
    LotData,
    TenderData,
)

# What <input type="datetime-local"> sends and shows: minutes, no seconds, no zone.
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; the value is a wall-clock time in the active zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATETIME_INPUT_FORMAT)


def _datetime_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=[DATETIME_INPUT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


def same_minute(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    """Whether two instants fall in the same minute (what a datetime-local input can show)."""
    if a is None or b is None:
        return a is b
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


class ZonedDatesMixin:
    """Names the active time zone, with its offset, in the help text of every date-and-time
    field."""

    fields: dict[str, forms.Field]

    def name_time_zone(self) -> None:
        note = _("Date and time in %(zone)s.") % {"zone": time_zone_note()}
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.help_text = note


_DATE_FIELDS = ("enquiry_end", "submission_deadline", "opening_at")


class TenderForm(ZonedDatesMixin, forms.Form):
    """Every field of a draft tender (`TenderData`)."""

    reference = forms.CharField(
        label=_("Buyer's reference"),
        max_length=64,
        help_text=_("Your own file number for this procurement, e.g. LIC-2026-0042."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is being bought, for what purpose, and the main conditions."),
    )
    language = forms.ChoiceField(
        label=_("Language of the tender"), choices=ContentLanguage.choices, initial="es"
    )
    method = forms.ChoiceField(label=_("Procurement method"), choices=Method.choices)
    category = forms.ChoiceField(label=_("Main category"), choices=Category.choices)
    estimated_value = forms.DecimalField(
        label=_("Estimated value"), max_digits=18, decimal_places=2, min_value=Decimal(0)
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial="CLP")
    award_criteria = forms.ChoiceField(
        label=_("Award criteria"), choices=AwardCriteria.choices, initial="priceOnly"
    )
    award_criteria_details = forms.CharField(
        label=_("How offers will be evaluated"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    enquiry_end = _datetime_field(_("Questions accepted until"))
    submission_deadline = _datetime_field(_("Bid deadline"))
    opening_at = _datetime_field(_("Bid opening"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_time_zone()

    @classmethod
    def initial_from(cls, tender: Tender) -> dict[str, Any]:
        """The form's starting values for an existing draft."""
        return {name: getattr(tender, name) for name in cls.base_fields}

    def to_data(self, tender: Tender | None = None) -> TenderData:
        """The typed values as `TenderData`. Times left at the stored minute keep their
        seconds, so saving an unchanged form changes nothing."""
        values = dict(self.cleaned_data)
        if tender is not None:
            for name in _DATE_FIELDS:
                if same_minute(values[name], getattr(tender, name)):
                    values[name] = getattr(tender, name)
        return TenderData(
            reference=values["reference"].strip(),
            title=values["title"],
            description=values["description"],
            language=values["language"],
            method=values["method"],
            category=values["category"],
            estimated_value=values["estimated_value"],
            currency=values["currency"],
            award_criteria=values["award_criteria"],
            award_criteria_details=values["award_criteria_details"],
            enquiry_end=values["enquiry_end"],
            submission_deadline=values["submission_deadline"],
            opening_at=values["opening_at"],
        )


class LotForm(forms.Form):
    """A lot's own fields; its items are added one by one with `ItemForm`."""

    title = forms.CharField(label=_("Lot title"), max_length=300)
    description = forms.CharField(
        label=_("Lot description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    estimated_value = forms.DecimalField(
        label=_("Estimated value of the lot"),
        required=False,
        max_digits=18,
        decimal_places=2,
        min_value=Decimal(0),
        help_text=_("Optional; in the tender's currency."),
    )

    @classmethod
    def initial_from(cls, lot: Lot) -> dict[str, Any]:
        """The form's starting values for an existing lot."""
        return {
            "title": lot.title,
            "description": lot.description,
            "estimated_value": lot.estimated_value,
        }

    def to_data(self) -> LotData:
        """The typed values as `LotData` (without items: a lot's items are kept on edit)."""
        return LotData(
            title=self.cleaned_data["title"],
            description=self.cleaned_data["description"],
            estimated_value=self.cleaned_data["estimated_value"],
        )


def classification_choices() -> list[tuple[str, Any]]:
    """The catalogue's top-level codes grouped by scheme, named in the active language."""
    choices: list[tuple[str, Any]] = [("", _("Choose a code"))]
    for scheme, label in ClassificationScheme.choices:
        choices.append(
            (
                str(label),
                [
                    (entry.code, f"{entry.code} · {entry.name()}")
                    for entry in classifications.top_level(scheme)
                ],
            )
        )
    return choices


class ItemForm(forms.Form):
    """One item of a lot: what, classified how, how many."""

    description = forms.CharField(label=_("Item description"), max_length=500)
    classification_scheme = forms.ChoiceField(
        label=_("Classification scheme"), choices=ClassificationScheme.choices
    )
    classification_group = forms.ChoiceField(
        label=_("Classification code"), required=False, choices=()
    )
    classification_code = forms.CharField(
        label=_("Or type a more precise code"),
        required=False,
        max_length=16,
        help_text=_("For example 30213000-5 (CPV) or 43211507 (UNSPSC). It replaces the list."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=14, decimal_places=3, min_value=Decimal("0.001")
    )
    unit = forms.CharField(
        label=_("Unit of measure"),
        max_length=40,
        help_text=_("For example unit, box, hour, square metre."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request so the names follow the visitor's language.
        self.fields["classification_group"].choices = classification_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scheme = cleaned.get("classification_scheme", "")
        typed = (cleaned.get("classification_code") or "").strip()
        chosen = cleaned.get("classification_group") or ""
        if typed:
            cleaned["code"] = typed
        elif chosen:
            if chosen not in {entry.code for entry in classifications.top_level(scheme)}:
                self.add_error(
                    "classification_group",
                    _("This code belongs to the other scheme; choose one of %(scheme)s.")
                    % {"scheme": scheme},
                )
            cleaned["code"] = chosen
        else:
            self.add_error(
                "classification_group", _("Choose a code from the list, or type a code.")
            )
        return cleaned

    def to_data(self) -> ItemData:
        """The typed values as `ItemData`."""
        return ItemData(
            description=self.cleaned_data["description"],
            classification_scheme=self.cleaned_data["classification_scheme"],
            classification_code=self.cleaned_data["code"],
            quantity=self.cleaned_data["quantity"],
            unit=self.cleaned_data["unit"],
        )


class DocumentForm(forms.Form):
    """A document to attach to a draft. Size and type are checked by `core.uploads`."""

    title = forms.CharField(label=_("Document title"), max_length=300)
    document_type = forms.ChoiceField(
        label=_("Type of document"),
        choices=DocumentType.choices,
        initial=DocumentType.BIDDING_DOCUMENTS,
    )
    # Empty and oversized files reach the upload checks, whose messages say what to do.
    file = forms.FileField(label=_("File"), allow_empty_file=True, max_length=200)

    def to_data(self) -> DocumentData:
        """The upload as `DocumentData`."""
        return DocumentData(
            upload=self.cleaned_data["file"],
            title=self.cleaned_data["title"],
            document_type=self.cleaned_data["document_type"],
        )


class AnswerForm(forms.Form):
    """The buyer's public answer to one question."""

    answer = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published with the question; the person who asked stays anonymous."),
    )


class CancelForm(forms.Form):
    """Why a tender is cancelled (published with the cancellation)."""

    reason = forms.CharField(
        label=_("Reason for cancellation"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bidders and the public will read it."),
        error_messages={
            "required": _("Say why the tender is cancelled; bidders and the public will read it.")
        },
    )


class AmendmentForm(ZonedDatesMixin, forms.Form):
    """A change to an open tender: a public reason, the fields as they should now read, and
    optionally a new document. Only the fields that differ from the tender are amended."""

    reason = forms.CharField(
        label=_("Reason for the amendment"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the amendment."),
        error_messages={"required": _("Say why the tender is amended.")},
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    estimated_value = forms.DecimalField(
        label=_("Estimated value"),
        required=False,
        max_digits=18,
        decimal_places=2,
        min_value=Decimal(0),
    )
    award_criteria = forms.ChoiceField(label=_("Award criteria"), choices=AwardCriteria.choices)
    award_criteria_details = forms.CharField(
        label=_("How offers will be evaluated"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    enquiry_end = _datetime_field(_("Questions accepted until"), required=False)
    submission_deadline = _datetime_field(_("Bid deadline"), required=False)
    opening_at = _datetime_field(_("Bid opening"), required=False)
    document_title = forms.CharField(label=_("Document title"), max_length=300, required=False)
    document_type = forms.ChoiceField(
        label=_("Type of document"),
        choices=DocumentType.choices,
        initial=DocumentType.BIDDING_DOCUMENTS,
        required=False,
    )
    document_file = forms.FileField(
        label=_("New document"), required=False, allow_empty_file=True, max_length=200
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_time_zone()

    @classmethod
    def initial_from(cls, tender: Tender) -> dict[str, Any]:
        """The tender's current values, to be changed in place."""
        return {name: getattr(tender, name) for name in AMENDABLE_FIELDS}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("document_file") and not (cleaned.get("document_title") or "").strip():
            self.add_error("document_title", _("Give the new document a title."))
        return cleaned

    def to_data(self, tender: Tender) -> AmendmentData:
        """`AmendmentData` with only the fields that differ from the tender (a time shown
        to the minute and sent back unchanged is not a change)."""
        changed: dict[str, Any] = {}
        for name in AMENDABLE_FIELDS:
            new, old = self.cleaned_data.get(name), getattr(tender, name)
            if name in _DATE_FIELDS:
                if new is None or same_minute(new, old):
                    continue
            elif name == "estimated_value":
                if new is None or new == old:
                    continue
            elif (new or "").strip() == (old or "").strip():
                continue
            changed[name] = new
        documents = []
        upload = self.cleaned_data.get("document_file")
        if upload:
            documents.append(
                DocumentData(
                    upload=upload,
                    title=self.cleaned_data["document_title"],
                    document_type=self.cleaned_data.get("document_type")
                    or DocumentType.BIDDING_DOCUMENTS,
                )
            )
        return AmendmentData(reason=self.cleaned_data["reason"], documents=documents, **changed)


class CommitteeForm(forms.Form):
    """A draft's opening committee: which of the buyer's committee members (those with an
    active opening key) open the bids, and how many of them are needed."""

    members = forms.TypedMultipleChoiceField(
        label=_("Members of the opening committee"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
        help_text=_(
            "Committee members of your organization who have registered an opening key. They "
            "are numbered in the order of this list."
        ),
        error_messages={"required": _("Choose at least one member.")},
    )
    threshold = forms.IntegerField(
        label=_("Members needed to open the bids"),
        min_value=1,
        max_value=COMMITTEE_MAX_MEMBERS,
        help_text=_(
            "How many of the members must hand in their shares at the opening. Choose fewer "
            "than the number of members (for example 2 of 3), so that one absent member does "
            "not block the opening; more than one, so that no one opens the bids alone."
        ),
    )

    def __init__(self, *args: Any, candidates: list[CommitteeKey], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [  # type: ignore[attr-defined]
            (
                key.user_id,
                _("%(name)s (%(email)s), key %(fingerprint)s")
                % {"name": key.user, "email": key.user.email, "fingerprint": key.fingerprint[:16]},
            )
            for key in candidates
        ]

    def ordered_members(self) -> list[int]:
        """The chosen members in the order of the list: their positions 1..n."""
        chosen = set(self.cleaned_data["members"])
        order = [value for value, _label in self.fields["members"].choices]  # type: ignore[attr-defined]
        return [value for value in order if value in chosen]

    @classmethod
    def initial_from(cls, tender: Tender, candidates: list[CommitteeKey]) -> dict[str, Any]:
        """The committee the draft has, or else everyone available with k = n - 1."""
        named = [member.user_id for member in tender.committee.order_by("position")]
        if named and tender.opening_threshold is not None:
            return {"members": named, "threshold": tender.opening_threshold}
        return {
            "members": [key.user_id for key in candidates],
            "threshold": max(1, len(candidates) - 1),
        }
