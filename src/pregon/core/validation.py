"""Checks every free text a person types goes through, whatever the app."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pregon.core.errors import ValidationFailed


def check_text(value: str, name: str, *, limit: int | None) -> None:
    """Refuse a NUL character, and a text longer than `limit` characters (when given)."""
    if "\x00" in value:
        raise ValidationFailed(_("Remove the NUL character (code 0) from this text."), field=name)
    if limit is not None and len(value) > limit:
        raise ValidationFailed(
            _("This text is too long (%(length)s characters); the limit is %(limit)s.")
            % {"length": len(value), "limit": limit},
            field=name,
        )
