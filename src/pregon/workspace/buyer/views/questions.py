"""The clarification questions of a tender, and their answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.core.errors import DomainError
from pregon.core.pages import form_errors_from
from pregon.organizations.acting import actor_from_request
from pregon.tenders import selectors, services
from pregon.tenders.models import Question
from pregon.workspace.buyer.forms import AnswerForm
from pregon.workspace.buyer.views.common import (
    INVALID_FORM_STATUS,
    TenderAccess,
    access_tender,
    access_tender_to_edit,
    find_by_pk,
    in_buyer_time_zone,
    refuse_unless_reading,
    tender_context,
)


def _questions_context(
    request: HttpRequest, access: TenderAccess, forms: dict[int, AnswerForm] | None = None
) -> dict[str, Any]:
    forms = forms or {}
    questions = list(selectors.questions_public(tender=access.tender))
    unanswered = [
        (question, forms.get(question.pk) or AnswerForm(prefix=f"q{question.pk}"))
        for question in questions
        if not question.is_answered
    ]
    answered = [question for question in questions if question.is_answered]
    return tender_context(request, access, unanswered=unanswered, answered=answered)


@login_required
@in_buyer_time_zone
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    """Questions of a tender: those waiting, each with an answer form, then those answered."""
    access = access_tender(request, pk)
    if refused := refuse_unless_reading(request):
        return refused
    return render(request, "workspace/buyer/questions.html", _questions_context(request, access))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def question_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Publish the answer to one question (a GET leads to the question's form)."""
    access = access_tender_to_edit(request, pk)
    question: Question = find_by_pk(selectors.questions_public(tender=access.tender), question_pk)
    if request.method != "POST":
        url = reverse("workspace:questions", kwargs={"pk": pk})
        return redirect(f"{url}#question-{question.pk}")
    form = AnswerForm(request.POST, prefix=f"q{question.pk}")
    if form.is_valid():
        try:
            services.question_answer(
                actor=actor_from_request(request, access.tender.buyer),
                question=question,
                answer=form.cleaned_data["answer"],
            )
        except DomainError as error:
            form_errors_from(error, form)
            status = error.status
        else:
            messages.success(
                request,
                _("Question %(number)s is answered; the answer is public.")
                % {"number": question.number},
            )
            return redirect(reverse("workspace:questions", kwargs={"pk": pk}))
    else:
        status = INVALID_FORM_STATUS
    context = _questions_context(request, access, {question.pk: form})
    if all(waiting.pk != question.pk for waiting, _form in context["unanswered"]):
        # Answered meanwhile: its form is gone from the page, so say why at the top.
        context["error"] = form.non_field_errors()[0] if form.non_field_errors() else ""
    return render(request, "workspace/buyer/questions.html", context, status=status)
