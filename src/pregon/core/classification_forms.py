"""The classification fields of any form that classifies what is bought (a tender's item, a
plan line): a code chosen from the catalogue's top-level list, or typed more precisely."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregon.core import classifications
from pregon.core.procurement import ClassificationScheme


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


class ClassifiedForm(forms.Form):
    """A form with a classification: `clean` leaves the code (typed, else chosen from the
    list) in `cleaned_data["code"]`. Subclasses place the fields with `field_order`."""

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
