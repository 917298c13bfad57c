"""The contracts' API (read only): a tender's published contracts, with their amendments,
deliveries and payments.

Public, like the open data it mirrors: a contract appears once the buyer signs it, never as a
draft; invoices are not listed (each payment names the invoice it paid, its due date and
whether it was late). The buyer and the supplier act on their pages.
"""

from django.http import HttpRequest
from ninja import Router

from pregon.contracts.models import Contract
from pregon.contracts.schemas import ContractOut
from pregon.contracts.selectors import contracts_public
from pregon.core.api_pagination import paginated
from pregon.organizations.api_auth import public
from pregon.tenders.selectors import tender_public_get

router = Router()


@router.get(
    "/tenders/{int:tender_id}/contracts",
    response=list[ContractOut],
    url_name="tender_contracts",
    summary="List a tender's contracts",
    tags=["tenders"],
    **public(errors=(404, 422)),
)
@paginated
def tender_contracts(request: HttpRequest, tender_id: int) -> list[Contract]:
    """The contracts of a published tender that the buyer has signed, by lot: the supplier,
    the value in force, the period, the signatures' dates, the documents, every amendment with
    the values before and after, the deliveries (due and met) and the payments, each with the
    invoice's due date and whether it was paid late. Drafts answer 404."""
    tender = tender_public_get(pk=tender_id)
    return contracts_public(tender=tender)
