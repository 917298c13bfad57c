"""The tenders' side of the country rule packs (`pregon.rules`, docs/rule-packs.md).

Which pack a tender follows (the one it was published under, else the one in force for its
buyer's country today), the rates of the units the packs' figures use, the reservation of a
lot for smaller firms and who may bid on a reserved lot, in the visitor's language. Reads only:
the services in `services.reservation` and `services.lifecycle` write what these decide.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pregon import rules
from pregon.core import clock
from pregon.core.errors import ValidationFailed
from pregon.organizations.choices import ConsortiumStatus, Scale, ScaleStatus
from pregon.organizations.models import Consortium, Organization
from pregon.organizations.selectors import consortium_members
from pregon.rules import (
    Eligibility,
    MissingRate,
    Money,
    Pack,
    ReservationDecision,
    Rule,
    SubcontractingRule,
    Text,
)
from pregon.tenders.models import Lot, Tender

#: The sizes a reservation names, smallest first (as the packs write them).
_SCALE_ORDER = ("micro", "small", "medium", "large")

_PLURAL_SCALES = {
    "micro": gettext_lazy("micro enterprises"),
    "small": gettext_lazy("small enterprises"),
    "medium": gettext_lazy("medium enterprises"),
    "large": gettext_lazy("large enterprises"),
}


def rates_for(currency: str) -> dict[str, Decimal]:
    """What one unit of each figure of the law is worth in `currency`
    (`PREGON_RULE_RATES[currency]`); units without a valid rate are left out."""
    found: dict[str, Decimal] = {}
    for unit, rate in (settings.PREGON_RULE_RATES.get(currency) or {}).items():
        try:
            value = Decimal(str(rate))
        except InvalidOperation:
            continue
        if value.is_finite() and value > 0:
            found[str(unit)] = value
    return found


def buyer_today(tender: Tender) -> dt.date:
    """Today in the buyer's time zone: the day whose pack version is in force for it."""
    return clock.now().astimezone(ZoneInfo(tender.buyer.effective_time_zone)).date()


def pack_of(tender: Tender, *, on: dt.date | None = None) -> Pack:
    """The pack a tender follows: the version it was published under, else the version in
    force for its buyer's country on `on` (today in the buyer's zone by default)."""
    if tender.rule_pack:
        return rules.pack(tender.rule_pack)
    return rules.pack_for_country(str(tender.buyer.country), on=on or buyer_today(tender))


def missing_rate(error: MissingRate, pack: Pack, *, field: str) -> ValidationFailed:
    """The buyer's refusal when a rule's figure is in a unit the platform has no rate for."""
    return ValidationFailed(
        _(
            "The rules of %(pack)s state a figure in %(unit)s, and the platform has no rate of "
            "%(unit)s in %(currency)s, so it cannot tell which rule applies. Ask the platform's "
            "operator to set it (PREGON_RULE_RATES), or use the currency of the rules."
        )
        % {"pack": pack.ref, "unit": error.unit, "currency": error.currency},
        field=field,
        code="missing_rate",
    )


def text(value: Text) -> str:
    """A pack's text in the active language."""
    return value.get(translation.get_language())


def basis_text(rule: Rule) -> str:
    """The rule's legal basis, or that it is a neutral default with no law behind it."""
    return str(rule.basis) if rule.basis.law else _("neutral default, no law")


def rule_ref(pack_ref: str, rule: Rule) -> str:
    """How a lot names the rule it was reserved under: ``CODE@VERSION:key``."""
    return f"{pack_ref}:{rule.key}"


def rule_of(ref: str) -> Rule | None:
    """The rule a ``CODE@VERSION:key`` names (None when it names none)."""
    pack_ref, _sep, key = ref.partition(":")
    try:
        return rules.pack(pack_ref).rule(key)
    except (rules.UnknownPack, KeyError):
        return None


