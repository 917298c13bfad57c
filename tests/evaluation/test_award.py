"""The award decision, its standstill and the complaints about it, through their services:
every move allowed and refused (nothing changed on refusal), the notices to every bidder, the
audit rows, and what is published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django_tasks_db.models import DBTaskResult

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.evaluation import services
from pregon.evaluation.choices import (
    AwardNoticeKind,
    AwardStatus,
    ComplaintStatus,
    EvaluationStatus,
)
from pregon.evaluation.models import Award, AwardNotice, Complaint, ComplaintDocument, Evaluation
from pregon.organizations.models import ApiKey, Organization
from pregon.publication.models import Release
from pregon.tenders.services import tender_cancel
from tests import factories
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.evaluation.award_world import buyer_official_actor, decided, evaluated
from tests.evaluation.world import opened
from tests.organizations.conftest import compiled, fresh_catalogs

__all__ = ["compiled", "fresh_catalogs"]

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opened(opening_world(buyer))


def _supplier(world: OpeningWorld, name: str) -> Organization:
    return next(o.supplier for o in world.offers if o.supplier.legal_name == name)


def _actor(world: OpeningWorld, name: str) -> Actor:
    return next(o.actor for o in world.offers if o.supplier.legal_name == name)


# Lot 1: Pequeña Empresa SpA 118 000 (first), Cooperativa Andina 120 500.50, Ana Pérez 125 000.
# Lot 2: Gran Empresa SA 79 000.25 (first), Cooperativa Andina 80 000.
WINNER, LOSER, OTHER_LOSER, LOT_2_ONLY = (
    "Pequeña Empresa SpA",
    "Cooperativa Andina",
    "Ana Pérez",
    "Gran Empresa SA",
)


def _releases(world: OpeningWorld) -> list[dict[str, Any]]:
    return [
        orjson.loads(r.data) for r in Release.objects.filter(ocid=world.tender.ocid).order_by("seq")
    ]


def _latest(world: OpeningWorld) -> dict[str, Any]:
    return _releases(world)[-1]


def _snapshot(world: OpeningWorld) -> tuple[Any, ...]:
    """Everything an award service may change: refused moves leave all of it as it was."""
    return (
        sorted(
            Award.objects.filter(tender=world.tender).values_list(
                "pk", "status", "activated_at", "cancelled_at"
            )
        ),
        sorted(Complaint.objects.values_list("pk", "status", "resolution")),
        AwardNotice.objects.count(),
        ComplaintDocument.objects.count(),
        sorted(Evaluation.objects.filter(tender=world.tender).values_list("pk", "status")),
        Release.objects.filter(ocid=world.tender.ocid).count(),
        AuditEvent.objects.count(),
    )


def _file(world: OpeningWorld, award: Award, name: str = LOSER, **kwargs: Any) -> Complaint:
    return services.complaint_file(
        actor=_actor(world, name),
        award=award,
        complainant=_supplier(world, name),
        grounds=kwargs.pop("grounds", "The winner's guarantee was not valid."),
        **kwargs,
    )


def _decider(world: OpeningWorld) -> Actor:
    return buyer_official_actor(world)


# ---------------------------------------------------------------------------------------------
# deciding


@pytest.mark.usefixtures("fresh_catalogs")
def test_a_buyer_official_awards_the_bid_ranked_first(
    world: OpeningWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PREGON_STANDSTILL_DAYS = 7
    evaluation = evaluated(world)
    official = buyer_official_actor(world)

    with django_capture_on_commit_callbacks() as callbacks:
        award = services.award_decide(
            actor=official, evaluation=evaluation, reason="Best value for money."
        )

    assert award.status == AwardStatus.STANDSTILL
    winner = _supplier(world, WINNER)
    assert award.supplier == winner
    assert (award.value_amount, award.currency) == (Decimal("118000.00"), world.tender.currency)
    assert award.bid == world.bid_of(_supplier(world, WINNER))
    assert award.reason == "Best value for money."
    assert award.decided_by == official.user
    assert award.standstill_ends_at == award.decided_at + dt.timedelta(days=7)
    # One notice per bidder of the lot (not Gran Empresa, which bid on lot 2 only).
    assert sorted(
        (n.organization.legal_name, n.kind) for n in AwardNotice.objects.filter(award=award)
    ) == [
        (OTHER_LOSER, AwardNoticeKind.NOT_AWARDED),
        (LOSER, AwardNoticeKind.NOT_AWARDED),
        (WINNER, AwardNoticeKind.AWARDED),
    ]
    # Three e-mails, the end of the standstill and the drop of the home page's cached
    # opportunities are enqueued once committed.
    assert len(callbacks) == 5
    row = AuditEvent.objects.get(action="award.decide")
    assert (row.actor, row.organization, row.object_id) == (
        official.user,
        world.tender.buyer,
        str(award.pk),
    )
    assert row.summary["value"] == f"118000.00 {world.tender.currency}"
    release = _latest(world)
    assert release["tag"] == ["award"]
    assert release["awards"] == [
        {
            "id": f"award-{award.pk}",
            "title": "Adjudicación del lote 1",  # in the tender's language
            "description": "Best value for money.",
            "status": "pending",
            "date": release["awards"][0]["date"],
            "relatedLots": ["1"],
            "value": {"amount": 118000, "currency": world.tender.currency},
            "suppliers": [{"id": winner.party_id, "name": winner.display_name}],
            "relatedBids": [f"{award.bid_id}-1"],
            "standstillPeriod": {
                "startDate": release["awards"][0]["date"],
                "endDate": release["awards"][0]["standstillPeriod"]["endDate"],
            },
            "documents": release["awards"][0]["documents"],
        }
    ]
    assert [d["documentType"] for d in release["awards"][0]["documents"]] == ["awardNotice"]


def test_every_supplier_of_an_award_is_a_party_with_the_supplier_role_and_its_scale(
    world: OpeningWorld,
) -> None:
    decided(world, 1)
    decided(world, 2)

    release = _latest(world)
    parties = {party["id"]: party for party in release["parties"]}
    suppliers = [s for award in release["awards"] for s in award["suppliers"]]
    assert len(suppliers) == 2
    for supplier in suppliers:
        party = parties[supplier["id"]]
        assert "supplier" in party["roles"]
        assert party["details"]["scale"] in {"small", "large"}
    bids = {entry["id"] for entry in release["bids"]["details"]}
    assert all(b in bids for award in release["awards"] for b in award["relatedBids"])


def test_a_lot_without_a_valid_bid_is_declared_unsuccessful(world: OpeningWorld) -> None:
    everyone = [_supplier(world, name) for name in (WINNER, LOSER, OTHER_LOSER)]
    evaluation = evaluated(world, disqualify=everyone)

    award = services.award_decide(
        actor=buyer_official_actor(world),
        evaluation=evaluation,
        reason="No bid met the guarantee requirement.",
    )

    assert award.status == AwardStatus.UNSUCCESSFUL
    assert (award.supplier, award.bid, award.value_amount, award.standstill_ends_at) == (
        None,
        None,
        None,
        None,
    )
    assert set(AwardNotice.objects.filter(award=award).values_list("kind", flat=True)) == {
        AwardNoticeKind.UNSUCCESSFUL
    }
    assert AwardNotice.objects.filter(award=award).count() == 3
    assert AuditEvent.objects.filter(action="award.unsuccessful").count() == 1
    entry = _latest(world)["awards"][0]
    assert entry["status"] == "unsuccessful"
    assert entry["description"] == "No bid met the guarantee requirement."
    assert "suppliers" not in entry and "value" not in entry and "relatedBids" not in entry


def test_a_lot_is_not_decided_before_its_evaluation_is_completed(world: OpeningWorld) -> None:
    evaluation = services.evaluation_start(
        actor=world.member_actor(1), tender=world.tender, lot=world.tender.lots.get(number=1)
    )
    before = _snapshot(world)

    with pytest.raises(InvalidTransition) as refused:
        services.award_decide(
            actor=buyer_official_actor(world), evaluation=evaluation, reason="Too early."
        )

    assert refused.value.code == "evaluation_not_completed"
    assert _snapshot(world) == before


def test_a_decided_lot_is_not_decided_again(world: OpeningWorld) -> None:
    award = decided(world)
    evaluation = Evaluation.objects.get(lot=award.lot)
    before = _snapshot(world)

    with pytest.raises(InvalidTransition) as refused:
        services.award_decide(actor=buyer_official_actor(world), evaluation=evaluation, reason="x")

    assert refused.value.code == "already_decided"
    assert _snapshot(world) == before


def test_a_cancelled_tender_is_not_awarded(world: OpeningWorld) -> None:
    evaluation = evaluated(world)
    tender_cancel(actor=buyer_official_actor(world), tender=world.tender, reason="Not needed.")
    before = _snapshot(world)

    with pytest.raises(InvalidTransition) as refused:
        services.award_decide(actor=buyer_official_actor(world), evaluation=evaluation, reason="x")

    assert refused.value.code == "tender_not_closed"
    assert _snapshot(world) == before


def test_a_decision_needs_its_reasons(world: OpeningWorld) -> None:
    evaluation = evaluated(world)
    before = _snapshot(world)

    for reason in ("", "   ", "x" * 4001):
        with pytest.raises(ValidationFailed):
            services.award_decide(
                actor=buyer_official_actor(world), evaluation=evaluation, reason=reason
            )

    assert _snapshot(world) == before


def _deciders(world: OpeningWorld) -> dict[str, Actor]:
    buyer = world.tender.buyer
    other = factories.BuyerFactory()
    supplier = _supplier(world, WINNER)
    official = factories.member(buyer, "buyer_official")
    key = ApiKey.objects.create(
        organization=buyer,
        name="Integrador",
        prefix=f"b{buyer.pk:0<11}"[:12],
        secret_hash="0" * 64,
        scopes=["tenders:read", "tenders:write", "questions:answer", "bids:submit"],
    )
    return {
        "committee member": world.member_actor(1),
        "auditor of the buyer": factories.actor_for(factories.member(buyer, "auditor"), buyer),
        "official of another buyer": factories.actor_for(
            factories.member(other, "buyer_official"), other
        ),
        "official acting for another organization": factories.actor_for(official, other),
        "supplier": _actor(world, WINNER),
        "supplier user acting for the buyer": factories.actor_for(
            next(o.actor.user for o in world.offers if o.supplier == supplier), buyer
        ),
        "nobody": Actor(user=None),
        "the buyer's API key": Actor(user=None, organization=buyer, api_key=key, channel="api"),
    }


def test_only_a_buyer_official_in_person_decides(world: OpeningWorld) -> None:
    evaluation = evaluated(world)
    before = _snapshot(world)

    for label, actor in _deciders(world).items():
        with pytest.raises(PermissionDenied):
            services.award_decide(actor=actor, evaluation=evaluation, reason="x")
        assert _snapshot(world) == before, label


# ---------------------------------------------------------------------------------------------
# the standstill


def test_the_standstill_ends_once_its_time_has_passed(world: OpeningWorld) -> None:
    award = decided(world)
    assert award.standstill_ends_at is not None

    with clock.at(award.standstill_ends_at - dt.timedelta(seconds=1)):
        before = _snapshot(world)
        assert services.award_standstill_end(award_id=award.pk) is False
        assert services.awards_standstill_end_due() == 0
        assert _snapshot(world) == before
    with clock.at(award.standstill_ends_at):
        assert services.awards_standstill_end_due() == 1
        assert services.award_standstill_end(award_id=award.pk) is False

    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    assert award.activated_at == award.standstill_ends_at
    row = AuditEvent.objects.get(action="award.end_standstill")
    assert (row.actor, row.actor_label) == (None, "system")
    release = _latest(world)
    assert release["tag"] == ["awardUpdate"]
    assert release["awards"][0]["status"] == "active"


def test_an_unsuccessful_or_suspended_award_does_not_become_final_by_time(
    world: OpeningWorld,
) -> None:
    award = decided(world)
    _file(world, award)
    everyone = [_supplier(world, name) for name in (LOSER, LOT_2_ONLY)]
    unsuccessful = services.award_decide(
        actor=buyer_official_actor(world),
        evaluation=evaluated(world, 2, disqualify=everyone),
        reason="No valid bid.",
    )

    with clock.at(award.standstill_ends_at + dt.timedelta(days=1)):  # type: ignore[operator]
        before = _snapshot(world)
        assert services.awards_standstill_end_due() == 0
        assert services.award_standstill_end(award_id=award.pk) is False
        assert services.award_standstill_end(award_id=unsuccessful.pk) is False
        assert _snapshot(world) == before


def test_the_decision_schedules_the_end_of_the_standstill(
    world: OpeningWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        award = decided(world)

    task = DBTaskResult.objects.get(task_path="pregon.evaluation.tasks.end_standstill")
    assert task.args_kwargs["args"] == [award.pk]
    assert task.run_after == award.standstill_ends_at
    assert (
        DBTaskResult.objects.filter(task_path="pregon.evaluation.tasks.send_award_notice").count()
        == 3
    )


# ---------------------------------------------------------------------------------------------
# complaints


def test_a_losing_bidder_complains_during_the_standstill_and_the_award_is_suspended(
    world: OpeningWorld,
) -> None:
    award = decided(world)

    complaint = _file(
        world,
        award,
        documents=[SimpleUploadedFile("guarantee.pdf", PDF, content_type="application/pdf")],
    )

    award.refresh_from_db()
    assert award.status == AwardStatus.SUSPENDED
    assert complaint.status == ComplaintStatus.PENDING
    assert complaint.complainant == _supplier(world, LOSER)
    assert [(d.filename, d.content_type, d.size) for d in complaint.documents.all()] == [
        ("guarantee.pdf", "application/pdf", len(PDF))
    ]
    assert AuditEvent.objects.get(action="complaint.file").summary["documents"] == ["guarantee.pdf"]
    release = _latest(world)
    assert release["tag"] == ["awardUpdate"]
    entry = release["awards"][0]
    assert entry["status"] == "pending"
    assert entry["complaints"] == [
        {
            "id": f"complaint-{complaint.pk}",
            "status": "pending",
            "dateSubmitted": entry["complaints"][0]["dateSubmitted"],
            "complainant": {
                "id": complaint.complainant.party_id,
                "name": complaint.complainant.display_name,
            },
            "grounds": "The winner's guarantee was not valid.",
        }
    ]
    assert [(d["id"], d["documentType"]) for d in entry["documents"]] == [
        (f"award-notice-{award.pk}", "awardNotice"),
        (f"complaint-{complaint.pk}", "complaints"),
        (f"complaint-{complaint.pk}-document-1", "complaints"),
    ]


def test_a_complaint_is_refused_to_anyone_but_a_losing_bidder_of_the_lot(
    world: OpeningWorld,
) -> None:
    award = decided(world)
    stranger = factories.SupplierFactory()
    stranger_actor = factories.actor_for(factories.member(stranger, "supplier_user"), stranger)
    loser = _supplier(world, LOSER)
    before = _snapshot(world)
    attempts: list[tuple[Actor, Organization, type[Exception]]] = [
        # A bidder of the tender that did not bid on this lot.
        (_actor(world, LOT_2_ONLY), _supplier(world, LOT_2_ONLY), PermissionDenied),
        # A supplier that did not bid at all.
        (stranger_actor, stranger, PermissionDenied),
        # Someone acting for another supplier than the complainant named.
        (stranger_actor, loser, PermissionDenied),
        # A buyer official, for a bidder.
        (buyer_official_actor(world), loser, PermissionDenied),
        # The awarded bidder.
        (_actor(world, WINNER), _supplier(world, WINNER), InvalidTransition),
    ]

    for actor, complainant, error in attempts:
        with pytest.raises(error):
            services.complaint_file(
                actor=actor, award=award, complainant=complainant, grounds="Unfair."
            )

    assert _snapshot(world) == before


def test_a_bidder_does_not_complain_about_another_process(
    world: OpeningWorld, other_buyer: Organization
) -> None:
    decided(world)
    other = opened(opening_world(other_buyer))
    other_award = decided(other)
    before = _snapshot(other)

    # Cooperativa Andina of the first world bid on nothing of the second.
    with pytest.raises(PermissionDenied):
        services.complaint_file(
            actor=_actor(world, LOSER),
            award=other_award,
            complainant=_supplier(world, LOSER),
            grounds="Unfair.",
        )

    assert _snapshot(other) == before


def test_no_complaint_after_the_standstill(world: OpeningWorld) -> None:
    award = decided(world)

    with clock.at(award.standstill_ends_at):  # type: ignore[arg-type]
        before = _snapshot(world)
        with pytest.raises(InvalidTransition) as refused:
            _file(world, award)
        assert refused.value.code == "standstill_over"
        assert _snapshot(world) == before
        services.award_standstill_end(award_id=award.pk)
    award.refresh_from_db()
    before = _snapshot(world)

    with pytest.raises(InvalidTransition) as refused:
        _file(world, award)

    assert refused.value.code == "not_in_standstill"
    assert _snapshot(world) == before


def test_no_complaint_about_an_unsuccessful_lot(world: OpeningWorld) -> None:
    everyone = [_supplier(world, name) for name in (WINNER, LOSER, OTHER_LOSER)]
    award = services.award_decide(
        actor=buyer_official_actor(world),
        evaluation=evaluated(world, disqualify=everyone),
        reason="No valid bid.",
    )
    before = _snapshot(world)

    with pytest.raises(InvalidTransition):
        _file(world, award)

    assert _snapshot(world) == before


def test_a_complaint_needs_grounds_and_acceptable_documents(world: OpeningWorld) -> None:
    award = decided(world)
    before = _snapshot(world)
    bad = [
        {"grounds": ""},
        {"grounds": "x" * 10_001},
        {"documents": [SimpleUploadedFile("guarantee.pdf", b"MZ\x90\x00 not a pdf")]},
        {"documents": [SimpleUploadedFile("run.exe", b"MZ\x90\x00")]},
        {"documents": [SimpleUploadedFile("empty.pdf", b"")]},
        {"documents": [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(11)]},
    ]

    for kwargs in bad:
        with pytest.raises(ValidationFailed):
            _file(world, award, **kwargs)

    assert _snapshot(world) == before


def test_a_bidder_has_one_pending_complaint_about_an_award_at_a_time(
    world: OpeningWorld,
) -> None:
    award = decided(world)
    _file(world, award)
    before = _snapshot(world)

    with pytest.raises(InvalidTransition) as refused:
        _file(world, award, grounds="Again.")

    assert refused.value.code == "complaint_pending"
    assert _snapshot(world) == before
    # Another bidder still may.
    _file(world, award, OTHER_LOSER)
    assert Complaint.objects.filter(award=award, status=ComplaintStatus.PENDING).count() == 2


def test_a_dismissed_complaint_lets_the_standstill_resume(world: OpeningWorld) -> None:
    award = decided(world)
    complaint = _file(world, award)
    official = _decider(world)

    services.complaint_decide(
        actor=official, complaint=complaint, upheld=False, resolution="The guarantee was valid."
    )

    complaint.refresh_from_db()
    award.refresh_from_db()
    assert (complaint.status, complaint.resolution, complaint.decided_by) == (
        ComplaintStatus.DISMISSED,
        "The guarantee was valid.",
        official.user,
    )
    assert award.status == AwardStatus.STANDSTILL
    assert AuditEvent.objects.get(action="complaint.decide").summary["status"] == "dismissed"
    entry = _latest(world)["awards"][0]
    assert entry["status"] == "pending"
    assert entry["complaints"][0]["status"] == "dismissed"
    assert entry["complaints"][0]["resolution"] == "The guarantee was valid."
    assert entry["documents"][-1]["id"] == f"complaint-{complaint.pk}-decision"


def test_a_complaint_dismissed_after_the_standstill_makes_the_award_final(
    world: OpeningWorld,
) -> None:
    award = decided(world)
    complaint = _file(world, award)
    later = award.standstill_ends_at + dt.timedelta(days=2)  # type: ignore[operator]

    with clock.at(later):
        services.complaint_decide(
            actor=_decider(world), complaint=complaint, upheld=False, resolution="Unfounded."
        )

    award.refresh_from_db()
    assert (award.status, award.activated_at) == (AwardStatus.ACTIVE, later)
    assert _latest(world)["awards"][0]["status"] == "active"


def test_the_award_stays_suspended_while_another_complaint_is_pending(
    world: OpeningWorld,
) -> None:
    award = decided(world)
    first = _file(world, award)
    _file(world, award, OTHER_LOSER)

    services.complaint_decide(
        actor=_decider(world), complaint=first, upheld=False, resolution="Unfounded."
    )

    award.refresh_from_db()
    assert award.status == AwardStatus.SUSPENDED


def test_an_upheld_complaint_cancels_the_award_and_reopens_the_evaluation(
    world: OpeningWorld,
) -> None:
    award = decided(world)
    upheld = _file(world, award)
    other = _file(world, award, OTHER_LOSER)

    services.complaint_decide(
        actor=_decider(world),
        complaint=upheld,
        upheld=True,
        resolution="The winner's guarantee had expired.",
    )

    award.refresh_from_db()
    other.refresh_from_db()
    evaluation = Evaluation.objects.get(lot=award.lot)
    assert award.status == AwardStatus.CANCELLED and award.cancelled_at is not None
    assert (other.status, other.resolution) == (
        ComplaintStatus.CLOSED,
        "The winner's guarantee had expired.",
    )
    assert (evaluation.status, evaluation.ranking, evaluation.completed_at) == (
        EvaluationStatus.IN_PROGRESS,
        None,
        None,
    )
    assert AuditEvent.objects.filter(action="evaluation.reopen").count() == 1
    assert sorted(
        AwardNotice.objects.filter(award=award, kind=AwardNoticeKind.CANCELLED).values_list(
            "organization__legal_name", flat=True
        )
    ) == sorted([WINNER, LOSER, OTHER_LOSER])
    entry = _latest(world)["awards"][0]
    assert entry["status"] == "cancelled"
    assert [c["status"] for c in entry["complaints"]] == ["upheld", "closed"]

    # The committee disqualifies the winner, completes again, and the buyer decides again.
    member = world.member_actor(1)
    first = evaluation.assessments.get(supplier=_supplier(world, WINNER))
    services.assessment_disqualify(actor=member, assessment=first, reason="Expired guarantee.")
    services.evaluation_complete(actor=member, evaluation=evaluation)
    again = services.award_decide(
        actor=buyer_official_actor(world), evaluation=evaluation, reason="Next in the ranking."
    )

    assert again.supplier == _supplier(world, LOSER)
    assert again.value_amount == Decimal("120500.50")
    awards = _latest(world)["awards"]
    assert [(a["id"], a["status"]) for a in awards] == [
        (f"award-{award.pk}", "cancelled"),
        (f"award-{again.pk}", "pending"),
    ]


def test_a_decided_complaint_is_not_decided_again(world: OpeningWorld) -> None:
    award = decided(world)
    complaint = _file(world, award)
    services.complaint_decide(
        actor=_decider(world), complaint=complaint, upheld=False, resolution="Unfounded."
    )
    before = _snapshot(world)

    for upheld in (True, False):
        with pytest.raises(InvalidTransition) as refused:
            services.complaint_decide(
                actor=_decider(world), complaint=complaint, upheld=upheld, resolution="Again."
            )
        assert refused.value.code == "complaint_decided"

    assert _snapshot(world) == before


def test_a_complaint_decision_needs_its_reasons(world: OpeningWorld) -> None:
    complaint = _file(world, decided(world))
    before = _snapshot(world)

    with pytest.raises(ValidationFailed):
        services.complaint_decide(
            actor=_decider(world), complaint=complaint, upheld=False, resolution="  "
        )

    assert _snapshot(world) == before


def test_only_the_buyers_officials_decide_complaints(world: OpeningWorld) -> None:
    complaint = _file(world, decided(world))
    oversight = factories.OversightFactory()
    actors = _deciders(world)
    actors["the complainant"] = _actor(world, LOSER)
    before = _snapshot(world)

    for label, actor in actors.items():
        with pytest.raises(PermissionDenied):
            services.complaint_decide(actor=actor, complaint=complaint, upheld=True, resolution="x")
        assert _snapshot(world) == before, label
    # An oversight body's auditor, while the buyer decides (the default).
    auditor = factories.actor_for(factories.member(oversight, "auditor"), oversight)
    with pytest.raises(PermissionDenied):
        services.complaint_decide(actor=auditor, complaint=complaint, upheld=True, resolution="x")
    assert _snapshot(world) == before


def test_with_an_oversight_body_its_auditors_decide_complaints(
    world: OpeningWorld, settings: Any
) -> None:
    settings.PREGON_COMPLAINTS_DECIDED_BY = "oversight"
    complaint = _file(world, decided(world))
    body = factories.OversightFactory()
    auditor = factories.actor_for(factories.member(body, "auditor"), body)
    before = _snapshot(world)

    with pytest.raises(PermissionDenied) as refused:
        services.complaint_decide(
            actor=_decider(world), complaint=complaint, upheld=False, resolution="x"
        )
    assert refused.value.code == "oversight_decides"
    assert _snapshot(world) == before

    services.complaint_decide(
        actor=auditor, complaint=complaint, upheld=False, resolution="Unfounded."
    )

    complaint.refresh_from_db()
    assert (complaint.status, complaint.decided_by) == (ComplaintStatus.DISMISSED, auditor.user)
    assert AuditEvent.objects.get(action="complaint.decide").organization == body


# ---------------------------------------------------------------------------------------------
# the database's own checks


def test_the_database_refuses_an_award_that_breaks_an_invariant(world: OpeningWorld) -> None:
    award = decided(world)
    supplier = _supplier(world, WINNER)
    breaks: list[dict[str, Any]] = [
        # A second standing award of the lot.
        {"status": AwardStatus.UNSUCCESSFUL, "reason": "x"},
        # An unsuccessful lot naming a supplier.
        {"status": AwardStatus.UNSUCCESSFUL, "reason": "x", "supplier": supplier},
        # An award without supplier, value or standstill.
        {"status": AwardStatus.CANCELLED, "reason": "x", "cancelled_at": clock.now()},
        # No reason.
        {"status": AwardStatus.CANCELLED, "reason": "", "cancelled_at": clock.now()},
    ]
    for fields in breaks:
        with pytest.raises(IntegrityError), transaction.atomic():
            Award.objects.create(tender=world.tender, lot=award.lot, **fields)
    for fields in (
        {"status": AwardStatus.ACTIVE},  # active without its date
        {"status": AwardStatus.CANCELLED},  # cancelled without its date
        {"standstill_ends_at": award.decided_at - dt.timedelta(days=1)},
        {"value_amount": Decimal(0)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Award.objects.filter(pk=award.pk).update(**fields)


# ---------------------------------------------------------------------------------------------
# the remaining moves, refused


def test_no_complaint_about_a_cancelled_award(world: OpeningWorld, refused: Any) -> None:
    award = decided(world)
    services.complaint_decide(
        actor=_decider(world), complaint=_file(world, award), upheld=True, resolution="Founded."
    )
    award.refresh_from_db()

    refused(
        InvalidTransition,
        "not_in_standstill",
        services.complaint_file,
        actor=_actor(world, OTHER_LOSER),
        award=award,
        complainant=_supplier(world, OTHER_LOSER),
        grounds="Late.",
    )


def test_only_a_completed_evaluation_is_reopened(world: OpeningWorld, refused: Any) -> None:
    evaluation = services.evaluation_start(
        actor=world.member_actor(1), tender=world.tender, lot=world.tender.lots.get(number=1)
    )

    with transaction.atomic():
        refused(
            InvalidTransition,
            "cannot_reopen",
            services.evaluation_reopen,
            actor=_decider(world),
            evaluation=evaluation,
            reason="x",
        )


def test_a_qualified_bid_is_disqualified_until_the_lot_is_completed(
    world: OpeningWorld,
) -> None:
    member = world.member_actor(1)
    evaluation = services.evaluation_start(
        actor=member, tender=world.tender, lot=world.tender.lots.get(number=1)
    )
    first = evaluation.assessments.get(supplier=_supplier(world, WINNER))
    services.assessment_qualify(actor=member, assessment=first)
    first.refresh_from_db()
    assert first.rank == 1

    services.assessment_disqualify(actor=member, assessment=first, reason="No guarantee.")

    first.refresh_from_db()
    assert (first.compliance, first.rank, first.total_points) == ("disqualified", None, None)
