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
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from pregon.core.classification_forms import ClassifiedForm
from pregon.core.pages import time_zone_note
from pregon.rules import ReservationDecision
from pregon.tenders.choices import (
    AMENDABLE_FIELDS,
    ANSWER_MAX_LENGTH,
    COMMITTEE_MAX_MEMBERS,
    CRITERIA_MAX,
    CRITERIA_TOTAL_WEIGHT,
    CRITERION_DESCRIPTION_MAX_LENGTH,
    CRITERION_NAME_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AwardCriteria,
    Category,
    ContentLanguage,
    CriterionKind,
    Currency,
    DocumentType,
    Method,
    PriceScoring,
    ReservationObligation,
)
from pregon.tenders.models import CommitteeKey, Lot, Tender
from pregon.tenders.services import (
    AmendmentData,
    CriterionData,
    DocumentData,
    ItemData,
    LotData,
    TenderData,
    criteria_of,
)
from pregon.tenders.services.validation import LOT_COUNT_LIMIT

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


# ---------------------------------------------------------------------------------------------
# award criteria: the choice, the price formula, and the weighted criteria as a formset that
# works without scripts (a button adds a row, a checkbox removes one)

#: The submit button that adds a row to the criteria instead of saving.
CRITERIA_ADD = "criteria_add"
CRITERIA_PREFIX = "criteria"


def _award_criteria_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Award criteria"),
        choices=AwardCriteria.choices,
        initial=AwardCriteria.PRICE_ONLY,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
    )


def _price_scoring_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How prices are scored"),
        required=False,
        choices=[
            (PriceScoring.PROPORTIONAL, _("Proportional to the lowest price: points = W × L ÷ P")),
            (
                PriceScoring.LINEAR,
                _("Linear: points = W × (1 − (P − L) ÷ L), and 0 at twice the lowest price"),
            ),
        ],
        initial=PriceScoring.PROPORTIONAL,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
        help_text=_(
            "With weighted criteria. W is the weight of the price criterion, L the lowest price "
            "among the compliant bids of the lot, P the bid's price."
        ),
    )


def _notes_field() -> forms.CharField:
    return forms.CharField(
        label=_("Notes on the evaluation"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional: anything else bidders should know about the evaluation, such as how "
            "ties are broken. Published with the criteria."
        ),
    )


