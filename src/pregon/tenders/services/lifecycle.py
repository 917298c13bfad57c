"""A tender's public life: publication (which schedules the close at the deadline), amendments
while it is open, and cancellation. Closing itself is in `closing`, which the task runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pregon import rules
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import ValidationFailed
from pregon.core.versions import ExpectedVersion
from pregon.planning.services import plan_line_unfollow
from pregon.publication.choices import ReleaseTag
from pregon.publication.identifiers import ocid_for
from pregon.publication.services import publication_record
from pregon.rules import MissingRate, Money, Pack

# The task module imports `closing` only; this module schedules the task. The module object
# (not the task) is imported, so that whichever of the two Python loads first, the other
# finds what it needs by the time it runs.
from pregon.tenders import tasks
from pregon.tenders.choices import AMENDABLE_FIELDS, REASON_MAX_LENGTH, TenderStatus
from pregon.tenders.models import Amendment, Tender
from pregon.tenders.rule_packs import (
    basis_text,
    buyer_today,
    missing_rate,
    pack_of,
    rates_for,
    subcontracting_rule,
    text,
)
from pregon.tenders.services.committee import committee_problems
from pregon.tenders.services.common import (
    move,
    require_buyer,
    require_version,
    save_changed,
    tender_lock,
    tender_require_open,
)
from pregon.tenders.services.criteria import award_criteria_apply, validate_criteria_given
from pregon.tenders.services.data import (
    CRITERIA_CODES,
    CRITERIA_FIELDS,
    OFFER_FIELDS,
    AmendmentData,
)
from pregon.tenders.services.documents import store_document
from pregon.tenders.services.reservation import lots_reserve, quota_problems, reserved_lots
from pregon.tenders.services.validation import check_text, validate_dates, validate_fields


def _schedule_close(tender: Tender) -> None:
    """Enqueue the close for the tender's deadline, once the transaction commits."""
    tender_id, deadline = tender.pk, tender.submission_deadline
    transaction.on_commit(
        lambda: tasks.close_tender_at_deadline.using(run_after=deadline).enqueue(tender_id)
    )


def _period_problem(tender: Tender, pack: Pack, now: dt.datetime) -> str | None:
    """Whether the bid deadline leaves the least period between publication and closing: the
    pack's for the method, value and category (`rules.publication_minimum`), else the
    platform's `PREGON_MIN_SUBMISSION_DAYS` for the method."""
    try:
        found = rules.publication_minimum(
            pack,
            method=tender.method,
            value=Money(amount=tender.estimated_value, currency=tender.currency),
            category=tender.category,
            rates=rates_for(tender.currency),
        )
    except MissingRate as error:
        return str(missing_rate(error, pack, field="submission_deadline"))
    if found is None:
        minimum = settings.PREGON_MIN_SUBMISSION_DAYS.get(tender.method, 0)
        if tender.submission_deadline >= now + dt.timedelta(days=minimum):
            return None
        return _(
            "The bid deadline must be at least %(days)s days after publication for this "
            "method; move it to %(date)s or later."
        ) % {"days": minimum, "date": (now + dt.timedelta(days=minimum)).date().isoformat()}
    # Business days are counted on the buyer's calendar, from the day of publication.
    today = now.astimezone(ZoneInfo(tender.buyer.effective_time_zone)).date()
    span = (rules.earliest_closing(today, found.period) - today).days
    earliest = now + dt.timedelta(days=span)
    if tender.submission_deadline >= earliest:
        return None
    template = (
        _(
            "The bid deadline must be at least %(days)s business days after publication "
            "(%(rule)s, %(basis)s); move it to %(date)s or later."
        )
        if found.period.business_days
        else _(
            "The bid deadline must be at least %(days)s days after publication "
            "(%(rule)s, %(basis)s); move it to %(date)s or later."
        )
    )
    return template % {
        "days": found.period.days,
        "rule": text(found.rule.title),
        "basis": basis_text(found.rule),
        "date": earliest.date().isoformat(),
    }


def _undivided_problem(tender: Tender, pack: Pack, lots: int) -> str | None:
    """Divide or explain: a single-lot tender above the pack's threshold needs the buyer's
    public reason for not dividing it (`rules.divide_or_explain`)."""
    try:
        rule = rules.divide_or_explain(
            pack,
            value=Money(amount=tender.estimated_value, currency=tender.currency),
            lots=lots,
            rates=rates_for(tender.currency),
        )
    except MissingRate as error:
        return str(missing_rate(error, pack, field="undivided_reason"))
    if rule is None or tender.undivided_reason.strip():
        return None
    return _(
        "This tender has a single lot: give the reason for not dividing it into lots, which "
        "will be public (%(rule)s, %(basis)s)."
    ) % {"rule": text(rule.title), "basis": basis_text(rule)}


