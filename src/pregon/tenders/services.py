"""Every change to a tender goes through one of these functions (pages, API, commands, tasks).

Each one checks permission and the allowed from-states, locks the tender row, validates,
writes inside one transaction with its audit row, and schedules follow-up work on commit.
A refused action raises a `DomainError` and leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_WRITE_ROLES, SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import require_role
from pregon.core import classifications, clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from pregon.core.uploads import check_upload
from pregon.organizations.models import Organization
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.tenders.choices import (
    AMENDABLE_FIELDS,
    TRANSITIONS,
    AwardCriteria,
    Category,
    ClassificationScheme,
    ContentLanguage,
    Currency,
    DocumentType,
    Method,
    TenderStatus,
)
from pregon.tenders.models import Amendment, Item, Lot, Question, Tender, TenderDocument


@dataclass(kw_only=True)
class ItemData:
    description: str
    classification_scheme: str
    classification_code: str
    quantity: Decimal
    unit: str


@dataclass(kw_only=True)
class LotData:
    title: str
    description: str = ""
    estimated_value: Decimal | None = None
    items: list[ItemData] = field(default_factory=list)


@dataclass(kw_only=True)
class TenderData:
    """The fields a buyer official fills in for a draft."""

    reference: str
    title: str
    description: str
    method: str
    category: str
    estimated_value: Decimal
    currency: str
    enquiry_end: dt.datetime
    submission_deadline: dt.datetime
    opening_at: dt.datetime
    language: str = ContentLanguage.ES
    award_criteria: str = AwardCriteria.PRICE_ONLY
    award_criteria_details: str = ""
    # None keeps the lots as they are (on update); a list replaces them (on create).
    lots: list[LotData] | None = None


@dataclass(kw_only=True)
class DocumentData:
    upload: UploadedFile
    title: str
    document_type: str = DocumentType.BIDDING_DOCUMENTS


@dataclass(kw_only=True)
class AmendmentData:
    """What an amendment changes; fields left as None stay as they are."""

    reason: str
    title: str | None = None
    description: str | None = None
    estimated_value: Decimal | None = None
    award_criteria: str | None = None
    award_criteria_details: str | None = None
    enquiry_end: dt.datetime | None = None
    submission_deadline: dt.datetime | None = None
    opening_at: dt.datetime | None = None
    documents: list[DocumentData] = field(default_factory=list)


# Changes to these alter what bidders must offer; the deadline must then leave them time.
_OFFER_FIELDS = {"description", "estimated_value", "award_criteria", "award_criteria_details"}


# ---------------------------------------------------------------------------------------------
# helpers


def _lock(tender: Tender) -> Tender:
    return Tender.objects.select_for_update().select_related("buyer").get(pk=tender.pk)


def _require_transition(tender: Tender, transition: str) -> None:
    allowed, _target = TRANSITIONS[transition]
    if tender.status not in allowed:
        messages = {
            "publish": _("Only a draft can be published; this tender is %(status)s."),
            "close": _("Only an open tender can close; this tender is %(status)s."),
            "cancel": _("This tender is already %(status)s and cannot be cancelled."),
            "amend": _("Only an open tender can be amended; this tender is %(status)s."),
            "edit": _(
                "Only a draft can be edited; this tender is %(status)s. Use an "
                "amendment for an open tender."
            ),
        }
        raise InvalidTransition(
            messages[transition] % {"status": tender.get_status_display().lower()},
            code=f"cannot_{transition}",
        )


def _require_buyer(actor: Actor, tender_or_buyer: Tender | Organization) -> None:
    buyer = tender_or_buyer.buyer if isinstance(tender_or_buyer, Tender) else tender_or_buyer
    require_role(actor, buyer, BUYER_WRITE_ROLES)


def _check_choice(value: str, choices: type[Any], name: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationFailed(message, field=name)


def _check_length(model: type[models.Model], name: str, value: str) -> None:
    # The column's limit, checked here: PostgreSQL would refuse the row with a server error.
    limit = getattr(model._meta.get_field(name), "max_length", None)
    if limit is not None and len(value) > limit:
        raise ValidationFailed(
            _("This text is too long (%(length)s characters); the limit is %(limit)s.")
            % {"length": len(value), "limit": limit},
            field=name,
        )


def _check_number(
    value: Decimal | None, model: type[models.Model], name: str, *, positive: bool = False
) -> None:
    """Refuse a number the column cannot hold exactly (or a negative one, or zero if `positive`)."""
    column = model._meta.get_field(name)
    assert isinstance(column, models.DecimalField)
    if isinstance(value, int | float):
        # Callers are typed to pass Decimal; a plain number from a script still gets checked.
        value = Decimal(str(value))
    if value is None or not value.is_finite():
        raise ValidationFailed(_("Give a number."), field=name)
    if value < 0 or (positive and value == 0):
        message = (
            _("The quantity must be more than zero.")
            if positive
            else _("The estimated value cannot be negative.")
        )
        raise ValidationFailed(message, field=name)
    places, digits = column.decimal_places or 0, column.max_digits or 0
    if value >= Decimal(10) ** (digits - places):
        raise ValidationFailed(_("This number is too large."), field=name)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed(
            _("Use at most %(places)s decimal places.") % {"places": places}, field=name
        )


def _validate_fields(data: TenderData | AmendmentData, *, partial: bool) -> None:
    """Checks that do not depend on the stored tender."""

    def given(name: str) -> bool:
        return not partial or getattr(data, name) is not None

    if isinstance(data, TenderData):
        if not data.reference.strip():
            raise ValidationFailed(
                _("Give the buyer's reference for this tender."), field="reference"
            )
        _check_choice(data.method, Method, "method", _("Choose a procurement method."))
        _check_choice(data.category, Category, "category", _("Choose a main category."))
        _check_choice(data.currency, Currency, "currency", _("Choose a currency."))
        _check_choice(data.language, ContentLanguage, "language", _("Choose a language."))
        _check_length(Tender, "reference", data.reference)
    if given("title") and not (data.title or "").strip():
        raise ValidationFailed(_("Give the tender a title."), field="title")
    if given("title"):
        _check_length(Tender, "title", data.title or "")
    if given("description") and not (data.description or "").strip():
        raise ValidationFailed(_("Describe what is being bought."), field="description")
    if given("estimated_value"):
        _check_number(data.estimated_value, Tender, "estimated_value")
    if given("award_criteria"):
        _check_choice(
            data.award_criteria or "",
            AwardCriteria,
            "award_criteria",
            _("Choose the award criteria."),
        )


def _validate_dates(enquiry_end: dt.datetime, deadline: dt.datetime, opening: dt.datetime) -> None:
    if enquiry_end > deadline:
        raise ValidationFailed(
            _("Questions must close before the bid deadline."), field="enquiry_end"
        )
    if opening < deadline:
        raise ValidationFailed(_("Bids cannot be opened before the deadline."), field="opening_at")


def _validate_item(item: ItemData) -> None:
    if not item.description.strip():
        raise ValidationFailed(_("Describe each item."), field="description")
    if item.classification_scheme not in ClassificationScheme.values:
        raise ValidationFailed(_("Choose CPV or UNSPSC."), field="classification_scheme")
    if not classifications.is_valid(item.classification_scheme, item.classification_code):
        raise ValidationFailed(
            _("%(code)s is not a %(scheme)s code we know. Pick one from the list.")
            % {"code": item.classification_code, "scheme": item.classification_scheme},
            field="classification_code",
        )
    _check_length(Item, "description", item.description.strip())
    _check_number(item.quantity, Item, "quantity", positive=True)
    if not item.unit.strip():
        raise ValidationFailed(_("Give the unit of measure (e.g. unit, box, hour)."), field="unit")
    _check_length(Item, "unit", item.unit.strip())


def _validate_lot(lot: LotData) -> None:
    if not lot.title.strip():
        raise ValidationFailed(_("Give each lot a title."), field="title")
    _check_length(Lot, "title", lot.title.strip())
    if lot.estimated_value is not None:
        _check_number(lot.estimated_value, Lot, "estimated_value")
    for item in lot.items:
        _validate_item(item)


def _create_lot(tender: Tender, number: int, data: LotData) -> Lot:
    lot = Lot.objects.create(
        tender=tender,
        number=number,
        title=data.title.strip(),
        description=data.description.strip(),
        estimated_value=data.estimated_value,
    )
    for item in data.items:
        _create_item(lot, item)
    return lot


def _create_item(lot: Lot, data: ItemData) -> Item:
    return Item.objects.create(
        lot=lot,
        description=data.description.strip(),
        classification_scheme=data.classification_scheme,
        classification_code=data.classification_code.strip(),
        quantity=data.quantity,
        unit=data.unit.strip(),
    )


def _store_document(
    actor: Actor, tender: Tender, data: DocumentData, amendment: Amendment | None = None
) -> TenderDocument:
    if not data.title.strip():
        raise ValidationFailed(_("Give the document a title."), field="title")
    _check_length(TenderDocument, "title", data.title.strip())
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


def _schedule_close(tender: Tender) -> None:
    from pregon.tenders.tasks import close_tender_at_deadline

    tender_id, deadline = tender.pk, tender.submission_deadline
    transaction.on_commit(
        lambda: close_tender_at_deadline.using(run_after=deadline).enqueue(tender_id)
    )


# ---------------------------------------------------------------------------------------------
# drafting


def tender_create(*, actor: Actor, buyer: Organization, data: TenderData) -> Tender:
    """A buyer official starts a draft, optionally with its lots and items."""
    if buyer.kind != OrganizationKind.BUYER:
        raise PermissionDenied(_("Only buyer organizations publish tenders."))
    _require_buyer(actor, buyer)
    _validate_fields(data, partial=False)
    _validate_dates(data.enquiry_end, data.submission_deadline, data.opening_at)
    for lot in data.lots or []:
        _validate_lot(lot)
    values = {name: getattr(data, name) for name in _TENDER_FIELDS}
    try:
        with transaction.atomic():
            tender = Tender.objects.create(buyer=buyer, created_by=actor.user, **values)
            tender.ocid = f"{settings.PREGON_OCID_PREFIX}-{tender.pk:06d}"
            tender.save(update_fields=["ocid"])
            for number, lot in enumerate(data.lots or [], start=1):
                _create_lot(tender, number, lot)
            audit_record(
                actor=actor,
                action="tender.create",
                target=tender,
                summary={"reference": tender.reference, "lots": len(data.lots or [])},
            )
    except IntegrityError:
        raise ValidationFailed(
            _("Another tender of this buyer already uses the reference %(reference)s.")
            % {"reference": data.reference},
            field="reference",
        ) from None
    return tender


_TENDER_FIELDS = (
    "reference",
    "title",
    "description",
    "language",
    "method",
    "category",
    "estimated_value",
    "currency",
    "award_criteria",
    "award_criteria_details",
    "enquiry_end",
    "submission_deadline",
    "opening_at",
)


def tender_update(*, actor: Actor, tender: Tender, data: TenderData) -> Tender:
    """Edit a draft's fields (and replace its lots when `data.lots` is given)."""
    _require_buyer(actor, tender)
    _validate_fields(data, partial=False)
    _validate_dates(data.enquiry_end, data.submission_deadline, data.opening_at)
    for lot in data.lots or []:
        _validate_lot(lot)
    try:
        with transaction.atomic():
            locked = _lock(tender)
            _require_transition(locked, "edit")
            changes: dict[str, Any] = {}
            for name in _TENDER_FIELDS:
                new, old = getattr(data, name), getattr(locked, name)
                if new != old:
                    changes[name] = [old, new]
                    setattr(locked, name, new)
            if data.lots is not None:
                locked.lots.all().delete()
                for number, lot in enumerate(data.lots, start=1):
                    _create_lot(locked, number, lot)
                changes["lots"] = len(data.lots)
            locked.updated_at = clock.now()
            locked.save()
            audit_record(
                actor=actor, action="tender.update", target=locked, summary={"changes": changes}
            )
    except IntegrityError:
        raise ValidationFailed(
            _("Another tender of this buyer already uses the reference %(reference)s.")
            % {"reference": data.reference},
            field="reference",
        ) from None
    return locked


