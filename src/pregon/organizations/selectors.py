"""Reading organizations: the public directory of buyers, suppliers and oversight bodies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pregon.accounts.choices import OrganizationKind
from pregon.core import clock
from pregon.core.errors import DomainError, NotFound
from pregon.organizations.choices import CONTRACT_DOCUMENT_KINDS, DocumentKind, ScaleStatus
from pregon.organizations.models import (
    ApiKey,
    Consortium,
    ConsortiumMember,
    Organization,
    SupplierDocument,
)

# The platform operator runs the instance; it is not a party to procurement.
PUBLIC_KINDS = (OrganizationKind.BUYER, OrganizationKind.SUPPLIER, OrganizationKind.OVERSIGHT)


def organizations_public(
    *,
    kind: str = "",
    country: str = "",
    scale: str = "",
    cooperative: bool | None = None,
    legal_form: str = "",
) -> QuerySet[Organization]:
    """Organizations with a public profile, by name, matching the filters given."""
    queryset = Organization.objects.filter(kind__in=PUBLIC_KINDS)
    if kind:
        queryset = queryset.filter(kind=kind)
    if country:
        queryset = queryset.filter(country=country.upper())
    if scale:
        queryset = queryset.filter(scale=scale)
    if cooperative is not None:
        queryset = queryset.filter(is_cooperative=cooperative)
    if legal_form:
        queryset = queryset.filter(legal_form=legal_form)
    return queryset.order_by("legal_name", "pk")


def organization_countries_public() -> list[str]:
    """The countries (ISO 3166-1 alpha-2 codes) of organizations with a public profile."""
    # The model's default ordering (by name) would make DISTINCT keep one row per name.
    codes = (
        Organization.objects.filter(kind__in=PUBLIC_KINDS)
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )
    return [str(code) for code in codes if code]


def organization_public_get(*, pk: int) -> Organization:
    """One organization's public profile, or NotFound."""
    organization = Organization.objects.filter(kind__in=PUBLIC_KINDS, pk=pk).first()
    if organization is None:
        raise NotFound(_("There is no organization with this number."))
    return organization


def api_keys_of(*, organization: Organization) -> QuerySet[ApiKey]:
    """An organization's API keys, newest first (revoked ones included, for the record)."""
    return ApiKey.objects.filter(organization=organization).order_by("-created_at", "-pk")


def api_key_of(*, organization: Organization, pk: int) -> ApiKey:
    """One of an organization's API keys, or NotFound (another organization's key included)."""
    key = (
        ApiKey.objects.select_related("organization")
        .filter(organization=organization, pk=pk)
        .first()
    )
    if key is None:
        raise NotFound(_("There is no API key with this number in your organization."))
    return key


# ---------------------------------------------------------------------------------------------
# documents held once, and the evidence asked of a winner


def today_of(organization: Organization) -> dt.date:
    """Today in the organization's zone (by the platform clock): a document is valid until the
    end of its last day there."""
    return timezone.localtime(clock.now(), ZoneInfo(organization.effective_time_zone)).date()


def supplier_documents_current(*, organization: Organization) -> dict[str, SupplierDocument]:
    """The documents a supplier holds now (not replaced or removed), by kind."""
    return {
        document.kind: document
        for document in SupplierDocument.objects.filter(
            organization=organization, removed_at__isnull=True
        )
    }


def supplier_documents_history(*, organization: Organization) -> QuerySet[SupplierDocument]:
    """Every document a supplier held, newest first (replaced and removed ones included)."""
    return SupplierDocument.objects.filter(organization=organization).order_by(
        "-uploaded_at", "-pk"
    )


def supplier_document_of(*, organization: Organization, pk: int) -> SupplierDocument:
    """One of a supplier's documents, or NotFound (another supplier's included)."""
    document = (
        SupplierDocument.objects.select_related("organization")
        .filter(organization=organization, pk=pk)
        .first()
    )
    if document is None:
        raise NotFound(_("There is no such document."))
    return document


@dataclass(frozen=True, kw_only=True)
class MissingEvidence:
    """One thing a winner must still give before its contract: `kind` is a document kind, or
    "scale" for the verification of its scale; `reason` says what is wrong, in words."""

    kind: str
    label: str
    reason: str


