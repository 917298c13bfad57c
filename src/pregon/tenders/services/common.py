"""What every tender service does the same way: lock the row, check who acts, move along the
state table, check that the tender is open, and count the change in the tender's version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_WRITE_ROLES
from pregon.accounts.permissions import require_role
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition
from pregon.core.transitions import transition
from pregon.core.versions import ExpectedVersion
from pregon.organizations.models import Organization
from pregon.tenders.choices import TRANSITIONS, TenderStatus
from pregon.tenders.models import Tender


def tender_lock(tender: Tender) -> Tender:
    """The tender's row, read again under a row lock held until the transaction ends.

    Every check of state, deadline or version reads this copy, never the caller's, which may
    predate another change.
    """
    return Tender.objects.select_for_update().select_related("buyer").get(pk=tender.pk)


def require_buyer(actor: Actor, tender_or_buyer: Tender | Organization) -> None:
    """Refuse anyone but an official of the tender's buyer (or of this buyer)."""
    buyer = tender_or_buyer.buyer if isinstance(tender_or_buyer, Tender) else tender_or_buyer
    require_role(actor, buyer, BUYER_WRITE_ROLES)


def move(locked: Tender, name: str) -> str:
    """Check the locked tender may make the move `name` of `TRANSITIONS` and set its target
    state; returns the state it left."""
    return transition(locked, name, TRANSITIONS)


def tender_require_open(locked: Tender, now: dt.datetime) -> None:
    """Refuse unless the locked tender is open: active, with its bid deadline still ahead.

    The close task runs a moment after the deadline, so the status alone is not enough: until
    it runs, a tender past its deadline is still active, yet no longer open.
    """
    if locked.status != TenderStatus.ACTIVE:
        raise InvalidTransition(
            _("This tender is not open; it is %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="not_open",
        )
    if locked.submission_deadline <= now:
        raise InvalidTransition(
            _(
                "The bid deadline has passed; this tender no longer accepts changes, "
                "questions or bids."
            ),
            code="deadline_passed",
        )


def require_version(locked: Tender, expected: ExpectedVersion | None) -> None:
    """Refuse (412) a change prepared against another version of the tender than the row's."""
    if expected is not None:
        expected.require(
            locked.version,
            message=_(
                "This tender changed since you read it. Read it again (for its new ETag) and "
                "repeat the change if it still applies."
            ),
        )


def save_changed(locked: Tender, *, only: Iterable[str] | None = None) -> None:
    """Save the locked tender as a new version (the API's ETag): every field, or `only` these.

    Changes to its parts (lots, items, documents, questions) save it with `only=()`: the
    tender as the API shows it changed with them.
    """
    locked.version += 1
    locked.save(update_fields=None if only is None else [*only, "version"])
