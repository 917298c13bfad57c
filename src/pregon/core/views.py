"""The audit log's page and its CSV export.

What a person may read is decided in `selectors.audit_events_visible_to`; this module parses
the filters, renders the rows readably and streams the export.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pregon.accounts.choices import Role
from pregon.core.actor import API_KEY_LABEL_PREFIX, SYSTEM_LABEL
from pregon.core.choices import Channel
from pregon.core.errors import PermissionDenied
from pregon.core.models import AuditEvent
from pregon.core.selectors import (
    AuditFilters,
    audit_events_visible_to,
    audit_filter_options,
    audit_scope_of,
)
from pregon.organizations.choices import ApiScope, BuyerType, OrganizationKind, Scale
from pregon.tenders.choices import AwardCriteria, Category, ContentLanguage, Method, TenderStatus
from pregon.web.workspace import time_zone_note, user_of

PAGE_SIZE = 50

# Readable names of the actions services record; an unknown action shows its code.
ACTION_LABELS: dict[str, Any] = {
    "tender.create": gettext_lazy("Draft tender created"),
    "tender.update": gettext_lazy("Draft tender edited"),
    "tender.publish": gettext_lazy("Tender published"),
    "tender.close": gettext_lazy("Tender closed at its deadline"),
    "tender.cancel": gettext_lazy("Tender cancelled"),
    "tender.amend": gettext_lazy("Tender amended"),
    "lot.add": gettext_lazy("Lot added"),
    "lot.update": gettext_lazy("Lot changed"),
    "lot.delete": gettext_lazy("Lot deleted"),
    "item.add": gettext_lazy("Item added"),
    "item.delete": gettext_lazy("Item deleted"),
    "document.add": gettext_lazy("Document attached"),
    "document.delete": gettext_lazy("Document deleted"),
    "question.ask": gettext_lazy("Question asked"),
    "question.answer": gettext_lazy("Question answered"),
    "organization.create": gettext_lazy("Organization created"),
    "organization.update": gettext_lazy("Organization profile changed"),
    "supplier.register": gettext_lazy("Supplier registered"),
    "membership.grant": gettext_lazy("Role granted"),
    "membership.revoke": gettext_lazy("Role removed"),
    "api_key.issue": gettext_lazy("API key issued"),
    "api_key.revoke": gettext_lazy("API key revoked"),
    "log.witness_add": gettext_lazy("Watched log added"),
    "log.witness_update": gettext_lazy("Watched log changed"),
    "log.witness_remove": gettext_lazy("Watched log removed"),
}


def action_label(action: str) -> str:
    """The readable name of an action code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def actor_display(actor_label: str) -> str:
    """Who acted, as a reader says it: the platform and API keys in words, people by e-mail."""
    if actor_label == SYSTEM_LABEL:
        return str(_("The platform itself"))
    if actor_label.startswith(API_KEY_LABEL_PREFIX):
        return str(_("API key %(prefix)s")) % {"prefix": actor_label[len(API_KEY_LABEL_PREFIX) :]}
    return actor_label


def channel_label(channel: str) -> str:
    """The readable name of a channel code ("web", "api"…); an unknown one shows its code."""
    return str(Channel(channel).label) if channel in Channel.values else channel


def object_type_label(object_type: str) -> str:
    """The readable name of an object type ("tenders.tender"): its model's verbose name.

    A type that names no installed model (a removed one, say) shows its code.
    """
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(str(model._meta.verbose_name))


