"""Output schemas of the contracts API: a tender's published contracts, with their documents,
amendments (values before and after), deliveries and payments (snake_case, like the rest of
/api/v1).

They carry what the OCDS releases publish and nothing more: never a draft, never an invoice's
document or a signatory's name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from pregon.contracts.choices import ContractStatus, MilestoneStatus
from pregon.contracts.models import (
    Contract,
    ContractAmendment,
    ContractDocument,
    Milestone,
    Payment,
)
from pregon.contracts.ocds import contract_url
from pregon.publication.mapping import absolute_url


class SupplierOut(Schema):
    id: str = Field(description="The supplier's party id in the tender's open data.")
    name: str


class ContractDocumentOut(Schema):
    id: int
    title: str
    document_type: str = Field(description="An OCDS documentType code, e.g. `contractSigned`.")
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str
    amendment: int | None = Field(description="The amendment that added it, if one did.")

    @staticmethod
    def resolve_url(obj: ContractDocument) -> str:
        return absolute_url(obj.get_absolute_url())

    @staticmethod
    def resolve_amendment(obj: ContractDocument) -> int | None:
        return obj.amendment.number if obj.amendment_id and obj.amendment else None


class ContractAmendmentOut(Schema):
    number: int
    date: dt.datetime
    reason: str
    previous_value: Decimal | None = Field(description="Set when the amendment changed it.")
    new_value: Decimal | None
    previous_period_end: dt.date | None
    new_period_end: dt.date | None
    previous_description: str | None
    new_description: str | None

    @staticmethod
    def resolve_date(obj: ContractAmendment) -> dt.datetime:
        return obj.created_at


class MilestoneOut(Schema):
    number: int
    title: str
    description: str
    due_date: dt.date
    status: MilestoneStatus
    date_met: dt.date | None


class PaymentOut(Schema):
    number: int
    amount: Decimal
    currency: str
    paid_on: dt.date
    invoice: int = Field(description="The number of the invoice paid, in the contract.")
    invoice_received_on: dt.date = Field(description="The day the buyer received the invoice.")
    invoice_due_on: dt.date = Field(description="The last day to pay it on time.")
    late: bool = Field(description="Whether this payment was made after the invoice's due date.")

    @staticmethod
    def resolve_invoice(obj: Payment) -> int:
        return obj.invoice.number

    @staticmethod
    def resolve_invoice_received_on(obj: Payment) -> dt.date:
        return obj.invoice.received_on

    @staticmethod
    def resolve_invoice_due_on(obj: Payment) -> dt.date:
        return obj.invoice.due_on

    @staticmethod
    def resolve_late(obj: Payment) -> bool:
        return obj.paid_on > obj.invoice.due_on


class ContractOut(Schema):
    """A published contract (signed by the buyer) of the tender."""

    id: int
    ocds_id: str = Field(description="Its id in the open data (`contracts[].id`).")
    award_id: str = Field(description="Its award's id in the open data (`awards[].id`).")
    lot: int = Field(description="The number of the lot it contracts.")
    title: str
    description: str
    status: ContractStatus = Field(
        description="`signed` (awaiting the supplier), `active`, `completed`, `terminated` or "
        "`cancelled`."
    )
    supplier: SupplierOut
    value: Decimal = Field(description="The value in force, after the amendments.")
    currency: str
    period_start: dt.date
    period_end: dt.date
    buyer_signed_at: dt.datetime
    date_signed: dt.datetime | None = Field(
        description="The supplier's confirmation, the last signature: in force from then."
    )
    ended_at: dt.datetime | None
    end_reason: str = Field(description="Why it was terminated or cancelled (or a note).")
    documents: list[ContractDocumentOut]
    amendments: list[ContractAmendmentOut]
    milestones: list[MilestoneOut] = Field(description="The deliveries, by due date.")
    payments: list[PaymentOut]
    url: str = Field(description="Its public page.")

    @staticmethod
    def resolve_ocds_id(obj: Contract) -> str:
        return obj.ocds_id

    @staticmethod
    def resolve_award_id(obj: Contract) -> str:
        # Only a tender's contracts are listed here: a purchase order has no award.
        assert obj.award is not None
        return obj.award.ocds_id

    @staticmethod
    def resolve_lot(obj: Contract) -> int:
        assert obj.award is not None
        return obj.award.lot.number

    @staticmethod
    def resolve_supplier(obj: Contract) -> dict[str, str]:
        return {"id": obj.supplier.party_id, "name": obj.supplier.display_name}

    @staticmethod
    def resolve_date_signed(obj: Contract) -> dt.datetime | None:
        return obj.supplier_signed_at

    @staticmethod
    def resolve_documents(obj: Contract) -> list[ContractDocument]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_amendments(obj: Contract) -> list[ContractAmendment]:
        return list(obj.amendments.all())

    @staticmethod
    def resolve_milestones(obj: Contract) -> list[Milestone]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_payments(obj: Contract) -> list[Payment]:
        return list(obj.payments.all())

    @staticmethod
    def resolve_url(obj: Contract) -> str:
        return contract_url(obj)
