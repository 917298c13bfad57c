"""Atom 1.0 feeds (RFC 4287) of searches: any search of the tender list, saved or not, is a
feed at the same query string (`/<lang>/tenders/feed.atom?q=…`, served by the portal's page
layer with the portal's search form).

Each published process that the search finds is one entry, whatever it went through: its id
is the address of its OCDS record, `updated` the date of its latest release, so a feed
reader shows an amended tender again as updated, never twice. The feed's own id is its address.
The data are public, so the feed needs no secret: anyone may follow any search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from pregon.alerts.emails import absolute, amount, when
from pregon.search.models import SearchDocument

#: How many processes a feed holds (the newest).
FEED_ENTRIES = 50


@dataclass(frozen=True, kw_only=True)
class FeedEntry:
    """One process of a feed, with the page it links to and the zone its dates read in."""

    document: SearchDocument
    url: str
    zone: str
    snippet_html: str = ""


def record_url(ocid: str) -> str:
    """The entry id of a process: the address of its OCDS record."""
    return absolute(reverse("ocds_api:record", kwargs={"ocid": ocid}))


def _summary(entry: FeedEntry) -> str:
    document = entry.document
    facts = [escape(document.buyer_name)]
    if document.closing_at is not None:
        facts.append(escape(_("Closes %(when)s") % {"when": when(document.closing_at, entry.zone)}))
    value = amount(document.value_amount, document.currency)
    if value:
        facts.append(escape(_("Estimated value %(value)s") % {"value": value}))
    if document.status == "cancelled":
        facts.append(escape(_("Cancelled")))
    html = "<p>" + " · ".join(fact for fact in facts if fact) + "</p>"
    if entry.snippet_html:
        html += f"<p>{entry.snippet_html}</p>"
    return html


def search_feed(
    *,
    title: str,
    page_url: str,
    feed_url: str,
    language: str,
    entries: Iterable[FeedEntry],
) -> bytes:
    """The Atom document of a search's results (`entries`, newest first)."""
    feed = Atom1Feed(
        title=title,
        link=page_url,
        description=_("Tenders published on %(instance)s that match this search.")
        % {"instance": settings.PREGON_INSTANCE_NAME},
        feed_url=feed_url,
        feed_guid=feed_url,
        language=language,
        author_name=settings.PREGON_INSTANCE_NAME,
        author_link=absolute("/"),
    )
    for entry in entries:
        document = entry.document
        feed.add_item(
            title=document.title,
            link=entry.url,
            description=_summary(entry),
            unique_id=record_url(document.ocid),
            unique_id_is_permalink=False,
            updateddate=document.date,
            author_name=document.buyer_name or settings.PREGON_INSTANCE_NAME,
            categories=[value for value in (document.category, document.method) if value],
        )
    return feed.writeString("utf-8").encode()
