"""E-mails of subcontracting, each person in their own language: the poster's people when a
supplier answers, the chosen supplier's people when the poster picks its answer.

This module imports nothing that schedules tasks, so the task module can import it alone.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.languages import user_language
from pregon.accounts.models import User
from pregon.organizations.models import Organization
from pregon.subcontracting.choices import AnswerStatus
from pregon.subcontracting.models import Answer


def people_of(organization: Organization) -> list[User]:
    """The active people of a supplier, once each."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__role__in=SUPPLIER_ROLES,
        )
        .distinct()
        .order_by("email")
    )


def _message(template: str, answer: Answer, user: User, url: str) -> EmailMessage:
    language = user_language(user, settings.LANGUAGE_CODE)
    with translation.override(language):
        context = {
            "answer": answer,
            "opportunity": answer.opportunity,
            "instance": settings.PREGON_INSTANCE_NAME,
            "url": settings.SITE_URL + reverse(url, kwargs={"pk": answer.opportunity_id}),
        }
        subject = render_to_string(f"subcontracting/email/{template}_subject.txt", context)
        body = render_to_string(f"subcontracting/email/{template}_body.txt", context)
    return EmailMessage(
        subject=re.sub(r"[ \t\r\n]+", " ", subject).strip(),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )


def _answer(answer_id: int) -> Answer | None:
    return (
        Answer.objects.select_related("opportunity", "opportunity__organization", "organization")
        .filter(pk=answer_id)
        .first()
    )


def answer_received_email(*, answer_id: int) -> int:
    """Tell the poster's people that a supplier answered (its name, scale and price); nothing
    when the answer was withdrawn meanwhile. Returns how many messages were sent."""
    answer = _answer(answer_id)
    if answer is None or answer.status == AnswerStatus.WITHDRAWN:
        return 0
    messages = [
        _message("answer_received", answer, user, "subcontracting:manage")
        for user in people_of(answer.opportunity.organization)
    ]
    for message in messages:
        message.send()
    return len(messages)


def answer_chosen_email(*, answer_id: int) -> int:
    """Tell the chosen supplier's people that their answer was chosen. Returns how many
    messages were sent."""
    answer = _answer(answer_id)
    if answer is None or answer.status != AnswerStatus.CHOSEN:
        return 0
    messages = [
        _message("answer_chosen", answer, user, "subcontracting:detail")
        for user in people_of(answer.organization)
    ]
    for message in messages:
        message.send()
    return len(messages)