class CriterionForm(forms.Form):
    """One row of the weighted criteria. A row left empty is ignored; one with a name or a
    weight needs both."""

    name = forms.CharField(
        label=_("Criterion"), required=False, max_length=CRITERION_NAME_MAX_LENGTH
    )
    kind = forms.ChoiceField(
        label=_("Scored by"),
        required=False,
        choices=[
            (CriterionKind.PRICE, _("the price formula (price)")),
            (CriterionKind.QUALITY, _("the evaluation committee (quality)")),
        ],
        initial=CriterionKind.QUALITY,
    )
    weight = forms.IntegerField(
        label=_("Weight (points)"),
        required=False,
        min_value=1,
        max_value=CRITERIA_TOTAL_WEIGHT,
        error_messages={
            "min_value": _("Give a weight from 1 to 100 points."),
            "max_value": _("Give a weight from 1 to 100 points."),
            "invalid": _("Give a weight from 1 to 100 points."),
        },
    )
    description = forms.CharField(
        label=_("What is assessed"),
        required=False,
        max_length=CRITERION_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name = (cleaned.get("name") or "").strip()
        weight = cleaned.get("weight")
        if self.errors or cleaned.get("DELETE"):
            return cleaned
        if name and weight is None:
            self.add_error("weight", _("Give this criterion its weight."))
        elif weight is not None and not name:
            self.add_error("name", _("Give this criterion a name."))
        elif name and not cleaned.get("kind"):
            self.add_error("kind", _("Choose whether it scores the price or a quality."))
        return cleaned

    def is_blank(self) -> bool:
        """Whether the row says nothing (it is then left out)."""
        return not (self.cleaned_data.get("name") or "").strip() and (
            self.cleaned_data.get("weight") is None
        )


# Django's formsets are generic only in the type stubs.
if TYPE_CHECKING:
    _CriteriaFormSetBase = forms.BaseFormSet[CriterionForm]
else:
    _CriteriaFormSetBase = forms.BaseFormSet


class BaseCriteriaFormSet(_CriteriaFormSetBase):
    """The weighted criteria, row by row."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # Every row is read, whether the page showed it filled in or empty: a row shown with
        # the tender's values and sent back unchanged still counts (an empty one is left out
        # by `to_data`).
        return {**super().get_form_kwargs(index), "empty_permitted": False}

    def add_fields(self, form: CriterionForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this criterion")

    def add_refusal(self, message: str) -> None:
        """Show a service's refusal of the criteria as a whole (the weights' sum, the price
        criterion, a name used twice) above the rows."""
        errors = self.non_form_errors()
        if message not in errors:
            errors.append(message)

    def to_data(self) -> list[CriterionData]:
        """The rows kept (neither removed nor left empty), in order."""
        return [
            CriterionData(
                name=form.cleaned_data["name"].strip(),
                kind=form.cleaned_data["kind"],
                weight=form.cleaned_data["weight"],
                description=(form.cleaned_data.get("description") or "").strip(),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank()
        ]

    def total(self) -> int | None:
        """The sum of the weights typed in the rows kept (as far as they are numbers)."""
        total, any_weight = 0, False
        for form in self.forms:
            prefix = form.add_prefix
            raw = form.data.get(prefix("weight")) if self.is_bound else form.initial.get("weight")
            deleted = self.is_bound and form.data.get(prefix("DELETE"))
            try:
                weight = int(str(raw).strip())
            except (TypeError, ValueError):
                continue
            if not deleted:
                total += weight
                any_weight = True
        return total if any_weight else None


_CriteriaFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriteriaFormSet,
    extra=0,
    can_delete=True,
    max_num=CRITERIA_MAX,
    validate_max=True,
    absolute_max=CRITERIA_MAX,
)


def CriteriaFormSet(*args: Any, **kwargs: Any) -> BaseCriteriaFormSet:  # noqa: N802
    """The weighted criteria's formset (`formset_factory`'s class, typed as what it is)."""
    return cast(BaseCriteriaFormSet, _CriteriaFormSet(*args, **kwargs))


def criteria_initial(tender: Tender | None) -> list[dict[str, Any]]:
    """The rows a form starts with: the tender's weighted criteria, or else a price row and a
    quality row to fill in."""
    if tender is not None:
        rows = [
            {
                "name": row.name,
                "kind": row.kind,
                "weight": row.weight,
                "description": row.description,
            }
            for row in tender.criteria.all()
        ]
        if rows:
            return rows
    starting: list[dict[str, Any]] = [
        {"name": _("Price"), "kind": CriterionKind.PRICE},
        {"kind": CriterionKind.QUALITY},
    ]
    return starting


def criteria_in_use(data: QueryDict) -> bool:
    """Whether the form sent chooses weighted criteria (its rows are then read and checked;
    with lowest price they are ignored, whatever they hold)."""
    return data.get("award_criteria") == AwardCriteria.RATED_CRITERIA


def _rows_as_typed(data: QueryDict) -> list[dict[str, Any]]:
    """The rows sent, as they were typed, without those marked for removal."""
    try:
        count = min(int(data.get(f"{CRITERIA_PREFIX}-TOTAL_FORMS", "0")), CRITERIA_MAX)
    except ValueError:
        count = 0
    rows: list[dict[str, Any]] = []
    for index in range(count):
        prefix = f"{CRITERIA_PREFIX}-{index}-"
        if data.get(prefix + "DELETE"):
            continue
        rows.append(
            {
                name: data.get(prefix + name, "")
                for name in ("name", "kind", "weight", "description")
            }
        )
    return rows


def criteria_as_typed(data: QueryDict) -> BaseCriteriaFormSet:
    """The rows sent, shown again as typed and without complaints (lowest price ignores them)."""
    return CriteriaFormSet(prefix=CRITERIA_PREFIX, initial=_rows_as_typed(data))


def criteria_formset(
    data: QueryDict | None, tender: Tender | None
) -> tuple[BaseCriteriaFormSet, bool]:
    """The criteria formset of a page, and whether the person asked for one more row.

    Adding a row saves nothing: the page comes back with the rows as typed (removed ones left
    out) and an empty one at the end, without error messages, since nothing was submitted yet.
    """
    initial = criteria_initial(tender)
    if data is None:
        return CriteriaFormSet(prefix=CRITERIA_PREFIX, initial=initial), False
    if f"{CRITERIA_PREFIX}-TOTAL_FORMS" not in data:
        # A form sent without the rows at all (by a script, say) gives no weighted criteria.
        data = data.copy()
        data[f"{CRITERIA_PREFIX}-TOTAL_FORMS"] = "0"
        data[f"{CRITERIA_PREFIX}-INITIAL_FORMS"] = "0"
    if CRITERIA_ADD not in data:
        return CriteriaFormSet(data, prefix=CRITERIA_PREFIX, initial=initial), False
    rows = _rows_as_typed(data)
    if len(rows) < CRITERIA_MAX:
        rows.append({"kind": CriterionKind.QUALITY})
    formset = CriteriaFormSet(prefix=CRITERIA_PREFIX, initial=rows)
    # Where the person goes on typing (a page without scripts cannot scroll there otherwise).
    formset.forms[-1].fields["name"].widget.attrs["autofocus"] = True
    return formset, True


def as_unbound(form: forms.Form, form_class: type[forms.Form], **kwargs: Any) -> forms.Form:
    """The same form, unbound, showing what was typed: a page shown again after "add a row"
    has nothing to complain about yet."""
    initial = {name: form[name].value() for name in form.fields}
    return form_class(initial=initial, **kwargs)


def _criteria_values(
    award_criteria: str, price_scoring: str, rows: list[CriterionData]
) -> tuple[str, list[CriterionData]]:
    """The price formula and criteria that go with the chosen award criteria: none with lowest
    price, whatever the rows still show."""
    if award_criteria == AwardCriteria.PRICE_ONLY:
        return "", []
    return price_scoring, rows


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
    award_criteria = _award_criteria_field()
    price_scoring = _price_scoring_field()
    award_criteria_details = _notes_field()
    undivided_reason = forms.CharField(
        label=_("Reason for not dividing into lots"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Where the rules ask it (a single lot above their threshold), say why the tender "
            "is not divided into lots; it is published with the tender."
        ),
    )
    subcontracting_share = forms.IntegerField(
        label=_("Share to subcontract to smaller firms (%)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_(
            "Where the rules let you require it (Brazil: up to 30%), the percent of the "
            "contract's value the winner must subcontract to smaller firms; empty for none."
        ),
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
        initial = {name: getattr(tender, name) for name in cls.base_fields}
        initial["price_scoring"] = tender.price_scoring or PriceScoring.PROPORTIONAL
        return initial

    def to_data(
        self, tender: Tender | None = None, *, criteria: list[CriterionData] | None = None
    ) -> TenderData:
        """The typed values as `TenderData`, with the weighted `criteria` of the page's
        formset. Times left at the stored minute keep their seconds, so saving an unchanged
        form changes nothing."""
        values = dict(self.cleaned_data)
        price_scoring, rows = _criteria_values(
            values["award_criteria"], values.get("price_scoring") or "", criteria or []
        )
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
            price_scoring=price_scoring,
            criteria=rows,
            award_criteria_details=values["award_criteria_details"],
            undivided_reason=values.get("undivided_reason") or "",
            subcontracting_share=values.get("subcontracting_share"),
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
    reserved = forms.BooleanField(
        label=_("Reserve this lot for smaller firms"),
        required=False,
        help_text=_("Only the firms the rules name below may bid on a reserved lot."),
    )
    limit_to_local = forms.BooleanField(
        label=_("Limit the reserved lot to local suppliers"), required=False
    )
    msme_requests = forms.IntegerField(
        label=_("Requests for a call limited to smaller firms"),
        required=False,
        min_value=0,
        max_value=LOT_COUNT_LIMIT,
        help_text=_("How many eligible smaller firms asked for it, where the rules count them."),
    )
    expected_small_offers = forms.IntegerField(
        label=_("Smaller firms expected to offer at a fair price"),
        required=False,
        min_value=0,
        max_value=LOT_COUNT_LIMIT,
        help_text=_("From your market research, where the rules ask for it; empty if unknown."),
    )
    quota_of = forms.TypedChoiceField(
        label=_("Quota of divisible goods reserved for smaller firms"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Make this lot the share of another lot's goods that only smaller firms may bid "
            "on, as the rules allow; leave empty for an ordinary lot."
        ),
    )

    def __init__(
        self,
        *args: Any,
        decision: ReservationDecision | None = None,
        quota_mains: list[Lot] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.decision = decision
        if decision is not None and decision.obligation == ReservationObligation.MUST:
            # The rules reserve it: shown ticked, and not the buyer's to untick.
            self.fields["reserved"].disabled = True
            self.fields["reserved"].initial = True
        if quota_mains is None:
            # The rules provide no quota for this tender: the field is not offered.
            del self.fields["quota_of"]
        else:
            field = self.fields["quota_of"]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", _("Not a quota: an ordinary lot"))] + [
                (
                    main.number,
                    _("Quota of lot %(number)s: %(title)s")
                    % {"number": main.number, "title": main.title},
                )
                for main in quota_mains
            ]

    @classmethod
    def initial_from(cls, lot: Lot) -> dict[str, Any]:
        """The form's starting values for an existing lot."""
        return {
            "title": lot.title,
            "description": lot.description,
            "estimated_value": lot.estimated_value,
            "reserved": lot.reserved,
            "limit_to_local": lot.reserved_local_only,
            "msme_requests": lot.msme_requests,
            "expected_small_offers": lot.expected_small_offers,
            "quota_of": lot.quota_of.number if lot.quota_of is not None else None,
        }

    def to_data(self) -> LotData:
        """The typed values as `LotData` (without items: a lot's items are kept on edit). A lot
        the rules must reserve, or whose reservation the rules decide alone, takes what they
        say (`reserved` None)."""
        decision = self.decision
        chooses = decision is not None and decision.obligation == ReservationObligation.MAY
        return LotData(
            title=self.cleaned_data["title"],
            description=self.cleaned_data["description"],
            estimated_value=self.cleaned_data["estimated_value"],
            reserved=bool(self.cleaned_data.get("reserved")) if chooses else None,
            limit_to_local=bool(self.cleaned_data.get("limit_to_local"))
            if decision is not None and decision.may_limit_to_local
            else None,
            msme_requests=self.cleaned_data.get("msme_requests") or 0,
            expected_small_offers=self.cleaned_data.get("expected_small_offers"),
            quota_of=self.cleaned_data.get("quota_of"),
        )


