"""The procedure a contract came from, as the contracts' code needs it: its ocid (where the
contract's releases go), its language, its rule pack, its reference, title and public page.

A contract comes from a tender's award, or from a procedure of an app above contracts that
issues orders as contracts (a quick quote's purchase order, ADR 0020), whose `tender` and
`award` are then empty. Contracts cannot import those apps (the layer map): each registers,
from its `AppConfig.ready`, a lookup that tells the procedure of a contract it issued. The
tender's is built in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pregon.contracts.models import Contract
from pregon.organizations.models import Organization


@dataclass(frozen=True, kw_only=True)
class ContractProcess:
    """The procedure of a contract. `language` is a `ContentLanguage` code, `rule_pack` a
    ``CODE@VERSION`` ("" for none kept), `url` its public page ("" when it has none), `kind`
    "tender" or the registering app's own word ("quick_quote")."""

    kind: str
    ocid: str
    language: str
    rule_pack: str
    reference: str
    title: str
    url: str
    buyer: Organization

    # The templates of contracts read a procedure as they read a tender.
    def get_absolute_url(self) -> str:
        return self.url


#: A lookup: the procedure of `contract` when the registering app issued it, else None.
ProcessLookup = Callable[[Contract], ContractProcess | None]

_LOOKUPS: list[ProcessLookup] = []


def process_lookup_register(lookup: ProcessLookup) -> None:
    """Add a lookup (called from an `AppConfig.ready`; a second call is a no-op)."""
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


class UnknownProcess(LookupError):
    """A contract with no tender that no registered app claims."""


def contract_process(contract: Contract) -> ContractProcess:
    """The procedure `contract` came from: its tender, else the one a registered app issued it
    from (`UnknownProcess` when none does)."""
    tender = contract.tender if contract.tender_id is not None else None
    if tender is not None:
        return ContractProcess(
            kind="tender",
            ocid=str(tender.ocid or ""),
            language=tender.language,
            rule_pack=tender.rule_pack,
            reference=tender.reference,
            title=tender.title,
            url=tender.get_absolute_url() if tender.is_public else "",
            buyer=tender.buyer,
        )
    for lookup in _LOOKUPS:
        found = lookup(contract)
        if found is not None:
            return found
    raise UnknownProcess(f"contract {contract.pk} has no tender and no registered procedure")
