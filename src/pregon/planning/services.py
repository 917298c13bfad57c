"""Every change to a plan or a plan line goes through one of these functions (pages, commands,
the admin, and the tenders' service that drafts a tender from a line).

Each one checks that the actor is an official of the plan's buyer, locks the row it changes,
checks the allowed from-state (`choices.PLAN_TRANSITIONS`, `choices.LINE_TRANSITIONS`), writes
inside one transaction with its audit row and, when the change is public, publishes the line's
OCDS release in that transaction (`publication.services.publication_record`): `planning` when a
line is first published, `planningUpdate` when a published line changes or is withdrawn. A
refused action raises a `DomainError` and leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_WRITE_ROLES, OrganizationKind
from pregon.accounts.permissions import require_role
from pregon.core import classifications, clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import PermissionDenied, ValidationFailed
from pregon.core.procurement import (
    Category,
    ClassificationScheme,
    ContentLanguage,
    Currency,
    Method,
)
from pregon.core.transitions import transition
from pregon.core.validation import check_text
from pregon.organizations.models import Organization
from pregon.planning.choices import (
    LINE_TRANSITIONS,
    LINES_MAX,
    PLAN_DESCRIPTION_MAX_LENGTH,
    PLAN_TRANSITIONS,
    REASON_MAX_LENGTH,
    YEAR_MAX,
    YEAR_MIN,
    PlanLineStatus,
    Quarter,
)
from pregon.planning.models import Plan, PlanLine
from pregon.publication.choices import ReleaseTag
from pregon.publication.identifiers import PLAN_LINE_SERIES, ocid_for
from pregon.publication.services import publication_record


@dataclass(kw_only=True)
class PlanData:
    """A plan's own fields."""

    year: int
    title: str
    description: str = ""
    language: str = ContentLanguage.ES


@dataclass(kw_only=True)
class PlanLineData:
    """A plan line's fields: `quarter` 1 to 4; `reserved` the buyer's intention to reserve the
    procurement for micro, small and medium-sized enterprises."""

    description: str
    classification_scheme: str
    classification_code: str
    estimated_value: Decimal
    currency: str
    quarter: int
    method: str
    category: str
    reserved: bool = False


#: The fields of a line that `PlanLineData` sets, in the order changes are recorded.
LINE_FIELDS = (
    "description",
    "classification_scheme",
    "classification_code",
    "estimated_value",
    "currency",
    "quarter",
    "method",
    "category",
    "reserved",
)


# ---------------------------------------------------------------------------------------------
# checks


def require_official(actor: Actor, buyer: Organization) -> None:
    """Refuse anyone but an official of `buyer`."""
    require_role(actor, buyer, BUYER_WRITE_ROLES)