def _subcontracting_problem(tender: Tender, pack: Pack) -> str | None:
    """The share to subcontract to smaller firms must be one the pack lets the buyer require
    (`rules.subcontracting`), and given where the pack requires one."""
    share = tender.subcontracting_share
    try:
        rule = subcontracting_rule(tender, pack=pack)
    except ValidationFailed as refused:
        return str(refused) if share is not None else None
    if rule is None:
        if share is None:
            return None
        return _(
            "The rules of %(pack)s do not let the buyer require subcontracting to smaller firms "
            "in this tender; remove the share to subcontract."
        ) % {"pack": pack.ref}
    maximum = rule.max_share * 100
    if share is None:
        if rule.obligation != "must":
            return None
        return _(
            "Give the share of the contract the winner must subcontract to smaller firms, up "
            "to %(max)s%% (%(rule)s, %(basis)s)."
        ) % {"max": f"{maximum.normalize():f}", "rule": text(rule.title), "basis": basis_text(rule)}
    if share <= maximum:
        return None
    return _(
        "The share to subcontract to smaller firms may be at most %(max)s%% (%(rule)s, %(basis)s)."
    ) % {"max": f"{maximum.normalize():f}", "rule": text(rule.title), "basis": basis_text(rule)}


def publication_problems(
    tender: Tender, *, now: dt.datetime | None = None, pack: Pack | None = None
) -> list[str]:
    """Why a draft cannot be published yet (empty when it can), under `pack` (by default the
    one in force for the buyer's country today)."""
    now = now or clock.now()
    pack = pack or pack_of(tender)
    problems = []
    lots = list(tender.lots.prefetch_related("items"))
    if not lots:
        problems.append(_("Add at least one lot."))
    for lot in lots:
        if not lot.items.all():
            problems.append(_("Lot %(number)s has no items.") % {"number": lot.number})
    if tender.estimated_value <= 0:
        problems.append(_("Give the estimated value."))
    for problem in (
        _period_problem(tender, pack, now),
        _undivided_problem(tender, pack, len(lots)),
        _subcontracting_problem(tender, pack),
    ):
        if problem is not None:
            problems.append(problem)
    problems.extend(quota_problems(tender, pack=pack))
    if tender.enquiry_end <= now:
        problems.append(_("The period for questions must end after publication."))
    problems.extend(committee_problems(tender))
    return problems


def tender_publish(
    *, actor: Actor, tender: Tender, expected_version: ExpectedVersion | None = None
) -> Tender:
    """Publish a draft: it becomes public and open for questions and bids until the deadline."""
    require_buyer(actor, tender)
    with transaction.atomic():
        locked = tender_lock(tender)
        require_version(locked, expected_version)
        move(locked, "publish")
        now = clock.now()
        # The pack in force on the day of publication, which the tender keeps for good.
        pack = pack_of(locked, on=buyer_today(locked))
        try:
            lots_reserve(locked, pack=pack)
        except ValidationFailed as refused:
            raise ValidationFailed(
                str(refused), code="not_publishable", errors={"__all__": [str(refused)]}
            ) from None
        problems = publication_problems(locked, now=now, pack=pack)
        if problems:
            raise ValidationFailed(
                " ".join(problems), code="not_publishable", errors={"__all__": problems}
            )
        locked.published_at = now
        locked.updated_at = now
        locked.rule_pack = pack.ref
        save_changed(locked)
        audit_record(
            actor=actor,
            action="tender.publish",
            target=locked,
            summary={
                "deadline": locked.submission_deadline,
                "rule_pack": locked.rule_pack,
                **({"reserved_lots": numbers} if (numbers := reserved_lots(locked)) else {}),
            },
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER)
        _schedule_close(locked)
    return locked


def _check_reason(reason: str, empty: str) -> None:
    if not reason.strip():
        raise ValidationFailed(empty, field="reason")
    check_text(reason, "reason", limit=REASON_MAX_LENGTH)


def tender_cancel(
    *,
    actor: Actor,
    tender: Tender,
    reason: str,
    expected_version: ExpectedVersion | None = None,
) -> Tender:
    """Cancel a tender, stating why. Public tenders stay public with the reason shown; a draft
    drafted from a plan line gives the line back (it is coming soon again)."""
    require_buyer(actor, tender)
    _check_reason(
        reason, _("Say why the tender is cancelled; bidders and the public will read it.")
    )
    with transaction.atomic():
        locked = tender_lock(tender)
        require_version(locked, expected_version)
        previous = move(locked, "cancel")
        now = clock.now()
        locked.cancelled_at = now
        locked.cancellation_reason = reason.strip()
        locked.updated_at = now
        save_changed(locked)
        audit_record(
            actor=actor,
            action="tender.cancel",
            target=locked,
            summary={"from": previous, "reason": locked.cancellation_reason},
        )
        if previous != TenderStatus.DRAFT:
            # A draft was never public: its cancellation is not published either.
            publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER_CANCELLATION)
        elif locked.plan_line is not None:
            # The plan line the draft followed is coming soon again, and gets its ocid back
            # (the draft takes one of its own), so that another tender may follow it.
            line = locked.plan_line
            locked.plan_line = None
            locked.ocid = ocid_for(locked.pk)
            locked.save(update_fields=["plan_line", "ocid"])
            plan_line_unfollow(actor=actor, line=line, follower=locked.reference)
    return locked


