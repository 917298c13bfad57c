"""How the stages' sections are put together: merged as OCDS merges releases."""

from __future__ import annotations

from typing import Any

from pregon.publication.mapping import merge_section


def test_objects_merge_by_field_and_arrays_of_objects_by_id() -> None:
    release: dict[str, Any] = {
        "tender": {
            "title": "Computadores",
            "milestones": [
                {"id": "bid-opening", "type": "assessment", "status": "scheduled"},
                {"id": "other", "status": "scheduled"},
            ],
            "submissionMethod": ["electronicSubmission"],
        }
    }
    merge_section(
        release,
        {
            "tender": {
                "milestones": [
                    {"id": "bid-opening", "status": "met", "dateMet": "2026-12-20T15:02:11Z"},
                    {"id": "new", "status": "scheduled"},
                ],
                "submissionMethod": ["written"],
            },
            "bids": {"statistics": []},
        },
    )
    assert release == {
        "tender": {
            "title": "Computadores",
            "milestones": [
                {
                    "id": "bid-opening",
                    "type": "assessment",
                    "status": "met",
                    "dateMet": "2026-12-20T15:02:11Z",
                },
                {"id": "other", "status": "scheduled"},
                {"id": "new", "status": "scheduled"},
            ],
            # Arrays of strings are replaced, as OCDS does.
            "submissionMethod": ["written"],
        },
        "bids": {"statistics": []},
    }


def test_a_value_of_another_shape_replaces_the_earlier_one() -> None:
    release: dict[str, Any] = {"tender": {"value": {"amount": 1}}, "tag": ["tender"]}
    merge_section(release, {"tender": {"value": None}, "tag": []})
    assert release == {"tender": {"value": None}, "tag": []}
