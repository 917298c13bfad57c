"""The supplier workspace's award notices: every decision on a lot the organization bid on,
as the notices told it, unread ones marked; each links to the notice's page, where the bidder
complains during the standstill (`pregon.evaluation.views_award.award_notice`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.evaluation.selectors import notices_of_supplier
from pregon.organizations.acting import actor_from_request, require_workspace


@login_required
def award_notices(request: HttpRequest) -> HttpResponse:
    """The organization's award notices, newest first."""
    workspace = require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)
    organization = workspace.organization
    notices = notices_of_supplier(
        actor=actor_from_request(request, organization), supplier=organization
    )
    return render(
        request,
        "workspace/supplier/awards.html",
        {
            "workspace": workspace,
            "nav": "awards",
            "organization": organization,
            "notices": notices,
            "unread": sum(notice.read_at is None for notice in notices),
        },
    )
