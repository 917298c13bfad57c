"""Output schemas and filters of the organizations API: the public directory and profiles.

Contact e-mail and telephone are left out of the API so that the directory cannot be harvested
for addresses; the address and website are part of the public profile.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema

from pregon.accounts.choices import OrganizationKind
from pregon.organizations.choices import BuyerType, LegalForm, Scale, ScaleStatus
from pregon.organizations.models import Organization
from pregon.organizations.selectors import consortium_members


def _url(obj: Organization, context: dict[str, Any] | None) -> str:
    path = reverse("api:organization_detail", kwargs={"organization_id": obj.pk})
    request: HttpRequest | None = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class OrganizationFilterQuery(Schema):
    kind: OrganizationKind | None = Field(None, description="Only organizations of this kind.")
    country: str = Field(
        "", pattern=r"^([A-Za-z]{2})?$", description="Only this country (ISO 3166-1 alpha-2)."
    )
    scale: Scale | None = Field(None, description="Only suppliers of this scale.")
    cooperative: bool | None = Field(
        None, description="true: only cooperatives; false: only other organizations."
    )
    legal_form: LegalForm | None = Field(
        None, description="Only suppliers of this legal form (cooperatives, associations…)."
    )


class OrganizationSummaryOut(Schema):
    id: int
    kind: OrganizationKind
    name: str = Field(description="The name in common use, or the legal name.")
    legal_name: str
    party_id: str = Field(description="Organization identifier, org-id style (e.g. CL-RUT-…).")
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    region: str
    scale: Scale | None = Field(description="Suppliers only: micro to large, or self-employed.")
    is_cooperative: bool
    legal_form: LegalForm | None = Field(
        description="Suppliers only: company, individual entrepreneur, cooperative, association, "
        "community enterprise, or consortium (firms bidding as one)."
    )
    url: str = Field(description="This organization's profile in the API.")

    @staticmethod
    def resolve_legal_form(obj: Organization) -> str | None:
        return obj.legal_form or None

    @staticmethod
    def resolve_name(obj: Organization) -> str:
        return obj.display_name

    @staticmethod
    def resolve_country(obj: Organization) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_scale(obj: Organization) -> str | None:
        return obj.scale or None

    @staticmethod
    def resolve_url(obj: Organization, context: dict[str, Any] | None = None) -> str:
        return _url(obj, context)


class ConsortiumMemberOut(Schema):
    party_id: str = Field(description="The member's organization identifier, org-id style.")
    name: str
    scale: Scale | None
    share: Decimal = Field(description="Its share of the consortium, in percent.")
    lead: bool = Field(description="Whether it is the lead member.")


class OrganizationOut(OrganizationSummaryOut):
    """The public profile of an organization."""

    consortium_members: list[ConsortiumMemberOut] | None = Field(
        None,
        description="A consortium only (legal form consortium): its members, lead first, with "
        "their shares; its scale is its largest member's.",
    )

    identifier_scheme: str = Field(description="Register the identifier belongs to, e.g. CL-RUT.")
    identifier_id: str
    street_address: str
    locality: str
    postal_code: str
    website: str
    description: str
    buyer_type: BuyerType | None = Field(description="Buyers only: the kind of public body.")
    women_owned: bool
    indigenous_owned: bool
    is_local: bool
    hubzone: bool = Field(
        description="Suppliers only: whether it declares itself a HUBZone small business "
        "(United States; the US rule pack's price-evaluation preference)."
    )
    scale_verified: bool = Field(
        description="Suppliers only: whether the platform verified the scale against the "
        "supplier's evidence (else it is the supplier's declaration)."
    )
    scale_rule_pack: str | None = Field(
        description="Suppliers only: the country rule pack (CODE@VERSION) the scale was computed "
        "under from the declared employees and turnover; null when it is the supplier's own "
        "declaration."
    )
    time_zone: str = Field(
        description=(
            "The IANA time zone its dates are set and shown in (a buyer's tender deadlines): "
            "its own, or else its country's main zone, e.g. America/Belize."
        )
    )
    created_at: dt.datetime = Field(description="When it registered on this platform.")

    @staticmethod
    def resolve_buyer_type(obj: Organization) -> str | None:
        return obj.buyer_type or None

    @staticmethod
    def resolve_scale_verified(obj: Organization) -> bool:
        return obj.scale_status == ScaleStatus.VERIFIED

    @staticmethod
    def resolve_scale_rule_pack(obj: Organization) -> str | None:
        return obj.scale_rule_pack or None

    @staticmethod
    def resolve_time_zone(obj: Organization) -> str:
        return obj.effective_time_zone

    @staticmethod
    def resolve_consortium_members(obj: Organization) -> list[dict[str, Any]] | None:
        members = consortium_members(obj)
        if not members:
            return None
        return [
            {
                "party_id": m.member.party_id,
                "name": m.member.display_name,
                "scale": m.member.scale or None,
                "share": m.share,
                "lead": m.is_lead,
            }
            for m in members
        ]
