"""Offers on a lot reserved for others are refused when the lot's evaluation starts (issue 12,
items 3 and 4): lots are sealed until the opening, so a large firm may seal a price for a lot
reserved for micro and small enterprises beside one for an open lot. The platform disqualifies
that offer, once, with the rule's reason in words, audited; the committee cannot qualify it;
the reason is on the report, in the bidder's notice (page and e-mail, in its language) and in
the published data, while the firm's offer on the open lot is ranked as any other."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.accounts.models import User
from pregon.core import clock
from pregon.core.errors import InvalidTransition
from pregon.core.models import AuditEvent
from pregon.evaluation import services
from pregon.evaluation.choices import Compliance, EvaluationStatus
from pregon.evaluation.models import AwardNotice, BidAssessment, Evaluation
from pregon.publication.models import Release
from pregon.tenders import services as tender_services
from pregon.tenders.rule_packs import lot_open_to
from tests import factories
from tests.bids.opening_world import OpeningWorld, offer, opening_world
from tests.evaluation.award_world import buyer_official_actor
from tests.evaluation.world import opened

pytestmark = pytest.mark.django_db

LARGE = "Grande Indústria SA"
SMALL = "Pequena Empresa Ltda"
# The rule's reason in English, as `tenders.rule_packs.lot_open_to` words it.
REASON_EN = (
    "Lot 1 is reserved for micro and small enterprises (Tenders and items up to R$80,000 "
    "exclusive to ME/EPP (Lei Complementar 123/2006, art. 48, I)). Grande Indústria SA is "
    "registered as large enterprise, so it cannot bid on this lot."
)


@pytest.fixture
def world() -> OpeningWorld:
    """A Brazilian tender (in Spanish) of two lots: lot 1, of R$80,000, reserved for ME/EPP
    (LC 123/2006, art. 48, I), lot 2, of R$420,000, open to all. A large firm offers on both
    lots, a small one on lot 1; the bids are opened."""
    buyer = factories.BuyerFactory(country="BR")
    tender = factories.TenderDraftFactory(
        buyer=buyer, currency="BRL", estimated_value=Decimal("500000"), lots=2
    )
    first, second = tender.lots.order_by("number")
    first.estimated_value, second.estimated_value = Decimal("80000"), Decimal("420000")
    first.save()
    second.save()
    official = factories.actor_for(factories.member(buyer, "buyer_official"), buyer)
    tender_services.tender_publish(actor=official, tender=tender)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.reserved, first.reserved_scales, second.reserved) == (
        True,
        ["micro", "small"],
        False,
    )
    world = opening_world(buyer, tender=tender, bidders=False)
    large = factories.SupplierFactory(country="BR", scale="large", legal_name=LARGE)
    small = factories.SupplierFactory(country="BR", scale="small", legal_name=SMALL)
    offer(
        world,
        large,
        [
            {"lot": "1", "amount": "70000", "currency": "BRL"},
            {"lot": "2", "amount": "400000", "currency": "BRL"},
        ],
    )
    offer(world, small, [{"lot": "1", "amount": "75000", "currency": "BRL"}])
    return opened(world)


def _start(world: OpeningWorld, number: int) -> Evaluation:
    with clock.at(world.at):
        return services.evaluation_start(
            actor=world.member_actor(1),
            tender=world.tender,
            lot=world.tender.lots.get(number=number),
        )


def _complete(world: OpeningWorld, evaluation: Evaluation) -> Evaluation:
    """Qualify every offer still pending, and complete the lot."""
    member = world.member_actor(1)
    with clock.at(world.at):
        for assessment in evaluation.assessments.filter(compliance=Compliance.PENDING):
            services.assessment_qualify(actor=member, assessment=assessment)
        services.evaluation_complete(actor=member, evaluation=evaluation)
    evaluation.refresh_from_db()
    return evaluation


def _of(evaluation: Evaluation, name: str) -> BidAssessment:
    return evaluation.assessments.get(supplier__legal_name=name)


def _latest(world: OpeningWorld) -> dict[str, Any]:
    release = Release.objects.filter(ocid=world.tender.ocid).order_by("-seq").first()
    assert release is not None
    data: dict[str, Any] = orjson.loads(release.data)
    return data


def test_a_large_firms_offer_on_the_reserved_lot_is_refused_at_the_start(
    world: OpeningWorld,
) -> None:
    evaluation = _start(world, 1)

    refused, ranked = _of(evaluation, LARGE), _of(evaluation, SMALL)
    assert (refused.compliance, refused.ineligible, refused.rank) == (
        Compliance.DISQUALIFIED,
        True,
        None,
    )
    assert refused.reasons["en"] == REASON_EN
    lot = world.tender.lots.get(number=1)
    for language in ("es", "pt-br", "fr"):
        with translation.override(language):
            assert refused.reasons[language] == lot_open_to(lot, refused.supplier)
    assert refused.reasons["pt-br"].startswith("O lote 1 é reservado para")
    # The tender is in Spanish: its reason is the one published.
    assert refused.reason == refused.reasons["es"]
    assert (ranked.compliance, ranked.ineligible, ranked.reason) == (Compliance.PENDING, False, "")
    # One audit row, in the name of the member who started the lot.
    (row,) = AuditEvent.objects.filter(action="evaluation.refuse_ineligible")
    assert row.object_id == str(refused.pk)
    assert row.actor_id == world.committee[0].user_id
    assert row.summary["reason"] == refused.reason
    assert row.summary["bid"] == str(refused.bid_id)


def test_the_committee_cannot_qualify_a_refused_offer(world: OpeningWorld) -> None:
    evaluation = _start(world, 1)
    refused = _of(evaluation, LARGE)
    before = BidAssessment.objects.filter(pk=refused.pk).values().get()
    member = world.member_actor(1)
    with clock.at(world.at):
        with pytest.raises(InvalidTransition) as qualify:
            services.assessment_qualify(actor=member, assessment=refused)
        with pytest.raises(InvalidTransition) as disqualify:
            services.assessment_disqualify(actor=member, assessment=refused, reason="Otra razón.")
    assert qualify.value.code == disqualify.value.code == "ineligible"
    assert BidAssessment.objects.filter(pk=refused.pk).values().get() == before
    # Nor does the committee's page offer it a form.
    client = Client()
    client.force_login(world.committee[0].user)
    with translation.override("en"):
        page = client.get(reverse("evaluation:committee", kwargs={"pk": world.tender.pk}))
    text = page.content.decode()
    assert f'name="assessment" value="{refused.pk}"' not in text
    assert f'name="assessment" value="{_of(evaluation, SMALL).pk}"' in text


def test_the_reserved_lot_ranks_the_small_firm_and_the_open_lot_the_large_one(
    world: OpeningWorld,
) -> None:
    first = _complete(world, _start(world, 1))
    second = _complete(world, _start(world, 2))

    assert first.status == second.status == EvaluationStatus.COMPLETED
    assert [row["bid"] for row in first.ranking] == [str(_of(first, SMALL).bid_id)]
    assert _of(first, SMALL).rank == 1
    assert _of(first, LARGE).rank is None
    # On the open lot the large firm's offer is evaluated as any other.
    large = _of(second, LARGE)
    assert (large.compliance, large.ineligible, large.rank) == (Compliance.QUALIFIED, False, 1)
    assert [row["bid"] for row in second.ranking] == [str(large.bid_id)]

    # The public report gives the reason in the visitor's language.
    def report() -> str:
        return reverse("evaluation:report", kwargs={"pk": world.tender.pk})

    with translation.override("en"):
        english = Client().get(report()).content.decode()
    assert "Disqualified</strong>: Lot 1 is reserved for micro and small enterprises" in english
    with translation.override("pt-br"):
        portuguese = Client().get(report()).content.decode()
    assert "O lote 1 é reservado para" in portuguese
    assert "Lot 1 is reserved" not in portuguese

    # The published data: disqualified with the reason, in the tender's language; the same
    # firm's offer on the open lot is valid and ranked.
    details = {d["id"]: d for d in _latest(world)["bids"]["details"]}
    refused = details[f"{large.bid_id}-1"]
    assert refused["status"] == "disqualified"
    assert refused["description"] == _of(first, LARGE).reasons["es"]
    assert "hasRank" not in refused
    assert (details[f"{large.bid_id}-2"]["status"], details[f"{large.bid_id}-2"]["rank"]) == (
        "valid",
        1,
    )
    assert details[f"{_of(first, SMALL).bid_id}-1"]["rank"] == 1


def test_the_bidders_notice_says_why_its_offer_was_refused(world: OpeningWorld) -> None:
    first = _complete(world, _start(world, 1))
    large = _of(first, LARGE)
    User.objects.filter(memberships__organization=large.supplier).update(language="pt-br")
    award = services.award_decide(
        actor=buyer_official_actor(world), evaluation=first, reason="La única oferta válida."
    )
    assert award.supplier == _of(first, SMALL).supplier
    notice = AwardNotice.objects.get(award=award, organization=large.supplier)

    # The e-mail, in the reader's language.
    assert services.award_notice_email(notice_id=notice.pk) == 1
    (message,) = mail.outbox
    assert "Sua proposta neste lote foi desclassificada:" in message.body
    assert large.reasons["pt-br"] in message.body
    # The notice page, in the page's language.
    client = Client()
    client.force_login(User.objects.get(memberships__organization=large.supplier))
    page = client.get(f"/en/tenders/{world.tender.pk}/awards/notices/{notice.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Why your offer was disqualified" in text
    assert REASON_EN in text
    # The winner's notice says nothing of the kind.
    winner = AwardNotice.objects.get(award=award, organization=award.supplier)
    client.force_login(User.objects.get(memberships__organization=award.supplier))
    page = client.get(f"/en/tenders/{world.tender.pk}/awards/notices/{winner.pk}/")
    assert "Why your offer was disqualified" not in page.content.decode()


def test_a_small_firm_on_the_reserved_lot_and_an_unreserved_lot_refuse_nothing(
    world: OpeningWorld,
) -> None:
    _start(world, 1)
    _start(world, 2)
    assert list(
        BidAssessment.objects.filter(ineligible=True).values_list("supplier__legal_name", flat=True)
    ) == [LARGE]
    assert AuditEvent.objects.filter(action="evaluation.refuse_ineligible").count() == 1
