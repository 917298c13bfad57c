"""The public figures page and the CSV download of each figure's table (no sign-in)."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pregon.figures.filters import FilterError, buyer_countries, buyers_choices, filters_parse
from pregon.figures.forms import FiguresFilterForm
from pregon.figures.metrics import FIGURES, Figure, Table, figure_get


def _cells(table: Table) -> list[dict[str, Any]]:
    """The table's rows as the template draws them: the row's group and its cells in the
    columns' order, each with its column (for the heading and the format)."""
    return [
        {
            "group": row["group"],
            "cells": [{"column": column, "value": row.get(column.key)} for column in table.columns],
        }
        for row in table.rows
    ]


def _with_query(url: str, query: dict[str, str]) -> str:
    return f"{url}?{urlencode(query)}" if query else url


@require_safe
def figures_page(request: HttpRequest) -> HttpResponse:
    """Every figure, for the filters of the GET form: a chart and the table behind it, with its
    CSV download. The tables are the figures; the charts are drawn from them by a script."""
    form = FiguresFilterForm(
        request.GET or None, buyer_countries=buyer_countries(), buyers=buyers_choices()
    )
    shown: list[dict[str, Any]] | None = None
    if not request.GET or form.is_valid():
        query = form.filters.as_query()
        shown = []
        for figure in FIGURES:
            table = figure.compute(form.filters)
            shown.append(
                {
                    "figure": figure,
                    "table": table,
                    "rows": _cells(table),
                    "chart": table.chart_rows(),
                    "chart_id": f"figure-{figure.slug}-chart",
                    "csv_url": _with_query(reverse("figures:csv", args=[figure.slug]), query),
                }
            )
    return render(request, "figures/page.html", {"form": form, "shown": shown})


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _csv_name(figure: Figure, query: dict[str, str]) -> str:
    parts = [
        "figures",
        figure.slug,
        *(query[key] for key in ("country", "buyer", "period") if key in query),
    ]
    return "-".join(parts) + ".csv"


@require_safe
def figure_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One figure's table as CSV (UTF-8, a header row of the columns' headings in the page's
    language, numbers with a dot and no grouping), for the filters of the query string."""
    figure = figure_get(slug)
    if figure is None:
        raise Http404(_("There is no such figure."))
    try:
        filters = filters_parse(
            country=request.GET.get("country", ""),
            buyer=request.GET.get("buyer", ""),
            period=request.GET.get("period", ""),
        )
    except FilterError as error:
        return HttpResponse(
            str(error.message), status=400, content_type="text/plain; charset=utf-8"
        )
    table = figure.compute(filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_csv_name(figure, filters.as_query())}"'
    )
    writer = csv.writer(response)
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(row.get(column.key)) for column in table.columns])
    return response