def lot_save(*, actor: Actor, tender: Tender, data: LotData, lot: Lot | None = None) -> Lot:
    """Add a lot to a draft, or change one (its items are kept unless `data.items` is given)."""
    _require_buyer(actor, tender)
    _validate_lot(data)
    with transaction.atomic():
        locked = _lock(tender)
        _require_transition(locked, "edit")
        if lot is None:
            number = (locked.lots.aggregate(n=Max("number"))["n"] or 0) + 1
            saved = _create_lot(locked, number, data)
            action = "lot.add"
        else:
            found = Lot.objects.select_for_update().filter(pk=lot.pk, tender=locked).first()
            if found is None:
                raise NotFound(_("This lot is not part of the tender."))
            saved = found
            saved.title, saved.description = data.title.strip(), data.description.strip()
            saved.estimated_value = data.estimated_value
            saved.save()
            if data.items:
                saved.items.all().delete()
                for item in data.items:
                    _create_item(saved, item)
            action = "lot.update"
        audit_record(
            actor=actor,
            action=action,
            target=saved,
            summary={"tender": locked.pk, "title": saved.title},
        )
    return saved


def lot_delete(*, actor: Actor, lot: Lot) -> None:
    """Remove a lot (and its items) from a draft; the remaining lots are renumbered."""
    tender = lot.tender
    _require_buyer(actor, tender)
    with transaction.atomic():
        locked = _lock(tender)
        _require_transition(locked, "edit")
        audit_record(
            actor=actor,
            action="lot.delete",
            target=lot,
            summary={"tender": locked.pk, "title": lot.title},
        )
        Lot.objects.filter(pk=lot.pk, tender=locked).delete()
        for number, remaining in enumerate(locked.lots.order_by("number"), start=1):
            if remaining.number != number:
                Lot.objects.filter(pk=remaining.pk).update(number=number)


