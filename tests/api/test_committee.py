"""The opening committee through the JSON API: a member registers their key (signed in, never
with an API key), a buyer names a draft's committee, anyone reads a published tender's.

Every answer is checked against the committed OpenAPI document; every refusal leaves every
row as it was."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pregon.accounts.models import Membership
from pregon.core import clock
from pregon.core.models import AuditEvent
from pregon.tenders.models import CommitteeKey
from tests import factories
from tests.api.conftest import bearer
from tests.api.openapi_check import check
from tests.conftest import database_snapshot as every_row

pytestmark = pytest.mark.django_db

CSRF = "c" * 32


def database_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row, but when an API key was last used (each request sets it)."""
    rows = every_row()
    for key in rows["organizations.ApiKey"]:
        key.pop("last_used_at")
    return rows


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def session(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    return client


def post_key(client: Client, body: Any, **headers: str) -> Any:
    return client.post(
        "/api/v1/committee-keys",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": CSRF, **headers},
    )


def put_committee(client: Client, ocid: str, body: Any, token: str | None = None) -> Any:
    headers = bearer(token) if token else {"X-CSRFToken": CSRF}
    return client.put(
        f"/api/v1/tenders/{ocid}/committee",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


# ---------------------------------------------------------------------------------------------
# POST /committee-keys


def test_a_member_registers_a_key_with_their_session(buyer: Any) -> None:
    person = factories.member(buyer, "committee_member")
    public = factories.key_pair()[1]

    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        response = post_key(session(person), {"public_key": b64(public)})

    assert response.status_code == 201
    body = check(response)
    key = CommitteeKey.objects.get()
    assert body == {
        "id": key.pk,
        "organization": buyer.pk,
        "public_key": b64(public),
        "fingerprint": hashlib.sha256(public).hexdigest(),
        "created_at": moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
    }
    assert (key.user, key.organization, bytes(key.public_key)) == (person, buyer, public)
    event = AuditEvent.objects.get(action="committee_key.register")
    assert (event.actor, event.organization, event.channel) == (person, buyer, "api")


def test_a_member_of_two_buyers_names_the_one_they_act_for(buyer: Any, other_buyer: Any) -> None:
    person = factories.member(buyer, "committee_member")
    Membership.objects.create(user=person, organization=other_buyer, role="committee_member")
    client = session(person)
    ambiguous = post_key(client, {"public_key": b64(factories.key_pair()[1])})
    assert ambiguous.status_code == 403
    assert check(ambiguous)["code"] == "organization_ambiguous"
    response = post_key(
        client,
        {"public_key": b64(factories.key_pair()[1])},
        **{"X-Pregon-Organization": str(other_buyer.pk)},
    )
    assert response.status_code == 201
    assert check(response)["organization"] == other_buyer.pk


def test_registering_a_key_is_refused(
    buyer: Any, issue_key: Callable[..., str], client: Client
) -> None:
    person = factories.member(buyer, "committee_member")
    official = factories.member(buyer, "buyer_official")
    token = issue_key(buyer, ["questions:answer", "tenders:read", "tenders:write"])
    taken = factories.committee_key(buyer)[0]
    valid = b64(factories.key_pair()[1])
    cases = [
        # Nobody signed in; an API key does not count as a person.
        (client, {"public_key": valid}, {}, 401, "not_authenticated"),
        (client, {"public_key": valid}, bearer(token), 401, "not_authenticated"),
        (session(official), {"public_key": valid}, {}, 403, "permission_denied"),
        (session(person), {"public_key": "not a key"}, {}, 422, "invalid_public_key"),
        (session(person), {"public_key": b64(bytes(32))}, {}, 422, "invalid_public_key"),
        (
            session(person),
            {"public_key": b64(bytes(taken.public_key))},
            {},
            422,
            "key_already_registered",
        ),
        (session(person), {"key": valid}, {}, 422, "validation_failed"),
    ]
    for who, body, headers, status, code in cases:
        before = database_snapshot()
        response = post_key(who, body, **headers)
        assert response.status_code == status, (body, response.content)
        problem = check(response)
        assert problem["code"] == code, body
        assert database_snapshot() == before
    # Without the CSRF token, a session's write is refused too.
    response = session(person).post(
        "/api/v1/committee-keys", json.dumps({"public_key": valid}), content_type="application/json"
    )
    assert (response.status_code, check(response)["code"]) == (403, "csrf_failed")
    problem = check(post_key(session(person), {"public_key": "not a key"}))
    assert list(problem["errors"]) == ["public_key"]
    anonymous = check(post_key(client, {"public_key": valid}))
    assert "never with an organization API key" in anonymous["detail"]


# ---------------------------------------------------------------------------------------------
# PUT /tenders/{ocid}/committee


def test_a_buyer_names_a_drafts_committee_with_its_api_key(
    buyer: Any, buyer_token: str, client: Client
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, committee=False)
    keys = [factories.committee_key(buyer)[0] for _ in range(3)]

    response = put_committee(
        client, draft.ocid, {"members": [k.user_id for k in keys], "threshold": 2}, buyer_token
    )

    assert response.status_code == 200
    assert check(response) == {
        "threshold": 2,
        "members": [
            {
                "position": position,
                "public_key": b64(bytes(key.public_key)),
                "fingerprint": key.fingerprint,
                "user": key.user_id,
                "name": str(key.user),
            }
            for position, key in enumerate(keys, start=1)
        ],
    }
    draft.refresh_from_db()
    assert draft.opening_threshold == 2
    event = AuditEvent.objects.get(action="tender.committee")
    assert (event.actor, event.organization, event.channel) == (None, buyer, "api")


def test_a_buyer_official_names_it_signed_in(buyer: Any, official: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, committee=False)
    key = factories.committee_key(buyer)[0]
    response = put_committee(
        session(official), draft.ocid, {"members": [key.user_id], "threshold": 1}
    )
    assert response.status_code == 200
    assert check(response)["members"][0]["fingerprint"] == key.fingerprint


def test_naming_a_committee_is_refused(
    buyer: Any,
    other_buyer: Any,
    buyer_token: str,
    issue_key: Callable[..., str],
    client: Client,
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    published = factories.TenderOpenFactory(buyer=buyer)
    members = list(draft.committee.values_list("user_id", flat=True))
    other_token = issue_key(other_buyer, ["tenders:write"])
    read_token = issue_key(buyer, ["tenders:read"])
    without_key = factories.member(buyer, "committee_member")
    cases = [
        (draft.ocid, {"members": members, "threshold": 2}, None, 401, "not_authenticated"),
        (draft.ocid, {"members": members, "threshold": 2}, read_token, 403, "insufficient_scope"),
        (draft.ocid, {"members": members, "threshold": 2}, other_token, 404, "not_found"),
        (
            "ocds-pregon-nothing",
            {"members": members, "threshold": 2},
            buyer_token,
            404,
            "not_found",
        ),
        (published.ocid, {"members": members, "threshold": 1}, buyer_token, 409, "cannot_edit"),
        (draft.ocid, {"members": members, "threshold": 4}, buyer_token, 422, "validation_failed"),
        (draft.ocid, {"members": [], "threshold": 1}, buyer_token, 422, "validation_failed"),
        (
            draft.ocid,
            {"members": [without_key.pk], "threshold": 1},
            buyer_token,
            422,
            "no_opening_key",
        ),
        (draft.ocid, {"threshold": 1}, buyer_token, 422, "validation_failed"),
    ]
    for ocid, body, token, status, code in cases:
        before = database_snapshot()
        response = (
            put_committee(client, ocid, body, token)
            if token
            else client.put(
                f"/api/v1/tenders/{ocid}/committee",
                json.dumps(body),
                content_type="application/json",
            )
        )
        assert response.status_code == status, (ocid, body, response.content)
        assert check(response)["code"] == code, (ocid, body)
        assert database_snapshot() == before


# ---------------------------------------------------------------------------------------------
# GET /tenders/{ocid}/committee


def test_anyone_reads_a_published_tenders_committee(client: Client, buyer: Any) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer)
    members = list(tender.committee.order_by("position"))

    response = client.get(f"/api/v1/tenders/{tender.ocid}/committee")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert check(response) == {
        "threshold": 2,
        "members": [
            {
                "position": member.position,
                "public_key": b64(bytes(member.public_key)),
                "fingerprint": member.fingerprint,
            }
            for member in members
        ],
    }


def test_a_drafts_committee_is_not_public(client: Client, buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    legacy = factories.TenderOpenFactory(buyer=buyer)
    # A tender published before committees existed has none to show.
    legacy.committee.all().delete()
    for ocid in (draft.ocid, legacy.ocid, "ocds-pregon-none"):
        response = client.get(f"/api/v1/tenders/{ocid}/committee")
        assert response.status_code == 404, ocid
        assert check(response)["code"] == "not_found"
