"""Drafting: a buyer official creates a tender and shapes it (fields, lots, items) while it is a
draft. Nothing here is public; publication is in `lifecycle`."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pregon.accounts.choices import OrganizationKind
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import NotFound, PermissionDenied, ValidationFailed
from pregon.core.versions import ExpectedVersion
from pregon.organizations.models import Organization
from pregon.publication.identifiers import ocid_for
from pregon.rules import Pack
from pregon.tenders.models import Item, Lot, Tender
from pregon.tenders.rule_packs import pack_of
from pregon.tenders.services.common import (
    move,
    require_buyer,
    require_version,
    save_changed,
    tender_lock,
)
from pregon.tenders.services.criteria import (
    award_criteria_apply,
    validate_award_criteria,
    validate_criteria_given,
)
from pregon.tenders.services.data import (
    CRITERIA_CODES,
    TENDER_FIELDS,
    ItemData,
    LotData,
    TenderChanges,
    TenderData,
)
from pregon.tenders.services.reservation import (
    lot_reserve,
    lots_reserve,
    quota_main,
    quota_problem,
    reserved_lots,
)
from pregon.tenders.services.validation import (
    validate_dates,
    validate_fields,
    validate_item,
    validate_lot,
)


def _create_lot(tender: Tender, number: int, data: LotData, *, pack: Pack) -> Lot:
    lot = Lot(
        tender=tender,
        number=number,
        title=data.title.strip(),
        description=data.description.strip(),
        estimated_value=data.estimated_value,
        msme_requests=data.msme_requests,
        expected_small_offers=data.expected_small_offers,
        quota_of=quota_main(tender, data.quota_of, lot=None),
    )
    lot_reserve(
        lot, tender=tender, pack=pack, wanted=data.reserved, limit_to_local=data.limit_to_local
    )
    _quota_check(lot, tender=tender, pack=pack)
    lot.save(force_insert=True)
    for item in data.items:
        _create_item(lot, item)
    return lot


def _quota_check(lot: Lot, *, tender: Tender, pack: Pack) -> None:
    """Refuse a quota whose share of the goods is above the pack's, once both values are
    known (publication asks for them: `lifecycle.publication_problems`)."""
    main = lot.quota_of
    if main is None or lot.estimated_value is None or main.estimated_value is None:
        return
    problem = quota_problem(lot, main, tender=tender, pack=pack)
    if problem is not None:
        raise ValidationFailed(problem, field="quota_of", code="quota_too_large")


def _create_item(lot: Lot, data: ItemData) -> Item:
    return Item.objects.create(
        lot=lot,
        description=data.description.strip(),
        classification_scheme=data.classification_scheme,
        classification_code=data.classification_code.strip(),
        quantity=data.quantity,
        unit=data.unit.strip(),
    )


def _reserved_summary(tender: Tender) -> dict[str, list[int]]:
    """The audit's note of the lots reserved for smaller firms (nothing when none is)."""
    numbers = reserved_lots(tender)
    return {"reserved_lots": numbers} if numbers else {}


def _reference_taken(reference: str) -> ValidationFailed:
    return ValidationFailed(
        _("Another tender of this buyer already uses the reference %(reference)s.")
        % {"reference": reference},
        field="reference",
    )


def tender_create(*, actor: Actor, buyer: Organization, data: TenderData) -> Tender:
    """A buyer official starts a draft, optionally with its lots and items and its award
    criteria (lowest price unless `data` gives weighted criteria)."""
    if buyer.kind != OrganizationKind.BUYER:
        raise PermissionDenied(_("Only buyer organizations publish tenders."))
    require_buyer(actor, buyer)
    validate_fields(data, partial=False)
    validate_award_criteria(data.award_criteria, data.price_scoring, data.criteria or [])
    validate_dates(data.enquiry_end, data.submission_deadline, data.opening_at)
    for lot in data.lots or []:
        validate_lot(lot)
    values = {name: getattr(data, name) for name in TENDER_FIELDS if name not in CRITERIA_CODES}
    values["subcontracting_share"] = data.subcontracting_share or None
    try:
        with transaction.atomic():
            tender = Tender.objects.create(buyer=buyer, created_by=actor.user, **values)
            tender.ocid = ocid_for(tender.pk)
            award_criteria_apply(
                tender,
                award_criteria=data.award_criteria,
                price_scoring=data.price_scoring,
                criteria=data.criteria or [],
            )
            tender.save(update_fields=["ocid", *CRITERIA_CODES])
            pack = pack_of(tender)
            for number, lot in enumerate(data.lots or [], start=1):
                _create_lot(tender, number, lot, pack=pack)
            audit_record(
                actor=actor,
                action="tender.create",
                target=tender,
                summary={
                    "reference": tender.reference,
                    "lots": len(data.lots or []),
                    **_reserved_summary(tender),
                },
            )
    except IntegrityError:
        raise _reference_taken(data.reference) from None
    return tender


