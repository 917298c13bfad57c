"""The forms of the evaluation's pages: what the committee and the bidders write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.evaluation.choices import TEXT_MAX_LENGTH
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
