"""The "follow this tender" button on the tender's page: `{% tender_follow tender %}`.

The tender page is the tenders app's, below the alerts app; this tag, in the pages' layer above
both, renders the alerts' button into it (as `bid_opening` does the bids' section).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.models import Membership, User
from pregon.alerts.selectors import is_following
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender

register = template.Library()


@register.inclusion_tag("alerts/partials/follow.html", takes_context=True)
def tender_follow(context: template.Context, tender: Tender) -> dict[str, Any]:
    """The button for a signed-in supplier (follow, or stop following), a sign-in link for a
    visitor, nothing for others or once the tender no longer takes bids."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = isinstance(user, User) and user.is_authenticated
    following = signed_in and is_following(user, tender)  # type: ignore[arg-type]
    open_for_bids = tender.status == TenderStatus.ACTIVE
    supplier = (
        signed_in
        and open_for_bids
        and Membership.objects.filter(user=user, role__in=SUPPLIER_ROLES).exists()
    )
    return {
        "tender": tender,
        "following": following,
        "can_follow": supplier and not following,
        "show_sign_in": not signed_in and open_for_bids,
        "days": settings.PREGON_ALERTS_REMINDER_DAYS,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
