"""The tenders that follow plan lines, as the plans' pages and API show them.

Registered with `pregon.planning.followers` from `apps.py`: planning sits below tenders (ADR
0019) and learns of the tender that follows a line only through this lookup.
"""

from __future__ import annotations

from collections.abc import Sequence

from pregon.planning.followers import Follower
from pregon.planning.models import PlanLine
from pregon.tenders.models import Tender


def tender_followers(lines: Sequence[PlanLine]) -> dict[int, Follower]:
    """The tenders drafted from `lines`, by line id; a draft has no public page (`url` "")."""
    tenders = Tender.objects.filter(plan_line_id__in=[line.pk for line in lines])
    return {
        tender.plan_line_id: Follower(
            kind="tender",
            reference=tender.reference,
            title=tender.title,
            url=tender.get_absolute_url() if tender.is_public else "",
        )
        for tender in tenders
        if tender.plan_line_id is not None
    }
