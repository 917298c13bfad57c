"""What a pack decides for a procedure, before any bid: the quick-quote procedure, the least
publication period, whether a lot is reserved and for whom, the quota of divisible goods, the
subcontracting share, the benefits' ceiling, divide-or-explain and the payment term.

Every function is pure: the same pack and arguments give the same answer. Values are `Money`
in the tender's currency; a rule written in another unit (UTM in Chile, US dollars in Colombia)
needs its rate in `rates` (how much one unit of it is worth in the value's currency), else
`MissingRate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from pregon.rules import messages
from pregon.rules.model import (
    Amount,
    DivideOrExplainRule,
    Eligibility,
    Money,
    Obligation,
    Pack,
    PaymentTermRule,
    Period,
    QuickQuoteRule,
    QuotaRule,
    ReservationRule,
    Rule,
    SubcontractingRule,
    Text,
    ValueRange,
)

type Rates = Mapping[str, Decimal]


class MissingRate(LookupError):
    """A rule's figure is in a unit (UTM, USD…) the caller gave no rate for."""

    def __init__(self, unit: str, currency: str) -> None:
        super().__init__(f"a rate of {unit} in {currency} is needed")
        self.unit = unit
        self.currency = currency


class ValueRequired(ValueError):
    """The rule depends on the value, and none was given."""


def amount_in(value: Money, unit: str, rates: Rates | None = None) -> Decimal:
    """`value` expressed in `unit` (a currency or a unit of account), by `rates`."""
    if unit == value.currency:
        return value.amount
    rate = (rates or {}).get(unit)
    if rate is None or rate <= 0:
        raise MissingRate(unit, value.currency)
    return value.amount / rate


def _compare(value: Money, bound: Amount, rates: Rates | None) -> int:
    """-1, 0 or 1 as `value` is below, equal to or above `bound`."""
    if bound.value == 0 and bound.unit != value.currency:
        # Zero is zero in any unit: no rate is needed to compare with it.
        here = value.amount
    else:
        here = amount_in(value, bound.unit, rates) - bound.value
    return (here > 0) - (here < 0)


def value_in(bounds: ValueRange, value: Money, rates: Rates | None = None) -> bool:
    """Whether `value` is within `bounds` (`above` exclusive, `up_to` inclusive, `below`
    exclusive)."""
    if bounds.above is not None and _compare(value, bounds.above, rates) <= 0:
        return False
    if bounds.up_to is not None and _compare(value, bounds.up_to, rates) > 0:
        return False
    return not (bounds.below is not None and _compare(value, bounds.below, rates) >= 0)


def _for_category[R: Rule](rules: Iterable[R], category: str | None) -> list[R]:
    """The rules for `category`: those naming it first, then those for any category (rules
    naming another category are left out)."""
    found = list(rules)
    specific = [r for r in found if getattr(r, "category", None) == category and category]
    general = [r for r in found if getattr(r, "category", None) is None]
    return specific + general


# --- benefits' ceiling ------------------------------------------------------------------------
def benefits_apply(pack: Pack, *, item_value: Money | None, rates: Rates | None = None) -> bool:
    """Whether the benefits for smaller firms (reservation, quota, subcontracting, ties) may
    apply to an item (or a works tender) of `item_value`: False above the pack's ceiling. A
    firm over the annual ceiling is the caller's declaration (`BidEntry.eligible`)."""
    ceiling = pack.benefits_ceiling
    if ceiling is None or item_value is None:
        return True
    return _compare(item_value, ceiling.item_limit, rates) <= 0


def _ceiling_text(pack: Pack, value: Money) -> Text:
    ceiling = pack.benefits_ceiling
    assert ceiling is not None
    return messages.OVER_CEILING.format(
        value=f"{value.currency} {value.amount:,}",
        limit=str(ceiling.item_limit),
        basis=str(ceiling.basis),
    )


