"""The organizations API: the public directory of buyers, suppliers and oversight bodies."""

from django.http import HttpRequest
from ninja import Query, Router

from pregon.core.api_pagination import paginated
from pregon.organizations.api_auth import public
from pregon.organizations.models import Organization
from pregon.organizations.schemas import (
    OrganizationFilterQuery,
    OrganizationOut,
    OrganizationSummaryOut,
)
from pregon.organizations.selectors import organization_public_get, organizations_public

router = Router(tags=["organizations"])


@router.get(
    "/organizations",
    response=list[OrganizationSummaryOut],
    url_name="organization_list",
    summary="List organizations",
    **public(errors=(422,)),
)
@paginated
def organization_list(request: HttpRequest, filters: Query[OrganizationFilterQuery]) -> object:
    """Buyers, suppliers and oversight bodies registered on this platform, by legal name.
    Filter suppliers by scale, legal form or cooperatives to find MSMEs and productive
    organizations."""
    return organizations_public(
        kind=filters.kind or "",
        country=filters.country,
        scale=filters.scale or "",
        cooperative=filters.cooperative,
        legal_form=filters.legal_form or "",
    )


@router.get(
    "/organizations/{int:organization_id}",
    response=OrganizationOut,
    url_name="organization_detail",
    summary="Read an organization's public profile",
    **public(errors=(404,)),
)
def organization_detail(request: HttpRequest, organization_id: int) -> Organization:
    """Identifier, address, what it does and, for suppliers, scale (whether verified, and
    the rule pack it was computed under), legal form and declared characteristics
    (women-owned, indigenous-owned, local)."""
    return organization_public_get(pk=organization_id)
