"""The buyer workspace through HTTP (Django's test client), page by page.

Each allowed step is checked by the rows it leaves and the audit actions it records; each
refused one by its status and by every domain table being exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pregon.accounts.models import Membership
from pregon.core import clock
from pregon.core.models import AuditEvent
from pregon.tenders import services
from pregon.tenders.models import Amendment, Item, Lot, Question, Tender, TenderDocument
from tests import factories
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
SANTIAGO = ZoneInfo("America/Santiago")
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """URLs are reversed and pages read in English unless a test says otherwise."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    """Every test acts at one fixed moment (close to the real time, for the task queue)."""
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def local(moment: dt.datetime) -> str:
    """What a datetime-local input sends for a moment, in the platform's zone (Chile)."""
    return moment.astimezone(SANTIAGO).strftime("%Y-%m-%dT%H:%M")


def actions_since(before: set[int]) -> list[str]:
    return list(
        AuditEvent.objects.exclude(pk__in=before).order_by("id").values_list("action", flat=True)
    )


def audit_ids() -> set[int]:
    return set(AuditEvent.objects.values_list("pk", flat=True))


def tender_fields(**changes: Any) -> dict[str, str]:
    data = {
        "reference": "LIC-2026-0777",
        "title": "Mobiliario escolar",
        "description": "Sillas y mesas para 12 escuelas rurales.",
        "language": "es",
        "method": "open",
        "category": "goods",
        "estimated_value": "98000000",
        "currency": "CLP",
        "award_criteria": "ratedCriteria",
        "price_scoring": "proportional",
        "award_criteria_details": "Precio 60 %, plazo de entrega 40 %.",
        "enquiry_end": "2031-03-10T12:00",
        "submission_deadline": "2031-03-20T15:00",
        "opening_at": "2031-03-20T16:00",
        **CRITERIA_ROWS,
    }
    data.update(changes)
    return data


# The weighted criteria as the page's rows send them (a management form, then one row each).
CRITERIA_ROWS = {
    "criteria-TOTAL_FORMS": "2",
    "criteria-INITIAL_FORMS": "0",
    "criteria-0-name": "Precio",
    "criteria-0-kind": "price",
    "criteria-0-weight": "60",
    "criteria-0-description": "",
    "criteria-1-name": "Plazo de entrega",
    "criteria-1-kind": "quality",
    "criteria-1-weight": "40",
    "criteria-1-description": "Días corridos desde la orden de compra.",
}


def item_fields(lot: Lot, **changes: str) -> dict[str, str]:
    prefix = f"item-{lot.pk}-"
    data = {
        "description": "Silla apilable",
        "classification_scheme": "CPV",
        "classification_group": "39000000-2",
        "classification_code": "",
        "quantity": "600",
        "unit": "unidad",
    }
    data.update(changes)
    return {prefix + name: value for name, value in data.items()}


# ---------------------------------------------------------------------------------------------
# the journey: create, lots, items, document, publish