# --- quick quotes and publication periods -----------------------------------------------------
def quick_quote(
    pack: Pack,
    *,
    category: str | None = None,
    value: Money | None = None,
    rates: Rates | None = None,
) -> QuickQuoteRule | None:
    """The quick-quote (small-value purchase) rule for `category`: its threshold
    (`rule.value`), least number of quotes, least notice, and whether it is restricted to
    smaller or local suppliers (`restriction`, `eligible`). With `value`, None when the value
    is beyond the threshold. None when the pack has no such procedure."""
    found = _for_category(pack.quick_quotes, category)
    if not found:
        return None
    # A rule naming the category replaces the general one for it.
    rule = found[0]
    return rule if value is None or value_in(rule.value, value, rates) else None


@dataclass(frozen=True, kw_only=True)
class PublicationMinimum:
    """The least period between publication and closing, and the rule that sets it."""

    period: Period
    rule: Rule


def publication_minimum(
    pack: Pack,
    *,
    method: str,
    value: Money | None = None,
    category: str | None = None,
    rates: Rates | None = None,
) -> PublicationMinimum | None:
    """The least days between publication and closing for a procedure of `method` (and
    `value`, `category`): the longest period among the pack's publication rules, and the
    notice of its quick-quote rule for the quick-quote method, that apply. None when the pack
    says nothing for it (the platform's own minimum then holds). `ValueRequired` when the
    answer depends on a value and none was given."""
    fixed: list[tuple[Period, Rule]] = []
    by_value: list[tuple[Period, Rule, ValueRange]] = []
    for published in _for_category(pack.publication, category):
        if published.method == method:
            if published.value is None:
                fixed.append((published.period, published))
            else:
                by_value.append((published.period, published, published.value))
    quick = [q for q in _for_category(pack.quick_quotes, category) if q.method == method]
    if quick and quick[0].min_notice is not None:
        # The quick-quote rule for the category (the first found) sets its notice.
        by_value.append((quick[0].min_notice, quick[0], quick[0].value))

    def length(period: Period) -> tuple[int, bool]:
        # A business day is never shorter than a calendar day: at equal counts, business wins.
        return (period.days, period.business_days)

    candidates = list(fixed)
    longest_fixed = max((length(p) for p, _ in fixed), default=None)
    for period, rule, bounds in by_value:
        if value is None:
            if longest_fixed is None or length(period) > longest_fixed:
                raise ValueRequired(f"rule {rule.key} of {pack.ref} depends on the value")
            continue
        if value_in(bounds, value, rates):
            candidates.append((period, rule))
    if not candidates:
        return None
    period, rule = max(candidates, key=lambda c: length(c[0]))
    return PublicationMinimum(period=period, rule=rule)


def earliest_closing(
    published_on: dt.date, period: Period, *, holidays: Iterable[dt.date] = ()
) -> dt.date:
    """The first day a procedure published on `published_on` may close: `period.days` later,
    counting only Monday to Friday outside `holidays` when the period is in business days."""
    if not period.business_days:
        return published_on + dt.timedelta(days=period.days)
    off = set(holidays)
    day, counted = published_on, 0
    while counted < period.days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            counted += 1
    return day


# --- reserved procedures and lots -------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ReservationDecision:
    """Whether a lot must, may or need not be reserved; for whom (`eligible`); whether the
    buyer may limit it further to local suppliers; the rule (None for "no") and why."""

    obligation: Obligation
    eligible: Eligibility | None
    may_limit_to_local: bool
    rule: ReservationRule | None
    explanation: Text
    pack: str


def _condition(
    rule: ReservationRule, *, requests: int, expected: int | None
) -> tuple[Obligation, Text]:
    if rule.condition == "requests":
        figures = {"requests": requests, "needed": rule.min_requests}
        if requests >= rule.min_requests:
            return "must", messages.REQUESTS_MET.format(**figures)
        return "may", messages.REQUESTS_PENDING.format(**figures)
    if rule.condition == "rule_of_two":
        needed = rule.min_expected_offers
        if expected is None:
            return rule.obligation, messages.RULE_OF_TWO_UNKNOWN.format(needed=needed)
        figures = {"expected": expected, "needed": needed}
        if expected >= needed:
            return rule.obligation, messages.RULE_OF_TWO_MET.format(**figures)
        return "no", messages.RULE_OF_TWO_NOT_MET.format(**figures)
    return rule.obligation, Text(en="", es="", pt="", fr="")


