"""The opening committee: members' personal keys, and the committee a buyer names on a draft.

A committee member registers an X25519 public key of their own (the private key stays on their
device, in a passphrase-protected file); a buyer official names n of the buyer's committee
members with an active key, and k of them needed to open the bids. The keys are copied into the
committee when it is named, and published with the tender, so bidders encrypt to exactly what
the transparency log holds. Publication checks the committee again (`committee_problems`): a
member who lost the role or replaced their key since being named stops it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import COMMITTEE_ROLES
from pregon.accounts.models import Membership, User
from pregon.accounts.permissions import require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.tenders.choices import COMMITTEE_MAX_MEMBERS
from pregon.tenders.models import PUBLIC_KEY_BYTES, CommitteeKey, CommitteeMember, Tender
from pregon.tenders.services.common import move, require_buyer, save_changed, tender_lock

# A 32-byte key in base64url without padding is 43 characters.
_PUBLIC_KEY_TEXT = re.compile(r"[A-Za-z0-9_-]{43}")


def fingerprint_of(public_key: bytes) -> str:
    """A public key's fingerprint: SHA-256 of its raw bytes, lowercase hexadecimal."""
    return hashlib.sha256(public_key).hexdigest()


def public_key_decode(text: str, *, field: str = "public_key") -> bytes:
    """The raw public key written as base64url without padding (as `pregon keys generate`
    prints it and the browser shows it); padding and surrounding spaces are tolerated."""
    cleaned = text.strip().rstrip("=")
    if not _PUBLIC_KEY_TEXT.fullmatch(cleaned):
        raise ValidationFailed(
            _(
                "This is not a public key: paste the 43 characters of the public key "
                "(base64url), as the key generator shows them."
            ),
            code="invalid_public_key",
            field=field,
        )
    try:
        return base64.urlsafe_b64decode(cleaned + "=")
    except (binascii.Error, ValueError):  # pragma: no cover - the pattern admits only valid text
        raise ValidationFailed(_("This is not a public key."), field=field) from None


def public_key_encode(public_key: bytes) -> str:
    """The raw key as base64url without padding (the contract's "b64")."""
    return base64.urlsafe_b64encode(bytes(public_key)).decode().rstrip("=")


def _check_public_key(public_key: bytes) -> None:
    """Refuse anything but a usable X25519 public key: 32 bytes, and not one of the low-order
    points, with which every encryption to it would be readable by anyone."""
    message = _(
        "This is not a usable X25519 public key. Generate a new key pair and register its "
        "public key."
    )
    if not isinstance(public_key, bytes) or len(public_key) != PUBLIC_KEY_BYTES:
        raise ValidationFailed(message, code="invalid_public_key", field="public_key")
    try:
        X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(public_key))
    except ValueError:
        raise ValidationFailed(message, code="invalid_public_key", field="public_key") from None


def _require_person(actor: Actor) -> User:
    """The person acting: a committee key belongs to a person, never to an API key."""
    if actor.api_key is not None:
        raise PermissionDenied(
            _(
                "An opening key is personal: register or revoke it signed in as yourself, "
                "not with an organization's API key."
            )
        )
    if actor.user is None or not actor.user.is_active:
        raise PermissionDenied(_("Sign in to do this."))
    return actor.user


def committee_key_register(*, actor: Actor, public_key: bytes) -> CommitteeKey:
    """A committee member registers their public key for the organization they act for.

    A person has one active key per organization: the one registered before is revoked in the
    same transaction. Committees already named keep the key they copied.
    """
    user = _require_person(actor)
    if actor.organization is None:
        raise PermissionDenied(_("Choose the buyer you act for before registering a key."))
    organization = actor.organization
    require_role(actor, organization, COMMITTEE_ROLES)
    _check_public_key(public_key)
    fingerprint = fingerprint_of(public_key)
    try:
        with transaction.atomic():
            # Two registrations by one person run one after the other.
            User.objects.select_for_update().filter(pk=user.pk).first()
            if CommitteeKey.objects.filter(fingerprint=fingerprint).exists():
                raise _key_taken()
            now = clock.now()
            previous = list(
                CommitteeKey.objects.select_for_update().filter(
                    user=user, organization=organization, revoked_at__isnull=True
                )
            )
            for old in previous:
                old.revoked_at = now
                old.save(update_fields=["revoked_at"])
            key = CommitteeKey.objects.create(
                user=user,
                organization=organization,
                public_key=public_key,
                fingerprint=fingerprint,
                created_at=now,
            )
            summary: dict[str, object] = {"fingerprint": fingerprint}
            if previous:
                summary["replaces"] = previous[0].fingerprint
            audit_record(actor=actor, action="committee_key.register", target=key, summary=summary)
    except IntegrityError:
        # The same key registered at the same moment by someone else.
        raise _key_taken() from None
    return key


def _key_taken() -> ValidationFailed:
    return ValidationFailed(
        _("This public key is already registered. Generate a new key pair of your own."),
        code="key_already_registered",
        field="public_key",
    )


