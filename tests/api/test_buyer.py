"""The buyer's actions through HTTP with an organization API key: draft, edit, upload,
publish (closing on schedule), cancel, amend, answer. Each refused action changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from pregon.api import openapi_document
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.models import AuditEvent
from pregon.organizations.models import ApiKey
from pregon.tenders import services
from pregon.tenders.models import Amendment, Item, Lot, Question, Tender, TenderDocument
from pregon.tenders.tasks import close_tender_at_deadline
from tests import factories
from tests.api.conftest import bearer
from tests.api.openapi_check import check
from tests.conftest import database_snapshot as every_row

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def _draft_body(**changes: Any) -> dict[str, Any]:
    now = clock.now().replace(microsecond=0)
    body = {
        "reference": "API-2026-001",
        "title": "Mantención de ascensores",
        "description": "Mantención preventiva y correctiva de 12 ascensores por 24 meses.",
        "language": "es",
        "method": "open",
        "category": "services",
        "estimated_value": "48000000.00",
        "currency": "CLP",
        "award_criteria": "ratedCriteria",
        "price_scoring": "proportional",
        "criteria": [
            {"name": "Precio", "kind": "price", "weight": 60},
            {
                "name": "Experiencia",
                "description": "Contratos similares en los últimos 5 años.",
                "kind": "quality",
                "weight": 40,
            },
        ],
        "award_criteria_details": "Empates: gana la mayor experiencia.",
        "enquiry_end": _iso(now + dt.timedelta(days=8)),
        "submission_deadline": _iso(now + dt.timedelta(days=15)),
        "opening_at": _iso(now + dt.timedelta(days=15, hours=2)),
        "lots": [
            {
                "title": "Edificio central",
                "estimated_value": "30000000.00",
                "items": [
                    {
                        "description": "Mantención mensual",
                        "classification_scheme": "CPV",
                        "classification_code": "50750000-7",
                        "quantity": "24",
                        "unit": "mes",
                    }
                ],
            },
            {
                "title": "Sedes regionales",
                "items": [
                    {
                        "description": "Visita técnica",
                        "classification_scheme": "UNSPSC",
                        "classification_code": "72000000",
                        "quantity": "48.5",
                        "unit": "visita",
                    }
                ],
            },
        ],
    }
    body.update(changes)
    return body


def post(
    client: Client,
    url: str,
    token: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    return client.post(
        url,
        json.dumps(body or {}),
        content_type="application/json",
        headers=bearer(token, **(headers or {})),
    )


def patch(
    client: Client,
    url: str,
    token: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Any:
    return client.patch(
        url,
        json.dumps(body),
        content_type="application/json",
        headers=bearer(token, **(headers or {})),
    )


def database_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row, but when an API key was last used (each request sets it)."""
    rows = every_row()
    for key in rows["organizations.ApiKey"]:
        key.pop("last_used_at")
    return rows


@pytest.fixture
def foreign_tender(other_buyer: Any) -> Tender:
    return factories.TenderDraftFactory(buyer=other_buyer)


# ---------------------------------------------------------------------------------------------
# drafting


def test_create_draft_with_lots_and_items(client: Client, buyer: Any, buyer_token: str) -> None:
    key = ApiKey.objects.get(organization=buyer)

    response = post(client, "/api/v1/tenders", buyer_token, _draft_body())

    assert response.status_code == 201
    body = check(response)
    tender = Tender.objects.get(reference="API-2026-001")
    assert body["id"] == tender.pk
    assert body["status"] == "draft"
    assert body["published_at"] is None
    assert body["url"] == f"http://testserver/api/v1/buyer/tenders/{tender.pk}"
    assert body["estimated_value"] == "48000000.00"
    assert [(lot["number"], lot["title"], lot["estimated_value"]) for lot in body["lots"]] == [
        (1, "Edificio central", "30000000.00"),
        (2, "Sedes regionales", None),
    ]
    assert body["lots"][1]["items"][0]["quantity"] == "48.500"
    assert body["lots"][1]["items"][0]["classification"]["code"] == "72000000"
    assert tender.buyer == buyer
    assert tender.created_by is None
    assert tender.award_criteria == "ratedCriteria"
    assert (body["award_criteria"], body["price_scoring"]) == ("ratedCriteria", "proportional")
    assert body["price_formula"].startswith("Price points = W × L ÷ P")
    assert body["criteria"] == [
        {"position": 1, "name": "Precio", "description": "", "kind": "price", "weight": 60},
        {
            "position": 2,
            "name": "Experiencia",
            "description": "Contratos similares en los últimos 5 años.",
            "kind": "quality",
            "weight": 40,
        },
    ]
    assert list(Item.objects.filter(lot__tender=tender).values_list("unit", flat=True)) == [
        "mes",
        "visita",
    ]
    event = AuditEvent.objects.get(action="tender.create")
    assert (event.channel, event.actor_label, event.organization, event.ip_address) == (
        "api",
        f"api-key:{key.prefix}",
        buyer,
        "127.0.0.1",
    )


