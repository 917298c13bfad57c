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
from pregon.accounts.languages import user_language
from pregon.accounts.models import User
from pregon.core import clock
from pregon.core.time_zones import moment_text
from pregon.evaluation.adjustments import stored_explanation
from pregon.evaluation.choices import AwardNoticeKind, ComplaintStatus
from pregon.evaluation.models import AwardNotice, Evaluation, RightToCover
from pregon.evaluation.selectors import notice_disqualification
from pregon.rules import pack
from pregon.tenders.choices import ContentLanguage


def _tender_language(code: str) -> str:
    return "pt-br" if code == ContentLanguage.PT else code


def notice_recipients(notice: AwardNotice) -> list[User]:
    """The active people of the notice's bidder (its supplier users), once each."""
    return _people(notice.organization_id)


def _people(organization_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization_id=organization_id,
            memberships__role__in=SUPPLIER_ROLES,
        )
        .distinct()
        .order_by("email")
    )


def notice_adjustments(notice: AwardNotice, language: str) -> list[str]:
    """How the rule pack adjusted the ranking of the notice's lot, in `language` (nothing for
    a lot whose evaluation was reopened meanwhile)."""
    evaluation = Evaluation.objects.filter(lot_id=notice.award.lot_id).first()
    if evaluation is None or not evaluation.completed:
        return []
    return [stored_explanation(stored, language) for stored in evaluation.adjustments]


def notice_message(notice: AwardNotice, user: User) -> EmailMessage:
    """The notice as an e-mail to `user`, in their language (subject and body templates
    `evaluation/email/award_notice_*.txt`)."""
    award = notice.award
    tender = award.tender
    language = user_language(user, _tender_language(tender.language))
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
            "adjustments": notice_adjustments(notice, language),
            "disqualified": notice_disqualification(notice=notice),
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


def cover_message(cover: RightToCover, user: User) -> EmailMessage:
    """The invitation to cover the best offer as an e-mail to `user`, in their language
    (templates `evaluation/email/cover_offered_*.txt`)."""
    evaluation = cover.evaluation
    tender = evaluation.tender
    language = user_language(user, _tender_language(tender.language))
    rule = pack(cover.pack).rule(cover.rule)
    with translation.override(language):
        context = {
            "cover": cover,
            "tender": tender,
            "lot": evaluation.lot,
            "assessment": cover.assessment,
            "rule_title": rule.title.get(language),
            "rule_explanation": rule.explanation.get(language),
            "basis": str(rule.basis),
            "deadline": moment_text(
                cover.deadline, tender.buyer.effective_time_zone, "DATETIME_FORMAT"
            ),
            "instance": settings.PREGON_INSTANCE_NAME,
            "mine_url": settings.SITE_URL + reverse("evaluation:mine", kwargs={"pk": tender.pk}),
        }
        subject = render_to_string("evaluation/email/cover_offered_subject.txt", context)
        body = render_to_string("evaluation/email/cover_offered_body.txt", context)
    return EmailMessage(
        subject=re.sub(r"[ \t\r\n]+", " ", subject).strip(),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )


def cover_invitation_email(*, cover_id: int) -> int:
    """E-mail the invitation to cover the best offer to each person of the invited bidder, in
    their language, once (even if it was answered meanwhile: the e-mail records the offer).
    Returns how many messages were sent."""
    with transaction.atomic():
        cover = (
            RightToCover.objects.select_for_update(of=("self",))
            .select_related(
                "evaluation__tender__buyer", "evaluation__lot", "assessment__supplier", "best"
            )
            .filter(pk=cover_id)
            .first()
        )
        if cover is None or cover.emailed_at is not None:
            return 0
        messages = [cover_message(cover, user) for user in _people(cover.assessment.supplier_id)]
        for message in messages:
            message.send()
        cover.emailed_at = clock.now()
        cover.save(update_fields=["emailed_at"])
    return len(messages)
