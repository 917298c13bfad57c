"""Every change to a supplier's catalogue goes through one of these functions (pages, API,
demo, admin).

- `catalogue_profile_save`: the description, capacity, classification codes and regions served;
- `catalogue_publish` / `catalogue_withdraw`: show the catalogue to everyone, or only to the
  supplier's people again;
- `catalogue_item_add` / `catalogue_item_update` / `catalogue_item_remove`: products and
  services, with their photo (checked and re-encoded by `photos.photo_process`).

Each one checks that the actor is a person of the supplier (a supplier user, or the supplier's
API key), runs in one transaction on the locked catalogue and writes its audit row. A refused
action raises a `DomainError` and changes nothing.

`public_contracts_update` is not an action: it is the publication's record observer that keeps
`PublicContract` in step with the published data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_countries import countries

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import require_role
from pregon.catalogue.choices import (
    CAPACITY_MAX_LENGTH,
    CODES_MAX,
    DESCRIPTION_MAX_LENGTH,
    ITEM_DESCRIPTION_MAX_LENGTH,
    ITEM_NAME_MAX_LENGTH,
    ITEMS_MAX,
    REGION_MAX_LENGTH,
    REGIONS_MAX,
    UNIT_MAX_LENGTH,
    ItemKind,
)
from pregon.catalogue.models import (
    CatalogueCode,
    CatalogueItem,
    CatalogueProfile,
    PublicContract,
    ServedRegion,
)
from pregon.catalogue.photos import ProcessedPhoto, photo_process
from pregon.core import classifications, clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from pregon.core.procurement import ClassificationScheme, Currency
from pregon.core.validation import check_text
from pregon.organizations.models import Organization
from pregon.publication.models import Record

#: The largest amount the columns hold (18 digits, 2 of them decimals).
_AMOUNT_LIMIT = Decimal(10) ** 16
_LEAD_TIME_MAX = 3650
#: Records read between two progress reports of `public_contracts_rebuild`.
REBUILD_BATCH = 500


@dataclass(kw_only=True)
class ProfileData:
    """What a supplier says of itself in its catalogue.

    `codes` are (scheme, code) pairs; `regions` are (country ISO 3166-1 alpha-2, region name)
    pairs, an empty name meaning the whole country. `max_contract_value` (with its currency)
    and `lead_time_days` are the figures of its capacity, `capacity` its words.
    """

    description: str = ""
    capacity: str = ""
    max_contract_value: Decimal | None = None
    capacity_currency: str = ""
    lead_time_days: int | None = None
    codes: list[tuple[str, str]] = field(default_factory=list)
    regions: list[tuple[str, str]] = field(default_factory=list)


@dataclass(kw_only=True)
class ItemData:
    """A product or service: `kind` goods, services or works; an indicative `price` per `unit`
    comes with its currency."""

    kind: str
    name: str
    classification_scheme: str
    classification_code: str
    description: str = ""
    unit: str = ""
    price: Decimal | None = None
    currency: str = ""


# ---------------------------------------------------------------------------------------------
# checks


def require_supplier_person(actor: Actor, supplier: Organization) -> None:
    """Refuse anyone but a person (or the API key) of `supplier`, which must be a supplier."""
    if supplier.kind != OrganizationKind.SUPPLIER:
        raise PermissionDenied(_("Only suppliers keep a catalogue."))
    require_role(actor, supplier, SUPPLIER_ROLES)


def _amount(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(_("Give an amount."), field=name) from None
    if not amount.is_finite() or amount < 0 or amount >= _AMOUNT_LIMIT:
        raise ValidationFailed(_("Give an amount of zero or more."), field=name)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(_("Give the amount with at most two decimals."), field=name)
    return amount


def _currency(value: str, name: str, *, needed: bool) -> str:
    if not value and not needed:
        return ""
    if value not in Currency.values:
        raise ValidationFailed(_("Choose the currency of the amount."), field=name)
    return value


def _code(scheme: str, code: str, name: str) -> tuple[str, str]:
    code = (code or "").strip()
    if scheme not in ClassificationScheme.values:
        raise ValidationFailed(_("Choose a classification scheme."), field=name)
    if not classifications.is_valid(scheme, code):
        raise ValidationFailed(
            _("%(code)s is not a %(scheme)s code. Choose one from the list or check its digits.")
            % {"code": code or "—", "scheme": scheme},
            field=name,
        )
    return scheme, code


def profile_data_check(data: ProfileData) -> ProfileData:
    """The data cleaned (codes and regions without repeats, in a stable order), or
    `ValidationFailed` on the first field that is wrong."""
    description = (data.description or "").strip()
    capacity = (data.capacity or "").strip()
    check_text(description, "description", limit=DESCRIPTION_MAX_LENGTH)
    check_text(capacity, "capacity", limit=CAPACITY_MAX_LENGTH)
    value = _amount(data.max_contract_value, "max_contract_value")
    if value is not None and value == 0:
        raise ValidationFailed(_("Give an amount of more than zero."), field="max_contract_value")
    currency = _currency(
        data.capacity_currency or "", "capacity_currency", needed=value is not None
    )
    lead = data.lead_time_days
    if lead is not None and (
        isinstance(lead, bool) or not isinstance(lead, int) or not 0 <= lead <= _LEAD_TIME_MAX
    ):
        raise ValidationFailed(
            _("Give the delivery time as a number of days from 0 to %(max)s.")
            % {"max": _LEAD_TIME_MAX},
            field="lead_time_days",
        )
    codes = sorted({_code(scheme, code, "codes") for scheme, code in data.codes})
    if len(codes) > CODES_MAX:
        raise ValidationFailed(
            _("Give at most %(max)s classification codes.") % {"max": CODES_MAX}, field="codes"
        )
    regions: set[tuple[str, str]] = set()
    for given_country, given_region in data.regions:
        country = (given_country or "").strip().upper()
        region = " ".join((given_region or "").split())
        if country not in countries:
            raise ValidationFailed(
                _("%(country)s is not a country code (ISO 3166, two letters).")
                % {"country": country or "—"},
                field="regions",
            )
        check_text(region, "regions", limit=REGION_MAX_LENGTH)
        regions.add((country, region))
    if len(regions) > REGIONS_MAX:
        raise ValidationFailed(
            _("Give at most %(max)s regions.") % {"max": REGIONS_MAX}, field="regions"
        )
    return ProfileData(
        description=description,
        capacity=capacity,
        max_contract_value=value,
        capacity_currency=currency if value is not None else (data.capacity_currency or ""),
        lead_time_days=lead,
        codes=codes,
        regions=sorted(regions),
    )


def item_data_check(data: ItemData) -> ItemData:
    """The item cleaned, or `ValidationFailed` on the first field that is wrong."""
    if data.kind not in ItemKind.values:
        raise ValidationFailed(_("Choose goods, services or works."), field="kind")
    name = " ".join((data.name or "").split())
    if not name:
        raise ValidationFailed(_("Give the product or service a name."), field="name")
    check_text(name, "name", limit=ITEM_NAME_MAX_LENGTH)
    description = (data.description or "").strip()
    check_text(description, "description", limit=ITEM_DESCRIPTION_MAX_LENGTH)
    unit = " ".join((data.unit or "").split())
    check_text(unit, "unit", limit=UNIT_MAX_LENGTH)
    scheme, code = _code(data.classification_scheme, data.classification_code, "code")
    price = _amount(data.price, "price")
    currency = _currency(data.currency or "", "currency", needed=price is not None)
    return ItemData(
        kind=data.kind,
        name=name,
        classification_scheme=scheme,
        classification_code=code,
        description=description,
        unit=unit,
        price=price,
        currency=currency if price is not None else "",
    )


# ---------------------------------------------------------------------------------------------
# the catalogue


def _locked_profile(supplier: Organization, *, create: bool) -> CatalogueProfile | None:
    """The supplier's catalogue, locked; created empty when `create` and there is none."""
    profile = CatalogueProfile.objects.select_for_update().filter(organization=supplier).first()
    if profile is None and create:
        CatalogueProfile.objects.get_or_create(organization=supplier)
        profile = CatalogueProfile.objects.select_for_update().get(organization=supplier)
    return profile


