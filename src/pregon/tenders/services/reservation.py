"""Reserved lots: the country rule pack says whether each lot must, may or need not be reserved
for smaller firms, and who may then bid (`rules.reservation_decide`); the buyer decides a lot
that may be. Called by the drafting services whenever a lot or the tender's value, category or
currency changes, and by publication under the pack the tender keeps. Runs inside the caller's
transaction, under its lock on the tender."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pregon.core.errors import ValidationFailed
from pregon.rules import Pack
from pregon.tenders.choices import ReservationObligation
from pregon.tenders.models import Lot, Tender
from pregon.tenders.rule_packs import (
    basis_text,
    reservation_for,
    rule_ref,
    text,
)

_SCALE_ORDER = ("micro", "small", "medium", "large")


def lot_reserve(
    lot: Lot,
    *,
    tender: Tender,
    pack: Pack,
    wanted: bool | None,
    limit_to_local: bool | None,
) -> None:
    """Set the lot's reservation from what `pack` decides for it (the lot is not saved).

    "must": reserved, and a buyer who asks otherwise (`wanted` False) is refused; "no": not
    reserved, and asking for it is refused; "may": the buyer's `wanted`, or (None) the lot's
    current choice. `limit_to_local` (None: keep) limits a reserved lot to local suppliers
    where the pack lets the buyer do so.
    """
    decision = reservation_for(
        tender,
        estimated_value=lot.estimated_value,
        msme_requests=lot.msme_requests,
        expected_small_offers=lot.expected_small_offers,
        pack=pack,
    )
    if decision.obligation == ReservationObligation.MUST:
        assert decision.rule is not None
        if wanted is False:
            raise ValidationFailed(
                _(
                    "Lot %(number)s must be reserved for smaller firms: %(rule)s (%(basis)s). "
                    "%(why)s"
                )
                % {
                    "number": lot.number,
                    "rule": text(decision.rule.title),
                    "basis": basis_text(decision.rule),
                    "why": text(decision.explanation),
                },
                field="reserved",
                code="reservation_required",
            )
        reserved = True
    elif decision.obligation == ReservationObligation.MAY:
        reserved = lot.reserved if wanted is None else wanted
    else:
        if wanted:
            raise ValidationFailed(
                _("The rules of %(pack)s do not provide for reserving lot %(number)s. %(why)s")
                % {"pack": pack.ref, "number": lot.number, "why": text(decision.explanation)},
                field="reserved",
                code="reservation_not_allowed",
            )
        reserved = False
    local_only = lot.reserved_local_only if limit_to_local is None else limit_to_local
    if local_only and reserved and not decision.may_limit_to_local:
        if limit_to_local:
            raise ValidationFailed(
                _(
                    "The rules of %(pack)s do not let the buyer limit lot %(number)s to local "
                    "suppliers."
                )
                % {"pack": pack.ref, "number": lot.number},
                field="limit_to_local",
                code="local_limit_not_allowed",
            )
        local_only = False
    lot.reservation_obligation = decision.obligation
    lot.reserved = reserved
    eligible = decision.eligible if reserved else None
    if eligible is None or decision.rule is None:
        lot.reserved_scales = []
        lot.reserved_cooperatives = lot.reserved_local = lot.reserved_local_only = False
        lot.reservation_rule = ""
        return
    lot.reserved_scales = [scale for scale in _SCALE_ORDER if scale in eligible.scales]
    lot.reserved_cooperatives = eligible.cooperatives
    lot.reserved_local = eligible.local
    lot.reserved_local_only = eligible.local_only or bool(local_only)
    lot.reservation_rule = rule_ref(decision.pack, decision.rule)


_RESERVATION_FIELDS = (
    "reserved",
    "reservation_obligation",
    "reserved_scales",
    "reserved_cooperatives",
    "reserved_local",
    "reserved_local_only",
    "reservation_rule",
)


def lots_reserve(tender: Tender, *, pack: Pack) -> dict[str, Any]:
    """Decide every lot of the (locked) tender again under `pack`, keeping the buyer's choice
    where the pack leaves one; returns the lots whose reservation changed, by number."""
    changed: dict[str, Any] = {}
    for lot in Lot.objects.select_for_update().filter(tender=tender).order_by("number"):
        before = lot.reserved, lot.reservation_rule
        lot_reserve(lot, tender=tender, pack=pack, wanted=None, limit_to_local=None)
        lot.save(update_fields=list(_RESERVATION_FIELDS))
        if (lot.reserved, lot.reservation_rule) != before:
            changed[str(lot.number)] = [before[0], lot.reserved]
    return changed


def reserved_lots(tender: Tender) -> list[int]:
    """The numbers of the tender's reserved lots."""
    return list(
        Lot.objects.filter(tender=tender, reserved=True)
        .order_by("number")
        .values_list("number", flat=True)
    )
