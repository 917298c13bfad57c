"""Every tender service and transition (pregon.tenders.services), allowed and refused.

Allowed actions are checked field by field, with their one audit row. Refused actions go
through the `refused` fixture: the exact error class and code, every row of every domain table
as it was, no audit row, nothing scheduled on commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.tenders import services
from pregon.tenders.choices import TRANSITIONS, Method, TenderStatus
from pregon.tenders.models import Amendment, Item, Lot, Question, Tender, TenderDocument
from pregon.tenders.services import (
    AmendmentData,
    DocumentData,
    ItemData,
    LotData,
    TenderData,
)
from tests import factories
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(64)
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(64)


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    """Every test acts at one fixed moment (close to the real time, for the task queue)."""
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


# ---------------------------------------------------------------------------------------------
# helpers


def one_audit_row(action: Callable[[], Any]) -> tuple[Any, AuditEvent]:
    """Run `action` and return its result and the single audit row it wrote."""
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    result = action()
    rows = list(AuditEvent.objects.exclude(pk__in=before))
    assert len(rows) == 1, [row.action for row in rows]
    return result, rows[0]


def assert_audit(
    row: AuditEvent, *, actor: Actor, action: str, target: Any, summary: dict[str, Any]
) -> None:
    assert row.action == action
    assert row.actor == actor.user
    assert row.actor_label == actor.label
    assert row.organization == actor.organization
    assert row.channel == actor.channel
    assert row.ip_address == actor.ip_address
    assert row.object_type == target._meta.label_lower
    assert row.object_id == str(target.pk)
    assert row.object_repr == str(target)
    assert row.summary == summary
    assert row.created_at == clock.now()


def item(**overrides: Any) -> ItemData:
    values: dict[str, Any] = {
        "description": "Silla escolar apilable",
        "classification_scheme": "CPV",
        "classification_code": "39160000-1",
        "quantity": Decimal("240"),
        "unit": "unidad",
    }
    values.update(overrides)
    return ItemData(**values)


def lot(**overrides: Any) -> LotData:
    values: dict[str, Any] = {"title": "Mobiliario", "items": [item()]}
    values.update(overrides)
    return LotData(**values)


def tender_data(**overrides: Any) -> TenderData:
    now = clock.now()
    values: dict[str, Any] = {
        "reference": "LIC-2026-0100",
        "title": "Mobiliario para escuelas rurales",
        "description": "Sillas y mesas para doce escuelas rurales de la región.",
        "method": "open",
        "category": "goods",
        "estimated_value": Decimal("2500000.00"),
        "currency": "CLP",
        "enquiry_end": now + 10 * DAY,
        "submission_deadline": now + 20 * DAY,
        "opening_at": now + 20 * DAY + 2 * HOUR,
        "language": "es",
        "award_criteria": "priceOnly",
        "award_criteria_details": "",
        "lots": None,
    }
    values.update(overrides)
    return TenderData(**values)


def same_as(tender: Tender, **overrides: Any) -> TenderData:
    """The draft's own values as TenderData (an edit that changes only `overrides`)."""
    values = {name: getattr(tender, name) for name in services.TENDER_FIELDS}
    values.update(overrides)
    return TenderData(**values)