def test_create_refuses_bad_input_and_writes_nothing(client: Client, buyer_token: str) -> None:
    cases = [
        (_draft_body(method="auction"), "method"),
        (_draft_body(title=""), "title"),
        (_draft_body(reference="x" * 65), "reference"),
        (_draft_body(estimated_value="-1"), "estimated_value"),
        (_draft_body(enquiry_end="2026-05-01T10:00:00"), "enquiry_end"),  # no time zone
    ]
    for body, field in cases:
        response = post(client, "/api/v1/tenders", buyer_token, body)
        assert response.status_code == 422, field
        problem = check(response)
        assert problem["code"] == "validation_failed"
        assert field in problem["errors"], problem
    # Schema-valid, refused by the service: the item's code is not a known CPV group.
    lots = _draft_body()["lots"]
    lots[0]["items"][0]["classification_code"] = "99999999-9"
    response = post(client, "/api/v1/tenders", buyer_token, _draft_body(lots=lots))
    assert response.status_code == 422
    assert check(response)["errors"] == {
        "classification_code": ["99999999-9 is not a CPV code we know. Pick one from the list."]
    }
    missing_lot_title = _draft_body(lots=[{"items": []}])
    response = post(client, "/api/v1/tenders", buyer_token, missing_lot_title)
    assert check(response)["errors"] == {"lots.0.title": ["Field required"]}
    assert Tender.objects.count() == 0
    assert not AuditEvent.objects.filter(action="tender.create").exists()


def test_reference_taken_is_a_problem(client: Client, buyer: Any, buyer_token: str) -> None:
    factories.TenderDraftFactory(buyer=buyer, reference="API-2026-001")
    response = post(client, "/api/v1/tenders", buyer_token, _draft_body())
    assert response.status_code == 422
    assert check(response)["errors"] == {
        "reference": ["Another tender of this buyer already uses the reference API-2026-001."]
    }
    assert Tender.objects.count() == 1


def test_edit_draft(client: Client, draft: Any, buyer_token: str) -> None:
    lots = [_draft_body()["lots"][1]]

    response = patch(
        client,
        f"/api/v1/tenders/{draft.pk}",
        buyer_token,
        {"title": "Computadores portátiles", "estimated_value": "99.90", "lots": lots},
    )

    assert response.status_code == 200
    body = check(response)
    assert (body["title"], body["estimated_value"]) == ("Computadores portátiles", "99.90")
    draft.refresh_from_db()
    assert draft.title == "Computadores portátiles"
    assert draft.estimated_value == Decimal("99.90")
    # Untouched fields keep their value; the lots were replaced.
    assert draft.description.startswith("Computadores de escritorio")
    assert list(draft.lots.values_list("title", flat=True)) == ["Sedes regionales"]
    # Without "lots", the lots are kept.
    check(patch(client, f"/api/v1/tenders/{draft.pk}", buyer_token, {"title": "Otra vez"}))
    assert Lot.objects.filter(tender=draft).count() == 1