def tender_update(
    *,
    actor: Actor,
    tender: Tender,
    data: TenderData | TenderChanges,
    expected_version: ExpectedVersion | None = None,
) -> Tender:
    """Edit a draft: set every field of a `TenderData`, or the fields a `TenderChanges` gives,
    and replace the lots when `data.lots` is given.

    The fields are set on the row read under the lock, so two edits of different fields made
    at once both hold. `expected_version` (an API If-Match) refuses an edit prepared against
    an older version. The award criteria change as one whole (`criteria.award_criteria_apply`):
    fields of it left as None keep their value, and lowest price drops the weighted criteria.
    """
    changes_wanted = data if isinstance(data, TenderChanges) else TenderChanges.every_field_of(data)
    require_buyer(actor, tender)
    validate_fields(changes_wanted, partial=True)
    validate_criteria_given(
        award_criteria=changes_wanted.award_criteria,
        price_scoring=changes_wanted.price_scoring,
        criteria=changes_wanted.criteria,
    )
    if isinstance(data, TenderData):
        validate_dates(data.enquiry_end, data.submission_deadline, data.opening_at)
    for lot in changes_wanted.lots or []:
        validate_lot(lot)
    try:
        with transaction.atomic():
            locked = tender_lock(tender)
            require_version(locked, expected_version)
            move(locked, "edit")
            changes: dict[str, Any] = {}
            for name in TENDER_FIELDS:
                if name in CRITERIA_CODES:
                    continue
                new, old = getattr(changes_wanted, name), getattr(locked, name)
                if new is None:
                    continue
                if name == "subcontracting_share" and new == 0:
                    new = None  # 0 removes the requirement
                if new != old:
                    changes[name] = [old, new]
                    setattr(locked, name, new)
            changes.update(
                award_criteria_apply(
                    locked,
                    award_criteria=changes_wanted.award_criteria,
                    price_scoring=changes_wanted.price_scoring,
                    criteria=changes_wanted.criteria,
                )
            )
            # A partial edit's dates are checked against the stored ones.
            validate_dates(locked.enquiry_end, locked.submission_deadline, locked.opening_at)
            pack = pack_of(locked)
            if changes_wanted.lots is not None:
                locked.lots.all().delete()
                for number, lot in enumerate(changes_wanted.lots, start=1):
                    _create_lot(locked, number, lot, pack=pack)
                changes["lots"] = len(changes_wanted.lots)
            else:
                # The value, category or currency may have changed what the rules say.
                reservations = lots_reserve(locked, pack=pack)
                if reservations:
                    changes["reserved_lots"] = reservations
            locked.updated_at = clock.now()
            save_changed(locked)
            audit_record(
                actor=actor, action="tender.update", target=locked, summary={"changes": changes}
            )
    except IntegrityError:
        raise _reference_taken(changes_wanted.reference or tender.reference) from None
    return locked


def lot_save(*, actor: Actor, tender: Tender, data: LotData, lot: Lot | None = None) -> Lot:
    """Add a lot to a draft, or change one (its items are kept unless `data.items` is given)."""
    require_buyer(actor, tender)
    validate_lot(data)
    with transaction.atomic():
        locked = tender_lock(tender)
        move(locked, "edit")
        pack = pack_of(locked)
        if lot is None:
            number = (locked.lots.aggregate(n=Max("number"))["n"] or 0) + 1
            saved = _create_lot(locked, number, data, pack=pack)
            action = "lot.add"
        else:
            found = Lot.objects.select_for_update().filter(pk=lot.pk, tender=locked).first()
            if found is None:
                raise NotFound(_("This lot is not part of the tender."))
            saved = found
            saved.title, saved.description = data.title.strip(), data.description.strip()
            saved.estimated_value = data.estimated_value
            saved.msme_requests = data.msme_requests
            saved.expected_small_offers = data.expected_small_offers
            saved.quota_of = quota_main(locked, data.quota_of, lot=saved)
            lot_reserve(
                saved,
                tender=locked,
                pack=pack,
                wanted=data.reserved,
                limit_to_local=data.limit_to_local,
            )
            _quota_check(saved, tender=locked, pack=pack)
            saved.save()
            if data.items:
                saved.items.all().delete()
                for item in data.items:
                    _create_item(saved, item)
            action = "lot.update"
        save_changed(locked, only=())
        audit_record(
            actor=actor,
            action=action,
            target=saved,
            summary={
                "tender": locked.pk,
                "title": saved.title,
                **({"reserved": saved.reservation_rule} if saved.reserved else {}),
                **({"quota_of": saved.quota_of.number} if saved.quota_of else {}),
            },
        )
    return saved


def lot_delete(*, actor: Actor, lot: Lot) -> None:
    """Remove a lot (and its items) from a draft; the remaining lots are renumbered."""
    tender = lot.tender
    require_buyer(actor, tender)
    with transaction.atomic():
        locked = tender_lock(tender)
        move(locked, "edit")
        quota = Lot.objects.filter(quota_of=lot).order_by("number").first()
        if quota is not None:
            raise ValidationFailed(
                _(
                    "Lot %(quota)s is the quota of lot %(number)s: remove lot %(quota)s or make "
                    "it an ordinary lot first."
                )
                % {"quota": quota.number, "number": lot.number},
                code="lot_has_quota",
            )
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
        save_changed(locked, only=())


def item_add(*, actor: Actor, lot: Lot, data: ItemData) -> Item:
    """Add an item to a lot of a draft."""
    require_buyer(actor, lot.tender)
    validate_item(data)
    with transaction.atomic():
        locked = tender_lock(lot.tender)
        move(locked, "edit")
        item = _create_item(lot, data)
        save_changed(locked, only=())
        audit_record(
            actor=actor,
            action="item.add",
            target=item,
            summary={"lot": lot.pk, "code": item.classification_code},
        )
    return item


def item_delete(*, actor: Actor, item: Item) -> None:
    """Remove an item from a draft."""
    require_buyer(actor, item.lot.tender)
    with transaction.atomic():
        locked = tender_lock(item.lot.tender)
        move(locked, "edit")
        audit_record(actor=actor, action="item.delete", target=item, summary={"lot": item.lot_id})
        item.delete()
        save_changed(locked, only=())
