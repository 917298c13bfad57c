"""The search API: `/search`, the same search as the portal's, over everything published."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import AuthenticationError
from ninja.responses import Status

from pregon.accounts.models import User
from pregon.core.actor import Actor
from pregon.core.request import client_ip
from pregon.organizations.api_auth import (
    SignedInSession,
    WriteThrottle,
    actor_of,
    public,
)
from pregon.search.models import SavedSearch
from pregon.search.schemas import (
    FacetCountOut,
    SavedSearchIn,
    SavedSearchOut,
    SearchHitOut,
    SearchIn,
    SearchOut,
)
from pregon.search.selectors import saved_searches_of, search_run
from pregon.search.services import saved_search_create, saved_search_delete

router = Router(tags=["search"])


@router.get(
    "/search",
    response=SearchOut,
    url_name="search",
    summary="Search published processes",
    **public(errors=(422,)),
)
def search(request: HttpRequest, filters: Query[SearchIn]) -> SearchOut:
    """Full text over titles, descriptions, items and buyer names in English, Spanish,
    Portuguese and French, with facet filters; ranked, with the matched words highlighted,
    and the count of each facet value among all the results."""
    results = search_run(filters.to_query())
    return SearchOut(
        count=results.total,
        count_exact=results.total_exact,
        fuzzy=results.fuzzy,
        facets_counted=results.facets_counted,
        items=[
            SearchHitOut(
                ocid=hit.document.ocid,
                title=hit.document.title,
                title_html=hit.title_html,
                snippet_html=hit.snippet_html,
                score=hit.score,
                buyer_id=hit.document.buyer_id,
                buyer_name=hit.document.buyer_name,
                country=hit.document.country,
                region=hit.document.region,
                method=hit.document.method,
                category=hit.document.category,
                status=hit.document.status,
                language=hit.document.language,
                value_amount=hit.document.value_amount,
                currency=hit.document.currency,
                reserved_msme=hit.document.reserved_msme,
                closing_at=hit.document.closing_at,
            )
            for hit in results.hits
        ],
        facets={
            name: [
                FacetCountOut(value=entry.value, count=entry.count, label=entry.label)
                for entry in entries
            ]
            for name, entries in results.facets.items()
        },
    )


# ---------------------------------------------------------------------------------------------
# saved searches: a person's own, so a signed-in session only (an organization API key is
# nobody's), as the other personal operations


class SignedInPerson(SignedInSession):
    """A signed-in person acting as themselves, whatever organizations they belong to; an
    organization API key is not accepted (401, saying so)."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        if not request.user.is_authenticated:
            raise AuthenticationError(
                status_code=401,
                message=_("Saved searches belong to a person: sign in to keep them."),
            )
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = request.user
        if not isinstance(user, User) or not user.is_active:
            return None
        return Actor(user=user, organization=None, channel="api", ip_address=client_ip(request))


def _owner(request: HttpRequest) -> User:
    user = actor_of(request).user
    assert user is not None  # SignedInPerson authenticates people only
    return user


def _saved_out(saved: SavedSearch) -> SavedSearchOut:
    return SavedSearchOut(
        id=saved.pk, name=saved.name, query=saved.query, created_at=saved.created_at
    )


def _auth(errors: tuple[int, ...], *, write: bool) -> dict[str, object]:
    return {
        "auth": [SignedInPerson()],
        "throttle": [WriteThrottle("PREGON_API_WRITE_RATE")] if write else [],
        "openapi_extra": public(errors=(401, 403, *errors))["openapi_extra"],
    }


@router.get(
    "/searches/saved",
    response=list[SavedSearchOut],
    url_name="saved_searches",
    summary="List my saved searches",
    **_auth((), write=False),  # type: ignore[arg-type]
)
def saved_search_list(request: HttpRequest) -> list[SavedSearchOut]:
    """The signed-in person's saved searches, by name."""
    return [_saved_out(saved) for saved in saved_searches_of(owner_id=_owner(request).pk)]


@router.post(
    "/searches/saved",
    response={201: SavedSearchOut},
    url_name="saved_search_create",
    summary="Save a search",
    **_auth((400, 422, 429), write=True),  # type: ignore[arg-type]
)
def saved_search_post(request: HttpRequest, payload: SavedSearchIn) -> Status:
    """Save a search (its query string, as `/search` takes it) under a name of one's own."""
    saved = saved_search_create(owner=_owner(request), name=payload.name, query=payload.query)
    return Status(201, _saved_out(saved))


@router.delete(
    "/searches/saved/{saved_id}",
    response={204: None},
    url_name="saved_search_delete",
    summary="Delete a saved search",
    **_auth((404, 429), write=True),  # type: ignore[arg-type]
)
def saved_search_remove(request: HttpRequest, saved_id: int) -> Status:
    """Delete one of one's saved searches (another person's is not found)."""
    saved_search_delete(owner=_owner(request), pk=saved_id)
    return Status(204, None)
