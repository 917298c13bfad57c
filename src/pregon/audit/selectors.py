"""Reading the audit log: who may read which rows, and the filters of its page.

Auditors of an oversight body and platform administrators read everything. Auditors and buyer
officials of a buyer read their organization's rows, plus what the platform itself did to
their tenders (closing them at the deadline). Rows other organizations wrote stay out even when
they concern the buyer's tenders: a supplier's question is recorded under the supplier, and the
buyer must not learn who asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_AUDIT_ROLES, OrganizationKind
from pregon.accounts.models import User
from pregon.accounts.permissions import is_oversight_auditor, is_platform_admin
from pregon.core.audit_vocabulary import owner_fields
from pregon.core.errors import PermissionDenied
from pregon.core.models import AuditEvent
from pregon.organizations.models import Organization


@dataclass(kw_only=True)
class AuditFilters:
    """The audit page's filters; every field is optional. Dates are days in TIME_ZONE."""

    action: str = ""
    object_type: str = ""
    actor: str = ""
    organization: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    object_id: str = ""


@dataclass(kw_only=True)
class AuditScope:
    """What part of the audit log one person may read."""

    everything: bool
    organizations: list[Organization] = field(default_factory=list)


def audit_scope_of(*, user: User | None) -> AuditScope | None:
    """The part of the log `user` may read, or None when they may read none of it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if is_platform_admin(user) or is_oversight_auditor(user):
        return AuditScope(everything=True)
    organizations = list(
        Organization.objects.filter(
            kind=OrganizationKind.BUYER,
            memberships__user=user,
            memberships__role__in=BUYER_AUDIT_ROLES,
        )
        .distinct()
        .order_by("legal_name", "pk")
    )
    if not organizations:
        return None
    return AuditScope(everything=False, organizations=organizations)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _rows_of(organizations: list[Organization]) -> Q:
    """The rows of `organizations`, and the platform's own rows about objects they own.

    Which objects an organization owns comes from the apps' vocabularies (`owner_fields`), so
    this module names no app.
    """
    condition = Q(organization__in=organizations)
    for object_type, field_name in owner_fields().items():
        owned = (
            apps.get_model(object_type)
            ._default_manager.filter(**{f"{field_name}__in": organizations})
            .values(key=Cast("pk", output_field=CharField()))
        )
        condition |= Q(
            organization__isnull=True,
            actor__isnull=True,
            object_type=object_type,
            object_id__in=owned,
        )
    return condition


def audit_events_visible_to(
    *, user: User | None, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """The audit rows `user` may read that match `filters`, newest first.

    Raises PermissionDenied for someone who may read none of the log.
    """
    scope = audit_scope_of(user=user)
    if scope is None:
        raise PermissionDenied(
            _("Only auditors, buyer officials and platform administrators read the audit log.")
        )
    queryset = AuditEvent.objects.select_related("organization")
    if not scope.everything:
        queryset = queryset.filter(_rows_of(scope.organizations))
    filters = filters or AuditFilters()
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.object_type:
        queryset = queryset.filter(object_type=filters.object_type)
    if filters.actor:
        queryset = queryset.filter(actor_label__icontains=filters.actor.strip())
    if filters.organization:
        queryset = queryset.filter(organization_id=filters.organization)
    if filters.date_from:
        queryset = queryset.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(created_at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.object_id:
        queryset = queryset.filter(object_id=filters.object_id.strip())
    return queryset.order_by("-created_at", "-id")


@dataclass(kw_only=True)
class AuditFilterOptions:
    """The values the filters offer: those present in the rows the person may read."""

    actions: list[str]
    object_types: list[str]
    organizations: list[Organization]


def audit_filter_options(*, user: User | None) -> AuditFilterOptions:
    """Choices for the audit page's filters, drawn from what `user` may read."""
    visible = audit_events_visible_to(user=user)
    actions = list(visible.order_by("action").values_list("action", flat=True).distinct())
    object_types = list(
        visible.order_by("object_type").values_list("object_type", flat=True).distinct()
    )
    organizations = list(
        Organization.objects.filter(
            pk__in=visible.filter(organization__isnull=False).order_by().values("organization_id")
        ).order_by("legal_name", "pk")
    )
    return AuditFilterOptions(
        actions=actions, object_types=object_types, organizations=organizations
    )
