"""Reading contracts, and who may read what.

- The buyer (`contract_for_buyer`, `contracts_of_buyer`, `awards_ready_for_contract`): its
  officials, committee members and auditors read every contract of its tenders, drafts
  included, with the invoices.
- The supplier (`contract_for_supplier`, `contracts_of_supplier`): its people (or its API key)
  read their own contracts once the buyer has signed them, with their own invoices; another
  supplier's contract does not exist for them (404).
- Everyone (`contracts_public`, `contract_public_get`): the contracts the buyer signed, their
  amendments, deliveries and payments, never a draft and never the invoices' documents.
- The buyer's payment figures (`buyer_payment_figures`): public, computed in one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_READ_ROLES, SUPPLIER_ROLES
from pregon.accounts.permissions import require_role
from pregon.contracts.choices import (
    CONTRACT_STANDING,
    INVOICES_OPEN,
    InvoiceStatus,
)
from pregon.contracts.models import (
    Contract,
    ContractAmendment,
    ContractDocument,
    Invoice,
    Milestone,
    Payment,
)
from pregon.contracts.terms import today_of
from pregon.core.actor import Actor
from pregon.core.errors import NotFound
from pregon.evaluation.choices import AwardStatus
from pregon.evaluation.models import Award
from pregon.organizations.models import Organization
from pregon.tenders.models import Tender


def _with_parts(contracts: QuerySet[Contract], *, invoices: bool) -> QuerySet[Contract]:
    """Contracts with everything their pages show, in a fixed number of queries."""
    prefetched: list[Any] = [
        Prefetch(
            "documents",
            queryset=ContractDocument.objects.select_related("amendment").order_by(
                "uploaded_at", "pk"
            ),
        ),
        Prefetch("amendments", queryset=ContractAmendment.objects.order_by("number")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("number")),
        Prefetch(
            "payments",
            queryset=Payment.objects.select_related("invoice").order_by("paid_on", "number"),
        ),
    ]
    if invoices:
        prefetched.append(
            Prefetch(
                "invoices",
                queryset=Invoice.objects.select_related("milestone").order_by("number"),
            )
        )
    return contracts.select_related(
        "tender", "buyer", "supplier", "award", "award__lot"
    ).prefetch_related(*prefetched)


# ---------------------------------------------------------------------------------------------
# everyone


def contracts_public(*, tender: Tender) -> list[Contract]:
    """The tender's published contracts (signed by the buyer), oldest first, with their
    amendments, deliveries and payments."""
    return list(
        _with_parts(
            Contract.objects.filter(tender=tender, buyer_signed_at__isnull=False),
            invoices=False,
        ).order_by("award__lot__number", "created_at", "pk")
    )


def contract_public_get(*, pk: int) -> Contract:
    """One published contract; a draft, or a draft cancelled unsigned, answers 404."""
    contract = _with_parts(
        Contract.objects.filter(pk=pk, buyer_signed_at__isnull=False), invoices=False
    ).first()
    if contract is None:
        raise NotFound(_("There is no such contract."))
    return contract


# ---------------------------------------------------------------------------------------------
# the buyer


def contract_parties(*, pk: int) -> Contract:
    """A contract with its buyer and supplier only, to find who may act on it (the pages build
    their actor for that organization, then read the contract through a checked selector)."""
    contract = Contract.objects.select_related("buyer", "supplier").filter(pk=pk).first()
    if contract is None:
        raise NotFound(_("There is no such contract."))
    return contract


def contract_for_buyer(*, actor: Actor, pk: int) -> Contract:
    """One contract of the actor's buyer, drafts and invoices included."""
    contract = Contract.objects.select_related("buyer").filter(pk=pk).first()
    if contract is None:
        raise NotFound(_("There is no such contract."))
    require_role(actor, contract.buyer, BUYER_READ_ROLES)
    found = _with_parts(Contract.objects.filter(pk=pk), invoices=True).first()
    assert found is not None
    return found


def contracts_of_buyer(*, actor: Actor, buyer: Organization) -> list[Contract]:
    """Every contract of the buyer, newest first."""
    require_role(actor, buyer, BUYER_READ_ROLES)
    return list(
        Contract.objects.filter(buyer=buyer)
        .select_related("tender", "supplier", "award__lot")
        .order_by("-created_at", "-pk")
    )