def supplier_evidence_missing(
    *, organization: Organization, on: dt.date | None = None
) -> list[MissingEvidence]:
    """What a supplier must still give before a contract is drafted or signed with it: each
    of the legal, tax and social security documents held and not expired on `on` (today in
    its zone), and its scale verified against its evidence. Empty: nothing is missing. For a
    consortium, what each member must still give (its evidence is its members')."""
    members = consortium_members(organization)
    if members:
        return [
            MissingEvidence(
                kind=item.kind,
                label=f"{m.member.display_name}: {item.label}",
                reason=item.reason,
            )
            for m in members
            for item in supplier_evidence_missing(organization=m.member, on=on)
        ]
    day = on or today_of(organization)
    held = supplier_documents_current(organization=organization)
    missing = []
    for kind in CONTRACT_DOCUMENT_KINDS:
        document = held.get(kind)
        label = str(DocumentKind(kind).label)
        if document is None:
            missing.append(MissingEvidence(kind=kind, label=label, reason=_("not uploaded")))
        elif not document.is_current_on(day):
            assert document.expires_on is not None
            missing.append(
                MissingEvidence(
                    kind=kind,
                    label=label,
                    reason=_("expired on %(day)s") % {"day": document.expires_on.isoformat()},
                )
            )
    if organization.scale_status != ScaleStatus.VERIFIED:
        evidence = held.get(DocumentKind.SCALE_EVIDENCE)
        if evidence is None or organization.scale_status == ScaleStatus.REJECTED:
            reason = (
                _("the evidence was not accepted: %(note)s")
                % {"note": organization.scale_review_note}
                if organization.scale_status == ScaleStatus.REJECTED
                else _("no evidence of size uploaded")
            )
        else:
            reason = _("the evidence awaits verification by the platform")
        missing.append(MissingEvidence(kind="scale", label=str(_("Verified scale")), reason=reason))
    return missing


class EvidenceMissing(DomainError):
    """The winner has not given the evidence its contract needs (`missing` says what)."""

    status = 409
    code = "evidence_missing"

    def __init__(self, message: Any, *, missing: list[MissingEvidence]) -> None:
        super().__init__(message)
        self.missing = missing

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        """The problem, with `missing`: each thing still missing and why."""
        problem = super().as_problem(instance=instance)
        problem["missing"] = [
            {"kind": item.kind, "label": item.label, "reason": item.reason} for item in self.missing
        ]
        return problem


def supplier_evidence_check(*, organization: Organization, on: dt.date | None = None) -> None:
    """Refuse (`EvidenceMissing`) unless the supplier's evidence is complete on `on`: what a
    contract with it needs (`supplier_evidence_missing`)."""
    missing = supplier_evidence_missing(organization=organization, on=on)
    if missing:
        raise EvidenceMissing(
            _(
                "%(supplier)s has not yet given the evidence a contract needs: %(missing)s. "
                "The supplier sees in its workspace what to upload."
            )
            % {
                "supplier": organization.display_name,
                "missing": "; ".join(f"{item.label} ({item.reason})" for item in missing),
            },
            missing=missing,
        )


def suppliers_scale_pending() -> QuerySet[Organization]:
    """Suppliers whose evidence of size awaits verification, the longest waiting first."""
    return Organization.objects.filter(
        kind=OrganizationKind.SUPPLIER, scale_status=ScaleStatus.PENDING
    ).order_by("scale_declared_at", "pk")


# ---------------------------------------------------------------------------------------------
# consortia


def consortia_of(*, organization: Organization) -> QuerySet[Consortium]:
    """The consortia `organization` is a member of (or is), newest first, with their members."""
    return (
        Consortium.objects.filter(
            models.Q(members__member=organization) | models.Q(organization=organization)
        )
        .distinct()
        .select_related("organization")
        .prefetch_related("members__member")
        .order_by("-created_at", "-pk")
    )


def consortium_invitation_of(*, organization: Organization, pk: int) -> ConsortiumMember:
    """An invitation of `organization` into a consortium, or NotFound (another's included)."""
    invitation = (
        ConsortiumMember.objects.select_related("member", "consortium__organization")
        .filter(member=organization, pk=pk)
        .first()
    )
    if invitation is None:
        raise NotFound(_("There is no such invitation."))
    return invitation


def consortium_members(organization: Organization) -> list[ConsortiumMember]:
    """The members of the consortium `organization` is, lead first ([] when it is not one)."""
    if not organization.is_consortium:
        return []
    return list(
        ConsortiumMember.objects.filter(consortium__organization=organization)
        .select_related("member")
        .order_by("-is_lead", "pk")
    )
