"""The country rule packs' preferences in a lot's evaluation, end to end through the real
services: Brazil's fictitious tie and right to cover (covered, let pass, lapsed at its
deadline), Colombia's tie-breaking factors and draw; who may answer a right to cover, and when;
and the explanations on the public report, in the award notice e-mail and in the OCDS
release, each in its reader's language."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import orjson
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.accounts.models import User
from pregon.core import clock
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.evaluation import services
from pregon.evaluation.choices import CoverStatus, EvaluationStatus
from pregon.evaluation.models import AwardNotice, Evaluation, RightToCover
from pregon.organizations.models import Organization
from pregon.publication.models import Release
from pregon.rules import draw_key
from tests import factories
from tests.bids.opening_world import OpeningWorld, offer, opening_world
from tests.evaluation.award_world import buyer_official_actor
from tests.evaluation.world import opened

pytestmark = pytest.mark.django_db


def _world(
    country: str, currency: str, bidders: list[tuple[str, str, dict[str, Any]]]
) -> OpeningWorld:
    """An opened lowest-price tender of a buyer of `country`, with one bid on lot 1 per
    (name, price, supplier fields), received in that order."""
    buyer = factories.BuyerFactory(country=country)
    tender = factories.TenderOpenFactory(
        buyer=buyer,
        lots=2,
        committee=(3, 2),
        currency=currency,
        estimated_value=Decimal("150000.00"),
    )
    world = opening_world(buyer, tender=tender, bidders=False)
    for name, price, fields in bidders:
        supplier = factories.SupplierFactory(country=country, legal_name=name, **fields)
        offer(world, supplier, [{"lot": "1", "amount": price, "currency": currency}])
    return opened(world)


def _evaluate(world: OpeningWorld) -> Evaluation:
    """Start lot 1, qualify every bid, and complete it (at the opening's moment)."""
    member = world.member_actor(1)
    with clock.at(world.at):
        evaluation = services.evaluation_start(
            actor=member, tender=world.tender, lot=world.tender.lots.get(number=1)
        )
        for assessment in evaluation.assessments.all():
            services.assessment_qualify(actor=member, assessment=assessment)
        return services.evaluation_complete(actor=member, evaluation=evaluation)


def _actor(world: OpeningWorld, name: str) -> Any:
    return next(o.actor for o in world.offers if o.supplier.legal_name == name)


def _supplier(world: OpeningWorld, name: str) -> Organization:
    return next(o.supplier for o in world.offers if o.supplier.legal_name == name)


def _order(evaluation: Evaluation) -> list[str]:
    evaluation.refresh_from_db()
    names = {
        str(a.bid_id): a.supplier.legal_name
        for a in evaluation.assessments.select_related("supplier")
    }
    return [names[row["bid"]] for row in evaluation.ranking]


def _kinds(evaluation: Evaluation) -> list[str]:
    return [a.get("kind", "") for a in evaluation.adjustments]


def _report(world: OpeningWorld) -> str:
    return reverse("evaluation:report", kwargs={"pk": world.tender.pk})


def _latest(world: OpeningWorld) -> dict[str, Any]:
    release = Release.objects.filter(ocid=world.tender.ocid).order_by("-seq").first()
    assert release is not None
    data: dict[str, Any] = orjson.loads(release.data)
    return data


# Brazil: a large firm's best offer, a small enterprise (EPP) 5 % above it, a micro one 15 %.
BRAZIL = [
    ("Grande Indústria SA", "100000", {"scale": "large"}),
    ("Pequena Empresa Ltda", "105000", {"scale": "small"}),
    ("Microempresa ME", "115000", {"scale": "micro"}),
]


def test_a_brazilian_small_enterprise_within_10_percent_covers_the_best_offer_and_wins(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = _world("BR", "BRL", BRAZIL)
    invited = _supplier(world, "Pequena Empresa Ltda")
    User.objects.filter(memberships__organization=invited).update(language="pt-br")

    with django_capture_on_commit_callbacks() as callbacks:
        evaluation = _evaluate(world)

    # Completing does not complete: the lot waits for the invited bidder.
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.COVER_OFFERED
    assert evaluation.ranking is None
    cover = RightToCover.objects.get()
    assert (cover.assessment.supplier, cover.best.supplier.legal_name, cover.best_price) == (
        invited,
        "Grande Indústria SA",
        Decimal("100000.00"),
    )
    assert cover.status == CoverStatus.OFFERED
    assert cover.pack == "BR@2026.1" and cover.rule == "fictitious_tie"
    assert cover.deadline == world.at + dt.timedelta(hours=settings.PREGON_COVER_HOURS)
    assert AuditEvent.objects.filter(action="evaluation.offer_cover").count() == 1
    # Nothing is public yet.
    assert "pregon-adjustment" not in Client().get(_report(world)).content.decode()
    assert "evaluation-report-1" not in orjson.dumps(_latest(world)).decode()
    # Its people are told, in their language, once the invitation is committed (the e-mail and
    # the deadline are enqueued on commit), and once only.
    assert len(callbacks) == 2
    assert services.cover_invitation_email(cover_id=cover.pk) == 1
    assert services.cover_invitation_email(cover_id=cover.pk) == 0
    (invitation,) = mail.outbox
    assert invitation.to == [User.objects.get(memberships__organization=invited).email]
    assert invitation.subject == "[Pregón] Lote 1: você pode cobrir a melhor oferta"
    assert "Empate ficto e o direito de cobrir a melhor oferta" in invitation.body
    with translation.override("pt-br"):
        assert reverse("evaluation:mine", kwargs={"pk": world.tender.pk}) in invitation.body

    # The invited bidder covers it, in the clear, before the deadline.
    with clock.at(world.at + dt.timedelta(hours=2)):
        services.cover_improve(
            actor=_actor(world, "Pequena Empresa Ltda"), evaluation=evaluation, price="99500.00"
        )

    cover.refresh_from_db()
    assert (cover.status, cover.price) == (CoverStatus.IMPROVED, Decimal("99500.00"))
    assert _order(evaluation) == [
        "Pequena Empresa Ltda",
        "Grande Indústria SA",
        "Microempresa ME",
    ]
    assert evaluation.status == EvaluationStatus.COMPLETED
    assert evaluation.ranking[0]["price"] == "99500.00"
    assert evaluation.ranking[0]["computedRank"] == 2
    assert _kinds(evaluation) == [
        "tie_declared",
        "right_to_cover_offered",
        "improved_offer_received",
    ]
    assert AuditEvent.objects.filter(action="evaluation.cover_improve").count() == 1

    # The public report explains it, in the page's language.
    with translation.override("en"):
        english = Client().get(_report(world)).content.decode()
    assert "covered the best offer" in english
    assert (
        f"{evaluation.assessments.get(supplier=invited).bid_id} (Pequena Empresa Ltda)" in english
    )
    with translation.override("pt-br"):
        portuguese = Client().get(_report(world)).content.decode()
    assert "cobriu a melhor oferta" in portuguese and "covered the best" not in portuguese

    # The published data: every adjustment on the bids it concerns, in four languages.
    release = _latest(world)
    entry = next(
        d
        for d in release["bids"]["details"]
        if d["id"].startswith(str(evaluation.assessments.get(supplier=invited).bid_id))
    )
    assert entry["rank"] == 1
    kinds = [a["kind"] for a in entry["rankAdjustments"]]
    assert kinds == ["tie_declared", "right_to_cover_offered", "improved_offer_received"]
    received = entry["rankAdjustments"][2]
    assert received["computedRank"] == 2
    assert "covered the best offer" in received["explanation_en"]
    assert "cobriu a melhor oferta" in received["explanation_pt"]
    assert received["explanation_es"] and received["explanation_fr"]
    # The release's own field is in the tender's language (Spanish).
    assert received["explanation"] == received["explanation_es"]

    # The award is made at the covering price, and the notice e-mail explains why.
    mail.outbox.clear()
    award = services.award_decide(
        actor=buyer_official_actor(world),
        evaluation=evaluation,
        reason="La oferta mejor clasificada.",
    )
    assert (award.supplier, award.value_amount) == (invited, Decimal("99500.00"))
    notice = AwardNotice.objects.get(award=award, organization=invited)
    services.award_notice_email(notice_id=notice.pk)
    (message,) = mail.outbox
    assert "cobriu a melhor oferta" in message.body
    assert "99.500,00" in message.body or "99500" in message.body.replace(".", "").replace(",", "")


def test_a_brazilian_small_enterprise_lets_it_pass_on_its_page() -> None:
    world = _world("BR", "BRL", BRAZIL)
    evaluation = _evaluate(world)
    invited = _actor(world, "Pequena Empresa Ltda")
    page = reverse("evaluation:mine", kwargs={"pk": world.tender.pk})
    client = Client()
    client.force_login(invited.user)
    with clock.at(world.at + dt.timedelta(hours=1)):
        text = client.get(page).content.decode()
        assert "Cover the best offer" in text or "Cubrir la mejor oferta" in text
        assessment = evaluation.assessments.get(supplier=invited.organization)
        response = client.post(page, {"assessment": assessment.pk, "action": "pass"})
    assert response.status_code == 302

    cover = RightToCover.objects.get()
    assert cover.status == CoverStatus.PASSED and cover.price is None
    assert cover.answered_by == invited.user
    assert _order(evaluation) == ["Grande Indústria SA", "Pequena Empresa Ltda", "Microempresa ME"]
    assert _kinds(evaluation) == ["tie_declared", "right_to_cover_offered", "right_to_cover_passed"]
    assert AuditEvent.objects.filter(action="evaluation.cover_pass").count() == 1


def test_a_right_to_cover_lapses_at_its_deadline_and_the_ranking_stands() -> None:
    world = _world("BR", "BRL", BRAZIL)
    evaluation = _evaluate(world)
    cover = RightToCover.objects.get()
    invited = _actor(world, "Pequena Empresa Ltda")

    # Before the deadline the safety net records nothing.
    with clock.at(cover.deadline - dt.timedelta(seconds=1)):
        assert services.covers_lapse_due() == 0
    # After it, the bidder may no longer answer; nothing changes on the refusal.
    with clock.at(cover.deadline + dt.timedelta(seconds=1)):
        with pytest.raises(InvalidTransition) as late:
            services.cover_improve(actor=invited, evaluation=evaluation, price="90000")
        assert late.value.code == "cover_deadline_passed"
        cover.refresh_from_db()
        assert cover.status == CoverStatus.OFFERED
        out = io.StringIO()
        call_command("lapse_covers", stdout=out)
        assert out.getvalue().startswith("1 right to cover lapsed")
        assert services.covers_lapse_due() == 0  # once only

    cover.refresh_from_db()
    assert cover.status == CoverStatus.LAPSED
    assert cover.answered_at == cover.deadline + dt.timedelta(seconds=1)
    assert _order(evaluation) == ["Grande Indústria SA", "Pequena Empresa Ltda", "Microempresa ME"]
    assert _kinds(evaluation)[-1] == "right_to_cover_passed"
    lapse = AuditEvent.objects.get(action="evaluation.cover_lapse")
    assert lapse.actor_id is None


def test_only_the_invited_bidder_answers_and_only_while_the_right_is_open() -> None:
    world = _world("BR", "BRL", BRAZIL)
    member = world.member_actor(1)
    invited = _actor(world, "Pequena Empresa Ltda")
    with clock.at(world.at):
        evaluation = services.evaluation_start(
            actor=member, tender=world.tender, lot=world.tender.lots.get(number=1)
        )
        # Not before the invitation.
        with pytest.raises(InvalidTransition) as early:
            services.cover_improve(actor=invited, evaluation=evaluation, price="99000")
        assert early.value.code == "no_cover_offered"
    evaluation = _complete_started(world, evaluation)
    assert evaluation.status == EvaluationStatus.COVER_OFFERED

    before = list(RightToCover.objects.values())
    with clock.at(world.at + dt.timedelta(minutes=30)):
        # Another bidder of the lot, the best one included; a committee member; a stranger.
        for actor in (
            _actor(world, "Microempresa ME"),
            _actor(world, "Grande Indústria SA"),
            member,
            factories.actor_for(
                factories.member(factories.SupplierFactory(country="BR"), "supplier_user"),
                factories.SupplierFactory(country="BR"),
            ),
        ):
            with pytest.raises(PermissionDenied):
                services.cover_improve(actor=actor, evaluation=evaluation, price="99000")
            with pytest.raises(PermissionDenied):
                services.cover_pass(actor=actor, evaluation=evaluation)
        # The invited bidder, with a price that does not cover the best offer.
        for price in ("100000", "100000.00", "120000", "0", "-5", "99999.999", "abc"):
            with pytest.raises(ValidationFailed):
                services.cover_improve(actor=invited, evaluation=evaluation, price=price)
        assert list(RightToCover.objects.values()) == before
        assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.COVER_OFFERED

        services.cover_improve(actor=invited, evaluation=evaluation, price="99999.99")
        # Answered once: neither a second price nor a pass.
        with pytest.raises(InvalidTransition):
            services.cover_improve(actor=invited, evaluation=evaluation, price="90000")
        with pytest.raises(InvalidTransition):
            services.cover_pass(actor=invited, evaluation=evaluation)
    assert RightToCover.objects.get().price == Decimal("99999.99")

    # On the page: another bidder cannot reach the invited bid's assessment (404).
    other = _actor(world, "Microempresa ME")
    client = Client()
    client.force_login(other.user)
    page = reverse("evaluation:mine", kwargs={"pk": world.tender.pk})
    invited_assessment = evaluation.assessments.get(supplier=invited.organization)
    response = client.post(
        page, {"assessment": invited_assessment.pk, "action": "cover", "price": "1"}
    )
    assert response.status_code == 404


def _complete_started(world: OpeningWorld, evaluation: Evaluation) -> Evaluation:
    member = world.member_actor(1)
    with clock.at(world.at):
        for assessment in evaluation.assessments.all():
            services.assessment_qualify(actor=member, assessment=assessment)
        services.evaluation_complete(actor=member, evaluation=evaluation)
    evaluation.refresh_from_db()
    return evaluation


# Colombia: a tender in US dollars above the Mipymes-only threshold, so no rate is needed.
def test_a_colombian_tie_is_broken_by_the_mipyme_factor() -> None:
    world = _world(
        "CO",
        "USD",
        [
            ("Gran Empresa SAS", "120000", {"scale": "large"}),
            ("Mipyme Andina SAS", "120000", {"scale": "small"}),
            ("Otra Empresa SAS", "130000", {"scale": "small"}),
        ],
    )
    evaluation = _evaluate(world)

    assert evaluation.status == EvaluationStatus.COMPLETED
    # Received first, the large firm was ranked first; the factor puts the Mipyme ahead.
    assert _order(evaluation) == ["Mipyme Andina SAS", "Gran Empresa SAS", "Otra Empresa SAS"]
    assert _kinds(evaluation) == ["tie_broken_by_factor"]
    (adjustment,) = evaluation.adjustments
    assert adjustment["rule"] == "CO@2026.1:tie_break"
    assert "«una Mipyme»" in adjustment["explanation"]  # the tender's language, Spanish
    assert '"a Mipyme"' in adjustment["explanations"]["en"]


def test_a_colombian_draw_is_reproducible_from_the_published_seed() -> None:
    world = _world(
        "CO",
        "USD",
        [
            ("Primera Mipyme SAS", "140000", {"scale": "micro"}),
            ("Segunda Mipyme SAS", "140000", {"scale": "small"}),
        ],
    )
    evaluation = _evaluate(world)

    seed = f"{world.tender.ocid}/1"
    bids = {o.supplier.legal_name: str(o.bid.pk) for o in world.offers}
    expected = sorted(bids, key=lambda name: draw_key(seed, bids[name]))
    assert _order(evaluation) == expected
    assert _kinds(evaluation) == ["draw"]
    explanation = evaluation.adjustments[0]["explanations"]["en"]
    assert seed in explanation
    assert all(bid in explanation for bid in bids.values())
