"""Reading tenders: what the public may see, and what a buyer's workspace lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_READ_ROLES, COMMITTEE_ROLES
from pregon.accounts.models import Membership, User
from pregon.accounts.permissions import roles_in
from pregon.core import clock
from pregon.core.errors import NotFound
from pregon.organizations.models import Organization
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import (
    CommitteeKey,
    CommitteeMember,
    Item,
    Lot,
    Question,
    Tender,
    TenderDocument,
)


@dataclass(kw_only=True)
class TenderFilters:
    """The public list's filters; every field is optional."""

    q: str = ""
    status: str = ""
    method: str = ""
    category: str = ""
    buyer: int | None = None
    country: str = ""
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    closing_after: dt.date | None = None
    closing_before: dt.date | None = None
    classification: str = ""
    order: str = "closing"


ORDERINGS: dict[str, tuple[str, ...]] = {
    "closing": ("submission_deadline", "id"),
    "newest": ("-published_at", "-id"),
    "value": ("-estimated_value", "id"),
}


def tenders_public(*, filters: TenderFilters | None = None) -> QuerySet[Tender]:
    """Published tenders (never drafts) matching the filters."""
    filters = filters or TenderFilters()
    queryset = (
        Tender.objects.exclude(status=TenderStatus.DRAFT)
        .filter(published_at__isnull=False)
        .select_related("buyer")
        .annotate(lot_count=Count("lots", distinct=True))
    )
    if filters.q:
        for word in filters.q.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(reference__icontains=word)
                | Q(buyer__legal_name__icontains=word)
                | Q(buyer__name__icontains=word)
                | Q(lots__items__description__icontains=word)
            )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.method:
        queryset = queryset.filter(method=filters.method)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.buyer:
        queryset = queryset.filter(buyer_id=filters.buyer)
    if filters.country:
        queryset = queryset.filter(buyer__country=filters.country)
    if filters.value_min is not None:
        queryset = queryset.filter(estimated_value__gte=filters.value_min)
    if filters.value_max is not None:
        queryset = queryset.filter(estimated_value__lte=filters.value_max)
    if filters.closing_after:
        queryset = queryset.filter(submission_deadline__date__gte=filters.closing_after)
    if filters.closing_before:
        queryset = queryset.filter(submission_deadline__date__lte=filters.closing_before)
    if filters.classification:
        # Top-level codes of the catalogue: CPV divisions carry a check digit ("30000000-9"),
        # UNSPSC segments do not ("43000000"); both are named by their first two digits.
        scheme = "CPV" if "-" in filters.classification else "UNSPSC"
        queryset = queryset.filter(
            lots__items__classification_scheme=scheme,
            lots__items__classification_code__startswith=filters.classification[:2],
        )
    ordering = ORDERINGS.get(filters.order, ORDERINGS["closing"])
    if filters.order in ("", "closing"):
        # Tenders still open come first, closing soonest; then the rest by deadline.
        queryset = queryset.annotate(
            is_open=Case(When(status=TenderStatus.ACTIVE, then=Value(0)), default=Value(1))
        )
        ordering = ("is_open", *ordering)
    return queryset.distinct().order_by(*ordering)


def tenders_open(*, limit: int = 6) -> QuerySet[Tender]:
    """Open tenders closing soonest, for the home page."""
    return (
        Tender.objects.filter(status=TenderStatus.ACTIVE, submission_deadline__gt=clock.now())
        .select_related("buyer")
        .order_by("submission_deadline", "id")[:limit]
    )


def _with_contents(queryset: QuerySet[Tender]) -> QuerySet[Tender]:
    return queryset.select_related("buyer").prefetch_related(
        Prefetch(
            "lots",
            queryset=Lot.objects.order_by("number")
            .select_related("quota_of")
            .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("id"))),
        ),
        "documents",
        "amendments",
        "criteria",
    )


def tender_public_get(*, pk: int) -> Tender:
    """A published tender with everything public about it, or NotFound (drafts included)."""
    tender = _with_contents(Tender.objects.exclude(status=TenderStatus.DRAFT)).filter(pk=pk).first()
    if tender is None:
        raise NotFound(_("There is no published tender with this number."))
    return tender


def tender_for_buyer(*, user: User, pk: int) -> Tender:
    """A tender of one of the user's buyer organizations (drafts included), or NotFound.

    Another organization's draft answers NotFound, not "forbidden", so drafts stay secret.
    """
    tender = _with_contents(Tender.objects.all()).filter(pk=pk).first()
    if tender is None or not (roles_in(user, tender.buyer) & BUYER_READ_ROLES):
        raise NotFound(_("There is no tender with this number in your organization."))
    return tender


def tenders_of_buyer(*, buyer: Organization) -> QuerySet[Tender]:
    """Every tender of a buyer for its workspace, newest first, with open question counts."""
    return (
        Tender.objects.filter(buyer=buyer)
        .annotate(unanswered=Count("questions", filter=Q(questions__answered_at__isnull=True)))
        .order_by("-created_at", "-id")
    )


