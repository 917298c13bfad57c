"""The buyer workspace reads and writes dates in the buyer's time zone, not the platform's.

3 p.m. typed in Belize (UTC-06:00 all year) is 21:00 UTC; in Manaus (UTC-04:00 all year) 19:00
UTC; in Santiago in March (UTC-03:00, Chile's summer time) 18:00 UTC, as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pregon.accounts.models import Membership
from pregon.tenders.models import Tender
from pregon.workspace.buyer import urls as buyer_urls
from tests import factories

pytestmark = pytest.mark.django_db

BELIZE_NOTE = "America/Belize (UTC\u221206:00)"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def belize() -> Any:
    return factories.BuyerFactory(country="BZ")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tender_fields(**changes: str) -> dict[str, str]:
    data = {
        "reference": "BZ-2031-0015",
        "title": "School furniture",
        "description": "Chairs and desks for twelve rural schools.",
        "language": "en",
        "method": "open",
        "category": "goods",
        "estimated_value": "250000",
        "currency": "USD",
        "award_criteria": "priceOnly",
        "award_criteria_details": "",
        "enquiry_end": "2031-03-10T12:00",
        "submission_deadline": "2031-03-20T15:00",
        "opening_at": "2031-03-20T16:00",
    }
    data.update(changes)
    return data


def input_value(content: str, name: str) -> str:
    """The value a date-and-time input of the page shows."""
    found = re.search(rf'<input type="datetime-local" name="{name}" value="([^"]*)"', content)
    assert found is not None, name
    return found[1]


@pytest.mark.parametrize(
    ("country", "own_zone", "deadline"),
    [
        ("BZ", "", dt.datetime(2031, 3, 20, 21, 0, tzinfo=dt.UTC)),
        ("CL", "", dt.datetime(2031, 3, 20, 18, 0, tzinfo=dt.UTC)),
        ("BR", "America/Manaus", dt.datetime(2031, 3, 20, 19, 0, tzinfo=dt.UTC)),
    ],
)
def test_a_buyer_types_times_in_its_own_zone(
    country: str, own_zone: str, deadline: dt.datetime
) -> None:
    buyer = factories.BuyerFactory(country=country, time_zone=own_zone)
    client = signed_in(factories.member(buyer, "buyer_official"))

    response = client.post(reverse("workspace:tender_create"), tender_fields())

    assert response.status_code == 302
    tender = Tender.objects.get(reference="BZ-2031-0015")
    assert tender.submission_deadline == deadline
    assert tender.opening_at == deadline + dt.timedelta(hours=1)
    assert tender.enquiry_end == deadline - dt.timedelta(days=10, hours=3)


def test_the_new_tender_form_names_the_buyer_s_zone(belize: Any) -> None:
    client = signed_in(factories.member(belize, "buyer_official"))

    content = client.get(reverse("workspace:tender_create")).content.decode()

    assert f"Type every date and time in {BELIZE_NOTE}." in content
    assert content.count(f"Date and time in {BELIZE_NOTE}.") == 3
    assert "America/Santiago" not in content


def test_the_edit_form_shows_the_stored_times_back_in_the_buyer_s_zone(belize: Any) -> None:
    deadline = dt.datetime(2031, 3, 20, 21, 0, tzinfo=dt.UTC)
    draft = factories.TenderDraftFactory(
        buyer=belize,
        enquiry_end=deadline - dt.timedelta(days=10),
        submission_deadline=deadline,
        opening_at=deadline + dt.timedelta(hours=1),
    )
    client = signed_in(factories.member(belize, "buyer_official"))

    content = client.get(reverse("workspace:tender_edit", kwargs={"pk": draft.pk})).content.decode()

    assert input_value(content, "submission_deadline") == "2031-03-20T15:00"
    assert input_value(content, "opening_at") == "2031-03-20T16:00"
    assert input_value(content, "enquiry_end") == "2031-03-10T15:00"
    assert f"Type every date and time in {BELIZE_NOTE}." in content

    # Sent back unchanged, the times are the same instants.
    fields = tender_fields(
        reference=draft.reference,
        title="School furniture, second call",
        enquiry_end="2031-03-10T15:00",
        submission_deadline="2031-03-20T15:00",
        opening_at="2031-03-20T16:00",
    )
    response = client.post(reverse("workspace:tender_edit", kwargs={"pk": draft.pk}), fields)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "School furniture, second call"
    assert (draft.enquiry_end, draft.submission_deadline, draft.opening_at) == (
        deadline - dt.timedelta(days=10),
        deadline,
        deadline + dt.timedelta(hours=1),
    )


def test_an_amendment_is_typed_in_the_buyer_s_zone(belize: Any) -> None:
    tender = factories.TenderOpenFactory(buyer=belize)
    client = signed_in(factories.member(belize, "buyer_official"))
    url = reverse("workspace:tender_amend", kwargs={"pk": tender.pk})

    content = client.get(url).content.decode()

    shown = tender.submission_deadline.astimezone(dt.timezone(dt.timedelta(hours=-6)))
    assert input_value(content, "submission_deadline") == f"{shown:%Y-%m-%dT%H:%M}"
    assert content.count(f"Date and time in {BELIZE_NOTE}.") == 3
    # The earliest deadline an amendment of the offer allows, with its zone.
    earliest = r"moves to \d{1,2} \w{3} \d{4}, \d\d:\d\d \(America/Belize, UTC\u221206:00\)"
    assert re.search(earliest, content)

    response = client.post(
        url,
        {
            "reason": "More time to prepare offers.",
            "title": tender.title,
            "description": tender.description,
            "estimated_value": str(tender.estimated_value),
            "award_criteria": tender.award_criteria,
            "award_criteria_details": tender.award_criteria_details,
            "enquiry_end": input_value(content, "enquiry_end"),
            "submission_deadline": "2031-03-20T15:00",
            "opening_at": "2031-03-20T16:00",
            "document_title": "",
            "document_type": "biddingDocuments",
        },
    )

    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.submission_deadline == dt.datetime(2031, 3, 20, 21, 0, tzinfo=dt.UTC)
    assert tender.opening_at == dt.datetime(2031, 3, 20, 22, 0, tzinfo=dt.UTC)


def test_a_tender_page_is_in_its_buyer_s_zone_whichever_buyer_the_person_acts_for(
    buyer: Any, belize: Any
) -> None:
    # One person of a Chilean and a Belizean buyer: each tender's form is in its own buyer's zone.
    official = factories.member(buyer, "buyer_official")
    Membership.objects.create(user=official, organization=belize, role="buyer_official")
    chilean = factories.TenderDraftFactory(buyer=buyer)
    belizean = factories.TenderDraftFactory(buyer=belize)
    client = signed_in(official)

    pages = {
        tender.buyer.country.code: client.get(
            reverse("workspace:tender_edit", kwargs={"pk": tender.pk})
        ).content.decode()
        for tender in (chilean, belizean)
    }

    assert BELIZE_NOTE in pages["BZ"] and "America/Santiago" not in pages["BZ"]
    assert "Date and time in America/Santiago (UTC" in pages["CL"]
    assert "America/Belize" not in pages["CL"]


def test_the_buyer_s_zone_ends_with_the_page(belize: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=belize)
    client = signed_in(factories.member(belize, "buyer_official"))

    for name, kwargs in (("workspace:home", {}), ("workspace:tender", {"pk": draft.pk})):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
        # The next request this thread serves starts in the platform's zone.
        assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_every_page_of_the_buyer_workspace_is_in_the_buyer_s_zone() -> None:
    undecorated = [
        pattern.name
        for pattern in buyer_urls.urlpatterns
        if not getattr(pattern.callback, "in_buyer_time_zone", False)
    ]
    assert undecorated == []
