"""E-mailing an award notice to the people of its bidder, each in their own language.

This module imports nothing that schedules tasks, so the task module can import it alone.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.models import User
from pregon.core import clock
from pregon.core.time_zones import moment_text
from pregon.evaluation.choices import AwardNoticeKind, ComplaintStatus
from pregon.evaluation.models import AwardNotice
from pregon.tenders.choices import ContentLanguage

#: The language codes the platform speaks (`settings.LANGUAGES`).
_SPOKEN = {code for code, _name in settings.LANGUAGES}


def _language_of(user: User, fallback: str) -> str:
    """The user's preferred language, or the tender's when they chose none the platform
    speaks."""
    preferred = (user.language or "").lower()
    if preferred in _SPOKEN:
        return preferred
    if preferred.split("-")[0] == "pt":
        return "pt-br"
    return fallback


def _tender_language(code: str) -> str:
    return "pt-br" if code == ContentLanguage.PT else code


def notice_recipients(notice: AwardNotice) -> list[User]:
    """The active people of the notice's bidder (its supplier users), once each."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization_id=notice.organization_id,
            memberships__role__in=SUPPLIER_ROLES,
        )
        .distinct()
        .order_by("email")
    )


def notice_message(notice: AwardNotice, user: User) -> EmailMessage:
    """The notice as an e-mail to `user`, in their language (subject and body templates
    `evaluation/email/award_notice_*.txt`)."""
    award = notice.award
    tender = award.tender
    language = _language_of(user, _tender_language(tender.language) or settings.LANGUAGE_CODE)
    with translation.override(language):
        context = {
            "notice": notice,
            "award": award,
            "tender": tender,
            "lot": award.lot,
            "organization": notice.organization,
            "standstill_ends": moment_text(
                award.standstill_ends_at, tender.buyer.effective_time_zone, "DATETIME_FORMAT"
            )
            if award.standstill_ends_at
            else "",
            "upheld": award.complaints.filter(status=ComplaintStatus.UPHELD).first()
            if notice.kind == AwardNoticeKind.CANCELLED
            else None,
            "instance": settings.PREGON_INSTANCE_NAME,
            "tender_url": settings.SITE_URL + reverse("tenders:detail", kwargs={"pk": tender.pk}),
            "notice_url": settings.SITE_URL
            + reverse("evaluation:notice", kwargs={"pk": tender.pk, "notice": notice.pk}),
        }
        subject = render_to_string("evaluation/email/award_notice_subject.txt", context)
        body = render_to_string("evaluation/email/award_notice_body.txt", context)
    return EmailMessage(
        # One line; the no-break spaces French puts before a colon stay.
        subject=re.sub(r"[ \t\r\n]+", " ", subject).strip(),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )


def award_notice_email(*, notice_id: int) -> int:
    """E-mail the notice to each person of its bidder, in their language, once: a notice
    already e-mailed is not sent again. Returns how many messages were sent."""
    with transaction.atomic():
        notice = (
            AwardNotice.objects.select_for_update(of=("self",))
            .select_related("award__tender", "award__lot", "award__supplier", "organization")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.emailed_at is not None:
            return 0
        messages = [notice_message(notice, user) for user in notice_recipients(notice)]
        for message in messages:
            message.send()
        notice.emailed_at = clock.now()
        notice.save(update_fields=["emailed_at"])
    return len(messages)
