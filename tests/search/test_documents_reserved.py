"""The portal's "reserved for MSMEs" facet reads the published reservation of the lots
(`tender.lots[].reservation`, docs/open-data.md)."""

from __future__ import annotations

from typing import Any

import pytest

from pregon.search.documents import document_from_release


def release(*lots: dict[str, Any]) -> dict[str, Any]:
    return {"ocid": "ocds-r", "tender": {"title": "Obras", "lots": list(lots)}}


@pytest.mark.parametrize(
    ("lots", "reserved"),
    [
        ((), False),
        (({"id": "1", "title": "Uno"},), False),
        (({"id": "1", "reservation": {"scales": ["micro", "small"]}},), True),
        (
            (
                {"id": "1", "title": "Abierto"},
                {"id": "2", "reservation": {"scales": ["micro", "small", "medium"]}},
            ),
            True,
        ),
        # A reservation that admits large firms (local suppliers of any size) is not one for
        # MSMEs; a malformed one counts for nothing.
        (({"id": "1", "reservation": {"scales": ["micro", "large"]}},), False),
        (({"id": "1", "reservation": {"scales": []}},), False),
        (({"id": "1", "reservation": "yes"},), False),
    ],
)
def test_reserved_for_msmes_reads_the_lots(
    lots: tuple[dict[str, Any], ...], reserved: bool
) -> None:
    document = document_from_release(release(*lots))
    assert document is not None
    assert document.reserved_msme is reserved


def test_who_the_lots_are_reserved_for_is_kept_for_the_alerts() -> None:
    document = document_from_release(
        release(
            {"id": "1", "reservation": {"scales": ["micro", "small"], "cooperatives": True}},
            {"id": "2", "reservation": {"scales": ["micro", "small", "medium"]}},
            {"id": "3", "reservation": {"scales": ["micro", "large"], "cooperatives": True}},
            {"id": "4", "title": "Abierto"},
        )
    )
    assert document is not None
    assert document.reserved_for == "cooperative medium micro small"
    assert document_from_release(release({"id": "1"})).reserved_for == ""  # type: ignore[union-attr]
