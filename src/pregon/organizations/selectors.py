"""Reading organizations: the public directory of buyers, suppliers and oversight bodies."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pregon.accounts.choices import OrganizationKind
from pregon.core.errors import NotFound
from pregon.organizations.models import ApiKey, Organization

# The platform operator runs the instance; it is not a party to procurement.
PUBLIC_KINDS = (OrganizationKind.BUYER, OrganizationKind.SUPPLIER, OrganizationKind.OVERSIGHT)


def organizations_public(
    *,
    kind: str = "",
    country: str = "",
    scale: str = "",
    cooperative: bool | None = None,
) -> QuerySet[Organization]:
    """Organizations with a public profile, by name, matching the filters given."""
    queryset = Organization.objects.filter(kind__in=PUBLIC_KINDS)
    if kind:
        queryset = queryset.filter(kind=kind)
    if country:
        queryset = queryset.filter(country=country.upper())
    if scale:
        queryset = queryset.filter(scale=scale)
    if cooperative is not None:
        queryset = queryset.filter(is_cooperative=cooperative)
    return queryset.order_by("legal_name", "pk")


def organization_countries_public() -> list[str]:
    """The countries (ISO 3166-1 alpha-2 codes) of organizations with a public profile."""
    # The model's default ordering (by name) would make DISTINCT keep one row per name.
    codes = (
        Organization.objects.filter(kind__in=PUBLIC_KINDS)
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )
    return [str(code) for code in codes if code]


def organization_public_get(*, pk: int) -> Organization:
    """One organization's public profile, or NotFound."""
    organization = Organization.objects.filter(kind__in=PUBLIC_KINDS, pk=pk).first()
    if organization is None:
        raise NotFound(_("There is no organization with this number."))
    return organization


def api_keys_of(*, organization: Organization) -> QuerySet[ApiKey]:
    """An organization's API keys, newest first (revoked ones included, for the record)."""
    return ApiKey.objects.filter(organization=organization).order_by("-created_at", "-pk")


def api_key_of(*, organization: Organization, pk: int) -> ApiKey:
    """One of an organization's API keys, or NotFound (another organization's key included)."""
    key = (
        ApiKey.objects.select_related("organization")
        .filter(organization=organization, pk=pk)
        .first()
    )
    if key is None:
        raise NotFound(_("There is no API key with this number in your organization."))
    return key
