"""Authentication and scopes: organization API keys (per-endpoint scopes, revocation),
signed-in sessions with CSRF, and the write rate limit per key."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from pregon.accounts.models import Membership
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.models import AuditEvent
from pregon.organizations.models import ApiKey
from pregon.organizations.services import api_key_revoke
from pregon.tenders import services
from pregon.tenders.models import Question, Tender
from tests import factories
from tests.api.conftest import bearer
from tests.api.openapi_check import check
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

CSRF = "k" * 32
_TOMORROW = "2030-01-01T00:00:00+00:00"


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """The domain tables, minus the key's last use (every authenticated request updates it)."""
    snapshot = database_snapshot()
    for row in snapshot["organizations.ApiKey"]:
        row.pop("last_used_at")
    return snapshot


def _draft_body() -> dict[str, Any]:
    now = clock.now().replace(microsecond=0)
    return {
        "reference": "SCOPE-1",
        "title": "Resmas de papel",
        "description": "Papel tamaño carta.",
        "method": "rfq",
        "category": "goods",
        "estimated_value": "100000",
        "currency": "CLP",
        "enquiry_end": (now + dt.timedelta(days=5)).isoformat(),
        "submission_deadline": (now + dt.timedelta(days=10)).isoformat(),
        "opening_at": (now + dt.timedelta(days=10)).isoformat(),
    }


@pytest.fixture
def world(buyer: Any, supplier_actor: Actor) -> dict[str, Any]:
    draft = factories.TenderDraftFactory(buyer=buyer)
    open_tender = factories.TenderOpenFactory(buyer=buyer)
    question = services.question_ask(actor=supplier_actor, tender=open_tender, text="¿Plazo?")
    return {"draft": draft, "open": open_tender, "question": question}


# (method, url, json body, scope, status when allowed)
ENDPOINTS: list[tuple[str, str, Any, str, int]] = [
    ("get", "/api/v1/buyer/tenders", None, "tenders:read", 200),
    ("get", "/api/v1/buyer/tenders/{draft}", None, "tenders:read", 200),
    ("post", "/api/v1/tenders", _draft_body, "tenders:write", 201),
    ("patch", "/api/v1/tenders/{draft}", {"title": "Nuevo título"}, "tenders:write", 200),
    ("post", "/api/v1/tenders/{draft}/actions/publish/", {}, "tenders:write", 200),
    ("post", "/api/v1/tenders/{draft}/actions/cancel/", {"reason": "Error"}, "tenders:write", 200),
    (
        "post",
        "/api/v1/tenders/{open}/actions/amend/",
        {"reason": "Plazo", "submission_deadline": _TOMORROW, "opening_at": _TOMORROW},
        "tenders:write",
        201,
    ),
    (
        "post",
        "/api/v1/questions/{question}/actions/answer/",
        {"answer": "30 días"},
        "questions:answer",
        200,
    ),
    ("post", "/api/v1/tenders/{open}/questions", {"text": "¿Garantía?"}, "questions:ask", 201),
]
ALL_SCOPES = ["questions:answer", "questions:ask", "tenders:read", "tenders:write"]


def _call(client: Client, method: str, url: str, body: Any, token: str) -> Any:
    if callable(body):
        body = body()
    if body is None:
        return getattr(client, method)(url, headers=bearer(token))
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=bearer(token)
    )


def _url(template: str, world: dict[str, Any]) -> str:
    return template.format(**{name: obj.pk for name, obj in world.items()})


@pytest.mark.parametrize(("method", "template", "body", "scope", "status"), ENDPOINTS)
def test_a_key_without_the_scope_is_refused_and_nothing_changes(
    client: Client,
    world: dict[str, Any],
    buyer: Any,
    supplier: Any,
    issue_key: Callable[..., str],
    method: str,
    template: str,
    body: Any,
    scope: str,
    status: int,
) -> None:
    organization = supplier if scope == "questions:ask" else buyer
    token = issue_key(organization, [s for s in ALL_SCOPES if s != scope])
    before = _snapshot()

    response = _call(client, method, _url(template, world), body, token)

    assert response.status_code == 403
    problem = check(response)
    assert problem["code"] == "insufficient_scope"
    assert problem["detail"] == f"This API key does not have the scope {scope} needed here."
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "template", "body", "scope", "status"), ENDPOINTS)
def test_a_key_with_the_scope_is_allowed(
    client: Client,
    world: dict[str, Any],
    buyer: Any,
    supplier: Any,
    issue_key: Callable[..., str],
    method: str,
    template: str,
    body: Any,
    scope: str,
    status: int,
) -> None:
    organization = supplier if scope == "questions:ask" else buyer
    token = issue_key(organization, [scope])

    response = _call(client, method, _url(template, world), body, token)

    assert response.status_code == status, response.content
    check(response)


