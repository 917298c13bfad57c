"""The catalogue API: search suppliers, and read a supplier's published catalogue."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from pregon.catalogue.schemas import CatalogueOut, SupplierFilterQuery, SupplierSummaryOut
from pregon.catalogue.selectors import (
    SupplierFilters,
    catalogue_items,
    catalogue_public_of,
    public_contracts_of,
    supplier_public_get,
    suppliers_search,
)
from pregon.core.api_pagination import paginated
from pregon.core.errors import NotFound
from pregon.organizations.api_auth import public

router = Router(tags=["suppliers"])

#: Contracts listed with a catalogue (the latest).
CONTRACTS_LISTED = 50


@router.get(
    "/suppliers",
    response=list[SupplierSummaryOut],
    url_name="supplier_list",
    summary="Search suppliers",
    **public(errors=(422,)),
)
@paginated
def supplier_list(request: HttpRequest, filters: Query[SupplierFilterQuery]) -> object:
    """Suppliers by classification code (with the codes below and above it), region served,
    scale (verified or not), declared characteristics, legal form, kind of offer and words;
    those with a published catalogue first, then by legal name."""
    return suppliers_search(filters=filters.filters())


@router.get(
    "/suppliers/{int:supplier_id}/catalogue",
    response=CatalogueOut,
    url_name="supplier_catalogue",
    summary="Read a supplier's catalogue",
    **public(errors=(404,)),
)
def supplier_catalogue(request: HttpRequest, supplier_id: int) -> dict[str, Any]:
    """A supplier's published catalogue: description, capabilities (codes, regions served,
    capacity), products and services with their photos, and the contracts it holds as the
    published data shows them. 404 when the supplier has no published catalogue."""
    supplier = supplier_public_get(pk=supplier_id)
    catalogue = catalogue_public_of(supplier=supplier)
    if catalogue is None:
        raise NotFound(_("This supplier has not published a catalogue."))
    summary = suppliers_search(filters=SupplierFilters()).get(pk=supplier.pk)
    return {
        "supplier": summary,
        "description": catalogue.description,
        "capacity": catalogue.capacity,
        "max_contract_value": catalogue.max_contract_value,
        "capacity_currency": catalogue.capacity_currency or None,
        "lead_time_days": catalogue.lead_time_days,
        "published_at": catalogue.published_at,
        "codes": list(catalogue.codes.all()),
        "regions": list(catalogue.regions.all()),
        "items": list(catalogue_items(profile=catalogue)),
        "public_contracts": list(public_contracts_of(supplier=supplier)[:CONTRACTS_LISTED]),
    }
