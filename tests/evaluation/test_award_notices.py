"""The notice of a decision to every bidder of the lot: in its workspace, and by e-mail to each of
its people in their own language (the tender's when they chose none), once; through Django's
outbox, and once through a real SMTP server."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from pregon.accounts.models import User
from pregon.core.models import AuditEvent
from pregon.evaluation import services, tasks
from pregon.evaluation.choices import AwardNoticeKind
from pregon.evaluation.models import Award, AwardNotice
from pregon.organizations.models import Organization
from tests import factories
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.evaluation.award_world import buyer_official_actor, decided
from tests.evaluation.world import opened
from tests.organizations.conftest import Inbox, compiled, fresh_catalogs, smtp_server

__all__ = ["compiled", "fresh_catalogs", "smtp_server"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_catalogs")]

WINNER, LOSER, OTHER_LOSER = "Pequeña Empresa SpA", "Cooperativa Andina", "Ana Pérez"


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opened(opening_world(buyer))


def _user(world: OpeningWorld, name: str) -> User:
    user = next(o.actor.user for o in world.offers if o.supplier.legal_name == name)
    assert user is not None
    return user


def _languages(world: OpeningWorld) -> None:
    """The winner's person reads Spanish, the cooperative's French (a second person of it,
    Portuguese), and Ana Pérez chose no language (so she reads the tender's, Spanish)."""
    User.objects.filter(pk=_user(world, WINNER).pk).update(language="es")
    User.objects.filter(pk=_user(world, LOSER).pk).update(language="fr")
    User.objects.filter(pk=_user(world, OTHER_LOSER).pk).update(language="")
    cooperative = next(o.supplier for o in world.offers if o.supplier.legal_name == LOSER)
    factories.member(cooperative, "supplier_user", email="socia@coop.example", language="pt-br")


def _send_all(award: Award) -> int:
    return sum(
        services.award_notice_email(notice_id=notice.pk)
        for notice in AwardNotice.objects.filter(award=award).order_by("pk")
    )


def test_every_person_of_every_bidder_is_told_in_their_language(world: OpeningWorld) -> None:
    assert world.tender.language == "es"
    _languages(world)
    award = decided(world)

    assert _send_all(award) == 4

    by_recipient = {message.to[0]: message for message in mail.outbox}
    winner = by_recipient[_user(world, WINNER).email]
    assert winner.subject == "[Pregón] El lote 1 se le adjudicó"
    # The price written as in Spanish, grouped and without cents for a Chilean peso.
    assert (
        "La entidad compradora adjudicó el lote 1 a su oferta, por 118\u00a0000 CLP." in winner.body
    )
    assert "The best-ranked bid in the evaluation report." in winner.body
    assert winner.extra_headers["Content-Language"] == "es"
    french = by_recipient[_user(world, LOSER).email]
    assert french.subject == "[Pregón] Décision sur le lot 1\u00a0: votre offre n'est pas retenue"
    assert "Pequeña Empresa SpA, pour 118\u00a0000 CLP." in french.body
    assert "déposer une réclamation" in french.body
    portuguese = by_recipient["socia@coop.example"]
    assert portuguese.subject == "[Pregón] Decisão sobre o lote 1: sua proposta não foi adjudicada"
    # No language chosen: the tender's.
    fallback = by_recipient[_user(world, OTHER_LOSER).email]
    assert fallback.extra_headers["Content-Language"] == "es"
    assert fallback.subject == "[Pregón] Decisión sobre el lote 1: su oferta no fue adjudicada"
    notice = AwardNotice.objects.get(award=award, organization__legal_name=LOSER)
    assert f"/tenders/{world.tender.pk}/awards/notices/{notice.pk}/" in french.body


def test_a_notice_is_e_mailed_once(world: OpeningWorld) -> None:
    award = decided(world)
    notice = AwardNotice.objects.filter(award=award).first()
    assert notice is not None

    assert tasks.send_award_notice.call(notice.pk) == 1
    assert tasks.send_award_notice.call(notice.pk) == 0

    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert len(mail.outbox) == 1


def test_an_unsuccessful_lot_and_a_cancelled_award_are_told_too(world: OpeningWorld) -> None:
    award = decided(world)
    loser = next(o for o in world.offers if o.supplier.legal_name == LOSER)
    complaint = services.complaint_file(
        actor=loser.actor, award=award, complainant=loser.supplier, grounds="Expired guarantee."
    )
    services.complaint_decide(
        actor=buyer_official_actor(world),
        complaint=complaint,
        upheld=True,
        resolution="The guarantee had indeed expired.",
    )
    cancelled = AwardNotice.objects.filter(award=award, kind=AwardNoticeKind.CANCELLED)
    assert cancelled.count() == 3
    mail.outbox.clear()

    for notice in cancelled:
        services.award_notice_email(notice_id=notice.pk)

    assert {m.subject for m in mail.outbox} == {"[Pregón] La adjudicación del lote 1 se anuló"}
    assert all("The guarantee had indeed expired." in m.body for m in mail.outbox)


def test_the_notices_are_in_the_bidders_workspaces(world: OpeningWorld) -> None:
    award = decided(world)
    loser = _user(world, LOSER)
    client = Client()
    client.force_login(loser)

    listing = client.get("/en/supplier/awards/")

    notice = AwardNotice.objects.get(award=award, organization__legal_name=LOSER)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Your bid is not awarded" in page
    assert f"/en/tenders/{world.tender.pk}/awards/notices/{notice.pk}/" in page
    assert "1 notice not read yet." in page

    opened_page = client.get(f"/en/tenders/{world.tender.pk}/awards/notices/{notice.pk}/")

    assert opened_page.status_code == 200
    assert "File a complaint" in opened_page.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert AuditEvent.objects.filter(action="award.notice_read", actor=loser).count() == 1
    client.get(f"/en/tenders/{world.tender.pk}/awards/notices/{notice.pk}/")
    assert AuditEvent.objects.filter(action="award.notice_read").count() == 1
    # Another bidder's notice is not found.
    other = AwardNotice.objects.get(award=award, organization__legal_name=WINNER)
    assert client.get(f"/en/tenders/{world.tender.pk}/awards/notices/{other.pk}/").status_code == (
        404
    )


def test_the_notices_reach_a_real_smtp_server(
    world: OpeningWorld, smtp_server: Inbox, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """Through the task queue's own path: enqueued on commit, run by the worker's code."""
    _languages(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        award = decided(world)
    # Three notices, the end of the standstill, and the home page's cache dropped after each of
    # the two publications (the completed evaluation, the award).
    assert len(callbacks) == 6

    for notice in AwardNotice.objects.filter(award=award).order_by("pk"):
        tasks.send_award_notice.call(notice.pk)

    assert sorted(r[0] for r in smtp_server.recipients) == sorted(
        [
            _user(world, WINNER).email,
            _user(world, LOSER).email,
            "socia@coop.example",
            _user(world, OTHER_LOSER).email,
        ]
    )
    subjects = {str(message["Subject"]) for message in smtp_server.messages}
    assert "[Pregón] El lote 1 se le adjudicó" in subjects
    assert "[Pregón] Décision sur le lot 1\u00a0: votre offre n'est pas retenue" in subjects
    assert all(str(m["From"]) == settings.DEFAULT_FROM_EMAIL for m in smtp_server.messages)
    assert all(m["Content-Language"] for m in smtp_server.messages)