class ItemForm(ClassifiedForm):
    """One item of a lot: what, classified how, how many."""

    field_order = ("description", "classification_scheme", "classification_group")

    description = forms.CharField(label=_("Item description"), max_length=500)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=14, decimal_places=3, min_value=Decimal("0.001")
    )
    unit = forms.CharField(
        label=_("Unit of measure"),
        max_length=40,
        help_text=_("For example unit, box, hour, square metre."),
    )

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
    award_criteria = _award_criteria_field()
    price_scoring = _price_scoring_field()
    award_criteria_details = _notes_field()
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
        initial = {name: getattr(tender, name) for name in AMENDABLE_FIELDS}
        initial["price_scoring"] = tender.price_scoring or PriceScoring.PROPORTIONAL
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("document_file") and not (cleaned.get("document_title") or "").strip():
            self.add_error("document_title", _("Give the new document a title."))
        return cleaned

    def to_data(
        self, tender: Tender, *, criteria: list[CriterionData] | None = None
    ) -> AmendmentData:
        """`AmendmentData` with only the fields that differ from the tender (a time shown
        to the minute and sent back unchanged is not a change), the weighted `criteria` of the
        page's formset among them."""
        cleaned = dict(self.cleaned_data)
        cleaned["price_scoring"], rows = _criteria_values(
            cleaned["award_criteria"], cleaned.get("price_scoring") or "", criteria or []
        )
        changed: dict[str, Any] = {}
        rated = cleaned["award_criteria"] == AwardCriteria.RATED_CRITERIA
        if rated and rows != criteria_of(tender):
            changed["criteria"] = rows
        for name in AMENDABLE_FIELDS:
            new, old = cleaned.get(name), getattr(tender, name)
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
