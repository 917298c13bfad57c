"""Consortia: suppliers that bid as one (docs/suppliers.md, ADR 0018).

- `consortium_form`: a supplier's person forms a consortium with its supplier as lead member
  and invites the others by their registered identifiers, each with its share (the shares add
  up to 100). The consortium is a supplier organization of its own (legal form consortium, an
  identifier the platform assigns); the person who forms it acts for it, as its supplier user.
  Each invited member's people are e-mailed on commit.
- `consortium_answer`: an invited member's person accepts or declines. When the last member
  accepts, the consortium is formed and may bid; a member that declines cancels it (the lead
  forms another without it).
- `consortium_cancel`: the consortium's people cancel it while it is forming.
- `consortia_rescale`: a consortium's scale is its largest member's (a consortium counts as an
  SME only when all its members are SMEs); it follows its members' scales, and it is local
  only when every member is local.

Nothing here knows bids: a consortium that is formed stays formed (bids, awards and contracts
name it), and who may bid on a reserved lot is decided in `tenders.rule_packs`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind, Role
from pregon.accounts.models import Membership
from pregon.accounts.permissions import require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.identifiers import normalize_id
from pregon.organizations import tasks
from pregon.organizations.choices import (
    CONSORTIUM_SCHEME,
    ConsortiumMemberStatus,
    ConsortiumStatus,
    LegalForm,
    Scale,
    ScaleStatus,
)
from pregon.organizations.models import Consortium, ConsortiumMember, Organization

#: The sizes from smallest to largest: a consortium is as large as its largest member.
_SCALE_ORDER = (Scale.SELF_EMPLOYED, Scale.MICRO, Scale.SMALL, Scale.MEDIUM, Scale.LARGE)
#: How many members a consortium may have (the lead included).
MAX_MEMBERS = 10
_HUNDRED = Decimal(100)


@dataclass(kw_only=True)
class InvitedMember:
    """A member to invite, by the identifier it registered with, and its share in percent."""

    identifier_scheme: str
    identifier_id: str
    share: Decimal | str


@dataclass(kw_only=True)
class ConsortiumData:
    """A consortium as its lead member forms it."""

    name: str
    lead_share: Decimal | str
    members: list[InvitedMember]
    description: str = ""


def _share(value: Decimal | str, field: str) -> Decimal:
    try:
        share = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationFailed(_("Give the share as a number, such as 40."), field=field) from None
    if not share.is_finite() or not Decimal(0) < share <= _HUNDRED or share != round(share, 2):
        raise ValidationFailed(
            _("A share is more than 0 and at most 100, with at most two decimals."), field=field
        )
    return share


def _member(invited: InvitedMember, field: str) -> Organization:
    scheme = invited.identifier_scheme.strip().upper()
    identifier = normalize_id(scheme, invited.identifier_id)
    found = Organization.objects.filter(
        identifier_scheme=scheme, identifier_id=identifier, kind=OrganizationKind.SUPPLIER
    ).first()
    if found is None:
        raise ValidationFailed(
            _(
                "No supplier is registered as %(scheme)s %(id)s. Check the identifier, or ask "
                "the firm to register on the platform first."
            )
            % {"scheme": scheme, "id": invited.identifier_id.strip()},
            field=field,
        )
    if found.is_consortium:
        raise ValidationFailed(
            _("%(name)s is a consortium: a consortium's members are firms, not consortia.")
            % {"name": found.display_name},
            field=field,
        )
    return found


def _largest_scale(scales: list[str]) -> str:
    known = [scale for scale in scales if scale in _SCALE_ORDER]
    return max(known, key=_SCALE_ORDER.index) if known else Scale.LARGE


def _assign_identifier() -> str:
    return secrets.token_hex(6).upper()


def consortium_form(*, actor: Actor, lead: Organization, data: ConsortiumData) -> Consortium:
    """Form a consortium led by `lead` (the actor's supplier) and invite its other members."""
    if lead.kind != OrganizationKind.SUPPLIER or lead.is_consortium:
        raise PermissionDenied(_("Only a supplier forms a consortium."))
    require_role(actor, lead, SUPPLIER_ROLES)
    if actor.user is None:
        raise PermissionDenied(_("A person forms a consortium, signed in."))
    name = data.name.strip()
    if not name:
        raise ValidationFailed(_("Give the consortium's name."), field="name")
    if len(name) > Organization._meta.get_field("legal_name").max_length:  # type: ignore[operator]
        raise ValidationFailed(_("The name is too long."), field="name")
    if not data.members:
        raise ValidationFailed(
            _("Invite at least one other member: a consortium has two members or more."),
            field="members",
        )
    if len(data.members) + 1 > MAX_MEMBERS:
        raise ValidationFailed(
            _("A consortium has at most %(count)s members.") % {"count": MAX_MEMBERS},
            field="members",
        )
    lead_share = _share(data.lead_share, "lead_share")
    invited: list[tuple[Organization, Decimal]] = []
    for number, member in enumerate(data.members):
        field = f"member_{number + 1}_id"
        organization = _member(member, field)
        if organization.pk == lead.pk or any(o.pk == organization.pk for o, _s in invited):
            raise ValidationFailed(
                _("%(name)s is listed twice.") % {"name": organization.display_name}, field=field
            )
        invited.append((organization, _share(member.share, f"member_{number + 1}_share")))
    total = lead_share + sum((share for _o, share in invited), Decimal(0))
    if total != _HUNDRED:
        raise ValidationFailed(
            _("The shares add up to %(total)s%%; they must add up to 100%%.") % {"total": total},
            field="members",
        )
    now = clock.now()
    with transaction.atomic():
        organization = Organization(
            kind=OrganizationKind.SUPPLIER,
            identifier_scheme=CONSORTIUM_SCHEME,
            identifier_id=_assign_identifier(),
            legal_name=name,
            country=lead.country,
            region=lead.region,
            locality=lead.locality,
            description=data.description.strip(),
            legal_form=LegalForm.CONSORTIUM,
            scale=_largest_scale([lead.scale, *(o.scale for o, _s in invited)]),
            scale_status=ScaleStatus.DECLARED,
            is_local=lead.is_local and all(o.is_local for o, _s in invited),
            created_at=now,
            updated_at=now,
        )
        try:
            with transaction.atomic():
                organization.save(force_insert=True)
        except IntegrityError:  # the 48-bit identifier was taken: draw again, once
            organization.pk = None
            organization.identifier_id = _assign_identifier()
            organization.save(force_insert=True)
        consortium = Consortium.objects.create(
            organization=organization, created_by=actor.user, created_at=now
        )
        ConsortiumMember.objects.create(
            consortium=consortium,
            member=lead,
            is_lead=True,
            share=lead_share,
            status=ConsortiumMemberStatus.ACCEPTED,
            invited_at=now,
            answered_at=now,
            answered_by=actor.user,
        )
        members = [
            ConsortiumMember.objects.create(
                consortium=consortium, member=firm, share=share, invited_at=now
            )
            for firm, share in invited
        ]
        # The lead member's people act for it (the person who formed it first of all).
        people = {actor.user.pk}
        people |= set(
            Membership.objects.filter(
                organization=lead, role__in=SUPPLIER_ROLES, user__is_active=True
            ).values_list("user_id", flat=True)
        )
        Membership.objects.bulk_create(
            Membership(user_id=pk, organization=organization, role=Role.SUPPLIER_USER)
            for pk in sorted(people)
        )
        audit_record(
            actor=actor,
            action="consortium.form",
            target=consortium,
            summary={
                "consortium": organization.party_id,
                "members": [
                    f"{lead.party_id} {lead_share}% (lead)",
                    *(f"{m.member.party_id} {m.share}%" for m in members),
                ],
            },
        )
        invitation_ids = [invitation.pk for invitation in members]
        transaction.on_commit(lambda: _enqueue_invitations(invitation_ids))
    return consortium


def _enqueue_invitations(invitation_ids: list[int]) -> None:
    for pk in invitation_ids:
        tasks.consortium_invite.enqueue(member_id=pk)


def consortium_answer(
    *, actor: Actor, membership: ConsortiumMember, accept: bool
) -> ConsortiumMember:
    """An invited member accepts or declines; the last acceptance forms the consortium, a
    refusal cancels it. Each membership is answered once."""
    require_role(actor, membership.member, SUPPLIER_ROLES)
    now = clock.now()
    with transaction.atomic():
        consortium = Consortium.objects.select_for_update().get(pk=membership.consortium_id)
        locked = ConsortiumMember.objects.select_for_update().get(pk=membership.pk)
        if consortium.status != ConsortiumStatus.FORMING:
            raise InvalidTransition(
                _("This consortium is no longer forming; it is: %(status)s.")
                % {"status": consortium.get_status_display()},
                code="consortium_not_forming",
            )
        if locked.status != ConsortiumMemberStatus.INVITED:
            raise InvalidTransition(
                _("This invitation was already answered: %(answer)s.")
                % {"answer": locked.get_status_display()},
                code="consortium_answered",
            )
        locked.status = (
            ConsortiumMemberStatus.ACCEPTED if accept else ConsortiumMemberStatus.DECLINED
        )
        locked.answered_at = now
        locked.answered_by = actor.user
        locked.save(update_fields=["status", "answered_at", "answered_by"])
        audit_record(
            actor=actor,
            action="consortium.accept" if accept else "consortium.decline",
            target=consortium,
            summary={"member": locked.member.party_id, "share": str(locked.share)},
        )
        if not accept:
            _cancel(actor, consortium, now)
        elif not consortium.members.exclude(status=ConsortiumMemberStatus.ACCEPTED).exists():
            consortium.status = ConsortiumStatus.FORMED
            consortium.formed_at = now
            consortium.save(update_fields=["status", "formed_at"])
            _rescale(consortium)
            audit_record(
                actor=actor,
                action="consortium.complete",
                target=consortium,
                summary={"status": consortium.status, "scale": consortium.organization.scale},
            )
    return locked


def _cancel(actor: Actor, consortium: Consortium, now: dt.datetime) -> None:
    consortium.status = ConsortiumStatus.CANCELLED
    consortium.cancelled_at = now
    consortium.save(update_fields=["status", "cancelled_at"])
    audit_record(
        actor=actor,
        action="consortium.cancel",
        target=consortium,
        summary={"status": consortium.status},
    )


def consortium_cancel(*, actor: Actor, consortium: Consortium) -> Consortium:
    """The lead member's people cancel it while it is forming (a formed consortium may have
    bid: it stays, as its bids, awards and contracts name it)."""
    lead = ConsortiumMember.objects.select_related("member").get(
        consortium=consortium, is_lead=True
    )
    require_role(actor, lead.member, SUPPLIER_ROLES)
    with transaction.atomic():
        locked = Consortium.objects.select_for_update().get(pk=consortium.pk)
        if locked.status != ConsortiumStatus.FORMING:
            raise InvalidTransition(
                _("Only a consortium still forming can be cancelled; this one is: %(status)s.")
                % {"status": locked.get_status_display()},
                code="consortium_not_forming",
            )
        _cancel(actor, locked, clock.now())
    return locked


def _rescale(consortium: Consortium) -> None:
    members = [m.member for m in consortium.members.select_related("member")]
    organization = Organization.objects.select_for_update().get(pk=consortium.organization_id)
    scale = _largest_scale([m.scale for m in members])
    local = all(m.is_local for m in members)
    if (organization.scale, organization.is_local) != (scale, local):
        organization.scale = scale
        organization.is_local = local
        organization.updated_at = clock.now()
        organization.save(update_fields=["scale", "is_local", "updated_at"])
    consortium.organization = organization


def consortia_rescale(*, member: Organization) -> int:
    """Bring the scale of every consortium `member` belongs to in line with its members' (after
    a member's scale changed); returns how many changed. Call inside the member's transaction."""
    changed = 0
    for consortium in Consortium.objects.filter(
        members__member=member, status__in=[ConsortiumStatus.FORMING, ConsortiumStatus.FORMED]
    ).select_related("organization"):
        before = (consortium.organization.scale, consortium.organization.is_local)
        _rescale(consortium)
        changed += before != (consortium.organization.scale, consortium.organization.is_local)
    return changed