def catalogue_profile_save(
    *, actor: Actor, supplier: Organization, data: ProfileData
) -> CatalogueProfile:
    """Set the catalogue's description, capacity, codes and regions (creating the catalogue,
    as a draft, the first time)."""
    require_supplier_person(actor, supplier)
    clean = profile_data_check(data)
    with transaction.atomic():
        profile = _locked_profile(supplier, create=True)
        assert profile is not None
        before = _profile_summary(profile)
        profile.description = clean.description
        profile.capacity = clean.capacity
        profile.max_contract_value = clean.max_contract_value
        profile.capacity_currency = clean.capacity_currency if clean.max_contract_value else ""
        profile.lead_time_days = clean.lead_time_days
        profile.updated_by = actor.user
        profile.updated_at = clock.now()
        profile.save()
        profile.codes.all().delete()
        CatalogueCode.objects.bulk_create(
            CatalogueCode(
                profile=profile,
                scheme=scheme,
                code=code,
                prefix=classifications.descendants_prefix(code),
            )
            for scheme, code in clean.codes
        )
        profile.regions.all().delete()
        ServedRegion.objects.bulk_create(
            ServedRegion(profile=profile, country=country, region=region)
            for country, region in clean.regions
        )
        after = _profile_summary(profile, codes=clean.codes, regions=clean.regions)
        changes = {key: after[key] for key in after if after[key] != before.get(key)}
        audit_record(
            actor=actor, action="catalogue.update", target=profile, summary={"changes": changes}
        )
    return profile


