"""Matching in the database: a published process finds, through the index, exactly the
subscriptions it fits, and writes one delivery per subscription and channel, once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pregon.accounts.models import Membership
from pregon.alerts.choices import Channel, DeliveryStatus, Event, Frequency, SubscriptionStatus
from pregon.alerts.models import Delivery, Subscription, SubscriptionKey
from pregon.alerts.services import alerts_match, subscription_index, subscription_unsubscribe
from pregon.alerts.services.matching import facts_of, subscriptions_matching
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.tenders.services import AmendmentData, tender_amend
from tests.alerts.conftest import hook, subscribe
from tests.factories import SupplierFactory, TenderOpenFactory, UserFactory, actor_for, member

pytestmark = pytest.mark.django_db


def matched(document: Any) -> set[int]:
    return {entry.subscription_id for entry in subscriptions_matching(facts_of(document))}


def test_each_criterion_finds_what_it_follows(publish_document: Any) -> None:
    person = UserFactory()
    by_code = subscribe(person, codes=[("CPV", "4521")])
    by_other_code = subscribe(person, codes=[("CPV", "4522")])
    by_keyword = subscribe(person, keywords=["hospitales"])
    by_other_keyword = subscribe(person, keywords=["ambulancias"])
    by_region = subscribe(person, regions=["region metropolitana"])
    by_other_region = subscribe(person, regions=["Maule"])
    by_buyer = subscribe(person, buyers=["CL-RUT-1"])
    by_other_buyer = subscribe(person, buyers=["CL-RUT-2"])
    by_value = subscribe(person, regions=["Región Metropolitana"], value_min=Decimal(500))
    by_high_value = subscribe(person, regions=["Región Metropolitana"], value_min=Decimal(5000))
    by_reserved = subscribe(person, reserved_msme=True)
    combined = subscribe(person, codes=[("CPV", "45")], keywords=["hospital"], regions=["Maule"])
    document = publish_document(
        title="Reparación del hospital de Talca",
        items=[("Obras", "CPV", "45210000-2")],
        amount=1000,
    )
    assert matched(document) == {
        by_code.pk,
        by_keyword.pk,
        by_region.pk,
        by_buyer.pk,
        by_value.pk,
    }
    assert not {
        by_other_code.pk,
        by_other_keyword.pk,
        by_other_region.pk,
        by_other_buyer.pk,
        by_high_value.pk,
        by_reserved.pk,
        combined.pk,
    } & matched(document)
    reserved = publish_document(title="Servicio de aseo", reserved_msme=True, region="Maule")
    assert matched(reserved) == {by_reserved.pk, by_other_region.pk, by_buyer.pk}


def test_reserved_for_my_scale_follows_the_subscriber_size(publish_document: Any) -> None:
    micro = SupplierFactory(scale="selfEmployed")
    medium = SupplierFactory(scale="medium")
    large_cooperative = SupplierFactory(
        scale="large", is_cooperative=True, legal_form="cooperative"
    )
    by_micro = subscribe(member(micro, "supplier_user"), reserved_msme=True)
    by_medium = subscribe(member(medium, "supplier_user"), reserved_msme=True)
    by_cooperative = subscribe(member(large_cooperative, "supplier_user"), reserved_msme=True)
    by_anyone = subscribe(email="anon@example.org", reserved_msme=True)
    Subscription.objects.filter(pk=by_anyone.pk).update(status=SubscriptionStatus.ACTIVE)
    by_anyone.refresh_from_db()
    subscription_index(by_anyone)
    small_only = publish_document(title="Aseo", reserved_msme=True, reserved_for="micro small")
    assert matched(small_only) == {by_micro.pk, by_anyone.pk}
    with_cooperatives = publish_document(
        title="Obras", reserved_msme=True, reserved_for="cooperative medium micro small"
    )
    assert matched(with_cooperatives) == {
        by_micro.pk,
        by_medium.pk,
        by_cooperative.pk,
        by_anyone.pk,
    }
    assert Subscription.objects.get(pk=by_micro.pk).spec["e"] == ["micro"]


def test_a_keyword_in_one_language_finds_processes_in_every_language(
    publish_document: Any,
) -> None:
    person = UserFactory()
    hospital = subscribe(person, keywords=["hospital"])
    spanish = publish_document(title="Hospitales regionales", language="es")
    english = publish_document(title="Hospitals upgrade", language="en")
    portuguese = publish_document(title="Construção do hospital", language="pt")
    other = publish_document(title="Bridge repairs", language="en")
    assert matched(spanish) == matched(english) == {hospital.pk}
    assert matched(portuguese) == {hospital.pk}
    assert matched(other) == set()


def test_pending_and_unsubscribed_subscriptions_match_nothing(
    publish_document: Any, actor: Actor
) -> None:
    pending = subscribe(email="anon@example.org", keywords=["hospital"])
    active = subscribe(UserFactory(), keywords=["hospital"])
    ended = subscribe(UserFactory(), keywords=["hospital"])
    subscription_unsubscribe(actor=actor, subscription_id=ended.pk)
    assert pending.status == SubscriptionStatus.PENDING
    assert not SubscriptionKey.objects.filter(subscription__in=[pending, ended]).exists()
    assert matched(publish_document(title="Hospital de Talca")) == {active.pk}


def test_matching_writes_one_delivery_per_channel_and_is_idempotent(
    publish_document: Any, receiver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory()
    endpoint = hook(person, receiver, "/hooks/a")
    both = subscribe(person, keywords=["hospital"], webhook_id=endpoint.pk)
    webhook_only = subscribe(
        person, keywords=["hospital"], webhook_id=endpoint.pk, frequency=Frequency.NONE
    )
    digest = subscribe(person, keywords=["hospital"], frequency=Frequency.DAILY)
    publish_document(ocid="ocds-x", title="Hospital de Talca")
    with django_capture_on_commit_callbacks() as callbacks:
        result = alerts_match(ocid="ocds-x", release_id="ocds-x-tender-1", event=Event.PUBLISHED)
        again = alerts_match(ocid="ocds-x", release_id="ocds-x-tender-1", event=Event.PUBLISHED)
    assert (result.matched, result.deliveries) == (3, 4)
    assert (again.matched, again.deliveries) == (3, 0)
    rows = set(Delivery.objects.values_list("subscription_id", "channel", "status"))
    assert rows == {
        (both.pk, Channel.EMAIL, DeliveryStatus.PENDING),
        (both.pk, Channel.WEBHOOK, DeliveryStatus.PENDING),
        (webhook_only.pk, Channel.WEBHOOK, DeliveryStatus.PENDING),
        (digest.pk, Channel.EMAIL, DeliveryStatus.PENDING),
    }
    assert Delivery.objects.count() == 4
    assert len(callbacks) == 1  # one send task, after commit, for what was written


def test_an_amendment_reaches_those_told_before_even_if_it_no_longer_fits() -> None:
    person = UserFactory()
    hospital = subscribe(person, keywords=["hospital"])
    clinic = subscribe(person, keywords=["clínica"])
    subscribe(person, keywords=["puente"])
    tender = TenderOpenFactory(title="Hospital de Talca")
    assert set(Delivery.objects.values_list("subscription_id", "event")) == {
        (hospital.pk, Event.PUBLISHED)
    }
    official = Membership.objects.get(organization=tender.buyer, role="buyer_official").user
    tender_amend(
        actor=actor_for(official, tender.buyer),
        tender=tender,
        data=AmendmentData(reason="Cambia el alcance.", title="Clínica de Talca"),
    )
    amended = Delivery.objects.filter(event=Event.AMENDED)
    assert set(amended.values_list("subscription_id", flat=True)) == {hospital.pk, clinic.pk}
    assert amended.get(subscription=clinic).release_id.startswith(f"{tender.ocid}-tenderAmendment")


def test_matching_runs_a_constant_number_of_queries(publish_document: Any) -> None:
    person = UserFactory()
    document = publish_document(ocid="ocds-q", title="Hospital de Talca", region="Maule")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            alerts_match(ocid="ocds-q", release_id="ocds-q-tender-1", event=Event.PUBLISHED)
        Delivery.objects.all().delete()
        return len(captured.captured_queries)

    subscribe(person, keywords=["hospital"])
    few = queries()
    for number in range(60):
        subscribe(person, name=f"s{number}", keywords=["hospital", f"palabra{number}"])
        subscribe(person, name=f"r{number}", regions=["Maule"], codes=[("CPV", "30")])
        subscribe(person, name=f"o{number}", keywords=[f"otra{number}"])
    assert len(matched(document)) == 61
    assert queries() == few


def test_a_subscription_needs_something_to_follow_and_valid_values() -> None:
    person = UserFactory()
    with pytest.raises(ValidationFailed) as error:
        subscribe(person, value_min=Decimal(10))
    assert error.value.code == "no_criteria"
    with pytest.raises(ValidationFailed) as error:
        subscribe(person, codes=[("CPV", "99999999")])
    assert error.value.field == "codes"
    with pytest.raises(ValidationFailed) as error:
        subscribe(person, keywords=["¡!"])
    assert error.value.field == "keywords"
    with pytest.raises(ValidationFailed) as error:
        subscribe(person, regions=["Maule"], value_min=Decimal(10), value_max=Decimal(1))
    assert error.value.field == "value_max"
    with pytest.raises(ValidationFailed) as error:
        subscribe(person, regions=["Maule"], frequency=Frequency.NONE)
    assert error.value.field == "frequency"
    with pytest.raises(ValidationFailed) as error:
        subscribe(regions=["Maule"])
    assert error.value.field == "email"
    assert not Subscription.objects.exists()
