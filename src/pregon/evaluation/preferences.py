"""The country rule packs' preferences in a lot's evaluation: the adjuster registered with
`evaluation.adjustments`, and what it needs to know of a tender and of each bidder.

- **Which pack** (`tender_pack`): the version the tender keeps (`Tender.rule_pack`), else the
  pack of its buyer's country in force on the day it was published (docs/rule-packs.md).
- **Who the bidder is** (`bidder_facts`): from the supplier's profile, its scale (a
  self-employed person counts as a micro enterprise) and the characteristics the packs know
  (`women_led` for a women-owned firm, `local`, `cooperative`); a supplier whose evidence of
  its scale was rejected receives no preference.
- **What the pack does** (`rule_pack_adjuster`): `pregon.rules.apply_preferences` over the
  lot's ranking (margins, Brazil's fictitious tie, tie-breaking factors and the draw, seeded
  with ``"<ocid>/<lot>"``), and `cover_resolve` once a right to cover was answered. Every
  adjustment keeps its explanation in the four languages; each bid it names is followed by its
  bidder's name.
- **Whether the lot must wait** (`cover_invitation`): the invitation to cover the best offer
  that the pack makes for this ranking, if any (`services.cover` offers it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils.translation import gettext as _

from pregon.core.errors import ValidationFailed
from pregon.evaluation.adjustments import (
    Adjustment,
    AdjustmentRefused,
    CoverAnswer,
    LotContext,
    RankedBid,
)
from pregon.organizations.choices import LegalForm, Scale, ScaleStatus
from pregon.organizations.models import Organization
from pregon.organizations.selectors import consortium_members
from pregon.rules import (
    MSME_SCALES,
    BidEntry,
    CoverInvitation,
    CoverRefused,
    MissingRate,
    Pack,
    PreferenceResult,
    RankingInput,
    apply_preferences,
    cover_resolve,
    pack,
    pack_for_country,
)
from pregon.rules import Adjustment as RuleAdjustment
from pregon.tenders.models import Tender

#: The languages every adjustment is kept in (the platform's codes; `Text.get` reads them).
LANGUAGES = ("en", "es", "pt-br", "fr")

#: Our scales as the packs name them: a self-employed person is a micro enterprise.
_SCALES: dict[str, str] = {
    Scale.MICRO: "micro",
    Scale.SMALL: "small",
    Scale.MEDIUM: "medium",
    Scale.LARGE: "large",
    Scale.SELF_EMPLOYED: "micro",
}


def tender_pack(tender: Tender) -> Pack:
    """The rule pack a tender is evaluated under: the version it keeps (`Tender.rule_pack`,
    set at publication), else, for a tender published before the packs existed, the pack of
    its buyer's country in force on the day it was published."""
    if tender.rule_pack:
        return pack(tender.rule_pack)
    published = tender.published_at
    on: dt.date | None = published.date() if published is not None else None
    return pack_for_country(str(tender.buyer.country), on=on)


def bidder_facts(supplier: Organization) -> tuple[bool, str | None, frozenset[str]]:
    """What the packs need of a bidder: whether it may receive preferences, its scale in the
    packs' words (None when it declared none), and its characteristics. A consortium is as
    large as its largest member, receives preferences only when no member's evidence was
    rejected, and is a consortium of MSMEs, or a plural bidder with an MSME or a women-led
    member, by its members."""
    characteristics = set()
    if supplier.women_owned:
        characteristics.add("women_led")
    if supplier.is_local:
        characteristics.add("local")
    if supplier.is_cooperative or supplier.legal_form == LegalForm.COOPERATIVE:
        characteristics.add("cooperative")
    if supplier.hubzone:
        characteristics.add("hubzone")
    eligible = supplier.scale_status != ScaleStatus.REJECTED
    members = [m.member for m in consortium_members(supplier)]
    if members:
        msme = [_SCALES.get(m.scale) in MSME_SCALES for m in members]
        if all(msme):
            characteristics.add("msme_consortium")
        if any(msme):
            characteristics.add("plural_with_msme")
        if any(m.women_owned for m in members):
            characteristics.add("plural_with_women_led")
        eligible = all(m.scale_status != ScaleStatus.REJECTED for m in members)
    return eligible, _SCALES.get(supplier.scale), frozenset(characteristics)