def item_add(*, actor: Actor, lot: Lot, data: ItemData) -> Item:
    """Add an item to a lot of a draft."""
    _require_buyer(actor, lot.tender)
    _validate_item(data)
    with transaction.atomic():
        locked = _lock(lot.tender)
        _require_transition(locked, "edit")
        item = _create_item(lot, data)
        audit_record(
            actor=actor,
            action="item.add",
            target=item,
            summary={"lot": lot.pk, "code": item.classification_code},
        )
    return item


def item_delete(*, actor: Actor, item: Item) -> None:
    """Remove an item from a draft."""
    _require_buyer(actor, item.lot.tender)
    with transaction.atomic():
        locked = _lock(item.lot.tender)
        _require_transition(locked, "edit")
        audit_record(actor=actor, action="item.delete", target=item, summary={"lot": item.lot_id})
        item.delete()


def document_add(*, actor: Actor, tender: Tender, data: DocumentData) -> TenderDocument:
    """Attach a document to a draft. (An open tender gets documents through an amendment.)"""
    _require_buyer(actor, tender)
    with transaction.atomic():
        locked = _lock(tender)
        _require_transition(locked, "edit")
        document = _store_document(actor, locked, data)
        audit_record(
            actor=actor,
            action="document.add",
            target=document,
            summary={"tender": locked.pk, "sha256": document.sha256, "filename": document.filename},
        )
    return document


