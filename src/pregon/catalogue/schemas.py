"""Input filters and output schemas of the catalogue API: the supplier search and a supplier's
published catalogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema

from pregon.catalogue.models import CatalogueItem
from pregon.catalogue.selectors import SupplierFilters
from pregon.core.procurement import Category, ClassificationScheme
from pregon.organizations.choices import LegalForm, Scale, ScaleStatus
from pregon.organizations.models import Organization

Characteristic = Literal["women_owned", "indigenous_owned", "is_local", "hubzone", "is_cooperative"]


def _absolute(path: str, context: dict[str, Any] | None) -> str:
    request: HttpRequest | None = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class SupplierFilterQuery(Schema):
    q: str = Field("", max_length=200, description="Words in the names, descriptions or items.")
    code: str = Field(
        "",
        max_length=16,
        pattern=r"^(\d{2,8}(-\d)?)?$",
        description="A CPV or UNSPSC code: suppliers with it, a code below it or above it.",
    )
    scheme: ClassificationScheme | None = Field(None, description="The scheme of `code`.")
    country: str = Field(
        "",
        pattern=r"^([A-Za-z]{2})?$",
        description="Serving or based in this country (ISO 3166-1 alpha-2).",
    )
    region: str = Field(
        "", max_length=120, description="Serving or based in this region (by its name, any case)."
    )
    scale: list[Scale] = Field(default_factory=list, description="Any of these scales.")
    verified_scale: bool = Field(False, description="Only scales verified by the platform.")
    characteristic: list[Characteristic] = Field(
        default_factory=list, description="All of these declared characteristics."
    )
    legal_form: LegalForm | None = Field(None, description="Only this legal form.")
    kind: Category | None = Field(
        None, description="Offering goods, services or works (an item of that kind)."
    )

    def filters(self) -> SupplierFilters:
        return SupplierFilters(
            text=self.q,
            code=self.code,
            scheme=self.scheme or "",
            country=self.country,
            region=self.region,
            scales=[str(scale) for scale in self.scale],
            verified_scale=self.verified_scale,
            characteristics=list(self.characteristic),
            legal_form=self.legal_form or "",
            kind=self.kind or "",
        )


class CatalogueCodeOut(Schema):
    scheme: ClassificationScheme
    code: str


class CatalogueRegionOut(Schema):
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    region: str = Field(description="The region's name; empty: the whole country.")

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country)


class SupplierSummaryOut(Schema):
    id: int
    name: str
    legal_name: str
    party_id: str = Field(description="Organization identifier, org-id style (e.g. CL-RUT-…).")
    country: str
    region: str
    scale: Scale
    scale_verified: bool
    legal_form: LegalForm
    characteristics: list[str] = Field(
        description="Declared: womenOwned, indigenousOwned, local, hubZone (as published data)."
    )
    is_cooperative: bool
    catalogue_published: bool
    codes: list[CatalogueCodeOut] = Field(
        description="The classification codes of its published catalogue."
    )
    regions: list[CatalogueRegionOut] = Field(
        description="The regions its published catalogue serves."
    )
    public_contracts: int = Field(description="Contracts it holds in the published data.")
    catalogue_url: str = Field(description="Its catalogue in the API.")

    @staticmethod
    def resolve_name(obj: Organization) -> str:
        return obj.display_name

    @staticmethod
    def resolve_country(obj: Organization) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_scale_verified(obj: Organization) -> bool:
        return obj.scale_status == ScaleStatus.VERIFIED

    @staticmethod
    def resolve_codes(obj: Organization) -> list[Any]:
        catalogue = getattr(obj, "catalogue", None)
        if not getattr(obj, "catalogue_published", False) or catalogue is None:
            return []
        return list(catalogue.codes.all())

    @staticmethod
    def resolve_regions(obj: Organization) -> list[Any]:
        catalogue = getattr(obj, "catalogue", None)
        if not getattr(obj, "catalogue_published", False) or catalogue is None:
            return []
        return list(catalogue.regions.all())

    @staticmethod
    def resolve_public_contracts(obj: Organization) -> int:
        return int(getattr(obj, "contracts_count", 0))

    @staticmethod
    def resolve_catalogue_url(obj: Organization, context: dict[str, Any] | None = None) -> str:
        return _absolute(reverse("api:supplier_catalogue", kwargs={"supplier_id": obj.pk}), context)


class CatalogueItemOut(Schema):
    id: int
    kind: Category
    name: str
    description: str
    classification: CatalogueCodeOut
    unit: str
    price: Decimal | None = Field(description="Indicative, per unit; null when not given.")
    currency: str | None
    photo_url: str | None = Field(description="The photo (JPEG), when it has one.")
    thumbnail_url: str | None = Field(
        description="Its thumbnail (JPEG, 320 pixels a side at most)."
    )

    @staticmethod
    def resolve_classification(obj: CatalogueItem) -> dict[str, str]:
        return {"scheme": obj.classification_scheme, "code": obj.classification_code}

    @staticmethod
    def resolve_currency(obj: CatalogueItem) -> str | None:
        return obj.currency or None

    @staticmethod
    def resolve_photo_url(obj: CatalogueItem, context: dict[str, Any] | None = None) -> str | None:
        if not obj.has_photo:
            return None
        return _absolute(reverse("catalogue:photo", kwargs={"pk": obj.pk}), context)

    @staticmethod
    def resolve_thumbnail_url(
        obj: CatalogueItem, context: dict[str, Any] | None = None
    ) -> str | None:
        if not obj.has_photo:
            return None
        return _absolute(reverse("catalogue:thumbnail", kwargs={"pk": obj.pk}), context)


class PublicContractOut(Schema):
    ocid: str
    contract_id: str = Field(description="The contract's id in the release.")
    title: str
    buyer: str = Field(alias="buyer_name")
    status: str = Field(description="OCDS contract status.")
    value: Decimal | None
    currency: str
    date_signed: dt.datetime | None


class CatalogueOut(Schema):
    """A supplier's published catalogue and its contracts as published."""

    supplier: SupplierSummaryOut
    description: str
    capacity: str
    max_contract_value: Decimal | None
    capacity_currency: str | None
    lead_time_days: int | None
    published_at: dt.datetime
    codes: list[CatalogueCodeOut]
    regions: list[CatalogueRegionOut]
    items: list[CatalogueItemOut]
    public_contracts: list[PublicContractOut] = Field(
        description="The latest contracts (at most 50) the published data names it supplier of."
    )
