"""What the contract services take: typed values that pages, the API and commands fill in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile

from pregon.contracts.models import Milestone


@dataclass(kw_only=True)
class ContractData:
    """What a buyer official writes in a draft contract (its value comes from the award)."""

    title: str
    period_start: dt.date
    period_end: dt.date
    description: str = ""


@dataclass(kw_only=True)
class OrderData:
    """A purchase order issued from a procedure other than a tender (a quick quote's, ADR
    0020): its value and currency are the chosen quote's."""

    title: str
    value: Decimal
    currency: str
    period_start: dt.date
    period_end: dt.date
    description: str = ""


@dataclass(kw_only=True)
class DocumentData:
    """An uploaded document: `document_type` a `ContractDocumentType` code."""

    title: str
    document_type: str
    upload: UploadedFile


@dataclass(kw_only=True)
class MilestoneData:
    """A delivery the contract expects by `due_date`."""

    title: str
    due_date: dt.date
    description: str = ""


@dataclass(kw_only=True)
class AmendmentData:
    """A change to a contract in force: `reason` always, and at least one new value (None
    leaves a value as it is). A document may come with it (the signed amendment)."""

    reason: str
    value: Decimal | None = None
    period_end: dt.date | None = None
    description: str | None = None
    document: DocumentData | None = None


@dataclass(kw_only=True)
class InvoiceData:
    """A supplier's invoice against one of its contract's deliveries."""

    milestone: Milestone
    reference: str
    amount: Decimal
    issued_on: dt.date
    upload: UploadedFile


@dataclass(kw_only=True)
class PaymentData:
    """A payment of (part of) an accepted invoice, made on `paid_on`."""

    amount: Decimal
    paid_on: dt.date