def _profile_summary(
    profile: CatalogueProfile,
    *,
    codes: Iterable[tuple[str, str]] | None = None,
    regions: Iterable[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    if codes is None:
        codes = profile.codes.values_list("scheme", "code") if profile.pk else []
    if regions is None:
        regions = profile.regions.values_list("country", "region") if profile.pk else []
    return {
        "description": profile.description,
        "capacity": profile.capacity,
        "max_contract_value": (
            str(profile.max_contract_value) if profile.max_contract_value is not None else None
        ),
        "capacity_currency": profile.capacity_currency,
        "lead_time_days": profile.lead_time_days,
        "codes": [f"{scheme} {code}" for scheme, code in codes],
        "regions": [f"{country} {region}".strip() for country, region in regions],
    }


def catalogue_publish(*, actor: Actor, supplier: Organization) -> CatalogueProfile:
    """Show the catalogue to everyone: it needs a description and at least one code."""
    require_supplier_person(actor, supplier)
    with transaction.atomic():
        profile = _locked_profile(supplier, create=False)
        if profile is None:
            raise InvalidTransition(
                _("Fill in your catalogue before publishing it."), code="catalogue_empty"
            )
        if profile.is_published:
            raise InvalidTransition(
                _("Your catalogue is already published."), code="cannot_publish"
            )
        if not profile.description or not profile.codes.exists():
            raise ValidationFailed(
                _(
                    "Say what you do and give at least one classification code before "
                    "publishing: buyers find suppliers by them."
                ),
                field="description" if not profile.description else "codes",
                code="catalogue_incomplete",
            )
        profile.published_at = clock.now()
        profile.save(update_fields=["published_at"])
        audit_record(actor=actor, action="catalogue.publish", target=profile)
    return profile


def catalogue_withdraw(*, actor: Actor, supplier: Organization) -> CatalogueProfile:
    """Hide the catalogue again from everyone but the supplier's people."""
    require_supplier_person(actor, supplier)
    with transaction.atomic():
        profile = _locked_profile(supplier, create=False)
        if profile is None or not profile.is_published:
            raise InvalidTransition(_("Your catalogue is not published."), code="cannot_withdraw")
        profile.published_at = None
        profile.save(update_fields=["published_at"])
        audit_record(actor=actor, action="catalogue.withdraw", target=profile)
    return profile


# ---------------------------------------------------------------------------------------------
# products and services


def catalogue_item_add(
    *,
    actor: Actor,
    supplier: Organization,
    data: ItemData,
    photo: UploadedFile | None = None,
) -> CatalogueItem:
    """Add a product or service (creating the catalogue as a draft if there is none)."""
    require_supplier_person(actor, supplier)
    clean = item_data_check(data)
    processed = photo_process(photo) if photo is not None else None
    with transaction.atomic():
        profile = _locked_profile(supplier, create=True)
        assert profile is not None
        if profile.items.count() >= ITEMS_MAX:
            raise ValidationFailed(
                _("A catalogue holds at most %(max)s products and services.") % {"max": ITEMS_MAX},
                code="catalogue_full",
            )
        item = CatalogueItem(profile=profile)
        _item_set(item, clean)
        if processed is not None:
            _photo_set(item, supplier, processed)
        item.save()
        audit_record(
            actor=actor,
            action="catalogue_item.add",
            target=item,
            summary=_item_summary(item),
        )
    return item


def catalogue_item_update(
    *,
    actor: Actor,
    item: CatalogueItem,
    data: ItemData,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> CatalogueItem:
    """Change a product or service; a new `photo` replaces the old one, `remove_photo` drops
    it."""
    supplier = item.profile.organization
    require_supplier_person(actor, supplier)
    clean = item_data_check(data)
    processed = photo_process(photo) if photo is not None else None
    with transaction.atomic():
        _locked_profile(supplier, create=False)
        locked = CatalogueItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None:
            raise NotFound(_("This product or service is no longer in the catalogue."))
        before = _item_summary(locked)
        old_files = _files_of(locked)
        _item_set(locked, clean)
        if processed is not None:
            _photo_set(locked, supplier, processed)
        elif remove_photo:
            _photo_clear(locked)
        locked.updated_at = clock.now()
        locked.save()
        after = _item_summary(locked)
        changes = {key: after[key] for key in after if after[key] != before.get(key)}
        audit_record(
            actor=actor,
            action="catalogue_item.update",
            target=locked,
            summary={"changes": changes},
        )
        _forget_unused_on_commit(old_files - _files_of(locked))
    return locked


def catalogue_item_remove(*, actor: Actor, item: CatalogueItem) -> None:
    """Take a product or service out of the catalogue (its photo goes with it)."""
    supplier = item.profile.organization
    require_supplier_person(actor, supplier)
    with transaction.atomic():
        profile = _locked_profile(supplier, create=False)
        locked = CatalogueItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None or profile is None:
            raise NotFound(_("This product or service is no longer in the catalogue."))
        files = _files_of(locked)
        audit_record(
            actor=actor,
            action="catalogue_item.remove",
            target=locked,
            summary=_item_summary(locked),
        )
        locked.delete()
        _forget_unused_on_commit(files)


def _item_set(item: CatalogueItem, data: ItemData) -> None:
    item.kind = data.kind
    item.name = data.name
    item.description = data.description
    item.classification_scheme = data.classification_scheme
    item.classification_code = data.classification_code
    item.prefix = classifications.descendants_prefix(data.classification_code)
    item.unit = data.unit
    item.price = data.price
    item.currency = data.currency


def _item_summary(item: CatalogueItem) -> dict[str, Any]:
    return {
        "name": item.name,
        "kind": item.kind,
        "description": item.description,
        "classification": f"{item.classification_scheme} {item.classification_code}",
        "unit": item.unit,
        "price": str(item.price) if item.price is not None else None,
        "currency": item.currency,
        "photo": item.photo_sha256,
    }


# ---------------------------------------------------------------------------------------------
# photo files: named by the hash of their bytes, under the supplier's folder


def _photo_set(item: CatalogueItem, supplier: Organization, photo: ProcessedPhoto) -> None:
    folder = f"catalogue/{supplier.pk}"
    item.photo.name = _store(f"{folder}/{photo.sha256}.jpg", photo.image)
    item.thumbnail.name = _store(f"{folder}/{photo.sha256}-thumb.jpg", photo.thumbnail)
    item.photo_sha256 = photo.sha256
    item.photo_width = photo.width
    item.photo_height = photo.height


def _photo_clear(item: CatalogueItem) -> None:
    item.photo.name = ""
    item.thumbnail.name = ""
    item.photo_sha256 = ""
    item.photo_width = None
    item.photo_height = None


def _store(name: str, content: bytes) -> str:
    # Same bytes, same name: a file already there is the same photo (of this supplier).
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(content))


def _files_of(item: CatalogueItem) -> set[str]:
    return {name for name in (item.photo.name, item.thumbnail.name) if name}


def _forget_unused_on_commit(names: set[str]) -> None:
    """Delete, once the change is committed, the files no item uses any more."""
    if not names:
        return

    def forget() -> None:
        used = set(
            CatalogueItem.objects.filter(photo__in=names).values_list("photo", flat=True)
        ) | set(
            CatalogueItem.objects.filter(thumbnail__in=names).values_list("thumbnail", flat=True)
        )
        for name in names - used:
            default_storage.delete(name)

    transaction.on_commit(forget)


# ---------------------------------------------------------------------------------------------
# the public contracts, from the published data


def public_contracts_update(record: Record) -> list[PublicContract]:
    """Keep the contracts of `record` (its compiled release) that name a registered supplier:
    one row per contract and supplier of its award, replacing those kept before for the
    process. Called by the publication in its transaction, so the rows follow the release."""
    compiled: dict[str, Any] = record.compiled or {}
    rows = _contract_rows(compiled)
    with transaction.atomic():
        PublicContract.objects.filter(ocid=record.ocid).delete()
        if not rows:
            return []
        identifiers = {key for _party, key, _row in rows}
        by_identifier = _suppliers_by_identifier(identifiers)
        kept = {
            (key, row["contract_id"]): PublicContract(
                supplier=by_identifier[key], ocid=record.ocid, **row
            )
            for _party, key, row in rows
            if key in by_identifier
        }
        return PublicContract.objects.bulk_create(kept.values())


def public_contracts_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every supplier's public contracts from the published records (data published
    before this app existed, or restored from a backup), one record at a time as the
    publication does. `progress(done, total)` is called every `REBUILD_BATCH` records and at
    the end. Returns how many rows there are afterwards."""
    total = Record.objects.count()
    records = Record.objects.order_by("pk").iterator(chunk_size=REBUILD_BATCH)
    for done, record in enumerate(records, start=1):
        public_contracts_update(record)
        if progress is not None and (done % REBUILD_BATCH == 0 or done == total):
            progress(done, total)
    return PublicContract.objects.count()


def _contract_rows(compiled: dict[str, Any]) -> list[tuple[str, tuple[str, str], dict[str, Any]]]:
    """(party id, (scheme, identifier), fields) for each contract and supplier of its award."""
    parties = {
        party.get("id"): party for party in compiled.get("parties") or [] if isinstance(party, dict)
    }
    awards = {
        award.get("id"): award for award in compiled.get("awards") or [] if isinstance(award, dict)
    }
    buyer = compiled.get("buyer") or {}
    language = str(compiled.get("language") or "")
    rows = []
    for contract in compiled.get("contracts") or []:
        if not isinstance(contract, dict) or not contract.get("id"):
            continue
        award = awards.get(contract.get("awardID")) or {}
        value = contract.get("value") or {}
        fields = {
            "contract_id": str(contract["id"])[:200],
            "title": str(contract.get("title") or "")[:500],
            "buyer_name": str(buyer.get("name") or "")[:300],
            "status": str(contract.get("status") or "")[:32],
            "value": _decimal_or_none(value.get("amount")),
            "currency": str(value.get("currency") or "")[:3],
            "date_signed": _datetime_or_none(contract.get("dateSigned")),
            "language": language[:8],
        }
        for supplier in award.get("suppliers") or []:
            party = parties.get((supplier or {}).get("id")) or {}
            identifier = party.get("identifier") or {}
            if identifier.get("scheme") and identifier.get("id"):
                key = (str(identifier["scheme"]), str(identifier["id"]))
                rows.append((str(party.get("id")), key, fields))
    return rows


def _suppliers_by_identifier(keys: set[tuple[str, str]]) -> dict[tuple[str, str], Organization]:
    schemes = {scheme for scheme, _id in keys}
    ids = {identifier for _scheme, identifier in keys}
    found = Organization.objects.filter(
        kind=OrganizationKind.SUPPLIER, identifier_scheme__in=schemes, identifier_id__in=ids
    )
    return {
        (org.identifier_scheme, org.identifier_id): org
        for org in found
        if (org.identifier_scheme, org.identifier_id) in keys
    }


def _decimal_or_none(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return amount if amount.is_finite() and abs(amount) < _AMOUNT_LIMIT * 100 else None


def _datetime_or_none(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
