"""E-mails to a supplier's people about what it holds on the platform: a document about to
expire, the outcome of the verification of its scale. Each goes to every active person of the
supplier, in their own language."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.languages import user_language
from pregon.accounts.models import User
from pregon.core import clock
from pregon.organizations.models import ConsortiumMember, DocumentReminder, Organization


def supplier_people(organization: Organization) -> list[User]:
    """The active people of a supplier (its supplier users), once each."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__role__in=SUPPLIER_ROLES,
        )
        .distinct()
        .order_by("email")
    )


def _send(
    organization: Organization,
    template: str,
    context: dict[str, object],
    *,
    url_name: str = "supplier:documents",
) -> int:
    """Render `organizations/email/<template>_subject.txt` and `_body.txt` for each person, in
    their language, and send them. Returns how many were sent."""
    sent = 0
    for user in supplier_people(organization):
        language = user_language(user)
        with translation.override(language):
            full = {
                **context,
                "organization": organization,
                "instance": settings.PREGON_INSTANCE_NAME,
                "documents_url": settings.SITE_URL + reverse(url_name),
            }
            subject = render_to_string(f"organizations/email/{template}_subject.txt", full)
            body = render_to_string(f"organizations/email/{template}_body.txt", full)
        EmailMessage(
            subject=re.sub(r"[ \t\r\n]+", " ", subject).strip(),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            headers={"Content-Language": language},
        ).send()
        sent += 1
    return sent


def document_expiry_notify(*, reminder: DocumentReminder) -> int:
    """Tell the supplier's people that a document it holds expires soon."""
    document = reminder.document
    return _send(
        document.organization,
        "document_expiry",
        {"document": document, "days": reminder.days_before},
    )


def scale_review_notify(*, organization_id: int) -> int:
    """Tell the supplier's people whether the evidence of its scale was accepted."""
    organization = Organization.objects.get(pk=organization_id)
    return _send(organization, "scale_review", {})


def consortium_invite_notify(*, member_id: int) -> int:
    """Tell an invited member's people that a supplier invites it into a consortium, once: the
    invitation records when it was e-mailed. Returns how many messages were sent."""
    with transaction.atomic():
        member = (
            ConsortiumMember.objects.select_for_update()
            .select_related("member", "consortium__organization")
            .filter(pk=member_id, emailed_at__isnull=True)
            .first()
        )
        if member is None:
            return 0
        lead = ConsortiumMember.objects.select_related("member").get(
            consortium_id=member.consortium_id, is_lead=True
        )
        sent = _send(
            member.member,
            "consortium_invite",
            {"invitation": member, "consortium": member.consortium.organization, "lead": lead},
            url_name="supplier:consortia",
        )
        member.emailed_at = clock.now()
        member.save(update_fields=["emailed_at"])
    return sent
