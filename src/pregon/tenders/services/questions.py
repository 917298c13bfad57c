"""Clarifications: suppliers ask while the tender is open and its questions period lasts; the
buyer answers publicly, once, while the answer can still serve (open or closed)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.tenders.choices import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH
from pregon.tenders.models import Lot, Question, Tender
from pregon.tenders.services.common import (
    move,
    require_buyer,
    save_changed,
    tender_lock,
    tender_require_open,
)
from pregon.tenders.services.validation import check_text


def question_ask(*, actor: Actor, tender: Tender, text: str, lot: Lot | None = None) -> Question:
    """A supplier asks a clarification question while the enquiry period is open."""
    organization = actor.organization
    if organization is None or organization.kind != OrganizationKind.SUPPLIER:
        raise PermissionDenied(_("Only registered suppliers can ask questions."))
    require_role(actor, organization, SUPPLIER_ROLES)
    if not text.strip():
        raise ValidationFailed(_("Write your question."), field="text")
    if len(text) > QUESTION_MAX_LENGTH:
        raise ValidationFailed(_("Keep the question under 5,000 characters."), field="text")
    check_text(text, "text", limit=None)
    with transaction.atomic():
        locked = tender_lock(tender)
        move(locked, "ask")
        now = clock.now()
        tender_require_open(locked, now)
        if now >= locked.enquiry_end:
            raise InvalidTransition(
                _("The period for questions has ended."), code="questions_closed"
            )
        if lot is not None and lot.tender_id != locked.pk:
            raise ValidationFailed(_("That lot belongs to another tender."), field="lot")
        number = (locked.questions.aggregate(n=Max("number"))["n"] or 0) + 1
        question = Question.objects.create(
            tender=locked,
            number=number,
            lot=lot,
            text=text.strip(),
            asked_by=actor.user,
            asked_for=organization,
            asked_at=now,
        )
        save_changed(locked, only=())
        audit_record(
            actor=actor, action="question.ask", target=question, summary={"tender": locked.pk}
        )
    return question


def question_answer(*, actor: Actor, question: Question, answer: str) -> Question:
    """The buyer answers a question publicly; the asker stays anonymous."""
    require_buyer(actor, question.tender)
    if not answer.strip():
        raise ValidationFailed(_("Write the answer."), field="answer")
    check_text(answer, "answer", limit=ANSWER_MAX_LENGTH)
    with transaction.atomic():
        tender = tender_lock(question.tender)
        move(tender, "answer")
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.is_answered:
            raise InvalidTransition(
                _(
                    "This question has already been answered; publish an "
                    "amendment to change the tender."
                ),
                code="already_answered",
            )
        locked.answer = answer.strip()
        locked.answered_by = actor.user
        locked.answered_at = clock.now()
        locked.save()
        save_changed(tender, only=())
        audit_record(
            actor=actor, action="question.answer", target=locked, summary={"tender": tender.pk}
        )
        publication_record(ocid=tender.ocid, tag=ReleaseTag.TENDER_UPDATE)
    return locked
