"""The documents a supplier holds once, and the reminders before they expire.

- `supplier_document_upload`: a supplier's person uploads a document of a kind (legal
  existence, tax, social security, evidence of size) with the day it expires; it replaces the
  one held of that kind, which stays for the record. Uploads are bounded and type-checked
  (`core.uploads.check_upload`). A new evidence of size puts the scale back to verify.
- `supplier_document_remove`: the document is no longer held (the record stays).

Every upload enqueues, on commit, one task per threshold (`PREGON_DOCUMENT_REMINDER_DAYS`, 30
and 7 days before expiry by default) to run on the day it is reached (`tasks.remind_document`);
the periodic `pregon remind_documents` is the safety net behind them (`reminders.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.uploads import check_upload
from pregon.organizations import tasks
from pregon.organizations.choices import DocumentKind, ScaleStatus
from pregon.organizations.models import Organization, SupplierDocument
from pregon.organizations.selectors import today_of

#: Kinds that always expire: a compliance certificate is valid for a stated period.
_EXPIRING_KINDS = frozenset({DocumentKind.TAX, DocumentKind.SOCIAL_SECURITY})


@dataclass(kw_only=True)
class DocumentData:
    """A document as a supplier uploads it."""

    kind: str
    upload: UploadedFile
    expires_on: dt.date | None = None
    issued_on: dt.date | None = None


def _check_dates(data: DocumentData, today: dt.date) -> None:
    for name in ("expires_on", "issued_on"):
        value = getattr(data, name)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise ValidationFailed(_("Give a date."), field=name)
    if data.expires_on is None and data.kind in _EXPIRING_KINDS:
        raise ValidationFailed(
            _("Give the day this certificate expires: it is printed on it."), field="expires_on"
        )
    if data.expires_on is not None and data.expires_on < today:
        raise ValidationFailed(
            _("This document has expired already; upload a current one."),
            field="expires_on",
            code="document_expired",
        )
    if data.issued_on is not None and data.issued_on > today:
        raise ValidationFailed(_("A document cannot be issued in the future."), field="issued_on")
    if (
        data.issued_on is not None
        and data.expires_on is not None
        and data.expires_on < data.issued_on
    ):
        raise ValidationFailed(
            _("A document cannot expire before it is issued."), field="expires_on"
        )


def supplier_document_upload(
    *, actor: Actor, organization: Organization, data: DocumentData
) -> SupplierDocument:
    """Hold a document of `data.kind` for the supplier, in place of the one held of that kind.

    The file is checked first (not empty, within the size limit, its content of its type).
    Reminders before it expires are enqueued after the commit.
    """
    if organization.kind != OrganizationKind.SUPPLIER:
        raise PermissionDenied(_("Only suppliers hold documents here."))
    require_role(actor, organization, SUPPLIER_ROLES)
    if data.kind not in DocumentKind.values:
        raise ValidationFailed(_("Choose the kind of document."), field="kind")
    _check_dates(data, today_of(organization))
    checked = check_upload(data.upload)
    limit = SupplierDocument._meta.get_field("filename").max_length or 200
    filename = checked.filename[-limit:]
    now = clock.now()
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        replaced = list(
            SupplierDocument.objects.select_for_update().filter(
                organization=locked, kind=data.kind, removed_at__isnull=True
            )
        )
        SupplierDocument.objects.filter(pk__in=[old.pk for old in replaced]).update(removed_at=now)
        document = SupplierDocument(
            organization=locked,
            kind=data.kind,
            filename=filename,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            issued_on=data.issued_on,
            expires_on=data.expires_on,
            uploaded_by=actor.user,
            uploaded_at=now,
        )
        document.file.save(filename, checked.file, save=False)
        document.save()
        if data.kind == DocumentKind.SCALE_EVIDENCE:
            _scale_to_verify(locked, ScaleStatus.PENDING)
        audit_record(
            actor=actor,
            action="supplier_document.upload",
            target=document,
            summary={
                "document_kind": document.kind,
                "filename": document.filename,
                "expires_on": document.expires_on,
            },
        )
        document_id = document.pk
        transaction.on_commit(lambda: _enqueue_reminders(document_id), robust=True)
    return document


def supplier_document_remove(*, actor: Actor, document: SupplierDocument) -> SupplierDocument:
    """Stop holding a document (its record stays). Removing the evidence of size puts the
    scale back to declared."""
    require_role(actor, document.organization, SUPPLIER_ROLES)
    with transaction.atomic():
        locked_org = Organization.objects.select_for_update().get(pk=document.organization_id)
        locked = SupplierDocument.objects.select_for_update().get(pk=document.pk)
        if locked.removed_at is not None:
            raise InvalidTransition(
                _("This document was replaced or removed already."), code="document_removed"
            )
        locked.removed_at = clock.now()
        locked.save(update_fields=["removed_at"])
        if locked.kind == DocumentKind.SCALE_EVIDENCE:
            _scale_to_verify(locked_org, ScaleStatus.DECLARED)
        audit_record(
            actor=actor,
            action="supplier_document.remove",
            target=locked,
            summary={"document_kind": locked.kind, "filename": locked.filename},
        )
    return locked


def _scale_to_verify(organization: Organization, status: str) -> None:
    """New (or no) evidence: a verification made on the old evidence no longer holds."""
    organization.scale_status = status
    organization.scale_reviewed_by = None
    organization.scale_reviewed_at = None
    organization.scale_review_note = ""
    organization.save(
        update_fields=[
            "scale_status",
            "scale_reviewed_by",
            "scale_reviewed_at",
            "scale_review_note",
        ]
    )


# ---------------------------------------------------------------------------------------------
# reminders


def _enqueue_reminders(document_id: int) -> None:
    """One task per threshold not yet passed, to run on the day it is reached (midnight UTC)."""
    document = SupplierDocument.objects.filter(pk=document_id).first()
    if document is None or document.expires_on is None:
        return
    now = clock.now()
    for days in settings.PREGON_DOCUMENT_REMINDER_DAYS:
        day = document.expires_on - dt.timedelta(days=days)
        run_after = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        tasks.remind_document.using(run_after=max(run_after, now)).enqueue(document_id)
