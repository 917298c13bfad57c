"""The subcontracts' part of a release: fields of ours added to each published contract
(`contracts[]`, merged by the contract's `id` into what `pregon.contracts.ocds` writes).

Registered with `pregon.publication.mapping` from `apps.py`, after the contracts' mapping.

Fields (documented in docs/open-data.md, "Extension fields", and docs/subcontracting.md):

* `contracts[].subcontracts[]`: `id` (`subcontract-<n>`), `description` (the work),
  `subcontractor` (`id`, `name`: an organization reference; the subcontractor is a party with
  the role `subcontractor`), `value`, `scale` (the subcontractor's scale when the subcontract
  was recorded, partyDetails_scale codes plus `selfEmployed`), `paid` (the total paid so far)
  and `payments[]` (`id`, `date`: the day paid, as its start in the buyer's zone, `value`);
  `fromSubOpportunity` names the sub-opportunity's public page when the subcontract comes
  from a chosen answer.
* `contracts[].msmeSubcontracting`: `paid` (the total paid to subcontractors that were MSMEs),
  `share` (that total over the contract's value, a fraction from 0 to 1, four decimals),
  `shareOfSubcontractPayments` (the same total over everything paid to subcontractors; left
  out while nothing was paid) and `requiredShare` (the fraction of the contract the tender
  required to subcontract to smaller firms, when it did).

Nothing is published about sub-opportunities and their answers (prices offered by firms that
were not chosen stay between them and the poster); the sub-opportunities themselves are public
on their pages and in the API.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from pregon.contracts.models import Contract
from pregon.contracts.ocds import day_start
from pregon.contracts.processes import contract_process
from pregon.publication.mapping import (
    ReleaseRequest,
    Sections,
    absolute_url,
    ocds_number,
    ocds_value,
)
from pregon.subcontracting.models import Subcontract
from pregon.subcontracting.selectors import subcontracting_figures, subcontracts_of
from pregon.tenders.choices import ContentLanguage

#: The party role of a subcontractor (partyRole is an open codelist; ours).
SUBCONTRACTOR_ROLE = "subcontractor"


def _subcontract(subcontract: Subcontract, zone: str, reference: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": subcontract.ocds_id,
        "description": subcontract.description,
        "subcontractor": reference,
        "value": ocds_value(subcontract.value, subcontract.currency),
        "scale": subcontract.scale,
        "paid": ocds_value(subcontract.paid_amount, subcontract.currency),
    }
    payments = [
        {
            "id": str(payment.number),
            "date": day_start(payment.paid_on, zone),
            "value": ocds_value(payment.amount, payment.currency),
        }
        for payment in subcontract.payments.all()
    ]
    if payments:
        data["payments"] = payments
    if subcontract.answer is not None:
        data["fromSubOpportunity"] = absolute_url(
            reverse("subcontracting:detail", kwargs={"pk": subcontract.answer.opportunity_id})
        )
    return data


def contract_subcontracts(contract: Contract, request: ReleaseRequest) -> dict[str, Any] | None:
    """The fields of ours of one published contract, or None when it has no subcontract."""
    subcontracts = subcontracts_of(contract=contract)
    if not subcontracts:
        return None
    zone = contract.buyer.effective_time_zone
    # Addresses in the procedure's language, as the contracts' own entries are.
    language = contract_process(contract).language
    with translation.override("pt-br" if language == ContentLanguage.PT else language):
        entries = [
            _subcontract(s, zone, request.parties.add(s.subcontractor, SUBCONTRACTOR_ROLE))
            for s in subcontracts
        ]
    figures = subcontracting_figures(contract, subcontracts)
    msme: dict[str, Any] = {
        "paid": ocds_value(figures.paid_to_msmes, figures.currency),
        "share": ocds_number(figures.msme_share),
    }
    if figures.msme_share_of_paid is not None:
        msme["shareOfSubcontractPayments"] = ocds_number(figures.msme_share_of_paid)
    if figures.required_share is not None:
        msme["requiredShare"] = ocds_number(Decimal(figures.required_share) / 100)
    return {"id": contract.ocds_id, "subcontracts": entries, "msmeSubcontracting": msme}


def subcontract_sections(request: ReleaseRequest) -> Sections | None:
    """The subcontracts of the process `request.ocid`'s published contracts; None when none
    has a subcontract."""
    # A tender's contracts by its ocid; a contract without a tender (a quick quote's purchase
    # order) by its procedure's, asked only of those that have subcontracts.
    candidates = (
        Contract.objects.filter(buyer_signed_at__isnull=False)
        .filter(
            Q(tender__ocid=request.ocid)
            | Q(tender__isnull=True, pk__in=Subcontract.objects.values("contract_id"))
        )
        .select_related("tender", "buyer")
        .order_by("pk")
    )
    contracts = [
        c for c in candidates if c.tender_id is not None or contract_process(c).ocid == request.ocid
    ]
    entries = [entry for entry in (contract_subcontracts(c, request) for c in contracts) if entry]
    if not entries:
        return None
    return Sections(body={"contracts": entries})
