"""The award criteria through the JSON API (issue 11, item 1): written with a draft, read with
any tender, changed after publication only by an amendment that moves the deadline. Every
answer is checked against the committed OpenAPI document; a refused request changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pregon.core import clock
from pregon.tenders.models import AwardCriterion, Tender
from tests import factories
from tests.api.openapi_check import check
from tests.api.test_buyer import _draft_body, database_snapshot, patch, post

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
RATED = [
    {"name": "Precio", "kind": "price", "weight": 60},
    {"name": "Experiencia", "kind": "quality", "weight": 40, "description": "Años."},
]


def stored(tender: Tender) -> list[tuple[str, str, int]]:
    return [
        (row.name, row.kind, row.weight)
        for row in AwardCriterion.objects.filter(tender=tender).order_by("position")
    ]


def test_a_draft_is_written_and_read_with_its_criteria(client: Client, buyer_token: str) -> None:
    response = post(
        client,
        "/api/v1/tenders",
        buyer_token,
        _draft_body(price_scoring="linear", criteria=RATED),
    )
    assert response.status_code == 201
    body = check(response)
    assert (body["award_criteria"], body["price_scoring"]) == ("ratedCriteria", "linear")
    assert body["price_formula"].startswith("Price points = W × (1 − (P − L) ÷ L)")
    assert [(c["name"], c["kind"], c["weight"]) for c in body["criteria"]] == [
        ("Precio", "price", 60),
        ("Experiencia", "quality", 40),
    ]
    # The formula reads in the language the request asks for.
    again = client.get(
        f"/api/v1/buyer/tenders/{body['id']}",
        headers={"Authorization": f"Bearer {buyer_token}", "Accept-Language": "es"},
    )
    assert check(again)["price_formula"].startswith("Puntos de precio = W × (1 − (P − L) ÷ L)")


def test_a_lowest_price_draft_has_no_formula_and_no_criteria(
    client: Client, buyer_token: str
) -> None:
    body = _draft_body(award_criteria="priceOnly")
    del body["price_scoring"], body["criteria"]
    response = post(client, "/api/v1/tenders", buyer_token, body)
    assert response.status_code == 201
    answer = check(response)
    assert (answer["price_scoring"], answer["price_formula"], answer["criteria"]) == (
        None,
        None,
        [],
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"criteria": [RATED[0], {**RATED[1], "weight": 30}]},
            {"criteria": ["The weights add up to 90 points; they must add up to exactly 100."]},
        ),
        (
            {"criteria": [RATED[0], {**RATED[1], "kind": "price"}]},
            {"criteria": ["There are 2 price criteria; weighted criteria have exactly one."]},
        ),
        ({"price_scoring": None}, {"price_scoring": ["Choose how prices are scored."]}),
        ({"criteria": [RATED[0], {**RATED[1], "weight": 0}]}, {"criteria.1.weight": None}),
        ({"criteria": [RATED[0], {**RATED[1], "kind": "style"}]}, {"criteria.1.kind": None}),
        ({"price_scoring": "auction"}, {"price_scoring": None}),
    ],
)
def test_criteria_that_break_a_rule_are_a_problem(
    client: Client,
    buyer_token: str,
    changes: dict[str, Any],
    errors: dict[str, list[str] | None],
) -> None:
    before = database_snapshot()
    response = post(client, "/api/v1/tenders", buyer_token, _draft_body(**changes))
    assert response.status_code == 422
    problem = check(response)
    assert problem["errors"].keys() == errors.keys()
    for field, messages in errors.items():
        if messages is not None:
            assert problem["errors"][field] == messages
    assert database_snapshot() == before


def test_a_draft_s_criteria_change_with_patch(client: Client, buyer: Any, buyer_token: str) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    response = patch(client, f"/api/v1/tenders/{tender.pk}", buyer_token, {"criteria": RATED})
    assert response.status_code == 200
    assert [c["weight"] for c in check(response)["criteria"]] == [60, 40]
    assert stored(tender) == [("Precio", "price", 60), ("Experiencia", "quality", 40)]
    response = patch(
        client, f"/api/v1/tenders/{tender.pk}", buyer_token, {"award_criteria": "priceOnly"}
    )
    assert check(response)["criteria"] == []
    assert stored(tender) == []


def test_a_published_tender_s_criteria_change_only_by_an_amendment_that_moves_the_deadline(
    client: Client, buyer: Any, buyer_token: str
) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer, submission_deadline=clock.now() + 30 * DAY)
    before = database_snapshot()
    edit = patch(
        client,
        f"/api/v1/tenders/{tender.pk}",
        buyer_token,
        {"award_criteria": "ratedCriteria", "price_scoring": "linear", "criteria": RATED},
    )
    assert edit.status_code == 409
    assert check(edit)["code"] == "cannot_edit"
    amend = {
        "reason": "Se pondera la experiencia",
        "award_criteria": "ratedCriteria",
        "price_scoring": "linear",
        "criteria": RATED,
    }
    refused = post(client, f"/api/v1/tenders/{tender.pk}/actions/amend/", buyer_token, amend)
    assert refused.status_code == 422
    problem = check(refused)
    assert problem["code"] == "criteria_need_later_deadline"
    assert list(problem["errors"]) == ["submission_deadline"]
    assert database_snapshot() == before

    later = tender.submission_deadline + 7 * DAY
    amend |= {
        "submission_deadline": later.isoformat(),
        "opening_at": (later + dt.timedelta(hours=1)).isoformat(),
    }
    response = post(client, f"/api/v1/tenders/{tender.pk}/actions/amend/", buyer_token, amend)
    assert response.status_code == 201
    assert check(response)["changes"]["criteria"] == [
        [],
        ["Precio (price, 60)", "Experiencia (quality, 40): Años."],
    ]
    public = client.get(f"/api/v1/tenders/{tender.pk}")
    assert [c["name"] for c in check(public)["criteria"]] == ["Precio", "Experiencia"]


def test_a_supplier_s_key_cannot_write_criteria(
    client: Client, draft: Tender, issue_key: Callable[..., str], supplier: Any
) -> None:
    token = issue_key(supplier, ["tenders:write"])
    before = database_snapshot()
    response = patch(client, f"/api/v1/tenders/{draft.pk}", token, {"criteria": RATED})
    # Another organization's draft is not found (never "forbidden": that would confirm it).
    assert response.status_code == 404
    assert database_snapshot() == before
