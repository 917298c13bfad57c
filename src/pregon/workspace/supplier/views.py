"""The supplier workspace: the organization's profile, the questions it asked, its API keys.

The API key pages are shared with the buyer workspace (`api_keys_page`, `api_key_revoke_page`):
the same templates, with the workspace's URL namespace and layout passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.alerts import selectors as alert_selectors
from pregon.alerts.owners import Owner
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import form_errors_from
from pregon.organizations import selectors, services
from pregon.organizations.acting import WorkspaceOrganization, actor_from_request, require_workspace
from pregon.tenders.selectors import questions_of_supplier
from pregon.workspace.common import nav_context, switch_view
from pregon.workspace.supplier.forms import ApiKeyForm, ProfileForm

SUPPLIER_KINDS = frozenset({OrganizationKind.SUPPLIER})
INVALID_FORM_STATUS = 422
# The layout each workspace's pages extend, by URL namespace.
_LAYOUTS = {
    "supplier": "workspace/supplier/base.html",
    "workspace": "workspace/buyer/base.html",
}

switch = switch_view(kinds=SUPPLIER_KINDS, roles=SUPPLIER_ROLES, fallback="supplier:home")


def _supplier(request: HttpRequest) -> WorkspaceOrganization:
    return require_workspace(request, kinds=SUPPLIER_KINDS, roles=SUPPLIER_ROLES)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The organization at a glance, and the questions it asked with their answers."""
    workspace = _supplier(request)
    asked = list(questions_of_supplier(organization=workspace.organization))
    return render(
        request,
        "workspace/supplier/home.html",
        {
            "workspace": workspace,
            "nav": "home",
            "organization": workspace.organization,
            "questions": asked,
            "characteristics": [
                label
                for name, label in (
                    ("is_cooperative", _("Cooperative")),
                    ("women_owned", _("Women-owned")),
                    ("indigenous_owned", _("Indigenous-owned")),
                    ("is_local", _("Local business")),
                    ("hubzone", _("HUBZone small business")),
                )
                if getattr(workspace.organization, name)
            ],
            "answered_count": sum(question.is_answered for question in asked),
            "key_count": selectors.api_keys_of(organization=workspace.organization)
            .filter(revoked_at__isnull=True)
            .count(),
            # A new supplier lands here after registering: the alerts section proposes the
            # subscription its profile suggests (a pre-filled form) until it has one.
            "alert_count": alert_selectors.subscriptions_of(
                Owner(user=request.user)  # type: ignore[arg-type]
            ).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Edit the public profile (the identifier and the country stay as registered)."""
    workspace = _supplier(request)
    organization = workspace.organization
    form = ProfileForm(
        request.POST or None,
        initial=ProfileForm.initial_from(organization),
        country=str(organization.country),
        legal_form=organization.legal_form,
    )
    context = {
        "workspace": workspace,
        "nav": "profile",
        "organization": organization,
        "form": form,
    }
    template = "workspace/supplier/profile.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=INVALID_FORM_STATUS)
    try:
        services.organization_update(
            actor=actor_from_request(request, organization),
            organization=organization,
            data=form.to_data(organization),
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, template, context, status=error.status)
    messages.success(request, _("The profile is saved."))
    return redirect("supplier:home")


@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """The supplier's API keys, and a form to issue one."""
    return api_keys_page(
        request, _supplier(request), namespace="supplier", manager_roles=SUPPLIER_ROLES
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_key_revoke(request: HttpRequest, key_pk: int) -> HttpResponse:
    """Revoke one of the supplier's API keys, after confirmation."""
    return api_key_revoke_page(
        request, _supplier(request), key_pk, namespace="supplier", manager_roles=SUPPLIER_ROLES
    )


# ---------------------------------------------------------------------------------------------
# API keys, shared by both workspaces


def _keys_context(
    request: HttpRequest,
    workspace: WorkspaceOrganization,
    namespace: str,
    can_manage: bool,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "workspace": workspace,
        "organization": workspace.organization,
        "namespace": namespace,
        "nav": "keys",
        "layout": _LAYOUTS[namespace],
        "can_manage": can_manage,
        **nav_context(request, can_edit=can_manage),
        "keys": list(selectors.api_keys_of(organization=workspace.organization)),
        **extra,
    }


def api_keys_page(
    request: HttpRequest,
    workspace: WorkspaceOrganization,
    *,
    namespace: str,
    manager_roles: Iterable[str],
) -> HttpResponse:
    """List an organization's keys; POST issues one and shows its secret, this once only."""
    can_manage = workspace.has_any(manager_roles)
    if request.method == "POST" and not can_manage:
        raise DjangoPermissionDenied
    form = ApiKeyForm(request.POST or None, kind=workspace.organization.kind)
    context = _keys_context(request, workspace, namespace, can_manage, form=form)
    template = "workspace/supplier/api_keys.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=INVALID_FORM_STATUS)
    try:
        key, secret = services.api_key_issue(
            actor=actor_from_request(request, workspace.organization),
            organization=workspace.organization,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, template, context, status=error.status)
    # The secret is in this response only: never in a redirect, the session or a cache.
    response = render(
        request,
        "workspace/supplier/api_key_issued.html",
        {**context, "key": key, "secret": secret},
    )
    response["Cache-Control"] = "no-store"
    return response


def api_key_revoke_page(
    request: HttpRequest,
    workspace: WorkspaceOrganization,
    key_pk: int,
    *,
    namespace: str,
    manager_roles: Iterable[str],
) -> HttpResponse:
    """GET asks for confirmation; POST revokes the key at once."""
    try:
        key = selectors.api_key_of(organization=workspace.organization, pk=key_pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    if not workspace.has_any(manager_roles):
        raise DjangoPermissionDenied
    context = _keys_context(request, workspace, namespace, True, key=key)
    template = "workspace/supplier/api_key_revoke.html"
    if request.method != "POST":
        return render(request, template, context)
    try:
        services.api_key_revoke(actor=actor_from_request(request, workspace.organization), key=key)
    except DomainError as error:
        context["error"] = error.message
        return render(request, template, context, status=error.status)
    messages.success(
        request, _("The key “%(name)s” is revoked; it no longer works.") % {"name": key.name}
    )
    return redirect(reverse(f"{namespace}:api_keys"))
