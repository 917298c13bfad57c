"""The language to write to a person in: an e-mail, a notice, anything they read away from a
page (where the page's own language holds)."""

from __future__ import annotations

from django.conf import settings

from pregon.accounts.models import User


def user_language(user: User, fallback: str | None = None) -> str:
    """The platform language `user` prefers (`User.language`, any Portuguese read as the
    platform's Brazilian Portuguese), else `fallback` (the tender's language, say), else the
    platform's `LANGUAGE_CODE`."""
    preferred = (user.language or "").lower()
    if preferred in {code for code, _name in settings.LANGUAGES}:
        return preferred
    if preferred.split("-")[0] == "pt":
        return "pt-br"
    return fallback or settings.LANGUAGE_CODE
