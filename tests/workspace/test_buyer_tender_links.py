"""The buyer workspace's tender page leads to the committee page before publication and, for the
tender's committee members, to the opening page once the opening time has come and to the
evaluation once the bids are opened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.core import clock
from pregon.tenders.models import CommitteeMember, Tender
from tests import factories
from tests.bids.opening_world import opening_world
from tests.evaluation.world import opened

pytestmark = pytest.mark.django_db

OPENING_LINK = "Go to the bid opening"
EVALUATION_LINK = "Evaluate the bids"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def page(user: Any, tender: Tender) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("workspace:tender", kwargs={"pk": tender.pk}))
    assert response.status_code == 200
    return response.content.decode()


def a_member(tender: Tender) -> Any:
    return CommitteeMember.objects.filter(tender=tender).order_by("position").first().user


def opening_href(tender: Tender) -> str:
    return f'href="{reverse("opening:committee", kwargs={"pk": tender.pk})}"'


def committee_href(tender: Tender) -> str:
    return f'href="{reverse("workspace:tender_committee", kwargs={"pk": tender.pk})}"'


def test_members_are_led_to_the_opening_once_its_time_has_come(buyer: Any, official: Any) -> None:
    closed = factories.TenderClosedFactory(buyer=buyer)
    assert closed.opening_at <= clock.db_now()
    member = a_member(closed)

    text = page(member, closed)
    assert OPENING_LINK in text
    assert opening_href(closed) in text
    # Whoever else reads the tender is not on its committee: the opening page would refuse them.
    assert OPENING_LINK not in page(official, closed)
    assert opening_href(closed) not in page(official, closed)


def test_members_are_led_to_the_evaluation_once_the_bids_are_opened(
    buyer: Any, official: Any
) -> None:
    world = opening_world(buyer)
    tender = world.tender
    member = a_member(tender)
    evaluation = f'href="{reverse("evaluation:committee", kwargs={"pk": tender.pk})}"'
    with clock.at(world.at):
        # The opening time has come, but the bids are still sealed: nothing to evaluate yet.
        text = page(member, tender)
        assert opening_href(tender) in text
        assert evaluation not in text
        opened(world)
        text = page(member, tender)
        assert EVALUATION_LINK in text
        assert evaluation in text
        # The evaluation page refuses whoever is not on the committee: no link for them.
        assert evaluation not in page(official, tender)


def test_no_opening_link_before_the_opening_time(buyer: Any) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer)
    member = a_member(tender)
    text = page(member, tender)
    assert OPENING_LINK not in text
    assert opening_href(tender) not in text
    # The database's clock decides, as the opening does: a second after the opening time, it is
    # there.
    with clock.at(tender.opening_at + dt.timedelta(seconds=1)):
        assert opening_href(tender) in page(member, tender)


def test_no_opening_link_for_a_cancelled_tender(buyer: Any) -> None:
    cancelled = factories.TenderCancelledFactory(buyer=buyer)
    member = a_member(cancelled)
    with clock.at(cancelled.opening_at + dt.timedelta(days=1)):
        assert opening_href(cancelled) not in page(member, cancelled)


def test_the_committee_page_is_linked_before_publication_only(buyer: Any, official: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    text = page(official, draft)
    assert committee_href(draft) in text
    assert "Change the opening committee…" in text
    assert OPENING_LINK not in text
    # Read-only roles see the committee, but are not offered to change it.
    auditor = factories.member(buyer, "auditor")
    assert committee_href(draft) not in page(auditor, draft)

    published = factories.TenderOpenFactory(buyer=buyer)
    assert committee_href(published) not in page(official, published)
