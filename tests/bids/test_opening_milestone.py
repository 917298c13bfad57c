"""The tender's bid-opening milestone: scheduled until the opening, met (with its dateMet) in the
release that publishes the opening record and in the compiled record from then on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from django.utils import translation
from django.utils.translation import gettext

from pregon.bids import services
from pregon.bids.models import Opening
from pregon.core import clock
from pregon.organizations.models import Organization
from pregon.publication import services as publication
from pregon.publication.models import Release
from pregon.publication.selectors import record_by_ocid
from tests.bids.opening_world import OpeningWorld, opening_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opening_world(buyer)


def _milestones(release: dict[str, Any]) -> list[dict[str, Any]]:
    return list(release["tender"]["milestones"])


def _title(world: OpeningWorld) -> str:
    """The milestone's title, in the tender's language (the release's)."""
    with translation.override(world.tender.language):
        return gettext("Bid opening")


def _scheduled(world: OpeningWorld) -> dict[str, Any]:
    return {
        "id": "bid-opening",
        "title": _title(world),
        "type": "assessment",
        "dueDate": world.tender.opening_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": "scheduled",
    }


def test_the_milestone_is_scheduled_until_the_opening(world: OpeningWorld) -> None:
    compiled = record_by_ocid(ocid=world.tender.ocid, versioned=False).compiled
    assert _milestones(compiled) == [_scheduled(world)]


def test_the_opening_release_and_the_compiled_record_show_the_milestone_met(
    world: OpeningWorld,
) -> None:
    with clock.at(world.at):
        for position in (1, 2):
            services.opening_shares_hand_in(
                actor=world.member_actor(position),
                tender=world.tender,
                shares=world.shares(position),
            )

    opening = Opening.objects.get(tender=world.tender)
    assert opening.opened_at is not None
    met = {
        **_scheduled(world),
        "status": "met",
        "dateMet": opening.opened_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    latest = Release.objects.filter(ocid=world.tender.ocid).order_by("-seq").first()
    assert latest is not None
    release = orjson.loads(latest.data)
    assert publication.validator().validate_release(release) == []
    # One milestone: the bids' part merged into the tenders' entry of the same id.
    assert _milestones(release) == [met]
    assert release["tender"]["title"] == world.tender.title
    compiled = record_by_ocid(ocid=world.tender.ocid, versioned=False).compiled
    assert _milestones(compiled) == [met]
    # The releases before the opening still say what was true then.
    earlier = Release.objects.filter(ocid=world.tender.ocid).order_by("seq").first()
    assert earlier is not None
    assert _milestones(orjson.loads(earlier.data)) == [_scheduled(world)]
