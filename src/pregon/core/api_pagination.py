"""The one pagination envelope of the JSON API: `{"count": N, "items": [...]}`.

Every list endpoint is decorated with `paginated`, so every list takes the same `limit` and
`offset` query parameters and answers with the same envelope, whatever it lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# The databases count rows in signed 64-bit integers: a larger offset is refused (422) rather
# than sent to them (where it overflows into a server error).
MAX_OFFSET = 2**63 - 1
#: The largest id a filter or a path takes, for the same reason.
MAX_ID = 2**63 - 1


class PageParams(PaginationBase.Input):
    """The query parameters every list takes."""

    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=f"How many items to return (1 to {MAX_LIMIT}).",
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class LimitOffset(PaginationBase):
    """`limit` (default 20, at most 100) items starting at `offset`, with the total count."""

    # A named class rather than a nested `Input`: it names the schema in the OpenAPI document.
    Input = PageParams  # type: ignore[assignment]

    class Output(Schema):
        count: int = Field(description="How many items match, over all pages.")
        items: list[Any]

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Sequence[Any],
        pagination: PageParams,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        """Slice one page out of a queryset (or a list) and count the whole."""
        start = pagination.offset
        stop = start + pagination.limit
        return {"count": self._items_count(queryset), "items": queryset[start:stop]}  # type: ignore[arg-type]


def paginated(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a list endpoint (declared with `response=list[Schema]`) in the envelope."""
    return paginate(LimitOffset)(view)
