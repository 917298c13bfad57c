"""Followers and askers of a tender are reminded before its deadline, once, and told of its
amendments; the reminders' link stops them without signing in."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from pregon.accounts.models import Membership
from pregon.alerts.choices import DeliveryStatus, NoticeKind
from pregon.alerts.models import TenderNotice
from pregon.alerts.services import (
    deadline_reminders_schedule,
    tender_follow,
    tender_notices_send,
)
from pregon.core.actor import Actor
from pregon.tenders import services as tender_services
from pregon.tenders.services import AmendmentData
from tests.alerts.conftest import Inbox
from tests.factories import SupplierFactory, TenderOpenFactory, UserFactory, actor_for, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    tender = TenderOpenFactory(title="Mantención de ascensores")
    supplier = SupplierFactory()
    asker = member(supplier, "supplier_user", language="es")
    follower = member(supplier, "supplier_user")
    bystander = UserFactory()
    tender_services.question_ask(
        actor=actor_for(asker, supplier), tender=tender, text="¿Incluye repuestos?"
    )
    tender_follow(actor=Actor(user=follower), user=follower, tender=tender)
    return {"tender": tender, "asker": asker, "follower": follower, "bystander": bystander}


def sent_to(inbox: Inbox) -> list[str]:
    return sorted(address for group in inbox.recipients for address in group)


def test_followers_and_askers_are_reminded_once_before_the_deadline(
    smtp_server: Inbox, world: dict[str, Any], settings: Any
) -> None:
    tender = world["tender"]
    deadline = tender.submission_deadline
    days = dt.timedelta(days=settings.PREGON_ALERTS_REMINDER_DAYS)
    assert deadline_reminders_schedule(now=deadline - days - dt.timedelta(hours=1)) == 0
    assert deadline_reminders_schedule(now=deadline - days + dt.timedelta(hours=1)) == 2
    assert deadline_reminders_schedule(now=deadline - dt.timedelta(hours=1)) == 0
    assert tender_notices_send().sent == 2
    assert tender_notices_send().sent == 0
    assert sent_to(smtp_server) == sorted([world["asker"].email, world["follower"].email])
    by_address = {message["To"]: message for message in smtp_server.messages}
    to_asker = by_address[world["asker"].email]
    with translation.override("es"):
        assert tender.reference in str(to_asker["Subject"])
    assert str(to_asker["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    # The asker's own language (Spanish) is used; the text says why they receive it.
    body = to_asker.get_content()
    with translation.override("es"):
        assert tender.get_absolute_url() in body


def test_an_amendment_is_told_and_the_link_stops_the_reminders(
    smtp_server: Inbox, world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    tender = world["tender"]
    official = Membership.objects.get(organization=tender.buyer, role="buyer_official").user
    with django_capture_on_commit_callbacks(execute=True):
        tender_services.tender_amend(
            actor=actor_for(official, tender.buyer),
            tender=tender,
            data=AmendmentData(
                reason="Se precisa el alcance.", description="Ascensores y montacargas."
            ),
        )
    notices = TenderNotice.objects.filter(kind=NoticeKind.AMENDMENT)
    assert sorted(notices.values_list("user__email", flat=True)) == sorted(
        [world["asker"].email, world["follower"].email]
    )
    assert tender_notices_send().sent == 2
    message = next(m for m in smtp_server.messages if m["To"] == world["asker"].email)
    stop = str(message["List-Unsubscribe"]).strip("<>")
    client = Client(enforce_csrf_checks=True)
    assert client.get(stop).status_code == 200
    assert client.post(stop).status_code == 200
    # The asker asked for no more: the next reminder goes to the follower only.
    assert deadline_reminders_schedule(now=tender.submission_deadline - dt.timedelta(days=1)) == 1
    tender_notices_send()
    assert smtp_server.recipients[-1] == [world["follower"].email]
    assert set(TenderNotice.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    tampered = re.sub(r"/stop/[^/]+/", "/stop/1.1:forged/", stop)
    assert client.post(tampered).status_code == 404


def test_a_reminder_of_a_moved_deadline_is_not_sent(
    smtp_server: Inbox, world: dict[str, Any]
) -> None:
    tender = world["tender"]
    deadline_reminders_schedule(now=tender.submission_deadline - dt.timedelta(days=1))
    type(tender).objects.filter(pk=tender.pk).update(
        submission_deadline=tender.submission_deadline + dt.timedelta(days=3),
        opening_at=tender.opening_at + dt.timedelta(days=3),
    )
    assert tender_notices_send().sent == 0
    assert smtp_server.messages == []