class AuditFilterForm(forms.Form):
    """The filters above the audit table (a GET form)."""

    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    object_type = forms.ChoiceField(label=gettext_lazy("Type of object"), required=False)
    actor = forms.CharField(
        label=gettext_lazy("Who (e-mail address)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("Part of the address is enough."),
    )
    organization = forms.TypedChoiceField(
        label=gettext_lazy("Organization"), required=False, coerce=int, empty_value=None
    )
    date_from = forms.DateField(
        label=gettext_lazy("From (day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Until (day, included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    object_id = forms.CharField(label=gettext_lazy("Object number"), required=False, max_length=64)

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = audit_filter_options(user=user_of(request))
        any_choice = ("", _("Any"))
        self.fields["action"].choices = [any_choice] + [  # type: ignore[attr-defined]
            (action, f"{action_label(action)} ({action})") for action in options.actions
        ]
        self.fields["object_type"].choices = [any_choice] + [  # type: ignore[attr-defined]
            (kind, f"{object_type_label(kind)} ({kind})") for kind in options.object_types
        ]
        self.fields["organization"].choices = [any_choice] + [  # type: ignore[attr-defined]
            (str(organization.pk), str(organization)) for organization in options.organizations
        ]
        zone = _("Days in %(zone)s.") % {"zone": time_zone_note()}
        self.fields["date_from"].help_text = zone
        self.fields["date_to"].help_text = zone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The last day comes before the first."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters typed (an invalid one is left out and shown as an error)."""
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            actor=data.get("actor") or "",
            organization=data.get("organization"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            object_id=data.get("object_id") or "",
        )


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

# Readable names of the keys services write in change summaries (`audit_record(summary=…)`),
# at the top level or inside "changes"; an unknown key reads as itself, underscores as spaces.
SUMMARY_LABELS: dict[str, Any] = {
    # Tenders, their lots, items, documents and questions.
    "reference": gettext_lazy("Buyer's reference"),
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "language": gettext_lazy("Language of the tender"),
    "method": gettext_lazy("Procurement method"),
    "category": gettext_lazy("Main category"),
    "estimated_value": gettext_lazy("Estimated value"),
    "currency": gettext_lazy("Currency"),
    "award_criteria": gettext_lazy("Award criteria"),
    "award_criteria_details": gettext_lazy("How offers will be evaluated"),
    "enquiry_end": gettext_lazy("Questions accepted until"),
    "submission_deadline": gettext_lazy("Bid deadline"),
    "opening_at": gettext_lazy("Bid opening"),
    "deadline": gettext_lazy("Bid deadline"),
    "status": gettext_lazy("Status"),
    "from": gettext_lazy("Previous status"),
    "reason": gettext_lazy("Reason"),
    "amendment": gettext_lazy("Amendment number"),
    "documents": gettext_lazy("Documents"),
    "tender": gettext_lazy("Tender number"),
    "lots": gettext_lazy("Lots"),
    "lot": gettext_lazy("Lot number"),
    "code": gettext_lazy("Classification code"),
    "filename": gettext_lazy("File name"),
    "sha256": gettext_lazy("SHA-256"),
    # Organizations, memberships and API keys.
    "kind": gettext_lazy("Kind of organization"),
    "identifier": gettext_lazy("Identifier"),
    "legal_name": gettext_lazy("Legal name"),
    "name": gettext_lazy("Name in common use"),
    "street_address": gettext_lazy("Street address"),
    "locality": gettext_lazy("City or locality"),
    "region": gettext_lazy("Region"),
    "postal_code": gettext_lazy("Postal code"),
    "email": gettext_lazy("Contact e-mail"),
    "telephone": gettext_lazy("Telephone"),
    "website": gettext_lazy("Website"),
    "buyer_type": gettext_lazy("Type of public body"),
    "scale": gettext_lazy("Scale"),
    "is_cooperative": gettext_lazy("Cooperative"),
    "women_owned": gettext_lazy("Women-owned"),
    "indigenous_owned": gettext_lazy("Indigenous-owned"),
    "is_local": gettext_lazy("Local business"),
    "user": gettext_lazy("Person (e-mail address)"),
    "role": gettext_lazy("Role"),
    "scopes": gettext_lazy("Permissions of the key"),
    # Witnessed transparency logs.
    "origin": gettext_lazy("Log name (origin)"),
    "url": gettext_lazy("Log address"),
    "vkey": gettext_lazy("Verifier key"),
    "active": gettext_lazy("Active"),
    "before": gettext_lazy("Before the change"),
}

# Summary values that are codes of a set of choices, by object type and key: they read as the
# choice's label. ("from" is the status a tender was cancelled from.)
SUMMARY_CHOICES: dict[tuple[str, str], type[models.TextChoices]] = {
    ("tenders.tender", "status"): TenderStatus,
    ("tenders.tender", "from"): TenderStatus,
    ("tenders.tender", "method"): Method,
    ("tenders.tender", "category"): Category,
    ("tenders.tender", "award_criteria"): AwardCriteria,
    ("tenders.tender", "language"): ContentLanguage,
    ("organizations.organization", "kind"): OrganizationKind,
    ("organizations.organization", "scale"): Scale,
    ("organizations.organization", "buyer_type"): BuyerType,
    ("accounts.membership", "role"): Role,
    ("organizations.apikey", "scopes"): ApiScope,
}


class SummaryLine(NamedTuple):
    """One line of a change summary: the readable name, the key as recorded, the value."""

    name: str
    key: str
    text: str


def _readable(value: Any, choices: type[models.TextChoices] | None = None) -> str:
    """One value of a change summary as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if choices is not None and isinstance(value, str) and value in choices.values:
        return str(choices(value).label)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        return value
    if isinstance(value, list):
        # Labels may hold commas ("Read the organization's tenders, drafts included").
        separator = "; " if choices is not None else ", "
        return separator.join(_readable(item, choices) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{_name(key)}: {_readable(item)}" for key, item in value.items())
    return str(value)


def _name(key: str) -> str:
    label = SUMMARY_LABELS.get(key)
    return str(label) if label is not None else capfirst(key.replace("_", " "))


def summary_lines(summary: dict[str, Any], *, object_type: str = "") -> list[SummaryLine]:
    """A change summary as lines: changed fields read "old → new".

    `object_type` (e.g. "tenders.tender") lets the values that are codes (a status, a method)
    read as their labels.
    """
    lines: list[SummaryLine] = []

    def add(key: str, value: Any, *, change: bool = False) -> None:
        choices = SUMMARY_CHOICES.get((object_type, key))
        if change and isinstance(value, list) and len(value) == 2:
            old, new = value
            text = f"{_readable(old, choices)} → {_readable(new, choices)}"
        else:
            text = _readable(value, choices)
        lines.append(SummaryLine(_name(key), key, text))

    for key, value in summary.items():
        if key == "changes" and isinstance(value, dict):
            for name, change in value.items():
                add(name, change, change=True)
        else:
            add(key, value)
    return lines


def _forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return render(request, "core/audit_forbidden.html", {"error": error.message}, status=403)


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    """The audit log the person may read, filtered and paginated."""
    if audit_scope_of(user=user_of(request)) is None:
        return _forbidden(
            request,
            PermissionDenied(
                _("Only auditors, buyer officials and platform administrators read the audit log.")
            ),
        )
    form = AuditFilterForm(request.GET or None, request=request)
    valid = form.is_valid() if request.GET else True
    events = audit_events_visible_to(user=user_of(request), filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "label": action_label(event.action),
            "who": actor_display(event.actor_label),
            "channel": channel_label(event.channel),
            "object_type": object_type_label(event.object_type),
            "lines": summary_lines(event.summary, object_type=event.object_type),
        }
        for event in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "scope": audit_scope_of(user=user_of(request)),
            "export_query": query.urlencode(),
            "time_zone": time_zone_note(),
        },
        status=200 if valid else 400,
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming csv."""

    def write(self, value: str) -> str:
        return value


# Spreadsheet programs run cells that start with these; the export neutralizes them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


CSV_HEADER = (
    "when",
    "who",
    "organization",
    "action",
    "object_type",
    "object_id",
    "object",
    "summary",
    "channel",
    "from_address",
    "action_label",
    "object_type_label",
    "channel_label",
)


def csv_row(event: AuditEvent) -> list[str]:
    """One audit row as CSV cells (time in TIME_ZONE, summary as JSON).

    The codes are kept as recorded, for programs; the last three cells name the action, the
    object type and the channel in the active language, for people.
    """
    return [
        _cell(timezone.localtime(event.created_at).isoformat()),
        _cell(event.actor_label),
        _cell(event.organization.party_id if event.organization else ""),
        _cell(event.action),
        _cell(event.object_type),
        _cell(event.object_id),
        _cell(event.object_repr),
        _cell(json.dumps(event.summary, ensure_ascii=False, sort_keys=True)),
        _cell(event.channel),
        _cell(event.ip_address or ""),
        _cell(action_label(event.action)),
        _cell(object_type_label(event.object_type)),
        _cell(channel_label(event.channel)),
    ]


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered rows as CSV (every page), streamed."""
    if audit_scope_of(user=user_of(request)) is None:
        return _forbidden(
            request,
            PermissionDenied(
                _("Only auditors, buyer officials and platform administrators read the audit log.")
            ),
        )
    form = AuditFilterForm(request.GET or None, request=request)
    if request.GET:
        form.is_valid()
    events = audit_events_visible_to(user=user_of(request), filters=form.filters())
    writer = csv.writer(_Echo())
    # The rows are written after the view returns: keep the labels in the request's language.
    language = translation.get_language()

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_HEADER)
        for event in events.iterator(chunk_size=500):
            with translation.override(language):
                cells = csv_row(event)
            yield writer.writerow(cells)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