def questions_public(*, tender: Tender) -> QuerySet[Question]:
    """Questions as the public sees them. The asker is never part of this."""
    return tender.questions.select_related("lot").order_by("number")


def questions_of_supplier(*, organization: Organization) -> QuerySet[Question]:
    """The questions a supplier organization asked, for its workspace."""
    return (
        Question.objects.filter(asked_for=organization)
        .select_related("tender", "tender__buyer")
        .order_by("-asked_at")
    )


def tender_for_organization(*, organization: Organization, pk: int) -> Tender:
    """A tender of `organization` (drafts included) with its contents, or NotFound.

    For callers that act for an organization as a whole (an API key): another organization's
    tender answers NotFound, so its drafts stay secret.
    """
    tender = _with_contents(Tender.objects.filter(buyer=organization)).filter(pk=pk).first()
    if tender is None:
        raise NotFound(_("There is no tender with this number in your organization."))
    return tender


def question_for_organization(*, organization: Organization, pk: int) -> Question:
    """A question on one of `organization`'s tenders, or NotFound."""
    question = (
        Question.objects.select_related("tender", "tender__buyer", "lot")
        .filter(pk=pk, tender__buyer=organization)
        .first()
    )
    if question is None:
        raise NotFound(_("There is no question with this number on your organization's tenders."))
    return question


def document_public_get(*, tender_pk: int, pk: int) -> TenderDocument:
    """A document of a published tender, or NotFound (a draft's documents stay private)."""
    document = (
        TenderDocument.objects.select_related("tender")
        .exclude(tender__status=TenderStatus.DRAFT)
        .filter(tender__published_at__isnull=False, tender_id=tender_pk, pk=pk)
        .first()
    )
    if document is None:
        raise NotFound(_("There is no such document on a published tender."))
    return document


def buyers_public() -> QuerySet[Organization]:
    """Buyers with at least one published tender, by name (the public list's buyer filter)."""
    return (
        Organization.objects.filter(tenders__published_at__isnull=False)
        .distinct()
        .order_by("legal_name", "pk")
    )


# ---------------------------------------------------------------------------------------------
# the opening committee


def committee_of(*, tender: Tender) -> list[CommitteeMember]:
    """A tender's committee members in position order (with their users, for the buyer)."""
    return list(
        CommitteeMember.objects.filter(tender=tender).select_related("user").order_by("position")
    )


def committee_public_get(*, ocid: str) -> Tender:
    """A published tender that has an opening committee, by its ocid, or NotFound (drafts
    included: their committee is not public until they are)."""
    tender = (
        Tender.objects.exclude(status=TenderStatus.DRAFT)
        .filter(ocid=ocid, published_at__isnull=False, opening_threshold__isnull=False)
        .first()
    )
    if tender is None or not tender.committee.exists():
        raise NotFound(_("There is no published tender with an opening committee by this id."))
    return tender


def tender_for_organization_by_ocid(*, organization: Organization, ocid: str) -> Tender:
    """A tender of `organization` (drafts included) by its ocid, or NotFound."""
    tender = Tender.objects.select_related("buyer").filter(buyer=organization, ocid=ocid).first()
    if tender is None:
        raise NotFound(_("There is no tender with this id in your organization."))
    return tender


def committee_candidates(*, buyer: Organization) -> list[CommitteeKey]:
    """The active opening keys of the buyer's committee members (active people holding the
    committee role there): whom a buyer official may name, by name."""
    holders = Membership.objects.filter(
        organization=buyer, role__in=COMMITTEE_ROLES, user__is_active=True
    ).values("user_id")
    keys = CommitteeKey.objects.filter(
        organization=buyer, revoked_at__isnull=True, user_id__in=holders
    ).select_related("user")
    return sorted(keys, key=lambda key: (str(key.user).casefold(), key.user_id))


def committee_members_without_key(*, buyer: Organization) -> list[User]:
    """The buyer's committee members who have registered no opening key yet."""
    with_key = CommitteeKey.objects.filter(organization=buyer, revoked_at__isnull=True).values(
        "user_id"
    )
    people = User.objects.filter(
        is_active=True,
        memberships__organization=buyer,
        memberships__role__in=COMMITTEE_ROLES,
    ).exclude(pk__in=with_key)
    return sorted(people.distinct(), key=lambda user: (str(user).casefold(), user.pk))


def committee_keys_of(*, user: User, organization: Organization) -> list[CommitteeKey]:
    """A person's opening keys for one organization, the active one first, then the revoked
    ones newest first."""
    return sorted(
        CommitteeKey.objects.filter(user=user, organization=organization),
        key=lambda key: (key.revoked_at is not None, -key.created_at.timestamp(), -key.pk),
    )
