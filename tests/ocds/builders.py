"""Test data of the OCDS toolkit: valid releases, and the formats the readers take."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson

OCID = "ocds-213czf-000-00001"


def make_release(index: int, ocid: str = OCID, **fields: Any) -> dict[str, Any]:
    """A valid release of the patched schema, the ``index``-th of its process."""
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{index:02d}",
        "date": f"2024-01-{index + 1:02d}T00:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "parties": [
            {
                "id": "GOV-1",
                "name": "Ministry",
                "roles": ["buyer"],
                "address": {"locality": "Capital"},
            },
            {
                "id": "SUP-1",
                "name": "Supplier",
                "roles": ["tenderer"],
                "details": {"scale": "micro"},
            },
        ],
        "tender": {
            "id": "T-1",
            "title": f"Title {index}",
            "value": {"amount": 1000 + index, "currency": "USD"},
            "items": [{"id": "1", "description": "Pens", "quantity": index + 1}],
            "lots": [{"id": "lot-1", "title": "Lot 1"}],
            "submissionMethod": ["electronicSubmission"],
        },
    }
    release.update(copy.deepcopy(fields))
    return release


def interleaved_releases() -> list[dict[str, Any]]:
    """Six releases of three processes, interleaved as a publisher emits them."""
    items = []
    for index in range(2):
        for process in range(3):
            items.append(make_release(index, f"{OCID[:-1]}{process}"))
    items[-1]["awards"] = [
        {"id": "A-1", "suppliers": [{"id": "SUP-1", "name": "Supplier"}], "items": [{"id": "1"}]}
    ]
    return items


def write_lines(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(item) + b"\n" for item in items))
    return path


def package(items: list[dict[str, Any]], key: str = "releases", **fields: Any) -> dict[str, Any]:
    return {
        "uri": "https://example.org/package.json",
        "version": "1.1",
        "publishedDate": "2024-01-01T00:00:00Z",
        "publisher": {"name": "Example"},
        key: items,
        **fields,
    }