def upload(name: str = "bases.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def published_before(buyer: Any, deadline: dt.datetime, **fields: Any) -> Tender:
    """An open tender published 15 days ago whose deadline is `deadline`."""
    published = clock.now() - 15 * DAY
    fields.setdefault("enquiry_end", min(deadline, clock.now() + DAY))
    tender = factories.TenderDraftFactory(
        buyer=buyer, submission_deadline=deadline, opening_at=deadline + HOUR, **fields
    )
    with clock.at(published):
        services.tender_publish(actor=factories.actor_for(official_of(buyer), buyer), tender=tender)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.ACTIVE
    return tender


def scheduled_closes() -> list[tuple[int, dt.datetime]]:
    """The closes waiting in the task queue: (tender id, when)."""
    return [
        (task.args_kwargs["args"][0], task.run_after)
        for task in DBTaskResult.objects.filter(
            task_path="pregon.tenders.tasks.close_tender_at_deadline"
        ).order_by("enqueued_at")
    ]


def official_of(buyer: Any) -> Any:
    membership = buyer.memberships.filter(role="buyer_official").first()
    return membership.user if membership else factories.member(buyer, "buyer_official")


@pytest.fixture
def other_actor(other_buyer: Any) -> Actor:
    """A buyer official, of another buyer."""
    user = factories.member(other_buyer, "buyer_official")
    return Actor(user=user, organization=other_buyer, ip_address="192.0.2.55")


@pytest.fixture
def closed_tender(buyer: Any, official: Any) -> Tender:
    return factories.TenderClosedFactory(buyer=buyer)


@pytest.fixture
def cancelled_tender(buyer: Any, official: Any) -> Tender:
    return factories.TenderCancelledFactory(buyer=buyer)


# ---------------------------------------------------------------------------------------------
# the state machine itself


def test_the_state_machine_table() -> None:
    # Each move: the states it may start from, and where it leads (None: it stays).
    assert {
        name: (set(move.sources), move.target, move.code) for name, move in TRANSITIONS.items()
    } == {
        "publish": ({"draft"}, "active", ""),
        "close": ({"active"}, "closed", ""),
        "cancel": ({"draft", "active", "closed"}, "cancelled", ""),
        "edit": ({"draft"}, None, ""),
        "amend": ({"active"}, None, ""),
        "ask": ({"active"}, None, "questions_closed"),
        "answer": ({"active", "closed"}, None, ""),
    }


def test_the_lifecycle_factories_reach_their_states(
    draft: Tender, open_tender: Tender, closed_tender: Tender, cancelled_tender: Tender
) -> None:
    # They are built through the services, so every other test starts from real rows.
    assert [t.status for t in (draft, open_tender, closed_tender, cancelled_tender)] == [
        TenderStatus.DRAFT,
        TenderStatus.ACTIVE,
        TenderStatus.CLOSED,
        TenderStatus.CANCELLED,
    ]
    assert (draft.published_at, open_tender.published_at is not None) == (None, True)
    assert closed_tender.closed_at is not None
    assert (
        cancelled_tender.cancellation_reason == "La necesidad fue cubierta por un convenio marco."
    )
    actions = AuditEvent.objects.filter(
        object_type="tenders.tender", object_id=str(closed_tender.pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == ["tender.close", "tender.publish"]


# ---------------------------------------------------------------------------------------------
# tender_create


def test_create_a_draft_with_lots_and_items(
    official_actor: Actor, buyer: Any, official: Any, settings: Any, now: dt.datetime
) -> None:
    settings.PREGON_OCID_PREFIX = "ocds-test01"
    data = tender_data(
        lots=[
            lot(title=" Sillas ", description=" Apilables ", estimated_value=Decimal("900000")),
            lot(
                title="Mesas",
                items=[
                    item(description=" Mesa escolar ", quantity=Decimal("120.5"), unit=" unidad "),
                    item(classification_scheme="UNSPSC", classification_code="56101700"),
                ],
            ),
        ]
    )

    tender, row = one_audit_row(
        lambda: services.tender_create(actor=official_actor, buyer=buyer, data=data)
    )

    tender.refresh_from_db()
    assert tender.buyer == buyer
    assert tender.ocid == f"ocds-test01-{tender.pk:06d}"
    assert tender.status == TenderStatus.DRAFT
    assert (tender.reference, tender.title) == ("LIC-2026-0100", "Mobiliario para escuelas rurales")
    assert tender.description == "Sillas y mesas para doce escuelas rurales de la región."
    assert (tender.method, tender.category, tender.language) == ("open", "goods", "es")
    assert (tender.estimated_value, tender.currency) == (Decimal("2500000.00"), "CLP")
    assert (tender.award_criteria, tender.award_criteria_details) == ("priceOnly", "")
    assert tender.enquiry_end == now + 10 * DAY
    assert tender.submission_deadline == now + 20 * DAY
    assert tender.opening_at == now + 20 * DAY + 2 * HOUR
    assert (tender.published_at, tender.closed_at, tender.cancelled_at) == (None, None, None)
    assert tender.created_by == official
    assert tender.created_at == tender.updated_at == now
    lots = list(tender.lots.order_by("number"))
    assert [(x.number, x.title, x.description, x.estimated_value) for x in lots] == [
        (1, "Sillas", "Apilables", Decimal("900000.00")),
        (2, "Mesas", "", None),
    ]
    assert [
        (i.description, i.classification_scheme, i.classification_code, i.quantity, i.unit)
        for i in Item.objects.filter(lot__tender=tender).order_by("lot__number", "id")
    ] == [
        ("Silla escolar apilable", "CPV", "39160000-1", Decimal("240.000"), "unidad"),
        ("Mesa escolar", "CPV", "39160000-1", Decimal("120.500"), "unidad"),
        ("Silla escolar apilable", "UNSPSC", "56101700", Decimal("240.000"), "unidad"),
    ]
    assert_audit(
        row,
        actor=official_actor,
        action="tender.create",
        target=tender,
        summary={"reference": "LIC-2026-0100", "lots": 2},
    )


def test_create_a_draft_without_lots(official_actor: Actor, buyer: Any) -> None:
    tender = services.tender_create(actor=official_actor, buyer=buyer, data=tender_data())
    assert tender.lots.count() == 0
    assert AuditEvent.objects.get(action="tender.create").summary == {
        "reference": "LIC-2026-0100",
        "lots": 0,
    }


TOO_BIG = Decimal("10000000000000000")  # 17 digits before the point; the column holds 16


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reference": "  "}, "reference"),
        ({"reference": "R" * 65}, "reference"),
        ({"title": " "}, "title"),
        ({"title": "T" * 301}, "title"),
        ({"description": ""}, "description"),
        ({"method": "auction"}, "method"),
        ({"category": "software"}, "category"),
        ({"currency": "XAU"}, "currency"),
        ({"language": "de"}, "language"),
        ({"award_criteria": "lottery"}, "award_criteria"),
        ({"estimated_value": Decimal("-0.01")}, "estimated_value"),
        ({"estimated_value": Decimal("NaN")}, "estimated_value"),
        ({"estimated_value": Decimal("Infinity")}, "estimated_value"),
        ({"estimated_value": TOO_BIG}, "estimated_value"),
        ({"estimated_value": Decimal("10.005")}, "estimated_value"),
        ({"enquiry_end": "deadline + 1h"}, "enquiry_end"),
        ({"opening_at": "deadline - 1h"}, "opening_at"),
        ({"lots": [lot(title=" ")]}, "title"),
        ({"lots": [lot(title="L" * 301)]}, "title"),
        ({"lots": [lot(estimated_value=Decimal("-1"))]}, "estimated_value"),
        ({"lots": [lot(items=[item(description=" ")])]}, "description"),
        ({"lots": [lot(items=[item(description="D" * 501)])]}, "description"),
        ({"lots": [lot(items=[item(classification_scheme="NAICS")])]}, "classification_scheme"),
        ({"lots": [lot(items=[item(classification_code="99000000-0")])]}, "classification_code"),
        ({"lots": [lot(items=[item(classification_code="3916000")])]}, "classification_code"),
        ({"lots": [lot(items=[item(quantity=Decimal(0))])]}, "quantity"),
        ({"lots": [lot(items=[item(quantity=Decimal("-3"))])]}, "quantity"),
        ({"lots": [lot(items=[item(quantity=Decimal("1.0005"))])]}, "quantity"),
        ({"lots": [lot(items=[item(quantity=Decimal("1e11"))])]}, "quantity"),
        ({"lots": [lot(items=[item(unit=" ")])]}, "unit"),
        ({"lots": [lot(items=[item(unit="u" * 41)])]}, "unit"),
    ],
)
def test_create_refuses_invalid_data(
    refused: Any, official_actor: Actor, buyer: Any, overrides: dict[str, Any], field: str
) -> None:
    deadline = clock.now() + 20 * DAY
    relative = {"deadline + 1h": deadline + HOUR, "deadline - 1h": deadline - HOUR}
    overrides = {
        key: relative[value] if isinstance(value, str) and value in relative else value
        for key, value in overrides.items()
    }
    data = tender_data(**{"lots": [lot()], **overrides})

    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_create,
        actor=official_actor,
        buyer=buyer,
        data=data,
    )
    assert error.field == field


def test_create_refuses_a_reference_the_buyer_already_uses(
    refused: Any, official_actor: Actor, buyer: Any
) -> None:
    factories.TenderDraftFactory(buyer=buyer, reference="LIC-2026-0100")
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_create,
        actor=official_actor,
        buyer=buyer,
        data=tender_data(lots=[lot()]),
    )
    assert error.field == "reference"


def test_another_buyer_may_use_the_same_reference(
    official_actor: Actor, buyer: Any, other_buyer: Any
) -> None:
    factories.TenderDraftFactory(buyer=other_buyer, reference="LIC-2026-0100")
    tender = services.tender_create(actor=official_actor, buyer=buyer, data=tender_data())
    assert tender.reference == "LIC-2026-0100"


def test_create_refuses_a_supplier_as_buyer(
    refused: Any, supplier: Any, supplier_actor: Actor
) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        services.tender_create,
        actor=supplier_actor,
        buyer=supplier,
        data=tender_data(),
    )


def test_create_refuses_an_official_of_another_buyer(
    refused: Any, other_actor: Actor, buyer: Any
) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        services.tender_create,
        actor=other_actor,
        buyer=buyer,
        data=tender_data(),
    )


# ---------------------------------------------------------------------------------------------
# tender_update


def test_update_a_draft_records_what_changed(
    official_actor: Actor, draft: Tender, now: dt.datetime
) -> None:
    data = same_as(draft, title="Computadores portátiles", estimated_value=Decimal("175000.50"))

    updated, row = one_audit_row(
        lambda: services.tender_update(actor=official_actor, tender=draft, data=data)
    )

    old_title = draft.title
    draft.refresh_from_db()
    assert updated == draft
    assert draft.title == "Computadores portátiles"
    assert draft.estimated_value == Decimal("175000.50")
    assert draft.updated_at == now
    assert draft.status == TenderStatus.DRAFT
    assert [(x.number, x.title, x.items.count()) for x in draft.lots.all()] == [(1, "Lote 1", 2)]
    assert_audit(
        row,
        actor=official_actor,
        action="tender.update",
        target=draft,
        summary={
            "changes": {
                "title": [old_title, "Computadores portátiles"],
                "estimated_value": ["150000.00", "175000.50"],
            }
        },
    )


