"""Brazil's right to cover the best offer (LC 123/2006 art. 44), as a step of a lot's
evaluation.

When the committee completes a lot and the tender's rule pack declares a fictitious tie, the
lot is not completed: the best-placed tied bid is invited (`cover_offer`, a `RightToCover` in
`offered`, the lot `cover_offered`), with a deadline (the pack's, else
`PREGON_COVER_HOURS`), and its people are e-mailed after commit. On its page "Your bids in the
evaluation", or through the API (`/api/v1/covers`), the bidder then

- covers the best offer with a lower price (`cover_improve`): a declared improvement, recorded
  in the clear (not sealed) and published; or
- lets it pass (`cover_pass`).

If the deadline passes without an answer, the platform records a lapse
(`services.cover_deadline`). Any of the three completes the lot: `pregon.rules.cover_resolve`
gives the final order (`services.completion.ranking_fix`). Each runs in one transaction on the
locked rows, with its audit row; a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.permissions import require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.transitions import can_transition, transition
from pregon.evaluation import tasks
from pregon.evaluation.choices import COVER_TRANSITIONS, TRANSITIONS, CoverStatus
from pregon.evaluation.models import BidAssessment, Evaluation, RightToCover
from pregon.evaluation.preferences import tender_pack
from pregon.evaluation.selectors import evaluation_bidder_check
from pregon.evaluation.services.completion import ranking_fix
from pregon.organizations.models import Organization
from pregon.rules import CoverInvitation


def cover_deadline(invitation: CoverInvitation, offered_at: dt.datetime) -> dt.datetime:
    """When the right to cover ends: the pack's minutes or days, else `PREGON_COVER_HOURS`."""
    if invitation.minutes is not None:
        return offered_at + dt.timedelta(minutes=invitation.minutes)
    if invitation.days is not None:
        return offered_at + dt.timedelta(days=invitation.days)
    return offered_at + dt.timedelta(hours=settings.PREGON_COVER_HOURS)


def cover_answered_for(
    evaluation: Evaluation, invitation: CoverInvitation | None
) -> RightToCover | None:
    """The answered right to cover of this lot that is the invitation the ranking makes now
    (a lot reopened after a complaint and completed again keeps its bidder's answer)."""
    if invitation is None:
        return None
    return (
        RightToCover.objects.filter(
            evaluation=evaluation,
            assessment__bid_id=invitation.bid,
            best__bid_id=invitation.best_bid,
            best_price=invitation.best_price,
        )
        .exclude(status=CoverStatus.OFFERED)
        .select_related("assessment", "best")
        .order_by("-offered_at", "-pk")
        .first()
    )


def cover_offer(
    *,
    actor: Actor,
    evaluation: Evaluation,
    assessments: list[BidAssessment],
    invitation: CoverInvitation,
) -> RightToCover:
    """Invite `invitation.bid` to cover the best offer (inside `evaluation_complete`'s
    transaction, on the locked evaluation): the lot waits for the answer, the bidder's people
    are e-mailed and the deadline is scheduled after commit."""
    transition(evaluation, "offer_cover", TRANSITIONS)
    evaluation.save(update_fields=["status"])
    by_bid = {str(a.bid_id): a for a in assessments}
    now = clock.now()
    cover = RightToCover.objects.create(
        evaluation=evaluation,
        assessment=by_bid[invitation.bid],
        best=by_bid[invitation.best_bid],
        best_price=invitation.best_price,
        pack=tender_pack(evaluation.tender).ref,
        rule=invitation.rule,
        offered_at=now,
        deadline=cover_deadline(invitation, now),
    )
    audit_record(
        actor=actor,
        action="evaluation.offer_cover",
        target=cover,
        summary={
            "lot": evaluation.lot.number,
            "bid": invitation.bid,
            "best_price": f"{invitation.best_price} {by_bid[invitation.best_bid].currency}",
            "deadline": cover.deadline,
        },
    )
    cover_id, deadline = cover.pk, cover.deadline
    transaction.on_commit(lambda: tasks.send_cover_invitation.enqueue(cover_id))
    transaction.on_commit(lambda: tasks.lapse_cover.using(run_after=deadline).enqueue(cover_id))
    return cover


