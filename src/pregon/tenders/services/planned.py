"""A tender drafted from a line of a procurement plan: the line's procurement, now tendered.

The draft is pre-filled from the line and takes the line's ocid, so that its releases continue
the contracting process the plan line started (`planning` → `tender`, ADR 0019); the line is
marked followed in the same transaction (`planning.services.plan_line_follow`), and one line is
followed by one tender. Cancelling the draft before it is published frees the line again
(`lifecycle.tender_cancel`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.procurement import interface_language
from pregon.planning.models import PlanLine
from pregon.planning.services import plan_line_check_followable, plan_line_follow
from pregon.tenders.choices import ReservationObligation
from pregon.tenders.models import Tender
from pregon.tenders.rule_packs import reservation_for
from pregon.tenders.services.common import require_buyer
from pregon.tenders.services.data import ItemData, LotData, TenderData
from pregon.tenders.services.drafting import tender_create

#: How far ahead the drafted tender's bid deadline starts (the official sets the real one).
DRAFT_DEADLINE_DAYS = 30
#: Questions close this long before the deadline; bids are opened this long after it.
DRAFT_QUESTIONS_BEFORE = dt.timedelta(days=5)
DRAFT_OPENING_AFTER = dt.timedelta(hours=1)


def _reserved_wanted(line: PlanLine) -> bool | None:
    """Ask for the lot's reservation when the buyer planned it and its country rule pack lets
    the buyer choose; a pack that reserves the lot, or does not provide for it, decides alone
    (`reservation.lot_reserve`)."""
    if not line.reserved:
        return None
    probe = Tender(
        buyer=line.plan.buyer,
        method=line.method,
        category=line.category,
        estimated_value=line.estimated_value,
        currency=line.currency,
    )
    decision = reservation_for(probe, estimated_value=None)
    return True if decision.obligation == ReservationObligation.MAY else None


def _free_reference(line: PlanLine) -> str:
    """`PLAN-<year>-<line>`, or with `-2`, `-3`… when a draft cancelled earlier holds it."""
    base = f"PLAN-{line.reference}"
    taken = set(
        Tender.objects.filter(buyer=line.plan.buyer, reference__startswith=base).values_list(
            "reference", flat=True
        )
    )
    number, reference = 1, base
    while reference in taken:
        number += 1
        reference = f"{base}-{number}"
    return reference


def tender_draft_from_plan_line(*, actor: Actor, line: PlanLine, reference: str = "") -> Tender:
    """A buyer official drafts the tender that follows a published plan line.

    The draft has the line's description as title and description, its method, category,
    estimated value and currency, the plan's language, and one lot with one item of the
    line's classification (quantity 1); its dates start `DRAFT_DEADLINE_DAYS` ahead. Its
    reference is `reference`, or `PLAN-<year>-<line>` (with `-2`, `-3`… after a cancelled
    draft). It takes the line's ocid and the line is marked followed: a line already followed
    (or withdrawn, or a draft) is refused before anything is drafted.
    """
    line = PlanLine.objects.select_related("plan", "plan__buyer").get(pk=line.pk)
    plan = line.plan
    require_buyer(actor, plan.buyer)
    plan_line_check_followable(line)
    with translation.override(interface_language(plan.language)):
        unit = _("unit")
    deadline = (clock.now() + dt.timedelta(days=DRAFT_DEADLINE_DAYS)).replace(
        second=0, microsecond=0
    )
    data = TenderData(
        reference=reference.strip() or _free_reference(line),
        title=line.description,
        description=line.description,
        language=plan.language,
        method=line.method,
        category=line.category,
        estimated_value=line.estimated_value,
        currency=line.currency,
        enquiry_end=deadline - DRAFT_QUESTIONS_BEFORE,
        submission_deadline=deadline,
        opening_at=deadline + DRAFT_OPENING_AFTER,
        lots=[
            LotData(
                title=line.description,
                reserved=_reserved_wanted(line),
                items=[
                    ItemData(
                        description=line.description,
                        classification_scheme=line.classification_scheme,
                        classification_code=line.classification_code,
                        quantity=Decimal(1),
                        unit=unit,
                    )
                ],
            )
        ],
    )
    with transaction.atomic():
        tender = tender_create(actor=actor, buyer=plan.buyer, data=data)
        followed = plan_line_follow(actor=actor, line=line, follower=tender.reference)
        tender.ocid = followed.ocid
        tender.plan_line = followed
        tender.save(update_fields=["ocid", "plan_line"])
    return tender
