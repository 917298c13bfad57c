"""A published plan line reaches the alert subscriptions it fits (issue 14, item 3), through the
same matching as a tender: its `planning` release is indexed for search, and matching reads the
search document. Its later updates notify nobody; the tender that follows it is a new tender."""

from __future__ import annotations

import pytest
from django.core import mail

from pregon.alerts.models import Delivery
from pregon.alerts.services.delivery import WEBHOOK_EVENTS, delivery_send
from pregon.core.actor import Actor
from pregon.planning import services
from pregon.planning.models import Plan
from pregon.tenders import services as tender_services
from tests import factories
from tests.alerts.conftest import subscribe
from tests.factories import UserFactory
from tests.planning.test_services import line_data

pytestmark = pytest.mark.django_db


def deliveries() -> list[tuple[int, str, str, str]]:
    return list(
        Delivery.objects.order_by("pk").values_list("subscription_id", "channel", "event", "ocid")
    )


def test_a_published_line_reaches_the_subscriptions_it_fits_once(
    official_actor: Actor, draft_plan: Plan
) -> None:
    person = UserFactory()
    computers = subscribe(person, codes=[("CPV", "3021")])
    region = subscribe(person, regions=["Región Metropolitana"])
    works = subscribe(person, codes=[("CPV", "45")])
    elsewhere = subscribe(person, regions=["Maule"])
    line = draft_plan.lines.get()

    services.plan_publish(actor=official_actor, plan=draft_plan)
    assert deliveries() == [
        (computers.pk, "email", "planned", line.ocid),
        (region.pk, "email", "planned", line.ocid),
    ]
    assert not {works.pk, elsewhere.pk} & {row[0] for row in deliveries()}

    # The e-mail says it is coming soon and links the line's public page.
    delivery = Delivery.objects.filter(subscription=computers).get()
    delivery_send(delivery_id=delivery.pk)
    [message] = mail.outbox
    assert message.subject.endswith(f"Coming soon: {line.description}")
    assert f"https://compras.example.org/en/plans/lines/{line.pk}/" in message.body
    assert WEBHOOK_EVENTS["planned"] == "plan_line.published"

    # A change of the line (a planning update) notifies nobody.
    services.plan_line_update(actor=official_actor, line=line, data=line_data())
    assert len(deliveries()) == 2


def test_the_tender_that_follows_is_announced_as_a_new_tender(
    official_actor: Actor, published_plan: Plan
) -> None:
    person = UserFactory()
    computers = subscribe(person, codes=[("CPV", "3021")])
    line = published_plan.lines.get()
    tender = tender_services.tender_draft_from_plan_line(actor=official_actor, line=line)
    factories.committee_name(tender, members=3, threshold=2)
    tender_services.tender_publish(actor=official_actor, tender=tender)
    assert deliveries() == [(computers.pk, "email", "published", line.ocid)]
