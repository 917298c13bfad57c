"""The quick quotes' side of the country rule packs (`pregon.rules`, docs/rule-packs.md).

Which pack and which of its quick-quote rules a quick quote follows (the one kept on it, else
the one in force for its buyer's country today), whether its value is within the rule's
threshold, how long it may stay open, and who may quote on it. Reads only: the services write
what these decide.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from pregon import rules
from pregon.core import clock
from pregon.core.errors import ValidationFailed
from pregon.organizations.choices import Scale, ScaleStatus
from pregon.organizations.models import Organization
from pregon.organizations.selectors import consortium_members
from pregon.quotes.choices import DEFAULT_MAX_DAYS, DEFAULT_MIN_DAYS, Restriction
from pregon.quotes.models import QuickQuote
from pregon.rules import MissingRate, Money, Pack, Period
from pregon.rules.model import QuickQuoteRule
from pregon.tenders.rule_packs import basis_text, consortium_refusal, missing_rate, rates_for, text


def buyer_today(buyer: Organization) -> dt.date:
    """Today in the buyer's time zone: the day whose pack version is in force for it."""
    return clock.now().astimezone(ZoneInfo(buyer.effective_time_zone)).date()


def pack_in_force(buyer: Organization) -> Pack:
    """The pack in force today for the buyer's country (the generic pack when it has none)."""
    return rules.pack_for_country(str(buyer.country), on=buyer_today(buyer))


def rule_of(quick_quote: QuickQuote) -> QuickQuoteRule | None:
    """The rule kept on the quick quote (None when its pack version is no longer installed)."""
    try:
        found = rules.pack(quick_quote.rule_pack).rule(quick_quote.rule_key)
    except (rules.UnknownPack, KeyError):
        return None
    return found if isinstance(found, QuickQuoteRule) else None


def rule_for(
    pack: Pack, *, category: str, value: rules.Money, field: str = "estimated_value"
) -> QuickQuoteRule:
    """The pack's quick-quote rule for `category` that admits `value`; refused (with the
    threshold and its legal basis) when the pack has none or the value is beyond it."""
    general = rules.quick_quote(pack, category=category)
    if general is None:
        raise ValidationFailed(
            _(
                "The rules of %(pack)s provide no quick-quote procedure for this purchase: "
                "publish a tender instead."
            )
            % {"pack": f"{text(pack.name)} ({pack.ref})"},
            field=field,
            code="no_quick_quote",
        )
    try:
        admitted = rules.quick_quote(
            pack, category=category, value=value, rates=rates_for(value.currency)
        )
    except MissingRate as error:
        raise missing_rate(error, pack, field=field) from None
    if admitted is None:
        raise ValidationFailed(
            _(
                "%(rule)s (%(basis)s): this value is beyond the threshold of %(limit)s, so it "
                "cannot be bought by a quick quote. Publish a tender instead."
            )
            % {
                "rule": text(general.title),
                "basis": basis_text(general),
                "limit": threshold_text(general),
            },
            field=field,
            code="above_threshold",
        )
    return admitted


def threshold_text(rule: QuickQuoteRule) -> str:
    """The rule's threshold as the law writes it ("UTM 100"); "" when it has none."""
    bound = rule.value.up_to or rule.value.below
    return str(bound) if bound is not None else ""


def min_quotes(rule: QuickQuoteRule) -> int:
    """The least number of quotes a quick quote needs to go on to an order (1 when the pack
    names none)."""
    return max(rule.min_quotes or 1, 1)


def restriction_for(rule: QuickQuoteRule, wanted: bool | None) -> str:
    """Who may quote: a pack that requires it restricts to the eligible suppliers; one that
    prefers it lets the buyer choose (restricted unless the buyer says otherwise); a pack with
    no restriction opens it to any supplier."""
    if rule.eligible is None or rule.restriction == "none":
        return Restriction.NONE
    if rule.restriction == "required":
        return Restriction.ELIGIBLE
    return Restriction.NONE if wanted is False else Restriction.ELIGIBLE


def _later(start: dt.datetime, period: Period, zone: ZoneInfo) -> dt.datetime:
    local = start.astimezone(zone)
    day = rules.earliest_closing(local.date(), period)
    return dt.datetime.combine(day, local.timetz()).astimezone(dt.UTC)


def closing_bounds(
    rule: QuickQuoteRule | None, *, start: dt.datetime, buyer: Organization
) -> tuple[dt.datetime, dt.datetime]:
    """The earliest and the latest closing of a quick quote published at `start`: the pack's
    least notice (else `DEFAULT_MIN_DAYS`) and its longest (else `DEFAULT_MAX_DAYS`)."""
    zone = ZoneInfo(buyer.effective_time_zone)
    least = (rule.min_notice if rule else None) or Period(days=DEFAULT_MIN_DAYS)
    most = (rule.max_closing if rule else None) or Period(days=DEFAULT_MAX_DAYS)
    return _later(start, least, zone), _later(start, most, zone)


def _scale_of(organization: Organization) -> str | None:
    # A size whose evidence the platform did not accept opens nothing; a self-employed
    # supplier is the smallest size the packs know (as the tenders' reservations count it).
    if organization.scale_status == ScaleStatus.REJECTED:
        return None
    if organization.scale == Scale.SELF_EMPLOYED:
        return "micro"
    return organization.scale or None


def who_may_quote(quick_quote: QuickQuote) -> str:
    """Who may quote, in words, with the rule's legal basis."""
    rule = rule_of(quick_quote)
    if quick_quote.restriction == Restriction.NONE or rule is None or rule.eligible is None:
        return _("Any registered supplier.")
    eligible = rule.eligible
    parts = []
    scales = [s for s in ("micro", "small", "medium", "large") if s in eligible.scales]
    if scales:
        parts.append(", ".join(str(Scale(s).label).lower() for s in scales))
    if eligible.cooperatives:
        parts.append(_("cooperatives"))
    if eligible.local:
        parts.append(_("local suppliers"))
    who = "; ".join(parts)
    if eligible.local_only:
        who = _("local suppliers only (%(who)s)") % {"who": who}
    return _("Only these suppliers may quote: %(who)s (%(rule)s, %(basis)s).") % {
        "who": who,
        "rule": text(rule.title),
        "basis": basis_text(rule),
    }


def supplier_refusal(quick_quote: QuickQuote, organization: Organization) -> str | None:
    """Why `organization` may not quote on `quick_quote`, in the active language; None when it
    may. A restricted quick quote admits the suppliers its rule's eligibility names (a
    consortium when every member is admitted)."""
    refusal = consortium_refusal(organization)
    if refusal is not None:
        return refusal
    if quick_quote.restriction == Restriction.NONE:
        return None
    rule = rule_of(quick_quote)
    if rule is None or rule.eligible is None:
        return None
    eligible = rule.eligible
    firms = [m.member for m in consortium_members(organization)] or [organization]
    if organization.is_consortium and not eligible.consortia:
        return _("This quick quote does not admit consortia.")
    for firm in firms:
        if not eligible.admits(
            scale=_scale_of(firm), cooperative=firm.is_cooperative, local=firm.is_local
        ):
            return _(
                "%(supplier)s is registered with a size or a location this quick quote does not "
                "admit. %(who)s"
            ) % {"supplier": firm.display_name, "who": who_may_quote(quick_quote)}
    return None


def value_money(quick_quote: QuickQuote) -> Money:
    """The quick quote's estimated value as the packs read it."""
    return Money(amount=quick_quote.estimated_value, currency=quick_quote.currency)