def _open_cover(
    evaluation: Evaluation, cover: RightToCover | None = None
) -> tuple[Evaluation, RightToCover]:
    """The evaluation and its open right to cover (or the `cover` named, whatever its state),
    locked in that order."""
    locked = (
        Evaluation.objects.select_for_update().select_related("tender", "lot").get(pk=evaluation.pk)
    )
    covers = (
        RightToCover.objects.select_for_update()
        .select_related("assessment__supplier", "best")
        .filter(evaluation=locked)
    )
    if cover is not None:
        found = covers.filter(pk=cover.pk).first()
    else:
        found = covers.filter(status=CoverStatus.OFFERED).first()
    if found is None:
        raise InvalidTransition(
            _("No right to cover the best offer awaits an answer in this lot."),
            code="no_cover_offered",
        )
    return locked, found


def _acts_for(actor: Actor, supplier: Organization) -> bool:
    try:
        require_role(actor, supplier, SUPPLIER_ROLES)
    except PermissionDenied:
        return False
    return True


def _answer(
    *,
    actor: Actor,
    evaluation: Evaluation,
    price: Decimal | None,
    cover: RightToCover | None = None,
) -> RightToCover:
    # Only a bidder of the lot learns whether a right to cover awaits; then only the invited one
    # answers it.
    if not any(
        _acts_for(actor, supplier)
        for supplier in Organization.objects.filter(
            pk__in=evaluation.assessments.values_list("supplier_id", flat=True)
        )
    ):
        raise PermissionDenied(_("Only the invited bidder answers a right to cover."))
    move = "improve" if price is not None else "pass"
    with transaction.atomic():
        locked, cover = _open_cover(evaluation, cover)
        evaluation_bidder_check(actor=actor, assessment=cover.assessment)
        if cover.status != CoverStatus.LAPSED and not can_transition(
            cover, move, COVER_TRANSITIONS
        ):
            transition(cover, move, COVER_TRANSITIONS)  # refused: it says how it was answered
        now = clock.db_now()
        if now > cover.deadline or cover.status == CoverStatus.LAPSED:
            raise InvalidTransition(
                _("The deadline to cover the best offer has passed."),
                code="cover_deadline_passed",
            )
        if price is not None and price >= cover.best_price:
            raise ValidationFailed(
                _("Offer a price below the best offer, %(price)s %(currency)s.")
                % {"price": cover.best_price, "currency": cover.assessment.currency},
                field="price",
            )
        assessments = list(
            BidAssessment.objects.select_for_update()
            .select_related("supplier")
            .filter(evaluation=locked)
            .order_by("received_at", "bid_id")
        )
        transition(cover, move, COVER_TRANSITIONS)
        cover.price, cover.answered_at, cover.answered_by = price, now, actor.user
        cover.save(update_fields=["status", "price", "answered_at", "answered_by"])
        summary: dict[str, object] = {"lot": locked.lot.number, "bid": cover.assessment.bid_id}
        if price is not None:
            summary["price"] = f"{price} {cover.assessment.currency}"
        audit_record(
            actor=actor,
            action="evaluation.cover_improve" if price is not None else "evaluation.cover_pass",
            target=cover,
            summary=summary,
        )
        ranking_fix(
            actor=actor,
            evaluation=locked,
            assessments=assessments,
            move="cover_answered",
            cover=cover,
        )
    return cover


def _price(value: Decimal | str) -> Decimal:
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed(_("Give the price as a number."), field="price") from None
    if not price.is_finite() or price <= 0 or price != price.quantize(Decimal("0.01")):
        raise ValidationFailed(_("Give a positive price with at most two decimals."), field="price")
    return price


def cover_improve(
    *,
    actor: Actor,
    evaluation: Evaluation,
    price: Decimal | str,
    cover: RightToCover | None = None,
) -> RightToCover:
    """The invited bidder covers the best offer with `price` (below it, two decimals at most)
    by the deadline: its bid comes first and the lot's evaluation is completed. `cover` names
    the right answered (the API's); by default the lot's open one."""
    return _answer(actor=actor, evaluation=evaluation, price=_price(price), cover=cover)


def cover_pass(
    *, actor: Actor, evaluation: Evaluation, cover: RightToCover | None = None
) -> RightToCover:
    """The invited bidder lets its right to cover pass: the ranking stands and the lot's
    evaluation is completed. `cover` as for `cover_improve`."""
    return _answer(actor=actor, evaluation=evaluation, price=None, cover=cover)
