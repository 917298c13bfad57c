"""A published quick quote reaches the alert subscriptions it fits, as a tender does: its
`tender` release is indexed for search, and matching reads the search document."""

from __future__ import annotations

from typing import Any

from pregon.alerts.models import Delivery
from pregon.core.actor import Actor
from tests.alerts.conftest import subscribe
from tests.factories import UserFactory
from tests.quotes.conftest import open_quick_quote


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
