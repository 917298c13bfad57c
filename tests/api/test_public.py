"""Public reads through HTTP: no key, published tenders only, the one pagination envelope."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pregon.core import classifications, clock
from pregon.core.actor import Actor
from pregon.tenders import services
from pregon.tenders.models import Tender
from tests import factories
from tests.api.openapi_check import check, schema_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _official(tender: Tender) -> Actor:
    user = factories.member(tender.buyer, "buyer_official")
    return Actor(user=user, organization=tender.buyer, ip_address="203.0.113.9")


@pytest.fixture
def rich_tender(buyer: Any, supplier_actor: Actor) -> Tender:
    """An open tender with two lots, a document, an answered question and an amendment."""
    draft = factories.TenderDraftFactory(buyer=buyer, lots=2, title="Computadores para escuelas")
    official = _official(draft)
    services.document_add(
        actor=official,
        tender=draft,
        data=services.DocumentData(
            upload=SimpleUploadedFile("bases.pdf", PDF, content_type="application/pdf"),
            title="Bases técnicas",
            document_type="technicalSpecifications",
        ),
    )
    tender = services.tender_publish(actor=official, tender=draft)
    lot = tender.lots.get(number=2)
    question = services.question_ask(
        actor=supplier_actor, tender=tender, text="¿Se aceptan equipos reacondicionados?", lot=lot
    )
    services.question_answer(actor=official, question=question, answer="No, solo equipos nuevos.")
    services.question_ask(actor=supplier_actor, tender=tender, text="¿Plazo de entrega?")
    services.tender_amend(
        actor=official,
        tender=tender,
        data=services.AmendmentData(reason="Se corrige el título.", title="Computadores escolares"),
    )
    return Tender.objects.get(pk=tender.pk)


# ---------------------------------------------------------------------------------------------
# list, pagination, filters


def test_list_shows_published_tenders_never_drafts(client: Client, buyer: Any) -> None:
    open_tender = factories.TenderOpenFactory(buyer=buyer)
    closed = factories.TenderClosedFactory(buyer=buyer)
    cancelled = factories.TenderCancelledFactory(buyer=buyer)
    factories.TenderDraftFactory(buyer=buyer)

    response = client.get("/api/v1/tenders")

    assert response.status_code == 200
    body = check(response)
    assert body["count"] == 3
    # Open tenders first, closing soonest; then the others by deadline.
    assert [item["id"] for item in body["items"]] == [
        open_tender.pk,
        closed.pk,
        cancelled.pk,
    ]
    first = body["items"][0]
    assert first == {
        "id": open_tender.pk,
        "ocid": open_tender.ocid,
        "reference": open_tender.reference,
        "title": open_tender.title,
        "status": "active",
        "method": "open",
        "category": "goods",
        "language": "es",
        "estimated_value": "150000.00",
        "currency": "CLP",
        "buyer": {
            "id": buyer.pk,
            "name": buyer.legal_name,
            "party_id": buyer.party_id,
            "country": "CL",
        },
        "enquiry_end": first["enquiry_end"],
        "submission_deadline": first["submission_deadline"],
        "opening_at": first["opening_at"],
        "published_at": first["published_at"],
        "url": f"http://testserver/api/v1/tenders/{open_tender.pk}",
    }
    assert dt.datetime.fromisoformat(first["submission_deadline"]) == (
        open_tender.submission_deadline.replace(
            microsecond=open_tender.submission_deadline.microsecond // 1000 * 1000
        )
    )


def test_pagination_default_limit_offset_and_bounds(client: Client, buyer: Any) -> None:
    base = clock.now() + dt.timedelta(days=15)
    tenders = [
        factories.TenderOpenFactory(
            buyer=buyer,
            submission_deadline=base + dt.timedelta(hours=n),
            opening_at=base + dt.timedelta(hours=n + 1),
        )
        for n in range(22)
    ]

    default = check(client.get("/api/v1/tenders"))
    assert default["count"] == 22
    assert [item["id"] for item in default["items"]] == [t.pk for t in tenders[:20]]

    page = check(client.get("/api/v1/tenders?limit=5&offset=20"))
    assert page == {"count": 22, "items": page["items"]}
    assert [item["id"] for item in page["items"]] == [tenders[20].pk, tenders[21].pk]

    beyond = check(client.get("/api/v1/tenders?offset=100"))
    assert beyond == {"count": 22, "items": []}

    full = check(client.get("/api/v1/tenders?limit=100"))
    assert len(full["items"]) == 22

    for query in ("limit=101", "limit=0", "offset=-1", "limit=abc"):
        refused = client.get(f"/api/v1/tenders?{query}")
        assert refused.status_code == 422, query
        problem = check(refused)
        assert problem["code"] == "validation_failed"
        assert list(problem["errors"]) == [query.split("=")[0]]


def test_every_list_uses_the_same_envelope(client: Client, rich_tender: Tender) -> None:
    for url in (
        "/api/v1/tenders?limit=1",
        f"/api/v1/tenders/{rich_tender.pk}/questions?limit=1",
        "/api/v1/organizations?limit=1",
        "/api/v1/classifications/CPV?limit=1",
    ):
        body = check(client.get(url))
        assert list(body) == ["count", "items"], url
        assert len(body["items"]) == 1, url
        assert body["count"] >= 1, url


def test_filters(client: Client, buyer: Any, other_buyer: Any) -> None:
    other_buyer.country = "BR"
    other_buyer.save()
    soon = clock.now() + dt.timedelta(days=12)
    cheap = factories.TenderOpenFactory(
        buyer=buyer,
        title="Servicio de aseo",
        method="rfq",
        category="services",
        estimated_value=Decimal("900.00"),
        submission_deadline=soon,
        opening_at=soon + dt.timedelta(hours=1),
    )
    works = factories.TenderOpenFactory(
        buyer=other_buyer, title="Pavimentación", category="works", method="open"
    )
    lot = works.lots.get()
    lot.items.update(classification_scheme="CPV", classification_code="45233000-9")
    closed = factories.TenderClosedFactory(buyer=buyer)

    def ids(query: str) -> list[int]:
        return [item["id"] for item in check(client.get(f"/api/v1/tenders?{query}"))["items"]]

    assert ids("method=rfq") == [cheap.pk]
    assert ids("category=works") == [works.pk]
    assert ids("status=closed") == [closed.pk]
    assert ids("status=active&order=value") == [works.pk, cheap.pk]
    assert ids(f"buyer={other_buyer.pk}") == [works.pk]
    assert ids("country=BR") == [works.pk]
    assert ids("country=cl") == [cheap.pk, closed.pk]
    assert ids("value_max=1000") == [cheap.pk]
    assert ids("value_min=1000&value_max=200000") == [works.pk, closed.pk]
    assert ids("q=aseo") == [cheap.pk]
    assert ids("classification=45000000-7") == [works.pk]
    assert ids(f"closing_before={soon.date().isoformat()}") == [cheap.pk, closed.pk]
    assert ids(f"closing_after={(soon + dt.timedelta(days=2)).date().isoformat()}") == [works.pk]

    for query in ("method=auction", "country=Chile", "closing_after=tomorrow", "order=random"):
        response = client.get(f"/api/v1/tenders?{query}")
        assert response.status_code == 422, query
        assert check(response)["code"] == "validation_failed"


# ---------------------------------------------------------------------------------------------
# detail, questions, documents


def test_detail_has_everything_public_and_never_the_asker(
    client: Client, rich_tender: Tender, supplier_user: Any, supplier: Any
) -> None:
    response = client.get(f"/api/v1/tenders/{rich_tender.pk}")

    assert response.status_code == 200
    body = check(response)
    assert body["title"] == "Computadores escolares"
    assert body["status"] == "active"
    assert body["description"] == rich_tender.description
    assert body["award_criteria"] == "priceOnly"
    assert body["cancellation_reason"] == ""
    assert [lot["number"] for lot in body["lots"]] == [1, 2]
    assert body["lots"][0]["title"] == "Lote 1"
    assert body["lots"][0]["estimated_value"] is None
    item = body["lots"][0]["items"][0]
    assert item == {
        "id": item["id"],
        "description": "Computador de escritorio",
        "classification": {
            "scheme": "CPV",
            "code": "30213000-5",
            "name": classifications.describe("CPV", "30213000-5", "en"),
        },
        "quantity": "40.000",
        "unit": "unidad",
    }
    [document] = body["documents"]
    stored = rich_tender.documents.get()
    assert document == {
        "id": stored.pk,
        "title": "Bases técnicas",
        "document_type": "technicalSpecifications",
        "filename": "bases.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "uploaded_at": document["uploaded_at"],
        "amendment": None,
        "url": (f"http://testserver/api/v1/tenders/{rich_tender.pk}/documents/{stored.pk}"),
    }
    first, second = body["questions"]
    assert set(first) == {
        "id",
        "number",
        "lot",
        "text",
        "asked_at",
        "answer",
        "answered_at",
    }
    assert (first["number"], first["lot"], first["answer"]) == (
        1,
        2,
        "No, solo equipos nuevos.",
    )
    assert (second["number"], second["lot"], second["answer"], second["answered_at"]) == (
        2,
        None,
        "",
        None,
    )
    # Nothing in the public document names who asked.
    assert supplier_user.email not in response.content.decode()
    assert supplier.legal_name not in response.content.decode()
    [amendment] = body["amendments"]
    assert amendment["number"] == 1
    assert amendment["reason"] == "Se corrige el título."
    assert amendment["changes"] == {
        "title": ["Computadores para escuelas", "Computadores escolares"]
    }
    assert amendment["changes_offer"] is False


def test_classification_names_follow_accept_language(client: Client, open_tender: Any) -> None:
    body = check(client.get(f"/api/v1/tenders/{open_tender.pk}", headers={"Accept-Language": "es"}))
    item = body["lots"][0]["items"][0]
    assert item["classification"]["name"] == classifications.describe("CPV", "30213000-5", "es")
    assert item["classification"]["name"] != classifications.describe("CPV", "30213000-5", "en")


def test_draft_and_unknown_tenders_are_not_found(client: Client, draft: Any) -> None:
    for url in (
        f"/api/v1/tenders/{draft.pk}",
        f"/api/v1/tenders/{draft.pk}/questions",
        f"/api/v1/tenders/{draft.pk + 1000}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert check(response)["code"] == "not_found"
    assert check(client.get("/api/v1/tenders"))["count"] == 0


def test_questions_list(client: Client, rich_tender: Tender) -> None:
    body = check(client.get(f"/api/v1/tenders/{rich_tender.pk}/questions"))
    assert body["count"] == 2
    assert [(q["number"], q["text"]) for q in body["items"]] == [
        (1, "¿Se aceptan equipos reacondicionados?"),
        (2, "¿Plazo de entrega?"),
    ]
    page = check(client.get(f"/api/v1/tenders/{rich_tender.pk}/questions?offset=1"))
    assert [q["number"] for q in page["items"]] == [2]


def test_document_download(client: Client, rich_tender: Tender) -> None:
    document = rich_tender.documents.get()
    url = f"/api/v1/tenders/{rich_tender.pk}/documents/{document.pk}"

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bases.pdf"'
    digest = base64.b64encode(hashlib.sha256(PDF).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    # The document describes this response as bytes of any media type.
    assert schema_for(url, "GET", 200, "*/*")
    other = factories.TenderOpenFactory(buyer=rich_tender.buyer)
    missing = client.get(f"/api/v1/tenders/{other.pk}/documents/{document.pk}")
    assert missing.status_code == 404
    assert check(missing)["code"] == "not_found"


# ---------------------------------------------------------------------------------------------
# organizations and classifications


def test_organizations_directory_and_filters(client: Client, buyer: Any) -> None:
    coop = factories.SupplierFactory(
        legal_name="Cooperativa Agrícola del Valle", scale="micro", is_cooperative=True
    )
    large = factories.SupplierFactory(legal_name="Grandes Obras S.A.", scale="large", country="BR")
    factories.OperatorFactory()

    def names(query: str = "") -> list[str]:
        body = check(client.get(f"/api/v1/organizations?{query}"))
        return [item["legal_name"] for item in body["items"]]

    assert names() == [coop.legal_name, large.legal_name, buyer.legal_name]
    assert names("kind=supplier") == [coop.legal_name, large.legal_name]
    assert names("kind=buyer") == [buyer.legal_name]
    assert names("country=BR") == [large.legal_name]
    assert names("scale=micro") == [coop.legal_name]
    assert names("cooperative=true") == [coop.legal_name]
    assert names("cooperative=false") == [large.legal_name, buyer.legal_name]
    summary = check(client.get("/api/v1/organizations?scale=micro"))["items"][0]
    assert summary == {
        "id": coop.pk,
        "kind": "supplier",
        "name": coop.legal_name,
        "legal_name": coop.legal_name,
        "party_id": coop.party_id,
        "country": "CL",
        "region": "Región Metropolitana",
        "scale": "micro",
        "is_cooperative": True,
        "legal_form": "cooperative",
        "url": f"http://testserver/api/v1/organizations/{coop.pk}",
    }
    assert names("legal_form=cooperative") == [coop.legal_name]
    assert names("legal_form=association") == []
    assert client.get("/api/v1/organizations?scale=giant").status_code == 422


def test_organization_profile(client: Client, buyer: Any) -> None:
    buyer.website = "https://obras.example.gob.cl"
    buyer.email = "compras@obras.example.gob.cl"
    buyer.save()

    body = check(client.get(f"/api/v1/organizations/{buyer.pk}"))

    assert body["kind"] == "buyer"
    assert body["buyer_type"] == "ministry"
    assert body["scale"] is None
    assert (body["legal_form"], body["scale_verified"], body["scale_rule_pack"]) == (
        None,
        False,
        None,
    )
    assert body["identifier_scheme"] == "CL-RUT"
    assert body["identifier_id"] == buyer.identifier_id
    assert body["website"] == "https://obras.example.gob.cl"
    # Contact details are not part of the API's public profile.
    assert "email" not in body
    assert "compras@obras" not in str(body)
    operator = factories.OperatorFactory()
    response = client.get(f"/api/v1/organizations/{operator.pk}")
    assert response.status_code == 404
    assert check(response)["code"] == "not_found"


def test_classifications(client: Client) -> None:
    expected = classifications.top_level("UNSPSC")

    body = check(client.get("/api/v1/classifications/UNSPSC?limit=100"))

    assert body["count"] == len(expected)
    assert body["items"][0] == {
        "scheme": "UNSPSC",
        "code": expected[0].code,
        "name": expected[0].names["en"],
        "names": expected[0].names,
    }
    assert set(body["items"][0]["names"]) == {"en", "es", "pt", "fr"}
    spanish = check(
        client.get("/api/v1/classifications/CPV?limit=1", headers={"Accept-Language": "es"})
    )
    cpv = classifications.top_level("CPV")[0]
    assert spanish["items"][0]["name"] == cpv.names["es"]
    unknown = client.get("/api/v1/classifications/NAICS")
    assert unknown.status_code == 422
    assert check(unknown)["code"] == "validation_failed"
