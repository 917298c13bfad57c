"""The evaluation's pages read in the visitor's language: the committee's working page and the
public report, in Spanish, Brazilian Portuguese and French, with the catalogs as committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pregon.evaluation import services
from pregon.organizations.models import Organization
from tests.bids.opening_world import OpeningWorld
from tests.evaluation.world import priced_world
from tests.test_translations import compile_catalogs, english_phrases, visible_text

pytestmark = pytest.mark.django_db

COMMITTEE = {
    "es": [
        "Evaluación",
        "Usted es el miembro 1 del comité de esta licitación.",
        "En curso",
        "Admitir",
        "Descalificar",
        "Pedir al oferente que justifique el precio",
        "Concluir y publicar la evaluación de este lote",
        "Aún sin revisar",
        "Precio anormalmente bajo",
    ],
    "pt-br": [
        "Avaliação",
        "Você é o membro 1 da comissão desta licitação.",
        "Em andamento",
        "Habilitar",
        "Desclassificar",
        "Concluir e publicar a avaliação deste lote",
        "Preço inexequível",
    ],
    "fr": [
        "Évaluation",
        "Vous êtes le membre 1 de la commission de cet appel d'offres.",
        "En cours",
        "Déclarer conforme",
        "Écarter",
        "Terminer et publier l'évaluation de ce lot",
        "Prix anormalement bas",
    ],
}
REPORT = {
    "es": [
        "Informe de evaluación",
        "Las ofertas del lote 1, por orden de prelación",
        "Lugar",
        "Admitida",
        "Descalificada",
        "Sin garantía de seriedad.",
        "es anormalmente bajo: se pide al oferente que lo justifique.",
        "Ajustes del orden de prelación",
        "Ninguna regla ajustó el orden de prelación.",
    ],
    "pt-br": [
        "Relatório de avaliação",
        "As propostas do lote 1, em ordem de classificação",
        "Habilitada",
        "Desclassificada",
        "Nenhuma regra ajustou a classificação.",
    ],
    "fr": [
        "Rapport d'évaluation",
        "Les offres du lot 1, dans l'ordre du classement",
        "Conforme",
        "Écartée",
        "Aucune règle n'a ajusté le classement.",
    ],
}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("locale")
    compile_catalogs(target)
    return target


@pytest.fixture(autouse=True)
def fresh_catalogs(settings: Any, compiled: Path) -> None:
    """Pages read the catalogs as committed, not a stale build."""
    settings.LOCALE_PATHS = [compiled]


def _world(buyer: Organization) -> OpeningWorld:
    """Lot 1 of an opened tender being evaluated: 100 000 and 110 000 qualified or pending,
    70 000 abnormally low."""
    return priced_world(buyer, ["100000", "110000", "70000"])


def _english(language: str, text: str) -> list[str]:
    return [phrase for phrase in english_phrases(language) if phrase in text]


@pytest.mark.parametrize("language", COMMITTEE)
def test_the_committee_page_reads_in_the_language(buyer: Organization, language: str) -> None:
    world = _world(buyer)
    services.evaluation_start(
        actor=world.member_actor(1), tender=world.tender, lot=world.tender.lots.get(number=1)
    )
    client = Client()
    client.force_login(world.committee[0].user)
    response = client.get(f"/{language}/tenders/{world.tender.pk}/evaluation/committee/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    text = visible_text(page)
    assert [phrase for phrase in COMMITTEE[language] if phrase not in text] == []
    assert _english(language, text) == []


@pytest.mark.parametrize("language", REPORT)
def test_the_public_report_reads_in_the_language(buyer: Organization, language: str) -> None:
    world = _world(buyer)
    actor = world.member_actor(1)
    evaluation = services.evaluation_start(
        actor=actor, tender=world.tender, lot=world.tender.lots.get(number=1)
    )
    by_price = {str(a.price): a for a in evaluation.assessments.all()}
    services.assessment_qualify(actor=actor, assessment=by_price["100000.00"])
    services.assessment_qualify(actor=actor, assessment=by_price["110000.00"])
    services.assessment_disqualify(
        actor=actor, assessment=by_price["70000.00"], reason="Sin garantía de seriedad."
    )
    services.evaluation_complete(actor=actor, evaluation=evaluation)
    response = Client().get(f"/{language}/tenders/{world.tender.pk}/evaluation/")

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert [phrase for phrase in REPORT[language] if phrase not in text] == []
    assert _english(language, text) == []