def _join(first: Text, second: Text) -> Text:
    return Text(
        **{
            lang: " ".join(t for t in (first.get(lang), second.get(lang)) if t)
            for lang in ("en", "es", "pt", "fr")
        }
    )


def reservation_decide(
    pack: Pack,
    *,
    value: Money,
    category: str | None = None,
    msme_requests: int = 0,
    expected_small_offers: int | None = None,
    rates: Rates | None = None,
) -> ReservationDecision:
    """Whether a lot (or a single-lot procedure) of `value` must, may or need not be reserved
    for smaller firms, under `pack`.

    `msme_requests`: how many eligible suppliers asked for a limited call (Colombia: 2 are
    needed; fewer leaves it "may", on request). `expected_small_offers`: how many eligible
    firms market research expects to offer at a fair price (the United States' rule of two; None
    when unknown: the set-aside stands). "must" wins over "may"; above the benefits' ceiling
    nothing is reserved.
    """
    no = ReservationDecision(
        obligation="no",
        eligible=None,
        may_limit_to_local=False,
        rule=None,
        explanation=messages.NOT_RESERVED,
        pack=pack.ref,
    )
    if not benefits_apply(pack, item_value=value, rates=rates):
        return ReservationDecision(
            obligation="no",
            eligible=None,
            may_limit_to_local=False,
            rule=None,
            explanation=_ceiling_text(pack, value),
            pack=pack.ref,
        )
    found: dict[str, ReservationDecision] = {}
    for rule in _for_category(pack.reservations, category):
        if not value_in(rule.value, value, rates):
            continue
        obligation, why = _condition(rule, requests=msme_requests, expected=expected_small_offers)
        decision = ReservationDecision(
            obligation=obligation,
            eligible=rule.eligible if obligation != "no" else None,
            may_limit_to_local=rule.may_limit_to_local and obligation != "no",
            rule=rule,
            explanation=_join(rule.explanation, why),
            pack=pack.ref,
        )
        found.setdefault(obligation, decision)
    return found.get("must") or found.get("may") or found.get("no") or no


# --- quota, subcontracting, divide-or-explain, payment ----------------------------------------
def quota(
    pack: Pack,
    *,
    category: str,
    divisible: bool,
    value: Money | None = None,
    rates: Rates | None = None,
) -> QuotaRule | None:
    """The quota of divisible goods reserved for smaller firms (its `max_share`, `eligible`),
    or None: the pack has none, the lot is not of divisible goods of its category, or its value
    is above the benefits' ceiling."""
    rule = pack.quota
    if rule is None or not divisible or category != rule.category:
        return None
    return rule if benefits_apply(pack, item_value=value, rates=rates) else None


def subcontracting(
    pack: Pack, *, value: Money | None = None, rates: Rates | None = None
) -> SubcontractingRule | None:
    """The subcontracting share the buyer may (or must) require for smaller firms, or None."""
    rule = pack.subcontracting
    if rule is None:
        return None
    return rule if benefits_apply(pack, item_value=value, rates=rates) else None


def divide_or_explain(
    pack: Pack, *, value: Money, lots: int, rates: Rates | None = None
) -> DivideOrExplainRule | None:
    """The rule that asks a public reason for not dividing a tender into lots, when a tender of
    `value` with `lots` lots needs one (a single lot above the threshold); else None."""
    rule = pack.divide_or_explain
    if rule is None or lots != 1:
        return None
    return rule if _compare(value, rule.threshold, rates) > 0 else None


def payment_term(pack: Pack, *, scale: str | None) -> PaymentTermRule | None:
    """The payment term for a supplier of `scale`: the shortest among the pack's terms that
    cover that scale (a legal term before a goal at equal days). None when the pack says
    nothing (the platform's own term then holds). `rule.kind` says if it is a goal."""
    applicable = [
        rule for rule in pack.payment_terms if rule.scales is None or scale in rule.scales
    ]
    if not applicable:
        return None
    return min(applicable, key=lambda r: (r.days, r.kind != "term"))
