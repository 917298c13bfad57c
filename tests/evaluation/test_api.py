"""The evaluation's API: the public report holds completed lots only; a supplier reads its own
bid's assessments, with its API key or signed in, and never another's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pregon.core.actor import Actor
from pregon.evaluation import services
from pregon.evaluation.adjustments import adjustments_register, adjustments_unregister
from pregon.evaluation.models import Evaluation
from pregon.organizations.models import Organization
from pregon.organizations.services import api_key_issue
from tests import factories
from tests.bids.opening_world import OpeningWorld
from tests.evaluation.test_evaluation import _swap
from tests.evaluation.world import priced_world

pytestmark = pytest.mark.django_db


def _token(supplier: Organization, scopes: list[str]) -> str:
    user = factories.member(supplier, "supplier_user")
    _, token = api_key_issue(
        actor=Actor(user=user, organization=supplier),
        organization=supplier,
        name="Sistema del proveedor",
        scopes=scopes,
    )
    return token


def _get(path: str, token: str | None = None, client: Client | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return (client or Client()).get(path, headers=headers)


def _report(world: OpeningWorld) -> str:
    return f"/api/v1/tenders/{world.tender.pk}/evaluation"


def _mine(world: OpeningWorld, index: int) -> str:
    return f"/api/v1/bids/{world.offers[index].bid.pk}/assessments"


def _start(world: OpeningWorld) -> Evaluation:
    return services.evaluation_start(
        actor=world.member_actor(1), tender=world.tender, lot=world.tender.lots.get(number=1)
    )


def _by_price(evaluation: Evaluation) -> dict[str, Any]:
    return {str(a.price): a for a in evaluation.assessments.all()}


def test_the_report_is_empty_until_a_lot_is_completed_then_published(
    buyer: Organization,
) -> None:
    world = priced_world(buyer, ["100000", "110000", "70000"], criteria=True)
    actor = world.member_actor(1)
    evaluation = _start(world)
    prices = _by_price(evaluation)
    services.assessment_disqualify(
        actor=actor, assessment=prices["70000.00"], reason="Sin garantía de seriedad."
    )
    # Experience (30) and delivery (10): 20 + 10 for 100 000, 30 + 10 for 110 000.
    quality = list(world.tender.criteria.filter(kind="quality").order_by("position"))
    for price, points in (("100000.00", ["20", "10"]), ("110000.00", ["30", "10"])):
        services.assessment_qualify(actor=actor, assessment=prices[price])
        services.assessment_score(
            actor=actor,
            assessment=prices[price],
            points={c.pk: Decimal(p) for c, p in zip(quality, points, strict=True)},
        )

    before = _get(_report(world))
    assert before.status_code == 200
    assert before.json()["lots"] == []
    assert "Sin garantía" not in before.content.decode()

    adjustments_register(_swap)
    try:
        services.evaluation_complete(actor=actor, evaluation=evaluation)
    finally:
        adjustments_unregister(_swap)
    body = _get(_report(world)).json()

    assert body["ocid"] == str(world.tender.ocid)
    assert body["award_criteria"] == "ratedCriteria"
    [lot] = body["lots"]
    assert lot["lot"] == 1
    assert lot["abnormally_low_percent"] == "20.00"
    assert lot["report_url"].endswith(f"/tenders/{world.tender.pk}/evaluation/#lot-1")
    # Price points W × L ÷ P with W = 60, L = 100 000: 60.00 and 54.55; totals 90.00 and
    # 94.55, so 110 000 ranks first, until the test rule swaps the first two.
    assert [
        (b["price"], b["compliance"], b["price_points"], b["total_points"], b["rank"])
        for b in lot["bids"]
    ] == [
        ("100000.00", "qualified", "60.00", "90.00", 1),
        ("110000.00", "qualified", "54.55", "94.55", 2),
        ("70000.00", "disqualified", None, None, None),
    ]
    disqualified = lot["bids"][2]
    assert disqualified["reason"] == "Sin garantía de seriedad."
    first = lot["bids"][0]
    assert first["bidder"]["name"] == "Proveedor 1"
    assert [(s["criterion"], s["weight"], s["points"]) for s in first["quality_scores"]] == [
        (2, 30, "20.00"),
        (3, 10, "10.00"),
    ]
    [adjustment] = lot["adjustments"]
    assert adjustment["bid"] == str(first["bid"])
    assert adjustment["rule"] == "prueba-mipyme"
    assert "pequeña empresa" in adjustment["explanation"]
    # The bidders' justifications and the committee's requests are not in the public report.
    assert "justification_answer" not in first
    assert "justification_request" not in first


def test_the_report_of_an_unknown_tender_or_a_draft_answers_404(buyer: Organization) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    assert _get(f"/api/v1/tenders/{draft.pk}/evaluation").status_code == 404
    assert _get("/api/v1/tenders/999999/evaluation").status_code == 404


def test_a_supplier_reads_its_own_bids_assessments_with_its_key(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "110000", "70000"])
    actor = world.member_actor(1)
    token = _token(world.offers[2].supplier, ["bids:submit"])
    assert _get(_mine(world, 2), token).json() == {"count": 0, "items": []}
    evaluation = _start(world)
    low = _by_price(evaluation)["70000.00"]
    services.justification_request(actor=actor, assessment=low, request="Explique su precio.")

    mine = _get(_mine(world, 2), token)
    assert mine.status_code == 200
    [entry] = mine.json()["items"]
    assert entry["id"] == low.pk
    assert entry["lot"] == 1
    assert entry["bid"] == str(world.offers[2].bid.pk)
    assert entry["evaluation_status"] == "justification_requested"
    assert entry["price"] == "70000.00"
    assert entry["compliance"] == "pending"
    assert entry["abnormally_low"] is True
    assert entry["justification"] == "requested"
    assert entry["justification_request"] == "Explique su precio."

    # Another bidder's bid answers 404, as one that does not exist, with its key or signed in.
    other = _token(world.offers[0].supplier, ["bids:submit"])
    refused = _get(_mine(world, 2), other)
    assert refused.status_code == 404
    assert "Explique" not in refused.content.decode()
    assert [e["price"] for e in _get(_mine(world, 0), other).json()["items"]] == ["100000.00"]


def test_a_supplier_reads_its_own_bids_assessments_signed_in(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "110000"])
    _start(world)
    client = Client()
    client.force_login(world.offers[1].actor.user)
    items = _get(_mine(world, 1), client=client).json()["items"]
    assert [e["price"] for e in items] == ["110000.00"]
    assert _get(_mine(world, 0), client=client).status_code == 404


def test_a_key_without_the_scope_the_committee_and_anonymous_are_refused(
    buyer: Organization,
) -> None:
    world = priced_world(buyer, ["100000"])
    _start(world)
    supplier = world.offers[0].supplier

    assert _get(_mine(world, 0)).status_code == 401
    assert _get(_mine(world, 0), _token(supplier, ["questions:ask"])).status_code == 403
    member = Client()
    member.force_login(world.committee[0].user)
    refused = _get(_mine(world, 0), client=member)
    assert refused.status_code == 404
    assert refused["Content-Type"].startswith("application/problem+json")
