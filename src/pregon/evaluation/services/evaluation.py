"""The evaluation of a lot by the tender's committee, after the opening.

A member of the opening committee (signed in as themselves) starts a lot's evaluation
(`evaluation_start`): each bid the opening decrypted that offers a price for the lot gets an
assessment, and on a reserved lot the platform disqualifies at once the offers of bidders the
reservation does not admit (`services.eligibility`). The committee qualifies or disqualifies
each bid (`assessment_qualify`, `assessment_disqualify`, always with the reason in words),
scores the quality criteria (`assessment_score`, 0 to each weight), and the platform
recomputes, after every change, the price points, totals, ranks and abnormally low flags of
the lot (`ranking`).

A flagged qualified bid cannot be accepted as it is, nor rejected for its price, before the
bidder is asked to justify it: the committee requests a justification
(`justification_request`), the supplier answers in its workspace (`justification_answer`) and
the committee accepts it (the bid stays qualified) or rejects it (the bid is disqualified with
the committee's reason) (`justification_decide`). While a justification is awaited the lot's
evaluation waits too.

`evaluation_complete` fixes the ranking: every bid checked, every qualified bid scored, every
flagged price decided; the ranking passes through the `adjustments` hook, is stored with the
adjustments and is published (`tenderUpdate`: the bids' statuses, points and reasons, and the
report as a document). Every function runs in one transaction on the locked rows, with its
audit row; a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.bids.choices import OpenedBidOutcome
from pregon.bids.models import OpenedBid
from pregon.bids.selectors_opening import opening_of
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.transitions import can_transition, transition
from pregon.evaluation.choices import (
    JUSTIFICATION_TRANSITIONS,
    JUSTIFICATIONS_OPEN,
    TEXT_MAX_LENGTH,
    TRANSITIONS,
    Compliance,
    Justification,
)
from pregon.evaluation.models import BidAssessment, Evaluation, QualityScore
from pregon.evaluation.preferences import cover_invitation
from pregon.evaluation.ranking import Candidate, abnormally_low, rank
from pregon.evaluation.selectors import evaluation_bidder_check, evaluation_member_get
from pregon.evaluation.services.completion import (
    computed_ranking,
    lot_context,
    qualified_ranked,
    ranking_fix,
)
from pregon.evaluation.services.cover import cover_answered_for, cover_offer
from pregon.evaluation.services.eligibility import ineligible_offers_refuse
from pregon.tenders.choices import AwardCriteria, CriterionKind
from pregon.tenders.models import AwardCriterion, Lot, Tender


def _text(value: str, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(missing, field=field)
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationFailed(
            _("Write at most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}, field=field
        )
    return text


def _lock(evaluation: Evaluation) -> tuple[Evaluation, list[BidAssessment]]:
    """The evaluation's row and its assessments' rows, locked (in that order, always)."""
    locked = (
        Evaluation.objects.select_for_update().select_related("tender", "lot").get(pk=evaluation.pk)
    )
    assessments = list(
        BidAssessment.objects.select_for_update()
        .filter(evaluation=locked)
        .order_by("received_at", "bid_id")
    )
    return locked, assessments


def _locked_assessment(
    assessment: BidAssessment,
) -> tuple[Evaluation, list[BidAssessment], BidAssessment]:
    locked, assessments = _lock(assessment.evaluation)
    mine = next(a for a in assessments if a.pk == assessment.pk)
    return locked, assessments, mine


def _quality_criteria(tender: Tender) -> list[AwardCriterion]:
    if tender.award_criteria != AwardCriteria.RATED_CRITERIA:
        return []
    return list(
        AwardCriterion.objects.filter(tender=tender, kind=CriterionKind.QUALITY).order_by(
            "position"
        )
    )


def _price_weight(tender: Tender) -> int:
    criterion = AwardCriterion.objects.filter(tender=tender, kind=CriterionKind.PRICE).first()
    return criterion.weight if criterion is not None else 0


def _quality_sums(assessments: list[BidAssessment]) -> dict[int, Decimal]:
    sums: dict[int, Decimal] = {a.pk: Decimal(0) for a in assessments}
    for assessment_id, points in QualityScore.objects.filter(
        assessment__in=assessments
    ).values_list("assessment_id", "points"):
        sums[assessment_id] += points
    return sums


def _refresh(evaluation: Evaluation, assessments: list[BidAssessment]) -> None:
    """Recompute every assessment's flag, points and rank after a change (the caller holds
    the locks), and save those that changed."""
    tender: Tender = evaluation.tender
    compliant = {str(a.pk): a.price for a in assessments if a.compliance != Compliance.DISQUALIFIED}
    flagged = abnormally_low(
        compliant,
        percent=evaluation.abnormally_low_percent,
        estimate=evaluation.lot.estimated_value,
    )
    qualified = [a for a in assessments if a.compliance == Compliance.QUALIFIED]
    quality = _quality_sums(qualified)
    places = {
        r.key: r
        for r in rank(
            [
                Candidate(
                    key=str(a.pk), price=a.price, received_at=a.received_at, quality=quality[a.pk]
                )
                for a in qualified
            ],
            award_criteria=tender.award_criteria,
            price_scoring=tender.price_scoring,
            price_weight=_price_weight(tender),
        )
    }
    for assessment in assessments:
        place = places.get(str(assessment.pk))
        new = (
            str(assessment.pk) in flagged or assessment.justification != Justification.NONE,
            place.price_points if place else None,
            place.total if place else None,
            place.rank if place else None,
        )
        old = (
            assessment.abnormally_low,
            assessment.price_points,
            assessment.total_points,
            assessment.rank,
        )
        if new != old:
            (
                assessment.abnormally_low,
                assessment.price_points,
                assessment.total_points,
                assessment.rank,
            ) = new
            assessment.save(
                update_fields=["abnormally_low", "price_points", "total_points", "rank"]
            )


def _check_eligible(assessment: BidAssessment) -> None:
    if assessment.ineligible:
        raise InvalidTransition(
            _(
                "The platform refused this offer under the country's rules: the lot is "
                "reserved for others. It stays disqualified."
            ),
            code="ineligible",
        )


def _check_not_pending_justification(assessment: BidAssessment) -> None:
    if assessment.justification in JUSTIFICATIONS_OPEN:
        raise InvalidTransition(
            _(
                "The bidder was asked to justify this price: decide on the justification "
                "(accept or reject it) instead."
            ),
            code="justification_pending",
        )
    if assessment.justification == Justification.REJECTED:
        raise InvalidTransition(
            _("The justification of this price was rejected; the bid stays disqualified."),
            code="justification_rejected",
        )


# ---------------------------------------------------------------------------------------------
# starting


def evaluation_start(*, actor: Actor, tender: Tender, lot: Lot) -> Evaluation:
    """Start the evaluation of `lot` once the tender's bids are opened: one assessment per
    opened bid offering a price for it, every one pending but the offers a reserved lot does not
    admit, disqualified with the rule's reason. Refused for a lot of another tender, before the
    opening, and for a lot already being evaluated."""
    evaluation_member_get(actor=actor, tender=tender)
    if lot.tender_id != tender.pk:
        raise ValidationFailed(_("This lot is not part of this tender."), field="lot")
    with transaction.atomic():
        locked = Tender.objects.select_for_update().get(pk=tender.pk)
        opening = opening_of(tender=locked)
        if opening is None:
            raise InvalidTransition(
                _("The bids of this tender are not opened yet; there is nothing to evaluate."),
                code="not_opened",
            )
        if Evaluation.objects.filter(lot=lot).exists():
            raise InvalidTransition(
                _("The evaluation of lot %(lot)s has already started.") % {"lot": lot.number},
                code="already_started",
            )
        evaluation = Evaluation.objects.create(
            tender=locked,
            lot=lot,
            abnormally_low_percent=Decimal(str(settings.PREGON_ABNORMALLY_LOW_PERCENT)),
            started_by=actor.user,
        )
        rows = []
        for opened in (
            OpenedBid.objects.filter(bid__tender=locked, outcome=OpenedBidOutcome.OPENED)
            .select_related("bid")
            .order_by("bid__received_at", "bid_id")
        ):
            for offer in opened.lots:
                if str(offer.get("lot")) != str(lot.number):
                    continue
                try:
                    price = Decimal(str(offer["amount"]))
                except (InvalidOperation, KeyError):
                    continue
                rows.append(
                    BidAssessment(
                        evaluation=evaluation,
                        bid=opened.bid,
                        supplier_id=opened.bid.supplier_id,
                        price=price,
                        currency=str(offer.get("currency", locked.currency)),
                        received_at=opened.bid.received_at,
                    )
                )
        BidAssessment.objects.bulk_create(rows)
        assessments = list(
            evaluation.assessments.select_related("supplier").order_by("received_at", "bid_id")
        )
        # An offer on a lot reserved for others is refused by the rules before anyone assesses
        # it (`services.eligibility`), so it weighs in no other bid's abnormally low flag.
        ineligible_offers_refuse(actor=actor, evaluation=evaluation, assessments=assessments)
        _refresh(evaluation, assessments)
        audit_record(
            actor=actor,
            action="evaluation.start",
            target=evaluation,
            summary={"lot": lot.number, "bids": len(rows)},
        )
    return evaluation


# ---------------------------------------------------------------------------------------------
# assessing


def assessment_qualify(*, actor: Actor, assessment: BidAssessment) -> BidAssessment:
    """The bid meets the tender's requirements for the lot."""
    evaluation_member_get(actor=actor, tender=assessment.evaluation.tender)
    with transaction.atomic():
        locked, assessments, mine = _locked_assessment(assessment)
        transition(locked, "assess", TRANSITIONS)
        _check_eligible(mine)
        _check_not_pending_justification(mine)
        mine.compliance, mine.reason = Compliance.QUALIFIED, ""
        mine.save(update_fields=["compliance", "reason"])
        _refresh(locked, assessments)
        audit_record(
            actor=actor,
            action="evaluation.assess",
            target=mine,
            summary={"lot": locked.lot.number, "bid": mine.bid_id, "compliance": mine.compliance},
        )
    return mine