def document_delete(*, actor: Actor, document: TenderDocument) -> None:
    """Remove a document from a draft."""
    _require_buyer(actor, document.tender)
    with transaction.atomic():
        locked = _lock(document.tender)
        _require_transition(locked, "edit")
        audit_record(
            actor=actor,
            action="document.delete",
            target=document,
            summary={"tender": locked.pk, "sha256": document.sha256},
        )
        name, storage = document.file.name or "", document.file.storage
        document.delete()
        if not TenderDocument.objects.filter(file=name).exists():
            transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------------------------------------
# lifecycle


def publication_problems(tender: Tender, *, now: dt.datetime | None = None) -> list[str]:
    """Why a draft cannot be published yet (empty when it can)."""
    now = now or clock.now()
    problems = []
    lots = list(tender.lots.prefetch_related("items"))
    if not lots:
        problems.append(_("Add at least one lot."))
    for lot in lots:
        if not lot.items.all():
            problems.append(_("Lot %(number)s has no items.") % {"number": lot.number})
    if tender.estimated_value <= 0:
        problems.append(_("Give the estimated value."))
    minimum = settings.PREGON_MIN_SUBMISSION_DAYS.get(tender.method, 0)
    if tender.submission_deadline < now + dt.timedelta(days=minimum):
        problems.append(
            _(
                "The bid deadline must be at least %(days)s days after publication for this "
                "method; move it to %(date)s or later."
            )
            % {"days": minimum, "date": (now + dt.timedelta(days=minimum)).date().isoformat()}
        )
    if tender.enquiry_end <= now:
        problems.append(_("The period for questions must end after publication."))
    return problems