def test_update_replaces_the_lots_when_given(official_actor: Actor, buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, lots=2)
    data = same_as(draft, lots=[lot(title="Único")])

    services.tender_update(actor=official_actor, tender=draft, data=data)

    assert [(x.number, x.title) for x in draft.lots.all()] == [(1, "Único")]
    assert list(Item.objects.filter(lot__tender=draft).values_list("description", flat=True)) == [
        "Silla escolar apilable"
    ]
    assert AuditEvent.objects.get(action="tender.update").summary == {"changes": {"lots": 1}}


def test_update_refuses_an_open_tender(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    error = refused(
        InvalidTransition,
        "cannot_edit",
        services.tender_update,
        actor=official_actor,
        tender=open_tender,
        data=same_as(open_tender, title="Otro título"),
    )
    assert str(error) == (
        "Only a draft can be edited; this tender is open for bids. Use an amendment for an "
        "open tender."
    )


def test_update_refuses_a_reference_already_used(
    refused: Any, official_actor: Actor, buyer: Any, draft: Tender
) -> None:
    factories.TenderDraftFactory(buyer=buyer, reference="LIC-OTRA")
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_update,
        actor=official_actor,
        tender=draft,
        data=same_as(draft, reference="LIC-OTRA"),
    )
    assert error.field == "reference"


def test_update_refuses_invalid_dates(refused: Any, official_actor: Actor, draft: Tender) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_update,
        actor=official_actor,
        tender=draft,
        data=same_as(draft, opening_at=draft.submission_deadline - HOUR),
    )
    assert error.field == "opening_at"


# ---------------------------------------------------------------------------------------------
# lots and items


def test_add_a_lot_numbers_it_after_the_last(official_actor: Actor, draft: Tender) -> None:
    saved, row = one_audit_row(
        lambda: services.lot_save(actor=official_actor, tender=draft, data=lot(title="Monitores"))
    )
    assert (saved.number, saved.title, saved.tender_id) == (2, "Monitores", draft.pk)
    assert list(saved.items.values_list("classification_code", flat=True)) == ["39160000-1"]
    assert_audit(
        row,
        actor=official_actor,
        action="lot.add",
        target=saved,
        summary={"tender": draft.pk, "title": "Monitores"},
    )


def test_change_a_lot_keeps_its_items_unless_given(official_actor: Actor, draft: Tender) -> None:
    existing = draft.lots.get()
    data = LotData(title=" Computadores ", description="Con garantía", items=[])

    saved = services.lot_save(actor=official_actor, tender=draft, data=data, lot=existing)

    existing.refresh_from_db()
    assert (existing.number, existing.title, existing.description) == (
        1,
        "Computadores",
        "Con garantía",
    )
    assert saved.items.count() == 2
    row = AuditEvent.objects.get(action="lot.update")
    assert row.summary == {"tender": draft.pk, "title": "Computadores"}

    services.lot_save(
        actor=official_actor, tender=draft, data=lot(title="Computadores"), lot=existing
    )
    assert list(existing.items.values_list("description", flat=True)) == ["Silla escolar apilable"]


def test_lot_save_refuses_a_lot_of_another_tender(
    refused: Any, official_actor: Actor, buyer: Any, draft: Tender
) -> None:
    elsewhere = factories.TenderDraftFactory(buyer=buyer).lots.get()
    refused(
        NotFound,
        "not_found",
        services.lot_save,
        actor=official_actor,
        tender=draft,
        data=lot(),
        lot=elsewhere,
    )


def test_lot_save_refuses_an_open_tender(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    refused(
        InvalidTransition,
        "cannot_edit",
        services.lot_save,
        actor=official_actor,
        tender=open_tender,
        data=lot(),
    )


def test_lot_save_refuses_a_lot_without_title(
    refused: Any, official_actor: Actor, draft: Tender
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.lot_save,
        actor=official_actor,
        tender=draft,
        data=lot(title=""),
    )
    assert error.field == "title"


@pytest.mark.parametrize(
    ("deleted", "remaining"),
    [
        (1, [(1, "Lote 2"), (2, "Lote 3"), (3, "Lote 4")]),
        (2, [(1, "Lote 1"), (2, "Lote 3"), (3, "Lote 4")]),
        (4, [(1, "Lote 1"), (2, "Lote 2"), (3, "Lote 3")]),
    ],
)
def test_deleting_a_lot_renumbers_the_others(
    official_actor: Actor, buyer: Any, deleted: int, remaining: list[tuple[int, str]]
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, lots=4)
    target = draft.lots.get(number=deleted)
    target_pk, target_repr = target.pk, str(target)

    _, row = one_audit_row(lambda: services.lot_delete(actor=official_actor, lot=target))

    assert [(x.number, x.title) for x in draft.lots.order_by("number")] == remaining
    assert not Lot.objects.filter(pk=target_pk).exists()
    assert Item.objects.filter(lot__tender=draft).count() == 6
    assert (row.action, row.object_id, row.object_repr) == (
        "lot.delete",
        str(target_pk),
        target_repr,
    )
    assert row.summary == {"tender": draft.pk, "title": f"Lote {deleted}"}


def test_lot_delete_refuses_an_open_tender(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    refused(
        InvalidTransition,
        "cannot_edit",
        services.lot_delete,
        actor=official_actor,
        lot=open_tender.lots.get(),
    )


def test_add_and_delete_an_item(official_actor: Actor, draft: Tender) -> None:
    target = draft.lots.get()
    added, row = one_audit_row(
        lambda: services.item_add(actor=official_actor, lot=target, data=item(unit="caja"))
    )
    assert (added.lot, added.unit, added.quantity) == (target, "caja", Decimal("240"))
    assert_audit(
        row,
        actor=official_actor,
        action="item.add",
        target=added,
        summary={"lot": target.pk, "code": "39160000-1"},
    )
    assert target.items.count() == 3

    pk = added.pk
    _, row = one_audit_row(lambda: services.item_delete(actor=official_actor, item=added))
    assert not Item.objects.filter(pk=pk).exists()
    assert (row.action, row.object_id, row.summary) == ("item.delete", str(pk), {"lot": target.pk})


def test_item_add_refuses_an_invalid_item(
    refused: Any, official_actor: Actor, draft: Tender
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.item_add,
        actor=official_actor,
        lot=draft.lots.get(),
        data=item(quantity=Decimal(0)),
    )
    assert error.field == "quantity"


def test_items_of_an_open_tender_are_fixed(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    target = open_tender.lots.get()
    refused(
        InvalidTransition,
        "cannot_edit",
        services.item_add,
        actor=official_actor,
        lot=target,
        data=item(),
    )
    refused(
        InvalidTransition,
        "cannot_edit",
        services.item_delete,
        actor=official_actor,
        item=target.items.first(),
    )


# ---------------------------------------------------------------------------------------------
# documents


def test_add_a_document(official_actor: Actor, official: Any, draft: Tender, now: Any) -> None:
    data = DocumentData(upload=upload("Bases técnicas.PDF"), title=" Bases técnicas ")

    document, row = one_audit_row(
        lambda: services.document_add(actor=official_actor, tender=draft, data=data)
    )

    document.refresh_from_db()
    sha = hashlib.sha256(PDF).hexdigest()
    assert document.tender == draft
    assert (document.title, document.document_type) == ("Bases técnicas", "biddingDocuments")
    assert (document.filename, document.content_type) == ("Bases técnicas.PDF", "application/pdf")
    assert (document.size, document.sha256) == (len(PDF), sha)
    assert document.file.name == f"tenders/{draft.pk}/{sha}"
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    assert (document.amendment, document.uploaded_by, document.uploaded_at) == (None, official, now)
    assert_audit(
        row,
        actor=official_actor,
        action="document.add",
        target=document,
        summary={"tender": draft.pk, "sha256": sha, "filename": "Bases técnicas.PDF"},
    )


def test_a_long_file_name_is_shortened_from_the_start(official_actor: Actor, draft: Tender) -> None:
    name = "a" * 236 + ".pdf"
    document = services.document_add(
        actor=official_actor, tender=draft, data=DocumentData(upload=upload(name), title="Bases")
    )
    document.refresh_from_db()
    assert document.filename == "a" * 196 + ".pdf"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bases.pdf", PDF, "file_too_large"),
        ("setup.exe", EXE, "file_type_not_allowed"),
        ("bases", PDF, "file_type_not_allowed"),
        ("bases.pdf", EXE, "file_content_mismatch"),
        ("bases.pdf", ZIP, "file_content_mismatch"),
        ("bases.pdf", b"", "empty_file"),
        ("notas.txt", b"texto\x00oculto", "file_content_mismatch"),
    ],
)
def test_document_checks_refuse_bad_files(
    refused: Any,
    settings: Any,
    official_actor: Actor,
    draft: Tender,
    name: str,
    content: bytes,
    code: str,
) -> None:
    if code == "file_too_large":
        settings.PREGON_MAX_UPLOAD_BYTES = len(PDF) - 1
    error = refused(
        ValidationFailed,
        code,
        services.document_add,
        actor=official_actor,
        tender=draft,
        data=DocumentData(upload=upload(name, content), title="Bases"),
    )
    assert error.field == "file"
    assert TenderDocument.objects.count() == 0


def test_a_file_exactly_at_the_limit_is_accepted(
    settings: Any, official_actor: Actor, draft: Tender
) -> None:
    settings.PREGON_MAX_UPLOAD_BYTES = len(PDF)
    services.document_add(
        actor=official_actor, tender=draft, data=DocumentData(upload=upload(), title="Bases")
    )
    assert TenderDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("title", "document_type", "field"),
    [
        (" ", "biddingDocuments", "title"),
        ("T" * 301, "biddingDocuments", "title"),
        ("Bases", "invoice", "document_type"),
    ],
)
def test_document_needs_a_title_and_a_known_type(
    refused: Any, official_actor: Actor, draft: Tender, title: str, document_type: str, field: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.document_add,
        actor=official_actor,
        tender=draft,
        data=DocumentData(upload=upload(), title=title, document_type=document_type),
    )
    assert error.field == field


