"""The figures API's input and output (GET /api/v1/figures)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from pregon.core.api_pagination import MAX_ID
from pregon.figures.filters import FIRST_YEAR, LAST_YEAR


class FiguresQuery(Schema):
    country: str = Field(
        "",
        pattern=r"^([A-Za-z]{2})?$",
        description="Only buyers of this country (ISO 3166-1 alpha-2); empty: every country.",
    )
    buyer: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Only this buyer (its id, as in /organizations); empty: every buyer.",
    )
    period: str = Field(
        "",
        pattern=r"^(\d{4}(-Q[1-4])?)?$",
        description=f'A calendar year ("2026") or quarter ("2026-Q3"), in UTC, between {FIRST_YEAR} '
        f"and {LAST_YEAR}; empty: every period. Each figure says which date falls in it.",
    )


class FiltersOut(Schema):
    country: str | None = Field(description="The buyers' country, or null for every country.")
    buyer: int | None = Field(description="The buyer's id, or null for every buyer.")
    period: str | None = Field(description="The period, or null for every period.")


class ColumnOut(Schema):
    key: str = Field(description="The member of each row that holds this column's values.")
    label: str = Field(description="The column's heading, in the request's language.")
    kind: Literal["text", "count", "tenth", "money"] = Field(
        description="text; count (an integer); tenth (a decimal string to one decimal: a share "
        "in per cent, or days); money (a decimal string to two decimals)."
    )


class FigureOut(Schema):
    slug: str = Field(description="The figure's code; its CSV is /<lang>/figures/<slug>.csv.")
    title: str
    description: str
    columns: list[ColumnOut]
    rows: list[dict[str, str | int | None]] = Field(
        description="One row per group: `group` (micro, small, medium, selfEmployed, large, "
        "unknown, then the summaries msme, cooperative and all), `label` (its name), and a "
        "member per column; decimals are strings (exact), null where there is nothing to "
        "divide by. A money figure repeats the groups per currency (`currency`)."
    )


class FiguresOut(Schema):
    filters: FiltersOut
    figures: list[FigureOut]
