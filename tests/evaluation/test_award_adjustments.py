"""The decisions show how the country's rules adjusted the ranking they were made on (issue 12,
item 4): the public awards page (the award notice the open data links to) and the bidder's
notice explain each adjustment in words, in the visitor's language, as the evaluation report
does; a lot no rule adjusted says so; a cancelled decision shows none (its lot went back to the
committee)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from pregon.core import clock
from pregon.evaluation import services
from pregon.evaluation.models import Award, AwardNotice, Evaluation
from tests.bids.opening_world import OpeningWorld
from tests.evaluation.award_world import buyer_official_actor
from tests.evaluation.test_preferences import BRAZIL, _actor, _evaluate, _world
from tests.organizations.conftest import compiled, fresh_catalogs
from tests.test_translations import visible_text

__all__ = ["compiled", "fresh_catalogs"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_catalogs")]

INVITED = "Pequena Empresa Ltda"

# What a reader of each language reads of the three adjustments (the tie, the invitation, the
# covering price), and of the section's heading.
EXPLAINED = {
    "en": ["Adjustments of the ranking", "BR@2026.1:fictitious_tie", "covered the best offer"],
    "pt-br": ["Ajustes da classificação", "BR@2026.1:fictitious_tie", "cobriu a melhor oferta"],
}


def _covered_and_decided(world: OpeningWorld) -> Award:
    """The invited EPP covers the best offer; the buyer awards it the lot."""
    evaluation = _evaluate(world)
    with clock.at(world.at + dt.timedelta(hours=2)):
        services.cover_improve(
            actor=_actor(world, INVITED), evaluation=evaluation, price="99500.00"
        )
    evaluation.refresh_from_db()
    return services.award_decide(
        actor=buyer_official_actor(world), evaluation=evaluation, reason="La mejor oferta."
    )


def _adjustments_of(text: str) -> list[str]:
    """The adjustments listed on a page (the `pregon-adjustment` items), as read."""
    return [
        visible_text(item.split("</li>")[0]).strip()
        for item in text.split('<li class="pregon-adjustment">')[1:]
    ]


@pytest.mark.parametrize("language", EXPLAINED)
def test_the_public_awards_page_explains_each_adjustment(language: str) -> None:
    world = _world("BR", "BRL", BRAZIL)
    award = _covered_and_decided(world)
    evaluation = Evaluation.objects.get(lot=award.lot)
    assert len(evaluation.adjustments) == 3

    page = Client().get(f"/{language}/tenders/{world.tender.pk}/awards/")
    assert page.status_code == 200
    html = page.content.decode()
    text = visible_text(html)
    assert [phrase for phrase in EXPLAINED[language] if phrase not in text] == []
    # The same explanations as the report's, in the same order and words.
    report = Client().get(f"/{language}/tenders/{world.tender.pk}/evaluation/").content.decode()
    assert _adjustments_of(html) == _adjustments_of(report)
    assert len(_adjustments_of(html)) == 3
    # Inside the decision it explains, one heading below it.
    article = html.split(f'id="award-{award.pk}"')[1].split("</article>")[0]
    assert '<li class="pregon-adjustment">' in article
    assert f"<h3>{EXPLAINED[language][0]}</h3>" in article


def test_the_bidders_notice_explains_them_too() -> None:
    world = _world("BR", "BRL", BRAZIL)
    award = _covered_and_decided(world)
    loser = next(o for o in world.offers if o.supplier.legal_name == "Grande Indústria SA")
    notice = AwardNotice.objects.get(award=award, organization=loser.supplier)
    client = Client()
    client.force_login(loser.actor.user)
    page = client.get(f"/pt-br/tenders/{world.tender.pk}/awards/notices/{notice.pk}/")
    assert page.status_code == 200
    assert [p for p in EXPLAINED["pt-br"] if p not in visible_text(page.content.decode())] == []


def test_a_lot_no_rule_adjusted_says_so_and_a_cancelled_decision_shows_none() -> None:
    # Chile's generic tie rules: two different prices, nothing to adjust.
    world = _world(
        "CL",
        "CLP",
        [
            ("Proveedora Uno SpA", "100000", {"scale": "large"}),
            ("Proveedora Dos SpA", "110000", {"scale": "small"}),
        ],
    )
    evaluation = _evaluate(world)
    assert evaluation.adjustments == []
    award = services.award_decide(
        actor=buyer_official_actor(world), evaluation=evaluation, reason="El menor precio."
    )
    page = Client().get(f"/en/tenders/{world.tender.pk}/awards/").content.decode()
    assert "No rule adjusted the ranking." in visible_text(page)

    # A complaint upheld cancels the decision and reopens the lot: the cancelled decision no
    # longer explains a ranking that is being made again.
    loser = _actor(world, "Proveedora Dos SpA")
    complaint = services.complaint_file(
        actor=loser, award=award, complainant=loser.organization, grounds="Precio mal leído."
    )
    services.complaint_decide(
        actor=buyer_official_actor(world),
        complaint=complaint,
        upheld=True,
        resolution="Se revisa la evaluación.",
    )
    award.refresh_from_db()
    assert award.status == "cancelled"
    page = Client().get(f"/en/tenders/{world.tender.pk}/awards/").content.decode()
    article = page.split(f'id="award-{award.pk}"')[1].split("</article>")[0]
    assert "Adjustments of the ranking" not in article
    assert "No rule adjusted the ranking." not in article