def test_documents_of_an_open_tender_come_through_amendments(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    refused(
        InvalidTransition,
        "cannot_edit",
        services.document_add,
        actor=official_actor,
        tender=open_tender,
        data=DocumentData(upload=upload(), title="Bases"),
    )


def test_delete_a_document_removes_the_file_after_commit(
    official_actor: Actor, draft: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    document = services.document_add(
        actor=official_actor, tender=draft, data=DocumentData(upload=upload(), title="Bases")
    )
    storage, name, pk = document.file.storage, document.file.name, document.pk

    with django_capture_on_commit_callbacks(execute=True):
        _, row = one_audit_row(
            lambda: services.document_delete(actor=official_actor, document=document)
        )
        # The file goes only once the deletion is committed.
        assert storage.exists(name)

    assert not storage.exists(name)
    assert not TenderDocument.objects.filter(pk=pk).exists()
    assert (row.action, row.object_id) == ("document.delete", str(pk))
    assert row.summary == {"tender": draft.pk, "sha256": document.sha256}


def test_document_delete_refuses_an_open_tender(
    refused: Any, official_actor: Actor, buyer: Any, official: Any
) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer)
    document = services.document_add(
        actor=official_actor, tender=tender, data=DocumentData(upload=upload(), title="Bases")
    )
    services.tender_publish(actor=official_actor, tender=tender)
    refused(
        InvalidTransition,
        "cannot_edit",
        services.document_delete,
        actor=official_actor,
        document=document,
    )


# ---------------------------------------------------------------------------------------------
# tender_publish


def test_publish_a_draft(official_actor: Actor, draft: Tender, now: dt.datetime) -> None:
    published, row = one_audit_row(
        lambda: services.tender_publish(actor=official_actor, tender=draft)
    )

    draft.refresh_from_db()
    assert published == draft
    assert draft.status == TenderStatus.ACTIVE
    assert draft.published_at == draft.updated_at == now
    assert (draft.closed_at, draft.cancelled_at, draft.cancellation_reason) == (None, None, "")
    assert draft.is_public
    assert draft.accepts_questions
    assert_audit(
        row,
        actor=official_actor,
        action="tender.publish",
        target=draft,
        summary={"deadline": draft.submission_deadline.isoformat(), "rule_pack": "CL@2026.1"},
    )


MIN_DAYS = {"open": 15, "selective": 12, "limited": 7, "direct": 2, "rfq": 4}


# Chile's pack sets the period of open tenders (tests/tenders/test_rule_packs.py); for the
# other methods it says nothing, and the platform's setting holds.
@pytest.mark.parametrize("method", [m for m in Method.values if m != "open"])
def test_publish_needs_the_minimum_days_of_the_method(
    refused: Any,
    settings: Any,
    official_actor: Actor,
    buyer: Any,
    method: str,
    now: dt.datetime,
) -> None:
    settings.PREGON_MIN_SUBMISSION_DAYS = MIN_DAYS
    minimum = MIN_DAYS[method]
    short = factories.TenderDraftFactory(
        buyer=buyer,
        method=method,
        enquiry_end=now + HOUR,
        submission_deadline=now + minimum * DAY - dt.timedelta(seconds=1),
    )
    error = refused(
        ValidationFailed,
        "not_publishable",
        services.tender_publish,
        actor=official_actor,
        tender=short,
    )
    expected = (
        f"The bid deadline must be at least {minimum} days after publication for this method; "
        f"move it to {(now + minimum * DAY).date().isoformat()} or later."
    )
    assert error.errors == {"__all__": [expected]}
    assert str(error) == expected

    exact = factories.TenderDraftFactory(
        buyer=buyer,
        method=method,
        enquiry_end=now + HOUR,
        submission_deadline=now + minimum * DAY,
    )
    services.tender_publish(actor=official_actor, tender=exact)
    exact.refresh_from_db()
    assert exact.status == TenderStatus.ACTIVE


def test_a_method_missing_from_the_setting_needs_no_minimum(
    settings: Any, official_actor: Actor, buyer: Any, now: dt.datetime
) -> None:
    settings.PREGON_MIN_SUBMISSION_DAYS = {"open": 10}
    tender = factories.TenderDraftFactory(
        buyer=buyer, method="direct", enquiry_end=now + HOUR, submission_deadline=now + 2 * HOUR
    )
    services.tender_publish(actor=official_actor, tender=tender)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.ACTIVE


@pytest.mark.parametrize(
    ("fields", "lots", "problems"),
    [
        ({}, 0, ["Add at least one lot."]),
        ({"estimated_value": Decimal(0)}, 1, ["Give the estimated value."]),
        ({"enquiry_end": "past"}, 1, ["The period for questions must end after publication."]),
        ({"enquiry_end": "now"}, 1, ["The period for questions must end after publication."]),
        (
            {"estimated_value": Decimal(0), "enquiry_end": "past"},
            0,
            [
                "Add at least one lot.",
                "Give the estimated value.",
                "The period for questions must end after publication.",
            ],
        ),
    ],
)
def test_publish_checks_the_rules(
    refused: Any,
    official_actor: Actor,
    buyer: Any,
    fields: dict[str, Any],
    lots: int,
    problems: list[str],
    now: dt.datetime,
) -> None:
    moments = {"past": now - HOUR, "now": now}
    fields = {key: moments.get(value, value) for key, value in fields.items()}
    draft = factories.TenderDraftFactory(buyer=buyer, lots=lots, **fields)

    error = refused(
        ValidationFailed,
        "not_publishable",
        services.tender_publish,
        actor=official_actor,
        tender=draft,
    )
    assert error.errors == {"__all__": problems}
    assert str(error) == " ".join(problems)


def test_publish_refuses_a_lot_without_items(
    refused: Any, official_actor: Actor, buyer: Any
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, lots=2)
    Item.objects.filter(lot__number=2, lot__tender=draft).delete()
    error = refused(
        ValidationFailed,
        "not_publishable",
        services.tender_publish,
        actor=official_actor,
        tender=draft,
    )
    assert error.errors == {"__all__": ["Lot 2 has no items."]}


def test_publish_twice_is_refused(refused: Any, official_actor: Actor, open_tender: Tender) -> None:
    error = refused(
        InvalidTransition,
        "cannot_publish",
        services.tender_publish,
        actor=official_actor,
        tender=open_tender,
    )
    assert str(error) == "Only a draft can be published; this tender is open for bids."


def test_publishing_a_stale_copy_of_a_published_tender_is_refused(
    refused: Any, official_actor: Actor, draft: Tender
) -> None:
    stale = Tender.objects.get(pk=draft.pk)
    services.tender_publish(actor=official_actor, tender=draft)
    refused(
        InvalidTransition,
        "cannot_publish",
        services.tender_publish,
        actor=official_actor,
        tender=stale,
    )


@pytest.mark.parametrize("state", ["closed", "cancelled"])
def test_publish_refuses_closed_and_cancelled_tenders(
    refused: Any, official_actor: Actor, state: str, request: Any
) -> None:
    tender = request.getfixturevalue(f"{state}_tender")
    refused(
        InvalidTransition,
        "cannot_publish",
        services.tender_publish,
        actor=official_actor,
        tender=tender,
    )


# ---------------------------------------------------------------------------------------------
# closing at the deadline (the task worker's side is in test_deadline.py)


def test_close_a_draft_does_nothing(draft: Tender) -> None:
    before = database_snapshot()
    assert services.tender_close_if_due(tender_id=draft.pk) is False
    assert database_snapshot() == before


def test_close_before_the_deadline_does_nothing(open_tender: Tender) -> None:
    before = database_snapshot()
    assert services.tender_close_if_due(tender_id=open_tender.pk) is False
    assert services.tender_close_if_due(tender_id=0) is False
    assert database_snapshot() == before


def test_close_at_the_deadline(open_tender: Tender) -> None:
    deadline = open_tender.submission_deadline
    with clock.at(deadline):
        closed, row = one_audit_row(lambda: services.tender_close_if_due(tender_id=open_tender.pk))
    open_tender.refresh_from_db()
    assert closed is True
    assert open_tender.status == TenderStatus.CLOSED
    assert open_tender.closed_at == open_tender.updated_at == deadline
    assert (row.action, row.actor, row.actor_label, row.organization) == (
        "tender.close",
        None,
        "system",
        None,
    )
    assert (row.channel, row.ip_address, row.created_at) == ("task", None, deadline)
    assert row.summary == {"deadline": deadline.isoformat()}
    with clock.at(deadline + DAY):
        assert services.tender_close_if_due(tender_id=open_tender.pk) is False
    assert AuditEvent.objects.filter(action="tender.close").count() == 1


# ---------------------------------------------------------------------------------------------
# tender_cancel


@pytest.mark.parametrize("state", ["draft", "open", "closed"])
def test_cancel_from_each_state(
    official_actor: Actor, state: str, request: Any, now: dt.datetime
) -> None:
    tender = request.getfixturevalue({"open": "open_tender"}.get(state, f"{state}_tender"))
    previous = tender.status

    cancelled, row = one_audit_row(
        lambda: services.tender_cancel(
            actor=official_actor, tender=tender, reason="  Presupuesto reasignado.  "
        )
    )

    tender.refresh_from_db()
    assert cancelled == tender
    assert tender.status == TenderStatus.CANCELLED
    assert tender.cancelled_at == tender.updated_at == now
    assert tender.cancellation_reason == "Presupuesto reasignado."
    assert_audit(
        row,
        actor=official_actor,
        action="tender.cancel",
        target=tender,
        summary={"from": previous, "reason": "Presupuesto reasignado."},
    )


@pytest.fixture
def draft_tender(draft: Tender) -> Tender:
    return draft


def test_cancel_a_cancelled_tender_is_refused(
    refused: Any, official_actor: Actor, cancelled_tender: Tender
) -> None:
    error = refused(
        InvalidTransition,
        "cannot_cancel",
        services.tender_cancel,
        actor=official_actor,
        tender=cancelled_tender,
        reason="Otra vez",
    )
    assert str(error) == "This tender is already cancelled and cannot be cancelled."


def test_cancel_needs_a_reason(refused: Any, official_actor: Actor, open_tender: Tender) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_cancel,
        actor=official_actor,
        tender=open_tender,
        reason=" \n ",
    )
    assert error.field == "reason"