def committee_key_revoke(*, actor: Actor, key: CommitteeKey) -> CommitteeKey:
    """A member revokes their own key (lost, or no longer trusted). Drafts that named it cannot
    be published until the committee is named again; published tenders keep it."""
    user = _require_person(actor)
    if key.user_id != user.pk:
        raise PermissionDenied(_("Only its owner may revoke an opening key."))
    if actor.organization is not None and actor.organization.pk != key.organization_id:
        raise PermissionDenied(_("You are acting for another organization."))
    with transaction.atomic():
        locked = CommitteeKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            raise InvalidTransition(
                _("This opening key is already revoked."), code="already_revoked"
            )
        locked.revoked_at = clock.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="committee_key.revoke",
            target=locked,
            summary={"fingerprint": locked.fingerprint},
        )
    return locked


def _check_committee_shape(members: Sequence[int], threshold: int) -> None:
    if not members:
        raise ValidationFailed(
            _("Name at least one member of the opening committee."), field="members"
        )
    if len(set(members)) != len(members):
        raise ValidationFailed(_("Name each member only once."), field="members")
    if len(members) > COMMITTEE_MAX_MEMBERS:
        raise ValidationFailed(
            _("An opening committee has at most %(limit)s members.")
            % {"limit": COMMITTEE_MAX_MEMBERS},
            field="members",
        )
    if isinstance(threshold, bool) or not 1 <= threshold <= len(members):
        raise ValidationFailed(
            _(
                "The number of members needed to open the bids must be between 1 and "
                "%(count)s, the number of members named."
            )
            % {"count": len(members)},
            field="threshold",
        )


def tender_committee_set(
    *, actor: Actor, tender: Tender, members: Sequence[int], threshold: int
) -> list[CommitteeMember]:
    """Name a draft's opening committee: the users `members` (ids, in the order of their
    positions 1..n), each a committee member of the tender's buyer with an active key, and
    `threshold` k of them needed to open the bids (1 <= k <= n). Replaces the committee the
    draft had."""
    require_buyer(actor, tender)
    members = list(members)
    _check_committee_shape(members, threshold)
    with transaction.atomic():
        locked = tender_lock(tender)
        move(locked, "edit")
        eligible = set(
            Membership.objects.filter(
                organization=locked.buyer,
                role__in=COMMITTEE_ROLES,
                user_id__in=members,
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
        keys = {
            key.user_id: key
            for key in CommitteeKey.objects.select_for_update()
            .select_related("user")
            .filter(organization=locked.buyer, user_id__in=members, revoked_at__isnull=True)
        }
        for user_id in members:
            if user_id not in eligible:
                raise ValidationFailed(
                    _("Person number %(id)s is not a committee member of %(buyer)s.")
                    % {"id": user_id, "buyer": locked.buyer},
                    code="not_a_committee_member",
                    field="members",
                )
            if user_id not in keys:
                person = User.objects.get(pk=user_id)
                raise ValidationFailed(
                    _(
                        "%(person)s has no opening key yet: they register one on their page "
                        "“My opening key” before they can be named."
                    )
                    % {"person": person},
                    code="no_opening_key",
                    field="members",
                )
        CommitteeMember.objects.filter(tender=locked).delete()
        named = [
            CommitteeMember.objects.create(
                tender=locked,
                position=position,
                user_id=user_id,
                public_key=bytes(keys[user_id].public_key),
                fingerprint=keys[user_id].fingerprint,
            )
            for position, user_id in enumerate(members, start=1)
        ]
        locked.opening_threshold = threshold
        locked.updated_at = clock.now()
        save_changed(locked, only=("opening_threshold", "updated_at"))
        audit_record(
            actor=actor,
            action="tender.committee",
            target=locked,
            summary={
                "threshold": threshold,
                "members": [
                    f"{keys[user_id].user.email} ({keys[user_id].fingerprint[:16]})"
                    for user_id in members
                ],
            },
        )
    return named


def committee_problems(tender: Tender) -> list[str]:
    """Why the tender's committee cannot open bids as named (empty when it can): there is none,
    or a member has since lost the committee role or no longer holds the key named."""
    members = list(tender.committee.select_related("user").order_by("position"))
    if tender.opening_threshold is None or not members:
        return [
            _(
                "Name the opening committee: the members who will open the bids together, and "
                "how many of them are needed."
            )
        ]
    problems = []
    if tender.opening_threshold > len(members):
        problems.append(
            _(
                "The opening committee needs %(threshold)s members to open the bids but has "
                "only %(count)s; name it again."
            )
            % {"threshold": tender.opening_threshold, "count": len(members)}
        )
    holders = set(
        Membership.objects.filter(
            organization_id=tender.buyer_id,
            role__in=COMMITTEE_ROLES,
            user__in=[member.user for member in members],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
    active = set(
        CommitteeKey.objects.filter(
            organization_id=tender.buyer_id,
            revoked_at__isnull=True,
            fingerprint__in=[member.fingerprint for member in members],
        ).values_list("fingerprint", flat=True)
    )
    for member in members:
        if member.user_id not in holders:
            problems.append(
                _(
                    "%(person)s (member %(position)s of the opening committee) is no longer a "
                    "committee member of the buyer; name the committee again."
                )
                % {"person": member.user, "position": member.position}
            )
        elif member.fingerprint not in active:
            problems.append(
                _(
                    "%(person)s (member %(position)s of the opening committee) has replaced or "
                    "revoked the key named in the committee; name the committee again."
                )
                % {"person": member.user, "position": member.position}
            )
    return problems
