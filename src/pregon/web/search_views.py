"""The portal's tender search (the public tender list) and a person's saved searches.

The list is the search of `pregon.search` (`search_run`, what `/api/v1/search` answers too):
words ranked and highlighted, facet selects with counts, an order and pages, all plain GET
parameters so the page works without JavaScript (HTMX only swaps the results in place).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pregon.accounts.http import user_of
from pregon.alerts.emails import absolute
from pregon.alerts.feeds import FEED_ENTRIES, FeedEntry, search_feed
from pregon.alerts.processes import ProcessPage, process_pages
from pregon.core import clock
from pregon.core.errors import NotFound, ValidationFailed
from pregon.core.page_cache import page_cached
from pregon.search.selectors import SearchHit, SearchResults, saved_searches_of, search_run
from pregon.search.services import saved_search_create, saved_search_delete
from pregon.tenders.models import Tender
from pregon.web.search_forms import SearchForm

PER_PAGE = 20
#: Parameters that are not part of a search (kept out of a saved search's query string).
_NOT_SEARCH = {"page", "csrfmiddlewaretoken"}


@dataclass(frozen=True)
class Result:
    """One row of the list: the search hit, the tender it is (None for a process published
    by other means than a tender of this platform), and its kind and page (`alerts.processes`:
    a quick quote's or a plan line's page, else its OCDS record)."""

    hit: SearchHit
    tender: Tender | None
    page: ProcessPage


def _processes(hits: list[SearchHit]) -> tuple[dict[str, Tender], dict[str, ProcessPage]]:
    """The tenders of `hits` and each hit's page (its kind and address), by ocid: two queries
    and one per registered lookup, whatever the number of hits."""
    ocids = [hit.document.ocid for hit in hits]
    tenders = Tender.objects.select_related("buyer").in_bulk(ocids, field_name="ocid")
    return tenders, process_pages(ocids, tenders)


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _results(form: SearchForm, number: int) -> tuple[SearchResults, int]:
    """The search for the page `number` (the last page when past it), and that number."""
    now = clock.now()
    results = search_run(form.query(now=now, offset=(number - 1) * PER_PAGE, limit=PER_PAGE))
    last = max(1, -(-results.total // PER_PAGE))
    if number > last:
        number = last
        results = search_run(form.query(now=now, offset=(number - 1) * PER_PAGE, limit=PER_PAGE))
    return results, number


def search_query_string(request: HttpRequest) -> str:
    """The current search as a query string, without the page (what a saved search keeps)."""
    query = request.GET.copy()
    for name in _NOT_SEARCH:
        query.pop(name, None)
    return query.urlencode()


@page_cached()
def tender_search(request: HttpRequest) -> HttpResponse:
    """Published tenders found by words and facets. An HTMX request gets the results only.

    Kept whole for visitors who are not signed in until the next publication (`page_cached`)."""
    form = SearchForm(request.GET)
    page: Page[Result] | None = None
    results: SearchResults | None = None
    if form.is_valid():
        results, number = _results(form, _page_number(request.GET.get("page")))
        tenders, pages = _processes(results.hits)
        rows = [
            Result(hit=hit, tender=tenders.get(hit.document.ocid), page=pages[hit.document.ocid])
            for hit in results.hits
        ]
        paginator: Paginator[int] = Paginator(range(results.total), PER_PAGE)
        page = Page(rows, number, paginator)  # type: ignore[arg-type]
        form.with_facets(results.facets)
    else:
        form.with_facets({})
    context = {
        "form": form,
        "page": page,
        "results": results,
        "page_range": (
            list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
            if page is not None
            else []
        ),
        "ELLIPSIS": Paginator.ELLIPSIS,
        "search_query": search_query_string(request),
    }
    # The back button may ask HTMX to restore a page it has not cached: that needs it whole.
    partial = bool(request.htmx) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    template = "web/search/results.html" if partial else "web/search/list.html"
    response = render(request, template, context | {"oob": partial})
    patch_vary_headers(response, ("HX-Request",))
    return response


def tender_search_feed(request: HttpRequest) -> HttpResponse:
    """The same search as an Atom feed (`pregon.alerts.feeds`): the newest processes it finds.

    A filter the form refuses answers 400 with the form's messages, as plain text.
    """
    form = SearchForm(request.GET)
    if not form.is_valid():
        lines = [f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    query = replace(form.query(now=clock.now(), offset=0, limit=FEED_ENTRIES), order="newest")
    results = search_run(query, with_facets=False)
    _tenders, pages = _processes(results.hits)
    entries = []
    for hit in results.hits:
        page = pages[hit.document.ocid]
        entries.append(
            FeedEntry(
                document=hit.document,
                url=absolute(page.path),
                zone=page.zone or settings.TIME_ZONE,
                snippet_html=hit.snippet_html if query.text.strip() else "",
            )
        )
    search = search_query_string(request)
    suffix = f"?{search}" if search else ""
    words = query.text.strip()
    body = search_feed(
        title=(
            _("%(instance)s: tenders matching “%(words)s”")
            % {"instance": settings.PREGON_INSTANCE_NAME, "words": words}
            if words
            else _("%(instance)s: tenders") % {"instance": settings.PREGON_INSTANCE_NAME}
        ),
        page_url=absolute(reverse("tenders:list")) + suffix,
        feed_url=absolute(reverse("tenders:feed")) + suffix,
        language=get_language() or settings.LANGUAGE_CODE,
        entries=entries,
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


# ---------------------------------------------------------------------------------------------
# saved searches


@login_required
def saved_search_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's saved searches, each to run or delete."""
    user = user_of(request)
    return render(
        request,
        "web/search/saved.html",
        {"saved_searches": list(saved_searches_of(owner_id=user.pk))},
    )


@login_required
@require_POST
def saved_search_save(request: HttpRequest) -> HttpResponse:
    """Save the search of the results page under a name."""
    user = user_of(request)
    query = request.POST.get("query", "")
    try:
        saved = saved_search_create(owner=user, name=request.POST.get("name", ""), query=query)
    except ValidationFailed as error:
        messages.error(request, str(error.message))
        return redirect(_list_url(query))
    messages.success(request, _("Search saved as “%(name)s”.") % {"name": saved.name})
    return redirect("web:saved_searches")


@login_required
@require_POST
def saved_search_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of the signed-in person's saved searches (another's is not found)."""
    try:
        saved_search_delete(owner=user_of(request), pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    messages.success(request, _("The saved search was deleted."))
    return redirect("web:saved_searches")


def _list_url(query: str) -> str:
    return reverse("tenders:list") + (f"?{query}" if query else "")