def assessment_disqualify(*, actor: Actor, assessment: BidAssessment, reason: str) -> BidAssessment:
    """The bid does not meet the tender's requirements for the lot: `reason` says why, in
    words (it is published with the report)."""
    evaluation_member_get(actor=actor, tender=assessment.evaluation.tender)
    text = _text(reason, "reason", _("Say why the bid is disqualified."))
    with transaction.atomic():
        locked, assessments, mine = _locked_assessment(assessment)
        transition(locked, "assess", TRANSITIONS)
        _check_eligible(mine)
        _check_not_pending_justification(mine)
        mine.compliance, mine.reason = Compliance.DISQUALIFIED, text
        # A qualified bid had points and a rank; a disqualified one has none.
        mine.price_points = mine.total_points = mine.rank = None
        mine.save(update_fields=["compliance", "reason", "price_points", "total_points", "rank"])
        _refresh(locked, assessments)
        audit_record(
            actor=actor,
            action="evaluation.assess",
            target=mine,
            summary={
                "lot": locked.lot.number,
                "bid": mine.bid_id,
                "compliance": mine.compliance,
                "reason": text,
            },
        )
    return mine


def assessment_score(
    *, actor: Actor, assessment: BidAssessment, points: Mapping[int, Decimal]
) -> BidAssessment:
    """Give the bid `points` (by criterion id) on the tender's quality criteria, each from 0 to
    its weight, two decimals at most. Only for weighted criteria; a disqualified bid is not
    scored."""
    tender = assessment.evaluation.tender
    evaluation_member_get(actor=actor, tender=tender)
    criteria = {c.pk: c for c in _quality_criteria(tender)}
    if not criteria:
        raise ValidationFailed(
            _("This tender is awarded at the lowest price; it has no quality criteria to score."),
            field="scores",
        )
    clean: dict[int, Decimal] = {}
    for criterion_id, value in points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationFailed(
                _("There is no quality criterion %(id)s in this tender.") % {"id": criterion_id},
                field="scores",
            )
        if (
            not isinstance(value, Decimal)
            or not value.is_finite()
            or value != value.quantize(Decimal("0.01"))
        ):
            raise ValidationFailed(
                _("%(criterion)s: give a number with at most two decimals.")
                % {"criterion": criterion.name},
                field="scores",
            )
        if not Decimal(0) <= value <= criterion.weight:
            raise ValidationFailed(
                _("%(criterion)s: give from 0 to %(weight)s points.")
                % {"criterion": criterion.name, "weight": criterion.weight},
                field="scores",
            )
        clean[criterion_id] = value
    with transaction.atomic():
        locked, assessments, mine = _locked_assessment(assessment)
        transition(locked, "assess", TRANSITIONS)
        if mine.compliance == Compliance.DISQUALIFIED:
            raise InvalidTransition(
                _("This bid is disqualified; it is not scored."), code="disqualified"
            )
        for criterion_id, value in clean.items():
            QualityScore.objects.update_or_create(
                assessment=mine,
                criterion_id=criterion_id,
                defaults={"points": value, "weight": criteria[criterion_id].weight},
            )
        _refresh(locked, assessments)
        audit_record(
            actor=actor,
            action="evaluation.score",
            target=mine,
            summary={
                "lot": locked.lot.number,
                "bid": mine.bid_id,
                "scores": {criteria[key].name: value for key, value in clean.items()},
            },
        )
    return mine