def tender_amend(
    *,
    actor: Actor,
    tender: Tender,
    data: AmendmentData,
    expected_version: ExpectedVersion | None = None,
) -> Amendment:
    """Change an open tender, with a public reason.

    If the change alters what bidders must offer (description, value, criteria, documents),
    the deadline is moved so that bidders keep at least PREGON_AMENDMENT_MIN_DAYS; the
    opening and the end of questions move with it when they would fall before. A tender past
    its deadline is no longer open, even before the close task has run.

    The award criteria (the code, the price formula, the weighted criteria, the notes) were
    published with the tender: an amendment may change them only if it also moves the bid
    deadline later, by the minimum above or by a new deadline it gives; otherwise it is refused.
    """
    require_buyer(actor, tender)
    _check_reason(data.reason, _("Say why the tender is amended."))
    validate_fields(data, partial=True)
    validate_criteria_given(
        award_criteria=data.award_criteria, price_scoring=data.price_scoring, criteria=data.criteria
    )
    with transaction.atomic():
        locked = tender_lock(tender)
        require_version(locked, expected_version)
        move(locked, "amend")
        now = clock.now()
        tender_require_open(locked, now)
        # Read from the locked row: the caller's instance may predate another amendment.
        previous_deadline = locked.submission_deadline
        previous_opening, previous_enquiry_end = locked.opening_at, locked.enquiry_end
        changes: dict[str, list[Any]] = {}
        for name in AMENDABLE_FIELDS:
            if name in CRITERIA_CODES:
                continue
            new = getattr(data, name)
            if new is not None and new != getattr(locked, name):
                changes[name] = [getattr(locked, name), new]
                setattr(locked, name, new)
        changes.update(
            award_criteria_apply(
                locked,
                award_criteria=data.award_criteria,
                price_scoring=data.price_scoring,
                criteria=data.criteria,
            )
        )
        if not changes and not data.documents:
            raise ValidationFailed(_("The amendment changes nothing."), code="empty_amendment")
        # The deadline was ahead (the tender is open), so a deadline that does not come
        # forward stays ahead.
        if locked.submission_deadline < previous_deadline:
            raise ValidationFailed(
                _("An amendment cannot bring the deadline forward."), field="submission_deadline"
            )
        changes_offer = bool(OFFER_FIELDS & changes.keys()) or bool(data.documents)
        if changes_offer:
            earliest = now + dt.timedelta(days=settings.PREGON_AMENDMENT_MIN_DAYS)
            if locked.submission_deadline < earliest:
                shift = earliest - locked.submission_deadline
                locked.submission_deadline = earliest
                if locked.opening_at < locked.submission_deadline:
                    locked.opening_at += shift
                if locked.enquiry_end <= now:
                    locked.enquiry_end = min(now + dt.timedelta(days=1), earliest)
                changes["submission_deadline"] = [previous_deadline, earliest]
                # The moved dates are part of the public record of what the amendment changed.
                if locked.opening_at != previous_opening:
                    changes["opening_at"] = [previous_opening, locked.opening_at]
                if locked.enquiry_end != previous_enquiry_end:
                    changes["enquiry_end"] = [previous_enquiry_end, locked.enquiry_end]
        if CRITERIA_FIELDS & changes.keys() and locked.submission_deadline <= previous_deadline:
            raise ValidationFailed(
                _(
                    "The award criteria were published with the tender: they can change only in "
                    "an amendment that moves the bid deadline later. Give a later bid deadline "
                    "in this amendment."
                ),
                field="submission_deadline",
                code="criteria_need_later_deadline",
            )
        validate_dates(locked.enquiry_end, locked.submission_deadline, locked.opening_at)
        locked.updated_at = now
        save_changed(locked)
        number = (locked.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
        amendment = Amendment.objects.create(
            tender=locked,
            number=number,
            reason=data.reason.strip(),
            changes=_jsonable_changes(changes),
            changes_offer=changes_offer,
            previous_deadline=previous_deadline,
            new_deadline=locked.submission_deadline,
            created_by=actor.user,
        )
        for document in data.documents:
            stored = store_document(actor, locked, document, amendment=amendment)
            amendment.changes.setdefault("documents", []).append(stored.title)
        if data.documents:
            amendment.save(update_fields=["changes"])
        audit_record(
            actor=actor,
            action="tender.amend",
            target=locked,
            summary={"amendment": number, "changes": amendment.changes, "reason": amendment.reason},
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER_AMENDMENT)
        if locked.submission_deadline != previous_deadline:
            _schedule_close(locked)
    return amendment


def _jsonable_changes(changes: dict[str, list[Any]]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    return {name: [plain(old), plain(new)] for name, (old, new) in changes.items()}
