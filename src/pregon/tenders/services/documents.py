"""A tender's documents: attached to a draft (or by an amendment), stored under their hash."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import ValidationFailed
from pregon.core.uploads import check_upload
from pregon.tenders.choices import DocumentType
from pregon.tenders.models import Amendment, Tender, TenderDocument
from pregon.tenders.services.common import move, require_buyer, save_changed, tender_lock
from pregon.tenders.services.data import DocumentData
from pregon.tenders.services.validation import check_column_text


def store_document(
    actor: Actor, tender: Tender, data: DocumentData, amendment: Amendment | None = None
) -> TenderDocument:
    """Check an upload and store it as a document of the (locked) tender."""
    if not data.title.strip():
        raise ValidationFailed(_("Give the document a title."), field="title")
    check_column_text(TenderDocument, "title", data.title.strip())
    if data.document_type not in DocumentType.values:
        raise ValidationFailed(_("Choose the type of document."), field="document_type")
    checked = check_upload(data.upload)
    # Browsers send names of up to 255 characters; keep the end, where the extension is.
    limit = TenderDocument._meta.get_field("filename").max_length or 200
    filename = checked.filename if len(checked.filename) <= limit else checked.filename[-limit:]
    document = TenderDocument(
        tender=tender,
        title=data.title.strip(),
        document_type=data.document_type,
        filename=filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        amendment=amendment,
        uploaded_by=actor.user,
    )
    # Stored under its content hash: a rolled-back upload leaves at most an unreferenced file
    # that a later identical upload reuses; no row ever points at a partial write.
    document.file.save(checked.sha256, checked.file, save=False)
    document.save()
    return document


def document_add(*, actor: Actor, tender: Tender, data: DocumentData) -> TenderDocument:
    """Attach a document to a draft. (An open tender gets documents through an amendment.)"""
    require_buyer(actor, tender)
    with transaction.atomic():
        locked = tender_lock(tender)
        move(locked, "edit")
        document = store_document(actor, locked, data)
        save_changed(locked, only=())
        audit_record(
            actor=actor,
            action="document.add",
            target=document,
            summary={"tender": locked.pk, "sha256": document.sha256, "filename": document.filename},
        )
    return document


def document_delete(*, actor: Actor, document: TenderDocument) -> None:
    """Remove a document from a draft."""
    require_buyer(actor, document.tender)
    with transaction.atomic():
        locked = tender_lock(document.tender)
        move(locked, "edit")
        audit_record(
            actor=actor,
            action="document.delete",
            target=document,
            summary={"tender": locked.pk, "sha256": document.sha256},
        )
        name, storage = document.file.name or "", document.file.storage
        document.delete()
        save_changed(locked, only=())
        if not TenderDocument.objects.filter(file=name).exists():
            transaction.on_commit(lambda: storage.delete(name))
