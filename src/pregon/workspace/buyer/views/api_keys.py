"""The buyer's API keys: the supplier workspace's pages (`workspace.supplier.views`),
with the buyer workspace's namespace and roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from pregon.workspace.buyer.views.common import WRITE_ROLES, buyer_workspace, in_buyer_time_zone
from pregon.workspace.supplier import views as shared


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def api_keys(request: HttpRequest) -> HttpResponse:
    """The buyer's API keys; officials issue new ones."""
    workspace = buyer_workspace(request)
    return shared.api_keys_page(
        request, workspace, namespace="workspace", manager_roles=WRITE_ROLES
    )


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def api_key_revoke(request: HttpRequest, key_pk: int) -> HttpResponse:
    """Revoke one of the buyer's API keys, after confirmation."""
    workspace = buyer_workspace(request)
    return shared.api_key_revoke_page(
        request, workspace, key_pk, namespace="workspace", manager_roles=WRITE_ROLES
    )
