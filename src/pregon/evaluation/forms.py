"""The forms of the evaluation's pages: what the committee and the bidders write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.evaluation.choices import GROUNDS_MAX_LENGTH, TEXT_MAX_LENGTH
from pregon.tenders.models import AwardCriterion


class TextForm(forms.Form):
    """A reason, a request, a justification or a decision, in words."""

    text = forms.CharField(
        label=_("In words"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScoresForm(forms.Form):
    """The points of one bid on each quality criterion (0 to its weight, two decimals)."""

    def __init__(self, *args: object, criteria: list[AwardCriterion], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name,
                min_value=Decimal(0),
                max_value=Decimal(criterion.weight),
                decimal_places=2,
                max_digits=5,
            )

    def points(self) -> dict[int, Decimal]:
        """The points given, by criterion id (after `is_valid`)."""
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ComplaintForm(forms.Form):
    """A bidder's complaint about an award: its grounds, in words. (Its documents come in the
    same request, as the `documents` files, and are checked by the service.)"""

    grounds = forms.CharField(
        label=_("Grounds of the complaint"),
        max_length=GROUNDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Say what in the decision or the evaluation you dispute, and why. Your complaint, "
            "its documents and the decision on it are public."
        ),
    )
