"""The OCDS API at /api/ocds/: release packages, record packages and the changes feed.

Plain Django views writing JSON with orjson: releases are served as the exact text stored when
they were published (their canonical bytes are the transparency log's leaves), spliced into
the package envelope without being parsed again. See docs/open-data.md for the reference.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from pregon.core.errors import DomainError
from pregon.core.problems import public_read
from pregon.ocds.package import PackageMetadata
from pregon.publication import selectors
from pregon.publication.http import json_response
from pregon.publication.mapping import ocds_datetime
from pregon.publication.models import Record

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
LIST_CACHE = "public, max-age=30"
ITEM_CACHE = "public, max-age=300"
_CURSOR_PREFIX = "p"
# ASCII digits only: str.isdigit() also takes "²" and other digits int() cannot read.
_LIMIT = re.compile(r"[0-9]{1,4}")
_POSITION = re.compile(r"[0-9]{1,18}")


class BadQuery(DomainError):
    status = 400
    code = "bad_query"


# ---------------------------------------------------------------------------------------------
# query parameters


def encode_cursor(position: int) -> str:
    """An opaque cursor for a position (clients must not build their own)."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{position}".encode()).decode().rstrip("=")


def decode_cursor(value: str | None) -> int:
    """The position a cursor stands for; 0 (the beginning) when there is none."""
    if not value:
        return 0
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    number = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not _POSITION.fullmatch(number):
        raise BadQuery(
            _("This cursor is not valid. Follow the links the API returns."), field="cursor"
        )
    return int(number)


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    if not _LIMIT.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadQuery(
            _("limit must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT},
            field="limit",
        )
    return int(raw)


def _since(request: HttpRequest) -> dt.datetime | None:
    raw = request.GET.get("since", "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
        if moment is None and (day := parse_date(raw)) is not None:
            moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        if moment is not None:
            # In UTC now, as the database compares it: 0001-01-01T00:00:00+14:00 falls before
            # the first representable instant (OverflowError), so it is refused here.
            moment = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise BadQuery(
            _("since must be an ISO 8601 date or date and time, like 2026-03-01T12:00:00Z."),
            field="since",
        )
    return moment


def _flag(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name, "").lower()
    if raw in {"", "0", "false", "no"}:
        return False
    if raw in {"1", "true", "yes"}:
        return True
    raise BadQuery(_("%(name)s must be 1 or 0.") % {"name": name}, field=name)


# ---------------------------------------------------------------------------------------------
# packages


def _metadata(uri: str, published: dt.datetime | None) -> dict[str, Any]:
    return PackageMetadata(
        uri=uri,
        publisher_name=settings.PREGON_PUBLISHER_NAME,
        publisher_uri=settings.PREGON_PUBLISHER_URI or None,
        published_date=ocds_datetime(published or dt.datetime.now(dt.UTC)),
        license=settings.PREGON_DATA_LICENSE or None,
        publication_policy=settings.PREGON_PUBLICATION_POLICY_URL or None,
    ).as_dict()


def _package(head: dict[str, Any], key: str, items: list[bytes]) -> bytes:
    """The package's fields, then its array of already serialized items."""
    encoded = orjson.dumps(head)
    return b"".join([encoded[:-1], b',"', key.encode(), b'":[', b",".join(items), b"]}"])


def _here(request: HttpRequest, **params: str) -> str:
    """The public address of this endpoint with `params` replacing the query's own."""
    query = {key: value for key, value in request.GET.items() if key not in params}
    query.update(params)
    encoded = urlencode(sorted(query.items()))
    return f"{settings.SITE_URL}{request.path}" + (f"?{encoded}" if encoded else "")


def _release_url(release_id: str) -> str:
    return f"{settings.SITE_URL}{reverse('ocds_api:release', kwargs={'release_id': release_id})}"


def _releases_package(request: HttpRequest, *, feed: bool) -> HttpResponseBase:
    after = decode_cursor(request.GET.get("cursor"))
    limit = _limit(request)
    since = None if feed else _since(request)
    ocid = None if feed else request.GET.get("ocid", "").strip() or None
    rows, more = selectors.releases_after(after=after, limit=limit, since=since, ocid=ocid)
    published = max((row.date for row in rows), default=None) or selectors.release_latest_date()
    head = _metadata(_here(request), published)
    last = rows[-1].seq if rows else after
    if more or feed:
        # The feed always links onwards: an empty page means "caught up, ask again later".
        head["links"] = {"next": _here(request, cursor=encode_cursor(last))}
    body = _package(head, "releases", [row.data.encode() for row in rows])
    return json_response(
        request,
        body,
        last_modified=max((row.recorded_at for row in rows), default=None),
        cache_control="public, max-age=5" if feed else LIST_CACHE,
    )


@public_read
def releases(request: HttpRequest) -> HttpResponseBase:
    """`GET /api/ocds/releases`: a release package, in feed order, a page at a time."""
    return _releases_package(request, feed=False)


@public_read
def changes(request: HttpRequest) -> HttpResponseBase:
    """`GET /api/ocds/changes`: the changes feed (release packages that always link onwards)."""
    return _releases_package(request, feed=True)


@public_read
def release(request: HttpRequest, release_id: str) -> HttpResponseBase:
    """`GET /api/ocds/releases/<id>`: a release package with one release, and its log leaf."""
    stored = selectors.release_by_id(release_id=release_id)
    position = selectors.release_log_position(stored)
    proof = (
        f"{settings.SITE_URL}/log/proof/inclusion?"
        f"{urlencode({'leaf_hash': position.leaf_hash, 'tree_size': position.tree_size})}"
    )
    head = _metadata(_release_url(release_id), stored.date)
    # Beside the release, never inside it: the logged bytes are the release alone.
    head["transparencyLog"] = {
        "leafIndex": position.leaf_index,
        "leafHash": position.leaf_hash,
        "treeSize": position.tree_size,
        "inclusionProof": proof,
    }
    body = _package(head, "releases", [stored.data.encode()])
    return json_response(
        request,
        body,
        last_modified=stored.recorded_at,
        cache_control=ITEM_CACHE,
        headers={
            "Link": f'<{proof}>; rel="inclusion-proof"',
            "Pregon-Log-Leaf-Index": str(position.leaf_index),
        },
    )


def _record(
    record: Record, links: list[tuple[str, dt.datetime, list[str]]], versioned: bool
) -> bytes:
    data: dict[str, Any] = {
        "ocid": record.ocid,
        "releases": [
            {
                "url": f"{_release_url(release_id)}#{release_id}",
                "date": ocds_datetime(date),
                "tag": tag,
            }
            for release_id, date, tag in links
        ],
        "compiledRelease": record.compiled,
    }
    if versioned:
        data["versionedRelease"] = record.versioned
    return orjson.dumps(data)


@public_read
def records(request: HttpRequest) -> HttpResponseBase:
    """`GET /api/ocds/records`: a record package, a page at a time."""
    after = decode_cursor(request.GET.get("cursor"))
    limit = _limit(request)
    versioned = _flag(request, "versioned")
    rows, more = selectors.records_after(after=after, limit=limit, versioned=versioned)
    links = selectors.release_links(ocids=[row.ocid for row in rows])
    head = _metadata(_here(request), max((row.date for row in rows), default=None))
    if more:
        head["links"] = {"next": _here(request, cursor=encode_cursor(rows[-1].pk))}
    body = _package(head, "records", [_record(row, links[row.ocid], versioned) for row in rows])
    return json_response(
        request,
        body,
        last_modified=max((row.updated_at for row in rows), default=None),
        cache_control=LIST_CACHE,
    )


@public_read
def record(request: HttpRequest, ocid: str) -> HttpResponseBase:
    """`GET /api/ocds/records/<ocid>`: a record package with the record of one process."""
    versioned = _flag(request, "versioned")
    found = selectors.record_by_ocid(ocid=ocid, versioned=versioned)
    links = selectors.release_links(ocids=[found.ocid])
    head = _metadata(_here(request), found.date)
    body = _package(head, "records", [_record(found, links[found.ocid], versioned)])
    return json_response(request, body, last_modified=found.updated_at, cache_control=LIST_CACHE)