def test_official_drafts_and_publishes_a_tender_through_the_pages(
    official: Any, buyer: Any, now: dt.datetime
) -> None:
    client = signed_in(official)
    before = audit_ids()

    page = client.get(reverse("workspace:tender_create"))
    assert page.status_code == 200
    assert b"America/Santiago" in page.content

    response = client.post(reverse("workspace:tender_create"), tender_fields())
    tender = Tender.objects.get(reference="LIC-2026-0777")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:tender", kwargs={"pk": tender.pk}) + "#lots"
    assert tender.buyer == buyer
    assert tender.status == "draft"
    assert tender.title == "Mobiliario escolar"
    assert tender.estimated_value == Decimal("98000000.00")
    assert tender.award_criteria == "ratedCriteria"
    assert tender.price_scoring == "proportional"
    assert [
        (c.position, c.name, c.kind, c.weight, c.description) for c in tender.criteria.all()
    ] == [
        (1, "Precio", "price", 60, ""),
        (2, "Plazo de entrega", "quality", 40, "Días corridos desde la orden de compra."),
    ]
    assert tender.award_criteria_details == "Precio 60 %, plazo de entrega 40 %."
    # Typed in Chile's time zone (UTC-3 in March), stored as the same instant.
    assert tender.enquiry_end == dt.datetime(2031, 3, 10, 12, 0, tzinfo=SANTIAGO)
    assert tender.submission_deadline == dt.datetime(2031, 3, 20, 18, 0, tzinfo=dt.UTC)
    assert tender.opening_at == dt.datetime(2031, 3, 20, 16, 0, tzinfo=SANTIAGO)

    # A lot without JavaScript (full-page POST), then a second one in place with HTMX.
    response = client.post(
        reverse("workspace:lot_add", kwargs={"pk": tender.pk}),
        {"lot-title": "Sillas", "lot-description": "", "lot-estimated_value": "40000000"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("workspace:lot_add", kwargs={"pk": tender.pk}),
        {"lot-title": "Mesas", "lot-description": "Mesas de dos puestos"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.templates[0].name == "workspace/buyer/partials/lots.html"
    assert b'id="lots"' in response.content and b"Mesas" in response.content
    first, second = tender.lots.order_by("number")
    assert (first.number, first.title, first.estimated_value) == (1, "Sillas", Decimal(40000000))
    assert (second.number, second.title, second.estimated_value) == (2, "Mesas", None)

    response = client.post(
        reverse("workspace:item_add", kwargs={"pk": tender.pk, "lot_pk": first.pk}),
        item_fields(first),
        **HTMX,
    )
    assert response.status_code == 200
    assert b"Silla apilable" in response.content
    # A deeper code typed by hand replaces the list's choice.
    response = client.post(
        reverse("workspace:item_add", kwargs={"pk": tender.pk, "lot_pk": second.pk}),
        item_fields(
            second,
            description="Mesa escolar",
            classification_scheme="UNSPSC",
            classification_group="",
            classification_code="56121500",
            quantity="300.5",
        ),
    )
    assert response.status_code == 302
    items = list(Item.objects.filter(lot__tender=tender).order_by("id"))
    assert [
        (
            i.lot_id,
            i.description,
            i.classification_scheme,
            i.classification_code,
            i.quantity,
            i.unit,
        )
        for i in items
    ] == [
        (first.pk, "Silla apilable", "CPV", "39000000-2", Decimal("600.000"), "unidad"),
        (second.pk, "Mesa escolar", "UNSPSC", "56121500", Decimal("300.500"), "unidad"),
    ]

    upload = SimpleUploadedFile("bases.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("workspace:document_add", kwargs={"pk": tender.pk}),
        {
            "document-title": "Bases administrativas",
            "document-document_type": "biddingDocuments",
            "document-file": upload,
        },
    )
    assert response.status_code == 302
    document = TenderDocument.objects.get(tender=tender)
    assert (document.title, document.filename, document.content_type, document.size) == (
        "Bases administrativas",
        "bases.pdf",
        "application/pdf",
        len(PDF),
    )
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    download = client.get(
        reverse("workspace:document", kwargs={"pk": tender.pk, "document_pk": document.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    page = client.get(reverse("workspace:tender_publish", kwargs={"pk": tender.pk}))
    assert page.context["problems"] == [
        "Name the opening committee: the members who will open the bids together, and how "
        "many of them are needed."
    ]
    assert b"Publish now" not in page.content
    keys = [factories.committee_key(buyer)[0] for _ in range(3)]
    response = client.post(
        reverse("workspace:tender_committee", kwargs={"pk": tender.pk}),
        {"members": [key.user_id for key in keys], "threshold": "2"},
    )
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.opening_threshold == 2
    assert sorted(tender.committee.values_list("fingerprint", flat=True)) == sorted(
        key.fingerprint for key in keys
    )

    page = client.get(reverse("workspace:tender_publish", kwargs={"pk": tender.pk}))
    assert page.status_code == 200
    assert page.context["problems"] == []
    assert b"Publish now" in page.content
    response = client.post(reverse("workspace:tender_publish", kwargs={"pk": tender.pk}))
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.status == "active"
    assert tender.published_at == now

    assert actions_since(before) == [
        "tender.create",
        "lot.add",
        "lot.add",
        "item.add",
        "item.add",
        "document.add",
        "tender.committee",
        "tender.publish",
    ]
    rows = AuditEvent.objects.exclude(pk__in=before)
    assert {(row.actor_id, row.organization_id, row.channel) for row in rows} == {
        (official.pk, buyer.pk, "web")
    }
    assert {row.ip_address for row in rows} == {"127.0.0.1"}


def test_home_lists_tenders_by_status_with_unanswered_questions(
    official: Any, buyer: Any, supplier_actor: Any
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    active = factories.TenderOpenFactory(buyer=buyer)
    factories.TenderOpenFactory()  # another buyer's
    services.question_ask(actor=supplier_actor, tender=active, text="¿Plazo de entrega?")
    services.question_ask(actor=supplier_actor, tender=active, text="¿Garantía?")

    page = signed_in(official).get(reverse("workspace:home"))

    assert page.status_code == 200
    groups = {group["status"]: group["tenders"] for group in page.context["groups"]}
    assert groups["draft"] == [draft]
    assert groups["active"] == [active]
    assert groups["closed"] == groups["cancelled"] == []
    assert groups["active"][0].unanswered == 2
    assert page.context["unanswered"] == 2


def test_item_form_offers_top_level_codes_named_in_the_active_language(
    official: Any, draft: Any
) -> None:
    client = signed_in(official)
    url = reverse("workspace:tender", kwargs={"pk": draft.pk})
    english = client.get(url).content.decode()
    spanish = client.get(url.replace("/en/", "/es/", 1)).content.decode()
    assert "45000000-7 · Construction work" in english
    assert "45000000-7 · Trabajos de construcción" in spanish


def test_refused_item_shows_the_error_in_place_and_adds_nothing(official: Any, draft: Any) -> None:
    lot = draft.lots.get()
    client = signed_in(official)
    before = database_snapshot()

    response = client.post(
        reverse("workspace:item_add", kwargs={"pk": draft.pk, "lot_pk": lot.pk}),
        item_fields(lot, classification_group="", classification_code="99999999"),
        **HTMX,
    )

    assert response.status_code == 422
    form = response.context["lots"][0][1]
    assert form.errors["classification_code"] == [
        "99999999 is not a CPV code we know. Pick one from the list."
    ]
    described = f"id_item-{lot.pk}-classification_code"
    assert f'aria-describedby="{described}_helptext {described}_error"' in response.content.decode()
    assert database_snapshot() == before


def test_lot_and_item_deletion_in_place_and_without_javascript(official: Any, buyer: Any) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer, lots=2)
    first, second = tender.lots.order_by("number")
    client = signed_in(official)
    before = audit_ids()

    item = first.items.order_by("id").first()
    assert item is not None
    confirm = client.get(
        reverse("workspace:item_delete", kwargs={"pk": tender.pk, "item_pk": item.pk})
    )
    assert confirm.status_code == 200
    assert b"Delete the item" in confirm.content
    response = client.post(
        reverse("workspace:item_delete", kwargs={"pk": tender.pk, "item_pk": item.pk}), **HTMX
    )
    assert response.status_code == 200
    assert not Item.objects.filter(pk=item.pk).exists()

    response = client.post(
        reverse("workspace:lot_delete", kwargs={"pk": tender.pk, "lot_pk": first.pk})
    )
    assert response.status_code == 302
    assert list(tender.lots.values_list("pk", "number")) == [(second.pk, 1)]
    assert actions_since(before) == ["item.delete", "lot.delete"]


def test_refused_lot_comes_back_in_place_with_its_error(official: Any, draft: Any) -> None:
    client = signed_in(official)
    before = database_snapshot()
    response = client.post(
        reverse("workspace:lot_add", kwargs={"pk": draft.pk}),
        {"lot-title": "Sillas", "lot-estimated_value": "-5"},
        **HTMX,
    )
    assert response.status_code == 422
    assert response.templates[0].name == "workspace/buyer/partials/lots.html"
    assert response.context["lot_form"].errors["estimated_value"] == [
        "Ensure this value is greater than or equal to 0."
    ]
    # Without JavaScript the same refusal is a full page with the form.
    response = client.post(reverse("workspace:lot_add", kwargs={"pk": draft.pk}), {"lot-title": ""})
    assert response.status_code == 422
    assert response.templates[0].name == "workspace/buyer/lot_form.html"
    assert database_snapshot() == before


def test_code_of_the_other_scheme_is_refused(official: Any, draft: Any) -> None:
    lot = draft.lots.get()
    client = signed_in(official)
    before = database_snapshot()
    response = client.post(
        reverse("workspace:item_add", kwargs={"pk": draft.pk, "lot_pk": lot.pk}),
        item_fields(lot, classification_scheme="UNSPSC", classification_group="45000000-7"),
    )
    assert response.status_code == 422
    assert response.context["form"].errors["classification_group"] == [
        "This code belongs to the other scheme; choose one of UNSPSC."
    ]
    assert database_snapshot() == before


def test_lot_edit_keeps_its_items(official: Any, draft: Any) -> None:
    lot = draft.lots.get()
    response = signed_in(official).post(
        reverse("workspace:lot_edit", kwargs={"pk": draft.pk, "lot_pk": lot.pk}),
        {"lot-title": "Computadores y monitores", "lot-estimated_value": "150000"},
    )
    assert response.status_code == 302
    lot.refresh_from_db()
    assert (lot.title, lot.estimated_value, lot.items.count()) == (
        "Computadores y monitores",
        Decimal(150000),
        2,
    )


def test_edit_draft_unchanged_dates_keep_their_seconds(
    official: Any, buyer: Any, now: dt.datetime
) -> None:
    # The form shows minutes; sending them back unchanged must not cut the stored seconds.
    deadline = now.replace(second=37) + 20 * DAY
    draft = factories.TenderDraftFactory(buyer=buyer, submission_deadline=deadline)
    data = {
        name: (local(value) if isinstance(value, dt.datetime) else str(value))
        for name, value in {
            "reference": draft.reference,
            "title": "Computadores para oficinas regionales",
            "description": draft.description,
            "language": draft.language,
            "method": draft.method,
            "category": draft.category,
            "estimated_value": draft.estimated_value,
            "currency": draft.currency,
            "award_criteria": draft.award_criteria,
            "award_criteria_details": "",
            "enquiry_end": draft.enquiry_end,
            "submission_deadline": draft.submission_deadline,
            "opening_at": draft.opening_at,
        }.items()
    }
    before = audit_ids()

    response = signed_in(official).post(
        reverse("workspace:tender_edit", kwargs={"pk": draft.pk}), data
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Computadores para oficinas regionales"
    assert draft.submission_deadline == deadline
    row = AuditEvent.objects.exclude(pk__in=before).get()
    assert row.action == "tender.update"
    assert list(row.summary["changes"]) == ["title"]


def test_duplicate_reference_is_shown_on_its_field(official: Any, draft: Any) -> None:
    client = signed_in(official)
    before = database_snapshot()
    response = client.post(
        reverse("workspace:tender_create"), tender_fields(reference=draft.reference)
    )
    assert response.status_code == 422
    assert response.context["form"].errors["reference"] == [
        f"Another tender of this buyer already uses the reference {draft.reference}."
    ]
    assert database_snapshot() == before


def test_dates_out_of_order_are_refused_on_the_field(official: Any) -> None:
    client = signed_in(official)
    before = database_snapshot()
    response = client.post(
        reverse("workspace:tender_create"), tender_fields(enquiry_end="2031-03-25T12:00")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["enquiry_end"] == [
        "Questions must close before the bid deadline."
    ]
    assert database_snapshot() == before


def test_upload_refused_by_content_check_shows_on_the_file_field(official: Any, draft: Any) -> None:
    client = signed_in(official)
    before = database_snapshot()
    upload = SimpleUploadedFile("bases.pdf", b"MZ\x90\x00" + bytes(64))
    response = client.post(
        reverse("workspace:document_add", kwargs={"pk": draft.pk}),
        {"document-title": "Bases", "document-document_type": "other", "document-file": upload},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "The file's content does not match its name (bases.pdf). Save it again in the right "
        "format and retry."
    ]
    assert b'enctype="multipart/form-data"' in response.content
    assert database_snapshot() == before


# ---------------------------------------------------------------------------------------------
# publication, amendment, cancellation, questions


def test_publish_with_problems_lists_them_and_keeps_the_draft(official: Any, buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, lots=0)
    client = signed_in(official)

    page = client.get(reverse("workspace:tender_publish", kwargs={"pk": draft.pk}))
    assert page.status_code == 200
    assert page.context["problems"] == ["Add at least one lot."]
    assert b"Publish now" not in page.content

    before = database_snapshot()
    response = client.post(reverse("workspace:tender_publish", kwargs={"pk": draft.pk}))
    assert response.status_code == 422
    assert response.context["problems"] == ["Add at least one lot."]
    assert b"Add at least one lot." in response.content
    assert database_snapshot() == before


def amendment_post(tender: Tender, **changes: Any) -> dict[str, Any]:
    """What the amend page's form sends back: the tender as shown, with `changes`."""
    data: dict[str, Any] = {
        "reason": "",
        "title": tender.title,
        "description": tender.description,
        "estimated_value": str(tender.estimated_value),
        "award_criteria": tender.award_criteria,
        "award_criteria_details": tender.award_criteria_details,
        "enquiry_end": local(tender.enquiry_end),
        "submission_deadline": local(tender.submission_deadline),
        "opening_at": local(tender.opening_at),
        "document_title": "",
        "document_type": "biddingDocuments",
    }
    data.update(changes)
    return data


def test_amend_with_a_new_description_moves_the_deadline(
    official: Any, open_tender: Any, now: dt.datetime, settings: Any
) -> None:
    settings.PREGON_AMENDMENT_MIN_DAYS = 30
    previous = open_tender.submission_deadline
    client = signed_in(official)
    page = client.get(reverse("workspace:tender_amend", kwargs={"pk": open_tender.pk}))
    assert b"bidders keep at least 30 days" in page.content
    before = audit_ids()

    response = client.post(
        reverse("workspace:tender_amend", kwargs={"pk": open_tender.pk}),
        amendment_post(
            open_tender,
            reason="Se precisan las especificaciones.",
            description="Computadores de escritorio con 16 GB de memoria.",
        ),
    )

    assert response.status_code == 302
    open_tender.refresh_from_db()
    assert open_tender.description == "Computadores de escritorio con 16 GB de memoria."
    assert open_tender.submission_deadline == now + 30 * DAY
    amendment = Amendment.objects.get(tender=open_tender)
    assert (amendment.number, amendment.reason, amendment.changes_offer) == (
        1,
        "Se precisan las especificaciones.",
        True,
    )
    assert (amendment.previous_deadline, amendment.new_deadline) == (previous, now + 30 * DAY)
    assert set(amendment.changes) == {"description", "submission_deadline", "opening_at"}
    assert actions_since(before) == ["tender.amend"]


def test_amend_needs_a_reason(official: Any, open_tender: Any) -> None:
    client = signed_in(official)
    before = database_snapshot()
    response = client.post(
        reverse("workspace:tender_amend", kwargs={"pk": open_tender.pk}),
        amendment_post(open_tender, title="Otro título"),
    )
    assert response.status_code == 422
    assert response.context["form"].errors["reason"] == ["Say why the tender is amended."]
    assert database_snapshot() == before


def test_amend_that_changes_nothing_is_refused(official: Any, open_tender: Any) -> None:
    client = signed_in(official)
    before = database_snapshot()
    response = client.post(
        reverse("workspace:tender_amend", kwargs={"pk": open_tender.pk}),
        amendment_post(open_tender, reason="Nada"),
    )
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == ["The amendment changes nothing."]
    assert database_snapshot() == before


def test_cancel_needs_a_reason_then_cancels(official: Any, open_tender: Any) -> None:
    client = signed_in(official)
    url = reverse("workspace:tender_cancel", kwargs={"pk": open_tender.pk})
    assert client.get(url).status_code == 200

    before = database_snapshot()
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 422
    assert response.context["form"].errors["reason"] == [
        "Say why the tender is cancelled; bidders and the public will read it."
    ]
    assert database_snapshot() == before

    audit_before = audit_ids()
    response = client.post(url, {"reason": "La necesidad fue cubierta por un convenio marco."})
    assert response.status_code == 302
    open_tender.refresh_from_db()
    assert open_tender.status == "cancelled"
    assert open_tender.cancellation_reason == "La necesidad fue cubierta por un convenio marco."
    assert actions_since(audit_before) == ["tender.cancel"]

    # Cancelled: no transition is offered, and a second cancellation is refused with 409.
    page = client.get(reverse("workspace:tender", kwargs={"pk": open_tender.pk}))
    assert page.context["access"].transitions == set()
    before = database_snapshot()
    response = client.post(url, {"reason": "Otra vez"})
    assert response.status_code == 409
    assert database_snapshot() == before


def test_buttons_follow_the_allowed_transitions(
    official: Any, buyer: Any, draft: Any, open_tender: Any
) -> None:
    client = signed_in(official)
    closed = factories.TenderClosedFactory(buyer=buyer)

    def buttons(tender: Tender) -> set[str]:
        content = client.get(reverse("workspace:tender", kwargs={"pk": tender.pk})).content
        names = {
            "edit": "tender_edit",
            "publish": "tender_publish",
            "amend": "tender_amend",
            "cancel": "tender_cancel",
        }
        return {
            name
            for name, url_name in names.items()
            if reverse(f"workspace:{url_name}", kwargs={"pk": tender.pk}).encode() in content
        }

    assert buttons(draft) == {"edit", "publish", "cancel"}
    assert buttons(open_tender) == {"amend", "cancel"}
    assert buttons(closed) == {"cancel"}


def test_answer_a_question(official: Any, open_tender: Any, supplier_actor: Any) -> None:
    question = services.question_ask(
        actor=supplier_actor, tender=open_tender, text="¿Se aceptan equipos reacondicionados?"
    )
    client = signed_in(official)
    page = client.get(reverse("workspace:questions", kwargs={"pk": open_tender.pk}))
    assert [q for q, _form in page.context["unanswered"]] == [question]
    # The asker stays anonymous, even to the buyer.
    assert supplier_actor.organization.legal_name.encode() not in page.content

    url = reverse(
        "workspace:question_answer", kwargs={"pk": open_tender.pk, "question_pk": question.pk}
    )
    before = database_snapshot()
    response = client.post(url, {f"q{question.pk}-answer": ""})
    assert response.status_code == 422
    assert database_snapshot() == before

    audit_before = audit_ids()
    response = client.post(url, {f"q{question.pk}-answer": "No; solo equipos nuevos."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "No; solo equipos nuevos."
    assert question.answered_by == official
    assert actions_since(audit_before) == ["question.answer"]

    before = database_snapshot()
    response = client.post(url, {f"q{question.pk}-answer": "Otra respuesta"})
    assert response.status_code == 409
    assert response.context["error"] == (
        "This question has already been answered; publish an amendment to change the tender."
    )
    assert database_snapshot() == before


# ---------------------------------------------------------------------------------------------
# who may see and do what


def tender_urls(tender: Tender) -> list[tuple[str, dict[str, Any]]]:
    """Every workspace URL of one tender, with a POST body that would change something."""
    lot = tender.lots.first()
    item = Item.objects.filter(lot__tender=tender).first()
    document = tender.documents.first()
    question = tender.questions.first()
    assert lot and item and document and question
    pk = tender.pk
    return [
        (reverse("workspace:tender", kwargs={"pk": pk}), {}),
        (reverse("workspace:tender_edit", kwargs={"pk": pk}), tender_fields(title="X")),
        (reverse("workspace:lot_add", kwargs={"pk": pk}), {"lot-title": "X"}),
        (reverse("workspace:lot_edit", kwargs={"pk": pk, "lot_pk": lot.pk}), {"lot-title": "X"}),
        (reverse("workspace:lot_delete", kwargs={"pk": pk, "lot_pk": lot.pk}), {}),
        (reverse("workspace:item_add", kwargs={"pk": pk, "lot_pk": lot.pk}), item_fields(lot)),
        (reverse("workspace:item_delete", kwargs={"pk": pk, "item_pk": item.pk}), {}),
        (reverse("workspace:document_add", kwargs={"pk": pk}), {"document-title": "X"}),
        (reverse("workspace:document", kwargs={"pk": pk, "document_pk": document.pk}), {}),
        (
            reverse("workspace:document_delete", kwargs={"pk": pk, "document_pk": document.pk}),
            {},
        ),
        (reverse("workspace:tender_publish", kwargs={"pk": pk}), {}),
        (reverse("workspace:tender_amend", kwargs={"pk": pk}), {"reason": "X", "title": "Y"}),
        (reverse("workspace:tender_cancel", kwargs={"pk": pk}), {"reason": "X"}),
        (reverse("workspace:questions", kwargs={"pk": pk}), {}),
        (
            reverse("workspace:question_answer", kwargs={"pk": pk, "question_pk": question.pk}),
            {f"q{question.pk}-answer": "X"},
        ),
    ]


@pytest.fixture
def full_tender(buyer: Any, official: Any, supplier_actor: Any) -> Tender:
    """An open tender with a lot, items, a document and a question."""
    tender = factories.TenderDraftFactory(buyer=buyer)
    services.document_add(
        actor=factories.actor_for(official, buyer),
        tender=tender,
        data=services.DocumentData(upload=SimpleUploadedFile("bases.pdf", PDF), title="Bases"),
    )
    services.tender_publish(actor=factories.actor_for(official, buyer), tender=tender)
    services.question_ask(actor=supplier_actor, tender=tender, text="¿Plazo?")
    return Tender.objects.get(pk=tender.pk)


def test_another_organizations_official_gets_404_everywhere(
    full_tender: Tender, other_buyer: Any
) -> None:
    client = signed_in(factories.member(other_buyer, "buyer_official"))
    before = database_snapshot()
    for url, body in tender_urls(full_tender):
        assert client.get(url).status_code == 404, url
        assert client.post(url, body).status_code == 404, url
        assert client.post(url, body, **HTMX).status_code == 404, url
    assert database_snapshot() == before


@pytest.mark.parametrize("role", ["committee_member", "auditor"])
def test_read_only_roles_read_but_every_post_is_refused(
    full_tender: Tender, buyer: Any, role: str
) -> None:
    client = signed_in(factories.member(buyer, role))
    readable = {
        reverse("workspace:tender", kwargs={"pk": full_tender.pk}),
        reverse("workspace:questions", kwargs={"pk": full_tender.pk}),
        reverse("workspace:tender_publish", kwargs={"pk": full_tender.pk}),
        reverse(
            "workspace:document",
            kwargs={"pk": full_tender.pk, "document_pk": full_tender.documents.get().pk},
        ),
    }
    page = client.get(reverse("workspace:home"))
    assert page.status_code == 200
    assert page.context["groups"][1]["tenders"] == [full_tender]
    assert reverse("workspace:tender_create").encode() not in page.content
    before = database_snapshot()
    for url, body in tender_urls(full_tender):
        if url in readable:
            assert client.get(url).status_code == 200, url
        else:
            assert client.get(url).status_code == 403, url
        assert client.post(url, body).status_code in {403, 405}, url
    for url in (reverse("workspace:tender_create"), reverse("workspace:api_keys")):
        assert (
            client.post(
                url, tender_fields() | {"name": "X", "scopes": ["tenders:read"]}
            ).status_code
            == 403
        )
    assert database_snapshot() == before
    detail = client.get(reverse("workspace:tender", kwargs={"pk": full_tender.pk}))
    assert detail.context["access"].transitions == set()
    assert b"Amend" not in detail.content


def test_supplier_user_is_kept_out_of_the_buyer_workspace(
    full_tender: Tender, supplier_user: Any
) -> None:
    client = signed_in(supplier_user)
    before = database_snapshot()
    for url in (
        reverse("workspace:home"),
        reverse("workspace:tender_create"),
        reverse("workspace:api_keys"),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, tender_fields()).status_code == 403, url
    for url, body in tender_urls(full_tender):
        assert client.get(url).status_code == 404, url
        assert client.post(url, body).status_code == 404, url
    assert database_snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(full_tender: Tender) -> None:
    response = Client().get(reverse("workspace:tender", kwargs={"pk": full_tender.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_organization_switcher_for_people_of_two_buyers(
    official: Any, buyer: Any, other_buyer: Any
) -> None:
    Membership.objects.create(user=official, organization=other_buyer, role="buyer_official")
    theirs = factories.TenderDraftFactory(buyer=other_buyer)
    client = signed_in(official)
    first = client.get(reverse("workspace:home"))
    shown = first.context["workspace"].organization
    assert set(first.context["workspace"].choices) == {buyer, other_buyer}
    assert b'name="organization"' in first.content

    target = other_buyer if shown == buyer else buyer
    response = client.post(
        reverse("workspace:switch"),
        {"organization": target.pk, "next": reverse("workspace:home")},
    )
    assert response.status_code == 302
    page = client.get(reverse("workspace:home"))
    assert page.context["workspace"].organization == target
    assert (theirs in page.context["groups"][0]["tenders"]) == (target == other_buyer)

    # An organization the person does not belong to cannot be chosen.
    stranger = factories.BuyerFactory()
    client.post(reverse("workspace:switch"), {"organization": stranger.pk})
    assert client.get(reverse("workspace:home")).context["workspace"].organization == target


def test_question_list_is_scoped_to_the_tender(
    official: Any, buyer: Any, full_tender: Tender
) -> None:
    other = factories.TenderOpenFactory(buyer=buyer)
    question = Question.objects.get(tender=full_tender)
    url = reverse("workspace:question_answer", kwargs={"pk": other.pk, "question_pk": question.pk})
    client = signed_in(official)
    before = database_snapshot()
    assert client.post(url, {f"q{question.pk}-answer": "X"}).status_code == 404
    assert database_snapshot() == before


def test_a_lot_of_another_tender_answers_404(official: Any, buyer: Any) -> None:
    mine = factories.TenderDraftFactory(buyer=buyer)
    theirs = factories.TenderDraftFactory(buyer=buyer)
    lot = theirs.lots.get()
    client = signed_in(official)
    before = database_snapshot()
    for name, body in (
        ("workspace:lot_edit", {"lot-title": "X"}),
        ("workspace:lot_delete", {}),
        ("workspace:item_add", item_fields(lot)),
    ):
        url = reverse(name, kwargs={"pk": mine.pk, "lot_pk": lot.pk})
        assert client.post(url, body).status_code == 404, name
    assert database_snapshot() == before


def test_amend_with_a_new_document(official: Any, open_tender: Any) -> None:
    before = audit_ids()
    response = signed_in(official).post(
        reverse("workspace:tender_amend", kwargs={"pk": open_tender.pk}),
        amendment_post(
            open_tender,
            reason="Se agrega el anexo técnico.",
            document_title="Anexo técnico",
            document_type="technicalSpecifications",
            document_file=SimpleUploadedFile("anexo.pdf", PDF),
        ),
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get(tender=open_tender)
    document = TenderDocument.objects.get(tender=open_tender)
    assert (document.title, document.document_type, document.amendment) == (
        "Anexo técnico",
        "technicalSpecifications",
        amendment,
    )
    assert amendment.changes["documents"] == ["Anexo técnico"]
    assert amendment.changes_offer is True
    assert actions_since(before) == ["tender.amend"]


# ---------------------------------------------------------------------------------------------
# what the forms let through is checked again by the services


OUT_OF_RANGE = "This date is out of the range the platform can store."


def test_a_deadline_that_utc_cannot_hold_is_refused_on_create(official: Any) -> None:
    # 9999-12-31 23:59 in Chile is past the last moment UTC can hold.
    client = signed_in(official)
    before = database_snapshot()

    response = client.post(
        reverse("workspace:tender_create"),
        tender_fields(submission_deadline="9999-12-31T23:59", opening_at="9999-12-31T23:59"),
    )

    assert response.status_code == 422
    assert response.context["form"].errors["submission_deadline"] == [OUT_OF_RANGE]
    assert database_snapshot() == before


def test_a_deadline_that_utc_cannot_hold_is_refused_on_amend(
    official: Any, open_tender: Any
) -> None:
    client = signed_in(official)
    before = database_snapshot()

    response = client.post(
        reverse("workspace:tender_amend", kwargs={"pk": open_tender.pk}),
        amendment_post(
            open_tender,
            reason="Más plazo",
            submission_deadline="9999-12-31T23:59",
            opening_at="9999-12-31T23:59",
        ),
    )

    assert response.status_code == 422
    assert response.context["form"].errors["submission_deadline"] == [OUT_OF_RANGE]
    assert database_snapshot() == before


def test_descriptions_have_a_limit_the_form_states(official: Any, open_tender: Any) -> None:
    client = signed_in(official)
    page = client.get(reverse("workspace:tender_create")).content.decode()
    assert re.search(r'<textarea name="description"[^>]* maxlength="20000"', page)
    before = database_snapshot()

    created = client.post(
        reverse("workspace:tender_create"), tender_fields(description="x" * 20_001)
    )
    amended = client.post(
        reverse("workspace:tender_amend", kwargs={"pk": open_tender.pk}),
        amendment_post(open_tender, reason="Más detalle", description="x" * 20_001),
    )

    limit = "Ensure this value has at most 20000 characters (it has 20001)."
    assert created.status_code == amended.status_code == 422
    assert created.context["form"].errors["description"] == [limit]
    assert amended.context["form"].errors["description"] == [limit]
    assert database_snapshot() == before
