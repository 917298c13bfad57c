"""Reserved lots: the country rule pack says whether each lot must, may or need not be reserved
for smaller firms, and who may then bid (`rules.reservation_decide`); the buyer decides a lot
that may be. Called by the drafting services whenever a lot or the tender's value, category or
currency changes, and by publication under the pack the tender keeps. Runs inside the caller's
transaction, under its lock on the tender."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from pregon import rules
from pregon.core.errors import ValidationFailed
from pregon.rules import MissingRate, Money, Pack, QuotaRule
from pregon.tenders.choices import ReservationObligation
from pregon.tenders.models import Lot, Tender
from pregon.tenders.rule_packs import (
    basis_text,
    missing_rate,
    rates_for,
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
    where the pack lets the buyer do so. A quota lot (`quota_of` set) is reserved by the
    pack's quota rule instead (`quota_reserve`).
    """
    if lot.quota_of_id is not None:
        quota_reserve(lot, tender=tender, pack=pack)
        return
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


def quota_rule_for(lot: Lot, *, tender: Tender, pack: Pack) -> QuotaRule | None:
    """The pack's quota of divisible goods that `lot` may be (None: the pack has none, the
    tender is not of its category, or the lot's value is above the benefits' ceiling)."""
    value = tender.estimated_value if lot.estimated_value is None else lot.estimated_value
    try:
        return rules.quota(
            pack,
            category=tender.category,
            divisible=True,
            value=Money(amount=value, currency=tender.currency),
            rates=rates_for(tender.currency),
        )
    except MissingRate as error:
        raise missing_rate(error, pack, field="quota_of") from None


def quota_reserve(lot: Lot, *, tender: Tender, pack: Pack) -> None:
    """Reserve a quota lot for the firms the pack's quota rule names (the lot is not saved);
    refused when the pack provides no quota for it."""
    rule = quota_rule_for(lot, tender=tender, pack=pack)
    if rule is None:
        raise ValidationFailed(
            _(
                "The rules of %(pack)s provide no quota reserved for smaller firms in this "
                "tender: a quota is a share of divisible goods, up to the benefits' ceiling. "
                "Make lot %(number)s an ordinary lot."
            )
            % {"pack": pack.ref, "number": lot.number},
            field="quota_of",
            code="quota_not_allowed",
        )
    lot.reservation_obligation = ReservationObligation.MAY
    lot.reserved = True
    lot.reserved_scales = [scale for scale in _SCALE_ORDER if scale in rule.eligible.scales]
    lot.reserved_cooperatives = rule.eligible.cooperatives
    lot.reserved_local = rule.eligible.local
    lot.reserved_local_only = rule.eligible.local_only
    lot.reservation_rule = rule_ref(pack.ref, rule)


def quota_main(tender: Tender, number: int | None, *, lot: Lot | None) -> Lot | None:
    """The main lot numbered `number` of which `lot` (None: a new lot) is to be the quota;
    None when `number` is None. Refused: no such lot, the lot itself, a main lot that is
    itself a quota, or a lot that already has a quota of its own."""
    if number is None:
        return None
    main = Lot.objects.filter(tender=tender, number=number).first()
    if main is None:
        raise ValidationFailed(
            _("This tender has no lot %(number)s.") % {"number": number},
            field="quota_of",
            code="quota_main_missing",
        )
    if lot is not None and main.pk == lot.pk:
        raise ValidationFailed(
            _("A lot cannot be a quota of itself: choose the lot whose goods it shares."),
            field="quota_of",
            code="quota_of_itself",
        )
    if main.quota_of_id is not None:
        raise ValidationFailed(
            _("Lot %(number)s is itself a quota: choose the main lot.") % {"number": number},
            field="quota_of",
            code="quota_of_quota",
        )
    if lot is not None and lot.quotas.exists():
        raise ValidationFailed(
            _("Lot %(number)s has a quota of its own, so it cannot be a quota.")
            % {"number": lot.number},
            field="quota_of",
            code="quota_has_quota",
        )
    return main


def quota_problem(lot: Lot, main: Lot, *, tender: Tender, pack: Pack) -> str | None:
    """Why the quota `lot` of `main` cannot be published (None: it can): both lots need an
    estimated value, and the quota's share of the two may not pass the rule's `max_share`."""
    rule = quota_rule_for(lot, tender=tender, pack=pack)
    if rule is None:
        return None  # `quota_reserve` refuses it with its reason
    if lot.estimated_value is None or main.estimated_value is None:
        return _(
            "Give the estimated values of lot %(quota)s and of lot %(main)s: the quota's "
            "share of the goods is computed from them."
        ) % {"quota": lot.number, "main": main.number}
    whole = lot.estimated_value + main.estimated_value
    if whole <= 0 or lot.estimated_value / whole <= rule.max_share:
        return None
    return _(
        "Lot %(quota)s is %(share)s%% of the goods of lots %(main)s and %(quota)s; a quota may "
        "be at most %(max)s%% (%(rule)s, %(basis)s)."
    ) % {
        "quota": lot.number,
        "main": main.number,
        "share": _percent(lot.estimated_value / whole),
        "max": _percent(rule.max_share),
        "rule": text(rule.title),
        "basis": basis_text(rule),
    }


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1')).normalize():f}"


def quota_problems(tender: Tender, *, pack: Pack) -> list[str]:
    """Why the tender's quota lots cannot be published (empty: they can)."""
    problems = []
    for lot in Lot.objects.filter(tender=tender, quota_of__isnull=False).select_related("quota_of"):
        assert lot.quota_of is not None
        problem = quota_problem(lot, lot.quota_of, tender=tender, pack=pack)
        if problem is not None:
            problems.append(problem)
    return problems


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