def awards_ready_for_contract(*, actor: Actor, buyer: Organization) -> list[Award]:
    """The buyer's active awards that have no standing contract: a contract can be drafted
    from each."""
    require_role(actor, buyer, BUYER_READ_ROLES)
    return list(
        Award.objects.filter(tender__buyer=buyer, status=AwardStatus.ACTIVE)
        .exclude(contracts__status__in=CONTRACT_STANDING)
        .select_related("tender", "lot", "supplier")
        .order_by("activated_at", "pk")
    )


def award_for_buyer(*, actor: Actor, pk: int) -> Award:
    """One award of the actor's buyer (to draft its contract)."""
    award = Award.objects.select_related("tender__buyer", "lot", "supplier").filter(pk=pk).first()
    if award is None:
        raise NotFound(_("There is no such award."))
    require_role(actor, award.tender.buyer, BUYER_READ_ROLES)
    return award


# ---------------------------------------------------------------------------------------------
# the supplier


def awards_awaiting_contract_of_supplier(*, supplier: Organization) -> list[Award]:
    """The supplier's final awards without a standing contract: before each contract the
    winner gives its evidence (documents current, scale verified)."""
    return list(
        Award.objects.filter(supplier=supplier, status=AwardStatus.ACTIVE)
        .exclude(contracts__status__in=CONTRACT_STANDING)
        .select_related("tender__buyer", "lot")
        .order_by("activated_at", "pk")
    )


def _supplier_contracts(supplier: Organization) -> QuerySet[Contract]:
    # A draft is the buyer's alone until it signs it.
    return Contract.objects.filter(supplier=supplier, buyer_signed_at__isnull=False)


def contracts_of_supplier(*, actor: Actor, supplier: Organization) -> list[Contract]:
    """The supplier's own contracts the buyers signed, newest first."""
    require_role(actor, supplier, SUPPLIER_ROLES)
    return list(
        _supplier_contracts(supplier)
        .select_related("tender", "buyer", "award__lot")
        .order_by("-buyer_signed_at", "-pk")
    )


def contract_for_supplier(*, actor: Actor, supplier: Organization, pk: int) -> Contract:
    """One of the supplier's own contracts, with its invoices; another's answers 404, as one
    that does not exist."""
    require_role(actor, supplier, SUPPLIER_ROLES)
    contract = _with_parts(_supplier_contracts(supplier).filter(pk=pk), invoices=True).first()
    if contract is None:
        raise NotFound(_("There is no such contract among yours."))
    return contract


def invoice_of(*, contract: Contract, number: int) -> Invoice:
    """One invoice of a contract the caller may already read."""
    invoice = Invoice.objects.filter(contract=contract, number=number).first()
    if invoice is None:
        raise NotFound(_("There is no such invoice."))
    return invoice


# ---------------------------------------------------------------------------------------------
# a buyer's payment figures


@dataclass(frozen=True, kw_only=True)
class PaymentFigures:
    """How a buyer pays its suppliers' invoices (public).

    `paid`: invoices paid in full; `average_days`: the mean of the days from receiving each of
    them to paying it in full (None when none is paid), to one decimal; `late`: those paid after
    their due date; `overdue`: invoices submitted or accepted, not yet paid in full, whose due
    date has passed.
    """

    paid: int
    average_days: Decimal | None
    late: int
    overdue: int
    today: dt.date

    @property
    def on_time(self) -> int:
        return self.paid - self.late

    @property
    def has_invoices(self) -> bool:
        return bool(self.paid or self.overdue)


def buyer_payment_figures(*, buyer: Organization) -> PaymentFigures:
    """The buyer's payment figures, from its invoices, in one aggregate query."""
    today = today_of(buyer)
    paid = Q(status=InvoiceStatus.PAID)
    row = Invoice.objects.filter(contract__buyer=buyer).aggregate(
        paid=Count("pk", filter=paid),
        average=Avg("days_to_pay", filter=paid),
        late=Count("pk", filter=paid & Q(paid_on__gt=F("due_on"))),
        overdue=Count("pk", filter=Q(status__in=INVOICES_OPEN, due_on__lt=today)),
    )
    average = row["average"]
    return PaymentFigures(
        paid=row["paid"],
        average_days=None
        if average is None
        else Decimal(str(average)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        late=row["late"],
        overdue=row["overdue"],
        today=today,
    )


def invoice_is_overdue(invoice: Invoice, today: dt.date) -> bool:
    """Whether an invoice still owed (submitted or accepted, not paid in full) is past due."""
    return invoice.status in INVOICES_OPEN and invoice.due_on < today
