"""A tender's award criteria: lowest price, or weighted criteria with a published price formula.

One function writes them, `award_criteria_apply`, on the tender's locked row, whichever door
the change comes through: a new draft (`drafting.tender_create`), a draft's edit
(`drafting.tender_update`), or an amendment of an open tender (`lifecycle.tender_amend`, which
also requires the amendment to move the bid deadline later). Published, the criteria are part
of the tender: they change only that way.

The database checks what one row can say (a weight of 1 to 100, a name used once per tender, at
most one price criterion, a price formula exactly when the criteria are weighted). What needs
every criterion of the tender at once (exactly one price criterion and at least one quality
criterion, weights adding up to exactly 100) is checked here, on the whole new set, while the
tender's row is locked: two edits at once cannot each pass and together break it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pregon.core.errors import ValidationFailed
from pregon.tenders.choices import (
    CRITERIA_MAX,
    CRITERIA_TOTAL_WEIGHT,
    CRITERION_DESCRIPTION_MAX_LENGTH,
    AwardCriteria,
    CriterionKind,
    PriceScoring,
)
from pregon.tenders.models import AwardCriterion, Tender
from pregon.tenders.services.data import CriterionData
from pregon.tenders.services.validation import check_column_text, check_text

_FIELD = "criteria"


def _refuse(message: str, field: str = _FIELD) -> ValidationFailed:
    return ValidationFailed(message, field=field)


def validate_criterion(criterion: CriterionData, number: int) -> None:
    """One criterion on its own: a name, a description within its limit, a kind, a weight of
    1 to 100 points. `number` (1, 2, …) names it in the messages."""
    name = criterion.name.strip() if isinstance(criterion.name, str) else ""
    if not name:
        raise _refuse(_("Criterion %(number)s: give it a name.") % {"number": number})
    try:
        check_column_text(AwardCriterion, "name", name)
        check_text(criterion.description or "", _FIELD, limit=CRITERION_DESCRIPTION_MAX_LENGTH)
    except ValidationFailed as error:
        raise _refuse(
            _("Criterion %(number)s: %(problem)s") % {"number": number, "problem": error.message}
        ) from None
    if criterion.kind not in CriterionKind.values:
        raise _refuse(
            _("Criterion %(number)s: choose whether it scores the price or a quality.")
            % {"number": number}
        )
    weight = criterion.weight
    if (
        isinstance(weight, bool)
        or not isinstance(weight, int)
        or not 1 <= weight <= CRITERIA_TOTAL_WEIGHT
    ):
        raise _refuse(
            _("Criterion %(number)s: give it a weight from 1 to %(total)s points.")
            % {"number": number, "total": CRITERIA_TOTAL_WEIGHT}
        )


def validate_criteria_given(
    *,
    award_criteria: str | None,
    price_scoring: str | None,
    criteria: list[CriterionData] | None,
) -> None:
    """The values given, each on its own, before anything is locked (None: not given)."""
    if award_criteria is not None and award_criteria not in AwardCriteria.values:
        raise _refuse(_("Choose lowest price or weighted criteria."), "award_criteria")
    if price_scoring and price_scoring not in PriceScoring.values:
        raise _refuse(_("Choose how prices are scored."), "price_scoring")
    if criteria is not None:
        if len(criteria) > CRITERIA_MAX:
            raise _refuse(
                _("A tender has at most %(max)s weighted criteria; this one has %(count)s.")
                % {"max": CRITERIA_MAX, "count": len(criteria)}
            )
        for number, criterion in enumerate(criteria, start=1):
            validate_criterion(criterion, number)


def validate_award_criteria(
    award_criteria: str, price_scoring: str, criteria: list[CriterionData]
) -> None:
    """The award criteria as a whole: lowest price with no formula and no weighted criteria;
    or weighted criteria with a price formula, exactly one price criterion, at least one quality
    criterion, names used once and weights adding up to exactly 100."""
    validate_criteria_given(
        award_criteria=award_criteria, price_scoring=price_scoring, criteria=criteria
    )
    if award_criteria == AwardCriteria.PRICE_ONLY:
        if price_scoring:
            raise _refuse(
                _(
                    "Lowest price has no price formula. Choose weighted criteria to score "
                    "prices with a formula."
                ),
                "price_scoring",
            )
        if criteria:
            raise _refuse(
                _(
                    "Lowest price has no weighted criteria. Choose weighted criteria, or remove "
                    "the criteria."
                )
            )
        return
    if not price_scoring:
        raise _refuse(_("Choose how prices are scored."), "price_scoring")
    if not criteria:
        raise _refuse(
            _(
                "Give the weighted criteria: the price and at least one quality criterion, "
                "with weights that add up to %(total)s points."
            )
            % {"total": CRITERIA_TOTAL_WEIGHT}
        )
    seen: set[str] = set()
    for criterion in criteria:
        key = criterion.name.strip().casefold()
        if key in seen:
            raise _refuse(
                _("Two criteria are named “%(name)s”; give each its own name.")
                % {"name": criterion.name.strip()}
            )
        seen.add(key)
    prices = sum(criterion.kind == CriterionKind.PRICE for criterion in criteria)
    if prices == 0:
        raise _refuse(_("Add the price criterion: weighted criteria have exactly one."))
    if prices > 1:
        raise _refuse(
            _("There are %(count)s price criteria; weighted criteria have exactly one.")
            % {"count": prices}
        )
    if prices == len(criteria):
        raise _refuse(
            _("Add at least one quality criterion. To compare prices alone, choose lowest price.")
        )
    total = sum(criterion.weight for criterion in criteria)
    if total != CRITERIA_TOTAL_WEIGHT:
        raise _refuse(
            _("The weights add up to %(sum)s points; they must add up to exactly %(total)s.")
            % {"sum": total, "total": CRITERIA_TOTAL_WEIGHT}
        )


def criteria_of(tender: Tender) -> list[CriterionData]:
    """The tender's weighted criteria as stored, in order (none for lowest price)."""
    return [
        CriterionData(name=row.name, kind=row.kind, weight=row.weight, description=row.description)
        for row in AwardCriterion.objects.filter(tender=tender).order_by("position")
    ]


