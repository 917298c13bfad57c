"""Fixtures of the publication tests: tenders taken through their public life at chosen moments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.tenders import services
from pregon.tenders.models import Lot, Question, Tender
from pregon.tenders.services import AmendmentData, DocumentData
from tests import factories

try:
    from pregon.ledger.services import leaf_append  # noqa: F401
except ImportError as error:  # pragma: no cover - only while issue 4 is being built
    raise ImportError(
        "Publishing appends every release to the transparency log through "
        "pregon.ledger.services.leaf_append(kind=, data=, ref=), which the transparency-log "
        "work (issue 4) provides; it is not importable yet."
    ) from error

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ASKER_QUESTION = "¿Los computadores deben incluir sistema operativo con licencia?"


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Any) -> None:
    settings.PREGON_DATA_DIR = tmp_path / "data"
    settings.SITE_URL = "https://compras.example.org"


def upload(name: str = "anexo.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class Lifecycle:
    """A tender taken through draft → publish → answer → amend → close, and its moments."""

    tender: Tender
    question: Question
    start: dt.datetime
    asker: Actor


def run_lifecycle(buyer: Any, official_actor: Actor, supplier_actor: Actor) -> Lifecycle:
    start = (timezone.now() - 40 * DAY).replace(microsecond=0)
    with clock.at(start):
        tender = factories.TenderDraftFactory(buyer=buyer, lots=2)
        services.document_add(
            actor=official_actor,
            tender=tender,
            data=DocumentData(upload=upload("bases.pdf"), title="Bases de licitación"),
        )
    with clock.at(start + HOUR):
        services.tender_publish(actor=official_actor, tender=tender)
    lot = Lot.objects.get(tender=tender, number=2)
    with clock.at(start + DAY):
        question = services.question_ask(
            actor=supplier_actor, tender=tender, text=ASKER_QUESTION, lot=lot
        )
        services.question_ask(actor=supplier_actor, tender=tender, text="¿Plazo de entrega?")
    with clock.at(start + 2 * DAY):
        services.question_answer(
            actor=official_actor, question=question, answer="Sí, Windows 11 Pro o equivalente."
        )
    with clock.at(start + 3 * DAY):
        services.tender_amend(
            actor=official_actor,
            tender=tender,
            data=AmendmentData(
                reason="Se agrega un anexo técnico y se precisa la evaluación.",
                estimated_value=Decimal("175000.50"),
                award_criteria_details="Menor precio entre ofertas que cumplan.",
                # The evaluation's notes are part of the award criteria: the deadline moves.
                submission_deadline=tender.submission_deadline + DAY,
                opening_at=tender.opening_at + DAY,
                documents=[DocumentData(upload=upload(), title="Anexo técnico")],
            ),
        )
    tender.refresh_from_db()
    with clock.at(tender.submission_deadline + HOUR):
        assert services.tender_close_if_due(tender_id=tender.pk) is True
    tender.refresh_from_db()
    return Lifecycle(tender=tender, question=question, start=start, asker=supplier_actor)


@pytest.fixture
def lifecycle(buyer: Any, official_actor: Actor, supplier_actor: Actor) -> Lifecycle:
    return run_lifecycle(buyer, official_actor, supplier_actor)


@pytest.fixture
def cancelled(buyer: Any, official_actor: Actor) -> Tender:
    """A tender published, then cancelled while open."""
    start = (timezone.now() - 5 * DAY).replace(microsecond=0)
    with clock.at(start):
        tender = factories.TenderDraftFactory(buyer=buyer)
        services.tender_publish(actor=official_actor, tender=tender)
    with clock.at(start + DAY):
        services.tender_cancel(
            actor=official_actor, tender=tender, reason="La necesidad fue cubierta."
        )
    tender.refresh_from_db()
    return tender
