"""The audit log's page and its CSV export.

What a person may read is decided in `selectors.audit_events_visible_to`; this module renders
the rows readably (`labels`) and streams the export.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pregon.accounts.http import user_of
from pregon.audit.forms import AuditFilterForm
from pregon.audit.labels import (
    action_label,
    actor_display,
    channel_label,
    object_names,
    object_type_label,
    summary_lines,
)
from pregon.audit.selectors import audit_events_visible_to, audit_scope_of
from pregon.core.errors import PermissionDenied
from pregon.core.models import AuditEvent

PAGE_SIZE = 50


def _forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return render(request, "audit/audit_forbidden.html", {"error": error.message}, status=403)


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
    names = object_names(page.object_list)
    rows = [
        {
            "event": event,
            "label": action_label(event.action),
            "who": actor_display(event.actor_label),
            "channel": channel_label(event.channel),
            "object_type": object_type_label(event.object_type),
            "object": names[event.pk],
            "lines": summary_lines(event.summary, object_type=event.object_type),
        }
        for event in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "scope": audit_scope_of(user=user_of(request)),
            "export_query": query.urlencode(),
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
    """One audit row as CSV cells (time in TIME_ZONE with its offset, summary as JSON).

    The codes, the object's name and the summary's keys are kept as recorded, for programs;
    the last three cells name the action, the object type and the channel in the active
    language, for people.
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