def _normalized(criteria: list[CriterionData]) -> list[CriterionData]:
    return [
        CriterionData(
            name=criterion.name.strip(),
            kind=criterion.kind,
            weight=criterion.weight,
            description=(criterion.description or "").strip(),
        )
        for criterion in criteria
    ]


def criteria_lines(criteria: list[CriterionData]) -> list[str]:
    """The criteria as they are recorded in audit rows and amendments: one line each, the
    name, the kind's code and the weight (and the description, when there is one)."""
    lines = []
    for criterion in criteria:
        line = f"{criterion.name} ({criterion.kind}, {criterion.weight})"
        if criterion.description:
            line += f": {criterion.description}"
        lines.append(line)
    return lines


def award_criteria_apply(
    locked: Tender,
    *,
    award_criteria: str | None,
    price_scoring: str | None,
    criteria: list[CriterionData] | None,
) -> dict[str, list[Any]]:
    """Set the award criteria on the locked tender (the caller holds its row lock, has checked
    the tender's state, and saves the tender). Values left as None stay as they are; choosing
    lowest price drops the formula and the weighted criteria. The whole result is checked
    (`validate_award_criteria`) before anything is written.

    Returns what changed, as {field: [before, after]} ("criteria" as `criteria_lines`).
    """
    code = award_criteria if award_criteria is not None else locked.award_criteria
    before = criteria_of(locked)
    if code == AwardCriteria.PRICE_ONLY:
        scoring = price_scoring or ""
        new = _normalized(criteria or [])
    else:
        scoring = price_scoring if price_scoring is not None else locked.price_scoring
        new = _normalized(criteria) if criteria is not None else before
    validate_award_criteria(code, scoring, new)
    changes: dict[str, list[Any]] = {}
    if code != locked.award_criteria:
        changes["award_criteria"] = [locked.award_criteria, code]
        locked.award_criteria = code
    if scoring != locked.price_scoring:
        changes["price_scoring"] = [locked.price_scoring, scoring]
        locked.price_scoring = scoring
    if new != before:
        changes["criteria"] = [criteria_lines(before), criteria_lines(new)]
        AwardCriterion.objects.filter(tender=locked).delete()
        AwardCriterion.objects.bulk_create(
            AwardCriterion(
                tender=locked,
                position=position,
                name=criterion.name,
                description=criterion.description,
                kind=criterion.kind,
                weight=criterion.weight,
            )
            for position, criterion in enumerate(new, start=1)
        )
    return changes
