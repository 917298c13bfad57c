"""What follows a plan line, as the public sees it: the register of follower lookups.

A line is followed by the procurement drafted from it: a tender today, a quick quote later.
Those apps sit above planning (ADR 0019), so planning cannot read them; each registers, from its
`AppConfig.ready`, a lookup that tells which of some lines it follows and how the public reaches
it. The public pages and the API ask `followers_of` for a page of lines at once (one query per
registered lookup, whatever the number of lines).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pregon.planning.models import PlanLine


@dataclass(frozen=True, kw_only=True)
class Follower:
    """The procurement that follows a line: its kind ("tender"), its reference and title, and
    its public page (`url`, "" while it is a draft nobody else may see)."""

    kind: str
    reference: str
    title: str
    url: str

    @property
    def is_public(self) -> bool:
        return bool(self.url)


#: A lookup: the followers it knows of among `lines`, by line id.
FollowerLookup = Callable[[Sequence[PlanLine]], dict[int, Follower]]

_LOOKUPS: list[FollowerLookup] = []


def follower_lookup_register(lookup: FollowerLookup) -> None:
    """Add a lookup (called from an `AppConfig.ready`; a second call is a no-op)."""
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def followers_of(lines: Sequence[PlanLine]) -> dict[int, Follower]:
    """The followers of those of `lines` that have one, by line id."""
    wanted = [line for line in lines if line.followed_at is not None]
    found: dict[int, Follower] = {}
    if not wanted:
        return found
    for lookup in _LOOKUPS:
        for line_id, follower in lookup(wanted).items():
            found.setdefault(line_id, follower)
    return found
