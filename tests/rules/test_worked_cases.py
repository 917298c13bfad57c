"""Runs the worked cases of `tests/rules/worked/` (one table per rule of every pack), and checks
that no rule of any shipped pack is left without a case."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from pregon.rules import cli as rules_cli
from pregon.rules import pack, packs
from pregon.rules.model import GoalRule, Provision
from pregon.rules.preferences import (
    CoverRefused,
    RankingInput,
    apply_preferences,
    cover_resolve,
)
from pregon.rules.procedures import (
    benefits_apply,
    divide_or_explain,
    payment_term,
    publication_minimum,
    quick_quote,
    quota,
    reservation_decide,
    subcontracting,
)

from .worked import (
    Case,
    CeilingCase,
    DivideCase,
    GoalCase,
    PaymentCase,
    PreferenceCase,
    ProvisionCase,
    PublicationCase,
    QuickQuoteCase,
    QuotaCase,
    ReservationCase,
    ScaleCase,
    SubcontractingCase,
    br,
    cl,
    co,
    generic,
    py,
    us,
)

MODULES = (br, cl, co, py, us, generic)
TABLES = (
    "SCALE",
    "QUICK_QUOTE",
    "PUBLICATION",
    "RESERVATION",
    "QUOTA",
    "SUBCONTRACTING",
    "CEILING",
    "DIVIDE",
    "PAYMENT",
    "PREFERENCES",
    "GOALS",
    "PROVISIONS",
)


def _cases(table: str) -> list[Any]:
    found = [case for module in MODULES for case in getattr(module, table, [])]
    return [pytest.param(case, id=case.id) for case in found]


def _all() -> list[Case]:
    return [case for module in MODULES for table in TABLES for case in getattr(module, table, [])]


def test_every_rule_of_every_pack_has_worked_cases() -> None:
    covered = {(case.pack, case.covered) for case in _all()}
    rules = {(p.code, rule.key) for p in packs() for rule in p.rules()}
    assert rules - covered == set()
    assert covered - rules == set()  # no case names a rule that does not exist


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in _all()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", _cases("SCALE"))
def test_scale(case: ScaleCase) -> None:
    found = pack(case.pack)
    turnover = None if case.turnover is None else Decimal(case.turnover)
    assert found.scale(employees=case.employees, annual_turnover=turnover) == case.expected
    assert found.scale_rule is not None
    assert case.shown in found.scale_rule.explanation.en


@pytest.mark.parametrize("case", _cases("QUICK_QUOTE"))
def test_quick_quote(case: QuickQuoteCase) -> None:
    found = pack(case.pack)
    rule = quick_quote(found, category=case.category, value=case.value, rates=case.rates)
    if case.rule is None:
        assert rule is None
        return
    assert rule is not None
    assert rule.key == case.rule
    assert rule.min_quotes == case.min_quotes
    assert rule.min_notice == case.notice
    assert rule.restriction == case.restriction
    assert case.shown in rule.explanation.en


@pytest.mark.parametrize("case", _cases("PUBLICATION"))
def test_publication(case: PublicationCase) -> None:
    found = pack(case.pack)
    minimum = publication_minimum(
        found, method=case.method, value=case.value, category=case.category, rates=case.rates
    )
    if case.days is None:
        assert minimum is None
        return
    assert minimum is not None
    assert (minimum.period.days, minimum.period.business_days) == (case.days, case.business_days)
    assert minimum.rule.key == case.rule
    assert case.shown in minimum.rule.explanation.en


@pytest.mark.parametrize("case", _cases("RESERVATION"))
def test_reservation(case: ReservationCase) -> None:
    found = pack(case.pack)
    decision = reservation_decide(
        found,
        value=case.value,
        category=case.category,
        msme_requests=case.requests,
        expected_small_offers=case.expected_offers,
        rates=case.rates,
    )
    assert decision.obligation == case.obligation
    assert decision.pack == found.ref
    assert (decision.rule.key if decision.rule else None) == case.rule
    assert decision.explanation.en == case.shown
    if case.obligation == "no":
        assert decision.eligible is None
    else:
        assert decision.eligible is not None
        assert decision.eligible.scales == case.scales
    assert decision.may_limit_to_local == case.local_limit


@pytest.mark.parametrize("case", _cases("QUOTA"))
def test_quota(case: QuotaCase) -> None:
    rule = quota(
        pack(case.pack), category=case.category, divisible=case.divisible, value=case.value
    )
    assert (rule.max_share if rule else None) == case.share
    if rule is not None:
        assert case.shown in rule.explanation.en


@pytest.mark.parametrize("case", _cases("SUBCONTRACTING"))
def test_subcontracting(case: SubcontractingCase) -> None:
    rule = subcontracting(pack(case.pack), value=case.value)
    assert (rule.max_share if rule else None) == case.share
    assert (rule.obligation if rule else None) == case.obligation
    if rule is not None:
        assert case.shown in rule.explanation.en


@pytest.mark.parametrize("case", _cases("CEILING"))
def test_benefits_ceiling(case: CeilingCase) -> None:
    found = pack(case.pack)
    assert benefits_apply(found, item_value=case.value) is case.applies
    assert found.benefits_ceiling is not None
    assert case.shown in found.benefits_ceiling.explanation.en
    if not case.applies:
        decision = reservation_decide(found, value=case.value)
        assert decision.obligation == "no"
        assert "no benefit for smaller firms applies" in decision.explanation.en


@pytest.mark.parametrize("case", _cases("DIVIDE"))
def test_divide_or_explain(case: DivideCase) -> None:
    rule = divide_or_explain(pack(case.pack), value=case.value, lots=case.lots, rates=case.rates)
    assert (rule is not None) is case.required
    if rule is not None:
        assert case.shown in rule.explanation.en


@pytest.mark.parametrize("case", _cases("PAYMENT"))
def test_payment_term(case: PaymentCase) -> None:
    rule = payment_term(pack(case.pack), scale=case.scale)
    assert (rule.days if rule else None) == case.days
    assert (rule.kind if rule else None) == case.kind
    assert (rule.key if rule else None) == case.rule
    if rule is not None:
        assert case.shown in rule.explanation.en


def _ranking(case: PreferenceCase) -> RankingInput:
    return RankingInput(
        bids=case.bids,
        method=case.method,
        award_criteria=case.award_criteria,
        reverse_auction=case.reverse_auction,
        currency=case.currency,
        lot_value=None if case.lot_value is None else Decimal(case.lot_value),
        seed=case.seed,
    )


@pytest.mark.parametrize("case", _cases("PREFERENCES"))
def test_preferences(case: PreferenceCase) -> None:
    found = pack(case.pack)
    ranking = _ranking(case)
    result = apply_preferences(found, ranking)
    assert result.order == case.order
    assert tuple(a.kind for a in result.adjustments) == case.kinds
    assert (result.invitation.bid if result.invitation else None) == case.invited
    shown = [a.explanation.en for a in result.adjustments]
    for text in case.shown:
        assert text in shown
    if case.cover is None:
        return
    assert result.invitation is not None
    price = None if case.cover.price is None else Decimal(case.cover.price)
    if case.cover.refused:
        with pytest.raises(CoverRefused):
            cover_resolve(found, ranking, invitation=result.invitation, covering_price=price)
        return
    after = cover_resolve(found, ranking, invitation=result.invitation, covering_price=price)
    assert after.order == case.cover.order
    assert after.invitation is None
    assert after.adjustments[: len(result.adjustments)] == result.adjustments
    if case.cover.shown:
        assert after.adjustments[-1].explanation.en == case.cover.shown


@pytest.mark.parametrize("case", _cases("GOALS"))
def test_goals(case: GoalCase) -> None:
    rule = pack(case.pack).rule(case.covered)
    assert isinstance(rule, GoalRule)
    assert (rule.group, rule.share, rule.years) == (case.group, case.share, case.years)
    assert case.shown in rule.explanation.en


@pytest.mark.parametrize("case", _cases("PROVISIONS"))
def test_provisions_are_shown_with_their_basis(case: ProvisionCase) -> None:
    found = pack(case.pack)
    rule = found.rule(case.covered)
    assert isinstance(rule, Provision)
    assert str(rule.basis) == case.basis
    assert rule.title.en == case.shown
    out = io.StringIO()
    rules_cli.rules_show(found, out, "en")
    assert (
        f"[{rule.key}] {case.shown}\n  {rule.explanation.en}\n  Legal basis: {case.basis}\n"
        in out.getvalue()
    )
