"""Fixtures of the OCDS toolkit's tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ocds.builders import interleaved_releases


@pytest.fixture
def releases() -> list[dict[str, Any]]:
    """Six releases of three processes, interleaved as a publisher emits them."""
    return interleaved_releases()
