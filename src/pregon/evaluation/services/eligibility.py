"""Offers on a lot reserved for others, refused when the lot's evaluation starts.

The lots a sealed bid offers are known only at the opening, so submission refuses a bid only
when no lot of the tender is open to its bidder (`tenders.rule_packs.tender_open_to`): a large
firm may seal a price for a lot reserved for micro and small enterprises beside its price for
an open lot. When a member starts the evaluation of a reserved lot (`evaluation_start`), every
offer whose bidder the reservation does not admit (`tenders.rule_packs.lot_open_to`, which also
judges a consortium by its members) is disqualified by the platform, once: the reason is the
rule's, kept in each of the platform's languages, shown on the report, in the bidder's notice
and published as the bid's `disqualified` status. The committee cannot qualify it again.

This module schedules no task, so the task module may import what imports it.
"""

from __future__ import annotations

from django.utils import translation

from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.evaluation.choices import Compliance
from pregon.evaluation.models import BidAssessment, Evaluation
from pregon.evaluation.preferences import LANGUAGES
from pregon.evaluation.services.completion import tender_language
from pregon.organizations.models import Organization
from pregon.tenders.models import Lot
from pregon.tenders.rule_packs import lot_open_to


def reserved_lot_refusal(lot: Lot, supplier: Organization) -> dict[str, str] | None:
    """Why `supplier` may not be evaluated in `lot`, by language code ("en", "es", "pt-br",
    "fr"); None when the lot is open to it (not reserved, or its reservation admits it)."""
    if lot_open_to(lot, supplier) is None:
        return None
    reasons: dict[str, str] = {}
    for language in LANGUAGES:
        with translation.override(language):
            reasons[language] = str(lot_open_to(lot, supplier) or "")
    return reasons


def ineligible_offers_refuse(
    *, actor: Actor, evaluation: Evaluation, assessments: list[BidAssessment]
) -> list[BidAssessment]:
    """Disqualify the offers of `evaluation`'s lot whose bidders its reservation does not admit
    (see the module), each with its audit row; returns them. Runs inside `evaluation_start`'s
    transaction, on the assessments it has just created (their `supplier` loaded)."""
    lot: Lot = evaluation.lot
    if not lot.reserved:
        return []
    language = tender_language(evaluation.tender)
    refused = []
    for assessment in assessments:
        reasons = reserved_lot_refusal(lot, assessment.supplier)
        if reasons is None:
            continue
        assessment.compliance = Compliance.DISQUALIFIED
        assessment.ineligible = True
        assessment.reasons = reasons
        assessment.reason = reasons.get(language) or reasons["en"]
        assessment.save(update_fields=["compliance", "ineligible", "reasons", "reason"])
        audit_record(
            actor=actor,
            action="evaluation.refuse_ineligible",
            target=assessment,
            summary={
                "lot": lot.number,
                "bid": assessment.bid_id,
                "supplier": assessment.supplier.display_name,
                "compliance": assessment.compliance,
                "reason": assessment.reason,
            },
        )
        refused.append(assessment)
    return refused
