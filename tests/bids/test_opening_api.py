"""The opening's API over HTTP: the envelopes for the committee, the hand-in with its CSRF
token, the public record exactly as logged; problem details (translated) for every refusal.
Every answer is checked against the committed OpenAPI document."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.conf import settings
from django.test import Client

from pregon.bids.models import Opening, ShareHandIn
from pregon.core import clock
from pregon.ledger.models import Leaf
from pregon.organizations.models import Organization
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests import factories
from tests.api.conftest import bearer
from tests.api.openapi_check import check
from tests.bids.bad_envelopes import bad_offer
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.test_translations import compile_catalogs

pytestmark = pytest.mark.django_db

CSRF = "c" * 32


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opening_world(buyer)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def session(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    return client


def member_session(world: OpeningWorld, position: int) -> Client:
    return session(world.committee[position - 1].user)


def hand_in(
    client: Client,
    world: OpeningWorld,
    shares: list[tuple[Any, bytes]],
    declarations: list[tuple[Any, str]] | None = None,
    **headers: str,
) -> Any:
    body: dict[str, Any] = {
        "shares": [{"bid": str(bid.pk), "share": _b64(share)} for bid, share in shares]
    }
    if declarations is not None:
        body["declarations"] = [
            {"bid": str(bid.pk), "reason": reason} for bid, reason in declarations
        ]
    return client.post(
        f"/api/v1/tenders/{world.tender.ocid}/opening/shares",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": CSRF, **headers},
    )


# ---------------------------------------------------------------------------------------------
# GET …/opening/envelopes


def test_a_member_reads_the_envelopes_without_bidders(world: OpeningWorld) -> None:
    with clock.at(world.at):
        response = member_session(world, 1).get(
            f"/api/v1/tenders/{world.tender.ocid}/opening/envelopes"
        )

    assert response.status_code == 200, response.content
    body = check(response)
    assert body == {
        "bids": [
            {"id": str(made.bid.pk), "envelope": _b64(made.sealed.envelope)}
            for made in world.offers
        ]
    }
    for made in world.offers:
        assert made.supplier.legal_name.encode() not in response.content
        assert made.supplier.identifier_id.encode() not in response.content


def test_the_envelopes_wait_for_the_opening_time(world: OpeningWorld) -> None:
    with clock.at(world.tender.opening_at - dt.timedelta(minutes=1)):
        response = member_session(world, 1).get(
            f"/api/v1/tenders/{world.tender.ocid}/opening/envelopes"
        )

    assert response.status_code == 409
    assert check(response)["code"] == "opening_not_started"


@pytest.mark.parametrize("who", ["official", "committee_member", "auditor", "supplier_user"])
def test_nobody_but_the_committee_reads_the_envelopes(world: OpeningWorld, who: str) -> None:
    organization = world.tender.buyer if who != "supplier_user" else world.offers[0].supplier
    person = factories.member(organization, "buyer_official" if who == "official" else who)

    with clock.at(world.at):
        response = session(person).get(f"/api/v1/tenders/{world.tender.ocid}/opening/envelopes")

    assert response.status_code == 403
    assert check(response)["status"] == 403
    assert b'"bids"' not in response.content


def test_an_api_key_is_not_a_committee_member(world: OpeningWorld, issue_key: Any) -> None:
    token = issue_key(world.tender.buyer, ["tenders:read", "tenders:write"])

    with clock.at(world.at):
        response = Client().get(
            f"/api/v1/tenders/{world.tender.ocid}/opening/envelopes", headers=bearer(token)
        )

    assert response.status_code == 401
    assert check(response)["detail"] == (
        "Sign in on the site as the committee member: shares are handed in by each member in "
        "person, never with an organization API key."
    )


# ---------------------------------------------------------------------------------------------
# POST …/opening/shares


def test_two_members_hand_in_and_the_bids_open(world: OpeningWorld) -> None:
    with clock.at(world.at):
        first = hand_in(member_session(world, 1), world, world.shares(1))
        second = hand_in(member_session(world, 3), world, world.shares(3))

    assert (first.status_code, check(first)) == (
        200,
        {"handedIn": 4, "declared": 0, "opened": False},
    )
    assert (second.status_code, check(second)) == (
        200,
        {"handedIn": 4, "declared": 0, "opened": True},
    )
    assert Opening.objects.get(tender=world.tender).status == "opened"


def test_members_declare_a_bid_they_cannot_decrypt_and_the_record_names_them(
    world: OpeningWorld,
) -> None:
    bad = bad_offer(world, undecryptable=[1, 2]).bid
    good = [made.bid for made in world.offers[:4]]

    with clock.at(world.at):
        first = hand_in(
            member_session(world, 1),
            world,
            world.shares(1, good),
            [(bad, "share_undecryptable")],
        )
        second = hand_in(
            member_session(world, 2),
            world,
            world.shares(2, good),
            [(bad, "share_undecryptable")],
        )
    record = Client().get(f"/api/v1/tenders/{world.tender.ocid}/opening")

    assert (first.status_code, check(first)) == (
        200,
        {"handedIn": 4, "declared": 1, "opened": False},
    )
    assert (second.status_code, check(second)) == (
        200,
        {"handedIn": 4, "declared": 1, "opened": True},
    )
    entry = next(item for item in check(record)["bids"] if item["id"] == str(bad.pk))
    assert (entry["outcome"], entry["reason"], entry["declaredBy"], entry["members"]) == (
        "undecryptable",
        "shares_undecryptable",
        [1, 2],
        [],
    )


def test_a_share_and_a_declaration_of_one_bid_answer_422_and_keep_nothing(
    world: OpeningWorld,
) -> None:
    shares = world.shares(1)

    with clock.at(world.at):
        response = hand_in(
            member_session(world, 1), world, shares, [(shares[2][0], "share_mismatch")]
        )

    assert response.status_code == 422
    problem = check(response)
    assert (problem["code"], problem["errors"]) == (
        "share_and_declaration",
        {
            "declarations": [
                f"For bid {shares[2][0].pk} you both hand in a share and declare that you "
                "cannot decrypt it; do one or the other."
            ]
        },
    )
    assert not ShareHandIn.objects.exists()


def test_a_declaration_without_a_known_reason_is_refused(world: OpeningWorld) -> None:
    with clock.at(world.at):
        response = hand_in(
            member_session(world, 1), world, [], [(world.offers[0].bid, "lost_my_key")]
        )

    assert response.status_code == 422
    assert list(check(response)["errors"]) == ["declarations.0.reason"]
    assert not ShareHandIn.objects.exists()


def test_the_hand_in_needs_the_csrf_token(world: OpeningWorld) -> None:
    client = member_session(world, 1)
    body = {
        "shares": [{"bid": str(bid.pk), "share": _b64(share)} for bid, share in world.shares(1)]
    }

    with clock.at(world.at):
        response = client.post(
            f"/api/v1/tenders/{world.tender.ocid}/opening/shares",
            json.dumps(body),
            content_type="application/json",
        )

    assert response.status_code == 403
    assert check(response)["code"] == "csrf_failed"
    assert not ShareHandIn.objects.exists()


def test_a_wrong_share_answers_422_naming_member_and_bid_in_spanish(
    world: OpeningWorld, settings: Any, tmp_path: Path
) -> None:
    compile_catalogs(tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    shares = world.shares(3)
    victim = shares[1][0]
    shares[1] = (victim, bytes(33))

    with clock.at(world.at):
        response = hand_in(member_session(world, 3), world, shares, **{"Accept-Language": "es"})

    assert response.status_code == 422
    problem = check(response)
    assert (problem["code"], problem["member"], problem["bid"]) == (
        "wrong_share",
        3,
        str(victim.pk),
    )
    assert problem["detail"] == (
        f"La parte entregada por el miembro 3 para la oferta {victim.pk} no es la parte sellada "
        "para ese miembro en la oferta. No se entregó nada; descifre sus partes de nuevo con su "
        "propio archivo de clave."
    )
    assert not ShareHandIn.objects.exists()


def test_a_bid_of_another_tender_is_refused(world: OpeningWorld, buyer: Organization) -> None:
    other = opening_world(buyer)
    shares = world.shares(1)
    shares[0] = other.shares(1)[0]

    with clock.at(world.at):
        response = hand_in(member_session(world, 1), world, shares)

    assert response.status_code == 422
    problem = check(response)
    assert problem["code"] == "unknown_bid"
    assert problem["detail"] == f"There is no sealed bid {shares[0][0].pk} in this tender."


def test_a_share_that_is_not_base64_of_33_bytes_is_refused(world: OpeningWorld) -> None:
    bid = world.offers[0].bid
    with clock.at(world.at):
        response = member_session(world, 1).post(
            f"/api/v1/tenders/{world.tender.ocid}/opening/shares",
            json.dumps({"shares": [{"bid": str(bid.pk), "share": "abc"}]}),
            content_type="application/json",
            headers={"X-CSRFToken": CSRF},
        )

    assert response.status_code == 422
    assert list(check(response)["errors"]) == ["shares.0.share"]


def test_fewer_than_k_members_leave_the_record_unpublished(world: OpeningWorld) -> None:
    with clock.at(world.at):
        hand_in(member_session(world, 2), world, world.shares(2))
        response = Client().get(f"/api/v1/tenders/{world.tender.ocid}/opening")

    assert response.status_code == 404
    assert check(response)["detail"] == (
        "The bids of this tender have not been opened yet; nobody knows who bid."
    )


def test_a_committee_member_without_multi_factor_sign_in_is_refused(
    world: OpeningWorld, settings: Any
) -> None:
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = True

    with clock.at(world.at):
        response = hand_in(member_session(world, 1), world, world.shares(1))

    assert response.status_code == 403
    assert check(response)["code"] == "mfa_required"
    assert not ShareHandIn.objects.exists()


# ---------------------------------------------------------------------------------------------
# GET …/opening


def test_the_record_is_served_exactly_as_logged(world: OpeningWorld) -> None:
    with clock.at(world.at):
        hand_in(member_session(world, 1), world, world.shares(1))
        hand_in(member_session(world, 2), world, world.shares(2))

    response = Client().get(f"/api/v1/tenders/{world.tender.ocid}/opening")

    assert response.status_code == 200
    body = check(response)
    opening = Opening.objects.get(tender=world.tender)
    assert body == opening.record
    assert response["Pregon-Log-Leaf-Index"] == str(opening.leaf_index)
    assert response["Access-Control-Allow-Origin"] == "*"
    leaf = Leaf.objects.get(index=int(response["Pregon-Log-Leaf-Index"]))
    assert bytes(leaf.leaf_hash) == leaf_hash(canonical_bytes(orjson.loads(response.content)))
    names = sorted(entry["tenderer"]["name"] for entry in body["bids"])
    assert names == sorted(made.supplier.display_name for made in world.offers)
