"""Published records built by hand, indexed as publication would index them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pregon.publication.models import Record
from pregon.search.services import search_document_update


def compiled_release(
    *,
    ocid: str,
    title: str,
    description: str = "",
    language: str = "es",
    items: list[tuple[str, str, str]] | None = None,
    buyer: tuple[str, str] = ("CL-RUT-1", "Ministerio de Salud"),
    country: str = "Chile",
    region: str = "Región Metropolitana",
    method: str = "open",
    category: str = "goods",
    status: str = "active",
    amount: int = 1000,
    closing: str = "2026-05-01T12:00:00Z",
    reference: str = "",
) -> dict[str, Any]:
    """A compiled release as the tenders' mapping writes one (the fields search reads)."""
    return {
        "ocid": ocid,
        "id": f"{ocid}-tender-1",
        "date": "2026-01-01T00:00:00Z",
        "tag": ["compiled"],
        "language": language,
        "initiationType": "tender",
        "buyer": {"id": buyer[0], "name": buyer[1]},
        "parties": [
            {
                "id": buyer[0],
                "name": buyer[1],
                "roles": ["buyer"],
                "address": {"countryName": country, "region": region},
            }
        ],
        "tender": {
            "id": reference or ocid,
            "title": title,
            "description": description,
            "status": status,
            "procurementMethod": method,
            "mainProcurementCategory": category,
            "value": {"amount": amount, "currency": "CLP"},
            "tenderPeriod": {"endDate": closing},
            "items": [
                {
                    "id": str(number),
                    "description": text,
                    "classification": {"scheme": scheme, "id": code},
                }
                for number, (text, scheme, code) in enumerate(items or [], start=1)
            ],
        },
    }


@pytest.fixture
def publish_record() -> Any:
    """Store a record for a compiled release and index it; returns the search document."""
    count = [0]

    def publish(**kwargs: Any) -> Any:
        count[0] += 1
        kwargs.setdefault("ocid", f"ocds-test-{count[0]:04d}")
        compiled = compiled_release(**kwargs)
        record, _created = Record.objects.update_or_create(
            ocid=compiled["ocid"],
            defaults={
                "compiled": compiled,
                "versioned": {},
                "release_count": 1,
                "last_seq": count[0],
                "date": timezone.now() - dt.timedelta(minutes=count[0]),
            },
        )
        return search_document_update(record)

    return publish
