"""A published quick quote reaches the alert subscriptions it fits, as a tender does: its
`tender` release is indexed for search, and matching reads the search document. The notices
call it a quick quote and link its page (`alerts.processes`, registered by the quotes app), on
every channel: e-mail (a real SMTP server), signed webhook (a real HTTP server), feed, and the
portal's search."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pregon.alerts.models import Delivery
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.quotes import services
from pregon.quotes.models import QuickQuote
from tests.alerts.conftest import (  # noqa: F401 (fixtures)
    Receiver,
    hook,
    receiver,
    restore_signals,
    run_worker,
    subscribe,
)
from tests.factories import UserFactory
from tests.organizations.conftest import Inbox, smtp_server  # noqa: F401 (fixture)
from tests.quotes.conftest import T0, open_quick_quote

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_published_quick_quote_reaches_the_subscriptions_it_fits(
    official_actor: Actor, buyer: Any
) -> None:
    person = UserFactory()
    computers = subscribe(person, codes=[("UNSPSC", "4321")])
    works = subscribe(person, codes=[("CPV", "45")])
    quick_quote = open_quick_quote(official_actor, buyer)
    rows = list(Delivery.objects.values_list("subscription_id", "event", "ocid"))
    assert rows == [(computers.pk, "published", quick_quote.ocid)]
    assert works.pk not in {row[0] for row in rows}


@pytest.mark.django_db(transaction=True)
def test_notices_call_it_a_quick_quote_and_link_its_page(
    official_actor: Actor,
    buyer: Any,
    smtp_server: Inbox,  # noqa: F811 (fixture)
    receiver: Receiver,  # noqa: F811 (fixture)
    restore_signals: None,  # noqa: F811 (fixture)
) -> None:
    english, spanish = UserFactory(), UserFactory()
    subscribe(
        english,
        codes=[("UNSPSC", "4321")],
        language="en",
        webhook_id=hook(english, receiver, "/en").pk,
    )
    subscribe(spanish, codes=[("UNSPSC", "4321")], language="es")

    quick_quote = open_quick_quote(official_actor, buyer)
    # Cancelled before the worker runs (its close is due on the worker's first run): each
    # subscriber is told of both, in order.
    with clock.at(T0 + dt.timedelta(minutes=10)):
        services.quick_quote_cancel(
            actor=official_actor,
            quick_quote=QuickQuote.objects.get(pk=quick_quote.pk),
            reason="El stock llegó por convenio marco.",
        )
    run_worker()

    page = quick_quote.get_absolute_url()
    to_english = [m for m in smtp_server.messages if str(m["To"]) == english.email]
    notice, cancelled = to_english
    aviso = next(m for m in smtp_server.messages if str(m["To"]) == spanish.email)
    assert str(notice["Subject"]).endswith(f"New quick quote: {quick_quote.title}")
    body = notice.get_content()
    assert "A new quick quote fits your subscription" in body
    assert "Quotes until:" in body and "Bid deadline" not in body
    assert f"https://compras.example.org{page}" in body
    assert "cotización rápida" in str(aviso["Subject"]).lower()
    assert "https://compras.example.org/es/" in aviso.get_content()
    assert str(cancelled["Subject"]).endswith(f"Quick quote cancelled: {quick_quote.title}")
    assert "A quick quote you were told of" in cancelled.get_content()
    events = sorted(received.json["event"] for received in receiver.at("/en"))
    assert events == ["tender.cancelled", "tender.published"]
    for received in receiver.at("/en"):
        assert received.signed
        assert received.json["process"]["kind"] == "quick_quote"
        assert received.json["process"]["url"] == f"https://compras.example.org{page}"

    # The feed and the portal's search link its page and say what it is.
    client = Client()
    feed = ET.fromstring(client.get(reverse("tenders:feed")).content)
    links = {
        entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        for entry in feed.findall(f"{ATOM}entry")
    }
    assert links == {f"https://compras.example.org{page}"}
    listing = client.get(reverse("tenders:list")).content.decode()
    assert f'href="{page}"' in listing
    assert "Quick quote" in listing and "Quotes until:" in listing
