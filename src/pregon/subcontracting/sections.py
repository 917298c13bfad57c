"""The subcontracts' section of a contract's pages (registered with
`pregon.contracts.page_sections` from `apps.py`): the subcontracts, their payments and the
share paid to MSMEs, with the prime's links to record them and to post a sub-opportunity."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.permissions import roles_in
from pregon.contracts.models import Contract
from pregon.core.transitions import can_transition
from pregon.subcontracting.choices import CONTRACT_MOVES
from pregon.subcontracting.selectors import contract_subcontracting


def contract_subcontracts_section(contract: Contract, request: HttpRequest, page: str) -> str:
    """The section's HTML; "" on the buyer's working page, and on a public page of a contract
    without subcontracts seen by anyone but its supplier."""
    if page == "manage" or contract.buyer_signed_at is None:
        return ""
    user = request.user if request.user.is_authenticated else None
    is_prime = bool(roles_in(user, contract.supplier) & SUPPLIER_ROLES)
    found = contract_subcontracting(contract=contract)
    if not found.subcontracts and not is_prime:
        return ""
    context = {
        "contract": contract,
        "subcontracts": found.subcontracts,
        "figures": found.figures,
        "is_prime": is_prime,
        "can_subcontract": can_transition(contract, "subcontract", CONTRACT_MOVES),
        "level": 2,
    }
    return render_to_string("subcontracting/partials/contract_section.html", context, request)
