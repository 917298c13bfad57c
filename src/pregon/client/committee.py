"""The opening committee a bid is sealed to, checked against the transparency log.

The committee endpoint says who the members are; the client believes it only when it says
exactly what the tender's latest release says under ``tender.openingCommittee`` and that
release is in the log under a signed checkpoint. A server that swapped in a key of its own
would have to log that key in a public release, for everyone to see.

The two spell a member's key differently: the API as the rest of it does (``public_key``),
the release as OCDS does (``publicKey``); ``committee_parse`` is told which to read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Any, Final

from pregon.client import errors
from pregon.client.errors import ClientError
from pregon.client.i18n import _

KEY_SIZE: Final = 32
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
#: The name of a member's public key in the committee endpoint's answer (the API's snake_case).
API_KEY_FIELD: Final = "public_key"
#: Its name in the release's ``tender.openingCommittee`` (OCDS's camelCase).
RELEASE_KEY_FIELD: Final = "publicKey"


@dataclass(frozen=True, slots=True)
class CommitteeMember:
    """A member's place in the committee and the public key the bid's share is sealed to."""

    position: int
    public_key: bytes
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Committee:
    """A tender's opening committee, as logged.

    ``release_id``, ``leaf_index`` and ``tree_size`` say where the log holds it; ``release`` is
    the logged release itself (the tender's currency, lots and dates are read from it).
    """

    ocid: str
    threshold: int
    members: tuple[CommitteeMember, ...]
    release_id: str = ""
    leaf_index: int = -1
    tree_size: int = 0
    release: dict[str, Any] | None = None

    def shape(self) -> dict[str, Any]:
        """The committee as the release writes it, to compare two committees exactly."""
        return {
            "threshold": self.threshold,
            "members": [
                {
                    "position": member.position,
                    RELEASE_KEY_FIELD: b64url_encode(member.public_key),
                    "fingerprint": member.fingerprint,
                }
                for member in self.members
            ],
        }


def b64url_encode(data: bytes) -> str:
    """Base64url without padding, as every byte string in the sealed-bid formats."""
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding; ``ValueError`` for anything else."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        msg = "not base64url without padding"
        raise ValueError(msg)
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError(str(error)) from error
    if b64url_encode(data) != text:
        msg = "not the canonical spelling"
        raise ValueError(msg)
    return data


def committee_parse(
    value: Any, *, ocid: str, where: str, key_field: str = RELEASE_KEY_FIELD
) -> Committee:
    """Read a committee (``{"threshold", "members"}``) and check it is well formed.

    Well formed: 1 <= k <= n, positions 1..n in order, 32-byte keys, each fingerprint the
    SHA-256 of its key, no key twice. ``where`` names the source in messages; ``key_field`` is
    the name of each member's key (``API_KEY_FIELD`` for the committee endpoint's answer).
    """

    def broken(reason: str) -> ClientError:
        return ClientError(
            errors.BAD_ANSWER,
            _("The opening committee of %(ocid)s in %(where)s is not valid: %(reason)s.")
            % {"ocid": ocid, "where": where, "reason": reason},
            hint=_("Do not submit to this tender; report it to the platform's operator."),
        )

    if not isinstance(value, dict):
        raise broken(_("it is missing"))
    threshold, members = value.get("threshold"), value.get("members")
    if not isinstance(members, list) or not members:
        raise broken(_("it has no members"))
    if (
        not isinstance(threshold, int)
        or isinstance(threshold, bool)
        or not 1 <= threshold <= len(members)
    ):
        raise broken(_("its threshold is not between 1 and the number of members"))
    parsed: list[CommitteeMember] = []
    for number, member in enumerate(members, start=1):
        if not isinstance(member, dict) or member.get("position") != number:
            raise broken(_("member %(number)s is not in position %(number)s") % {"number": number})
        try:
            key = b64url_decode(member.get(key_field))  # type: ignore[arg-type]
        except ValueError:
            key = b""
        if len(key) != KEY_SIZE:
            raise broken(
                _("the key of member %(number)s is not 32 bytes in base64url") % {"number": number}
            )
        fingerprint = member.get("fingerprint")
        if (
            not isinstance(fingerprint, str)
            or not _FINGERPRINT.fullmatch(fingerprint)
            or hashlib.sha256(key).hexdigest() != fingerprint
        ):
            raise broken(
                _("the fingerprint of member %(number)s is not the SHA-256 of its key")
                % {"number": number}
            )
        parsed.append(CommitteeMember(number, key, fingerprint))
    if len({member.fingerprint for member in parsed}) != len(parsed):
        raise broken(_("a key appears twice"))
    return Committee(ocid=ocid, threshold=threshold, members=tuple(parsed))


def committee_compare(served: Committee, logged: Committee) -> None:
    """Refuse a served committee that is not, exactly, the logged one."""
    if served.shape() != logged.shape():
        raise ClientError(
            errors.COMMITTEE_MISMATCH,
            _(
                "The opening committee the server gives for %(ocid)s is not the one in the "
                "tender's logged release %(release)s; the bid was not sealed."
            )
            % {"ocid": served.ocid, "release": logged.release_id},
            hint=_(
                "Do not submit to this tender; report it to the platform's operator with the "
                "release id."
            ),
        )
