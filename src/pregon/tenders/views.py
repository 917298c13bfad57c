"""The public pages of tenders: the tender page, its documents, and the form with which a
supplier asks a clarification question. (The list is the portal's search: `pregon.web`.)

Views stay thin: they parse input, read through `selectors`, and hand the one change they make
(a question) to `services.question_ask`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from pregon import rules
from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.core import clock
from pregon.core.errors import DomainError, NotFound
from pregon.core.page_cache import page_cached, page_fresh_until
from pregon.core.pages import form_errors_from
from pregon.organizations.acting import (
    WorkspaceOrganization,
    actor_from_request,
    current_organization,
)
from pregon.publication.selectors import releases_of_process
from pregon.tenders import selectors, services
from pregon.tenders.choices import AwardCriteria, PriceScoring, TenderStatus
from pregon.tenders.forms import QuestionForm
from pregon.tenders.models import Amendment, Question, Tender
from pregon.tenders.rule_packs import basis_text, text

# ---------------------------------------------------------------------------------------------
# the tender page


@dataclass(frozen=True)
class TimelineEvent:
    """One dated step of a tender's life, past or planned."""

    moment: dt.datetime
    label: str
    past: bool


@dataclass(frozen=True)
class Change:
    """One field an amendment changed, with values ready to display."""

    label: str
    kind: str  # "datetime", "money" or "text"
    old: Any
    new: Any


_DATE_FIELDS = {"enquiry_end", "submission_deadline", "opening_at"}


