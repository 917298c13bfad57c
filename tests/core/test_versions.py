"""Versions as entity tags, and the If-Match condition a change may carry."""

from __future__ import annotations

import pytest

from pregon.core.errors import PreconditionFailed
from pregon.core.versions import ExpectedVersion, version_tag

STALE = "This changed since you read it."


def test_a_version_is_a_strong_tag() -> None:
    assert version_tag(7) == '"7"'


@pytest.mark.parametrize("header", [None, "", "  "])
def test_no_header_no_condition(header: str | None) -> None:
    assert ExpectedVersion.from_header(header) is None


@pytest.mark.parametrize(
    ("header", "matching"),
    [
        ('"7"', {7}),
        ('"3", "7"', {3, 7}),
        ("*", {1, 3, 7, 1000}),
        ('W/"7"', set()),  # If-Match compares strongly: a weak tag matches nothing
        ("7", set()),  # not a quoted tag
        ('"seven"', set()),
    ],
)
def test_which_versions_a_header_accepts(header: str, matching: set[int]) -> None:
    expected = ExpectedVersion.from_header(header)
    assert expected is not None
    for version in (1, 3, 7, 1000):
        if version in matching:
            expected.require(version, message=STALE)
        else:
            with pytest.raises(PreconditionFailed, match=STALE) as refused:
                expected.require(version, message=STALE)
            assert (refused.value.status, refused.value.code) == (412, "precondition_failed")
