"""The contracts' part of a release: OCDS `contracts[]` with their documents, deliveries
(`milestones`), amendments and payments (`implementation.transactions`), and the supplier and
buyer as parties. Nothing of a draft: a contract is published when the buyer signs it.

Registered with `pregon.publication.mapping` from `apps.py`, after the evaluation's mapping,
which publishes the awards: every contract's `awardID` is its award's `ocds_id`, an award of
the same release.

Choices (also in docs/open-data.md):

* `contracts[].id` is `contract-<n>`; `status` is `pending` once the buyer signed (awaiting the
  supplier's confirmation), `active` in force, `terminated` when completed or terminated, and
  `cancelled` when a signed contract is cancelled before the supplier confirmed it;
  `dateSigned` is the date of the last signature, the supplier's confirmation.
* The contract's days (period, due dates, dates met, payments) are days of the buyer's
  calendar: a day that something happens *on* is published as its start in the buyer's zone
  (`period.startDate`, `dateMet`, a transaction's `date`), a day that something is due *by*
  as its last second (`period.endDate`, `dueDate`), both in UTC.
* Deliveries are `contracts[].milestones` of type `delivery`, `scheduled` or `met` (with
  `dateMet`); amendments are `contracts[].amendments` with `rationale` (the buyer's reason) and
  `description` (the values before and after, in the tender's language).
* Each payment is a transaction from the buyer (`payer`) to the supplier (`payee`), both
  parties (roles `payer` and `payee`), with two fields of our own: `invoice` (`id`,
  `dateReceived`, `dueDate`) and `paidLate`, whether the payment was made after the invoice's
  due date. Invoices themselves are not published.
* The reason of a termination or of a cancellation is a `cancellationDetails` document of the
  contract; a completion, a `completionCertificate` document of its implementation.
* Signatories (who signed for each side) are not published: officials' personal data stays
  off open data; the signed contract's text, a document, is public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pregon.contracts.choices import ContractStatus, MilestoneStatus
from pregon.contracts.models import Contract, ContractAmendment, Milestone, Payment
from pregon.contracts.selectors import contracts_public
from pregon.publication.mapping import (
    Parties,
    ReleaseRequest,
    Sections,
    absolute_url,
    ocds_datetime,
    ocds_number,
    ocds_value,
)
from pregon.tenders.choices import ContentLanguage
from pregon.tenders.models import Tender

#: The platform's contract states in the closed OCDS contractStatus codelist.
CONTRACT_STATUS = {
    ContractStatus.SIGNED: "pending",
    ContractStatus.ACTIVE: "active",
    ContractStatus.COMPLETED: "terminated",
    ContractStatus.TERMINATED: "terminated",
    ContractStatus.CANCELLED: "cancelled",
}


def day_start(day: dt.date, zone: str) -> str:
    """A day something happens on: its first moment in `zone`, in UTC."""
    return ocds_datetime(dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(zone)))


def day_end(day: dt.date, zone: str) -> str:
    """A day something is due by: its last second in `zone`, in UTC."""
    return ocds_datetime(dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=ZoneInfo(zone)))


def contract_url(contract: Contract, anchor: str = "") -> str:
    """The contract's public page (in the active language)."""
    path = reverse("contracts:detail", kwargs={"pk": contract.pk})
    return absolute_url(f"{path}#{anchor}" if anchor else path)


def amendment_summary(amendment: ContractAmendment, contract: Contract) -> str:
    """What an amendment changed, in words, in the active language: each value before and
    after."""
    parts = []
    if amendment.new_value is not None and amendment.previous_value is not None:
        parts.append(
            _("Value: from %(before)s to %(after)s %(currency)s.")
            % {
                "before": ocds_number(amendment.previous_value),
                "after": ocds_number(amendment.new_value),
                "currency": contract.currency,
            }
        )
    if amendment.new_period_end is not None and amendment.previous_period_end is not None:
        parts.append(
            _("End of the period: from %(before)s to %(after)s.")
            % {
                "before": amendment.previous_period_end.isoformat(),
                "after": amendment.new_period_end.isoformat(),
            }
        )
    if amendment.new_description is not None:
        parts.append(
            _("Description: from “%(before)s” to “%(after)s”.")
            % {"before": amendment.previous_description or "", "after": amendment.new_description}
        )
    return " ".join(parts)


def _milestone(milestone: Milestone, zone: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(milestone.number), "title": milestone.title}
    if milestone.description:
        data["description"] = milestone.description
    data["type"] = "delivery"
    data["dueDate"] = day_end(milestone.due_date, zone)
    data["status"] = milestone.status
    if milestone.status == MilestoneStatus.MET and milestone.date_met is not None:
        data["dateMet"] = day_start(milestone.date_met, zone)
    return data


