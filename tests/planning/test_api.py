"""The plans' API at /api/v1/plans and /api/v1/plan-lines: public reads of published plans and
their lines, filtered as on the "coming soon" page; drafts answer 404 and are never listed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pregon.planning.models import PlanLine
from tests import factories

pytestmark = pytest.mark.django_db


def get(path: str, **query: Any) -> Any:
    return Client().get(f"/api/v1{path}", query, HTTP_ACCEPT_LANGUAGE="en")


def descriptions(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [line["description"] for line in response.json()["items"]]


def test_the_public_lines_are_listed_with_their_buyer_and_classification(world: Any) -> None:
    response = get("/plan-lines")
    assert descriptions(response) == [
        "Mantención de caminos rurales",
        "Computadores portátiles",
        "Impresoras láser",
        "Servidores",
        "Construcción de un liceo",
    ]
    roads = response.json()["items"][0]
    line = world["roads"]
    assert roads["id"] == line.pk
    assert roads["ocid"] == line.ocid
    assert roads["classification"] == {"scheme": "CPV", "code": "45233141-9"}
    assert roads["buyer"]["id"] == line.plan.buyer_id
    assert roads["quarter"] == 1 and roads["category"] == "works"
    assert roads["status"] == "published"
    assert roads["url"].endswith(f"/plans/lines/{line.pk}/")
    assert response.json()["count"] == 5


def test_coming_soon_leaves_out_the_withdrawn_and_followed_lines(world: Any) -> None:
    assert descriptions(get("/plan-lines", coming_soon="true")) == [
        "Mantención de caminos rurales",
        "Computadores portátiles",
        "Construcción de un liceo",
    ]


def test_a_code_finds_the_lines_below_it_and_a_region_the_buyers_there(world: Any) -> None:
    assert descriptions(get("/plan-lines", code="452")) == [
        "Mantención de caminos rurales",
        "Construcción de un liceo",
    ]
    assert descriptions(get("/plan-lines", region="antofagasta")) == ["Construcción de un liceo"]
    assert descriptions(get("/plan-lines", buyer=world["north"].plan.buyer_id)) == [
        "Construcción de un liceo"
    ]


def test_a_malformed_filter_is_a_problem_in_the_callers_language(world: Any) -> None:
    response = Client().get("/api/v1/plan-lines", {"year": "next"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    # An id beyond what the databases store is refused, never sent to them.
    assert get("/plans", buyer=str(2**90)).status_code == 422
    assert get("/plan-lines", buyer=str(2**90)).status_code == 422


def test_a_line_shows_its_withdrawal_reason_and_the_tender_that_follows_it(world: Any) -> None:
    withdrawn = get(f"/plan-lines/{world['withdrawn'].pk}").json()
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["withdrawal_reason"] == "Ya no se necesitan."
    assert withdrawn["follower"] is None
    # The tender drafted from the line is a draft: the public does not see it yet.
    followed = get(f"/plan-lines/{world['followed'].pk}").json()
    assert followed["status"] == "followed"
    assert followed["follower"] is None


def test_a_draft_line_and_an_unknown_one_answer_404(world: Any) -> None:
    assert get(f"/plan-lines/{world['draft'].pk}").status_code == 404
    assert get(f"/plan-lines/{PlanLine.objects.order_by('-pk')[0].pk + 1}").status_code == 404


def test_plans_are_listed_with_their_counts_and_read_one_by_one(world: Any) -> None:
    plan = world["roads"].plan
    listed = get("/plans").json()["items"]
    mine = next(item for item in listed if item["id"] == plan.pk)
    assert mine["public_lines"] == 4
    assert mine["coming_soon"] == 2
    assert get(f"/plans/{plan.pk}").json()["title"] == plan.title
    assert get("/plans", buyer=world["north"].plan.buyer_id).json()["count"] == 1


def test_a_draft_plan_answers_404(buyer: Any, official: Any) -> None:
    draft = factories.PlanDraftFactory(buyer=buyer)
    assert get(f"/plans/{draft.pk}").status_code == 404
    assert get("/plans").json()["count"] == 0
