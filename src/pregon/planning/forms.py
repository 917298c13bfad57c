"""The plans' forms: a plan, a line, a withdrawal (the buyer's workspace), and the public
"coming soon" filters. They parse what a person typed into the services' dataclasses; the
rules themselves live in the services, whose refusals come back onto these forms through
`core.pages.form_errors_from`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.core import classifications, clock
from pregon.core.classification_forms import ClassifiedForm
from pregon.core.procurement import (
    Category,
    ContentLanguage,
    Currency,
    Method,
)
from pregon.planning.choices import (
    LINE_DESCRIPTION_MAX_LENGTH,
    PLAN_DESCRIPTION_MAX_LENGTH,
    PLAN_TITLE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    YEAR_MAX,
    YEAR_MIN,
    Quarter,
)
from pregon.planning.models import Plan, PlanLine
from pregon.planning.selectors import PlanFilters
from pregon.planning.services import PlanData, PlanLineData


class PlanForm(forms.Form):
    """A plan's own fields (`PlanData`)."""

    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    title = forms.CharField(
        label=_("Title"),
        max_length=PLAN_TITLE_MAX_LENGTH,
        help_text=_("For example: Annual procurement plan 2027."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=PLAN_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: what the plan covers, and whom to ask about it."),
    )
    language = forms.ChoiceField(
        label=_("Language of the plan"), choices=ContentLanguage.choices, initial="es"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = clock.now().year + 1

    @classmethod
    def initial_from(cls, plan: Plan) -> dict[str, Any]:
        """The form's starting values for an existing plan."""
        return {name: getattr(plan, name) for name in cls.base_fields}

    def to_data(self) -> PlanData:
        """The typed values as `PlanData`."""
        return PlanData(
            year=self.cleaned_data["year"],
            title=self.cleaned_data["title"],
            description=self.cleaned_data["description"],
            language=self.cleaned_data["language"],
        )


class PlanLineForm(ClassifiedForm):
    """A plan line's fields (`PlanLineData`): the code is chosen from the catalogue's list, or
    typed more precisely."""

    field_order = ("description", "classification_scheme", "classification_group")

    description = forms.CharField(
        label=_("What will be bought"),
        max_length=LINE_DESCRIPTION_MAX_LENGTH,
        help_text=_("A short description; it becomes the title of the tender drafted from it."),
    )
    estimated_value = forms.DecimalField(
        label=_("Estimated value"), max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial="CLP")
    quarter = forms.TypedChoiceField(label=_("Expected start"), choices=Quarter.choices, coerce=int)
    method = forms.ChoiceField(label=_("Procurement method"), choices=Method.choices)
    category = forms.ChoiceField(label=_("Main category"), choices=Category.choices)
    reserved = forms.BooleanField(
        label=_("To be reserved for micro, small and medium-sized enterprises"),
        required=False,
        help_text=_(
            "Your intention, published with the plan. The rules of your country decide when "
            "the tender is published."
        ),
    )

    @classmethod
    def initial_from(cls, line: PlanLine) -> dict[str, Any]:
        """The form's starting values for an existing line: a catalogue code in the list, a
        more precise one typed."""
        top = {entry.code for entry in classifications.top_level(line.classification_scheme)}
        listed = line.classification_code in top
        return {
            "description": line.description,
            "classification_scheme": line.classification_scheme,
            "classification_group": line.classification_code if listed else "",
            "classification_code": "" if listed else line.classification_code,
            "estimated_value": line.estimated_value,
            "currency": line.currency,
            "quarter": line.quarter,
            "method": line.method,
            "category": line.category,
            "reserved": line.reserved,
        }

    def to_data(self) -> PlanLineData:
        """The typed values as `PlanLineData`."""
        values = self.cleaned_data
        return PlanLineData(
            description=values["description"],
            classification_scheme=values["classification_scheme"],
            classification_code=values["code"],
            estimated_value=values["estimated_value"],
            currency=values["currency"],
            quarter=values["quarter"],
            method=values["method"],
            category=values["category"],
            reserved=bool(values.get("reserved")),
        )


class WithdrawForm(forms.Form):
    """Why a published line is withdrawn (published with the withdrawal)."""

    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Suppliers and the public will read it."),
        error_messages={
            "required": _("Say why the line is withdrawn; suppliers and the public will read it.")
        },
    )


class ComingSoonForm(forms.Form):
    """The public filters of the "coming soon" lines: a classification code (its descendants
    too) and the buyer's region. Every field is optional; anything unreadable is ignored."""

    code = forms.CharField(
        label=_("Classification code"),
        required=False,
        max_length=16,
        help_text=_("CPV or UNSPSC; for example 45 (construction) or 30213000-5."),
    )
    region = forms.ChoiceField(label=_("Region of the buyer"), required=False, choices=())

    def __init__(self, *args: Any, regions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Any region")),
            *((region, region) for region in regions),
        ]

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if code and not classifications.descendants_prefix(code):
            raise forms.ValidationError(_("Type the digits of a code, e.g. 45 or 30213000-5."))
        return code

    def filters(self) -> PlanFilters:
        """The selector's filters (none when the form is not valid)."""
        if not self.is_valid():
            return PlanFilters()
        return PlanFilters(
            code=self.cleaned_data.get("code") or "",
            region=self.cleaned_data.get("region") or "",
        )
