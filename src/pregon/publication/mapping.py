"""From the platform's models to OCDS 1.1 releases: the parts every stage shares, and the
register of the stages' mappings.

Every release is a full snapshot of what is public about a contracting process at its date.
Publication does not know the stages: each stage app (tenders today; bids, awards and contracts
later) owns its mapping in its own `ocds.py` and registers it from its `apps.py` with
`mapping_register`. `services.publication_record` asks every registered mapping, in the order
they were registered, for its sections of the process; one release comes out of them, so every
release of a process is made the same way and compiles into one record.

A mapping returns `Sections`: the process-level fields (`initiationType`, `language`) in `head`,
its stage's sections (`buyer`, `tender`, `awards`, ...) in `body`, and adds the organizations it
names to the release's `Parties`. A release reads: ocid, id, date, tag, the heads, the parties,
the bodies. A mapping with nothing to say about a process returns None.

A later stage may add to a section an earlier stage wrote: bodies are merged as OCDS merges
releases (`merge_section`), objects field by field and arrays of objects by their `id`. The bids
mark the tender's bid-opening milestone met this way, sending only
`{"tender": {"milestones": [{"id": "bid-opening", "status": "met", "dateMet": ...}]}}`.

What is never published: drafts; who asked a clarification question; sealed bids before their
opening. Choices worth knowing are in docs/open-data.md and in each stage's `ocds.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django_countries import countries

from pregon.accounts.choices import OrganizationKind
from pregon.organizations.models import Organization
from pregon.organizations.selectors import consortium_members


class NotPublishable(RuntimeError):
    """A release was asked of something that must never be published (a draft)."""


# ---------------------------------------------------------------------------------------------
# values


def ocds_datetime(value: dt.datetime) -> str:
    """An OCDS date-time: UTC, whole seconds, `Z` (sorts as text in time order)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ocds_number(value: Decimal) -> int | float:
    """A JSON number for an amount or a quantity: an integer when it is one."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def absolute_url(path: str) -> str:
    """The public address of a path of this instance."""
    return f"{settings.SITE_URL}{path}"


def ocds_value(amount: Decimal, currency: str) -> dict[str, Any]:
    """An OCDS Value: the amount as a JSON number, and its currency."""
    return {"amount": ocds_number(amount), "currency": currency}


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without its empty values (OCDS leaves unknown fields out)."""
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


# ---------------------------------------------------------------------------------------------
# parties


def organization_party(organization: Organization) -> dict[str, Any]:
    """An organization as an OCDS party, without its roles."""
    party: dict[str, Any] = {
        "id": organization.party_id,
        "name": organization.display_name,
        "identifier": {
            "scheme": organization.identifier_scheme,
            "id": organization.identifier_id,
            "legalName": organization.legal_name,
        },
    }
    address = without_empty(
        {
            "streetAddress": organization.street_address,
            "locality": organization.locality,
            "region": organization.region,
            "postalCode": organization.postal_code,
            "countryName": countries.name(str(organization.country))
            if organization.country
            else "",
        }
    )
    if address:
        party["address"] = address
    contact = without_empty(
        {
            "email": organization.email,
            "telephone": organization.telephone,
            "url": organization.website,
        }
    )
    if contact:
        party["contactPoint"] = contact
    if organization.kind == OrganizationKind.SUPPLIER:
        # partyDetails_scale: how MSME participation is published; the legal form and the
        # declared characteristics are fields of ours (docs/open-data.md).
        details = without_empty(
            {
                "scale": organization.scale,
                "legalForm": organization.legal_form,
                "characteristics": organization.characteristics,
            }
        )
        members = consortium_members(organization)
        if members:
            # A consortium's members, lead first, with their shares: a field of ours. Each
            # member is a party too, with the role consortiumMember (`Parties.add`).
            details["consortiumMembers"] = [
                {
                    "id": m.member.party_id,
                    "name": m.member.display_name,
                    "share": ocds_number(m.share),
                    "lead": m.is_lead,
                }
                for m in members
            ]
        if details:
            party["details"] = details
    return party