# ---------------------------------------------------------------------------------------------
# tender_amend


@pytest.mark.parametrize("state", ["draft", "closed", "cancelled"])
def test_only_an_open_tender_can_be_amended(
    refused: Any, official_actor: Actor, state: str, request: Any
) -> None:
    tender = request.getfixturevalue(f"{state}_tender")
    refused(
        InvalidTransition,
        "cannot_amend",
        services.tender_amend,
        actor=official_actor,
        tender=tender,
        data=AmendmentData(reason="Corrección", title="Nuevo título"),
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_amendment_needs_a_reason(
    refused: Any, official_actor: Actor, open_tender: Tender, reason: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_amend,
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(reason=reason, title="Nuevo título"),
    )
    assert error.field == "reason"


def test_an_amendment_that_changes_nothing_is_refused(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    refused(
        ValidationFailed,
        "empty_amendment",
        services.tender_amend,
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(reason="Nada", title=open_tender.title),
    )


def test_an_amendment_never_brings_the_deadline_forward(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_amend,
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(
            reason="Urgencia",
            enquiry_end=open_tender.enquiry_end - 2 * DAY,
            submission_deadline=open_tender.submission_deadline - DAY,
        ),
    )
    assert error.field == "submission_deadline"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", " "),
        ("description", ""),
        ("estimated_value", Decimal(-1)),
        ("award_criteria", "coinToss"),
        ("title", "T" * 301),
    ],
)
def test_an_amendment_checks_its_values(
    refused: Any, official_actor: Actor, open_tender: Tender, field: str, value: Any
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_amend,
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(reason="Corrección", **{field: value}),
    )
    assert error.field == field


def test_an_amendment_keeps_the_opening_after_the_deadline(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_amend,
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(reason="Más plazo", submission_deadline=open_tender.opening_at + DAY),
    )
    assert error.field == "opening_at"


DEADLINE_PASSED = (
    "The bid deadline has passed; this tender no longer accepts changes, questions or bids."
)


