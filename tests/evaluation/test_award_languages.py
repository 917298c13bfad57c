"""The award pages read in the visitor's language: the buyer's decision page, a bidder's notice
and the public awards page, in Spanish, Brazilian Portuguese and French, with the catalogs as
committed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pregon.evaluation import services
from pregon.evaluation.models import AwardNotice
from pregon.organizations.models import Organization
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.evaluation.award_world import buyer_official_actor, decided, evaluated
from tests.evaluation.world import opened
from tests.organizations.conftest import compiled, fresh_catalogs
from tests.test_translations import english_phrases, visible_text

__all__ = ["compiled", "fresh_catalogs"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_catalogs")]

MANAGE = {
    "es": [
        "Decisiones de adjudicación",
        "En primer lugar: Pequeña Empresa SpA",
        "Adjudicar el lote",
    ],
    "pt-br": [
        "Decisões de adjudicação",
        "Em primeiro lugar: Pequeña Empresa SpA",
        "Adjudicar o lote",
    ],
    "fr": [
        "Décisions d'attribution",
        "Classée première\u00a0: Pequeña Empresa SpA",
        "Attribuer le lot",
    ],
}
NOTICE = {
    "es": ["Su oferta no fue adjudicada", "Presentar un reclamo", "Fundamentos del reclamo"],
    "pt-br": ["Sua proposta não foi adjudicada", "Interpor um recurso", "Fundamentos do recurso"],
    "fr": ["Votre offre n'est pas retenue", "Déposer une réclamation", "Motifs de la réclamation"],
}
PUBLIC = {
    "es": [
        "Adjudicaciones",
        "Suspendida por un reclamo",
        "Reclamos contra la adjudicación del lote 1",
    ],
    "pt-br": ["Adjudicações", "Suspensa por um recurso", "Recursos contra a adjudicação do lote 1"],
    "fr": [
        "Attributions",
        "Suspendue par une réclamation",
        "Réclamations contre l'attribution du lot 1",
    ],
}


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opened(opening_world(buyer))


def _check(page: Any, language: str, phrases: list[str]) -> None:
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{language}">' in html
    text = visible_text(html)
    assert [phrase for phrase in phrases if phrase not in text] == []
    assert [phrase for phrase in english_phrases(language) if phrase in text] == []


@pytest.mark.parametrize("language", MANAGE)
def test_the_decision_page_reads_in_the_language(world: OpeningWorld, language: str) -> None:
    evaluated(world)
    client = Client()
    client.force_login(buyer_official_actor(world).user)

    _check(
        client.get(f"/{language}/tenders/{world.tender.pk}/awards/decide/"),
        language,
        MANAGE[language],
    )


@pytest.mark.parametrize("language", NOTICE)
def test_a_notice_reads_in_the_language(world: OpeningWorld, language: str) -> None:
    award = decided(world)
    loser = next(o for o in world.offers if o.supplier.legal_name == "Cooperativa Andina")
    notice = AwardNotice.objects.get(award=award, organization=loser.supplier)
    client = Client()
    client.force_login(loser.actor.user)

    _check(
        client.get(f"/{language}/tenders/{world.tender.pk}/awards/notices/{notice.pk}/"),
        language,
        NOTICE[language],
    )


@pytest.mark.parametrize("language", PUBLIC)
def test_the_awards_page_reads_in_the_language(world: OpeningWorld, language: str) -> None:
    award = decided(world)
    loser = next(o for o in world.offers if o.supplier.legal_name == "Cooperativa Andina")
    services.complaint_file(
        actor=loser.actor, award=award, complainant=loser.supplier, grounds="Garantía vencida."
    )

    _check(
        Client().get(f"/{language}/tenders/{world.tender.pk}/awards/"), language, PUBLIC[language]
    )