#: The party role of a consortium's members (partyRole is an open codelist; ours).
CONSORTIUM_MEMBER_ROLE = "consortiumMember"


class Parties:
    """The parties of a release: each organization once, with every role it plays."""

    def __init__(self) -> None:
        self._parties: dict[str, dict[str, Any]] = {}

    def add(self, organization: Organization, *roles: str) -> dict[str, str]:
        """Add roles to an organization's party; return the reference to put in the release."""
        party = self._parties.get(organization.party_id)
        if party is None:
            party = self._parties[organization.party_id] = {
                **organization_party(organization),
                "roles": [],
            }
            for member in consortium_members(organization):
                self.add(member.member, CONSORTIUM_MEMBER_ROLE)
        for role in roles:
            if role not in party["roles"]:
                party["roles"].append(role)
        return {"id": party["id"], "name": party["name"]}

    def as_list(self) -> list[dict[str, Any]]:
        """The parties in the order they were first added."""
        return list(self._parties.values())


# ---------------------------------------------------------------------------------------------
# the stages' mappings


@dataclass(kw_only=True)
class Sections:
    """One stage's part of a release (see the module's docstring)."""

    head: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ReleaseRequest:
    """What a stage's mapping is asked: the sections of `ocid` at `date`.

    `previous` is the compiled release before this one (None for the first), used only to
    clear fields that became empty; `parties` collects the organizations the release names.
    """

    ocid: str
    date: dt.datetime
    previous: dict[str, Any] | None
    parties: Parties


#: A stage's mapping: the sections it publishes for a process, or None when it has none.
StageMapping = Callable[[ReleaseRequest], Sections | None]

_MAPPINGS: list[StageMapping] = []


def mapping_register(stage_mapping: StageMapping) -> None:
    """Add a stage's mapping (called from its `AppConfig.ready`; a second call is a no-op)."""
    if stage_mapping not in _MAPPINGS:
        _MAPPINGS.append(stage_mapping)


def build_release(
    *,
    ocid: str | None,
    release_id: str,
    tag: str,
    date: dt.datetime,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The release of the contracting process `ocid` at `date`, tagged `tag`.

    Raises `NotPublishable` when the process has no ocid (a draft) or no stage publishes it.
    """
    if not ocid:
        raise NotPublishable("a process without an ocid (a draft) is never published")
    request = ReleaseRequest(ocid=ocid, date=date, previous=previous, parties=Parties())
    parts = [part for part in (stage(request) for stage in _MAPPINGS) if part is not None]
    if not parts:
        raise NotPublishable(f"no stage publishes {ocid}")
    release: dict[str, Any] = {"ocid": ocid, "id": release_id, "date": ocds_datetime(date)}
    release["tag"] = [tag]
    for part in parts:
        release.update(part.head)
    release["parties"] = request.parties.as_list()
    for part in parts:
        merge_section(release, part.body)
    return release


def merge_section(target: dict[str, Any], addition: dict[str, Any]) -> None:
    """Merge a stage's `addition` into `target` in place, as OCDS merges releases.

    An object merges into an object field by field; an array of objects that all have an `id`
    merges into such an array entry by entry (an entry with a known id is merged into it, a new
    one is appended); any other value replaces what was there.
    """
    for key, value in addition.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merge_section(current, value)
        elif isinstance(current, list) and _identified(value) and _identified(current):
            entries = {entry["id"]: entry for entry in current}
            for entry in value:
                if entry["id"] in entries:
                    merge_section(entries[entry["id"]], entry)
                else:
                    current.append(entry)
                    entries[entry["id"]] = entry
        else:
            target[key] = value


def _identified(value: Any) -> bool:
    """An array of objects that each have an `id` (OCDS merges those by id)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(entry, dict) and "id" in entry for entry in value)
    )