def test_no_credentials_is_401(client: Client, draft: Any) -> None:
    before = _snapshot()
    for response in (
        client.get("/api/v1/buyer/tenders"),
        client.post(f"/api/v1/tenders/{draft.pk}/actions/publish/"),
        client.post("/api/v1/tenders", {}, headers={"Authorization": "Basic dXNlcjpwYXNz"}),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="pregon"'
        problem = check(response)
        assert problem["code"] == "not_authenticated"
        assert problem["detail"] == (
            "Send a valid organization API key as 'Authorization: Bearer <key>'."
        )
    assert _snapshot() == before


def test_revoked_expired_and_wrong_keys_are_401(
    client: Client, buyer: Any, official_actor: Actor, buyer_token: str, draft: Any
) -> None:
    key = ApiKey.objects.get(organization=buyer)
    url = f"/api/v1/tenders/{draft.pk}/actions/publish/"
    prefix, secret = buyer_token.split("_")[1], buyer_token.split("_", 2)[2]
    cases = {
        "pk_nonsense": "The API key is malformed.",
        f"pk_{prefix}_{secret}x": "The API key is not valid.",
        f"pk_000000000000_{secret}": "The API key is not valid.",
        # The whole token is checked, its marker too (issue 9, item 8).
        f"xx_{prefix}_{secret}": "The API key is malformed.",
        f"pkx_{prefix}_{secret}": "The API key is malformed.",
        f"PK_{prefix}_{secret}": "The API key is malformed.",
    }
    for token, detail in cases.items():
        response = client.post(url, headers=bearer(token))
        assert response.status_code == 401, token
        assert check(response)["detail"] == detail

    ApiKey.objects.filter(pk=key.pk).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    expired = client.post(url, headers=bearer(buyer_token))
    assert expired.status_code == 401
    assert check(expired)["detail"] == "The API key was revoked or has expired."

    ApiKey.objects.filter(pk=key.pk).update(expires_at=None)
    api_key_revoke(actor=official_actor, key=key)
    before = _snapshot()
    revoked = client.post(url, headers=bearer(buyer_token))
    assert revoked.status_code == 401
    assert check(revoked)["detail"] == "The API key was revoked or has expired."
    assert _snapshot() == before
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_revoked_key_cannot_even_read(
    client: Client, official_actor: Actor, buyer: Any, buyer_token: str
) -> None:
    assert client.get("/api/v1/buyer/tenders", headers=bearer(buyer_token)).status_code == 200
    api_key_revoke(actor=official_actor, key=ApiKey.objects.get(organization=buyer))
    assert client.get("/api/v1/buyer/tenders", headers=bearer(buyer_token)).status_code == 401


# ---------------------------------------------------------------------------------------------
# signed-in sessions


def _session(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    return client


def test_session_acts_for_the_persons_organization_with_csrf(official: Any, buyer: Any) -> None:
    client = _session(official)

    without_token = client.post(
        "/api/v1/tenders", json.dumps(_draft_body()), content_type="application/json"
    )
    assert without_token.status_code == 403
    assert check(without_token)["code"] == "csrf_failed"
    assert not Tender.objects.exists()

    response = client.post(
        "/api/v1/tenders",
        json.dumps(_draft_body()),
        content_type="application/json",
        headers={"X-CSRFToken": CSRF},
    )

    assert response.status_code == 201
    tender = Tender.objects.get()
    assert (tender.buyer, tender.created_by) == (buyer, official)
    event = AuditEvent.objects.get(action="tender.create")
    assert (event.channel, event.actor, event.organization) == ("api", official, buyer)
    # Reads need no CSRF token.
    listing = client.get("/api/v1/buyer/tenders")
    assert check(listing)["count"] == 1


def test_session_roles_are_checked_by_the_services(supplier_user: Any, open_tender: Any) -> None:
    client = _session(supplier_user)
    headers = {"X-CSRFToken": CSRF}

    refused = client.post(
        f"/api/v1/tenders/{open_tender.pk}/actions/cancel/",
        json.dumps({"reason": "No"}),
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 404  # not the supplier's tender

    asked = client.post(
        f"/api/v1/tenders/{open_tender.pk}/questions",
        json.dumps({"text": "¿Incluye instalación?"}),
        content_type="application/json",
        headers=headers,
    )
    assert asked.status_code == 201
    question = Question.objects.get()
    assert question.asked_by == supplier_user
    # A supplier's session does not list buyer tenders.
    assert check(client.get("/api/v1/buyer/tenders"))["code"] == "permission_denied"


def test_person_in_several_organizations_names_one(
    official: Any, buyer: Any, other_buyer: Any
) -> None:
    Membership.objects.create(user=official, organization=other_buyer, role="buyer_official")
    client = _session(official)
    body = json.dumps(_draft_body())

    ambiguous = client.post(
        "/api/v1/tenders", body, content_type="application/json", headers={"X-CSRFToken": CSRF}
    )
    assert ambiguous.status_code == 403
    assert check(ambiguous)["code"] == "organization_ambiguous"

    stranger = factories.BuyerFactory()
    not_member = client.post(
        "/api/v1/tenders",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": CSRF, "X-Pregon-Organization": str(stranger.pk)},
    )
    assert not_member.status_code == 403
    assert check(not_member)["code"] == "not_a_member"
    assert not Tender.objects.exists()

    chosen = client.post(
        "/api/v1/tenders",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": CSRF, "X-Pregon-Organization": str(other_buyer.pk)},
    )
    assert chosen.status_code == 201
    assert Tender.objects.get().buyer == other_buyer


def test_officials_without_mfa_cannot_act_by_session_where_required(
    settings: Any, official: Any, buyer_token: str
) -> None:
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = True
    response = _session(official).get("/api/v1/buyer/tenders")
    assert response.status_code == 403
    assert check(response)["code"] == "mfa_required"
    # An organization's API key is not a person signing in.
    assert Client().get("/api/v1/buyer/tenders", headers=bearer(buyer_token)).status_code == 200


# ---------------------------------------------------------------------------------------------
# rate limits


def test_writes_are_rate_limited_per_key(
    settings: Any, client: Client, buyer: Any, issue_key: Callable[..., str]
) -> None:
    settings.PREGON_API_WRITE_RATE = "2/m"
    first = issue_key(buyer, ["tenders:read", "tenders:write"])
    second = issue_key(buyer, ["tenders:write"])

    statuses = [
        client.post(
            "/api/v1/tenders", "{}", content_type="application/json", headers=bearer(first)
        ).status_code
        for _ in range(3)
    ]

    assert statuses == [422, 422, 429]
    limited = client.post(
        "/api/v1/tenders", "{}", content_type="application/json", headers=bearer(first)
    )
    problem = check(limited)
    assert problem["code"] == "rate_limited"
    assert 0 < int(limited["Retry-After"]) <= 60
    # Another key has its own budget, and reads are not counted.
    other = client.post(
        "/api/v1/tenders", "{}", content_type="application/json", headers=bearer(second)
    )
    assert other.status_code == 422
    assert client.get("/api/v1/buyer/tenders", headers=bearer(first)).status_code == 200


def test_questions_are_rate_limited_per_organization(
    settings: Any,
    client: Client,
    supplier: Any,
    open_tender: Any,
    issue_key: Callable[..., str],
) -> None:
    settings.PREGON_QUESTION_RATE = "1/h"
    first, second = issue_key(supplier, ["questions:ask"]), issue_key(supplier, ["questions:ask"])
    url = f"/api/v1/tenders/{open_tender.pk}/questions"

    asked = client.post(
        url, json.dumps({"text": "¿Uno?"}), content_type="application/json", headers=bearer(first)
    )
    again = client.post(
        url, json.dumps({"text": "¿Dos?"}), content_type="application/json", headers=bearer(second)
    )

    assert (asked.status_code, again.status_code) == (201, 429)
    assert list(Question.objects.values_list("text", flat=True)) == ["¿Uno?"]