def tender_publish(*, actor: Actor, tender: Tender) -> Tender:
    """Publish a draft: it becomes public and open for questions and bids until the deadline."""
    _require_buyer(actor, tender)
    with transaction.atomic():
        locked = _lock(tender)
        _require_transition(locked, "publish")
        now = clock.now()
        problems = publication_problems(locked, now=now)
        if problems:
            raise ValidationFailed(
                " ".join(problems), code="not_publishable", errors={"__all__": problems}
            )
        locked.status = TenderStatus.ACTIVE
        locked.published_at = now
        locked.updated_at = now
        locked.save()
        audit_record(
            actor=actor,
            action="tender.publish",
            target=locked,
            summary={"deadline": locked.submission_deadline},
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER)
        _schedule_close(locked)
    return locked


def tender_close_if_due(*, tender_id: int) -> bool:
    """Close an open tender whose deadline has passed. Safe to call any number of times.

    Returns whether this call closed it. The deadline may have moved since the close was
    scheduled (an amendment); then nothing happens and a later scheduled call closes it.
    """
    with transaction.atomic():
        locked = Tender.objects.select_for_update().filter(pk=tender_id).first()
        now = clock.now()
        if locked is None or locked.status != TenderStatus.ACTIVE:
            return False
        if locked.submission_deadline > now:
            return False
        locked.status = TenderStatus.CLOSED
        locked.closed_at = now
        locked.updated_at = now
        locked.save()
        audit_record(
            actor=Actor.system(),
            action="tender.close",
            target=locked,
            summary={"deadline": locked.submission_deadline},
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER_UPDATE)
    return True


def tenders_close_due() -> int:
    """Close every open tender past its deadline (the safety net behind the scheduled tasks)."""
    due = Tender.objects.filter(
        status=TenderStatus.ACTIVE, submission_deadline__lte=clock.now()
    ).values_list("pk", flat=True)
    return sum(tender_close_if_due(tender_id=pk) for pk in list(due))


def tender_cancel(*, actor: Actor, tender: Tender, reason: str) -> Tender:
    """Cancel a tender, stating why. Public tenders stay public with the reason shown."""
    _require_buyer(actor, tender)
    if not reason.strip():
        raise ValidationFailed(
            _("Say why the tender is cancelled; bidders and the public will read it."),
            field="reason",
        )
    with transaction.atomic():
        locked = _lock(tender)
        _require_transition(locked, "cancel")
        previous = locked.status
        now = clock.now()
        locked.status = TenderStatus.CANCELLED
        locked.cancelled_at = now
        locked.cancellation_reason = reason.strip()
        locked.updated_at = now
        locked.save()
        audit_record(
            actor=actor,
            action="tender.cancel",
            target=locked,
            summary={"from": previous, "reason": locked.cancellation_reason},
        )
        if previous != TenderStatus.DRAFT:
            # A draft was never public: its cancellation is not published either.
            publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER_CANCELLATION)
    return locked


