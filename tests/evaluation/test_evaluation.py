"""The evaluation of a lot through its services: every move allowed and refused (nothing
changed on refusal), the ranking worked out by hand, abnormally low prices and their
justification, the adjustments hook, and what is published."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import orjson
import pytest
from django.db import IntegrityError, transaction

from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.evaluation import services
from pregon.evaluation.adjustments import (
    Adjustment,
    AdjustmentRefused,
    LotContext,
    RankedBid,
    adjustments_register,
    adjustments_unregister,
)
from pregon.evaluation.choices import Compliance, EvaluationStatus, Justification
from pregon.evaluation.models import BidAssessment, Evaluation
from pregon.evaluation.ranking import abnormally_low
from pregon.organizations.models import Organization
from pregon.publication.models import Release
from tests import factories
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.evaluation.world import opened, priced_world

pytestmark = pytest.mark.django_db


def _latest(world: OpeningWorld) -> dict[str, Any]:
    release = Release.objects.filter(ocid=world.tender.ocid).order_by("-seq").first()
    assert release is not None
    return orjson.loads(release.data)


def _start(world: OpeningWorld, number: int = 1) -> Evaluation:
    return services.evaluation_start(
        actor=world.member_actor(1), tender=world.tender, lot=world.tender.lots.get(number=number)
    )


def _by_price(evaluation: Evaluation) -> dict[str, BidAssessment]:
    return {str(a.price): a for a in evaluation.assessments.all()}


def _state(evaluation: Evaluation) -> list[tuple[Any, ...]]:
    evaluation.refresh_from_db()
    return [evaluation.status] + [
        (a.compliance, a.reason, a.justification, a.rank, a.total_points)
        for a in evaluation.assessments.order_by("pk")
    ]


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opened(opening_world(buyer))


# ---------------------------------------------------------------------------------------------
# starting


def test_a_member_starts_a_lot_with_one_pending_assessment_per_bid(world: OpeningWorld) -> None:
    evaluation = _start(world)

    assert evaluation.status == EvaluationStatus.IN_PROGRESS
    assert sorted(_by_price(evaluation)) == ["118000.00", "120500.50", "125000.00"]
    assert {a.compliance for a in evaluation.assessments.all()} == {Compliance.PENDING}
    assert AuditEvent.objects.filter(action="evaluation.start").count() == 1
    assert _start(world, 2).assessments.count() == 2


def test_starting_twice_before_the_opening_or_by_another_is_refused(
    buyer: Organization,
) -> None:
    closed = opening_world(buyer)
    with pytest.raises(InvalidTransition, match="not opened"):
        _start(closed)
    assert not Evaluation.objects.exists()
    world = opened(closed)
    _start(world)
    with pytest.raises(InvalidTransition, match="already started"):
        _start(world)
    official = factories.actor_for(factories.member(buyer, "buyer_official"), buyer)
    with pytest.raises(PermissionDenied):
        services.evaluation_start(
            actor=official, tender=world.tender, lot=world.tender.lots.get(number=2)
        )
    assert Evaluation.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# lowest price


def test_lowest_price_ranks_and_publishes_statuses_and_reasons(world: OpeningWorld) -> None:
    evaluation = _start(world)
    actor = world.member_actor(2)
    bids = _by_price(evaluation)
    services.assessment_qualify(actor=actor, assessment=bids["118000.00"])
    services.assessment_qualify(actor=actor, assessment=bids["125000.00"])
    services.assessment_disqualify(
        actor=actor, assessment=bids["120500.50"], reason="Falta la garantía de seriedad."
    )
    before = Release.objects.count()

    services.evaluation_complete(actor=actor, evaluation=evaluation)

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.COMPLETED
    assert [row["price"] for row in evaluation.ranking] == ["118000.00", "125000.00"]
    assert evaluation.adjustments == []
    assert Release.objects.count() == before + 1
    release = _latest(world)
    assert release["tag"] == ["tenderUpdate"]
    details = {d["id"]: d for d in release["bids"]["details"]}
    lot1 = {k: v for k, v in details.items() if k.endswith("-1")}
    assert sorted((d["status"], d.get("rank"), d.get("description")) for d in lot1.values()) == [
        ("disqualified", None, "Falta la garantía de seriedad."),
        ("valid", 1, None),
        ("valid", 2, None),
    ]
    # Lot 2 is not evaluated: its bids stay pending.
    assert {d["status"] for k, d in details.items() if k.endswith("-2")} == {"pending"}
    documents = [
        d for d in release["tender"]["documents"] if d["documentType"] == "evaluationReports"
    ]
    assert [d["id"] for d in documents] == ["evaluation-report-1"]
    assert documents[0]["relatedLots"] == ["1"]


def test_a_disqualification_needs_its_reason_and_the_database_says_so(world: OpeningWorld) -> None:
    evaluation = _start(world)
    assessment = evaluation.assessments.first()
    assert assessment is not None
    before = _state(evaluation)
    with pytest.raises(ValidationFailed):
        services.assessment_disqualify(
            actor=world.member_actor(1), assessment=assessment, reason=" "
        )
    assert _state(evaluation) == before
    with pytest.raises(IntegrityError), transaction.atomic():
        BidAssessment.objects.filter(pk=assessment.pk).update(compliance=Compliance.DISQUALIFIED)


def test_completion_is_refused_while_a_bid_is_unchecked(world: OpeningWorld) -> None:
    evaluation = _start(world)
    before = _state(evaluation)
    with pytest.raises(ValidationFailed, match="3 bids are not checked yet"):
        services.evaluation_complete(actor=world.member_actor(1), evaluation=evaluation)
    assert _state(evaluation) == before


def test_after_completion_nothing_changes(world: OpeningWorld) -> None:
    evaluation = _start(world)
    actor = world.member_actor(1)
    for assessment in evaluation.assessments.all():
        services.assessment_qualify(actor=actor, assessment=assessment)
    services.evaluation_complete(actor=actor, evaluation=evaluation)
    before = _state(evaluation)
    assessment = evaluation.assessments.first()
    assert assessment is not None
    with pytest.raises(InvalidTransition):
        services.assessment_disqualify(actor=actor, assessment=assessment, reason="Tarde.")
    with pytest.raises(InvalidTransition):
        services.evaluation_complete(actor=actor, evaluation=evaluation)
    assert _state(evaluation) == before


# ---------------------------------------------------------------------------------------------
# weighted criteria, worked by hand


def test_weighted_criteria_score_as_worked_by_hand(buyer: Organization) -> None:
    # Price 60 points (proportional), team 30, delivery 10. L = 100,000.
    # A: 100,000 → 60 × 100,000 ÷ 100,000 = 60.00; quality 10 + 5 → 75.00
    # B: 90,000  → lowest is 90,000 then: see below (B is the lowest).
    # With B at 90,000 the lowest L = 90,000:
    # A: 60 × 90,000 ÷ 100,000 = 54.00 + 25 + 10 = 89.00
    # B: 60.00 + 10 + 5 = 75.00
    # C: 60 × 90,000 ÷ 120,000 = 45.00 + 30 + 10 = 85.00
    world = priced_world(buyer, ["100000", "90000", "120000"], criteria=True)
    evaluation = _start(world)
    actor = world.member_actor(1)
    team, delivery = world.tender.criteria.filter(kind="quality").order_by("position")
    points = {"100000.00": (25, 10), "90000.00": (10, 5), "120000.00": (30, 10)}
    for price, assessment in _by_price(evaluation).items():
        services.assessment_qualify(actor=actor, assessment=assessment)
        services.assessment_score(
            actor=actor,
            assessment=assessment,
            points={team.pk: Decimal(points[price][0]), delivery.pk: Decimal(points[price][1])},
        )
    services.evaluation_complete(actor=actor, evaluation=evaluation)

    ranked = sorted(evaluation.assessments.all(), key=lambda a: a.rank or 0)
    assert [(str(a.price), a.price_points, a.total_points, a.rank) for a in ranked] == [
        ("100000.00", Decimal("54.00"), Decimal("89.00"), 1),
        ("120000.00", Decimal("45.00"), Decimal("85.00"), 2),
        ("90000.00", Decimal("60.00"), Decimal("75.00"), 3),
    ]
    first = next(d for d in _latest(world)["bids"]["details"] if d.get("rank") == 1)
    assert first["evaluationScores"]["price"] == 54
    assert first["evaluationScores"]["total"] == 89
    assert [q["points"] for q in first["evaluationScores"]["quality"]] == [25, 10]


def test_points_out_of_range_are_refused(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "90000"], criteria=True)
    evaluation = _start(world)
    team = world.tender.criteria.get(name="Experiencia del equipo")
    assessment = evaluation.assessments.first()
    assert assessment is not None
    for value in (Decimal(31), Decimal(-1), Decimal("1.005")):
        with pytest.raises(ValidationFailed):
            services.assessment_score(
                actor=world.member_actor(1), assessment=assessment, points={team.pk: value}
            )
    assert not assessment.scores.exists()


def test_unscored_bids_keep_the_lot_open(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "90000"], criteria=True)
    evaluation = _start(world)
    for assessment in evaluation.assessments.all():
        services.assessment_qualify(actor=world.member_actor(1), assessment=assessment)
    with pytest.raises(ValidationFailed, match="not scored on every quality criterion"):
        services.evaluation_complete(actor=world.member_actor(1), evaluation=evaluation)


def test_ties_go_to_the_bid_received_first(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "100000"])
    evaluation = _start(world)
    for assessment in evaluation.assessments.all():
        services.assessment_qualify(actor=world.member_actor(1), assessment=assessment)
    first = world.offers[0].bid
    assert evaluation.assessments.get(bid=first).rank == 1


# ---------------------------------------------------------------------------------------------
# abnormally low prices


def test_the_rule_by_hand() -> None:
    prices = {"a": Decimal(100), "b": Decimal(100), "c": Decimal("79.99"), "d": Decimal(80)}
    # Others of c: (100 + 100 + 80) ÷ 3 = 93.33…; 80% of it = 74.67: c is not below it.
    assert abnormally_low(prices, percent=Decimal(20)) == set()
    assert abnormally_low({"a": Decimal(100), "b": Decimal(79)}, percent=Decimal(20)) == {"b"}
    assert abnormally_low({"a": Decimal(100)}, percent=Decimal(20), estimate=Decimal(130)) == {"a"}
    assert abnormally_low({"a": Decimal(104)}, percent=Decimal(20), estimate=Decimal(130)) == set()


def test_a_low_price_is_justified_then_accepted(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "100000", "70000"])
    evaluation = _start(world)
    actor = world.member_actor(1)
    low = _by_price(evaluation)["70000.00"]
    assert low.abnormally_low
    for assessment in evaluation.assessments.all():
        services.assessment_qualify(actor=actor, assessment=assessment)
    with pytest.raises(ValidationFailed, match="abnormally low"):
        services.evaluation_complete(actor=actor, evaluation=evaluation)
    bidder = world.offers[2].actor
    with pytest.raises(InvalidTransition):
        services.justification_answer(actor=bidder, assessment=low, answer="Stock propio.")

    services.justification_request(actor=actor, assessment=low, request="Explique el precio.")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.JUSTIFICATION_REQUESTED
    before = _state(evaluation)
    with pytest.raises(InvalidTransition):
        services.evaluation_complete(actor=actor, evaluation=evaluation)
    with pytest.raises(InvalidTransition):
        services.justification_decide(actor=actor, assessment=low, accept=True, decision="Bien.")
    with pytest.raises(PermissionDenied):
        services.justification_answer(
            actor=world.offers[0].actor, assessment=low, answer="No es mío."
        )
    assert _state(evaluation) == before

    services.justification_answer(actor=bidder, assessment=low, answer="Tenemos stock propio.")
    services.justification_decide(
        actor=actor, assessment=low, accept=True, decision="El stock propio lo explica."
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.IN_PROGRESS
    services.evaluation_complete(actor=actor, evaluation=evaluation)
    entry = next(d for d in _latest(world)["bids"]["details"] if d.get("abnormallyLow"))
    assert entry["status"] == "valid"
    assert entry["rank"] == 1
    assert entry["abnormallyLow"] == {
        "flagged": True,
        "justification": "accepted",
        "decision": "El stock propio lo explica.",
    }


def test_a_rejected_justification_disqualifies_with_the_reason(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "100000", "70000"])
    evaluation = _start(world)
    actor = world.member_actor(1)
    low = _by_price(evaluation)["70000.00"]
    services.justification_request(actor=actor, assessment=low, request="Explique el precio.")
    services.justification_decide(
        actor=actor, assessment=low, accept=False, decision="No respondió."
    )
    low.refresh_from_db()
    assert (low.compliance, low.justification) == (Compliance.DISQUALIFIED, Justification.REJECTED)
    assert "No respondió." in low.reason
    with pytest.raises(InvalidTransition):
        services.assessment_qualify(actor=actor, assessment=low)


def test_a_price_that_is_not_low_needs_no_justification(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "95000"])
    evaluation = _start(world)
    assessment = evaluation.assessments.first()
    assert assessment is not None
    with pytest.raises(InvalidTransition, match="not abnormally low"):
        services.justification_request(
            actor=world.member_actor(1), assessment=assessment, request="¿Por qué?"
        )


# ---------------------------------------------------------------------------------------------
# the adjustments hook


def _swap(
    context: LotContext, ranking: list[RankedBid]
) -> tuple[list[RankedBid], list[Adjustment]]:
    if len(ranking) < 2:
        return ranking, []
    second = ranking[1]
    return [second, ranking[0], *ranking[2:]], [
        Adjustment(
            rule="prueba-mipyme",
            explanation=f"Lote {context.lot}: la oferta de una pequeña empresa pasa al primer lugar.",
            bid=second.bid,
        )
    ]


def _silent(
    context: LotContext, ranking: list[RankedBid]
) -> tuple[list[RankedBid], list[Adjustment]]:
    return list(reversed(ranking)), []


@pytest.fixture
def swap() -> Iterator[None]:
    adjustments_register(_swap)
    yield
    adjustments_unregister(_swap)


@pytest.fixture
def silent() -> Iterator[None]:
    adjustments_register(_silent)
    yield
    adjustments_unregister(_silent)


def _qualify_all(world: OpeningWorld, evaluation: Evaluation) -> None:
    for assessment in evaluation.assessments.all():
        services.assessment_qualify(actor=world.member_actor(1), assessment=assessment)


@pytest.mark.usefixtures("swap")
def test_an_adjustment_is_stored_explained_and_published(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "110000"])
    evaluation = _start(world)
    _qualify_all(world, evaluation)
    services.evaluation_complete(actor=world.member_actor(1), evaluation=evaluation)

    evaluation.refresh_from_db()
    moved = str(world.offers[1].bid.pk)
    assert evaluation.adjustments == [
        {
            "rule": "prueba-mipyme",
            "explanation": "Lote 1: la oferta de una pequeña empresa pasa al primer lugar.",
            "bid": moved,
        }
    ]
    assert [(row["bid"], row["rank"], row["computedRank"]) for row in evaluation.ranking] == [
        (moved, 1, 2),
        (str(world.offers[0].bid.pk), 2, 1),
    ]
    release = _latest(world)
    entry = next(d for d in release["bids"]["details"] if d["id"] == f"{moved}-1")
    assert entry["rank"] == 1
    assert entry["rankAdjustments"][0]["rule"] == "prueba-mipyme"
    report = next(d for d in release["tender"]["documents"] if d["id"] == "evaluation-report-1")
    assert "la oferta de una pequeña empresa pasa al primer lugar" in report["description"]


@pytest.mark.usefixtures("silent")
def test_an_unexplained_adjustment_is_refused_and_nothing_changes(buyer: Organization) -> None:
    world = priced_world(buyer, ["100000", "110000"])
    evaluation = _start(world)
    _qualify_all(world, evaluation)
    before, releases = _state(evaluation), Release.objects.count()
    with pytest.raises(AdjustmentRefused):
        services.evaluation_complete(actor=world.member_actor(1), evaluation=evaluation)
    assert _state(evaluation) == before
    assert Release.objects.count() == releases
