"""The audit log page and its CSV export: who reads which rows, the filters, the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pregon.audit.labels import SummaryLine, summary_lines
from pregon.audit.views import csv_row
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.models import AuditEvent
from pregon.organizations.models import Organization
from pregon.tenders import services
from tests import factories

pytestmark = pytest.mark.django_db

SANTIAGO = ZoneInfo("America/Santiago")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(client: Client, **filters: Any) -> set[int]:
    response = client.get(reverse("audit:audit"), filters)
    assert response.status_code == 200
    return {row["event"].pk for row in response.context["rows"]}


class World:
    """Two buyers, a supplier; the rows each one's actions wrote, by name."""

    def __init__(self) -> None:
        self.buyer_a = factories.BuyerFactory(legal_name="Municipalidad de Temuco")
        self.buyer_b = factories.BuyerFactory(legal_name="Hospital del Salvador")
        self.supplier = factories.SupplierFactory()
        self.official_a = factories.member(self.buyer_a, "buyer_official")
        self.official_b = factories.member(self.buyer_b, "buyer_official")
        supplier_user = factories.member(self.supplier, "supplier_user")
        start = timezone.now().replace(microsecond=0) - dt.timedelta(days=40)
        actor_a = Actor(user=self.official_a, organization=self.buyer_a, ip_address="203.0.113.7")
        actor_b = Actor(user=self.official_b, organization=self.buyer_b, ip_address="203.0.113.9")
        supplier_actor = Actor(
            user=supplier_user, organization=self.supplier, ip_address="198.51.100.4"
        )
        before = set(AuditEvent.objects.values_list("pk", flat=True))
        # Buyer A publishes a tender 40 days ago; its deadline passes and the platform closes it.
        self.tender_a = factories.TenderDraftFactory(
            buyer=self.buyer_a,
            enquiry_end=start + dt.timedelta(days=12),
            submission_deadline=start + dt.timedelta(days=20),
        )
        with clock.at(start):
            services.tender_publish(actor=actor_a, tender=self.tender_a)
        with clock.at(start + dt.timedelta(days=2)):
            question = services.question_ask(
                actor=supplier_actor, tender=self.tender_a, text="¿Plazo?"
            )
        with clock.at(start + dt.timedelta(days=3)):
            services.question_answer(actor=actor_a, question=question, answer="Treinta días.")
        with clock.at(start + dt.timedelta(days=21)):
            services.tender_close_if_due(tender_id=self.tender_a.pk)
        # Buyer B publishes one today.
        self.tender_b = factories.TenderDraftFactory(buyer=self.buyer_b)
        services.tender_publish(actor=actor_b, tender=self.tender_b)
        rows = AuditEvent.objects.exclude(pk__in=before)
        self.ids = {
            name: rows.get(action=action, object_id=str(pk)).pk
            for name, action, pk in (
                ("publish_a", "tender.publish", self.tender_a.pk),
                ("ask", "question.ask", question.pk),
                ("answer", "question.answer", question.pk),
                ("close_a", "tender.close", self.tender_a.pk),
                ("publish_b", "tender.publish", self.tender_b.pk),
            )
        }
        assert rows.count() == 5
        self.start = start

    def __getitem__(self, name: str) -> int:
        return self.ids[name]


@pytest.fixture
def world() -> World:
    return World()


def test_oversight_auditors_read_everything(world: World) -> None:
    auditor = factories.member(factories.OversightFactory(), "auditor")
    assert shown(signed_in(auditor)) == set(AuditEvent.objects.values_list("pk", flat=True))
    assert len(shown(signed_in(auditor))) == 5


def test_platform_administrators_read_everything(world: World) -> None:
    operator_admin = factories.member(factories.OperatorFactory(), "administrator")
    superuser = factories.UserFactory(is_superuser=True)
    everything = set(world.ids.values())
    assert shown(signed_in(operator_admin)) == everything
    assert shown(signed_in(superuser)) == everything


