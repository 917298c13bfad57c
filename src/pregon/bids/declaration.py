"""The self-declaration a supplier signs with each bid, instead of uploading certificates (the
idea of the EU's European Single Procurement Document, Directive 2014/24/EU art. 59).

Each wording has a version; a bid records the version its supplier signed, who signed and when.
A new wording is a new version (the old ones stay, so that every recorded declaration can still
be read as it was signed); the bid page and the API ask for the current one. The text is
translated for reading; the version identifies its content.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: The wording a supplier signs today.
DECLARATION_VERSION = "2026-12"

#: Every wording ever signed, by version: what the supplier declares, paragraph by paragraph.
DECLARATION_TEXTS: dict[str, tuple[Promise, ...]] = {
    "2026-12": (
        _(
            "I declare, for the supplier I act for, that it is not excluded from public "
            "procurement: it has not been convicted of corruption, fraud or participation in a "
            "criminal organization, and it is not barred from contracting with the State."
        ),
        _(
            "It is up to date with its taxes and its social security contributions, and it "
            "exists legally as its profile on this platform says."
        ),
        _(
            "The scale, legal form and characteristics of its profile are true, and it meets "
            "the conditions of this tender that it is asked to meet."
        ),
        _(
            "If it wins, it will give the evidence of all this (the documents it holds on the "
            "platform, current, and the evidence of its size) before the contract; a false "
            "declaration excludes the bid and may be reported to the authorities."
        ),
    ),
}


def declaration_text(version: str = DECLARATION_VERSION) -> list[str]:
    """The paragraphs of a version of the declaration, in the active language."""
    return [str(paragraph) for paragraph in DECLARATION_TEXTS[version]]