def _column_limit(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def _choice(value: Any, choices: type[models.Choices], name: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationFailed(message, field=name)


def validate_plan(data: PlanData) -> None:
    """A plan's year, title, description and language."""
    if not isinstance(data.year, int) or not YEAR_MIN <= data.year <= YEAR_MAX:
        raise ValidationFailed(
            _("Give a year from %(first)s to %(last)s.") % {"first": YEAR_MIN, "last": YEAR_MAX},
            field="year",
        )
    if not data.title.strip():
        raise ValidationFailed(_("Give the plan a title."), field="title")
    check_text(data.title.strip(), "title", limit=_column_limit(Plan, "title"))
    check_text(data.description, "description", limit=PLAN_DESCRIPTION_MAX_LENGTH)
    _choice(data.language, ContentLanguage, "language", _("Choose a language."))


def validate_line(data: PlanLineData) -> None:
    """A line's description, classification, value, quarter, method and category."""
    if not data.description.strip():
        raise ValidationFailed(_("Describe what will be bought."), field="description")
    check_text(
        data.description.strip(), "description", limit=_column_limit(PlanLine, "description")
    )
    _choice(
        data.classification_scheme,
        ClassificationScheme,
        "classification_scheme",
        _("Choose CPV or UNSPSC."),
    )
    code = data.classification_code.strip()
    check_text(code, "classification_code", limit=None)
    if not classifications.is_valid(data.classification_scheme, code):
        raise ValidationFailed(
            _("%(code)s is not a %(scheme)s code we know. Pick one from the list.")
            % {"code": code, "scheme": data.classification_scheme},
            field="classification_code",
        )
    _check_value(data.estimated_value)
    _choice(data.currency, Currency, "currency", _("Choose a currency."))
    _choice(data.quarter, Quarter, "quarter", _("Choose a quarter from 1 to 4."))
    _choice(data.method, Method, "method", _("Choose a procurement method."))
    _choice(data.category, Category, "category", _("Choose a main category."))


def _check_value(value: Decimal | None) -> None:
    """An estimated value above zero that the column holds exactly."""
    if isinstance(value, int | float):
        value = Decimal(str(value))
    if value is None or not value.is_finite():
        raise ValidationFailed(_("Give a number."), field="estimated_value")
    if value <= 0:
        raise ValidationFailed(
            _("Give the estimated value: more than zero."), field="estimated_value"
        )
    column = PlanLine._meta.get_field("estimated_value")
    assert isinstance(column, models.DecimalField)
    places, digits = column.decimal_places or 0, column.max_digits or 0
    if value >= Decimal(10) ** (digits - places):
        raise ValidationFailed(_("This number is too large."), field="estimated_value")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed(
            _("Use at most %(places)s decimal places.") % {"places": places},
            field="estimated_value",
        )


def _plan_lock(plan: Plan) -> Plan:
    """The plan's row, read again under a lock held until the transaction ends."""
    return Plan.objects.select_for_update().select_related("buyer").get(pk=plan.pk)


def _line_lock(line: PlanLine) -> PlanLine:
    """The line's row (with its plan and buyer), read again under a lock until the end of the
    transaction: every check of its state reads this copy."""
    return (
        PlanLine.objects.select_for_update().select_related("plan", "plan__buyer").get(pk=line.pk)
    )


def _year_taken(year: int) -> ValidationFailed:
    return ValidationFailed(
        _("This buyer already has a plan for %(year)s.") % {"year": year}, field="year"
    )


# ---------------------------------------------------------------------------------------------
# plans


def plan_create(*, actor: Actor, buyer: Organization, data: PlanData) -> Plan:
    """A buyer official starts the draft plan of a year (one plan per buyer and year)."""
    if buyer.kind != OrganizationKind.BUYER:
        raise PermissionDenied(_("Only buyer organizations publish procurement plans."))
    require_official(actor, buyer)
    validate_plan(data)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                buyer=buyer,
                year=data.year,
                title=data.title.strip(),
                description=data.description.strip(),
                language=data.language,
                created_by=actor.user,
            )
            audit_record(
                actor=actor,
                action="plan.create",
                target=plan,
                summary={"year": plan.year, "title": plan.title},
            )
    except IntegrityError:
        raise _year_taken(data.year) from None
    return plan


def plan_update(*, actor: Actor, plan: Plan, data: PlanData) -> Plan:
    """Edit a draft plan's own fields (its lines change one by one)."""
    require_official(actor, plan.buyer)
    validate_plan(data)
    try:
        with transaction.atomic():
            locked = _plan_lock(plan)
            transition(locked, "edit", PLAN_TRANSITIONS)
            changes: dict[str, list[Any]] = {}
            wanted = {
                "year": data.year,
                "title": data.title.strip(),
                "description": data.description.strip(),
                "language": data.language,
            }
            for name, new in wanted.items():
                old = getattr(locked, name)
                if new != old:
                    changes[name] = [old, new]
                    setattr(locked, name, new)
            if changes:
                locked.updated_at = clock.now()
                locked.save()
                audit_record(
                    actor=actor, action="plan.update", target=locked, summary={"changes": changes}
                )
    except IntegrityError:
        raise _year_taken(data.year) from None
    return locked


def plan_publish(*, actor: Actor, plan: Plan) -> list[PlanLine]:
    """Publish the plan's draft lines: the plan itself the first time, then the lines added
    since. Each line becomes public as a `planning` release of its own process. Returns the
    lines published."""
    require_official(actor, plan.buyer)
    with transaction.atomic():
        locked = _plan_lock(plan)
        transition(locked, "publish", PLAN_TRANSITIONS)
        lines = list(
            PlanLine.objects.select_for_update()
            .filter(plan=locked, status=PlanLineStatus.DRAFT)
            .order_by("number")
        )
        if not lines:
            raise ValidationFailed(
                _("This plan has no draft line to publish. Add a line first."),
                code="nothing_to_publish",
            )
        now = clock.now()
        locked.published_at = locked.published_at or now
        locked.updated_at = now
        locked.save()
        for line in lines:
            transition(line, "publish", LINE_TRANSITIONS)
            line.published_at = now
            line.updated_at = now
            line.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(
            actor=actor,
            action="plan.publish",
            target=locked,
            summary={"year": locked.year, "published_lines": [line.number for line in lines]},
        )
        for line in lines:
            publication_record(ocid=line.ocid, tag=ReleaseTag.PLANNING)
    return lines


# ---------------------------------------------------------------------------------------------
# lines


def plan_line_add(*, actor: Actor, plan: Plan, data: PlanLineData) -> PlanLine:
    """Add a draft line to a plan (published with the plan, or by publishing the plan again
    once it is published). The line's process gets its ocid now."""
    require_official(actor, plan.buyer)
    validate_line(data)
    with transaction.atomic():
        locked = _plan_lock(plan)
        transition(locked, "add_line", PLAN_TRANSITIONS)
        number = (locked.lines.aggregate(n=Max("number"))["n"] or 0) + 1
        if number > LINES_MAX:
            raise ValidationFailed(
                _("A plan holds at most %(count)s lines.") % {"count": LINES_MAX},
                code="too_many_lines",
            )
        line = PlanLine.objects.create(plan=locked, number=number, **_line_values(data))
        line.ocid = ocid_for(line.pk, series=PLAN_LINE_SERIES)
        line.save(update_fields=["ocid"])
        audit_record(
            actor=actor,
            action="plan_line.add",
            target=line,
            summary={
                "year": locked.year,
                "line": number,
                "description": line.description,
                "classification": f"{line.classification_scheme} {line.classification_code}",
            },
        )
    return line


def _line_values(data: PlanLineData) -> dict[str, Any]:
    return {
        "description": data.description.strip(),
        "classification_scheme": data.classification_scheme,
        "classification_code": data.classification_code.strip(),
        "estimated_value": data.estimated_value,
        "currency": data.currency,
        "quarter": data.quarter,
        "method": data.method,
        "category": data.category,
        "reserved": bool(data.reserved),
    }


def plan_line_update(*, actor: Actor, line: PlanLine, data: PlanLineData) -> PlanLine:
    """Change a line. A published line's change is published at once, as a `planningUpdate`
    release; a change of nothing is refused there (it would publish nothing new)."""
    require_official(actor, line.plan.buyer)
    validate_line(data)
    with transaction.atomic():
        locked = _line_lock(line)
        transition(locked, "edit", LINE_TRANSITIONS)
        changes: dict[str, list[Any]] = {}
        for name, new in _line_values(data).items():
            old = getattr(locked, name)
            if new != old:
                changes[name] = [old, new]
                setattr(locked, name, new)
        public = locked.status == PlanLineStatus.PUBLISHED
        if not changes:
            if public:
                raise ValidationFailed(_("The change changes nothing."), code="empty_change")
            return locked
        locked.updated_at = clock.now()
        locked.save()
        audit_record(
            actor=actor,
            action="plan_line.update",
            target=locked,
            summary={"year": locked.plan.year, "line": locked.number, "changes": changes},
        )
        if public:
            publication_record(ocid=locked.ocid, tag=ReleaseTag.PLANNING_UPDATE)
    return locked


def plan_line_delete(*, actor: Actor, line: PlanLine) -> None:
    """Remove a draft line (nothing of it was ever public). Published lines are withdrawn."""
    require_official(actor, line.plan.buyer)
    with transaction.atomic():
        locked = _line_lock(line)
        transition(locked, "remove", LINE_TRANSITIONS)
        audit_record(
            actor=actor,
            action="plan_line.delete",
            target=locked,
            summary={
                "year": locked.plan.year,
                "line": locked.number,
                "description": locked.description,
            },
        )
        locked.delete()


def plan_line_withdraw(*, actor: Actor, line: PlanLine, reason: str) -> PlanLine:
    """Withdraw a published line that will not be bought, stating why: it stays public, with
    its OCDS `tender.status` `withdrawn` (a `planningUpdate` release) and the reason."""
    require_official(actor, line.plan.buyer)
    if not reason.strip():
        raise ValidationFailed(
            _("Say why the line is withdrawn; suppliers and the public will read it."),
            field="reason",
        )
    check_text(reason, "reason", limit=REASON_MAX_LENGTH)
    with transaction.atomic():
        locked = _line_lock(line)
        transition(locked, "withdraw", LINE_TRANSITIONS)
        now = clock.now()
        locked.withdrawn_at = now
        locked.withdrawal_reason = reason.strip()
        locked.updated_at = now
        locked.save()
        audit_record(
            actor=actor,
            action="plan_line.withdraw",
            target=locked,
            summary={
                "year": locked.plan.year,
                "line": locked.number,
                "reason": locked.withdrawal_reason,
            },
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.PLANNING_UPDATE)
    return locked


def plan_line_check_followable(line: PlanLine) -> None:
    """Refuse, before anything is drafted from it, a line that nothing may follow now (a draft,
    a withdrawn line, one already followed): the same refusal as `plan_line_follow`'s."""
    # An unsaved copy takes the check, so the caller's line keeps its state.
    transition(PlanLine(status=line.status), "follow", LINE_TRANSITIONS)


def plan_line_follow(*, actor: Actor, line: PlanLine, follower: str) -> PlanLine:
    """Mark a published line as followed by the procurement drafted from it (`follower`, its
    reference): it is no longer "coming soon", and nothing else may follow it.

    Called by the service that drafts the tender, inside its transaction; nothing is published
    (the tender's first release, under the line's ocid, says it all).
    """
    require_official(actor, line.plan.buyer)
    with transaction.atomic():
        locked = _line_lock(line)
        transition(locked, "follow", LINE_TRANSITIONS)
        now = clock.now()
        locked.followed_at = now
        locked.updated_at = now
        locked.save(update_fields=["status", "followed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="plan_line.follow",
            target=locked,
            summary={"year": locked.plan.year, "line": locked.number, "tender": follower},
        )
    return locked


def plan_line_unfollow(*, actor: Actor, line: PlanLine, follower: str) -> PlanLine:
    """The draft that followed the line was cancelled before it was ever published: the line is
    "coming soon" again, and another procurement may follow it. Nothing is published."""
    require_official(actor, line.plan.buyer)
    with transaction.atomic():
        locked = _line_lock(line)
        transition(locked, "unfollow", LINE_TRANSITIONS)
        locked.followed_at = None
        locked.updated_at = clock.now()
        locked.save(update_fields=["status", "followed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="plan_line.unfollow",
            target=locked,
            summary={"year": locked.plan.year, "line": locked.number, "tender": follower},
        )
    return locked
