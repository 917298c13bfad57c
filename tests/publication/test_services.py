"""Publication through the tender transitions: every release valid, stored, logged and compiled."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import orjson
import pytest
from django.db import transaction

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.ledger.models import Leaf
from pregon.ocds.merge import compile_release, version_releases
from pregon.publication import mapping
from pregon.publication import services as publication
from pregon.publication.models import Record, Release
from pregon.tenders import services
from pregon.tenders.models import Tender
from pregon.tenders.services import AmendmentData, CriterionData
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests import factories
from tests.publication.conftest import ASKER_QUESTION, DAY, HOUR, Lifecycle, run_lifecycle

LOWEST_PRICE_ES = "Precio más bajo: cada lote se adjudica a la oferta admisible de precio más bajo."

pytestmark = pytest.mark.django_db


def releases_of(tender: Tender) -> list[dict[str, Any]]:
    return [
        orjson.loads(data)
        for data in Release.objects.filter(ocid=tender.ocid).values_list("data", flat=True)
    ]


# ---------------------------------------------------------------------------------------------
# what each transition publishes


def test_the_lifecycle_publishes_one_release_per_public_step(lifecycle: Lifecycle) -> None:
    tender = lifecycle.tender
    rows = list(Release.objects.filter(ocid=tender.ocid))
    assert [(row.release_id, row.tag) for row in rows] == [
        (f"{tender.ocid}-tender-1", ["tender"]),
        (f"{tender.ocid}-tenderUpdate-2", ["tenderUpdate"]),
        (f"{tender.ocid}-tenderAmendment-3", ["tenderAmendment"]),
        (f"{tender.ocid}-tenderUpdate-4", ["tenderUpdate"]),
    ]
    start = lifecycle.start
    assert [row.date for row in rows] == [
        start + HOUR,
        start + 2 * 24 * HOUR,
        start + 3 * 24 * HOUR,
        tender.submission_deadline + HOUR,
    ]
    assert [row.seq for row in rows] == sorted(row.seq for row in rows)
    data = [orjson.loads(row.data) for row in rows]
    assert [release["id"] for release in data] == [row.release_id for row in rows]
    assert {release["ocid"] for release in data} == {tender.ocid}
    assert [release["date"] for release in data] == [
        mapping.ocds_datetime(row.date) for row in rows
    ]


def test_every_release_of_every_state_validates(lifecycle: Lifecycle, cancelled: Tender) -> None:
    validator = publication.validator()
    everything = [orjson.loads(row.data) for row in Release.objects.all()]
    assert len(everything) == 6
    for release in everything:
        assert validator.validate_release(release) == [], release["id"]
    for record in Record.objects.all():
        assert validator.validate_release(record.compiled) == []


def test_the_first_release_maps_the_tender(lifecycle: Lifecycle) -> None:
    tender, buyer = lifecycle.tender, lifecycle.tender.buyer
    first = releases_of(tender)[0]
    party_id = f"{buyer.identifier_scheme}-{buyer.identifier_id}"
    assert first["initiationType"] == "tender"
    assert first["language"] == "es"
    assert first["buyer"] == {"id": party_id, "name": buyer.legal_name}
    assert first["parties"] == [
        {
            "id": party_id,
            "name": buyer.legal_name,
            "identifier": {
                "scheme": "CL-RUT",
                "id": buyer.identifier_id,
                "legalName": buyer.legal_name,
            },
            "address": {"region": "Región Metropolitana", "countryName": "Chile"},
            "roles": ["buyer", "procuringEntity"],
        }
    ]
    section = first["tender"]
    published = mapping.ocds_datetime(tender.published_at)
    assert section["id"] == tender.reference
    assert section["status"] == "active"
    assert section["value"] == {"amount": 150000, "currency": "CLP"}
    assert section["procurementMethod"] == "open"
    assert section["mainProcurementCategory"] == "goods"
    assert section["awardCriteria"] == "priceOnly"
    # Written by the platform, in the tender's language.
    assert section["awardCriteriaDetails"] == LOWEST_PRICE_ES
    assert "weightedCriteria" not in section
    assert section["hasEnquiries"] is False
    # The lifecycle's amendment later moved the deadline and the opening a day.
    assert section["tenderPeriod"] == {
        "startDate": published,
        "endDate": mapping.ocds_datetime(tender.submission_deadline - DAY),
    }
    assert section["enquiryPeriod"] == {
        "startDate": published,
        "endDate": mapping.ocds_datetime(tender.enquiry_end),
    }
    assert section["submissionTerms"] == {"electronicSubmissionPolicy": "required"}
    assert [lot["id"] for lot in section["lots"]] == ["1", "2"]
    assert {lot["status"] for lot in section["lots"]} == {"active"}
    assert [item["relatedLot"] for item in section["items"]] == ["1", "1", "2", "2"]
    computer = section["items"][0]
    assert computer["classification"] == {"scheme": "CPV", "id": "30213000-5"}
    assert computer["additionalClassifications"][0]["id"] == "30000000-9"
    assert computer["quantity"] == 40
    assert computer["unit"] == {"name": "unidad"}
    [document] = section["documents"]
    stored = tender.documents.get(title="Bases de licitación")
    assert document == {
        "id": str(stored.pk),
        "documentType": "biddingDocuments",
        "title": "Bases de licitación",
        "url": f"https://compras.example.org/es/tenders/{tender.pk}/documents/{stored.pk}/",
        "datePublished": published,
        "format": "application/pdf",
        "language": "es",
    }
    assert section["milestones"][0]["dueDate"] == mapping.ocds_datetime(tender.opening_at - DAY)


def test_an_answer_publishes_the_clarification_without_the_asker(lifecycle: Lifecycle) -> None:
    tender, question = lifecycle.tender, lifecycle.question
    update = releases_of(tender)[1]
    section = update["tender"]
    assert section["hasEnquiries"] is True
    clarification = section["documents"][-1]
    assert clarification["id"] == "clarification-1"
    assert clarification["documentType"] == "clarifications"
    assert clarification["relatedLots"] == ["2"]
    assert clarification["url"].endswith(f"/es/tenders/{tender.pk}/#question-1")
    assert ASKER_QUESTION in clarification["description"]
    assert "Windows 11 Pro" in clarification["description"]
    # The unanswered question is not published.
    assert [doc["id"] for doc in section["documents"]].count("clarification-2") == 0
    assert [party["roles"] for party in update["parties"]] == [["buyer", "procuringEntity"]]
    question.refresh_from_db()
    assert question.asked_for is not None and question.asked_by is not None


def test_no_release_names_the_asker(lifecycle: Lifecycle) -> None:
    supplier = lifecycle.asker.organization
    person = lifecycle.asker.user
    assert supplier is not None and person is not None
    everything = b"\n".join(
        row.encode() for row in Release.objects.values_list("data", flat=True)
    ) + b"\n".join(orjson.dumps(r.versioned) for r in Record.objects.all())
    for secret in (
        supplier.legal_name,
        supplier.identifier_id,
        supplier.party_id,
        person.email,
        person.full_name,
    ):
        assert secret.encode() not in everything


def test_an_amendment_publishes_what_changed_and_why(lifecycle: Lifecycle) -> None:
    amendment_release = releases_of(lifecycle.tender)[2]
    section = amendment_release["tender"]
    [amendment] = section["amendments"]
    assert amendment["id"] == "1"
    assert amendment["rationale"] == "Se agrega un anexo técnico y se precisa la evaluación."
    assert amendment["date"] == amendment_release["date"]
    assert section["value"] == {"amount": 175000.5, "currency": "CLP"}
    assert section["awardCriteriaDetails"] == (
        f"{LOWEST_PRICE_ES}\n\nMenor precio entre ofertas que cumplan."
    )
    annex = lifecycle.tender.documents.get(title="Anexo técnico")
    assert [doc["id"] for doc in section["documents"]] == [
        str(lifecycle.tender.documents.get(title="Bases de licitación").pk),
        str(annex.pk),
        "clarification-1",
    ]
    assert section["documents"][1]["datePublished"] == amendment_release["date"]
    assert "Anexo técnico" in amendment["description"]


def test_closing_keeps_the_tender_active_with_the_period_ended(lifecycle: Lifecycle) -> None:
    tender = lifecycle.tender
    last = releases_of(tender)[-1]
    assert last["tag"] == ["tenderUpdate"]
    assert last["tender"]["status"] == "active"
    assert last["tender"]["tenderPeriod"]["endDate"] < last["date"]


def test_cancelling_a_published_tender_publishes_the_reason(cancelled: Tender) -> None:
    rows = list(Release.objects.filter(ocid=cancelled.ocid))
    assert [row.tag for row in rows] == [["tender"], ["tenderCancellation"]]
    section = orjson.loads(rows[-1].data)["tender"]
    assert section["status"] == "cancelled"
    assert {lot["status"] for lot in section["lots"]} == {"cancelled"}
    reason = section["documents"][-1]
    assert reason["documentType"] == "cancellationDetails"
    assert reason["description"] == "La necesidad fue cubierta."
    assert Record.objects.get(ocid=cancelled.ocid).compiled["tender"]["status"] == "cancelled"


def test_drafts_never_publish(official_actor: Actor, draft: Tender) -> None:
    services.tender_cancel(actor=official_actor, tender=draft, reason="Ya no se necesita.")
    assert not Release.objects.exists()
    assert not Record.objects.exists()
    assert not Leaf.objects.exists()
    with pytest.raises(mapping.NotPublishable):
        mapping.build_release(
            ocid=factories.TenderDraftFactory().ocid,
            release_id="x",
            tag="tender",
            date=clock.now(),
        )


def test_a_refused_transition_publishes_nothing(
    refused: Any, official_actor: Actor, open_tender: Tender
) -> None:
    before = list(Release.objects.values_list("release_id", flat=True))
    refused(
        InvalidTransition,
        "cannot_publish",
        services.tender_publish,
        actor=official_actor,
        tender=open_tender,
    )
    refused(
        ValidationFailed,
        "empty_amendment",
        services.tender_amend,
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(reason="Nada"),
    )
    assert list(Release.objects.values_list("release_id", flat=True)) == before
    assert Record.objects.get(ocid=open_tender.ocid).release_count == 1


def test_a_rolled_back_transition_leaves_no_release(official_actor: Actor, draft: Tender) -> None:
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.tender_publish(actor=official_actor, tender=draft)
        assert Release.objects.count() == 1
        raise Abort
    assert not Release.objects.exists()
    assert not Record.objects.exists()
    assert not Leaf.objects.exists()


def test_an_invalid_release_is_a_bug_and_rolls_the_transition_back(
    official_actor: Actor, draft: Tender, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = mapping.build_release

    def broken(**kwargs: Any) -> dict[str, Any]:
        release = original(**kwargs)
        release["tender"]["status"] = "open"  # not in the closed tenderStatus codelist
        return release

    monkeypatch.setattr(mapping, "build_release", broken)
    with pytest.raises(publication.InvalidRelease, match="tender/status"):
        services.tender_publish(actor=official_actor, tender=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not Release.objects.exists()


# ---------------------------------------------------------------------------------------------
# storage, log and records


def test_each_release_is_logged_as_its_canonical_bytes(lifecycle: Lifecycle) -> None:
    for row in Release.objects.all():
        canonical = canonical_bytes(orjson.loads(row.data))
        assert row.sha256 == hashlib.sha256(canonical).hexdigest()
        leaf = Leaf.objects.get(index=row.leaf_index)
        assert (leaf.kind, leaf.ref) == ("release", row.release_id)
        assert bytes(leaf.leaf_hash) == leaf_hash(canonical)


def test_releases_are_append_only(lifecycle: Lifecycle) -> None:
    row = Release.objects.first()
    assert row is not None
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        Release.objects.update(data="{}")
    with pytest.raises(TypeError):
        Release.objects.all().delete()


def test_the_incremental_record_equals_a_compile_from_scratch(
    lifecycle: Lifecycle, official_actor: Actor
) -> None:
    tender = lifecycle.tender
    record = Record.objects.get(ocid=tender.ocid)
    stored = releases_of(tender)
    assert record.release_count == len(stored) == 4
    assert record.last_seq == Release.objects.filter(ocid=tender.ocid).last().seq  # type: ignore[union-attr]
    assert record.compiled == compile_release(stored)
    assert record.versioned == version_releases(stored)
    assert record.compiled["id"] == f"{tender.ocid}-{stored[-1]['date']}"
    assert record.compiled["tender"]["amendments"][0]["id"] == "1"
    assert len(record.versioned["tender"]["status"]) == 1


def test_criteria_an_amendment_removes_are_published_as_null(
    official_actor: Actor, open_tender: Tender
) -> None:
    """OCDS merging never drops an array entry: a criterion removed, and a description cleared,
    are published once with their fields null, so that the compiled release loses them."""
    rated = [
        CriterionData(name="Precio", kind="price", weight=60),
        CriterionData(name="Experiencia", kind="quality", weight=30, description="Años."),
        CriterionData(name="Plazo", kind="quality", weight=10),
    ]
    services.tender_amend(
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(
            reason="Se pondera la calidad",
            award_criteria="ratedCriteria",
            price_scoring="linear",
            criteria=rated,
            submission_deadline=open_tender.submission_deadline + DAY,
            opening_at=open_tender.opening_at + DAY,
        ),
    )
    open_tender.refresh_from_db()
    services.tender_amend(
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(
            reason="Se simplifica",
            criteria=[
                CriterionData(name="Precio", kind="price", weight=70),
                CriterionData(name="Experiencia", kind="quality", weight=30),
            ],
            submission_deadline=open_tender.submission_deadline + DAY,
            opening_at=open_tender.opening_at + DAY,
        ),
    )
    *_, weighted, simpler = releases_of(open_tender)
    assert weighted["tender"]["weightedCriteria"]["criteria"] == [
        {"id": "1", "name": "Precio", "type": "price", "weight": 60},
        {"id": "2", "name": "Experiencia", "description": "Años.", "type": "quality", "weight": 30},
        {"id": "3", "name": "Plazo", "type": "quality", "weight": 10},
    ]
    assert simpler["tender"]["weightedCriteria"]["criteria"] == [
        {"id": "1", "name": "Precio", "type": "price", "weight": 70},
        {"id": "2", "name": "Experiencia", "type": "quality", "weight": 30, "description": None},
        {"id": "3", "name": None, "type": None, "weight": None},
    ]
    record = Record.objects.get(ocid=open_tender.ocid)
    assert record.compiled == compile_release(releases_of(open_tender))
    assert record.compiled["tender"]["weightedCriteria"]["criteria"] == [
        {"id": "1", "name": "Precio", "type": "price", "weight": 70},
        {"id": "2", "name": "Experiencia", "type": "quality", "weight": 30},
        {"id": "3"},
    ]

    # Back to the lowest price: the formula and every criterion's fields are null.
    open_tender.refresh_from_db()
    services.tender_amend(
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(
            reason="Se vuelve al precio",
            award_criteria="priceOnly",
            submission_deadline=open_tender.submission_deadline + DAY,
            opening_at=open_tender.opening_at + DAY,
        ),
    )
    *_, last = releases_of(open_tender)
    assert last["tender"]["awardCriteria"] == "priceOnly"
    assert last["tender"]["weightedCriteria"] == {
        "priceScoring": None,
        "priceFormula": None,
        "totalWeight": None,
        "criteria": [
            {"id": "1", "name": None, "type": None, "weight": None},
            {"id": "2", "name": None, "type": None, "weight": None},
        ],
    }
    record.refresh_from_db()
    assert record.compiled == compile_release(releases_of(open_tender))
    assert record.compiled["tender"]["weightedCriteria"] == {
        "criteria": [{"id": "1"}, {"id": "2"}, {"id": "3"}]
    }


def test_a_clock_set_back_never_dates_a_release_before_the_last(
    official_actor: Actor, open_tender: Tender
) -> None:
    first = Release.objects.get(ocid=open_tender.ocid)
    with clock.at(first.date - 10 * HOUR):
        services.tender_amend(
            actor=official_actor,
            tender=open_tender,
            data=AmendmentData(reason="Error de tipeo", title="Computadores nuevos"),
        )
    second = Release.objects.filter(ocid=open_tender.ocid).last()
    assert second is not None and second.date == first.date
    assert Record.objects.get(ocid=open_tender.ocid).compiled == compile_release(
        releases_of(open_tender)
    )


def test_many_processes_keep_their_own_numbering(
    buyer: Any, official_actor: Actor, supplier_actor: Actor
) -> None:
    one = run_lifecycle(buyer, official_actor, supplier_actor).tender
    two = factories.TenderOpenFactory(buyer=buyer)
    assert Release.objects.get(ocid=two.ocid).release_id == f"{two.ocid}-tender-1"
    assert Release.objects.filter(ocid=one.ocid).count() == 4
    ids = list(Release.objects.values_list("release_id", flat=True))
    assert len(ids) == len(set(ids)) == 5
    assert list(Release.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_amounts_with_cents_survive_canonicalization(
    official_actor: Actor, open_tender: Tender
) -> None:
    services.tender_amend(
        actor=official_actor,
        tender=open_tender,
        data=AmendmentData(reason="Ajuste", estimated_value=Decimal("1234567.89")),
    )
    row = Release.objects.filter(ocid=open_tender.ocid).last()
    assert row is not None
    assert b'"amount":1234567.89' in canonical_bytes(orjson.loads(row.data))
