"""The alerts' e-mails, in the subscriber's language: a notice, a daily digest, the address
confirmation, and a followed tender's reminder or amendment notice.

Every message but the confirmation carries a one-click unsubscribe link (RFC 8058: the
`List-Unsubscribe` header with an HTTPS address, and `List-Unsubscribe-Post:
List-Unsubscribe=One-Click`, to which a mail client POSTs without any sign-in), and a Message-ID
made of the notice's id, so a receiver recognizes a repeat.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from pregon.alerts.processes import process_page
from pregon.alerts.tokens import confirm_token, tender_token, unsubscribe_token
from pregon.search.models import SearchDocument
from pregon.tenders.models import Tender


def absolute(path: str) -> str:
    """An address of this instance for an e-mail (SITE_URL and the path)."""
    return settings.SITE_URL.rstrip("/") + path


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(unique: str) -> str:
    """A Message-ID made of a notice's id: the same on every attempt to send it."""
    return f"<{unique}@{_domain()}>"


def when(moment: dt.datetime | None, zone: str) -> str:
    """A date and time for an e-mail, in `zone`, in the active language."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, ZoneInfo(zone))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone})"


def amount(value: Decimal | None, currency: str) -> str:
    """An estimated value for an e-mail ("" when there is none)."""
    if value is None:
        return ""
    return f"{formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)} {currency}".strip()


@dataclass(frozen=True, kw_only=True)
class ProcessSummary:
    """What an e-mail or a webhook says of a process (from its search document)."""

    ocid: str
    kind: str
    title: str
    buyer_name: str
    closing: str
    value: str
    url: str


def process_summary(
    document: SearchDocument | None, ocid: str, tender: Tender | None
) -> ProcessSummary:
    """The summary of a process in the active language."""
    page = process_page(ocid, tender)
    zone = page.zone or settings.TIME_ZONE
    if document is None:
        return ProcessSummary(
            ocid=ocid,
            kind=page.kind,
            title=tender.title if tender is not None else ocid,
            buyer_name=tender.buyer.display_name if tender is not None else "",
            closing="",
            value="",
            url=absolute(page.path),
        )
    return ProcessSummary(
        ocid=ocid,
        kind=page.kind,
        title=document.title,
        buyer_name=document.buyer_name,
        closing=when(document.closing_at, zone),
        value=amount(document.value_amount, document.currency),
        url=absolute(page.path),
    )


def _subject(template: str, context: dict[str, Any]) -> str:
    prefix = f"[{settings.PREGON_INSTANCE_NAME}] "
    # Line breaks and runs of spaces collapse; a no-break space (French "offres : …") stays.
    return prefix + re.sub(r"[ \t\r\n]+", " ", render_to_string(template, context)).strip()


def _message(
    base: str,
    context: dict[str, Any],
    *,
    to: str,
    language: str,
    unsubscribe_path: str = "",
    unique: str = "",
) -> EmailMessage:
    with translation.override(language):
        context = {"instance": settings.PREGON_INSTANCE_NAME, **context}
        headers = {"Auto-Submitted": "auto-generated"}
        if unsubscribe_path:
            unsubscribe = absolute(unsubscribe_path)
            context["unsubscribe_url"] = unsubscribe
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        if unique:
            headers["Message-ID"] = message_id(unique)
        return EmailMessage(
            subject=_subject(f"alerts/email/{base}_subject.txt", context),
            body=render_to_string(f"alerts/email/{base}_body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers=headers,
        )


def unsubscribe_path(subscription_id: int) -> str:
    """The path of a subscription's one-click unsubscribe page (in the active language)."""
    return reverse(
        "alerts:unsubscribe", kwargs={"token": unsubscribe_token(subscription_id=subscription_id)}
    )


def notice_message(
    *,
    to: str,
    language: str,
    subscription_id: int,
    subscription_name: str,
    event: str,
    document: SearchDocument | None,
    ocid: str,
    tender: Tender | None,
    unique: str,
) -> EmailMessage:
    """One notice: a tender published, amended or cancelled that fits a subscription."""
    with translation.override(language):
        return _message(
            "notice",
            {
                "event": event,
                "process": process_summary(document, ocid, tender),
                "subscription_name": subscription_name,
                "manage_url": absolute(reverse("alerts:list")),
            },
            to=to,
            language=language,
            unsubscribe_path=unsubscribe_path(subscription_id),
            unique=unique,
        )


@dataclass(frozen=True, kw_only=True)
class DigestItem:
    """One notice of a digest, as the sender found it."""

    event: str
    ocid: str
    document: SearchDocument | None
    tender: Tender | None


@dataclass(frozen=True, kw_only=True)
class DigestEntry:
    """One notice of a digest, as the e-mail shows it."""

    event: str
    process: ProcessSummary


def digest_message(
    *,
    to: str,
    language: str,
    subscription_id: int,
    subscription_name: str,
    items: list[DigestItem],
    unique: str,
) -> EmailMessage:
    """A subscription's daily digest: every notice it had since the last one."""
    with translation.override(language):
        entries = [
            DigestEntry(
                event=item.event, process=process_summary(item.document, item.ocid, item.tender)
            )
            for item in items
        ]
        return _message(
            "digest",
            {
                "entries": entries,
                "count": len(entries),
                "subscription_name": subscription_name,
                "manage_url": absolute(reverse("alerts:list")),
            },
            to=to,
            language=language,
            unsubscribe_path=unsubscribe_path(subscription_id),
            unique=unique,
        )


def confirmation_message(
    *, to: str, language: str, subscription_id: int, subscription_name: str
) -> EmailMessage:
    """The one message an unconfirmed address receives: the link that confirms it."""
    with translation.override(language):
        token = confirm_token(subscription_id=subscription_id, email=to)
        return _message(
            "confirm",
            {
                "confirm_url": absolute(reverse("alerts:confirm", kwargs={"token": token})),
                "subscription_name": subscription_name,
                "days": settings.PREGON_ALERTS_CONFIRM_DAYS,
            },
            to=to,
            language=language,
        )


def tender_notice_message(
    *,
    to: str,
    language: str,
    kind: str,
    tender: Tender,
    user_id: int,
    unique: str,
    asked: bool,
) -> EmailMessage:
    """A followed tender's reminder (its deadline is near) or notice (amended, cancelled)."""
    with translation.override(language):
        zone = tender.buyer.effective_time_zone
        path = reverse(
            "alerts:tender_stop",
            kwargs={"token": tender_token(user_id=user_id, tender_id=tender.pk)},
        )
        return _message(
            "tender_notice",
            {
                "kind": kind,
                "tender": tender,
                "deadline": when(tender.submission_deadline, zone),
                "url": absolute(tender.get_absolute_url()),
                "asked": asked,
            },
            to=to,
            language=language,
            unsubscribe_path=path,
            unique=unique,
        )
