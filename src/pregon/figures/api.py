"""The figures API: the MSME participation figures of the page, as JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from pregon.figures.filters import filters_parse
from pregon.figures.metrics import FIGURES
from pregon.figures.schemas import FiguresOut, FiguresQuery
from pregon.organizations.api_auth import public

router = Router(tags=["figures"])


def _json(value: Any) -> str | int | None:
    if isinstance(value, Decimal):
        return format(value, "f")
    if value is None or isinstance(value, int):
        return value
    return str(value)


@router.get(
    "/figures",
    response=FiguresOut,
    url_name="figures",
    summary="MSME participation figures",
    **public(errors=(422,)),
)
def figures(request: HttpRequest, filters: Query[FiguresQuery]) -> dict[str, Any]:
    """The share of contracts and of their value (per currency) won by micro, small and medium
    enterprises, the self-employed and cooperatives, their share of the bids opened, and how
    fast buyers pay their invoices (median and mean days, share paid late), for the buyers of a
    country, one buyer, and a year or quarter. The same tables as /<lang>/figures/; the
    definitions are in docs/figures.md. An unknown buyer answers 422."""
    chosen = filters_parse(country=filters.country, buyer=filters.buyer, period=filters.period)
    query = chosen.as_query()
    return {
        "filters": {
            "country": query.get("country"),
            "buyer": chosen.buyer.pk if chosen.buyer is not None else None,
            "period": query.get("period"),
        },
        "figures": [
            {
                "slug": figure.slug,
                "title": str(figure.title),
                "description": str(figure.description),
                "columns": [
                    {"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns
                ],
                "rows": [{key: _json(value) for key, value in row.items()} for row in table.rows],
            }
            for figure in FIGURES
            for table in [figure.compute(chosen)]
        ],
    }