def test_edit_refused_on_open_tender_and_other_organizations(
    client: Client, open_tender: Any, foreign_tender: Tender, buyer_token: str
) -> None:
    events = AuditEvent.objects.count()

    response = patch(client, f"/api/v1/tenders/{open_tender.pk}", buyer_token, {"title": "X"})
    assert response.status_code == 409
    assert check(response)["code"] == "cannot_edit"

    response = patch(client, f"/api/v1/tenders/{foreign_tender.pk}", buyer_token, {"title": "X"})
    assert response.status_code == 404
    assert check(response)["code"] == "not_found"

    open_tender.refresh_from_db()
    foreign_tender.refresh_from_db()
    assert open_tender.title != "X"
    assert foreign_tender.title != "X"
    assert AuditEvent.objects.count() == events


def test_upload_document(client: Client, draft: Any, buyer_token: str) -> None:
    upload = SimpleUploadedFile("bases.pdf", PDF, content_type="application/pdf")

    response = client.post(
        f"/api/v1/tenders/{draft.pk}/documents",
        {"file": upload, "title": "Bases administrativas", "document_type": "biddingDocuments"},
        headers=bearer(buyer_token),
    )

    assert response.status_code == 201
    body = check(response)
    document = TenderDocument.objects.get(tender=draft)
    assert body["id"] == document.pk
    assert (body["title"], body["filename"], body["size"]) == (
        "Bases administrativas",
        "bases.pdf",
        len(PDF),
    )
    assert document.file.read() == PDF


def test_upload_refuses_content_that_does_not_match(
    client: Client, draft: Any, buyer_token: str
) -> None:
    fake = SimpleUploadedFile("bases.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")

    response = client.post(
        f"/api/v1/tenders/{draft.pk}/documents",
        {"file": fake, "title": "Bases"},
        headers=bearer(buyer_token),
    )

    assert response.status_code == 422
    assert check(response)["code"] == "file_content_mismatch"
    missing = client.post(
        f"/api/v1/tenders/{draft.pk}/documents", {"title": "Bases"}, headers=bearer(buyer_token)
    )
    assert missing.status_code == 422
    assert check(missing)["errors"] == {"file": ["Field required"]}
    assert not TenderDocument.objects.exists()


# ---------------------------------------------------------------------------------------------
# transitions


def test_publish_schedules_the_close_at_the_deadline(
    client: Client,
    draft: Any,
    buyer_token: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"/api/v1/tenders/{draft.pk}/actions/publish/", buyer_token)

    assert response.status_code == 200
    body = check(response)
    draft.refresh_from_db()
    assert body == {
        "id": draft.pk,
        "ocid": draft.ocid,
        "status": "active",
        "published_at": body["published_at"],
        "submission_deadline": body["submission_deadline"],
        "url": f"http://testserver/api/v1/tenders/{draft.pk}",
    }
    assert draft.status == "active"
    assert draft.published_at is not None
    task = DBTaskResult.objects.get()
    assert task.task_path == "pregon.tenders.tasks.close_tender_at_deadline"
    assert task.args_kwargs == {"args": [draft.pk], "kwargs": {}}
    assert task.status == "READY"
    assert task.run_after == draft.submission_deadline
    # The public can read it now; when the worker runs the task after the deadline, it closes.
    assert check(client.get(f"/api/v1/tenders/{draft.pk}"))["status"] == "active"
    with clock.at(draft.submission_deadline + dt.timedelta(seconds=1)):
        assert close_tender_at_deadline.call(*task.args_kwargs["args"]) is True
    assert check(client.get(f"/api/v1/tenders/{draft.pk}"))["status"] == "closed"


def test_publish_refused_lists_every_problem(client: Client, buyer: Any, buyer_token: str) -> None:
    soon = clock.now() + dt.timedelta(days=2)
    draft = factories.TenderDraftFactory(
        buyer=buyer,
        lots=0,
        enquiry_end=soon - dt.timedelta(hours=1),
        submission_deadline=soon,
        opening_at=soon,
    )

    response = post(client, f"/api/v1/tenders/{draft.pk}/actions/publish/", buyer_token)

    assert response.status_code == 422
    problem = check(response)
    assert problem["code"] == "not_publishable"
    assert problem["errors"]["__all__"][0] == "Add at least one lot."
    assert len(problem["errors"]["__all__"]) == 2
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not DBTaskResult.objects.exists()


