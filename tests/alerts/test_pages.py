"""The alerts' pages: subscribing with or without an account, the e-mails' signed links (no
sign-in needed, never acting on a GET), and nobody reaching another's subscriptions or log."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from pregon.alerts import tasks
from pregon.alerts.choices import Event, Frequency, SubscriptionStatus
from pregon.alerts.models import Delivery, Subscription, TenderFollow, WebhookEndpoint
from pregon.alerts.services import alerts_match, deliveries_send
from pregon.alerts.tokens import unsubscribe_token
from pregon.core.models import AuditEvent
from tests.alerts.conftest import Inbox, Receiver, hook, signed_in, subscribe
from tests.factories import SupplierFactory, TenderOpenFactory, UserFactory, member

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+")


def links(message: Any) -> list[str]:
    return LINK.findall(message.get_content())


def form(**values: Any) -> dict[str, Any]:
    data = {
        "name": "Hospitales",
        "keywords": "hospital",
        "frequency": "immediate",
        "language": "es",
    }
    data.update(values)
    return data


def test_anyone_subscribes_by_e_mail_and_hears_nothing_until_confirmed(
    smtp_server: Inbox, publish_document: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("alerts:create"), form(email="Pyme@Example.org", keywords="hospital\nclínica")
        )
    assert response.status_code == 200
    assert "pyme@example.org" in response.content.decode()
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.email, subscription.user) == (
        SubscriptionStatus.PENDING,
        "pyme@example.org",
        None,
    )
    assert subscription.keywords == ["hospital", "clínica"]
    # The confirmation task, as the worker runs it: the only message an unconfirmed address gets.
    assert tasks.send_confirmation.call(subscription.pk) is True
    [confirmation] = smtp_server.messages
    assert confirmation["To"] == "pyme@example.org"
    assert "List-Unsubscribe" not in confirmation
    publish_document(ocid="ocds-c1", title="Hospital de Talca")
    alerts_match(ocid="ocds-c1", release_id="ocds-c1-tender-1", event=Event.PUBLISHED)
    deliveries_send()
    assert len(smtp_server.messages) == 1
    [confirm_url] = links(confirmation)
    # Opening the link shows a button; only pressing it confirms.
    assert client.get(confirm_url).status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING
    page = client.post(confirm_url)
    assert page.status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE
    assert tasks.send_confirmation.call(subscription.pk) is False
    publish_document(ocid="ocds-c2", title="Clínica de Curicó")
    alerts_match(ocid="ocds-c2", release_id="ocds-c2-tender-1", event=Event.PUBLISHED)
    deliveries_send()
    assert len(smtp_server.messages) == 2
    assert "Clínica de Curicó" in str(smtp_server.messages[-1]["Subject"])
    assert set(
        AuditEvent.objects.filter(object_type="alerts.subscription").values_list(
            "action", flat=True
        )
    ) == {"subscription.create", "subscription.confirm"}


def test_a_bad_confirmation_link_changes_nothing(client: Client) -> None:
    subscription = subscribe(email="x@example.org", keywords=["hospital"])
    response = client.post(reverse("alerts:confirm", kwargs={"token": "nope:nope"}))
    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PENDING


def test_the_one_click_unsubscribe_needs_no_sign_in_and_no_csrf_token(
    smtp_server: Inbox, publish_document: Any
) -> None:
    person = UserFactory()
    subscription = subscribe(person, keywords=["hospital"])
    publish_document(ocid="ocds-u", title="Hospital de Talca")
    alerts_match(ocid="ocds-u", release_id="ocds-u-tender-1", event=Event.PUBLISHED)
    deliveries_send()
    [message] = smtp_server.messages
    url = str(message["List-Unsubscribe"]).strip("<>")
    assert url in links(message)
    client = Client(enforce_csrf_checks=True)
    # A mail scanner opening the link unsubscribes nobody.
    assert client.get(url).status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE
    # The mail client's own POST (RFC 8058), without a session or a CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED
    assert client.post(url).status_code == 200  # a second click says it is done
    publish_document(ocid="ocds-u2", title="Hospital de Linares")
    alerts_match(ocid="ocds-u2", release_id="ocds-u2-tender-1", event=Event.PUBLISHED)
    assert not Delivery.objects.filter(ocid="ocds-u2").exists()
    tampered = url.replace(
        unsubscribe_token(subscription_id=subscription.pk), f"{subscription.pk}:x"
    )
    assert client.post(tampered).status_code == 404


def test_a_person_manages_their_own_subscriptions(client: Client) -> None:
    person = UserFactory()
    browser = signed_in(person)
    response = browser.post(
        reverse("alerts:create"), form(codes="45000000\nUNSPSC 43", regions="Maule")
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.user, subscription.email, subscription.status) == (
        person,
        person.email,
        SubscriptionStatus.ACTIVE,
    )
    assert subscription.codes == [
        {"scheme": "CPV", "code": "45000000"},
        {"scheme": "UNSPSC", "code": "43"},
    ]
    page = browser.get(reverse("alerts:list"))
    assert "Hospitales" in page.content.decode()
    response = browser.post(
        reverse("alerts:edit", args=[subscription.pk]), form(name="Obras", frequency="daily")
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.name, subscription.frequency, subscription.codes) == ("Obras", "daily", [])
    # Bad input: a translated message on the field, nothing changed.
    response = browser.post(reverse("alerts:edit", args=[subscription.pk]), form(codes="99"))
    assert response.status_code == 422
    assert "99" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.codes == []
    assert browser.post(reverse("alerts:delete", args=[subscription.pk])).status_code == 302
    assert not Subscription.objects.exists()


def test_nobody_reads_or_changes_another_persons_subscriptions_or_webhooks(
    receiver: Receiver,
) -> None:
    owner, other = UserFactory(), UserFactory()
    endpoint = hook(owner, receiver, "/mine")
    subscription = subscribe(owner, keywords=["hospital"], webhook_id=endpoint.pk)
    browser = signed_in(other)
    for name in ("alerts:edit", "alerts:delete"):
        assert browser.get(reverse(name, args=[subscription.pk])).status_code == 404
        assert browser.post(reverse(name, args=[subscription.pk]), form()).status_code == 404
    for name in ("alerts:webhook", "alerts:webhook_delete"):
        assert browser.get(reverse(name, args=[endpoint.pk])).status_code == 404
    assert browser.post(reverse("alerts:webhook_rotate", args=[endpoint.pk])).status_code == 404
    page = browser.get(reverse("alerts:list")).content.decode()
    assert "hospital" not in page and endpoint.url not in page
    # Nor chooses another's webhook for their own subscription.
    response = browser.post(reverse("alerts:create"), form(webhook=str(endpoint.pk)))
    assert response.status_code == 422
    assert Subscription.objects.filter(user=other).count() == 0
    # Signed out, the pages ask to sign in.
    anonymous = Client().get(reverse("alerts:edit", args=[subscription.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    subscription.refresh_from_db()
    assert subscription.webhook == endpoint


def test_webhook_pages_show_the_secret_once_and_the_delivery_log(
    receiver: Receiver, publish_document: Any
) -> None:
    person = UserFactory()
    browser = signed_in(person)
    response = browser.post(reverse("alerts:webhooks"), {"url": receiver.url("/log")})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    receiver.secrets["/log"] = endpoint.secret
    subscribe(person, keywords=["hospital"], webhook_id=endpoint.pk, frequency=Frequency.NONE)
    receiver.fail["/log"] = 502
    publish_document(ocid="ocds-l", title="Hospital de Talca")
    alerts_match(ocid="ocds-l", release_id="ocds-l-tender-1", event=Event.PUBLISHED)
    deliveries_send()
    page = browser.get(reverse("alerts:webhook", args=[endpoint.pk]))
    text = page.content.decode()
    assert endpoint.secret not in text
    assert "502" in text and "ocds-l-tender-1" in text
    # Refused while a subscription uses it.
    response = browser.post(reverse("alerts:webhook_delete", args=[endpoint.pk]))
    assert response.status_code == 302
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    rotated = browser.post(reverse("alerts:webhook_rotate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret in rotated.content.decode()


def test_a_supplier_follows_a_tender_from_its_page(client: Client) -> None:
    supplier = SupplierFactory()
    person = member(supplier, "supplier_user")
    tender = TenderOpenFactory()
    browser = signed_in(person)
    page = browser.get(tender.get_absolute_url()).content.decode()
    assert reverse("alerts:follow", args=[tender.pk]) in page
    assert browser.post(reverse("alerts:follow", args=[tender.pk])).status_code == 302
    assert TenderFollow.objects.filter(user=person, tender=tender, active=True).exists()
    page = browser.get(tender.get_absolute_url()).content.decode()
    assert reverse("alerts:unfollow", args=[tender.pk]) in page
    assert tender.reference in browser.get(reverse("alerts:list")).content.decode()
    # A visitor is asked to sign in.
    assert reverse("account_login") in client.get(tender.get_absolute_url()).content.decode()


def test_a_new_supplier_is_offered_the_subscription_its_profile_proposes() -> None:
    supplier = SupplierFactory(region="Región del Maule")
    person = member(supplier, "supplier_user", language="es")
    browser = signed_in(person)
    home = browser.get(reverse("supplier:home")).content.decode()
    assert reverse("alerts:create") + "?from=profile" in home
    page = browser.get(reverse("alerts:create") + "?from=profile")
    initial = page.context["form"].initial
    assert (initial["regions"], initial["frequency"], initial["language"]) == (
        "Región del Maule",
        "daily",
        "es",
    )
    assert str(supplier) in initial["name"]


def test_the_search_list_links_its_feed_and_alerts(client: Client) -> None:
    page = client.get(reverse("tenders:list") + "?q=hospital").content.decode()
    assert 'type="application/atom+xml"' in page
    assert reverse("tenders:feed") + "?q=hospital" in page
    assert reverse("alerts:create") + "?q=hospital" in page
    initial = client.get(reverse("alerts:create") + "?q=hospital").context["form"].initial
    assert initial["keywords"] == "hospital"
    assert client.get(reverse("tenders:feed") + "?method=nope").status_code == 400


def test_anonymous_subscriptions_are_rate_limited(settings: Any) -> None:
    settings.PREGON_ALERTS_SUBSCRIBE_RATE = "2/h"
    client = Client()
    for number in range(2):
        response = client.post(reverse("alerts:create"), form(email=f"a{number}@example.org"))
        assert response.status_code == 200
    response = client.post(reverse("alerts:create"), form(email="a3@example.org"))
    assert response.status_code == 429
    assert Subscription.objects.count() == 2
    assert not mail.outbox


@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [
        ("es", "Nueva licitación: Hospital de Talca", "Darse de baja con un clic:"),
        ("pt-br", "Nova licitação: Hospital de Talca", "Cancelar com um clique:"),
        (
            "fr",
            "Nouvel appel d\u2019offres\u00a0: Hospital de Talca",
            "Se désabonner en un clic\u00a0:",
        ),
    ],
)
def test_the_e_mails_are_in_the_subscribers_language(
    smtp_server: Inbox,
    fresh_catalogs: None,
    publish_document: Any,
    language: str,
    subject: str,
    line: str,
) -> None:
    subscribe(UserFactory(), keywords=["hospital"], language=language)
    publish_document(ocid="ocds-lang", title="Hospital de Talca")
    alerts_match(ocid="ocds-lang", release_id="ocds-lang-tender-1", event=Event.PUBLISHED)
    deliveries_send()
    [message] = smtp_server.messages
    assert str(message["Subject"]).endswith(subject)
    assert line in message.get_content()
    assert f"/{language}/alerts/unsubscribe/" in str(message["List-Unsubscribe"])