# ---------------------------------------------------------------------------------------------
# abnormally low prices


def justification_request(
    *, actor: Actor, assessment: BidAssessment, request: str
) -> BidAssessment:
    """Ask the bidder to justify an abnormally low price (`request`: what the committee wants
    explained). The lot's evaluation waits for the answer and the committee's decision."""
    evaluation_member_get(actor=actor, tender=assessment.evaluation.tender)
    text = _text(request, "request", _("Write what the bidder must justify."))
    with transaction.atomic():
        locked, assessments, mine = _locked_assessment(assessment)
        if not mine.abnormally_low:
            raise InvalidTransition(
                _("This price is not abnormally low; there is nothing to justify."),
                code="not_abnormally_low",
            )
        if mine.compliance == Compliance.DISQUALIFIED:
            raise InvalidTransition(
                _("This bid is disqualified; its price needs no justification."),
                code="disqualified",
            )
        transition(locked, "request_justification", TRANSITIONS)
        transition(mine, "request", JUSTIFICATION_TRANSITIONS, field="justification")
        mine.justification_request, mine.requested_at = text, clock.now()
        mine.save(update_fields=["justification", "justification_request", "requested_at"])
        locked.save(update_fields=["status"])
        _refresh(locked, assessments)
        audit_record(
            actor=actor,
            action="evaluation.request_justification",
            target=mine,
            summary={"lot": locked.lot.number, "bid": mine.bid_id, "justification": text},
        )
    return mine