def test_publish_twice_is_a_conflict(client: Client, open_tender: Any, buyer_token: str) -> None:
    response = post(client, f"/api/v1/tenders/{open_tender.pk}/actions/publish/", buyer_token)
    assert response.status_code == 409
    assert check(response)["code"] == "cannot_publish"


def test_cancel(client: Client, open_tender: Any, buyer_token: str) -> None:
    url = f"/api/v1/tenders/{open_tender.pk}/actions/cancel/"

    refused = post(client, url, buyer_token, {"reason": "   "})
    assert refused.status_code == 422
    assert check(refused)["errors"] == {
        "reason": ["Say why the tender is cancelled; bidders and the public will read it."]
    }
    assert check(post(client, url, buyer_token, {}))["errors"] == {"reason": ["Field required"]}
    open_tender.refresh_from_db()
    assert open_tender.status == "active"

    response = post(client, url, buyer_token, {"reason": "Presupuesto reasignado."})

    assert response.status_code == 200
    body = check(response)
    assert (body["status"], body["cancellation_reason"]) == ("cancelled", "Presupuesto reasignado.")
    again = post(client, url, buyer_token, {"reason": "Otra vez."})
    assert again.status_code == 409
    assert check(again)["code"] == "cannot_cancel"


def test_amend(client: Client, open_tender: Any, draft: Any, buyer_token: str) -> None:
    later = (open_tender.submission_deadline + dt.timedelta(days=3)).replace(microsecond=0)

    response = post(
        client,
        f"/api/v1/tenders/{open_tender.pk}/actions/amend/",
        buyer_token,
        {
            "reason": "Se amplía el plazo a pedido de los oferentes.",
            "submission_deadline": _iso(later),
            "opening_at": _iso(later + dt.timedelta(hours=1)),
        },
    )

    assert response.status_code == 201
    body = check(response)
    assert body["number"] == 1
    assert body["changes_offer"] is False
    assert dt.datetime.fromisoformat(body["new_deadline"]) == later
    open_tender.refresh_from_db()
    assert open_tender.submission_deadline == later

    empty = post(
        client, f"/api/v1/tenders/{open_tender.pk}/actions/amend/", buyer_token, {"reason": "Nada"}
    )
    assert empty.status_code == 422
    assert check(empty)["code"] == "empty_amendment"
    on_draft = post(
        client,
        f"/api/v1/tenders/{draft.pk}/actions/amend/",
        buyer_token,
        {"reason": "Cambio", "title": "Nuevo"},
    )
    assert on_draft.status_code == 409
    assert check(on_draft)["code"] == "cannot_amend"
    assert Amendment.objects.count() == 1


def test_transitions_on_another_organizations_tender_are_not_found(
    client: Client, other_buyer: Any, buyer_token: str
) -> None:
    foreign = factories.TenderOpenFactory(buyer=other_buyer)
    events = AuditEvent.objects.count()
    for verb, body in (
        ("publish", {}),
        ("cancel", {"reason": "No"}),
        ("amend", {"reason": "No", "title": "No"}),
    ):
        response = post(client, f"/api/v1/tenders/{foreign.pk}/actions/{verb}/", buyer_token, body)
        assert response.status_code == 404, verb
        assert check(response)["code"] == "not_found"
    foreign.refresh_from_db()
    assert (foreign.status, foreign.amendments.count()) == ("active", 0)
    assert AuditEvent.objects.count() == events


# ---------------------------------------------------------------------------------------------
# the buyer's own reads


