"""Reading catalogues: a supplier's own, the public profile, its published contracts, and the
search of suppliers by code, region, scale, characteristics, kind of offer and text.

Every selector reads in a fixed number of queries whatever the number of suppliers, codes or
items: filters are subqueries, and a page of results prefetches its codes and regions at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from pregon.accounts.choices import OrganizationKind
from pregon.catalogue.models import (
    CatalogueCode,
    CatalogueItem,
    CatalogueProfile,
    PublicContract,
    ServedRegion,
)
from pregon.core import classifications
from pregon.core.errors import NotFound
from pregon.organizations.choices import CHARACTERISTIC_FIELDS, ScaleStatus
from pregon.organizations.models import Organization

#: The characteristics a search may ask for: the organizations' own fields, and cooperatives.
SEARCH_CHARACTERISTICS = (*CHARACTERISTIC_FIELDS, "is_cooperative")


@dataclass(kw_only=True)
class SupplierFilters:
    """What a buyer looks for. Every field is optional; empty matches everything.

    - `code` (with `scheme`, optional): suppliers whose published catalogue has the code, a code
      below it (road works under construction work), or a code above it (a supplier of all
      construction work), among its codes or its items;
    - `country` and `region`: suppliers serving there (a catalogue's region of that name, or the
      whole country) or based there (their address);
    - `scales`: any of these scales; `verified_scale`: only scales verified by the platform;
    - `characteristics`: all of these (women-owned, indigenous-owned, local, HUBZone,
      cooperative);
    - `legal_form`; `kind`: offering goods, services or works (an item of that kind);
    - `text`: in the names, the description of the organization or its catalogue, or the names
      of its products and services.
    """

    text: str = ""
    scheme: str = ""
    code: str = ""
    country: str = ""
    region: str = ""
    scales: list[str] = field(default_factory=list)
    verified_scale: bool = False
    characteristics: list[str] = field(default_factory=list)
    legal_form: str = ""
    kind: str = ""

    @property
    def any(self) -> bool:
        return bool(
            self.text
            or self.code
            or self.country
            or self.region
            or self.scales
            or self.verified_scale
            or self.characteristics
            or self.legal_form
            or self.kind
        )


def _code_match(prefix: str, field_name: str) -> Q:
    """The rows whose significant digits are below `prefix`, or above it (its own prefixes)."""
    above = [prefix[:length] for length in range(2, len(prefix) + 1)]
    return Q(**{f"{field_name}__startswith": prefix}) | Q(**{f"{field_name}__in": above})


def suppliers_search(*, filters: SupplierFilters) -> QuerySet[Organization]:
    """Suppliers matching the filters: those with a published catalogue first, then by name.

    Each carries `catalogue_published` (bool) and `contracts_count` (published contracts), and
    its published catalogue with its codes and regions (prefetched, only for the rows read).
    """
    published = CatalogueProfile.objects.filter(published_at__isnull=False)
    queryset = Organization.objects.filter(kind=OrganizationKind.SUPPLIER)
    if filters.code:
        prefix = classifications.descendants_prefix(filters.code)
        codes = CatalogueCode.objects.filter(
            _code_match(prefix, "prefix"),
            profile__organization=OuterRef("pk"),
            profile__published_at__isnull=False,
        )
        items = CatalogueItem.objects.filter(
            _code_match(prefix, "prefix"),
            profile__organization=OuterRef("pk"),
            profile__published_at__isnull=False,
        )
        if filters.scheme:
            codes = codes.filter(scheme=filters.scheme)
            items = items.filter(classification_scheme=filters.scheme)
        queryset = queryset.filter(Exists(codes) | Exists(items))
    region = " ".join(filters.region.split())
    country = filters.country.strip().upper()
    if country or region:
        served = ServedRegion.objects.filter(
            profile__organization=OuterRef("pk"), profile__published_at__isnull=False
        )
        based = Q()
        if country:
            served = served.filter(country=country)
            based &= Q(country=country)
        if region:
            served = served.filter(
                Q(region__iexact=region) | Q(region="") if country else Q(region__iexact=region)
            )
            based &= Q(region__iexact=region)
        queryset = queryset.filter(Exists(served) | based)
    if filters.scales:
        queryset = queryset.filter(scale__in=filters.scales)
    if filters.verified_scale:
        queryset = queryset.filter(scale_status=ScaleStatus.VERIFIED)
    for name in filters.characteristics:
        if name in SEARCH_CHARACTERISTICS:
            queryset = queryset.filter(**{name: True})
    if filters.legal_form:
        queryset = queryset.filter(legal_form=filters.legal_form)
    if filters.kind:
        queryset = queryset.filter(
            Exists(
                CatalogueItem.objects.filter(
                    profile__organization=OuterRef("pk"),
                    profile__published_at__isnull=False,
                    kind=filters.kind,
                )
            )
        )
    text = " ".join(filters.text.split())
    if text:
        words = Q()
        for word in text.split()[:8]:
            words &= (
                Q(legal_name__icontains=word)
                | Q(name__icontains=word)
                | Q(description__icontains=word)
                | Exists(published.filter(organization=OuterRef("pk"), description__icontains=word))
                | Exists(
                    CatalogueItem.objects.filter(
                        Q(name__icontains=word) | Q(description__icontains=word),
                        profile__organization=OuterRef("pk"),
                        profile__published_at__isnull=False,
                    )
                )
            )
        queryset = queryset.filter(words)
    contracts = (
        PublicContract.objects.filter(supplier=OuterRef("pk"))
        .order_by()
        .values("supplier")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        queryset.annotate(
            catalogue_published=Exists(published.filter(organization=OuterRef("pk"))),
            contracts_count=Coalesce(
                Subquery(contracts, output_field=IntegerField()), 0, output_field=IntegerField()
            ),
        )
        .select_related("catalogue")
        .prefetch_related(
            Prefetch("catalogue__codes", queryset=CatalogueCode.objects.order_by("scheme", "code")),
            Prefetch("catalogue__regions", queryset=ServedRegion.objects.all()),
        )
        .order_by("-catalogue_published", "legal_name", "pk")
    )


def search_regions() -> list[str]:
    """The region names the filter offers: those catalogues serve and suppliers are based in."""
    served = ServedRegion.objects.filter(profile__published_at__isnull=False).exclude(region="")
    names = set(served.values_list("region", flat=True).distinct())
    names |= set(
        Organization.objects.filter(kind=OrganizationKind.SUPPLIER)
        .exclude(region="")
        .order_by()
        .values_list("region", flat=True)
        .distinct()
    )
    return sorted(names, key=str.casefold)


def search_countries() -> list[str]:
    """The countries (ISO 3166-1 alpha-2) of suppliers and of the regions catalogues serve."""
    codes = {
        str(code)
        for code in Organization.objects.filter(kind=OrganizationKind.SUPPLIER)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    }
    codes |= {
        str(code)
        for code in ServedRegion.objects.filter(profile__published_at__isnull=False)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    }
    return sorted(code for code in codes if code)


# ---------------------------------------------------------------------------------------------
# one supplier


def supplier_public_get(*, pk: int) -> Organization:
    """A supplier, or NotFound (other kinds of organization included)."""
    supplier = Organization.objects.filter(kind=OrganizationKind.SUPPLIER, pk=pk).first()
    if supplier is None:
        raise NotFound(_("There is no supplier with this number."))
    return supplier


def catalogue_of(*, supplier: Organization) -> CatalogueProfile | None:
    """The supplier's catalogue, published or not (for its own people), with its codes and
    regions; None when it has none yet."""
    return (
        CatalogueProfile.objects.filter(organization=supplier)
        .prefetch_related("codes", "regions")
        .first()
    )


def catalogue_public_of(*, supplier: Organization) -> CatalogueProfile | None:
    """The supplier's catalogue if it is published, else None."""
    profile = catalogue_of(supplier=supplier)
    return profile if profile is not None and profile.is_published else None


def catalogue_items(*, profile: CatalogueProfile) -> QuerySet[CatalogueItem]:
    """A catalogue's products and services, by kind and name."""
    return CatalogueItem.objects.filter(profile=profile).order_by("kind", "name", "pk")


def catalogue_item_of(*, supplier: Organization, pk: int) -> CatalogueItem:
    """One of the supplier's items, or NotFound (another supplier's included)."""
    item = (
        CatalogueItem.objects.select_related("profile__organization")
        .filter(profile__organization=supplier, pk=pk)
        .first()
    )
    if item is None:
        raise NotFound(_("There is no product or service with this number in your catalogue."))
    return item


def catalogue_item_public_get(*, pk: int) -> CatalogueItem:
    """An item of any catalogue (the photo view decides who may see it), or NotFound."""
    item = CatalogueItem.objects.select_related("profile__organization").filter(pk=pk).first()
    if item is None:
        raise NotFound(_("There is no product or service with this number."))
    return item


def public_contracts_of(*, supplier: Organization) -> QuerySet[PublicContract]:
    """The supplier's contracts as published, the latest signed first."""
    return PublicContract.objects.filter(supplier=supplier).order_by(
        "-date_signed", "-ocid", "contract_id"
    )