def _ranking_input(context: LotContext, ranking: list[RankedBid]) -> RankingInput:
    return RankingInput(
        bids=tuple(
            BidEntry(
                bid=b.bid,
                price=b.price,
                eligible=b.eligible,
                scale=b.scale or None,
                characteristics=b.characteristics,
                rank=b.rank,
                score=b.total,
            )
            for b in ranking
        ),
        method=context.method,
        award_criteria=context.award_criteria,
        currency=context.currency,
        lot_value=context.lot_value,
        rates=context.rates,
        seed=f"{context.ocid}/{context.lot}",
    )


def _invitation(rules: Pack, context: LotContext, ranking: list[RankedBid]) -> PreferenceResult:
    try:
        return apply_preferences(rules, _ranking_input(context, ranking))
    except MissingRate as missing:
        # A rule's figure is in another unit and the operator gave no rate for this currency:
        # never guessed (PREGON_RULE_RATES).
        raise ValidationFailed(
            _(
                "The rule pack %(pack)s needs the rate of %(unit)s in %(currency)s "
                "(PREGON_RULE_RATES) to apply its preferences; ask the operator to set it."
            )
            % {"pack": rules.ref, "unit": missing.unit, "currency": missing.currency},
            code="rule_rate_missing",
        ) from missing


def cover_invitation(context: LotContext, ranking: list[RankedBid]) -> CoverInvitation | None:
    """The right to cover the pack offers in this lot's ranking (None: none, or no pack)."""
    if not context.pack or not ranking:
        return None
    return _invitation(pack(context.pack), context, ranking).invitation


def _named(text: str, names: dict[str, str]) -> str:
    for bid, name in names.items():
        if name:
            text = text.replace(bid, f"{bid} ({name})")
    return text


def _adjustment(made: RuleAdjustment, context: LotContext, names: dict[str, str]) -> Adjustment:
    explanations = {code: _named(made.explanation.get(code), names) for code in LANGUAGES}
    return Adjustment(
        rule=f"{made.pack}:{made.rule}",
        explanation=_named(made.explanation.get(context.language), names),
        bid=made.bids[0] if made.bids else "",
        kind=made.kind,
        bids=made.bids,
        explanations=explanations,
    )


def _resolve(
    rules: Pack, context: LotContext, ranking: list[RankedBid], cover: CoverAnswer
) -> PreferenceResult:
    invitation = _invitation(rules, context, ranking).invitation
    if invitation is None or (invitation.bid, invitation.best_bid, invitation.best_price) != (
        cover.bid,
        cover.best_bid,
        cover.best_price,
    ):
        raise AdjustmentRefused("the right to cover answered is not the one this ranking makes")
    try:
        return cover_resolve(
            rules,
            _ranking_input(context, ranking),
            invitation=invitation,
            covering_price=cover.price,
        )
    except CoverRefused as refused:
        raise AdjustmentRefused(str(refused)) from refused


def rule_pack_adjuster(
    context: LotContext, ranking: list[RankedBid]
) -> tuple[list[RankedBid], list[Adjustment]]:
    """The lot's ranking after its rule pack's preferences (see the module); an invitation to
    cover still unanswered is a bug of the caller (`AdjustmentRefused`)."""
    if not context.pack or not ranking:
        return ranking, []
    rules = pack(context.pack)
    if context.cover is not None:
        result = _resolve(rules, context, ranking, context.cover)
    else:
        result = _invitation(rules, context, ranking)
        if result.invitation is not None:
            raise AdjustmentRefused("a right to cover awaits its answer")
    by_bid = {b.bid: b for b in ranking}
    improved = dict(result.improved)
    order = [
        replace(by_bid[bid], price=improved[bid]) if bid in improved else by_bid[bid]
        for bid in result.order
    ]
    names = {b.bid: b.bidder for b in ranking}
    return order, [_adjustment(made, context, names) for made in result.adjustments]