def tender_amend(*, actor: Actor, tender: Tender, data: AmendmentData) -> Amendment:
    """Change an open tender, with a public reason.

    If the change alters what bidders must offer (description, value, criteria, documents),
    the deadline is moved so that bidders keep at least PREGON_AMENDMENT_MIN_DAYS; the
    opening and the end of questions move with it when they would fall before.
    """
    _require_buyer(actor, tender)
    if not data.reason.strip():
        raise ValidationFailed(_("Say why the tender is amended."), field="reason")
    _validate_fields(data, partial=True)
    with transaction.atomic():
        locked = _lock(tender)
        _require_transition(locked, "amend")
        now = clock.now()
        # Read from the locked row: the caller's instance may predate another amendment.
        previous_deadline = locked.submission_deadline
        previous_opening, previous_enquiry_end = locked.opening_at, locked.enquiry_end
        changes: dict[str, list[Any]] = {}
        for name in AMENDABLE_FIELDS:
            new = getattr(data, name)
            if new is not None and new != getattr(locked, name):
                changes[name] = [getattr(locked, name), new]
                setattr(locked, name, new)
        if not changes and not data.documents:
            raise ValidationFailed(_("The amendment changes nothing."), code="empty_amendment")
        if locked.submission_deadline < previous_deadline:
            raise ValidationFailed(
                _("An amendment cannot bring the deadline forward."), field="submission_deadline"
            )
        if locked.submission_deadline <= now:
            raise ValidationFailed(
                _("The new deadline must be in the future."), field="submission_deadline"
            )
        changes_offer = bool(_OFFER_FIELDS & changes.keys()) or bool(data.documents)
        if changes_offer:
            earliest = now + dt.timedelta(days=settings.PREGON_AMENDMENT_MIN_DAYS)
            if locked.submission_deadline < earliest:
                shift = earliest - locked.submission_deadline
                locked.submission_deadline = earliest
                if locked.opening_at < locked.submission_deadline:
                    locked.opening_at += shift
                if locked.enquiry_end <= now:
                    locked.enquiry_end = min(now + dt.timedelta(days=1), earliest)
                changes["submission_deadline"] = [previous_deadline, earliest]
                # The moved dates are part of the public record of what the amendment changed.
                if locked.opening_at != previous_opening:
                    changes["opening_at"] = [previous_opening, locked.opening_at]
                if locked.enquiry_end != previous_enquiry_end:
                    changes["enquiry_end"] = [previous_enquiry_end, locked.enquiry_end]
        _validate_dates(locked.enquiry_end, locked.submission_deadline, locked.opening_at)
        locked.updated_at = now
        locked.save()
        number = (locked.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
        amendment = Amendment.objects.create(
            tender=locked,
            number=number,
            reason=data.reason.strip(),
            changes=_jsonable_changes(changes),
            changes_offer=changes_offer,
            previous_deadline=previous_deadline,
            new_deadline=locked.submission_deadline,
            created_by=actor.user,
        )
        for document in data.documents:
            stored = _store_document(actor, locked, document, amendment=amendment)
            amendment.changes.setdefault("documents", []).append(stored.title)
        if data.documents:
            amendment.save(update_fields=["changes"])
        audit_record(
            actor=actor,
            action="tender.amend",
            target=locked,
            summary={"amendment": number, "changes": amendment.changes, "reason": amendment.reason},
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER_AMENDMENT)
        if locked.submission_deadline != previous_deadline:
            _schedule_close(locked)
    return amendment


def _jsonable_changes(changes: dict[str, list[Any]]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    return {name: [plain(old), plain(new)] for name, (old, new) in changes.items()}


# ---------------------------------------------------------------------------------------------
# clarifications


def question_ask(*, actor: Actor, tender: Tender, text: str, lot: Lot | None = None) -> Question:
    """A supplier asks a clarification question while the enquiry period is open."""
    organization = actor.organization
    if organization is None or organization.kind != OrganizationKind.SUPPLIER:
        raise PermissionDenied(_("Only registered suppliers can ask questions."))
    require_role(actor, organization, SUPPLIER_ROLES)
    if not text.strip():
        raise ValidationFailed(_("Write your question."), field="text")
    if len(text) > 5000:
        raise ValidationFailed(_("Keep the question under 5,000 characters."), field="text")
    with transaction.atomic():
        locked = _lock(tender)
        if locked.status != TenderStatus.ACTIVE:
            raise InvalidTransition(
                _("This tender does not accept questions."), code="questions_closed"
            )
        if clock.now() >= locked.enquiry_end:
            raise InvalidTransition(
                _("The period for questions has ended."), code="questions_closed"
            )
        if lot is not None and lot.tender_id != locked.pk:
            raise ValidationFailed(_("That lot belongs to another tender."), field="lot")
        number = (locked.questions.aggregate(n=Max("number"))["n"] or 0) + 1
        question = Question.objects.create(
            tender=locked,
            number=number,
            lot=lot,
            text=text.strip(),
            asked_by=actor.user,
            asked_for=organization,
            asked_at=clock.now(),
        )
        audit_record(
            actor=actor, action="question.ask", target=question, summary={"tender": locked.pk}
        )
    return question


def question_answer(*, actor: Actor, question: Question, answer: str) -> Question:
    """The buyer answers a question publicly; the asker stays anonymous."""
    _require_buyer(actor, question.tender)
    if not answer.strip():
        raise ValidationFailed(_("Write the answer."), field="answer")
    with transaction.atomic():
        tender = _lock(question.tender)
        if tender.status not in {TenderStatus.ACTIVE, TenderStatus.CLOSED}:
            raise InvalidTransition(
                _("Questions can no longer be answered on this tender."), code="cannot_answer"
            )
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.is_answered:
            raise InvalidTransition(
                _(
                    "This question has already been answered; publish an "
                    "amendment to change the tender."
                ),
                code="already_answered",
            )
        locked.answer = answer.strip()
        locked.answered_by = actor.user
        locked.answered_at = clock.now()
        locked.save()
        audit_record(
            actor=actor, action="question.answer", target=locked, summary={"tender": tender.pk}
        )
        publication_record(ocid=tender.ocid, tag=ReleaseTag.TENDER_UPDATE)
    return locked
