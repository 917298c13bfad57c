"""A supplier's scale: declared once, computed by its country's rule pack, verified by the
platform.

- `supplier_scale_declare`: the supplier gives its employees and annual turnover (and, when the
  figures do not decide it, its own scale). The country's rule pack computes the scale from the
  figures; the pack's reference is stored with it. A new declaration needs verifying again.
- `supplier_scale_review`: a platform administrator verifies the evidence of the scale (a held
  document of kind "evidence of size"), or does not accept it, with the reason.

Who verifies: the platform's administrators (the operator organization), not a buyer's
officials. The verified scale is relied on by every buyer on the platform (reserved lots,
preferences, statistics); a buyer's official deciding it for all would be deciding, among
others, for the suppliers competing in their own tenders.

The scale every bid carries (`Organization.scale`) is the computed one, or the declared one when
the figures do not decide it: bids, their opening's statistics and the published data read that
field, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import require_platform_admin, require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.organizations import emails
from pregon.organizations.choices import DocumentKind, Scale, ScaleStatus
from pregon.organizations.models import Organization, SupplierDocument
from pregon.organizations.services_consortia import consortia_rescale
from pregon.rules import pack_for_country

#: The largest turnover the column holds (18 digits, 2 of them decimals).
_TURNOVER_LIMIT = Decimal(10) ** 16
_REVIEW_NOTE_LIMIT = 2000


@dataclass(kw_only=True)
class ScaleData:
    """What a supplier declares of its size.

    `employees` and `annual_turnover` (in its country's currency, the last closed year) are
    what the country's rule pack computes the scale from; `declared_scale` is the supplier's
    own word, used when the figures do not decide it (one is missing, or its country has no
    rule pack).
    """

    employees: int | None = None
    annual_turnover: Decimal | None = None
    declared_scale: str = ""


@dataclass(frozen=True, kw_only=True)
class ScaleOutcome:
    """The scale a declaration gives: the one used, the computed one and the pack's ref."""

    scale: str
    computed_scale: str
    rule_pack: str


def scale_compute(*, country: str, data: ScaleData, on: dt.date | None = None) -> ScaleOutcome:
    """The scale of a declaration under the rule pack of `country` in force on `on`.

    The computed scale is used when the pack decides it; otherwise the declared one. Refused
    when neither gives a scale.
    """
    scale_data_check(data)
    computed, ref = "", ""
    try:
        pack = pack_for_country(country, on)
    except LookupError:
        pack = None  # No pack for this country: the supplier's own word stands.
    if pack is not None:
        ref = pack.ref
        computed = pack.scale(employees=data.employees, annual_turnover=data.annual_turnover) or ""
    scale = computed or data.declared_scale
    if not scale:
        raise ValidationFailed(
            _(
                "Give your number of employees and your annual turnover, or choose your size: "
                "the country's rules cannot tell it without both figures."
            ),
            field="declared_scale",
            code="scale_undecided",
        )
    return ScaleOutcome(scale=scale, computed_scale=computed, rule_pack=ref if computed else "")


def scale_data_check(data: ScaleData) -> None:
    """Refuse figures that are negative, not whole (employees), too large or too precise."""
    if data.employees is not None and (
        isinstance(data.employees, bool)
        or not isinstance(data.employees, int)
        or not 0 <= data.employees <= 10_000_000
    ):
        raise ValidationFailed(
            _("Give the number of employees as a whole number."), field="employees"
        )
    turnover = data.annual_turnover
    if turnover is not None:
        try:
            turnover = Decimal(turnover)
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationFailed(
                _("Give the turnover as an amount."), field="annual_turnover"
            ) from None
        if not turnover.is_finite() or turnover < 0 or turnover >= _TURNOVER_LIMIT:
            raise ValidationFailed(
                _("Give the turnover as an amount of zero or more."), field="annual_turnover"
            )
        if turnover != turnover.quantize(Decimal("0.01")):
            raise ValidationFailed(_("Use at most 2 decimal places."), field="annual_turnover")
    if data.declared_scale not in {"", *Scale.values}:
        raise ValidationFailed(_("Choose the supplier's scale."), field="declared_scale")


def scale_apply(organization: Organization, outcome: ScaleOutcome, data: ScaleData) -> None:
    """Set a (locked or new) supplier's scale from a declaration; its verification starts
    again: pending when it holds evidence of its size, else declared."""
    organization.scale = outcome.scale
    organization.computed_scale = outcome.computed_scale
    organization.scale_rule_pack = outcome.rule_pack
    organization.declared_scale = data.declared_scale
    organization.employees = data.employees
    organization.annual_turnover = (
        Decimal(data.annual_turnover) if data.annual_turnover is not None else None
    )
    organization.scale_declared_at = clock.now()
    has_evidence = (
        organization.pk is not None
        and SupplierDocument.objects.filter(
            organization=organization, kind=DocumentKind.SCALE_EVIDENCE, removed_at__isnull=True
        ).exists()
    )
    organization.scale_status = ScaleStatus.PENDING if has_evidence else ScaleStatus.DECLARED
    organization.scale_reviewed_by = None
    organization.scale_reviewed_at = None
    organization.scale_review_note = ""


def _declaration_summary(organization: Organization) -> dict[str, object]:
    return {
        "scale": organization.scale,
        "declared_scale": organization.declared_scale,
        "computed_scale": organization.computed_scale,
        "rule_pack": organization.scale_rule_pack,
        "employees": organization.employees,
        "annual_turnover": organization.annual_turnover,
        "scale_status": organization.scale_status,
    }


def supplier_scale_declare(
    *, actor: Actor, organization: Organization, data: ScaleData
) -> Organization:
    """The supplier declares its figures (and, if need be, its size); the scale is computed
    under its country's rule pack in force today. A declaration equal to the standing one
    changes nothing; any other needs verifying again."""
    if organization.kind != OrganizationKind.SUPPLIER:
        raise PermissionDenied(_("Only suppliers declare a scale."))
    require_role(actor, organization, SUPPLIER_ROLES)
    if organization.is_consortium:
        raise ValidationFailed(
            _("A consortium's size is its largest member's: each member declares its own.")
        )
    outcome = scale_compute(country=str(organization.country), data=data)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        same = (
            locked.employees == data.employees
            and locked.annual_turnover
            == (Decimal(data.annual_turnover) if data.annual_turnover is not None else None)
            and locked.declared_scale == data.declared_scale
            and locked.computed_scale == outcome.computed_scale
            and locked.scale_rule_pack == outcome.rule_pack
        )
        if same:
            return locked
        scale_apply(locked, outcome, data)
        locked.updated_at = clock.now()
        locked.save()
        consortia_rescale(member=locked)
        audit_record(
            actor=actor,
            action="supplier.scale_declare",
            target=locked,
            summary=_declaration_summary(locked),
        )
    return locked


def supplier_scale_review(
    *, actor: Actor, organization: Organization, verified: bool, note: str = ""
) -> Organization:
    """A platform administrator verifies a supplier's scale against its evidence, or does not
    accept the evidence (the note says why, and the supplier reads it). Only a scale whose
    evidence awaits verification is reviewed; the supplier's people are e-mailed the outcome
    after the commit."""
    require_platform_admin(actor)
    note = (note or "").strip()
    if len(note) > _REVIEW_NOTE_LIMIT:
        raise ValidationFailed(
            _("This text is too long (%(length)s characters); the limit is %(limit)s.")
            % {"length": len(note), "limit": _REVIEW_NOTE_LIMIT},
            field="note",
        )
    if not verified and not note:
        raise ValidationFailed(
            _("Say why the evidence is not accepted: the supplier reads it."), field="note"
        )
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.kind != OrganizationKind.SUPPLIER or locked.scale_status != ScaleStatus.PENDING:
            raise InvalidTransition(
                _(
                    "Only a scale whose evidence awaits verification can be reviewed; this one "
                    "is: %(status)s."
                )
                % {"status": locked.get_scale_status_display()},
                code="scale_not_pending",
            )
        locked.scale_status = ScaleStatus.VERIFIED if verified else ScaleStatus.REJECTED
        locked.scale_reviewed_by = actor.user
        locked.scale_reviewed_at = clock.now()
        locked.scale_review_note = note
        locked.save(
            update_fields=[
                "scale_status",
                "scale_reviewed_by",
                "scale_reviewed_at",
                "scale_review_note",
            ]
        )
        audit_record(
            actor=actor,
            action="supplier.scale_verify" if verified else "supplier.scale_reject",
            target=locked,
            summary={"scale": locked.scale, "scale_status": locked.scale_status, "note": note},
        )
        supplier_id = locked.pk
        transaction.on_commit(
            lambda: emails.scale_review_notify(organization_id=supplier_id), robust=True
        )
    return locked
