"""The evaluation's pages: the committee works on its page; a bidder reads its own assessment
and answers; everyone reads the report once a lot is completed, and nothing before."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pregon.evaluation import services
from pregon.evaluation.adjustments import adjustments_register, adjustments_unregister
from pregon.evaluation.choices import Compliance, Justification
from pregon.evaluation.models import BidAssessment, Evaluation
from pregon.organizations.models import Organization
from tests import factories
from tests.evaluation.test_evaluation import _swap
from tests.evaluation.world import priced_world

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_committee_starts_qualifies_and_completes_from_its_page(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "110000"])
    client = _client(world.committee[0].user)
    page = reverse("evaluation:committee", kwargs={"pk": world.tender.pk})
    assert client.post(page, {"action": "start", "lot": "1"}).status_code == 302
    for assessment in BidAssessment.objects.all():
        client.post(page, {"action": "qualify", "assessment": assessment.pk})
    refused = client.post(
        page, {"action": "disqualify", "assessment": BidAssessment.objects.first().pk, "text": ""}
    )
    assert refused.status_code == 422
    assert client.post(page, {"action": "complete", "lot": "1"}).status_code == 302
    assert Evaluation.objects.get().completed
    text = client.get(page).content.decode()
    assert "Proveedor 1" in text
    # Prices are written as every amount is: grouped, with the currency's decimals (none for
    # a Chilean peso), in the page's language.
    assert "100,000 CLP" in text and "110,000 CLP" in text
    assert "100000" not in text
    report = Client().get(reverse("evaluation:report", kwargs={"pk": world.tender.pk}))
    assert "110,000 CLP" in report.content.decode()


def test_people_off_the_committee_are_refused(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000"])
    page = reverse("evaluation:committee", kwargs={"pk": world.tender.pk})
    official = factories.member(buyer, "buyer_official")
    assert _client(official).get(page).status_code == 403
    assert _client(world.offers[0].actor.user).get(page).status_code == 403


def test_the_report_shows_nothing_before_completion_then_the_adjustment(
    buyer: Organization,
) -> None:
    world = priced_world(buyer, ["100000", "110000"])
    report = reverse("evaluation:report", kwargs={"pk": world.tender.pk})
    actor = world.member_actor(1)
    evaluation = services.evaluation_start(
        actor=actor, tender=world.tender, lot=world.tender.lots.get(number=1)
    )
    services.assessment_disqualify(
        actor=actor, assessment=evaluation.assessments.first(), reason="Sin garantía."
    )
    text = Client().get(report).content.decode()
    assert "Proveedor" not in text
    assert "Sin garantía." not in text
    adjustments_register(_swap)
    try:
        services.assessment_qualify(actor=actor, assessment=evaluation.assessments.first())
        services.assessment_qualify(actor=actor, assessment=evaluation.assessments.last())
        services.evaluation_complete(actor=actor, evaluation=evaluation)
    finally:
        adjustments_unregister(_swap)
    text = Client().get(report).content.decode()
    assert "Proveedor 1" in text
    assert "prueba-mipyme" in text
    assert "la oferta de una pequeña empresa pasa al primer lugar" in text


def test_a_bidder_sees_its_own_assessment_only_and_answers(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "100000", "70000"])
    actor = world.member_actor(1)
    evaluation = services.evaluation_start(
        actor=actor, tender=world.tender, lot=world.tender.lots.get(number=1)
    )
    low = evaluation.assessments.get(price=70000)
    services.justification_request(actor=actor, assessment=low, request="Explique su precio.")
    page = reverse("evaluation:mine", kwargs={"pk": world.tender.pk})

    bidder = _client(world.offers[2].actor.user)
    text = bidder.get(page).content.decode()
    assert "Explique su precio." in text
    assert "70,000 CLP" in text
    # The other bids' prices, in any writing, are not there.
    assert "100000" not in text and "100,000" not in text
    other = _client(world.offers[0].actor.user)
    assert "Explique su precio." not in other.get(page).content.decode()
    assert other.post(page, {"assessment": low.pk, "text": "Intruso"}).status_code == 404

    assert bidder.post(page, {"assessment": low.pk, "text": "Stock propio."}).status_code == 302
    low.refresh_from_db()
    assert (low.justification, low.justification_answer) == (
        Justification.ANSWERED,
        "Stock propio.",
    )
    assert low.compliance == Compliance.PENDING
