"""What every contract service does the same way: check who acts, lock the rows in one order
(the tender, then the contract, then its invoice or delivery), check texts, amounts and dates,
number the contract's parts, and store an uploaded document.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_WRITE_ROLES, SUPPLIER_ROLES
from pregon.accounts.permissions import require_role
from pregon.contracts.choices import TEXT_MAX_LENGTH, ContractDocumentType
from pregon.contracts.models import Contract, ContractAmendment, ContractDocument
from pregon.contracts.services.data import DocumentData
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.core.uploads import check_upload
from pregon.tenders.models import Tender


def require_buyer(actor: Actor, contract: Contract) -> None:
    """Refuse anyone but an official of the contract's buyer."""
    require_role(actor, contract.buyer, BUYER_WRITE_ROLES)


def require_supplier(actor: Actor, contract: Contract) -> None:
    """Refuse anyone but a person (or an API key) of the contract's supplier."""
    require_role(actor, contract.supplier, SUPPLIER_ROLES)


def contract_lock(contract: Contract) -> Contract:
    """The contract's row read again under a lock, after its tender's: publication runs while
    the tender's row is held, and every contract service takes the two in this order."""
    # A purchase order has no tender: its quick quote's service holds that row instead.
    if contract.tender_id is not None:
        Tender.objects.select_for_update().only("pk").get(pk=contract.tender_id)
    # Only the contract's row: the tender, the organizations and the award read with it are
    # not locked (`of`), so that a contract's service never waits on an unrelated change.
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("tender", "buyer", "supplier", "award")
        .get(pk=contract.pk)
    )


def next_number(model: type[models.Model], contract: Contract) -> int:
    """The next number of a contract's amendments, deliveries, invoices or payments (the
    caller holds the contract's lock, so two never get the same)."""
    last = (
        model._default_manager.filter(contract=contract)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def clean_text(
    value: str | None,
    field: str,
    *,
    missing: str | None = None,
    model: type[models.Model] | None = None,
) -> str:
    """`value` stripped; refused when empty (if `missing` says why), too long for its column
    (or for `TEXT_MAX_LENGTH`), or holding a NUL character."""
    text = (value or "").strip()
    if not text and missing is not None:
        raise ValidationFailed(missing, field=field)
    if "\x00" in text:
        raise ValidationFailed(_("Remove the NUL character (code 0) from this text."), field=field)
    limit = TEXT_MAX_LENGTH
    if model is not None:
        limit = getattr(model._meta.get_field(field), "max_length", None) or TEXT_MAX_LENGTH
    if len(text) > limit:
        raise ValidationFailed(
            _("This text is too long (%(length)s characters); the limit is %(limit)s.")
            % {"length": len(text), "limit": limit},
            field=field,
        )
    return text


def clean_amount(value: Decimal | None, field: str) -> Decimal:
    """A positive amount the columns hold exactly (18 digits, 2 decimals)."""
    if isinstance(value, int | float):
        value = Decimal(str(value))
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationFailed(_("Give an amount."), field=field)
    if value <= 0:
        raise ValidationFailed(_("The amount must be more than zero."), field=field)
    if value >= Decimal(10) ** 16:
        raise ValidationFailed(_("This amount is too large."), field=field)
    if value != value.quantize(Decimal("0.01")):
        raise ValidationFailed(_("Use at most 2 decimal places."), field=field)
    return value


def clean_date(value: dt.date | None, field: str, *, missing: str) -> dt.date:
    """A calendar date (a moment given instead is refused: dates here are days)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed(missing, field=field)
    return value


def check_document(data: DocumentData) -> None:
    """Refuse a document without a title or a type, before anything is locked (the upload
    itself is checked by `store_document`)."""
    clean_text(data.title, "title", missing=_("Give the document a title."), model=ContractDocument)
    if data.document_type not in ContractDocumentType.values:
        raise ValidationFailed(_("Choose the type of document."), field="document_type")


def store_document(
    actor: Actor,
    contract: Contract,
    data: DocumentData,
    amendment: ContractAmendment | None = None,
) -> ContractDocument:
    """Check an upload (bounded size, type from its content) and store it as a document of
    the (locked) contract, under its content hash."""
    check_document(data)
    checked = check_upload(data.upload)
    limit = ContractDocument._meta.get_field("filename").max_length or 200
    filename = checked.filename if len(checked.filename) <= limit else checked.filename[-limit:]
    document = ContractDocument(
        contract=contract,
        title=data.title.strip(),
        document_type=data.document_type,
        filename=filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        amendment=amendment,
        uploaded_by=actor.user,
        uploaded_at=clock.now(),
    )
    # Stored under its content hash: a rolled-back upload leaves at most an unreferenced file
    # that a later identical upload reuses; no row ever points at a partial write.
    document.file.save(checked.sha256, checked.file, save=False)
    document.save()
    return document