def justification_answer(*, actor: Actor, assessment: BidAssessment, answer: str) -> BidAssessment:
    """The bidder's justification of its price (a person of the supplier, or its API key)."""
    evaluation_bidder_check(actor=actor, assessment=assessment)
    text = _text(answer, "answer", _("Write your justification."))
    with transaction.atomic():
        locked, _assessments, mine = _locked_assessment(assessment)
        transition(locked, "answer", TRANSITIONS)
        transition(mine, "answer", JUSTIFICATION_TRANSITIONS, field="justification")
        mine.justification_answer, mine.answered_at = text, clock.now()
        mine.save(update_fields=["justification", "justification_answer", "answered_at"])
        audit_record(
            actor=actor,
            action="evaluation.answer_justification",
            target=mine,
            summary={"lot": locked.lot.number, "bid": mine.bid_id, "justification": text},
        )
    return mine


def justification_decide(
    *, actor: Actor, assessment: BidAssessment, accept: bool, decision: str
) -> BidAssessment:
    """Accept the bidder's justification (the bid stays in, qualified) or reject it (the bid is
    disqualified, `decision` being the reason); a justification never answered may only be
    rejected. When no justification is left to decide, the lot's evaluation resumes."""
    evaluation_member_get(actor=actor, tender=assessment.evaluation.tender)
    text = _text(decision, "decision", _("Give the reasons for the decision."))
    with transaction.atomic():
        locked, assessments, mine = _locked_assessment(assessment)
        transition(locked, "decide", TRANSITIONS)
        transition(
            mine, "accept" if accept else "reject", JUSTIFICATION_TRANSITIONS, field="justification"
        )
        mine.justification_decision, mine.decided_at = text, clock.now()
        if accept:
            mine.compliance, mine.reason = Compliance.QUALIFIED, ""
        else:
            mine.compliance = Compliance.DISQUALIFIED
            mine.reason = _("Abnormally low price, justification rejected: %(reason)s") % {
                "reason": text
            }
            mine.price_points = mine.total_points = mine.rank = None
        mine.save(
            update_fields=[
                "justification",
                "justification_decision",
                "decided_at",
                "compliance",
                "reason",
                "price_points",
                "total_points",
                "rank",
            ]
        )
        if not any(a.justification in JUSTIFICATIONS_OPEN for a in assessments if a is not mine):
            transition(locked, "resume", TRANSITIONS)
            locked.save(update_fields=["status"])
        _refresh(locked, assessments)
        audit_record(
            actor=actor,
            action="evaluation.decide_justification",
            target=mine,
            summary={
                "lot": locked.lot.number,
                "bid": mine.bid_id,
                "justification": mine.justification,
                "reason": text,
            },
        )
    return mine


