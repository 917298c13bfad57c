"""The portal's plan pages at /<lang>/plans/: the lines coming soon, filtered by classification
code (its descendants too) and by the buyer's region; a published plan; one line. Drafts are
never shown; the pages need no script and label every control."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.core.actor import Actor
from pregon.planning import services
from pregon.planning.models import Plan, PlanLine
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def coming_soon(**query: str) -> Any:
    return Client().get(reverse("planning:coming_soon"), query)


def listed(response: Any) -> list[str]:
    return [line.description for line in response.context["page"].object_list]


def test_coming_soon_lists_the_published_lines_nothing_follows_yet(world: Any) -> None:
    response = coming_soon()
    assert response.status_code == 200
    # The soonest quarter first.
    assert listed(response) == [
        "Mantención de caminos rurales",
        "Computadores portátiles",
        "Construcción de un liceo",
    ]
    content = response.content.decode()
    assert "Línea en borrador" not in content
    assert "<script" not in content.split("</header>")[1].split("<footer")[0]
    assert '<label class="usa-label" for="id_code"' in content
    assert '<label class="usa-label" for="id_region"' in content
    assert content.count("<h1") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"code": "45"}, ["Mantención de caminos rurales", "Construcción de un liceo"]),
        ({"code": "45214000-0"}, ["Construcción de un liceo"]),
        ({"code": "30213000-5"}, ["Computadores portátiles"]),
        ({"region": "Antofagasta"}, ["Construcción de un liceo"]),
        ({"code": "45", "region": "Región Metropolitana"}, ["Mantención de caminos rurales"]),
        ({"code": "03"}, []),
    ],
)
def test_the_filters(world: Any, query: dict[str, str], expected: list[str]) -> None:
    response = coming_soon(**query)
    assert response.status_code == 200
    assert listed(response) == expected


def test_an_unreadable_filter_says_so(world: Any) -> None:
    response = coming_soon(code="computers")
    assert response.status_code == 200
    assert response.context["page"] is None
    assert b"Some filters are not valid" in response.content


def test_the_plan_and_line_pages(world: Any) -> None:
    line: PlanLine = world["computers"]
    plan: Plan = line.plan
    page = Client().get(plan.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    for description in ("Computadores portátiles", "Impresoras láser", "Servidores"):
        assert description in content
    assert "Línea en borrador" not in content
    assert "A tender is being prepared" in content

    page = Client().get(line.get_absolute_url())
    assert page.status_code == 200
    assert line.ocid.encode() in page.content
    assert b"planning" in page.content
    withdrawn = Client().get(world["withdrawn"].get_absolute_url())
    assert b"Ya no se necesitan." in withdrawn.content


def test_drafts_are_not_found(world: Any, buyer: Any) -> None:
    assert Client().get(world["draft"].get_absolute_url()).status_code == 404
    draft_plan = factories.PlanDraftFactory(buyer=buyer, year=2045)
    assert Client().get(draft_plan.get_absolute_url()).status_code == 404


def test_the_public_navigation_links_the_coming_soon_page(db: None) -> None:
    home = Client().get(reverse("web:home"))
    assert reverse("planning:coming_soon").encode() in home.content
    with translation.override("fr"):
        url = reverse("planning:coming_soon")
    assert url == "/fr/plans/"
    assert Client().get(url).status_code == 200


def test_a_line_published_by_the_pages_is_seen_at_once(
    official_actor: Actor, draft_plan: Plan
) -> None:
    assert listed(coming_soon()) == []
    services.plan_publish(actor=official_actor, plan=draft_plan)
    assert listed(coming_soon()) == [draft_plan.lines.get().description]
