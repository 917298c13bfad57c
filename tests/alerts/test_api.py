"""`/api/v1/subscriptions` and `/api/v1/webhooks`: each caller's own, a person by session and
an organization by its API key (scope alerts:manage)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pregon.accounts.models import User
from pregon.alerts.choices import Event, SubscriptionStatus
from pregon.alerts.models import Subscription, WebhookEndpoint
from pregon.alerts.services import alerts_match, deliveries_send
from pregon.core.actor import Actor
from pregon.organizations.services import api_key_issue
from tests.alerts.conftest import Receiver, hook, signed_in, subscribe
from tests.api.openapi_check import check
from tests.factories import SupplierFactory, UserFactory, member

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Obras viales",
    "codes": [{"scheme": "CPV", "code": "4523"}],
    "keywords": ["pavimentación"],
    "regions": ["Maule"],
    "value_min": "1000",
    "frequency": "daily",
    "language": "es",
}


def key(organization: Any, scopes: list[str]) -> str:
    user = member(organization, "supplier_user")
    _api_key, token = api_key_issue(
        actor=Actor(user=user, organization=organization),
        organization=organization,
        name="Integrador",
        scopes=scopes,
    )
    return token


def csrf_client(user: User) -> tuple[Client, dict[str, str]]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/api/v1/subscriptions")
    client.get("/en/alerts/")
    return client, {"X-CSRFToken": client.cookies["csrftoken"].value}


def test_a_person_creates_reads_changes_and_deletes_their_subscriptions() -> None:
    person = UserFactory()
    client = signed_in(person)
    created = client.post("/api/v1/subscriptions", BODY, content_type="application/json")
    assert created.status_code == 201, created.content
    body = check(created)
    assert (body["status"], body["email"], body["codes"], body["value_min"]) == (
        "active",
        person.email,
        [{"scheme": "CPV", "code": "4523"}],
        "1000.00",
    )
    listed = check(client.get("/api/v1/subscriptions"))
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    url = f"/api/v1/subscriptions/{body['id']}"
    assert client.get(url).json()["name"] == "Obras viales"
    changed = client.put(
        url, {**BODY, "name": "Puentes", "keywords": ["puente"]}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json()["keywords"] == ["puente"]
    refused = client.put(
        url, {**BODY, "codes": [{"scheme": "CPV", "code": "x"}]}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "codes" in check(refused)["errors"]
    assert Subscription.objects.get().keywords == ["puente"]
    assert client.delete(url).status_code == 204
    assert not Subscription.objects.exists()


def test_writes_need_the_csrf_token_with_a_session() -> None:
    person = UserFactory()
    client, headers = csrf_client(person)
    assert (
        client.post("/api/v1/subscriptions", BODY, content_type="application/json").status_code
        == 403
    )
    response = client.post(
        "/api/v1/subscriptions", BODY, content_type="application/json", headers=headers
    )
    assert response.status_code == 201


def test_another_persons_subscription_and_webhook_are_not_found(receiver: Receiver) -> None:
    owner, other = UserFactory(), UserFactory()
    endpoint = hook(owner, receiver, "/api")
    subscription = subscribe(owner, keywords=["hospital"], webhook_id=endpoint.pk)
    client = signed_in(other)
    url = f"/api/v1/subscriptions/{subscription.pk}"
    assert client.get(url).status_code == 404
    assert client.put(url, BODY, content_type="application/json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{endpoint.pk}").status_code == 404
    assert client.get("/api/v1/subscriptions").json() == {"count": 0, "items": []}
    assert client.get("/api/v1/webhooks").json() == {"count": 0, "items": []}
    refused = client.post(
        "/api/v1/subscriptions",
        {**BODY, "webhook_id": endpoint.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert Subscription.objects.get().webhook == endpoint


def test_an_organization_key_manages_the_organizations_alerts(
    receiver: Receiver, publish_document: Any
) -> None:
    supplier = SupplierFactory()
    token = key(supplier, ["alerts:manage"])
    auth = {"Authorization": f"Bearer {token}"}
    client = Client()
    created = client.post(
        "/api/v1/webhooks",
        {"url": receiver.url("/org"), "description": "ERP"},
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201
    webhook = check(created)
    assert webhook["secret"].startswith("whsec_")
    receiver.secrets["/org"] = webhook["secret"]
    assert WebhookEndpoint.objects.get().organization == supplier
    body = {**BODY, "frequency": "none", "webhook_id": webhook["id"], "value_min": None}
    response = client.post(
        "/api/v1/subscriptions", body, content_type="application/json", headers=auth
    )
    assert response.status_code == 201
    assert response.json()["status"] == "active"
    # With an e-mail address, it waits for the address to be confirmed.
    pending = client.post(
        "/api/v1/subscriptions",
        {**body, "name": "Con correo", "frequency": "immediate", "email": "compras@example.org"},
        content_type="application/json",
        headers=auth,
    )
    assert pending.json()["status"] == SubscriptionStatus.PENDING
    publish_document(
        ocid="ocds-api",
        title="Pavimentación de la ruta 5",
        region="Maule",
        items=[("Asfalto", "CPV", "45233000")],
    )
    alerts_match(ocid="ocds-api", release_id="ocds-api-tender-1", event=Event.PUBLISHED)
    assert deliveries_send().sent == 1
    [received] = receiver.received
    assert received.signed
    log = check(client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=auth))
    assert log["count"] == 1
    [entry] = log["items"]
    assert (entry["status"], entry["id"], entry["tries"][0]["status_code"]) == (
        "sent",
        received.headers["X-Pregon-Delivery"],
        204,
    )
    # A member of the organization signed in sees their own alerts, not the organization's.
    person = member(supplier, "supplier_user")
    assert signed_in(person).get("/api/v1/subscriptions").json()["count"] == 0
    rotated = client.post(
        f"/api/v1/webhooks/{webhook['id']}/actions/rotate-secret", headers=auth
    ).json()
    assert rotated["secret"] != webhook["secret"]
    assert client.delete(f"/api/v1/webhooks/{webhook['id']}", headers=auth).status_code == 422


def test_a_key_without_the_scope_and_nobody_are_refused() -> None:
    supplier = SupplierFactory()
    token = key(supplier, ["questions:ask"])
    client = Client()
    response = client.get("/api/v1/subscriptions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert check(response)["code"] == "insufficient_scope"
    anonymous = client.get("/api/v1/subscriptions")
    assert anonymous.status_code == 401
    check(anonymous)
    assert (
        client.post("/api/v1/subscriptions", BODY, content_type="application/json").status_code
        == 401
    )
    assert not Subscription.objects.exists()