def _display_value(name: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    if name in _DATE_FIELDS:
        return parse_datetime(str(value)) or value
    if name == "estimated_value":
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    if name == "award_criteria" and value in AwardCriteria.values:
        return AwardCriteria(value).label
    if name == "price_scoring" and value in PriceScoring.values:
        return PriceScoring(value).label
    if name == "criteria" and isinstance(value, list):
        # Recorded one line per criterion: "name (kind, weight)".
        return "; ".join(str(line) for line in value)
    return value


def _change_kind(name: str) -> str:
    if name in _DATE_FIELDS:
        return "datetime"
    if name == "estimated_value":
        return "money"
    return "text"


def amendment_changes(amendment: Amendment) -> list[Change]:
    """What an amendment changed, field by field (added documents are listed apart)."""
    changes = []
    for name, values in (amendment.changes or {}).items():
        if name == "documents" or not isinstance(values, list) or len(values) != 2:
            continue
        try:
            label = str(getattr(Tender._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            # The weighted criteria are rows of their own; any other key was written by an
            # older version: show it as it is.
            label = str(_("Weighted criteria")) if name == "criteria" else name
        old, new = values
        changes.append(
            Change(
                label=label[:1].upper() + label[1:],
                kind=_change_kind(name),
                old=_display_value(name, old),
                new=_display_value(name, new),
            )
        )
    return changes


def tender_timeline(tender: Tender, amendments: list[Amendment]) -> list[TimelineEvent]:
    """The tender's dates in order: what happened and, unless cancelled, what is planned."""
    now = clock.now()
    events: list[tuple[dt.datetime, str]] = []
    if tender.published_at:
        events.append((tender.published_at, _("Published")))
    for amendment in amendments:
        events.append(
            (amendment.created_at, _("Amendment %(number)s") % {"number": amendment.number})
        )
    planned = [
        (tender.enquiry_end, _("Questions close")),
        (tender.submission_deadline, _("Bid deadline")),
        (tender.opening_at, _("Bids are opened")),
    ]
    for moment, label in planned:
        # A cancelled tender's later dates never came; only those before it are history.
        if tender.cancelled_at is None or moment <= tender.cancelled_at:
            events.append((moment, label))
    if tender.closed_at:
        events.append((tender.closed_at, _("Closed for bids")))
    if tender.cancelled_at:
        events.append((tender.cancelled_at, _("Cancelled")))
    events.sort(key=lambda event: event[0])
    return [TimelineEvent(moment=m, label=label, past=m <= now) for m, label in events]


def _public_tender(pk: int) -> Tender:
    try:
        return selectors.tender_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None


def _supplier_workspace(request: HttpRequest) -> WorkspaceOrganization | None:
    return current_organization(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)


def _render_tender(
    request: HttpRequest,
    tender: Tender,
    *,
    question_form: QuestionForm | None = None,
    ask_error: str = "",
    status: int = 200,
) -> HttpResponse:
    amendments = list(tender.amendments.all())
    numbers = {amendment.pk: amendment.number for amendment in amendments}
    lots = list(tender.lots.all())
    supplier = _supplier_workspace(request)
    can_ask = tender.accepts_questions and supplier is not None
    if can_ask and question_form is None:
        question_form = QuestionForm(lots=lots)
    questions: list[Question] = list(selectors.questions_public(tender=tender))
    timeline = tender_timeline(tender, amendments)
    context = {
        "tender": tender,
        "lots": lots,
        "documents": [
            (document, numbers.get(document.amendment_id) if document.amendment_id else None)
            for document in tender.documents.all()
        ],
        "questions": questions,
        "amendments": [(amendment, amendment_changes(amendment)) for amendment in amendments],
        "timeline": timeline,
        "supplier": supplier,
        "can_ask": can_ask,
        "question_form": question_form if can_ask else None,
        "ask_error": ask_error,
        "is_cancelled": tender.status == TenderStatus.CANCELLED,
        # The open data behind the page: its OCDS releases and their transparency-log proofs.
        "releases": releases_of_process(ocid=tender.ocid) if tender.ocid else [],
    }
    response = render(request, "tenders/public/detail.html", context, status=status)
    # Its timeline shows what has passed: a kept page is not kept past the next moment.
    coming = [event.moment for event in timeline if not event.past]
    page_fresh_until(response, min(coming, default=None))
    return response


@page_cached(lambda pk: f"tender:{pk}")
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything public about one tender. Drafts do not exist for the public (404).

    Kept whole for visitors who are not signed in until the tender's next publication or the
    next moment of its timeline (`page_cached`)."""
    return _render_tender(request, _public_tender(pk))


def tender_document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    """Download a document of a published tender, always as an attachment of its stored type."""
    try:
        document = selectors.document_public_get(tender_pk=pk, pk=doc)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The document's file is missing.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    # The stored type was checked against the content at upload; browsers must not guess.
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _question_rate(group: str, request: HttpRequest) -> str:
    # Read at request time, so an operator (or a test) can change it without a restart.
    return settings.PREGON_QUESTION_RATE


@login_required
@ratelimit(key="user_or_ip", rate=_question_rate, method="POST", block=True)
def tender_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """A supplier user asks a clarification question (POST); GET returns to the questions."""
    tender = _public_tender(pk)
    questions_url = tender.get_absolute_url() + "#questions"
    if request.method != "POST":
        return redirect(questions_url)
    form = QuestionForm(request.POST, lots=list(tender.lots.all()))
    if not form.is_valid():
        return _render_tender(request, tender, question_form=form, status=422)
    supplier = _supplier_workspace(request)
    try:
        question = services.question_ask(
            actor=actor_from_request(request, supplier.organization if supplier else None),
            tender=tender,
            text=form.cleaned_data["text"],
            lot=form.chosen_lot(),
        )
    except DomainError as error:
        form_errors_from(error, form)
        message = "" if error.field in form.fields else str(error.message)
        return _render_tender(
            request, tender, question_form=form, ask_error=message, status=error.status
        )
    messages.success(
        request,
        _(
            "Your question was sent as question %(number)s. The buyer's answer will be "
            "published on this page."
        )
        % {"number": question.number},
    )
    return redirect(questions_url)


# ---------------------------------------------------------------------------------------------
# a rule pack's page


@dataclass(frozen=True)
class RuleLine:
    """One rule of a pack, in the page's language."""

    key: str
    title: str
    explanation: str
    basis: str
    effective_from: dt.date
    default: bool


def rule_pack_page(request: HttpRequest, ref: str) -> HttpResponse:
    """What one version of a country rule pack says (`BR@2026.1`), rule by rule with its legal
    basis and the day it takes effect: the page a tender published under it links to."""
    try:
        pack = rules.pack(ref)
    except rules.UnknownPack:
        raise Http404(_("There is no rule pack %(ref)s.") % {"ref": ref[:40]}) from None
    lines = [
        RuleLine(
            key=rule.key,
            title=text(rule.title),
            explanation=text(rule.explanation),
            basis=basis_text(rule),
            effective_from=rule.effective_from,
            default=rule.default,
        )
        for rule in pack.rules()
    ]
    return render(
        request,
        "tenders/public/rule_pack.html",
        {
            "pack": pack,
            "name": text(pack.name),
            "description": text(pack.description),
            "lines": lines,
            "versions": [p for p in rules.packs() if p.code == pack.code],
        },
    )