@pytest.mark.parametrize("change", ["title", "description", "deadline", "document"])
def test_no_amendment_after_the_deadline_even_before_the_close_task_ran(
    refused: Any, official_actor: Actor, buyer: Any, now: dt.datetime, change: str
) -> None:
    # The deadline passed a minute ago and the worker has not closed the tender yet: "open"
    # is the status and a deadline still ahead. A change to the offer or a later deadline
    # would otherwise move the deadline and reopen the tender.
    tender = published_before(buyer, now - dt.timedelta(minutes=1))
    data = {
        "title": AmendmentData(reason="Corrección", title="Nuevo título"),
        "description": AmendmentData(reason="Nuevo alcance", description="Con instalación."),
        "deadline": AmendmentData(
            reason="Más plazo",
            submission_deadline=now + 30 * DAY,
            opening_at=now + 30 * DAY + HOUR,
        ),
        "document": AmendmentData(
            reason="Anexo", documents=[DocumentData(upload=upload(), title="Anexo técnico")]
        ),
    }[change]
    error = refused(
        InvalidTransition,
        "deadline_passed",
        services.tender_amend,
        actor=official_actor,
        tender=tender,
        data=data,
    )
    assert str(error) == DEADLINE_PASSED


def test_no_question_after_the_deadline_even_before_the_close_task_ran(
    refused: Any, supplier_actor: Actor, buyer: Any, now: dt.datetime
) -> None:
    tender = published_before(buyer, now - dt.timedelta(minutes=1))
    error = refused(
        InvalidTransition,
        "deadline_passed",
        services.question_ask,
        actor=supplier_actor,
        tender=tender,
        text="¿Aún se puede ofertar?",
    )
    assert str(error) == DEADLINE_PASSED


def test_the_deadline_is_read_under_the_lock(
    refused: Any, official_actor: Actor, buyer: Any, now: dt.datetime
) -> None:
    # A caller holding the tender from before the deadline moved (here: back into the past, as
    # only the database can say) is judged by the row as it is now.
    tender = published_before(buyer, now + DAY)
    Tender.objects.filter(pk=tender.pk).update(
        submission_deadline=now - HOUR, enquiry_end=now - HOUR, opening_at=now
    )
    error = refused(
        InvalidTransition,
        "deadline_passed",
        services.tender_amend,
        actor=official_actor,
        tender=tender,
        data=AmendmentData(reason="Corrección", title="Nuevo título"),
    )
    assert str(error) == DEADLINE_PASSED


