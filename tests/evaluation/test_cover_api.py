"""Brazil's right to cover the best offer through the API (issue 12, item 4): the invited
supplier lists the rights offered to it, covers the best offer with a lower price or lets it
pass, with its API key (`bids:submit`) or signed in, through the services its page calls.
Every refusal is a problem in the caller's language and changes nothing: 403 for another
organization's right, 404 for none, 409 once answered or past the deadline, 422 for a price
that does not cover the best offer. Every answer is checked against the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pregon.core import clock
from pregon.core.models import AuditEvent
from pregon.evaluation import services
from pregon.evaluation.choices import CoverStatus, EvaluationStatus
from pregon.evaluation.models import Evaluation, RightToCover
from pregon.organizations.models import Organization
from tests.api.conftest import bearer, issue_key
from tests.api.openapi_check import check
from tests.bids.opening_world import OpeningWorld
from tests.evaluation.test_preferences import (
    BRAZIL,
    _actor,
    _evaluate,
    _order,
    _supplier,
    _world,
)

__all__ = ["issue_key"]

pytestmark = pytest.mark.django_db

INVITED = "Pequena Empresa Ltda"
BEST = "Grande Indústria SA"
COVERS = "/api/v1/covers"


@pytest.fixture
def world() -> OpeningWorld:
    """Brazil: a large firm's best offer of R$100,000, an EPP 5 % above it (invited to cover
    it), an ME 15 % above; lot 1 evaluated and waiting for the answer."""
    world = _world("BR", "BRL", BRAZIL)
    evaluation = _evaluate(world)
    assert evaluation.status == EvaluationStatus.COVER_OFFERED
    return world


@pytest.fixture
def keys(issue_key: Callable[..., str], world: OpeningWorld) -> dict[str, str]:
    """A `bids:submit` key of each bidder, by name."""
    return {name: issue_key(_supplier(world, name), ["bids:submit"]) for name, _p, _f in BRAZIL}


def _cover() -> RightToCover:
    return RightToCover.objects.get()


def _url(cover: RightToCover, verb: str) -> str:
    return f"{COVERS}/{cover.pk}/actions/{verb}"


def _post(url: str, token: str, body: Any = None, **headers: str) -> Any:
    return Client().post(
        url,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=bearer(token, **headers),
    )


def _later(world: OpeningWorld, hours: float = 1) -> Any:
    return clock.at(world.at + dt.timedelta(hours=hours))


def test_the_invited_supplier_lists_its_rights_to_cover(
    world: OpeningWorld, keys: dict[str, str], issue_key: Callable[..., str]
) -> None:
    cover = _cover()
    with _later(world):
        mine = Client().get(COVERS, headers=bearer(keys[INVITED]))
    assert mine.status_code == 200
    body = check(mine)
    assert body["count"] == 1
    [item] = body["items"]
    assert item == {
        "id": cover.pk,
        "tender": world.tender.pk,
        "ocid": str(world.tender.ocid),
        "lot": 1,
        "bid": str(cover.assessment.bid_id),
        "price": "105000.00",
        "best_price": "100000.00",
        "currency": "BRL",
        "rule": "BR@2026.1:fictitious_tie",
        "status": "offered",
        "open": True,
        "offered_at": item["offered_at"],
        "deadline": item["deadline"],
        "covering_price": None,
        "answered_at": None,
    }
    # The API writes moments to the millisecond.
    deadline = cover.deadline.replace(microsecond=cover.deadline.microsecond // 1000 * 1000)
    assert dt.datetime.fromisoformat(item["deadline"]) == deadline
    # The other bidders were offered none; a key without the scope and nobody are refused.
    for name in (BEST, "Microempresa ME"):
        assert check(Client().get(COVERS, headers=bearer(keys[name]))) == {"count": 0, "items": []}
    assert check(Client().get(COVERS)).get("status") == 401
    narrow = issue_key(_supplier(world, INVITED), ["questions:ask"])
    assert check(Client().get(COVERS, headers=bearer(narrow)))["code"] == "insufficient_scope"
    # Once the deadline has passed the right is no longer open, before the platform lapses it.
    with clock.at(cover.deadline + dt.timedelta(seconds=1)):
        [late] = check(Client().get(COVERS, headers=bearer(keys[INVITED])))["items"]
    assert (late["status"], late["open"]) == ("offered", False)


def test_the_invited_supplier_covers_the_best_offer_with_its_key(
    world: OpeningWorld, keys: dict[str, str]
) -> None:
    cover = _cover()
    with _later(world, 2):
        done = _post(_url(cover, "cover"), keys[INVITED], {"price": "99500.00"})
    assert done.status_code == 200
    body = check(done)
    assert (body["id"], body["status"], body["covering_price"], body["open"]) == (
        cover.pk,
        "improved",
        "99500.00",
        False,
    )
    cover.refresh_from_db()
    assert (cover.status, cover.price, cover.answered_by) == (
        CoverStatus.IMPROVED,
        Decimal("99500.00"),
        None,
    )
    evaluation = Evaluation.objects.get(pk=cover.evaluation_id)
    assert evaluation.status == EvaluationStatus.COMPLETED
    assert _order(evaluation) == [INVITED, BEST, "Microempresa ME"]
    row = AuditEvent.objects.get(action="evaluation.cover_improve")
    assert row.channel == "api" and row.actor_label.startswith("api-key:")

    # Answered once: neither a second price nor a pass (409), and nothing changes.
    before = RightToCover.objects.filter(pk=cover.pk).values().get()
    with _later(world, 3):
        again = _post(_url(cover, "cover"), keys[INVITED], {"price": "90000.00"})
        passed = _post(_url(cover, "pass"), keys[INVITED])
    assert again.status_code == passed.status_code == 409
    assert check(again)["code"] == check(passed)["code"] == "cover_answered"
    assert check(again)["detail"] == (
        "This right to cover is covered with a lower price; it was already answered."
    )
    assert RightToCover.objects.filter(pk=cover.pk).values().get() == before


def test_the_invited_supplier_lets_it_pass_signed_in(world: OpeningWorld) -> None:
    cover = _cover()
    person = _actor(world, INVITED).user
    client = Client()
    client.force_login(person)
    with _later(world):
        done = client.post(_url(cover, "pass"))
    assert done.status_code == 200
    assert check(done)["status"] == "passed"
    cover.refresh_from_db()
    assert (cover.status, cover.price, cover.answered_by) == (CoverStatus.PASSED, None, person)
    evaluation = Evaluation.objects.get(pk=cover.evaluation_id)
    assert _order(evaluation) == [BEST, INVITED, "Microempresa ME"]
    assert AuditEvent.objects.filter(action="evaluation.cover_pass").count() == 1


def test_a_price_that_does_not_cover_is_refused_in_the_callers_language(
    world: OpeningWorld, keys: dict[str, str]
) -> None:
    cover = _cover()
    before = RightToCover.objects.filter(pk=cover.pk).values().get()
    with _later(world):
        equal = _post(_url(cover, "cover"), keys[INVITED], {"price": "100000.00"})
        spanish = _post(
            _url(cover, "cover"), keys[INVITED], {"price": "100500"}, **{"Accept-Language": "es"}
        )
        malformed = _post(_url(cover, "cover"), keys[INVITED], {"price": "99999.999"})
        missing = _post(_url(cover, "cover"), keys[INVITED], {})
    assert equal.status_code == 422
    assert check(equal)["detail"] == "Offer a price below the best offer, 100000.00 BRL."
    assert check(equal)["errors"] == {
        "price": ["Offer a price below the best offer, 100000.00 BRL."]
    }
    assert spanish.status_code == 422
    assert spanish["Content-Language"] == "es"
    assert check(spanish)["detail"] == "Ofrezca un precio menor que la mejor oferta, 100000.00 BRL."
    assert malformed.status_code == missing.status_code == 422
    assert list(check(malformed)["errors"]) == ["price"]
    assert list(check(missing)["errors"]) == ["price"]
    assert RightToCover.objects.filter(pk=cover.pk).values().get() == before
    assert Evaluation.objects.get(pk=cover.evaluation_id).status == EvaluationStatus.COVER_OFFERED


def test_another_organizations_right_to_cover_is_refused(
    world: OpeningWorld,
    keys: dict[str, str],
    issue_key: Callable[..., str],
    supplier: Organization,
) -> None:
    cover = _cover()
    before = RightToCover.objects.filter(pk=cover.pk).values().get()
    with _later(world):
        # The best bidder, another bidder of the lot, and a supplier of no bid.
        for token in (keys[BEST], keys["Microempresa ME"], issue_key(supplier, ["bids:submit"])):
            covered = _post(_url(cover, "cover"), token, {"price": "99000.00"})
            passed = _post(_url(cover, "pass"), token)
            assert covered.status_code == passed.status_code == 403
            assert check(covered)["code"] == check(passed)["code"] == "not_invited"
        # A committee member signed in (acting for the buyer) is no bidder either.
        member = Client()
        member.force_login(world.committee[0].user)
        assert member.post(_url(cover, "pass")).status_code == 403
        # None such: 404.
        unknown = _post(f"{COVERS}/{cover.pk + 1000}/actions/pass", keys[INVITED])
        assert unknown.status_code == 404
        assert check(unknown)["detail"] == "There is no such right to cover."
    assert RightToCover.objects.filter(pk=cover.pk).values().get() == before


def test_past_the_deadline_the_answer_is_refused_and_the_lapse_stands(
    world: OpeningWorld, keys: dict[str, str]
) -> None:
    cover = _cover()
    with clock.at(cover.deadline + dt.timedelta(seconds=1)):
        late = _post(_url(cover, "cover"), keys[INVITED], {"price": "99000.00"})
        assert late.status_code == 409
        assert check(late)["code"] == "cover_deadline_passed"
        cover.refresh_from_db()
        assert cover.status == CoverStatus.OFFERED
        assert services.covers_lapse_due() == 1
        lapsed = _post(_url(cover, "pass"), keys[INVITED])
    assert lapsed.status_code == 409
    assert check(lapsed)["detail"] == "The deadline to cover the best offer has passed."
    cover.refresh_from_db()
    assert cover.status == CoverStatus.LAPSED