def reservation_for(
    tender: Tender,
    *,
    estimated_value: Decimal | None,
    msme_requests: int = 0,
    expected_small_offers: int | None = None,
    pack: Pack | None = None,
) -> ReservationDecision:
    """What `pack` (the tender's by default) says of reserving a lot of `estimated_value` (the
    tender's value when the lot has none) for smaller firms. A figure in a unit without a rate
    is refused with `missing_rate`."""
    pack = pack or pack_of(tender)
    value = tender.estimated_value if estimated_value is None else estimated_value
    try:
        return rules.reservation_decide(
            pack,
            value=Money(amount=value, currency=tender.currency),
            category=tender.category,
            msme_requests=msme_requests,
            expected_small_offers=expected_small_offers,
            rates=rates_for(tender.currency),
        )
    except MissingRate as error:
        raise missing_rate(error, pack, field="estimated_value") from None


def _scales_text(scales: list[str]) -> str:
    wanted = [s for s in _SCALE_ORDER if s in scales]
    if wanted == ["micro", "small"]:
        return _("micro and small enterprises")
    if wanted == ["micro", "small", "medium"]:
        return _("micro, small and medium-sized enterprises")
    names = [str(_PLURAL_SCALES[s]) for s in wanted]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def who_may_bid(lot: Lot) -> str:
    """Who may bid on a reserved lot, in words ("micro and small enterprises, and
    cooperatives")."""
    who = _scales_text(list(lot.reserved_scales))
    others = []
    if lot.reserved_cooperatives:
        others.append(_("cooperatives of any size"))
    if lot.reserved_local and not lot.reserved_local_only:
        others.append(_("local suppliers of any size"))
    for other in others:
        who = _("%(who)s, and %(other)s") % {"who": who, "other": other} if who else other
    if lot.reserved_local_only:
        who = _("local %(who)s only") % {"who": who}
    return who


def reservation_label(lot: Lot) -> str:
    """The badge of a reserved lot: "Reserved for micro and small enterprises", or for a quota
    "Quota of lot 1 reserved for micro and small enterprises"."""
    if lot.quota_of is not None:
        return _("Quota of lot %(number)s reserved for %(who)s") % {
            "number": lot.quota_of.number,
            "who": who_may_bid(lot),
        }
    return _("Reserved for %(who)s") % {"who": who_may_bid(lot)}


def subcontracting_rule(tender: Tender, *, pack: Pack | None = None) -> SubcontractingRule | None:
    """The pack's rule that lets (or makes) the buyer require the winner to subcontract to
    smaller firms, for the tender's value (None: the pack has none, or the value is above the
    benefits' ceiling). A figure in a unit without a rate is refused with `missing_rate`."""
    pack = pack or pack_of(tender)
    try:
        return rules.subcontracting(
            pack,
            value=Money(amount=tender.estimated_value, currency=tender.currency),
            rates=rates_for(tender.currency),
        )
    except MissingRate as error:
        raise missing_rate(error, pack, field="subcontracting_share") from None


def subcontracting_requirement(tender: Tender) -> str:
    """The tender's subcontracting requirement in words ("The winner subcontracts at least 20%
    of the contract's value to micro and small enterprises (rule, basis)."); "" for none."""
    if tender.subcontracting_share is None:
        return ""
    try:
        rule = subcontracting_rule(tender)
    except ValidationFailed:
        rule = None
    who = _scales_text(sorted(rule.eligible.scales)) if rule else _("smaller firms")
    sentence = _(
        "The winner subcontracts at least %(share)s%% of the contract's value to %(who)s."
    ) % {"share": tender.subcontracting_share, "who": who}
    if rule is None:
        return sentence
    return f"{sentence} ({text(rule.title)}, {basis_text(rule)})"


def reservation_basis(lot: Lot) -> str:
    """The title and legal basis of the rule a lot is reserved under ("" when none)."""
    rule = rule_of(lot.reservation_rule) if lot.reservation_rule else None
    if rule is None:
        return ""
    return str(format_lazy("{title} ({basis})", title=text(rule.title), basis=basis_text(rule)))


