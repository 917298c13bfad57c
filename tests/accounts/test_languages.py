"""The language a person is written to in (pregon.accounts.languages.user_language), used by
every e-mail: award notices, contracts awaiting confirmation, a supplier's documents and scale."""

from __future__ import annotations

import pytest

from pregon.accounts.languages import user_language
from pregon.accounts.models import User


@pytest.mark.parametrize(
    ("preferred", "fallback", "expected"),
    [
        ("es", "fr", "es"),
        ("pt-br", None, "pt-br"),
        ("FR", None, "fr"),
        # Any Portuguese is the platform's Brazilian Portuguese.
        ("pt", "es", "pt-br"),
        ("pt-PT", None, "pt-br"),
        # None chosen, or one the platform does not speak: the fallback, else the platform's.
        ("", "es", "es"),
        ("de", "fr", "fr"),
        ("de", None, "en"),
        ("", "", "en"),
    ],
)
def test_the_preferred_language_else_the_fallback_else_the_platforms(
    preferred: str, fallback: str | None, expected: str
) -> None:
    assert user_language(User(language=preferred), fallback) == expected