# ---------------------------------------------------------------------------------------------
# completing


def _completion_problems(
    tender: Tender, assessments: list[BidAssessment], quality: list[AwardCriterion]
) -> list[str]:
    problems = []
    pending = sum(a.compliance == Compliance.PENDING for a in assessments)
    if pending:
        problems.append(
            ngettext(
                "%(count)s bid is not checked yet: qualify or disqualify it.",
                "%(count)s bids are not checked yet: qualify or disqualify them.",
                pending,
            )
            % {"count": pending}
        )
    undecided = sum(
        a.compliance == Compliance.QUALIFIED
        and a.abnormally_low
        and a.justification != Justification.ACCEPTED
        for a in assessments
    )
    if undecided:
        problems.append(
            ngettext(
                "%(count)s qualified bid has an abnormally low price: ask the bidder to justify "
                "it, then accept or reject the justification.",
                "%(count)s qualified bids have abnormally low prices: ask the bidders to justify "
                "them, then accept or reject the justifications.",
                undecided,
            )
            % {"count": undecided}
        )
    if quality:
        scored: dict[int, int] = {}
        for assessment_id in QualityScore.objects.filter(
            assessment__in=assessments, criterion__in=quality
        ).values_list("assessment_id", flat=True):
            scored[assessment_id] = scored.get(assessment_id, 0) + 1
        unscored = sum(
            a.compliance == Compliance.QUALIFIED and scored.get(a.pk, 0) < len(quality)
            for a in assessments
        )
        if unscored:
            problems.append(
                ngettext(
                    "%(count)s qualified bid is not scored on every quality criterion.",
                    "%(count)s qualified bids are not scored on every quality criterion.",
                    unscored,
                )
                % {"count": unscored}
            )
    return problems


def evaluation_complete(*, actor: Actor, evaluation: Evaluation) -> Evaluation:
    """Fix the lot's ranking and publish the evaluation report (see the module).

    Refused, naming what is missing, while a bid is unchecked, a qualified bid unscored or an
    abnormally low price undecided; refused while a justification is awaited. When the
    tender's rule pack offers a bidder the right to cover the best offer, the lot is not
    completed yet: the bidder is invited (`services.cover.cover_offer`), and its answer, or the
    deadline, completes it."""
    evaluation_member_get(actor=actor, tender=evaluation.tender)
    with transaction.atomic():
        locked, assessments = _lock(evaluation)
        tender: Tender = locked.tender
        # Check the from-state now (the refusal names it); the move itself is made below, to
        # `completed` or to `cover_offered`.
        if not can_transition(locked, "complete", TRANSITIONS):
            transition(locked, "complete", TRANSITIONS)
        _refresh(locked, assessments)
        problems = _completion_problems(tender, assessments, _quality_criteria(tender))
        if problems:
            raise ValidationFailed(" ".join(problems), code="evaluation_incomplete")
        qualified = qualified_ranked(assessments)
        context = lot_context(locked)
        invitation = cover_invitation(context, computed_ranking(qualified))
        answered = cover_answered_for(locked, invitation)
        if invitation is not None and answered is None:
            # The rule pack invites a bidder to cover the best offer: the lot waits for it.
            cover_offer(
                actor=actor, evaluation=locked, assessments=qualified, invitation=invitation
            )
            return locked
        ranking_fix(
            actor=actor,
            evaluation=locked,
            assessments=assessments,
            move="complete",
            cover=answered,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# reopening


def evaluation_reopen(*, actor: Actor, evaluation: Evaluation, reason: str) -> Evaluation:
    """Send a completed lot back to the committee, `in_progress`: its ranking and adjustments
    are cleared (they are fixed again when it is completed again), its assessments stay as
    they were for the committee to change.

    Only a complaint upheld reopens a lot: `services.award.complaint_decide` calls this inside
    its transaction, once it has checked who decides and locked the tender and the award; it
    publishes the release that tells why.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("evaluation_reopen runs inside the decision's transaction")
    locked, _assessments = _lock(evaluation)
    transition(locked, "reopen", TRANSITIONS)
    locked.ranking, locked.adjustments, locked.completed_at = None, [], None
    locked.save(update_fields=["status", "ranking", "adjustments", "completed_at"])
    audit_record(
        actor=actor,
        action="evaluation.reopen",
        target=locked,
        summary={"lot": locked.lot.number, "reason": reason},
    )
    return locked
