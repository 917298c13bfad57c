"""Sections other apps add to a contract's pages, without this app importing them.

An app above contracts (subcontracting, say) registers a function from its `AppConfig.ready`
with `contract_section_register`; the contract's pages call `contract_sections_render`, which
asks every registered function, in the order they were registered, for its HTML. A function
returns the rendered HTML (escaped by the app that renders it: it is inserted as is) or "" when
it has nothing to show.

`page` names the page asking: "public" (everyone's contract page), "manage" (the buyer's) or
"mine" (the supplier's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from pregon.contracts.models import Contract

#: A section of a contract's page: its HTML for (contract, request, page), or "".
ContractSection = Callable[["Contract", HttpRequest, str], str]

_SECTIONS: list[ContractSection] = []


def contract_section_register(section: ContractSection) -> None:
    """Add a section to the contract's pages (a second call with the same function is a
    no-op)."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def contract_sections_render(
    contract: Contract, request: HttpRequest, page: str
) -> list[SafeString]:
    """The HTML of every registered section with something to show, in order."""
    rendered = (section(contract, request, page) for section in _SECTIONS)
    # The registered apps render their sections with Django's templates, which escape.
    return [mark_safe(html) for html in rendered if html]  # noqa: S308
