"""The award criteria in the OCDS releases (issue 11, item 1): `awardCriteria`,
`awardCriteriaDetails` in the tender's language, and our `weightedCriteria`; every release
validates against the patched schema (publication refuses an invalid one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest

from pregon.core.actor import Actor
from pregon.ocds.merge import compile_release
from pregon.publication.models import Record, Release
from pregon.publication.services import validator
from pregon.tenders import services
from pregon.tenders.models import Tender
from pregon.tenders.services import AmendmentData, CriterionData
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def releases_of(tender: Tender) -> list[dict[str, Any]]:
    return [
        orjson.loads(data)
        for data in Release.objects.filter(ocid=tender.ocid).values_list("data", flat=True)
    ]


def test_weighted_criteria_are_published_with_the_tender(buyer: Any) -> None:
    tender = factories.TenderOpenFactory(
        buyer=buyer, criteria=factories.WEIGHTED_CRITERIA, award_criteria_details="Empate: sorteo."
    )
    [release] = releases_of(tender)
    section = release["tender"]
    assert release["language"] == "es"
    assert section["awardCriteria"] == "ratedCriteria"
    assert section["awardCriteriaDetails"] == (
        "Criterios ponderados, 100 puntos en total: Precio ofertado: 60 puntos (precio); "
        "Experiencia del equipo: 30 puntos (calidad); Plazo de entrega: 10 puntos (calidad). "
        "Puntos de precio = W × L ÷ P, donde W es la ponderación del criterio de precio, L el "
        "precio más bajo entre las ofertas admisibles del lote y P el precio de la oferta. El "
        "precio más bajo obtiene los W puntos; un precio del doble del más bajo obtiene la "
        "mitad. Los puntos se redondean a dos decimales. La comisión evaluadora asigna a cada "
        "criterio de calidad de 0 a su ponderación en puntos. Cada lote se adjudica a la oferta "
        "admisible con más puntos.\n\nEmpate: sorteo."
    )
    assert section["weightedCriteria"] == {
        "priceScoring": "proportional",
        "priceFormula": (
            "Puntos de precio = W × L ÷ P, donde W es la ponderación del criterio de precio, L "
            "el precio más bajo entre las ofertas admisibles del lote y P el precio de la oferta. "
            "El precio más bajo obtiene los W puntos; un precio del doble del más bajo obtiene "
            "la mitad."
        ),
        "totalWeight": 100,
        "criteria": [
            {"id": "1", "name": "Precio ofertado", "type": "price", "weight": 60},
            {"id": "2", "name": "Experiencia del equipo", "type": "quality", "weight": 30},
            {"id": "3", "name": "Plazo de entrega", "type": "quality", "weight": 10},
        ],
    }
    assert validator().validate_release(release) == []


@pytest.mark.parametrize(
    ("language", "start"),
    [
        ("pt", "Critérios ponderados, 100 pontos no total: Precio ofertado: 60 pontos (preço)"),
        (
            "fr",
            "Critères pondérés, 100 points au total\u00a0: Precio ofertado\u00a0: 60 points (prix)",
        ),
        ("en", "Weighted criteria, 100 points in all: Precio ofertado: 60 points (price)"),
    ],
)
def test_the_words_are_in_the_tender_s_language(buyer: Any, language: str, start: str) -> None:
    tender = factories.TenderOpenFactory(
        buyer=buyer, language=language, criteria=factories.WEIGHTED_CRITERIA
    )
    [release] = releases_of(tender)
    assert release["tender"]["awardCriteriaDetails"].startswith(start)


def test_an_amendment_publishes_the_new_criteria_and_what_changed(
    official_actor: Actor, buyer: Any
) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer)
    services.tender_amend(
        actor=official_actor,
        tender=tender,
        data=AmendmentData(
            reason="Se pondera la calidad",
            award_criteria="ratedCriteria",
            price_scoring="linear",
            criteria=[
                CriterionData(name="Precio", kind="price", weight=70),
                CriterionData(name="Garantía", kind="quality", weight=30, description="Meses."),
            ],
            submission_deadline=tender.submission_deadline + 7 * DAY,
            opening_at=tender.opening_at + 7 * DAY,
        ),
    )
    first, amended = releases_of(tender)
    assert "weightedCriteria" not in first["tender"]
    section = amended["tender"]
    assert section["awardCriteria"] == "ratedCriteria"
    assert section["weightedCriteria"]["priceScoring"] == "linear"
    assert section["weightedCriteria"]["criteria"] == [
        {"id": "1", "name": "Precio", "type": "price", "weight": 70},
        {"id": "2", "name": "Garantía", "description": "Meses.", "type": "quality", "weight": 30},
    ]
    [amendment] = section["amendments"]
    assert amendment["description"].startswith(
        "Campos modificados: Criterios de adjudicación, Método de puntuación del precio, "
        "Criterios ponderados, Plazo de presentación de ofertas, Apertura de ofertas."
    )
    for release in (first, amended):
        assert validator().validate_release(release) == []
    record = Record.objects.get(ocid=tender.ocid)
    assert record.compiled == compile_release(releases_of(tender))