def _scale_of(organization: Organization) -> str | None:
    # A size whose evidence the platform did not accept does not open a reserved lot.
    if organization.scale_status == ScaleStatus.REJECTED:
        return None
    # The packs know four sizes: a self-employed supplier is the smallest.
    if organization.scale == Scale.SELF_EMPLOYED:
        return "micro"
    return organization.scale or None


def _refusal(lot: Lot, organization: Organization) -> str | None:
    """Why `organization` itself (a firm) may not bid on reserved `lot`; None when it may."""
    eligibility = Eligibility(
        scales=frozenset(lot.reserved_scales),
        cooperatives=lot.reserved_cooperatives,
        local=lot.reserved_local,
        local_only=lot.reserved_local_only,
    )
    if eligibility.admits(
        scale=_scale_of(organization),
        cooperative=organization.is_cooperative,
        local=organization.is_local,
    ):
        return None
    if organization.scale_status == ScaleStatus.REJECTED and organization.scale:
        scale = _("%(scale)s, whose evidence the platform did not accept") % {
            "scale": str(Scale(organization.scale).label).lower()
        }
    elif organization.scale:
        scale = str(Scale(organization.scale).label).lower()
    else:
        scale = _("of no declared size")
    return _(
        "Lot %(number)s is reserved for %(who)s (%(basis)s). %(supplier)s is registered as "
        "%(scale)s%(local)s, so it cannot bid on this lot."
    ) % {
        "number": lot.number,
        "who": who_may_bid(lot),
        "basis": reservation_basis(lot) or lot.reservation_rule,
        "supplier": organization.display_name,
        "scale": scale,
        "local": _(", not as a local supplier")
        if (lot.reserved_local or lot.reserved_local_only) and not organization.is_local
        else "",
    }


def lot_open_to(lot: Lot, organization: Organization) -> str | None:
    """Why `organization` may not bid on `lot`, in the active language; None when it may (the
    lot is not reserved, or the supplier's scale, or its being a cooperative or a local
    supplier, fits the reservation). A consortium may when every one of its members may."""
    if not lot.reserved:
        return None
    if not organization.is_consortium:
        return _refusal(lot, organization)
    refusals = [
        refusal
        for member in consortium_members(organization)
        if (refusal := _refusal(lot, member.member)) is not None
    ]
    if not refusals:
        return None
    return _(
        "A reserved lot accepts a consortium only when every member may bid on it. %(why)s"
    ) % {"why": " ".join(refusals)}


def consortium_refusal(organization: Organization) -> str | None:
    """Why `organization`, a consortium, may not bid yet (its members have not all accepted,
    or it was cancelled); None for a formed consortium or any other supplier."""
    if not organization.is_consortium:
        return None
    consortium = Consortium.objects.filter(organization=organization).first()
    if consortium is not None and consortium.may_bid:
        return None
    if consortium is not None and consortium.status == ConsortiumStatus.FORMING:
        return _(
            "The consortium %(name)s may bid once every member has accepted its invitation."
        ) % {"name": organization.display_name}
    return _("The consortium %(name)s was cancelled: it cannot bid.") % {
        "name": organization.display_name
    }


def lots_open_to(tender: Tender, organization: Organization) -> list[Lot]:
    """The lots of `tender` that `organization` may bid on, in order."""
    return [lot for lot in tender.lots.order_by("number") if lot_open_to(lot, organization) is None]


def tender_open_to(tender: Tender, organization: Organization) -> str | None:
    """Why `organization` may bid on no lot of `tender` (every lot is reserved for others), in
    the active language; None when at least one lot is open to it. The lots a sealed bid
    offers are known only at its opening, so a bid is refused here only when none is open.
    A consortium that is not formed may bid on none."""
    refusal = consortium_refusal(organization)
    if refusal is not None:
        return refusal
    lots = list(tender.lots.order_by("number"))
    refusals = [lot_open_to(lot, organization) for lot in lots]
    if not lots or any(refusal is None for refusal in refusals):
        return None
    return _("No lot of this tender is open to your organization. %(why)s") % {
        "why": " ".join(str(refusal) for refusal in refusals)
    }
