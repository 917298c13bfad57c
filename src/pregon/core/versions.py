"""Versions of the objects clients update: an integer each change increments, shown as an
entity tag (`ETag: "7"`), and the condition a change may carry (`If-Match`), checked by the
service on the row it locked, so that a change prepared against an older version is refused
(412) instead of silently undoing another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.http import parse_etags

from pregon.core.errors import PreconditionFailed


def version_tag(version: int) -> str:
    """The strong entity tag of a version, e.g. '"7"'."""
    return f'"{version}"'


@dataclass(frozen=True)
class ExpectedVersion:
    """The versions a change was prepared against; `any_version` for `If-Match: *`."""

    tags: frozenset[str]
    any_version: bool = False

    @classmethod
    def from_header(cls, value: str | None) -> ExpectedVersion | None:
        """The condition an `If-Match` header states; None when there is no header.

        Weak tags (W/"7") and anything that is not a quoted tag match no version: If-Match
        compares strongly (RFC 9110, 13.1.1).
        """
        if value is None or not value.strip():
            return None
        tags = parse_etags(value)
        if tags == ["*"]:
            return cls(tags=frozenset(), any_version=True)
        return cls(tags=frozenset(tag for tag in tags if not tag.startswith("W/")))

    def require(self, version: int, *, message: str | Promise) -> None:
        """Refuse (PreconditionFailed, 412) unless `version` is one the change expects."""
        if not self.any_version and version_tag(version) not in self.tags:
            raise PreconditionFailed(message)
