"""From publication to the receivers: a published tender reaches each matching subscription
exactly once by e-mail (a real SMTP server), by its signed webhook (a real HTTP server) and in
its feed, and nobody else; also when a task runs twice or a worker dies mid-delivery."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pregon.accounts.models import Membership
from pregon.alerts.choices import Channel, DeliveryStatus, Event, Frequency
from pregon.alerts.models import Delivery, DeliveryAttempt
from pregon.alerts.owners import Owner
from pregon.alerts.services import (
    alerts_match,
    deliveries_send,
    digests_send,
    webhook_create,
)
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.search.services import saved_search_create
from pregon.tenders import services as tender_services
from pregon.tenders.services import AmendmentData
from tests.alerts.conftest import DyingBackend, Inbox, Receiver, hook, run_worker, subscribe
from tests.factories import TenderOpenFactory, UserFactory, actor_for

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(client: Client, query: str) -> list[ET.Element]:
    response = client.get(reverse("tenders:feed") + "?" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # What RFC 4287 requires of a feed: id, title, updated, an author; a self link.
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link"))
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated", "link", "summary", "author"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    return entries


def recipients(inbox: Inbox) -> list[str]:
    return sorted(address for group in inbox.recipients for address in group)


@pytest.mark.django_db(transaction=True)
def test_a_published_tender_reaches_each_matching_subscription_once_on_each_channel(
    smtp_server: Inbox, receiver: Receiver, restore_signals: None
) -> None:
    ana, beto, carla = UserFactory(), UserFactory(), UserFactory()
    by_code = subscribe(ana, codes=[("CPV", "30")], webhook_id=hook(ana, receiver, "/a").pk)
    by_word = subscribe(beto, keywords=["computador"], webhook_id=hook(beto, receiver, "/b").pk)
    subscribe(carla, keywords=["ambulancias"], webhook_id=hook(carla, receiver, "/c").pk)
    saved_search_create(owner=ana, name="Computadores", query="q=computadores")
    saved_search_create(owner=ana, name="Ambulancias", query="q=ambulancias")

    tender = TenderOpenFactory(title="Compra de computadores para escuelas")
    run_worker()

    assert recipients(smtp_server) == sorted([ana.email, beto.email])
    for message in smtp_server.messages:
        assert "Compra de computadores para escuelas" in str(message["Subject"])
        assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
        assert str(message["List-Unsubscribe"]).startswith("<http://")
        assert tender.get_absolute_url() in message.get_content()
    ids = {d.public_id for d in Delivery.objects.filter(channel=Channel.EMAIL)}
    assert {str(m["Message-ID"]).strip("<>").split("@")[0] for m in smtp_server.messages} == ids
    assert [len(receiver.at(path)) for path in ("/a", "/b", "/c")] == [1, 1, 0]
    for received in receiver.received:
        assert received.signed
        assert received.headers["X-Pregon-Event"] == "tender.published"
        assert received.json["process"]["ocid"] == tender.ocid
        assert received.json["event"] == "tender.published"
    assert {r.json["subscription"]["id"] for r in receiver.received} == {by_code.pk, by_word.pk}
    client = Client()
    [entry] = feed_entries(client, "q=computadores")
    assert entry.find(f"{ATOM}id").text.endswith(f"/api/ocds/records/{tender.ocid}")  # type: ignore[union-attr]
    assert feed_entries(client, "q=ambulancias") == []

    # The worker again, and once more every periodic command: nothing is sent twice.
    run_worker()
    deliveries_send()
    assert len(smtp_server.messages) == 2
    assert len(receiver.received) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}

    # An amendment: one more notice each, marked as such, and still one feed entry.
    tender_services.tender_amend(
        actor=actor_for(
            Membership.objects.get(organization=tender.buyer, role="buyer_official").user,
            tender.buyer,
        ),
        tender=tender,
        data=AmendmentData(
            reason="Se corrige el título.", title="Compra de computadores portátiles"
        ),
    )
    run_worker()
    assert len(smtp_server.messages) == 4
    assert "portátiles" in str(smtp_server.messages[-1]["Subject"])
    assert [len(receiver.at(path)) for path in ("/a", "/b", "/c")] == [2, 2, 0]
    assert receiver.received[-1].json["event"] == "tender.amended"
    assert len(feed_entries(client, "q=computadores")) == 1


@pytest.mark.django_db
def test_a_worker_killed_mid_delivery_sends_each_notice_once_after_restart(
    smtp_server: Inbox, settings: Any, publish_document: Any
) -> None:
    people = [UserFactory() for _ in range(3)]
    for person in people:
        subscribe(person, keywords=["hospital"])
    publish_document(ocid="ocds-k", title="Hospital de Talca")
    alerts_match(ocid="ocds-k", release_id="ocds-k-tender-1", event=Event.PUBLISHED)
    options = settings.MAILERS["default"]["OPTIONS"]
    settings.MAILERS = {
        "default": {"BACKEND": "tests.alerts.conftest.DyingBackend", "OPTIONS": options}
    }
    DyingBackend.sent, DyingBackend.die_before = 0, 2

    with pytest.raises(SystemExit):
        deliveries_send(release_id="ocds-k-tender-1")

    assert len(smtp_server.messages) == 1
    assert sorted(Delivery.objects.values_list("status", flat=True)) == [
        DeliveryStatus.PENDING,
        DeliveryStatus.SENDING,  # claimed by the worker that died
        DeliveryStatus.SENT,
    ]
    # A new worker at once: the dead one's claim still holds; the rest goes.
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }
    assert deliveries_send().sent == 1
    assert len(smtp_server.messages) == 2
    # Once the claim has timed out, the notice the dead worker held goes, once.
    Delivery.objects.filter(status=DeliveryStatus.SENDING).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=settings.PREGON_ALERTS_CLAIM_TIMEOUT + 1)
    )
    assert deliveries_send().sent == 1
    assert deliveries_send().sent == 0
    assert recipients(smtp_server) == sorted(person.email for person in people)


@pytest.mark.django_db
def test_a_refused_webhook_is_retried_with_back_off_and_logged(
    receiver: Receiver, settings: Any, publish_document: Any
) -> None:
    person = UserFactory()
    good = subscribe(
        person,
        keywords=["hospital"],
        frequency=Frequency.NONE,
        webhook_id=hook(person, receiver, "/ok").pk,
    )
    bad_hook = hook(person, receiver, "/later")
    bad = subscribe(
        person, name="b", keywords=["hospital"], frequency=Frequency.NONE, webhook_id=bad_hook.pk
    )
    receiver.fail["/later"] = 503
    publish_document(ocid="ocds-w", title="Hospital de Talca")
    alerts_match(ocid="ocds-w", release_id="ocds-w-tender-1", event=Event.PUBLISHED)

    before = timezone.now()
    first = deliveries_send()
    assert (first.sent, first.failed) == (1, 1)
    failed = Delivery.objects.get(subscription=bad)
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 1)
    assert failed.next_attempt_at >= before + dt.timedelta(
        seconds=settings.PREGON_ALERTS_RETRY_BASE
    )
    assert first.retry_at == failed.next_attempt_at
    [attempt] = DeliveryAttempt.objects.filter(delivery=failed)
    assert (attempt.succeeded, attempt.status_code) == (False, 503)
    assert "not now" in attempt.error
    # Not before its time.
    assert deliveries_send().sent == 0
    Delivery.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now())
    assert deliveries_send().failed == 1
    failed.refresh_from_db()
    # The back-off doubles.
    assert failed.next_attempt_at - timezone.now() > dt.timedelta(
        seconds=2 * settings.PREGON_ALERTS_RETRY_BASE - 5
    )
    del receiver.fail["/later"]
    Delivery.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now())
    assert deliveries_send().sent == 1
    assert [len(receiver.at(path)) for path in ("/ok", "/later")] == [1, 1]
    assert receiver.refused == ["/later", "/later"]
    assert Delivery.objects.get(subscription=good).status == DeliveryStatus.SENT
    assert list(
        DeliveryAttempt.objects.filter(delivery=failed)
        .order_by("attempted_at", "pk")
        .values_list("succeeded", flat=True)
    ) == [False, False, True]


@pytest.mark.django_db
def test_a_delivery_gives_up_after_the_last_attempt(
    receiver: Receiver, settings: Any, publish_document: Any
) -> None:
    settings.PREGON_ALERTS_MAX_ATTEMPTS = 2
    settings.PREGON_ALERTS_RETRY_BASE = 0
    person = UserFactory()
    subscribe(
        person,
        keywords=["hospital"],
        frequency=Frequency.NONE,
        webhook_id=hook(person, receiver, "/down").pk,
    )
    receiver.fail["/down"] = 500
    publish_document(ocid="ocds-d", title="Hospital")
    alerts_match(ocid="ocds-d", release_id="ocds-d-tender-1", event=Event.PUBLISHED)
    assert deliveries_send().failed == 1
    last = deliveries_send()
    assert (last.failed, last.retry_at) == (1, None)
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    assert deliveries_send().failed == 0


@pytest.mark.django_db
def test_webhooks_to_private_addresses_are_refused_in_production_mode(
    receiver: Receiver, settings: Any, refused: Any, publish_document: Any
) -> None:
    person = UserFactory()
    endpoint = hook(person, receiver, "/inside")
    subscribe(person, keywords=["hospital"], frequency=Frequency.NONE, webhook_id=endpoint.pk)
    settings.PREGON_ALERTS_WEBHOOK_ALLOW_PRIVATE = False
    owner = Owner(user=person)
    for url in (
        receiver.url("/x"),
        "http://localhost/x",
        "http://10.1.2.3/x",
        "ftp://example.org/",
    ):
        refused(
            ValidationFailed,
            "unsafe_url",
            webhook_create,
            actor=Actor(user=person),
            owner=owner,
            url=url,
        )
    # One registered before: its deliveries are refused at sending time too.
    publish_document(ocid="ocds-p", title="Hospital")
    alerts_match(ocid="ocds-p", release_id="ocds-p-tender-1", event=Event.PUBLISHED)
    assert deliveries_send().failed == 1
    assert receiver.received == []
    assert "private" in DeliveryAttempt.objects.get().error


@pytest.mark.django_db
def test_a_daily_subscription_gets_one_digest(smtp_server: Inbox, publish_document: Any) -> None:
    person = UserFactory()
    subscribe(person, keywords=["hospital"], frequency=Frequency.DAILY)
    for number in (1, 2):
        publish_document(ocid=f"ocds-g{number}", title=f"Hospital número {number}")
        alerts_match(
            ocid=f"ocds-g{number}", release_id=f"ocds-g{number}-tender-1", event=Event.PUBLISHED
        )
    # The immediate sending leaves digest e-mails alone.
    assert deliveries_send().sent == 0
    with transaction.atomic():
        assert digests_send().sent == 2
    assert digests_send().sent == 0
    [message] = smtp_server.messages
    body = message.get_content()
    assert "Hospital número 1" in body and "Hospital número 2" in body
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