@pytest.mark.parametrize(
    ("field", "new", "recorded"),
    [
        (
            "description",
            "Ahora incluye instalación en cada escuela.",
            [
                "Computadores de escritorio para oficinas regionales, con garantía de 3 años.",
                "Ahora incluye instalación en cada escuela.",
            ],
        ),
        ("estimated_value", Decimal("175000.00"), ["150000.00", "175000.00"]),
        # The weighted criteria, which change with the code, are in test_award_criteria.py.
        ("award_criteria_details", "Precio 70 %, plazo 30 %.", ["", "Precio 70 %, plazo 30 %."]),
        ("documents", None, ["Anexo técnico"]),
    ],
)
def test_an_amendment_that_changes_the_offer_moves_the_deadline(
    settings: Any,
    official_actor: Actor,
    official: Any,
    buyer: Any,
    field: str,
    new: Any,
    recorded: list[Any],
    now: dt.datetime,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.PREGON_AMENDMENT_MIN_DAYS = 7
    old_deadline = now + 2 * DAY
    tender = published_before(buyer, old_deadline)
    old_opening, old_enquiry_end = tender.opening_at, tender.enquiry_end
    change: dict[str, Any] = (
        {"documents": [DocumentData(upload=upload(), title="Anexo técnico")]}
        if field == "documents"
        else {field: new}
    )

    with django_capture_on_commit_callbacks(execute=True):
        amendment, row = one_audit_row(
            lambda: services.tender_amend(
                actor=official_actor,
                tender=tender,
                data=AmendmentData(reason=" Nuevas exigencias técnicas ", **change),
            )
        )

    tender.refresh_from_db()
    new_deadline = now + 7 * DAY
    assert tender.submission_deadline == new_deadline
    assert tender.opening_at == old_opening + (new_deadline - old_deadline) == new_deadline + HOUR
    assert tender.enquiry_end == old_enquiry_end
    assert tender.status == TenderStatus.ACTIVE
    assert tender.updated_at == now
    amendment.refresh_from_db()
    assert (amendment.tender, amendment.number, amendment.reason) == (
        tender,
        1,
        "Nuevas exigencias técnicas",
    )
    assert amendment.changes_offer is True
    assert (amendment.previous_deadline, amendment.new_deadline) == (old_deadline, new_deadline)
    assert (amendment.created_by, amendment.created_at) == (official, now)
    assert amendment.changes == {
        field: recorded,
        "submission_deadline": [old_deadline.isoformat(), new_deadline.isoformat()],
        "opening_at": [old_opening.isoformat(), (new_deadline + HOUR).isoformat()],
    }
    if field == "documents":
        document = TenderDocument.objects.get()
        assert (document.amendment, document.tender, document.title) == (
            amendment,
            tender,
            "Anexo técnico",
        )
    else:
        assert getattr(tender, field) == new
    assert_audit(
        row,
        actor=official_actor,
        action="tender.amend",
        target=tender,
        summary={
            "amendment": 1,
            "changes": amendment.changes,
            "reason": "Nuevas exigencias técnicas",
        },
    )
    # A close is scheduled for the new deadline, once the amendment is committed.
    assert scheduled_closes() == [(tender.pk, new_deadline)]


def test_a_title_only_amendment_leaves_the_deadline(
    official_actor: Actor, buyer: Any, now: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    deadline = now + 2 * DAY
    tender = published_before(buyer, deadline)
    old_title = tender.title

    with django_capture_on_commit_callbacks(execute=True):
        amendment = services.tender_amend(
            actor=official_actor,
            tender=tender,
            data=AmendmentData(reason="Error de tipeo", title="Computadores para oficinas"),
        )

    tender.refresh_from_db()
    assert tender.title == "Computadores para oficinas"
    assert (tender.submission_deadline, tender.opening_at) == (deadline, deadline + HOUR)
    assert amendment.changes_offer is False
    assert amendment.previous_deadline == amendment.new_deadline == deadline
    assert amendment.changes == {"title": [old_title, "Computadores para oficinas"]}
    # The close already scheduled at publication still holds.
    assert scheduled_closes() == []


def test_an_offer_change_with_time_enough_keeps_the_deadline(
    official_actor: Actor, open_tender: Tender
) -> None:
    deadline = open_tender.submission_deadline
    amendment = services.tender_amend(
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(reason="Más equipos", estimated_value=Decimal("180000.00")),
    )
    open_tender.refresh_from_db()
    assert open_tender.submission_deadline == deadline
    assert amendment.changes_offer is True
    assert amendment.changes == {"estimated_value": ["150000.00", "180000.00"]}


def test_an_offer_change_after_the_questions_closed_reopens_them(
    official_actor: Actor, buyer: Any, now: dt.datetime
) -> None:
    tender = published_before(buyer, now + DAY, enquiry_end=now - HOUR)
    services.tender_amend(
        actor=official_actor,
        tender=tender,
        data=AmendmentData(reason="Nuevas exigencias", description="Incluye instalación."),
    )
    tender.refresh_from_db()
    assert tender.enquiry_end == now + DAY
    assert tender.submission_deadline == now + 5 * DAY
    assert Amendment.objects.get().changes["enquiry_end"] == [
        (now - HOUR).isoformat(),
        (now + DAY).isoformat(),
    ]


def test_an_amendment_may_extend_the_deadline(
    official_actor: Actor, open_tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    old = open_tender.submission_deadline
    with django_capture_on_commit_callbacks(execute=True):
        amendment = services.tender_amend(
            actor=official_actor,
            tender=open_tender,
            data=AmendmentData(
                reason="Más plazo", submission_deadline=old + DAY, opening_at=old + 2 * DAY
            ),
        )
    assert (amendment.previous_deadline, amendment.new_deadline) == (old, old + DAY)
    assert amendment.changes_offer is False
    assert scheduled_closes() == [(open_tender.pk, old + DAY)]


def test_amendments_are_numbered_and_read_the_current_deadline(
    refused: Any, official_actor: Actor, buyer: Any, now: dt.datetime
) -> None:
    deadline = now + 2 * DAY
    tender = published_before(buyer, deadline)
    stale = Tender.objects.get(pk=tender.pk)
    first = services.tender_amend(
        actor=official_actor,
        tender=tender,
        data=AmendmentData(reason="Cambio", description="Incluye instalación."),
    )
    assert first.new_deadline == now + 5 * DAY

    # A caller holding the tender from before the first amendment cannot shorten the deadline
    # it set, and the next amendment starts from it.
    refused(
        ValidationFailed,
        "validation_failed",
        services.tender_amend,
        actor=official_actor,
        tender=stale,
        data=AmendmentData(reason="Atajo", submission_deadline=deadline + DAY),
    )
    second = services.tender_amend(
        actor=official_actor, tender=stale, data=AmendmentData(reason="Título", title="Otro")
    )
    assert (second.number, second.previous_deadline, second.new_deadline) == (
        2,
        now + 5 * DAY,
        now + 5 * DAY,
    )


def test_an_amendment_with_a_bad_document_writes_nothing(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    refused(
        ValidationFailed,
        "file_content_mismatch",
        services.tender_amend,
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(
            reason="Anexo",
            title="Nuevo título",
            documents=[DocumentData(upload=upload("anexo.pdf", EXE), title="Anexo")],
        ),
    )
    assert Amendment.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# questions


def test_ask_questions(
    supplier_actor: Actor, supplier_user: Any, supplier: Any, open_tender: Tender, now: Any
) -> None:
    first, row = one_audit_row(
        lambda: services.question_ask(
            actor=supplier_actor,
            tender=open_tender,
            text="  ¿Se aceptan equipos reacondicionados?  ",
        )
    )
    second = services.question_ask(
        actor=supplier_actor,
        tender=open_tender,
        text="¿Plazo de entrega?",
        lot=open_tender.lots.get(),
    )

    first.refresh_from_db()
    assert (first.tender, first.number, first.lot) == (open_tender, 1, None)
    assert first.text == "¿Se aceptan equipos reacondicionados?"
    assert (first.asked_by, first.asked_for, first.asked_at) == (supplier_user, supplier, now)
    assert (first.answer, first.answered_by, first.answered_at) == ("", None, None)
    assert (second.number, second.lot) == (2, open_tender.lots.get())
    assert_audit(
        row,
        actor=supplier_actor,
        action="question.ask",
        target=first,
        summary={"tender": open_tender.pk},
    )


@pytest.mark.parametrize("state", ["draft", "closed", "cancelled"])
def test_questions_only_while_the_tender_is_open(
    refused: Any, supplier_actor: Actor, state: str, request: Any
) -> None:
    tender = request.getfixturevalue(f"{state}_tender")
    error = refused(
        InvalidTransition,
        "questions_closed",
        services.question_ask,
        actor=supplier_actor,
        tender=tender,
        text="¿Hay prórroga?",
    )
    assert str(error) == "This tender does not accept questions."


def test_questions_end_with_the_enquiry_period(
    refused: Any, supplier_actor: Actor, open_tender: Tender
) -> None:
    with clock.at(open_tender.enquiry_end):
        error = refused(
            InvalidTransition,
            "questions_closed",
            services.question_ask,
            actor=supplier_actor,
            tender=open_tender,
            text="¿Hay prórroga?",
        )
    assert str(error) == "The period for questions has ended."


@pytest.mark.parametrize("text", ["", "  \n ", "x" * 5001])
def test_a_question_needs_text_of_reasonable_length(
    refused: Any, supplier_actor: Actor, open_tender: Tender, text: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.question_ask,
        actor=supplier_actor,
        tender=open_tender,
        text=text,
    )
    assert error.field == "text"


def test_a_question_about_a_lot_of_another_tender_is_refused(
    refused: Any, supplier_actor: Actor, open_tender: Tender, draft: Tender
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.question_ask,
        actor=supplier_actor,
        tender=open_tender,
        text="¿Plazo?",
        lot=draft.lots.get(),
    )
    assert error.field == "lot"


@pytest.mark.parametrize("who", ["official", "anonymous", "supplier of another organization"])
def test_only_suppliers_ask(
    refused: Any, official_actor: Actor, supplier_user: Any, open_tender: Tender, who: str
) -> None:
    actor = {
        "official": official_actor,
        "anonymous": Actor(user=None),
        # Acting for a supplier the person is no member of.
        "supplier of another organization": Actor(
            user=supplier_user, organization=factories.SupplierFactory()
        ),
    }[who]
    refused(
        PermissionDenied,
        "permission_denied",
        services.question_ask,
        actor=actor,
        tender=open_tender,
        text="¿Plazo?",
    )


@pytest.fixture
def question(supplier_actor: Actor, open_tender: Tender) -> Question:
    return services.question_ask(actor=supplier_actor, tender=open_tender, text="¿Plazo?")


def test_answer_a_question(
    official_actor: Actor, official: Any, question: Question, now: dt.datetime
) -> None:
    answered, row = one_audit_row(
        lambda: services.question_answer(
            actor=official_actor, question=question, answer="  Treinta días.  "
        )
    )
    question.refresh_from_db()
    assert answered == question
    assert (question.answer, question.answered_by, question.answered_at) == (
        "Treinta días.",
        official,
        now,
    )
    assert question.is_answered
    assert_audit(
        row,
        actor=official_actor,
        action="question.answer",
        target=question,
        summary={"tender": question.tender_id},
    )


def test_answer_after_the_deadline(
    official_actor: Actor, question: Question, now: dt.datetime
) -> None:
    later = question.tender.submission_deadline + DAY
    with clock.at(later):
        assert services.tender_close_if_due(tender_id=question.tender_id)
        services.question_answer(actor=official_actor, question=question, answer="Treinta días.")
    question.refresh_from_db()
    assert (question.answer, question.answered_at) == ("Treinta días.", later)


def test_answer_twice_is_refused(refused: Any, official_actor: Actor, question: Question) -> None:
    services.question_answer(actor=official_actor, question=question, answer="Treinta días.")
    error = refused(
        InvalidTransition,
        "already_answered",
        services.question_answer,
        actor=official_actor,
        question=question,
        answer="Cuarenta días.",
    )
    assert str(error) == (
        "This question has already been answered; publish an amendment to change the tender."
    )


def test_no_answers_on_a_cancelled_tender(
    refused: Any, official_actor: Actor, question: Question
) -> None:
    services.tender_cancel(actor=official_actor, tender=question.tender, reason="Desierta")
    refused(
        InvalidTransition,
        "cannot_answer",
        services.question_answer,
        actor=official_actor,
        question=question,
        answer="Treinta días.",
    )


def test_an_answer_needs_text(refused: Any, official_actor: Actor, question: Question) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.question_answer,
        actor=official_actor,
        question=question,
        answer="   ",
    )
    assert error.field == "answer"


def test_another_buyer_cannot_answer(refused: Any, other_actor: Actor, question: Question) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        services.question_answer,
        actor=other_actor,
        question=question,
        answer="Treinta días.",
    )


# ---------------------------------------------------------------------------------------------
# text and dates every service refuses (whatever the page or the API let through)

NUL = "\x00"
NUL_MESSAGE = "Remove the NUL character (code 0) from this text."
LONG = 20_001  # one more than descriptions may hold
# Moments that exist in their own zone but not in UTC (years 0 and 10000).
FAR_PAST = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))
FAR_FUTURE = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12)))
OUT_OF_RANGE = "This date is out of the range the platform can store."


