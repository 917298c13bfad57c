"""Who a subscription or a webhook belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from pregon.accounts.models import User
from pregon.organizations.models import Organization


@dataclass(frozen=True)
class Owner:
    """Who a subscription or a webhook belongs to: a person or an organization."""

    user: User | None = None
    organization: Organization | None = None

    def __post_init__(self) -> None:
        if (self.user is None) == (self.organization is None):
            raise ValueError("an owner is one person or one organization")

    @property
    def condition(self) -> Q:
        """The rows this owner owns."""
        if self.user is not None:
            return Q(user=self.user)
        return Q(organization=self.organization)

    @property
    def fields(self) -> dict[str, Any]:
        return {"user": self.user, "organization": self.organization}
