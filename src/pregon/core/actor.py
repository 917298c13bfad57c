"""Who is acting: the person, the organization they act for, and where the request came from.

Services take an `Actor` so that the audit log can say who did what from where, whether the
action came from a page, the API (with an organization API key), a command or a task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pregon.core.choices import Channel

#: How the audit trail records the platform acting by itself, and an organization's API key.
SYSTEM_LABEL = "system"
API_KEY_LABEL_PREFIX = "api-key:"

if TYPE_CHECKING:
    from pregon.accounts.models import User
    from pregon.organizations.models import ApiKey, Organization


@dataclass(frozen=True, kw_only=True)
class Actor:
    """The acting party of one official action."""

    user: User | None
    organization: Organization | None = None
    ip_address: str | None = None
    api_key: ApiKey | None = None
    # How the action reached the service: one of `Channel` (web, api, admin, command, task).
    channel: str = Channel.WEB

    @classmethod
    def system(cls, *, channel: str = Channel.TASK) -> Actor:
        """The platform itself, for transitions that happen by time (e.g. a deadline)."""
        return cls(user=None, organization=None, channel=channel)

    @property
    def label(self) -> str:
        """A short description for logs and the audit trail."""
        if self.user is not None:
            return self.user.email
        if self.api_key is not None:
            return f"{API_KEY_LABEL_PREFIX}{self.api_key.prefix}"
        return SYSTEM_LABEL
