"""The person behind a request, as pages and the admin need them."""

from __future__ import annotations

from django.http import HttpRequest

from pregon.accounts.choices import OrganizationKind, Role
from pregon.accounts.models import Membership, User
from pregon.core.actor import Actor
from pregon.core.choices import Channel
from pregon.core.request import client_ip


def user_of(request: HttpRequest) -> User:
    """The signed-in person (views using it are behind `login_required`)."""
    return request.user  # type: ignore[return-value]


def admin_actor(request: HttpRequest) -> Actor:
    """The person using the admin, acting for the platform operator when they administer it."""
    membership = (
        Membership.objects.filter(
            user=request.user,  # type: ignore[misc]
            role=Role.ADMINISTRATOR,
            organization__kind=OrganizationKind.OPERATOR,
        )
        .select_related("organization")
        .first()
    )
    return Actor(
        user=request.user,  # type: ignore[arg-type]
        organization=membership.organization if membership else None,
        ip_address=client_ip(request),
        channel=Channel.ADMIN,
    )