def _transaction(
    payment: Payment, zone: str, payer: dict[str, str], payee: dict[str, str], contract: Contract
) -> dict[str, Any]:
    invoice = payment.invoice
    return {
        "id": str(payment.number),
        "date": day_start(payment.paid_on, zone),
        "value": ocds_value(payment.amount, payment.currency),
        "payer": payer,
        "payee": payee,
        "uri": contract_url(contract, f"contract-payment-{payment.number}"),
        "invoice": {
            "id": str(invoice.number),
            "dateReceived": day_start(invoice.received_on, zone),
            "dueDate": day_end(invoice.due_on, zone),
        },
        "paidLate": payment.paid_on > invoice.due_on,
    }


def _documents(contract: Contract, language: str) -> list[dict[str, Any]]:
    assert contract.buyer_signed_at is not None
    documents: list[dict[str, Any]] = [
        {
            "id": str(document.pk),
            "documentType": document.document_type,
            "title": document.title,
            "url": absolute_url(document.get_absolute_url()),
            "datePublished": ocds_datetime(max(document.uploaded_at, contract.buyer_signed_at)),
            "format": document.content_type,
            "language": language,
        }
        for document in contract.documents.all()
    ]
    if contract.status in (ContractStatus.TERMINATED, ContractStatus.CANCELLED):
        assert contract.ended_at is not None
        terminated = contract.status == ContractStatus.TERMINATED
        documents.append(
            {
                "id": "termination" if terminated else "cancellation",
                "documentType": "cancellationDetails",
                "title": _("Reason for the termination")
                if terminated
                else _("Reason for the cancellation"),
                "description": contract.end_reason,
                "url": contract_url(contract),
                "datePublished": ocds_datetime(contract.ended_at),
                "format": "text/html",
                "language": language,
            }
        )
    return documents


def contract_entry(
    contract: Contract,
    language: str,
    parties: Parties,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One published contract as an OCDS `Contract`, its texts in `language` (its procedure's
    `ContentLanguage`); `previous` is the same contract in the compiled release (to clear a
    description that became empty). A purchase order (no award) names no `awardID`: the
    quick quote's mapping, which publishes its award, adds it (ADR 0020)."""
    zone = contract.buyer.effective_time_zone
    payments = list(contract.payments.all())
    payee_roles = ("supplier", "payee") if payments else ("supplier",)
    payee = parties.add(contract.supplier, *payee_roles)
    data: dict[str, Any] = {"id": contract.ocds_id}
    if contract.award is not None:
        data["awardID"] = contract.award.ocds_id
    data["title"] = contract.title
    if contract.description:
        data["description"] = contract.description
    elif previous and previous.get("description") is not None:
        data["description"] = None
    data["status"] = CONTRACT_STATUS[ContractStatus(contract.status)]
    data["period"] = {
        "startDate": day_start(contract.period_start, zone),
        "endDate": day_end(contract.period_end, zone),
    }
    data["value"] = ocds_value(contract.value, contract.currency)
    if contract.supplier_signed_at is not None:
        data["dateSigned"] = ocds_datetime(contract.supplier_signed_at)
    documents = _documents(contract, language)
    if documents:
        data["documents"] = documents
    milestones = [_milestone(m, zone) for m in contract.milestones.all()]
    if milestones:
        data["milestones"] = milestones
    amendments = [
        {
            "id": str(amendment.number),
            "date": ocds_datetime(amendment.created_at),
            "rationale": amendment.reason,
            "description": amendment_summary(amendment, contract),
        }
        for amendment in contract.amendments.all()
    ]
    if amendments:
        data["amendments"] = amendments
    implementation: dict[str, Any] = {}
    if payments:
        payer = parties.add(contract.buyer, "payer")
        implementation["transactions"] = [
            _transaction(payment, zone, payer, payee, contract) for payment in payments
        ]
    if contract.status == ContractStatus.COMPLETED:
        assert contract.ended_at is not None
        implementation["documents"] = [
            {
                "id": "completion",
                "documentType": "completionCertificate",
                "title": _("Completion of the contract"),
                "description": contract.end_reason
                or _("The buyer recorded the contract as completed: every delivery was met."),
                "url": contract_url(contract),
                "datePublished": ocds_datetime(contract.ended_at),
                "format": "text/html",
                "language": language,
            }
        ]
    if implementation:
        data["implementation"] = implementation
    return data


def contract_sections(request: ReleaseRequest) -> Sections | None:
    """The contracts' sections of the process `request.ocid`: None until a contract of it is
    signed by the buyer."""
    tender = Tender.objects.select_related("buyer").filter(ocid=request.ocid).first()
    if tender is None:
        return None
    contracts = contracts_public(tender=tender)
    if not contracts:
        return None
    previous = {
        entry.get("id"): entry
        for entry in (request.previous or {}).get("contracts") or []
        if isinstance(entry, dict)
    }
    language = "pt-br" if tender.language == ContentLanguage.PT else tender.language
    with translation.override(language):
        entries = [
            contract_entry(
                contract, tender.language, request.parties, previous.get(contract.ocds_id)
            )
            for contract in contracts
        ]
    return Sections(body={"contracts": entries})
