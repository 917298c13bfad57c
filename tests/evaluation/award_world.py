"""Evaluated and decided lots for the award tests, built on the evaluation tests' world."""

from __future__ import annotations

from collections.abc import Iterable

from pregon.core.actor import Actor
from pregon.evaluation import services
from pregon.evaluation.models import Award, Evaluation
from pregon.organizations.models import Organization
from tests import factories
from tests.bids.opening_world import OpeningWorld


def evaluated(
    world: OpeningWorld, number: int = 1, *, disqualify: Iterable[Organization] = ()
) -> Evaluation:
    """Evaluate lot `number` of the world's (opened) tender: every bid qualified but those of
    `disqualify`, then completed."""
    member = world.member_actor(1)
    evaluation = services.evaluation_start(
        actor=member, tender=world.tender, lot=world.tender.lots.get(number=number)
    )
    out = {organization.pk for organization in disqualify}
    for assessment in evaluation.assessments.all():
        if assessment.supplier_id in out:
            services.assessment_disqualify(
                actor=member, assessment=assessment, reason="No guarantee of performance."
            )
        else:
            services.assessment_qualify(actor=member, assessment=assessment)
    return services.evaluation_complete(actor=member, evaluation=evaluation)


def buyer_official_actor(world: OpeningWorld) -> Actor:
    """A (new) buyer official of the world's buyer."""
    buyer = world.tender.buyer
    return factories.actor_for(factories.member(buyer, "buyer_official"), buyer)


def decided(world: OpeningWorld, number: int = 1, **kwargs: object) -> Award:
    """Lot `number` evaluated and decided by a buyer official."""
    evaluation = evaluated(world, number, **kwargs)  # type: ignore[arg-type]
    return services.award_decide(
        actor=buyer_official_actor(world),
        evaluation=evaluation,
        reason="The best-ranked bid in the evaluation report.",
    )
