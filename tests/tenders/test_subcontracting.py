"""The share of the contract the winner subcontracts to smaller firms (Brazil's LC 123/2006,
art. 48, II: the buyer may require up to 30% for ME/EPP). Worked cases: allowed up to the
pack's share, refused above it and where the pack has no such rule, published and shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.publication.models import Release
from pregon.tenders import services
from pregon.tenders.models import Tender
from pregon.tenders.services import TenderChanges
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def publishable(country: str, share: int | None) -> tuple[Tender, Actor]:
    buyer = factories.BuyerFactory(country=country)
    moment = clock.now()
    tender = factories.TenderDraftFactory(
        buyer=buyer,
        currency="BRL" if country == "BR" else "CLP",
        estimated_value=Decimal("500000"),
        undivided_reason="Uma só obra.",
        enquiry_end=moment + HOUR,
        submission_deadline=moment + 30 * DAY,
        subcontracting_share=share,
    )
    return tender, factories.actor_for(factories.member(buyer, "buyer_official"), buyer)


@pytest.mark.parametrize("share", [1, 20, 30])
def test_brazil_lets_the_buyer_require_up_to_30_percent(share: int) -> None:
    tender, actor = publishable("BR", share)
    services.tender_publish(actor=actor, tender=tender)
    release = Release.objects.filter(ocid=tender.ocid).latest("pk").as_dict["tender"]
    requirement = release["subcontractingRequirement"]
    assert requirement["minimumPercentage"] == share
    # In the tender's language (Spanish by default), with the rule and its basis.
    assert f"al menos el {share}" in requirement["description"]
    assert "Lei Complementar 123/2006, art. 48, II" in requirement["description"]
    page = Client().get(f"/en/tenders/{tender.pk}/").content.decode()
    assert (
        f"The winner subcontracts at least {share}% of the contract&#x27;s value to micro and "
        "small enterprises." in page
    )
    assert Client().get(f"/api/v1/tenders/{tender.pk}").json()["subcontracting_share"] == share


def test_more_than_the_pack_allows_is_refused_at_publication(refused: Any) -> None:
    tender, actor = publishable("BR", 31)
    error = refused(
        ValidationFailed, "not_publishable", services.tender_publish, actor=actor, tender=tender
    )
    assert "may be at most 30%" in str(error)


def test_a_pack_without_the_rule_refuses_the_requirement(refused: Any) -> None:
    tender, actor = publishable("CL", 10)
    error = refused(
        ValidationFailed, "not_publishable", services.tender_publish, actor=actor, tender=tender
    )
    assert "CL@2026.1 do not let the buyer require subcontracting" in str(error)


def test_no_requirement_publishes_no_field() -> None:
    tender, actor = publishable("BR", None)
    services.tender_publish(actor=actor, tender=tender)
    release = Release.objects.filter(ocid=tender.ocid).latest("pk").as_dict["tender"]
    assert "subcontractingRequirement" not in release


def test_a_partial_edit_keeps_it_and_zero_removes_it(refused: Any) -> None:
    tender, actor = publishable("BR", 20)
    services.tender_update(actor=actor, tender=tender, data=TenderChanges(title="Outra"))
    tender.refresh_from_db()
    assert tender.subcontracting_share == 20
    services.tender_update(actor=actor, tender=tender, data=TenderChanges(subcontracting_share=0))
    tender.refresh_from_db()
    assert tender.subcontracting_share is None
    refused(
        ValidationFailed,
        "validation_failed",
        services.tender_update,
        actor=actor,
        tender=tender,
        data=TenderChanges(subcontracting_share=101),
    )
