"""Fixing a lot's ranking: what `evaluation_complete` does when no right to cover is pending,
and what the answer to a right to cover (or its deadline) does afterwards.

The computed ranking passes through the `adjustments` hook (the rule pack's preferences, with
the answer to the right to cover when there was one), is stored with every adjustment in the
four languages, the assessments' ranks follow it, and the tender's release is published.

This module schedules no task, so the task module may import what imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.transitions import transition
from pregon.evaluation.adjustments import (
    Adjustment,
    CoverAnswer,
    LotContext,
    RankedBid,
    adjustments_apply,
)
from pregon.evaluation.choices import TRANSITIONS, Compliance, CoverStatus
from pregon.evaluation.models import BidAssessment, Evaluation, RightToCover
from pregon.evaluation.preferences import bidder_facts, tender_pack
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.tenders.choices import ContentLanguage
from pregon.tenders.models import Tender


def tender_language(tender: Tender) -> str:
    """The tender's language as the platform's language codes name it."""
    return "pt-br" if tender.language == ContentLanguage.PT else str(tender.language)


def lot_context(evaluation: Evaluation, *, cover: CoverAnswer | None = None) -> LotContext:
    """What the adjusters know of the lot (`evaluation.tender` and `.lot` loaded)."""
    tender: Tender = evaluation.tender
    return LotContext(
        ocid=str(tender.ocid),
        lot=str(evaluation.lot.number),
        award_criteria=tender.award_criteria,
        currency=tender.currency,
        pack=tender_pack(tender).ref,
        method=tender.method,
        language=tender_language(tender),
        lot_value=evaluation.lot.estimated_value,
        rates={
            unit: Decimal(rate)
            for unit, rate in settings.PREGON_RULE_RATES.get(tender.currency, {}).items()
        },
        cover=cover,
    )


def qualified_ranked(assessments: list[BidAssessment]) -> list[BidAssessment]:
    """The qualified assessments in their computed order."""
    return sorted(
        (a for a in assessments if a.compliance == Compliance.QUALIFIED),
        key=lambda a: a.rank or 0,
    )


def computed_ranking(qualified: list[BidAssessment]) -> list[RankedBid]:
    """The qualified bids as the adjusters receive them, with their bidders' facts."""
    ranked = []
    for a in qualified:
        eligible, scale, characteristics = bidder_facts(a.supplier)
        ranked.append(
            RankedBid(
                bid=str(a.bid_id),
                supplier=a.supplier.party_id,
                scale=scale or "",
                price=a.price,
                total=a.total_points,
                received_at=a.received_at,
                rank=a.rank or 0,
                eligible=eligible,
                characteristics=characteristics,
                bidder=a.supplier.display_name,
            )
        )
    return ranked


def cover_answer(cover: RightToCover | None) -> CoverAnswer | None:
    """An answered right to cover as the adjusters read it (None for none, or an open one)."""
    if cover is None or cover.status == CoverStatus.OFFERED:
        return None
    return CoverAnswer(
        bid=str(cover.assessment.bid_id),
        best_bid=str(cover.best.bid_id),
        best_price=cover.best_price,
        price=cover.price if cover.status == CoverStatus.IMPROVED else None,
    )


def _stored(adjustment: Adjustment) -> dict[str, Any]:
    stored: dict[str, Any] = {
        "rule": adjustment.rule,
        "explanation": adjustment.explanation,
        "bid": adjustment.bid,
    }
    if adjustment.kind:
        stored["kind"] = adjustment.kind
    if adjustment.bids:
        stored["bids"] = list(adjustment.bids)
    if adjustment.explanations:
        stored["explanations"] = dict(adjustment.explanations)
    return stored


def ranking_fix(
    *,
    actor: Actor,
    evaluation: Evaluation,
    assessments: list[BidAssessment],
    move: str,
    cover: RightToCover | None = None,
) -> Evaluation:
    """Complete the locked `evaluation` along `move` (`complete`, or `cover_answered` after a
    right to cover): the adjusted ranking and its adjustments stored, ranks updated, the audit
    row written and the release published. The caller holds the locks and the transaction."""
    tender: Tender = evaluation.tender
    transition(evaluation, move, TRANSITIONS)
    qualified = qualified_ranked(assessments)
    computed = computed_ranking(qualified)
    final, adjustments = adjustments_apply(
        lot_context(evaluation, cover=cover_answer(cover)), computed
    )
    places = {entry.bid: entry.rank for entry in final}
    for assessment in qualified:
        place = places[str(assessment.bid_id)]
        if assessment.rank != place:
            assessment.rank = place
            assessment.save(update_fields=["rank"])
    computed_ranks: Mapping[str, int] = {c.bid: c.rank for c in computed}
    evaluation.ranking = [
        {
            "bid": entry.bid,
            "rank": entry.rank,
            "computedRank": computed_ranks[entry.bid],
            "price": str(entry.price),
            "total": None if entry.total is None else str(entry.total),
        }
        for entry in final
    ]
    evaluation.adjustments = [_stored(a) for a in adjustments]
    evaluation.completed_at = clock.now()
    evaluation.save(update_fields=["status", "ranking", "adjustments", "completed_at"])
    audit_record(
        actor=actor,
        action="evaluation.complete",
        target=evaluation,
        summary={
            "lot": evaluation.lot.number,
            "ranking": [entry.bid for entry in final],
            "adjustments": [
                {"rule": a.rule, "explanation": a.explanation, "bid": a.bid} for a in adjustments
            ],
        },
    )
    publication_record(ocid=str(tender.ocid), tag=ReleaseTag.TENDER_UPDATE)
    return evaluation


def ranking_price(evaluation: Evaluation, bid_id: object) -> Decimal | None:
    """A bid's price in the fixed ranking (its covering price when it covered the best offer);
    None when it is not ranked."""
    for row in evaluation.ranking or []:
        if row.get("bid") == str(bid_id):
            return Decimal(row["price"])
    return None
