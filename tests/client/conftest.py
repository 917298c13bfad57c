"""Fixtures of the client tests: messages in English unless a test asks for another language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pregon.client import i18n


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    i18n.activate("en")
    yield
    i18n.activate("en")
