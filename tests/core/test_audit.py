"""The audit log: written by audit_record, never updated nor deleted (pregon.core.audit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.models import AuditEvent
from pregon.organizations.models import ApiKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(official_actor: Actor, buyer: Any) -> AuditEvent:
    return audit_record(
        actor=official_actor, action="organization.update", target=buyer, summary={"a": 1}
    )


def test_audit_record_writes_who_what_when_and_from_where(
    official_actor: Actor, official: Any, buyer: Any
) -> None:
    moment = timezone.now().replace(microsecond=0)
    deadline = dt.datetime(2026, 3, 1, 15, 0, tzinfo=dt.UTC)
    with clock.at(moment):
        row = audit_record(
            actor=official_actor,
            action="tender.publish",
            target=buyer,
            summary={
                "deadline": deadline,
                "value": Decimal("1500.50"),
                "buyer": buyer,
                "lots": (1, 2),
                "nested": {"day": dt.date(2026, 3, 1), "none": None, "flag": True},
            },
        )
    row.refresh_from_db()
    assert (row.created_at, row.actor, row.actor_label) == (moment, official, official.email)
    assert (row.organization, row.channel, row.ip_address) == (buyer, "web", "203.0.113.7")
    assert (row.action, row.object_type, row.object_id, row.object_repr) == (
        "tender.publish",
        "organizations.organization",
        str(buyer.pk),
        str(buyer),
    )
    assert row.summary == {
        "deadline": "2026-03-01T15:00:00+00:00",
        "value": "1500.50",
        "buyer": str(buyer.pk),
        "lots": [1, 2],
        "nested": {"day": "2026-03-01", "none": None, "flag": True},
    }


def test_the_system_and_api_keys_are_named_in_the_trail(buyer: Any) -> None:
    row = audit_record(actor=Actor.system(), action="tender.close", target=buyer)
    assert (row.actor, row.actor_label, row.channel, row.summary) == (None, "system", "task", {})
    api_key = ApiKey.objects.create(
        organization=buyer, name="Integrador", prefix="abcdef012345", secret_hash="0" * 64
    )
    row = audit_record(
        actor=Actor(user=None, organization=buyer, api_key=api_key, channel="api"),
        action="tender.publish",
        target=buyer,
    )
    assert (row.actor_label, row.organization, row.channel) == (
        "api-key:abcdef012345",
        buyer,
        "api",
    )


def _unchanged(event: AuditEvent) -> None:
    stored = AuditEvent.objects.values().get(pk=event.pk)
    assert stored["action"] == "organization.update"
    assert stored["summary"] == {"a": 1}


def test_an_audit_row_cannot_be_saved_again(event: AuditEvent) -> None:
    event.action = "nothing.happened"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    _unchanged(event)


def test_an_audit_row_cannot_be_deleted(event: AuditEvent) -> None:
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    _unchanged(event)


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(action="nothing.happened"),
        lambda qs: qs.filter(action="organization.update").update(summary={}),
        lambda qs: qs.delete(),
        lambda qs: qs.filter(pk__gte=0).delete(),
        lambda qs: AuditEvent.objects.bulk_update(list(qs), ["action"]),
        lambda qs: qs.all().update_or_create(pk=qs.get().pk, defaults={"action": "x"}),
    ],
    ids=[
        "update",
        "filtered update",
        "delete",
        "filtered delete",
        "bulk update",
        "update or create",
    ],
)
def test_the_audit_log_refuses_changes_in_bulk(event: AuditEvent, change: Any) -> None:
    # In a savepoint of its own: bulk_update and update_or_create open a transaction.
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        change(AuditEvent.objects.all())
    _unchanged(event)
    assert AuditEvent.objects.count() == 1


def test_a_person_the_trail_names_cannot_be_removed(event: AuditEvent, official: Any) -> None:
    # People are deactivated, never deleted (accounts.services.user_deactivate): removing one
    # would rewrite the rows that name them.
    with pytest.raises(ProtectedError):
        official.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_label) == (official, official.email)