def test_buyer_list_includes_drafts_of_this_organization_only(
    client: Client, buyer: Any, other_buyer: Any, buyer_token: str, supplier_actor: Actor
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    open_tender = factories.TenderOpenFactory(buyer=buyer)
    factories.TenderDraftFactory(buyer=other_buyer)
    services.question_ask(actor=supplier_actor, tender=open_tender, text="¿Garantía?")

    body = check(client.get("/api/v1/buyer/tenders", headers=bearer(buyer_token)))

    assert body["count"] == 2
    assert [(t["id"], t["status"], t["unanswered_questions"]) for t in body["items"]] == [
        (open_tender.pk, "active", 1),
        (draft.pk, "draft", 0),
    ]
    detail = check(client.get(f"/api/v1/buyer/tenders/{draft.pk}", headers=bearer(buyer_token)))
    assert (detail["id"], detail["status"]) == (draft.pk, "draft")
    foreign = factories.TenderDraftFactory(buyer=other_buyer)
    response = client.get(f"/api/v1/buyer/tenders/{foreign.pk}", headers=bearer(buyer_token))
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# questions


def test_supplier_asks_and_buyer_answers(
    client: Client, open_tender: Any, buyer_token: str, supplier_token: str, supplier: Any
) -> None:
    response = post(
        client,
        f"/api/v1/tenders/{open_tender.pk}/questions",
        supplier_token,
        {"text": "¿Se puede ofertar solo el lote 1?", "lot": 1},
    )

    assert response.status_code == 201
    asked = check(response)
    question = Question.objects.get()
    assert asked == {
        "id": question.pk,
        "number": 1,
        "lot": 1,
        "text": "¿Se puede ofertar solo el lote 1?",
        "asked_at": asked["asked_at"],
        "answer": "",
        "answered_at": None,
    }
    assert question.asked_for == supplier
    assert question.asked_by is None

    answered = post(
        client,
        f"/api/v1/questions/{question.pk}/actions/answer/",
        buyer_token,
        {"answer": "Sí, cada lote se adjudica por separado."},
    )

    assert answered.status_code == 200
    assert check(answered)["answer"] == "Sí, cada lote se adjudica por separado."
    again = post(
        client, f"/api/v1/questions/{question.pk}/actions/answer/", buyer_token, {"answer": "No"}
    )
    assert again.status_code == 409
    assert check(again)["code"] == "already_answered"
    question.refresh_from_db()
    assert question.answer == "Sí, cada lote se adjudica por separado."


def test_asking_refusals(
    client: Client,
    open_tender: Any,
    draft: Any,
    supplier_token: str,
    issue_key: Callable[..., str],
    buyer: Any,
) -> None:
    url = f"/api/v1/tenders/{open_tender.pk}/questions"
    no_lot = post(client, url, supplier_token, {"text": "¿Lote 7?", "lot": 7})
    assert no_lot.status_code == 422
    assert check(no_lot)["errors"] == {"lot": ["This tender has no lot 7."]}

    on_draft = post(client, f"/api/v1/tenders/{draft.pk}/questions", supplier_token, {"text": "?"})
    assert on_draft.status_code == 404

    # A buyer's key cannot ask, even with the scope: only suppliers ask.
    buyer_asking = post(client, url, issue_key(buyer, ["questions:ask"]), {"text": "¿Y yo?"})
    assert buyer_asking.status_code == 403
    assert check(buyer_asking)["code"] == "permission_denied"
    assert not Question.objects.exists()


def test_answering_another_organizations_question_is_not_found(
    client: Client, other_buyer: Any, buyer_token: str, supplier_actor: Actor
) -> None:
    foreign = factories.TenderOpenFactory(buyer=other_buyer)
    question = services.question_ask(actor=supplier_actor, tender=foreign, text="¿Plazo?")

    response = post(
        client, f"/api/v1/questions/{question.pk}/actions/answer/", buyer_token, {"answer": "No"}
    )

    assert response.status_code == 404
    assert check(response)["code"] == "not_found"
    question.refresh_from_db()
    assert question.answer == ""


# ---------------------------------------------------------------------------------------------
# versions: every read of a tender carries its version as ETag; changes honour If-Match


def test_reads_and_changes_carry_the_version_as_etag(
    client: Client, draft: Any, buyer_token: str
) -> None:
    url = f"/api/v1/tenders/{draft.pk}"
    own = f"/api/v1/buyer/tenders/{draft.pk}"

    read = client.get(own, headers=bearer(buyer_token))
    edited = patch(client, url, buyer_token, {"title": "Uno"}, {"If-Match": '"1"'})
    published = post(client, f"{url}/actions/publish/", buyer_token, {}, {"If-Match": '"2"'})
    public = client.get(url)
    cancelled = post(
        client, f"{url}/actions/cancel/", buyer_token, {"reason": "Desierta"}, {"If-Match": '"3"'}
    )
    created = post(client, "/api/v1/tenders", buyer_token, _draft_body())

    assert [r.status_code for r in (read, edited, published, public, cancelled, created)] == [
        200,
        200,
        200,
        200,
        200,
        201,
    ]
    assert [r["ETag"] for r in (read, edited, published, public, cancelled, created)] == [
        '"1"',
        '"2"',
        '"3"',
        '"3"',
        '"4"',
        '"1"',
    ]
    assert client.get(own, headers=bearer(buyer_token))["ETag"] == '"4"'


def test_a_stale_if_match_is_refused_and_changes_nothing(
    client: Client, draft: Any, open_tender: Any, buyer_token: str
) -> None:
    url = f"/api/v1/tenders/{draft.pk}"
    assert patch(client, url, buyer_token, {"title": "Uno"}).status_code == 200  # now "2"
    before = database_snapshot()

    refusals = [
        patch(client, url, buyer_token, {"description": "Otra"}, {"If-Match": '"1"'}),
        patch(client, url, buyer_token, {"description": "Otra"}, {"If-Match": 'W/"2"'}),
        patch(client, url, buyer_token, {"description": "Otra"}, {"If-Match": "2"}),
        post(client, f"{url}/actions/publish/", buyer_token, {}, {"If-Match": '"1"'}),
        post(
            client,
            f"/api/v1/tenders/{open_tender.pk}/actions/amend/",
            buyer_token,
            {"reason": "Cambio", "title": "Otro"},
            {"If-Match": '"1"'},
        ),
        post(
            client,
            f"/api/v1/tenders/{open_tender.pk}/actions/cancel/",
            buyer_token,
            {"reason": "Desierta"},
            {"If-Match": '"1"'},
        ),
    ]

    for response in refusals:
        assert response.status_code == 412
        problem = check(response)
        assert (problem["code"], problem["detail"]) == (
            "precondition_failed",
            "This tender changed since you read it. Read it again (for its new ETag) and "
            "repeat the change if it still applies.",
        )
    assert database_snapshot() == before


def test_if_match_with_the_current_version_or_any(
    client: Client, draft: Any, buyer_token: str
) -> None:
    url = f"/api/v1/tenders/{draft.pk}"

    listed = patch(client, url, buyer_token, {"title": "Uno"}, {"If-Match": '"7", "1"'})
    anything = patch(client, url, buyer_token, {"title": "Dos"}, {"If-Match": "*"})

    assert (listed.status_code, listed["ETag"]) == (200, '"2"')
    assert (anything.status_code, anything["ETag"]) == (200, '"3"')
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Dos", 3)


def test_the_document_describes_etag_and_if_match() -> None:
    paths = openapi_document()["paths"]
    for path, method in [
        ("/api/v1/tenders/{tender_id}", "patch"),
        ("/api/v1/tenders/{tender_id}/actions/publish/", "post"),
        ("/api/v1/tenders/{tender_id}/actions/cancel/", "post"),
        ("/api/v1/tenders/{tender_id}/actions/amend/", "post"),
    ]:
        operation = paths[path][method]
        headers = [p for p in operation["parameters"] if p["in"] == "header"]
        assert [(p["name"], p["required"]) for p in headers] == [("If-Match", False)], path
        assert "412" in operation["responses"], path
    for path, method, status in [
        ("/api/v1/tenders/{tender_id}", "get", "200"),
        ("/api/v1/buyer/tenders/{tender_id}", "get", "200"),
        ("/api/v1/tenders/{tender_id}", "patch", "200"),
        ("/api/v1/tenders", "post", "201"),
        ("/api/v1/tenders/{tender_id}/actions/publish/", "post", "200"),
        ("/api/v1/tenders/{tender_id}/actions/cancel/", "post", "200"),
    ]:
        assert list(paths[path][method]["responses"][status]["headers"]) == ["ETag"], path