@pytest.mark.parametrize("role", ["auditor", "buyer_official"])
def test_buyer_auditors_and_officials_read_their_organizations_rows(
    world: World, role: str
) -> None:
    person = factories.member(world.buyer_a, role)
    # Their own actions, and the platform closing their tender; not the supplier's question
    # (it would tell them who asked), nor the other buyer's rows.
    assert shown(signed_in(person)) == {world["publish_a"], world["answer"], world["close_a"]}
    assert shown(signed_in(world.official_b)) == {world["publish_b"]}


@pytest.mark.parametrize("role", ["committee_member", "supplier_user", None])
def test_everyone_else_gets_a_403_page(world: World, role: str | None) -> None:
    if role == "supplier_user":
        person = factories.member(world.supplier, role)
    elif role:
        person = factories.member(world.buyer_a, role)
    else:
        person = factories.UserFactory()
    client = signed_in(person)
    for name in ("audit:audit", "audit:audit_export"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert b"You may not read the audit log" in response.content
        assert b"Treinta" not in response.content


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("audit:audit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_filters(world: World) -> None:
    auditor = factories.member(factories.OversightFactory(), "auditor")
    client = signed_in(auditor)
    assert shown(client, action="tender.publish") == {world["publish_a"], world["publish_b"]}
    assert shown(client, object_type="tenders.question") == {world["ask"], world["answer"]}
    assert shown(client, actor=world.official_a.email.upper()) == {
        world["publish_a"],
        world["answer"],
    }
    assert shown(client, organization=world.supplier.pk) == {world["ask"]}
    assert shown(client, object_id=str(world.tender_a.pk), object_type="tenders.tender") == {
        world["publish_a"],
        world["close_a"],
    }
    # Days are read in Chile's time zone, both ends included.
    first_day = world.start.astimezone(SANTIAGO).date()
    assert shown(
        client,
        date_from=first_day.isoformat(),
        date_to=(first_day + dt.timedelta(days=3)).isoformat(),
    ) == {world["publish_a"], world["ask"], world["answer"]}
    assert shown(client, date_from=(first_day + dt.timedelta(days=22)).isoformat()) == {
        world["publish_b"]
    }


def test_filter_choices_come_from_the_readable_rows(world: World) -> None:
    page = signed_in(world.official_b).get(reverse("audit:audit"))
    form = page.context["form"]
    assert [value for value, _label in form.fields["action"].choices] == ["", "tender.publish"]
    assert [value for value, _label in form.fields["organization"].choices] == [
        "",
        str(world.buyer_b.pk),
    ]


def test_invalid_filter_is_shown_and_ignored(world: World) -> None:
    client = signed_in(world.official_b)
    response = client.get(reverse("audit:audit"), {"action": "tender.close", "date_from": "nope"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"action", "date_from"}
    assert {row["event"].pk for row in response.context["rows"]} == {world["publish_b"]}


def test_rows_are_paginated_newest_first(world: World) -> None:
    auditor = factories.member(factories.OversightFactory(), "auditor")
    tender = world.tender_b
    for number in range(55):
        audit_record(
            actor=Actor(user=world.official_b, organization=world.buyer_b),
            action="lot.add",
            target=tender,
            summary={"n": number},
        )
    client = signed_in(auditor)
    first = client.get(reverse("audit:audit"), {"action": "lot.add"})
    assert first.context["page"].paginator.count == 55
    assert [row["event"].summary["n"] for row in first.context["rows"]][:2] == [54, 53]
    assert len(first.context["rows"]) == 50
    second = client.get(reverse("audit:audit"), {"action": "lot.add", "page": "2"})
    assert [row["event"].summary["n"] for row in second.context["rows"]] == [4, 3, 2, 1, 0]
    assert b"action=lot.add&amp;page=1" in second.content


def test_page_shows_the_summary_readably(world: World) -> None:
    page = signed_in(world.official_a).get(reverse("audit:audit"), {"action": "tender.publish"})
    (row,) = page.context["rows"]
    deadline = timezone.localtime(world.tender_a.submission_deadline, SANTIAGO)
    offset = deadline.strftime("%z")
    assert row["label"] == "Tender published"
    assert row["lines"] == [
        SummaryLine(
            "Bid deadline",
            "deadline",
            f"{deadline:%-d %b %Y, %H:%M} (America/Santiago, UTC\u2212{offset[1:3]}:{offset[3:]})",
        ),
        SummaryLine("Country rule pack", "rule_pack", "CL@2026.1"),
    ]
    content = page.content.decode()
    assert "203.0.113.7" in content
    assert world.official_a.email in content
    assert "Municipalidad de Temuco" in content


def test_summary_lines() -> None:
    moment = dt.datetime(2031, 3, 20, 18, 0, tzinfo=dt.UTC)
    with translation.override("en"):
        lines = summary_lines(
            {
                "changes": {"title": ["Sillas", "Sillas y mesas"], "estimated_value": ["10", "12"]},
                "deadline": moment.isoformat(),
                "scopes": ["tenders:read", "tenders:write"],
                "published": True,
            }
        )
    assert lines == [
        SummaryLine("Title", "title", "Sillas → Sillas y mesas"),
        SummaryLine("Estimated value", "estimated_value", "10 → 12"),
        SummaryLine(
            "Bid deadline", "deadline", "20 Mar 2031, 15:00 (America/Santiago, UTC\u221203:00)"
        ),
        SummaryLine("Permissions of the key", "scopes", "tenders:read, tenders:write"),
        SummaryLine("Published", "published", "yes"),
    ]


def test_summary_values_that_are_codes_read_as_their_labels() -> None:
    with translation.override("en"):
        key = summary_lines(
            {"scopes": ["tenders:read", "questions:ask"]}, object_type="organizations.apikey"
        )
        witness = summary_lines(
            {"before": {"url": "https://log.example", "active": False}},
            object_type="ledger.watchedlog",
        )
    assert key == [
        SummaryLine(
            "Permissions of the key",
            "scopes",
            "Read the organization's tenders, drafts included; Ask clarification questions",
        )
    ]
    assert witness == [
        SummaryLine("Before the change", "before", "Log address: https://log.example; Active: no")
    ]


def test_csv_export_of_the_filtered_rows(world: World) -> None:
    client = signed_in(world.official_a)
    response = client.get(reverse("audit:audit_export"), {"object_type": "tenders.tender"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    publish = AuditEvent.objects.get(pk=world["publish_a"])
    close = AuditEvent.objects.get(pk=world["close_a"])
    assert rows == [
        [
            "when",
            "who",
            "organization",
            "action",
            "object_type",
            "object_id",
            "object",
            "summary",
            "channel",
            "from_address",
            "action_label",
            "object_type_label",
            "channel_label",
        ],
        [
            timezone.localtime(close.created_at).isoformat(),
            "system",
            "",
            "tender.close",
            "tenders.tender",
            str(world.tender_a.pk),
            str(world.tender_a),
            json.dumps(
                {"deadline": world.tender_a.submission_deadline.isoformat()}, sort_keys=True
            ),
            "task",
            "",
            "Tender closed at its deadline",
            "Tender",
            "Scheduled task",
        ],
        [
            timezone.localtime(publish.created_at).isoformat(),
            world.official_a.email,
            world.buyer_a.party_id,
            "tender.publish",
            "tenders.tender",
            str(world.tender_a.pk),
            str(world.tender_a),
            json.dumps(
                {
                    "deadline": world.tender_a.submission_deadline.isoformat(),
                    "rule_pack": "CL@2026.1",
                },
                sort_keys=True,
            ),
            "web",
            "203.0.113.7",
            "Tender published",
            "Tender",
            "Web pages",
        ],
    ]
    assert rows[1][0].endswith(("-03:00", "-04:00"))


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(buyer: Any) -> None:
    organization = Organization.objects.create(
        kind="oversight",
        identifier_scheme="CL-RUT",
        identifier_id="76086428-5",
        legal_name='=HYPERLINK("http://evil")',
        country="CL",
    )
    event = audit_record(
        actor=Actor.system(),
        action="organization.create",
        target=organization,
        summary={"kind": "oversight"},
    )
    row = csv_row(event)
    assert row[6] == '\'=HYPERLINK("http://evil")'
    assert row[1] == "system"
