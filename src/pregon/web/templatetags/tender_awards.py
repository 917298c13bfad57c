"""The award decisions on the tender's page: `{% tender_awards tender %}`.

The tender page is the tenders app's, which sits below the evaluation app and so cannot read
its awards; this tag, in the pages' layer above both, renders the awards' section into it: every
decision on a lot (cancelled ones included) with its complaints and their resolutions, and the
link to the evaluation report. Nothing before the bids are opened.
"""

from __future__ import annotations

from typing import Any

from django import template

from pregon.evaluation.selectors import awards_of_tender, evaluation_reports
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender

register = template.Library()


@register.inclusion_tag("evaluation/tender_section.html")
def tender_awards(tender: Tender) -> dict[str, Any]:
    """The awards section of `tender`'s page (see the module's docstring)."""
    # Only a closed tender has been opened, evaluated or awarded: the others cost no query.
    if tender.status != TenderStatus.CLOSED:
        return {"tender": tender, "awards": [], "reported": False}
    return {
        "tender": tender,
        "awards": awards_of_tender(tender=tender),
        "reported": bool(evaluation_reports(tender=tender)),
    }
