"""Whole public pages kept for visitors who are not signed in (ADR 0021).

The public list, search, tender and home pages are the same for every visitor who is not
signed in, and they change when something is published. `page_cached` keeps such a page whole
in the `pages` cache, keyed by its address and language, and serves it again while nothing it
shows has changed:

- Each cached page carries the *generation* it was rendered under; a publication bumps the
  generation of everything (`page_generations_bump()`) and of its process's own pages
  (`page_generations_bump("tender:42")`). A page whose generation has moved on is rendered
  again. One cache read answers a request: the page and its generation come in one `get_many`.
- A page is kept at most `PREGON_PAGE_CACHE_SECONDS`, or less when the view says when it
  changes by itself (`page_fresh_until`: a deadline shown as "closes in …" passes).
- Only a GET from a visitor without a session or pending messages is read from or stored in
  the cache, and only a plain 200 answer that sets no cookie, used no CSRF token and is not
  private is stored. Everyone else gets the page rendered for them, as before.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import math
import re
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language

from pregon.core import clock

logger = logging.getLogger(__name__)
P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]

#: The cache alias the pages are kept in (settings.CACHES): apart from the rate limits', so
#: pages pushed out of a full cache never take a rate-limit counter with them.
ALIAS = "pages"
#: Told on every answer of a cached view: whether it came from the cache ("hit"), was stored
#: ("miss"), or neither ("pass": a visitor the cache does not serve, or a page it does not keep).
HEADER = "X-Page-Cache"
_GENERATION = "generation"
#: Headers a view sets that a cached page keeps; the middleware adds the rest on each answer
#: (Content-Language, the security headers, Content-Length).
_KEPT_HEADERS = ("Content-Type", "Vary")
_FRESH_UNTIL = "_page_fresh_until"
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware reads Accept-Encoding


def page_cached(
    scope: Callable[..., str | None] | None = None,
    *,
    seconds: int | None = None,
) -> Callable[[View[P]], View[P]]:
    """Keep the view's anonymous answers whole (see the module's docstring).

    `scope(**kwargs)`, given the view's URL arguments, names the generation the page follows
    instead of the global one (`"tender:42"`: only that tender's publications render it
    again); `seconds` caps how long it is kept (at most `PREGON_PAGE_CACHE_SECONDS`).

    The cache is a help, not a dependency: when it cannot be reached the page is rendered
    (`pass`) and the failure logged.
    """

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            limit = _seconds(seconds)
            if limit <= 0 or not _servable(request):
                return _told(view(request, *args, **kwargs), "pass")
            cache = caches[ALIAS]
            generation_key = _generation_key(scope(**kwargs) if scope is not None else None)
            key = _page_key(request)
            try:
                found = cache.get_many([generation_key, key])
            except Exception:  # the cache is down: render, as without it
                logger.warning("the pages cache cannot be read", exc_info=True)
                return _told(view(request, *args, **kwargs), "pass")
            generation = found.get(generation_key, 0)
            entry = found.get(key)
            if entry is not None and entry[0] == generation and _fresh(entry[1]):
                return _told(_response(request, entry), "hit")
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                return _told(response, "pass")
            assert isinstance(response, HttpResponse)
            until: datetime | None = getattr(response, _FRESH_UNTIL, None)
            if until is not None and not _fresh(until):
                return _told(response, "pass")
            headers = [(name, response[name]) for name in _KEPT_HEADERS if name in response]
            # Kept compressed as GZipMiddleware would send it: a hit is not compressed again.
            body = compress_string(
                response.content, max_random_bytes=GZipMiddleware.max_random_bytes
            )
            entry = (generation, until, response.status_code, headers, body)
            try:
                cache.set(key, entry, _timeout(until, limit))
            except Exception:
                logger.warning("the pages cache cannot be written", exc_info=True)
                return _told(response, "pass")
            return _told(response, "miss")

        return wrapper

    return decorate


def page_fresh_until(response: HttpResponseBase, moment: datetime | None) -> HttpResponseBase:
    """Say when the page changes by itself (the next deadline it shows): it is not kept past
    that moment. None changes nothing."""
    if moment is not None:
        current = getattr(response, _FRESH_UNTIL, None)
        setattr(response, _FRESH_UNTIL, moment if current is None else min(current, moment))
    return response


def page_generations_bump(*scopes: str) -> None:
    """Something was published: the cached pages of every scope given, and all of them under
    the global generation, are rendered again at their next visit.

    Call it inside the publishing transaction, so a page rendered in it is not kept under the
    old generation, and again once it commits (`transaction.on_commit`), so a page rendered
    before the commit (which could not see the change) is not kept under the new one.
    """
    keys = [_generation_key(None), *(_generation_key(scope) for scope in scopes)]
    # A publication never fails for the cache: pages kept meanwhile expire by themselves.
    try:
        caches[ALIAS].set_many(dict.fromkeys(keys, time.time_ns()), timeout=None)
    except Exception:
        logger.warning("the pages cache cannot be told of a publication", exc_info=True)


# ---------------------------------------------------------------------------------------------


def _seconds(seconds: int | None) -> int:
    limit: int = settings.PREGON_PAGE_CACHE_SECONDS
    return limit if seconds is None else min(limit, seconds)


def _servable(request: HttpRequest) -> bool:
    """A GET from a visitor whose page cannot differ from anyone else's: no session (signed in,
    or a form's state) and no messages waiting to be shown."""
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if not isinstance(response, HttpResponse) or response.status_code != 200:
        return False
    control = response.get("Cache-Control", "")
    if response.cookies or "private" in control or "no-store" in control:
        return False
    # The page holds a CSRF token (a form for this visitor), or changed the session or the
    # messages: it belongs to this visitor alone.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and getattr(messages, "added_new", False))


def _fresh(until: datetime | None) -> bool:
    """Whether a page kept until `until` may still be shown: read on the platform's clock, which
    the demo and the tests move (the cache's own expiry follows the real one)."""
    return until is None or clock.now() < until


def _timeout(until: datetime | None, limit: int) -> int:
    if until is None:
        return limit
    return max(1, min(limit, math.ceil((until - clock.now()).total_seconds())))


def _page_key(request: HttpRequest) -> str:
    """The page's address with its query, host and language, and the HTMX headers that make a
    view answer a fragment instead of the whole page."""
    parts = [
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        request.headers.get("HX-Target", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _generation_key(scope: str | None) -> str:
    return _GENERATION if scope is None else f"{_GENERATION}:{scope}"


def _response(
    request: HttpRequest, entry: tuple[Any, datetime | None, int, list[tuple[str, str]], bytes]
) -> HttpResponse:
    """The kept page, compressed when the visitor takes gzip, with the `Vary` of a page
    rendered for them (it differs for a signed-in visitor, and by encoding)."""
    _generation, _until, status, headers, compressed = entry
    if _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), status=status)
    for name, value in headers:
        response[name] = value
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response


def _told(response: HttpResponseBase, outcome: str) -> HttpResponseBase:
    response[HEADER] = outcome
    return response
