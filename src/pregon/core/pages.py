"""Pieces every page shares: a refused action shown as form errors, and the time zone that
dates are typed and shown in."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from pregon.core.errors import DomainError
from pregon.core.time_zones import zone_note


def form_errors_from(error: DomainError, form: forms.BaseForm) -> None:
    """Put a refused action's messages on the form: each on its field when the form has that
    field, the rest as errors of the whole form."""
    messages: dict[str | None, list[str]] = {}
    for name, texts in error.errors.items():
        key = None if name in {"__all__", ""} else name
        messages.setdefault(key, []).extend(str(text) for text in texts)
    if error.field or not messages:
        messages.setdefault(error.field, [])
        if str(error.message) not in messages[error.field]:
            messages[error.field].insert(0, str(error.message))
    for field_name, texts in messages.items():
        target = field_name if field_name in form.fields else None
        for text in texts:
            _add_error(form, target, text)


def _add_error(form: forms.BaseForm, name: str | None, text: str) -> None:
    # form.add_error would drop the field from cleaned_data; the form is only re-rendered, so
    # append to the error lists directly and keep what the person typed.
    key = name or NON_FIELD_ERRORS
    errors = form.errors  # runs the form's own validation first if it has not run
    if key not in errors:
        errors[key] = form.error_class(
            error_class="nonfield" if key == NON_FIELD_ERRORS else None,
            renderer=form.renderer,
        )
    if text not in errors[key]:
        errors[key].append(text)


def time_zone_note() -> str:
    """The zone dates are typed and shown in, with its offset now: the page's current zone,
    which is the platform's (settings.TIME_ZONE) unless the page activated another, as the buyer
    workspace does its buyer's. E.g. "America/Belize (UTC-06:00)", with a minus sign (U+2212)."""
    return zone_note()
