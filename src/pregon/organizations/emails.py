"""E-mails to a supplier's people about what it holds on the platform: a document about to
expire, the outcome of the verification of its scale. Each goes to every active person of the
supplier, in their own language."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.models import User
from pregon.organizations.models import DocumentReminder, Organization

#: The language codes the platform speaks (`settings.LANGUAGES`).
_SPOKEN = {code for code, _name in settings.LANGUAGES}


def _language_of(user: User) -> str:
    preferred = (user.language or "").lower()
    if preferred in _SPOKEN:
        return preferred
    if preferred.split("-")[0] == "pt":
        return "pt-br"
    return settings.LANGUAGE_CODE


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


def _send(organization: Organization, template: str, context: dict[str, object]) -> int:
    """Render `organizations/email/<template>_subject.txt` and `_body.txt` for each person, in
    their language, and send them. Returns how many were sent."""
    sent = 0
    for user in supplier_people(organization):
        language = _language_of(user)
        with translation.override(language):
            full = {
                **context,
                "organization": organization,
                "instance": settings.PREGON_INSTANCE_NAME,
                "documents_url": settings.SITE_URL + reverse("supplier:documents"),
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
