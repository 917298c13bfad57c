"""The public tender page's form: a supplier's clarification question. (The tender list's
search form is `pregon.web.search_forms`.)"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.tenders.choices import QUESTION_MAX_LENGTH
from pregon.tenders.models import Lot


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one (its choices are set per request)."""
    return cast(forms.ChoiceField, form.fields[name])


def _any(label: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class QuestionForm(forms.Form):
    """A supplier's clarification question, optionally about one lot."""

    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Questions and answers are published for everyone; your name and your "
            "organization's are never shown."
        ),
    )
    lot = forms.TypedChoiceField(label=_("About"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, lots: list[Lot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lots = {lot.pk: lot for lot in lots}
        _choice_field(self, "lot").choices = _any(
            _("The whole tender"), [(str(lot.pk), str(lot)) for lot in lots]
        )
        # A tender of one lot still has two answers to "about what": the whole, or the lot.
        if not lots:
            self.fields["lot"].widget = forms.HiddenInput()

    def chosen_lot(self) -> Lot | None:
        """The chosen lot of a valid form."""
        pk = self.cleaned_data.get("lot")
        return self.lots.get(pk) if pk else None
