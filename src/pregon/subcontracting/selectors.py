"""Reading sub-opportunities, answers and subcontracts, and who may read what.

- Everyone: the sub-opportunities (`sub_opportunities_open` lists those taking answers, with
  filters; `sub_opportunity_public_get` reads any one, whatever its state), the number of
  answers each has (never who answered nor at what price), and the subcontracts of a
  published contract with their payments and the share paid to MSMEs
  (`contract_subcontracting`).
- The poster (`sub_opportunity_for_poster`): its sub-opportunity with every answer.
- An answering supplier (`answer_of`): its own standing answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import require_role
from pregon.contracts.models import Contract
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import NotFound
from pregon.organizations.models import Organization
from pregon.subcontracting.choices import (
    ANSWER_STANDING,
    AnswerStatus,
    Reservation,
    SubOpportunityStatus,
)
from pregon.subcontracting.models import Answer, Subcontract, SubcontractPayment, SubOpportunity
from pregon.tenders.models import Tender


def _public(queryset: QuerySet[SubOpportunity]) -> QuerySet[SubOpportunity]:
    return queryset.select_related("organization", "tender", "contract").annotate(
        answer_count=Count("answers", filter=Q(answers__status__in=sorted(ANSWER_STANDING)))
    )


def sub_opportunities_open(
    *, code: str = "", reserved: str = "", tender: Tender | None = None
) -> QuerySet[SubOpportunity]:
    """The sub-opportunities taking answers now, closing soonest first; `code` keeps those
    whose classification starts with it (a CPV's check digit ignored), `reserved` those
    reserved (`msme`) or open to all (`open`), `tender` those of one tender."""
    found = SubOpportunity.objects.filter(
        status=SubOpportunityStatus.OPEN, closes_at__gt=clock.now()
    )
    prefix = code.strip().split("-")[0].rstrip("0")
    if prefix:
        found = found.filter(classification_code__startswith=prefix)
    if reserved in Reservation.values:
        found = found.filter(reserved=reserved)
    if tender is not None:
        found = found.filter(tender=tender)
    return _public(found).order_by("closes_at", "pk")


def sub_opportunities_of_tender(*, tender: Tender) -> list[SubOpportunity]:
    """Every sub-opportunity posted for a tender, newest first (for its public page)."""
    return list(_public(SubOpportunity.objects.filter(tender=tender)).order_by("-posted_at", "-pk"))


def sub_opportunity_public_get(*, pk: int) -> SubOpportunity:
    """One sub-opportunity, whatever its state (posting publishes it)."""
    found = _public(SubOpportunity.objects.filter(pk=pk)).first()
    if found is None:
        raise NotFound(_("There is no such sub-opportunity."))
    return found


def sub_opportunity_for_poster(*, actor: Actor, pk: int) -> SubOpportunity:
    """One sub-opportunity of the actor's organization, with its answers; another's answers
    404, as one that does not exist."""
    found = (
        _public(SubOpportunity.objects.filter(pk=pk))
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("organization").order_by(
                    "price", "submitted_at", "pk"
                ),
            )
        )
        .first()
    )
    if (
        found is None
        or actor.organization is None
        or found.organization_id != actor.organization.pk
    ):
        raise NotFound(_("There is no such sub-opportunity."))
    require_role(actor, found.organization, SUPPLIER_ROLES)
    return found


def sub_opportunities_of_poster(*, organization: Organization) -> list[SubOpportunity]:
    """Every sub-opportunity an organization posted, newest first."""
    return list(
        _public(SubOpportunity.objects.filter(organization=organization)).order_by(
            "-posted_at", "-pk"
        )
    )


def answers_of(*, organization: Organization) -> list[Answer]:
    """Every answer an organization gave, newest first."""
    return list(
        Answer.objects.filter(organization=organization)
        .select_related("opportunity", "opportunity__organization")
        .order_by("-submitted_at", "-pk")
    )


def answer_of(*, opportunity: SubOpportunity, organization: Organization | None) -> Answer | None:
    """The organization's standing answer to a sub-opportunity, if it has one."""
    if organization is None:
        return None
    return Answer.objects.filter(
        opportunity=opportunity, organization=organization, status__in=sorted(ANSWER_STANDING)
    ).first()


def chosen_answers_for(*, contract: Contract) -> list[Answer]:
    """The answers the contract's supplier chose, on this contract or on its tender, that no
    subcontract records yet: what it may turn into subcontracts."""
    where = Q(opportunity__contract=contract)
    if contract.tender_id is not None:
        where |= Q(opportunity__tender_id=contract.tender_id)
    return list(
        Answer.objects.filter(
            where,
            status=AnswerStatus.CHOSEN,
            opportunity__organization_id=contract.supplier_id,
            subcontract__isnull=True,
        )
        .select_related("organization", "opportunity")
        .order_by("decided_at", "pk")
    )


# ---------------------------------------------------------------------------------------------
# the subcontracts of a contract


@dataclass(frozen=True, kw_only=True)
class SubcontractingFigures:
    """What a contract's subcontracts add up to (docs/subcontracting.md, "The share paid to
    MSMEs").

    `msme_share` is what the prime paid to subcontractors that were MSMEs when subcontracted,
    as a fraction of the contract's value (in force); `msme_share_of_paid`, the same amount as
    a fraction of everything paid to subcontractors (None when nothing was). `required_share`
    is the share (in percent) the tender required, if any.
    """

    currency: str
    subcontracted: Decimal
    subcontracted_to_msmes: Decimal
    paid: Decimal
    paid_to_msmes: Decimal
    msme_share: Decimal
    msme_share_of_paid: Decimal | None
    required_share: int | None

    @property
    def msme_percent(self) -> Decimal:
        return (self.msme_share * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def msme_percent_of_paid(self) -> Decimal | None:
        if self.msme_share_of_paid is None:
            return None
        return (self.msme_share_of_paid * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_SHARE_PLACES = Decimal("0.0001")


def subcontracting_figures(
    contract: Contract, subcontracts: list[Subcontract]
) -> SubcontractingFigures:
    """The totals and shares of a contract's subcontracts (already read)."""
    zero = Decimal(0)
    msme = [s for s in subcontracts if s.is_msme]
    paid = sum((s.paid_amount for s in subcontracts), zero)
    paid_msme = sum((s.paid_amount for s in msme), zero)
    tender = contract.tender if contract.tender_id is not None else None
    return SubcontractingFigures(
        currency=contract.currency,
        subcontracted=sum((s.value for s in subcontracts), zero),
        subcontracted_to_msmes=sum((s.value for s in msme), zero),
        paid=paid,
        paid_to_msmes=paid_msme,
        msme_share=(paid_msme / contract.value).quantize(_SHARE_PLACES, rounding=ROUND_HALF_UP),
        msme_share_of_paid=(paid_msme / paid).quantize(_SHARE_PLACES, rounding=ROUND_HALF_UP)
        if paid
        else None,
        required_share=tender.subcontracting_share if tender is not None else None,
    )


def subcontracts_of(*, contract: Contract) -> list[Subcontract]:
    """A contract's subcontracts in order, with their subcontractors and payments."""
    return list(
        Subcontract.objects.filter(contract=contract)
        .select_related("subcontractor", "answer")
        .prefetch_related(
            Prefetch("payments", queryset=SubcontractPayment.objects.order_by("paid_on", "number"))
        )
        .order_by("number")
    )


@dataclass(frozen=True, kw_only=True)
class ContractSubcontracting:
    """A contract's subcontracts and their figures."""

    subcontracts: list[Subcontract]
    figures: SubcontractingFigures


def contract_subcontracting(*, contract: Contract) -> ContractSubcontracting:
    """The subcontracts of a contract (public once the buyer signed it) and their figures."""
    subcontracts = subcontracts_of(contract=contract)
    return ContractSubcontracting(
        subcontracts=subcontracts, figures=subcontracting_figures(contract, subcontracts)
    )


def contract_for_prime(*, actor: Actor, pk: int) -> Contract:
    """One contract the actor's organization holds (signed by the buyer), to record its
    subcontracts; another's answers 404."""
    contract = (
        Contract.objects.select_related("tender", "buyer", "supplier")
        .filter(pk=pk, buyer_signed_at__isnull=False)
        .first()
    )
    if (
        contract is None
        or actor.organization is None
        or contract.supplier_id != actor.organization.pk
    ):
        raise NotFound(_("There is no such contract."))
    require_role(actor, contract.supplier, SUPPLIER_ROLES)
    return contract


def subcontract_of(*, contract: Contract, number: int) -> Subcontract:
    """One subcontract of a contract, by its number."""
    found = Subcontract.objects.filter(contract=contract, number=number).first()
    if found is None:
        raise NotFound(_("There is no such subcontract."))
    return found


def supplier_by_identifier(*, identifier: str) -> Organization | None:
    """A supplier registered on the platform, by its identifier: the number alone
    ("76086428-5") when only one supplier has it, or with its scheme as published data names
    it ("CL-RUT-76086428-5")."""
    text = identifier.strip()
    if not text:
        return None
    suppliers = Organization.objects.filter(kind=OrganizationKind.SUPPLIER)
    alone = list(suppliers.filter(identifier_id__iexact=text)[:2])
    if len(alone) == 1:
        return alone[0]
    for scheme in suppliers.values_list("identifier_scheme", flat=True).distinct():
        if text.upper().startswith(f"{scheme.upper()}-"):
            found = suppliers.filter(
                identifier_scheme=scheme, identifier_id__iexact=text[len(scheme) + 1 :]
            ).first()
            if found is not None:
                return found
    return None