def _text_cases() -> list[tuple[str, str, Any]]:
    """(case, field, the call that must refuse) for each text of each service."""
    return [
        ("create reference", "reference", lambda w: w.create(reference="LIC" + NUL)),
        ("create title", "title", lambda w: w.create(title="Sillas" + NUL)),
        ("create description", "description", lambda w: w.create(description=NUL + "Sillas")),
        ("create description length", "description", lambda w: w.create(description="x" * LONG)),
        (
            "create criteria",
            "award_criteria_details",
            lambda w: w.create(award_criteria_details=NUL),
        ),
        (
            "create criteria length",
            "award_criteria_details",
            lambda w: w.create(award_criteria_details="x" * LONG),
        ),
        ("create lot title", "title", lambda w: w.create(lots=[lot(title="L" + NUL)])),
        ("create lot description", "description", lambda w: w.create(lots=[lot(description=NUL)])),
        (
            "create lot description length",
            "description",
            lambda w: w.create(lots=[lot(description="x" * LONG)]),
        ),
        (
            "create item",
            "description",
            lambda w: w.create(lots=[lot(items=[item(description=NUL)])]),
        ),
        ("create unit", "unit", lambda w: w.create(lots=[lot(items=[item(unit="u" + NUL)])])),
        ("update title", "title", lambda w: w.update(title="Sillas" + NUL)),
        ("update description length", "description", lambda w: w.update(description="x" * LONG)),
        ("lot title", "title", lambda w: w.lot_save(lot(title="L" + NUL))),
        (
            "lot description length",
            "description",
            lambda w: w.lot_save(lot(description="x" * LONG)),
        ),
        ("item description", "description", lambda w: w.item_add(item(description="D" + NUL))),
        ("document title", "title", lambda w: w.document(title="Bases" + NUL)),
        ("cancel reason", "reason", lambda w: w.cancel(reason="Desierta" + NUL)),
        ("cancel reason length", "reason", lambda w: w.cancel(reason="x" * 5001)),
        ("amend reason", "reason", lambda w: w.amend(reason="Cambio" + NUL, title="Otro")),
        ("amend reason length", "reason", lambda w: w.amend(reason="x" * 5001, title="Otro")),
        ("amend title", "title", lambda w: w.amend(reason="Cambio", title="Otro" + NUL)),
        ("amend description", "description", lambda w: w.amend(reason="C", description=NUL)),
        (
            "amend description length",
            "description",
            lambda w: w.amend(reason="Cambio", description="x" * LONG),
        ),
        (
            "amend criteria",
            "award_criteria_details",
            lambda w: w.amend(reason="Cambio", award_criteria_details="P" + NUL),
        ),
        ("question", "text", lambda w: w.ask(text="¿Plazo?" + NUL)),
        ("answer", "answer", lambda w: w.answer(answer="Treinta" + NUL)),
        ("answer length", "answer", lambda w: w.answer(answer="x" * 10_001)),
    ]


class _Calls:
    """The services called on one buyer's draft and open tender, with one field changed."""

    def __init__(self, official: Actor, supplier: Actor, draft: Tender, open_tender: Tender):
        self.official, self.supplier = official, supplier
        self.draft, self.open_tender = draft, open_tender

    def create(self, **overrides: Any) -> Any:
        return services.tender_create(
            actor=self.official, buyer=self.draft.buyer, data=tender_data(**overrides)
        )

    def update(self, **overrides: Any) -> Any:
        return services.tender_update(
            actor=self.official, tender=self.draft, data=same_as(self.draft, **overrides)
        )

    def lot_save(self, data: LotData) -> Any:
        return services.lot_save(actor=self.official, tender=self.draft, data=data)

    def item_add(self, data: ItemData) -> Any:
        return services.item_add(actor=self.official, lot=self.draft.lots.get(), data=data)

    def document(self, title: str) -> Any:
        return services.document_add(
            actor=self.official, tender=self.draft, data=DocumentData(upload=upload(), title=title)
        )

    def cancel(self, reason: str) -> Any:
        return services.tender_cancel(actor=self.official, tender=self.open_tender, reason=reason)

    def amend(self, **fields: Any) -> Any:
        return services.tender_amend(
            actor=self.official, tender=self.open_tender, data=AmendmentData(**fields)
        )

    def ask(self, text: str) -> Any:
        return services.question_ask(actor=self.supplier, tender=self.open_tender, text=text)

    def answer(self, answer: str) -> Any:
        question = Question.objects.get(tender=self.open_tender)
        return services.question_answer(actor=self.official, question=question, answer=answer)


@pytest.mark.parametrize(
    ("case", "field", "call"), _text_cases(), ids=[case for case, _field, _call in _text_cases()]
)
def test_every_text_refuses_nul_characters_and_excess_length(
    refused: Any,
    official_actor: Actor,
    supplier_actor: Actor,
    draft: Tender,
    open_tender: Tender,
    case: str,
    field: str,
    call: Any,
) -> None:
    calls = _Calls(official_actor, supplier_actor, draft, open_tender)
    # A question waits for the refused answers.
    services.question_ask(actor=supplier_actor, tender=open_tender, text="¿Plazo?")
    error = refused(ValidationFailed, "validation_failed", call, calls)
    assert error.field == field
    if case.endswith("length"):
        assert str(error).startswith("This text is too long (")
    else:
        assert str(error) == NUL_MESSAGE


@pytest.mark.parametrize("moment", [FAR_PAST, FAR_FUTURE], ids=["year 0", "year 10000"])
@pytest.mark.parametrize("field", ["enquiry_end", "submission_deadline", "opening_at"])
def test_dates_that_utc_cannot_hold_are_refused(
    refused: Any, official_actor: Actor, buyer: Any, draft: Tender, field: str, moment: Any
) -> None:
    for service, arguments in [
        (services.tender_create, {"buyer": buyer, "data": tender_data(**{field: moment})}),
        (services.tender_update, {"tender": draft, "data": same_as(draft, **{field: moment})}),
    ]:
        error = refused(
            ValidationFailed, "validation_failed", service, actor=official_actor, **arguments
        )
        assert (error.field, str(error)) == (field, OUT_OF_RANGE)


@pytest.mark.parametrize("field", ["enquiry_end", "submission_deadline", "opening_at"])
def test_an_amendment_refuses_dates_that_utc_cannot_hold(
    refused: Any, official_actor: Actor, open_tender: Tender, field: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.tender_amend,
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(reason="Más plazo", **{field: FAR_FUTURE}),
    )
    assert (error.field, str(error)) == (field, OUT_OF_RANGE)
