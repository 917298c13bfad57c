"""The shapes of a country rule pack: immutable dataclasses, no behaviour beyond reading them.

A pack (`Pack`) is one version of one country's rules, addressable as ``CODE@VERSION`` and never
changed once published: a tender keeps the version it was published under. Each rule carries
its legal basis, the date it takes effect, and its title and explanation in the platform's four
languages. The data lives in TOML files next to this module (`loading`), the decisions in
`procedures` and `preferences`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

#: The languages of every text of a pack (the platform's, with Portuguese as "pt").
LANGUAGES = ("en", "es", "pt", "fr")
#: The sizes a pack's scale definition yields (`organizations.choices.Scale`, less
#: self-employed, which stays a declaration).
SCALES = ("micro", "small", "medium", "large")
#: The smaller enterprises: micro, small and medium (MSMEs, Mipymes, MIPYMES).
MSME_SCALES = frozenset({"micro", "small", "medium"})
#: What a bidder may declare of itself, as `BidEntry.characteristics` names it.
CHARACTERISTICS = frozenset(
    {
        "hubzone",  # a HUBZone small business (United States)
        "women_led",  # a women-led or women-owned firm
        "local",  # registered in the department or municipality of execution
        "cooperative",  # a cooperative
        "msme_consortium",  # a consortium (plural bidder) made only of MSMEs
        "plural_with_msme",  # a plural bidder with at least one MSME member
        "plural_with_women_led",  # a plural bidder with at least one women-led member
    }
)

type Obligation = Literal["must", "may", "no"]


def language_key(language: str | None) -> str:
    """The key of `Text` for a platform language code ("pt-br" → "pt"); English otherwise."""
    code = (language or "en").lower().split("-")[0].split("_")[0]
    return code if code in LANGUAGES else "en"


@dataclass(frozen=True, kw_only=True)
class Text:
    """One text in the four languages. `format` fills named ``{placeholders}``."""

    en: str
    es: str
    pt: str
    fr: str

    def get(self, language: str | None = None) -> str:
        """The text in `language` (a platform code: "en", "es", "pt-br", "fr"); English for
        any other."""
        return str(getattr(self, language_key(language)))

    def format(self, **values: object) -> Text:
        """The same text with ``{name}`` replaced by ``values[name]`` in every language (a
        `Text` value in the same language)."""
        return Text(
            **{
                lang: getattr(self, lang).format_map(
                    {k: v.get(lang) if isinstance(v, Text) else v for k, v in values.items()}
                )
                for lang in LANGUAGES
            }
        )


@dataclass(frozen=True, kw_only=True)
class LegalBasis:
    """Where a rule comes from: the law and the article. A neutral default of the GENERIC pack
    has no law (`law` empty) and says so."""

    law: str
    article: str = ""

    def __str__(self) -> str:
        if not self.law:
            return "—"
        return f"{self.law}, {self.article}" if self.article else self.law


@dataclass(frozen=True, kw_only=True)
class Amount:
    """A figure of the law in its own unit: a currency (ISO 4217, "BRL", "USD") or a unit of
    account ("UTM" in Chile)."""

    value: Decimal
    unit: str

    def __str__(self) -> str:
        return f"{self.unit} {self.value:,}"


@dataclass(frozen=True, kw_only=True)
class Money:
    """A value the caller passes: an amount in a currency (the tender's)."""

    amount: Decimal
    currency: str


@dataclass(frozen=True, kw_only=True)
class ValueRange:
    """Values `above` (exclusive), `up_to` (inclusive) or `below` (exclusive); a missing bound
    is open."""

    above: Amount | None = None
    up_to: Amount | None = None
    below: Amount | None = None


@dataclass(frozen=True, kw_only=True)
class Period:
    """A minimum period: `days`, counted as business days (Monday to Friday, less the
    holidays the caller gives) when `business_days`, else as calendar days."""

    days: int
    business_days: bool = False


@dataclass(frozen=True, kw_only=True)
class Eligibility:
    """Who may bid on a reserved procedure or lot: suppliers of `scales`; cooperatives of any
    size when `cooperatives`; local suppliers of any size when `local`; only local suppliers
    when `local_only`; consortia whose members are all eligible when `consortia`."""

    scales: frozenset[str]
    cooperatives: bool = False
    local: bool = False
    local_only: bool = False
    consortia: bool = True

    def admits(self, *, scale: str | None, cooperative: bool = False, local: bool = False) -> bool:
        """Whether one supplier (or each member of a consortium) may bid."""
        if self.local_only and not local:
            return False
        return (
            (scale in self.scales) or (self.cooperatives and cooperative) or (self.local and local)
        )


@dataclass(frozen=True, kw_only=True)
class Rule:
    """What every rule has: a `key` unique in its pack, its legal basis, the date it takes
    effect, its title and explanation; `default` marks a neutral default of the GENERIC pack
    (no law behind it)."""

    key: str
    title: Text
    explanation: Text
    basis: LegalBasis
    effective_from: dt.date
    default: bool = False


@dataclass(frozen=True, kw_only=True)
class ScaleBand:
    """One size: a firm is of `scale` when it meets every limit given (employees at most,
    annual turnover at most, in the pack's currency)."""

    scale: str
    max_employees: int | None = None
    max_turnover: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class ScaleRule(Rule):
    """The size definition: `bands` from the smallest; a firm past every band is `above`. With
    no band, the law defines size elsewhere and the supplier's declaration stands."""

    bands: tuple[ScaleBand, ...] = ()
    above: str = "large"


@dataclass(frozen=True, kw_only=True)
class QuickQuoteRule(Rule):
    """The quick-quote (small-value purchase) procedure for `category` (None: any)."""

    method: str
    category: str | None = None
    value: ValueRange
    min_quotes: int | None = None
    min_notice: Period | None = None
    #: "required": only `eligible` suppliers may quote; "preferred": as a rule, done with them.
    restriction: Literal["none", "required", "preferred"] = "none"
    eligible: Eligibility | None = None
    #: The longest a quick quote may stay open (None: the platform's own limit).
    max_closing: Period | None = None
    #: How the procedure is published in OCDS (`tender.procurementMethod`).
    ocds_method: Literal["limited", "direct"] = "limited"


@dataclass(frozen=True, kw_only=True)
class PublicationRule(Rule):
    """The least days between publication and closing for `method` (and `category`, and values
    in `value`; None: any)."""

    method: str
    category: str | None = None
    value: ValueRange | None = None
    period: Period


@dataclass(frozen=True, kw_only=True)
class ReservationRule(Rule):
    """A reserved (set-aside) procedure or lot for values in `value`.

    `obligation` is what the law says once `condition` holds: "none" (always), "requests"
    (at least `min_requests` eligible suppliers ask for it), "rule_of_two" (at least
    `min_expected_offers` eligible suppliers are expected to offer at a fair price).
    `may_limit_to_local`: the buyer may further limit it to local suppliers.
    """

    obligation: Literal["must", "may"]
    category: str | None = None
    value: ValueRange
    condition: Literal["none", "requests", "rule_of_two"] = "none"
    min_requests: int = 0
    min_expected_offers: int = 0
    eligible: Eligibility
    may_limit_to_local: bool = False


@dataclass(frozen=True, kw_only=True)
class QuotaRule(Rule):
    """A share (up to `max_share`) of divisible goods reserved for `eligible` suppliers."""

    max_share: Decimal
    category: str = "goods"
    eligible: Eligibility


@dataclass(frozen=True, kw_only=True)
class SubcontractingRule(Rule):
    """The buyer may require (`obligation` "may") or must require the winner to subcontract up
    to `max_share` of the contract to `eligible` suppliers."""

    obligation: Literal["must", "may"]
    max_share: Decimal
    eligible: Eligibility


@dataclass(frozen=True, kw_only=True)
class BenefitsCeilingRule(Rule):
    """No MSME benefit (reservation, quota, tie, subcontracting) for an item whose estimated
    value exceeds `item_limit`, nor for a firm whose public contracts of the year already
    exceed `annual_contracts_limit` (a declaration the app keeps as the bid's eligibility)."""

    item_limit: Amount
    annual_contracts_limit: Amount | None = None


@dataclass(frozen=True, kw_only=True)
class FictitiousTieRule(Rule):
    """An eligible offer up to `margin` above the best (`auction_margin` in a reverse auction)
    counts as tied, unless the best offer is itself eligible; the best-placed eligible bidder
    may then cover the best offer with a lower one (within `auction_cover_minutes` in a reverse
    auction; `cover_days` otherwise, None: the deadline the buyer's notice sets)."""

    margin: Decimal
    auction_margin: Decimal
    auction_cover_minutes: int | None = None
    cover_days: int | None = None
    eligible: Eligibility


@dataclass(frozen=True, kw_only=True)
class PriceEvaluationRule(Rule):
    """A price-evaluation preference: in `methods`, the price of every offer without
    `characteristic` is evaluated `factor` higher (10 % → price × 1.10)."""

    factor: Decimal
    characteristic: str
    methods: frozenset[str]


@dataclass(frozen=True, kw_only=True)
class TieFactor:
    """One tie-breaking factor: a bid meets it if its scale is in `scales` or it declares one
    of `characteristics`."""

    key: str
    title: Text
    scales: frozenset[str] = frozenset()
    characteristics: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class TieBreakRule(Rule):
    """Bids tied on the evaluation are ordered by `factors`, in order (a bid meeting a factor
    goes before one that does not), then by a reproducible draw when `ends_with_draw`."""

    factors: tuple[TieFactor, ...]
    ends_with_draw: bool = True


@dataclass(frozen=True, kw_only=True)
class PaymentTermRule(Rule):
    """The buyer pays within `days` calendar days; for suppliers of `scales` only (None: all).
    `kind` "term" is a legal deadline, "goal" a target the buyer aims at."""

    days: int
    scales: frozenset[str] | None = None
    kind: Literal["term", "goal"] = "term"


@dataclass(frozen=True, kw_only=True)
class DivideOrExplainRule(Rule):
    """A single-lot tender whose value exceeds `threshold` needs a public reason for not being
    divided into lots."""

    threshold: Amount


@dataclass(frozen=True, kw_only=True)
class GoalRule(Rule):
    """A share of spending the buyers aim to award to `group` (for reports, not for one
    tender); `years` to reach it, when the law phases it in."""

    group: str
    share: Decimal
    years: int | None = None


@dataclass(frozen=True, kw_only=True)
class Provision(Rule):
    """A provision the platform shows and follows elsewhere (payment order, alerts, joint
    bids…): text, legal basis and date, no decision of its own."""


@dataclass(frozen=True, kw_only=True)
class Pack:
    """One version of one country's rules (immutable; addressable as ``CODE@VERSION``)."""

    code: str
    version: str
    effective_from: dt.date
    currency: str
    countries: frozenset[str]
    name: Text
    description: Text
    scale_rule: ScaleRule | None = None
    quick_quotes: tuple[QuickQuoteRule, ...] = ()
    publication: tuple[PublicationRule, ...] = ()
    reservations: tuple[ReservationRule, ...] = ()
    quota: QuotaRule | None = None
    subcontracting: SubcontractingRule | None = None
    benefits_ceiling: BenefitsCeilingRule | None = None
    fictitious_tie: FictitiousTieRule | None = None
    price_evaluation: PriceEvaluationRule | None = None
    tie_break: TieBreakRule | None = None
    payment_terms: tuple[PaymentTermRule, ...] = ()
    divide_or_explain: DivideOrExplainRule | None = None
    goals: tuple[GoalRule, ...] = ()
    provisions: tuple[Provision, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def ref(self) -> str:
        """The address of this version: ``CODE@VERSION`` (stored on a tender)."""
        return f"{self.code}@{self.version}"

    @property
    def scale_is_computed(self) -> bool:
        """Whether the pack computes a size from figures (else the declaration stands)."""
        return self.scale_rule is not None and bool(self.scale_rule.bands)

    def rules(self) -> list[Rule]:
        """Every rule of the pack, in the order `pregon rules show` prints them."""
        single = (
            self.scale_rule,
            self.benefits_ceiling,
            self.quota,
            self.subcontracting,
            self.fictitious_tie,
            self.price_evaluation,
            self.tie_break,
            self.divide_or_explain,
        )
        found: list[Rule] = [r for r in single[:1] if r is not None]
        found += [*self.quick_quotes, *self.publication, *self.reservations]
        found += [r for r in single[1:] if r is not None]
        found += [*self.payment_terms, *self.goals, *self.provisions]
        return found

    def rule(self, key: str) -> Rule:
        """The rule named `key` (KeyError if the pack has none)."""
        for candidate in self.rules():
            if candidate.key == key:
                return candidate
        raise KeyError(key)

    def scale(self, *, employees: int | None, annual_turnover: Decimal | None) -> str | None:
        """The size of a firm under this pack's definition: "micro", "small", "medium" or
        "large"; None when the definition needs a figure that is missing, or when the pack
        computes no size (the law defines it elsewhere: the declaration stands).

        A firm is of the smallest size whose every limit it meets (employees at most, annual
        turnover in the pack's currency at most); past every size, it is the rule's `above`.
        A missing figure matters only when the known ones do not already rule the size out.
        """
        if (employees is not None and employees < 0) or (
            annual_turnover is not None and annual_turnover < 0
        ):
            raise ValueError("employees and turnover cannot be negative")
        if not self.scale_is_computed:
            return None
        assert self.scale_rule is not None
        for band in self.scale_rule.bands:
            limits = [
                (band.max_employees, None if employees is None else Decimal(employees)),
                (band.max_turnover, annual_turnover),
            ]
            relevant = [(limit, figure) for limit, figure in limits if limit is not None]
            if any(figure is not None and figure > limit for limit, figure in relevant):
                continue
            if any(figure is None for _, figure in relevant):
                return None
            return band.scale
        return self.scale_rule.above
