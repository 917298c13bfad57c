"""Award criteria (issue 11, item 1): lowest price or weighted criteria, fixed before
publication; the price formulas against worked examples; every way of setting them, allowed
and refused (a refusal changes no row, writes no audit row and schedules nothing); the
database's own checks; and who may set them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.tenders import services
from pregon.tenders.models import Amendment, AwardCriterion, Tender
from pregon.tenders.scoring import (
    CriterionLine,
    award_criteria_text,
    price_formula_text,
    price_points,
)
from pregon.tenders.services import AmendmentData, CriterionData, TenderChanges, TenderData
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def criterion(name: str, kind: str, weight: int, description: str = "") -> CriterionData:
    return CriterionData(name=name, kind=kind, weight=weight, description=description)


RATED = [
    criterion("Precio", "price", 60),
    criterion("Experiencia", "quality", 30, "Contratos similares en los últimos 5 años."),
    criterion("Plazo de entrega", "quality", 10),
]


def rows_of(tender: Tender) -> list[tuple[int, str, str, int, str]]:
    return [
        (row.position, row.name, row.kind, row.weight, row.description)
        for row in AwardCriterion.objects.filter(tender=tender).order_by("position")
    ]


def draft_data(**changes: Any) -> TenderData:
    now = clock.now()
    values: dict[str, Any] = {
        "reference": "LIC-2026-0500",
        "title": "Mantención de áreas verdes",
        "description": "Mantención de 40 hectáreas de áreas verdes por 24 meses.",
        "method": "open",
        "category": "services",
        "estimated_value": Decimal("90000000"),
        "currency": "CLP",
        "enquiry_end": now + 10 * DAY,
        "submission_deadline": now + 20 * DAY,
        "opening_at": now + 20 * DAY + HOUR,
        "award_criteria": "ratedCriteria",
        "price_scoring": "proportional",
        "criteria": RATED,
    }
    values.update(changes)
    return TenderData(**values)


# ---------------------------------------------------------------------------------------------
# the price formulas, against examples worked by hand (docs/evaluation-and-contracts.md)


@pytest.mark.parametrize(
    ("price", "proportional", "linear"),
    [
        ("1000000", "60.00", "60.00"),
        ("1200000", "50.00", "48.00"),
        ("1500000", "40.00", "30.00"),
        ("2000000", "30.00", "0.00"),
        ("2500000", "24.00", "0.00"),
        ("1234567", "48.60", "45.93"),
    ],
)
def test_price_points_follow_the_published_formulas(
    price: str, proportional: str, linear: str
) -> None:
    lowest = Decimal(1_000_000)
    assert price_points("proportional", weight=60, price=Decimal(price), lowest=lowest) == Decimal(
        proportional
    )
    assert price_points("linear", weight=60, price=Decimal(price), lowest=lowest) == Decimal(linear)


def test_price_points_round_half_up_once() -> None:
    # 25 × 8 ÷ 9 = 22.2222…; 25 × 1 ÷ 8 = 3.125, which rounds up.
    assert price_points("proportional", weight=25, price=Decimal(9), lowest=Decimal(8)) == Decimal(
        "22.22"
    )
    assert price_points("proportional", weight=25, price=Decimal(8), lowest=Decimal(1)) == Decimal(
        "3.13"
    )


@pytest.mark.parametrize(
    ("method", "price", "lowest"),
    [
        ("proportional", "0", "0"),
        ("linear", "100", "0"),
        ("proportional", "90", "100"),
        ("auction", "100", "100"),
    ],
)
def test_price_points_refuse_what_is_no_score(method: str, price: str, lowest: str) -> None:
    with pytest.raises(ValueError):
        price_points(method, weight=60, price=Decimal(price), lowest=Decimal(lowest))


def test_the_criteria_read_in_words() -> None:
    assert award_criteria_text("priceOnly") == (
        "Lowest price: each lot is awarded to the compliant bid with the lowest price."
    )
    text = award_criteria_text(
        "ratedCriteria",
        price_scoring="linear",
        criteria=[
            CriterionLine(name="Price", kind="price", weight=99),
            CriterionLine(name="Warranty", kind="quality", weight=1),
        ],
    )
    assert text == (
        "Weighted criteria, 100 points in all: Price: 99 points (price); Warranty: 1 point "
        f"(quality). {price_formula_text('linear')} Points are rounded to two decimal places. "
        "The evaluation committee gives each quality criterion from 0 to its weight in points. "
        "Each lot is awarded to the compliant bid with the most points."
    )


# ---------------------------------------------------------------------------------------------
# on a draft: create and edit


def test_a_draft_is_created_with_weighted_criteria(official_actor: Actor, buyer: Any) -> None:
    tender = services.tender_create(actor=official_actor, buyer=buyer, data=draft_data())
    tender.refresh_from_db()
    assert (tender.award_criteria, tender.price_scoring) == ("ratedCriteria", "proportional")
    assert rows_of(tender) == [
        (1, "Precio", "price", 60, ""),
        (2, "Experiencia", "quality", 30, "Contratos similares en los últimos 5 años."),
        (3, "Plazo de entrega", "quality", 10, ""),
    ]


def test_a_draft_is_at_the_lowest_price_by_default(official_actor: Actor, buyer: Any) -> None:
    data = draft_data(award_criteria="priceOnly", price_scoring="", criteria=None)
    tender = services.tender_create(actor=official_actor, buyer=buyer, data=data)
    tender.refresh_from_db()
    assert (tender.award_criteria, tender.price_scoring, rows_of(tender)) == ("priceOnly", "", [])


SUM_99 = [criterion("Precio", "price", 60), criterion("Calidad", "quality", 39)]
SUM_101 = [criterion("Precio", "price", 60), criterion("Calidad", "quality", 41)]
TWO_PRICES = [
    criterion("Precio", "price", 50),
    criterion("Precio del mantenimiento", "price", 30),
    criterion("Calidad", "quality", 20),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"criteria": SUM_99},
            "criteria",
            "The weights add up to 99 points; they must add up to exactly 100.",
        ),
        (
            {"criteria": SUM_101},
            "criteria",
            "The weights add up to 101 points; they must add up to exactly 100.",
        ),
        (
            {"criteria": TWO_PRICES},
            "criteria",
            "There are 2 price criteria; weighted criteria have exactly one.",
        ),
        (
            {"criteria": [criterion("A", "quality", 50), criterion("B", "quality", 50)]},
            "criteria",
            "Add the price criterion: weighted criteria have exactly one.",
        ),
        (
            {"criteria": [criterion("Precio", "price", 100)]},
            "criteria",
            "Add at least one quality criterion. To compare prices alone, choose lowest price.",
        ),
        (
            {"criteria": [criterion("Precio", "price", 50), criterion(" precio ", "quality", 50)]},
            "criteria",
            "Two criteria are named “precio”; give each its own name.",
        ),
        (
            {"criteria": []},
            "criteria",
            "Give the weighted criteria: the price and at least one quality criterion, with "
            "weights that add up to 100 points.",
        ),
        ({"price_scoring": ""}, "price_scoring", "Choose how prices are scored."),
        ({"price_scoring": "auction"}, "price_scoring", "Choose how prices are scored."),
        (
            {"award_criteria": "costOnly"},
            "award_criteria",
            "Choose the award criteria.",
        ),
        (
            {"award_criteria": "priceOnly"},
            "price_scoring",
            "Lowest price has no price formula. Choose weighted criteria to score prices with a "
            "formula.",
        ),
        (
            {"award_criteria": "priceOnly", "price_scoring": ""},
            "criteria",
            "Lowest price has no weighted criteria. Choose weighted criteria, or remove the "
            "criteria.",
        ),
        (
            {"criteria": [criterion("Precio", "price", 100), criterion("Calidad", "quality", 0)]},
            "criteria",
            "Criterion 2: give it a weight from 1 to 100 points.",
        ),
        (
            {"criteria": [criterion("Precio", "price", 101), criterion("Calidad", "quality", 1)]},
            "criteria",
            "Criterion 1: give it a weight from 1 to 100 points.",
        ),
        (
            {"criteria": [criterion("Precio", "price", True), criterion("Calidad", "quality", 99)]},  # type: ignore[arg-type]
            "criteria",
            "Criterion 1: give it a weight from 1 to 100 points.",
        ),
        (
            {"criteria": [criterion("Precio", "price", 60), criterion("  ", "quality", 40)]},
            "criteria",
            "Criterion 2: give it a name.",
        ),
        (
            {"criteria": [criterion("Precio", "price", 60), criterion("Q", "style", 40)]},
            "criteria",
            "Criterion 2: choose whether it scores the price or a quality.",
        ),
        (
            {"criteria": [criterion("P" * 201, "price", 60), criterion("Q", "quality", 40)]},
            "criteria",
            "Criterion 1: This text is too long (201 characters); the limit is 200.",
        ),
        (
            {
                "criteria": [
                    criterion("Precio", "price", 60),
                    criterion("Q", "quality", 40, "x\x00"),
                ]
            },
            "criteria",
            "Criterion 2: Remove the NUL character (code 0) from this text.",
        ),
        (
            {
                "criteria": [criterion("Precio", "price", 5)]
                + [criterion(f"Calidad {n}", "quality", 5) for n in range(20)]
            },
            "criteria",
            "A tender has at most 20 weighted criteria; this one has 21.",
        ),
    ],
)
def test_criteria_that_break_a_rule_are_refused_and_nothing_is_written(
    official_actor: Actor,
    buyer: Any,
    refused: Any,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_create,
        actor=official_actor,
        buyer=buyer,
        data=draft_data(**changes),
    )
    assert (error.field, str(error.message)) == (field, message)


def test_editing_a_draft_replaces_its_criteria_with_an_audit_row(
    official_actor: Actor, buyer: Any
) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    before_rows = rows_of(tender)
    services.tender_update(
        actor=official_actor,
        tender=tender,
        data=TenderChanges(
            price_scoring="linear",
            criteria=[
                criterion("Precio ofertado", "price", 70),
                criterion("Calidad", "quality", 30),
            ],
        ),
    )
    tender.refresh_from_db()
    assert (
        before_rows
        != rows_of(tender)
        == [
            (1, "Precio ofertado", "price", 70, ""),
            (2, "Calidad", "quality", 30, ""),
        ]
    )
    assert tender.price_scoring == "linear"
    event = AuditEvent.objects.filter(action="tender.update").get()
    assert event.summary == {
        "changes": {
            "price_scoring": ["proportional", "linear"],
            "criteria": [
                [
                    "Precio ofertado (price, 60)",
                    "Experiencia del equipo (quality, 30)",
                    "Plazo de entrega (quality, 10)",
                ],
                ["Precio ofertado (price, 70)", "Calidad (quality, 30)"],
            ],
        }
    }


def test_a_partial_edit_checks_the_stored_criteria_with_the_new_formula(
    official_actor: Actor, buyer: Any
) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    services.tender_update(
        actor=official_actor, tender=tender, data=TenderChanges(price_scoring="linear")
    )
    tender.refresh_from_db()
    assert tender.price_scoring == "linear"
    assert [row[1:4] for row in rows_of(tender)] == [
        (name, kind, weight) for name, kind, weight in factories.WEIGHTED_CRITERIA
    ]


def test_choosing_the_lowest_price_drops_the_weighted_criteria(
    official_actor: Actor, buyer: Any
) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    services.tender_update(
        actor=official_actor, tender=tender, data=TenderChanges(award_criteria="priceOnly")
    )
    tender.refresh_from_db()
    assert (tender.award_criteria, tender.price_scoring, rows_of(tender)) == ("priceOnly", "", [])


def test_switching_to_weighted_criteria_needs_them_in_the_same_change(
    official_actor: Actor, draft: Tender, refused: Any
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_update,
        actor=official_actor,
        tender=draft,
        data=TenderChanges(award_criteria="ratedCriteria", price_scoring="proportional"),
    )
    assert error.field == "criteria"


def test_a_sum_other_than_100_is_refused_on_edit_and_nothing_changes(
    official_actor: Actor, buyer: Any, refused: Any
) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_update,
        actor=official_actor,
        tender=tender,
        data=TenderChanges(criteria=SUM_101),
    )
    assert (
        str(error.message) == "The weights add up to 101 points; they must add up to exactly 100."
    )


# ---------------------------------------------------------------------------------------------
# after publication: the criteria are part of the tender


def test_a_published_tender_s_criteria_cannot_be_edited(
    official_actor: Actor, open_tender: Tender, refused: Any
) -> None:
    error = refused(
        InvalidTransition,
        "cannot_edit",
        services.tender_update,
        actor=official_actor,
        tender=open_tender,
        data=TenderChanges(award_criteria="ratedCriteria", price_scoring="linear", criteria=RATED),
    )
    assert str(error.message) == (
        "Only a draft can be edited; this tender is open for bids. Use an amendment for an "
        "open tender."
    )


def test_an_amendment_that_keeps_the_deadline_cannot_change_the_criteria(
    official_actor: Actor, buyer: Any, refused: Any, now: dt.datetime
) -> None:
    # The deadline is far enough ahead that the amendment's minimum does not move it.
    tender = factories.TenderOpenFactory(buyer=buyer, submission_deadline=now + 30 * DAY)
    for data in (
        AmendmentData(
            reason="Se pondera la calidad",
            award_criteria="ratedCriteria",
            price_scoring="proportional",
            criteria=RATED,
        ),
        AmendmentData(reason="Se precisa el desempate", award_criteria_details="Por sorteo."),
        AmendmentData(
            reason="Mismo plazo",
            award_criteria="ratedCriteria",
            price_scoring="proportional",
            criteria=RATED,
            submission_deadline=tender.submission_deadline,
        ),
    ):
        error = refused(
            ValidationFailed,
            "criteria_need_later_deadline",
            services.tender_amend,
            actor=official_actor,
            tender=tender,
            data=data,
        )
        assert error.field == "submission_deadline"
        assert str(error.message) == (
            "The award criteria were published with the tender: they can change only in an "
            "amendment that moves the bid deadline later. Give a later bid deadline in this "
            "amendment."
        )


def test_an_amendment_that_moves_the_deadline_may_change_the_criteria(
    official_actor: Actor, buyer: Any, now: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer, submission_deadline=now + 30 * DAY)
    old_deadline = tender.submission_deadline
    with django_capture_on_commit_callbacks(execute=True):
        amendment = services.tender_amend(
            actor=official_actor,
            tender=tender,
            data=AmendmentData(
                reason="Se pondera la calidad",
                award_criteria="ratedCriteria",
                price_scoring="linear",
                criteria=RATED,
                submission_deadline=old_deadline + 7 * DAY,
                opening_at=old_deadline + 7 * DAY + HOUR,
            ),
        )
    tender.refresh_from_db()
    assert (tender.award_criteria, tender.price_scoring) == ("ratedCriteria", "linear")
    assert [row[1:4] for row in rows_of(tender)] == [
        ("Precio", "price", 60),
        ("Experiencia", "quality", 30),
        ("Plazo de entrega", "quality", 10),
    ]
    assert tender.submission_deadline == old_deadline + 7 * DAY
    assert amendment.changes_offer is True
    assert amendment.changes["award_criteria"] == ["priceOnly", "ratedCriteria"]
    assert amendment.changes["price_scoring"] == ["", "linear"]
    assert amendment.changes["criteria"] == [
        [],
        [
            "Precio (price, 60)",
            "Experiencia (quality, 30): Contratos similares en los últimos 5 años.",
            "Plazo de entrega (quality, 10)",
        ],
    ]
    event = AuditEvent.objects.get(action="tender.amend")
    assert event.summary["changes"] == amendment.changes


def test_an_amendment_whose_minimum_moves_the_deadline_may_change_the_criteria(
    settings: Any, official_actor: Actor, buyer: Any, now: dt.datetime
) -> None:
    settings.PREGON_AMENDMENT_MIN_DAYS = 7
    tender = factories.TenderDraftFactory(
        buyer=buyer,
        criteria=factories.WEIGHTED_CRITERIA,
        enquiry_end=now + DAY,
        submission_deadline=now + 3 * DAY,
    )
    with clock.at(now - 15 * DAY):
        services.tender_publish(actor=official_actor, tender=tender)
    amendment = services.tender_amend(
        actor=official_actor,
        tender=tender,
        data=AmendmentData(reason="Sin plazo de entrega", award_criteria="priceOnly"),
    )
    tender.refresh_from_db()
    assert (tender.award_criteria, tender.price_scoring, rows_of(tender)) == ("priceOnly", "", [])
    assert tender.submission_deadline == amendment.new_deadline == now + 7 * DAY


def test_criteria_cannot_change_once_the_tender_is_closed(
    official_actor: Actor, buyer: Any, refused: Any
) -> None:
    tender = factories.TenderClosedFactory(buyer=buyer)
    refused(
        InvalidTransition,
        "cannot_amend",
        services.tender_amend,
        actor=official_actor,
        tender=tender,
        data=AmendmentData(
            reason="Tarde",
            award_criteria="ratedCriteria",
            price_scoring="linear",
            criteria=RATED,
            submission_deadline=tender.submission_deadline + 30 * DAY,
        ),
    )


def test_an_amendment_with_criteria_that_break_a_rule_changes_nothing(
    official_actor: Actor, buyer: Any, refused: Any
) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_amend,
        actor=official_actor,
        tender=tender,
        data=AmendmentData(
            reason="Dos precios",
            criteria=TWO_PRICES,
            submission_deadline=tender.submission_deadline + 5 * DAY,
            opening_at=tender.opening_at + 5 * DAY,
        ),
    )
    assert error.field == "criteria"
    assert not Amendment.objects.exists()


# ---------------------------------------------------------------------------------------------
# who may set them


@pytest.mark.parametrize("role", ["committee_member", "auditor"])
def test_only_the_buyer_s_officials_set_the_criteria(
    buyer: Any, draft: Tender, refused: Any, role: str
) -> None:
    reader = Actor(user=factories.member(buyer, role), organization=buyer)
    refused(
        PermissionDenied,
        "permission_denied",
        services.tender_update,
        actor=reader,
        tender=draft,
        data=TenderChanges(award_criteria="ratedCriteria", price_scoring="linear", criteria=RATED),
    )


def test_another_buyer_s_official_cannot_set_them(
    other_buyer: Any, draft: Tender, refused: Any
) -> None:
    outsider = Actor(user=factories.member(other_buyer, "buyer_official"), organization=other_buyer)
    refused(
        PermissionDenied,
        "permission_denied",
        services.tender_update,
        actor=outsider,
        tender=draft,
        data=TenderChanges(award_criteria="ratedCriteria", price_scoring="linear", criteria=RATED),
    )


# ---------------------------------------------------------------------------------------------
# what the database holds to, whoever writes


def _insert(tender: Tender, **values: Any) -> None:
    row = {"position": 9, "name": "Otro", "kind": "quality", "weight": 10, **values}
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardCriterion.objects.create(tender=tender, **row)


def test_the_database_refuses_rows_no_tender_may_hold(buyer: Any) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    _insert(tender, weight=0)
    _insert(tender, weight=101)
    _insert(tender, name="Plazo de entrega")
    _insert(tender, position=1)
    _insert(tender, position=0)
    _insert(tender, kind="price")
    _insert(tender, kind="style")
    _insert(tender, name="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tender.objects.filter(pk=tender.pk).update(price_scoring="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tender.objects.filter(pk=tender.pk).update(award_criteria="priceOnly")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tender.objects.filter(pk=tender.pk).update(award_criteria="costOnly", price_scoring="")
    assert len(rows_of(tender)) == 3
