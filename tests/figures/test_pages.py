"""The public figures page (its tables work without JavaScript), the CSV downloads, the API."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.figures.world import FiguresWorld

pytestmark = pytest.mark.django_db


class Tables(HTMLParser):
    """The page's tables as text: {table id: [[cell, …], …]} (header row first), and every
    <script> element's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.captions: dict[str, str] = {}
        self.scripts: list[dict[str, str | None]] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self._table = attributes.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("th", "td") and self._table is not None:
            self._cell = []
        elif tag == "caption":
            self._caption = True
        elif tag == "script":
            self.scripts.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("th", "td") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption":
            self._caption = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._caption and self._table is not None:
            self.captions[self._table] = data.strip()


def parse(html: str) -> Tables:
    tables = Tables()
    tables.feed(html)
    return tables


def test_the_page_shows_every_table_without_javascript(client: Client, world: FiguresWorld) -> None:
    response = client.get("/en/figures/")
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert set(page.tables) == {
        "figure-contracts-table",
        "figure-value-table",
        "figure-bids-table",
        "figure-quick-quotes-table",
        "figure-subcontracting-table",
        "figure-payment-table",
    }
    contracts = page.tables["figure-contracts-table"]
    assert contracts[0] == ["Suppliers", "Contracts", "Share (%)"]
    assert ["Micro enterprise", "1", "14.3"] in contracts
    assert ["All MSMEs (micro, small, medium, self-employed)", "5", "71.4"] in contracts
    assert ["Cooperatives (any size)", "2", "28.6"] in contracts
    assert ["All suppliers", "7", "100.0"] in contracts
    assert page.captions["figure-contracts-table"] == "Share of contracts won"
    value = page.tables["figure-value-table"]
    assert ["CLP", "Large enterprise", "2", "1,000.00", "62.5"] in value
    payment = page.tables["figure-payment-table"]
    assert payment[0] == [
        "Suppliers",
        "Invoices paid",
        "Median days to pay",
        "Mean days to pay",
        "Paid late",
        "Share paid late (%)",
    ]
    assert ["All suppliers", "7", "30.0", "31.6", "3", "42.9"] in payment
    assert ["Size unknown", "0", "—", "—", "0", "—"] in payment


def test_the_charts_read_json_and_run_no_inline_script(client: Client, world: FiguresWorld) -> None:
    html = client.get("/en/figures/").content.decode()
    page = parse(html)
    # Every script is a file of the site, or data (application/json): the CSP allows no other.
    for script in page.scripts:
        assert script.get("src") or script.get("type") == "application/json", script
    assert any((s.get("src") or "").endswith("figures/charts.js") for s in page.scripts)
    data = re.search(
        r'<script id="figure-contracts-chart" type="application/json">(.*?)</script>', html
    )
    assert data is not None
    rows = json.loads(data[1])
    assert {"label": "Micro enterprise", "share": 14.3} in rows
    assert all(row["label"] != "All suppliers" for row in rows)
    assert 'data-figure-chart="figure-contracts-chart"' in html


def test_filters_on_the_page(client: Client, world: FiguresWorld) -> None:
    response = client.get("/en/figures/", {"country": "CL", "period": "2026-Q3"})
    contracts = parse(response.content.decode()).tables["figure-contracts-table"]
    assert ["All suppliers", "3", "100.0"] in contracts
    assert ["All MSMEs (micro, small, medium, self-employed)", "2", "66.7"] in contracts
    response = client.get("/en/figures/", {"buyer": world.b.pk})
    assert ["All suppliers", "2", "100.0"] in parse(response.content.decode()).tables[
        "figure-contracts-table"
    ]
    # The CSV links carry the filters.
    assert f'href="/en/figures/contracts.csv?buyer={world.b.pk}"' in response.content.decode()


def test_bad_filters_say_why_and_show_nothing(client: Client, world: FiguresWorld) -> None:
    response = client.get("/en/figures/", {"period": "2026-Q7", "buyer": "nobody"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters are not valid" in html
    assert parse(html).tables == {}
    response = client.get("/en/figures/", {"period": "2026-Q7"})
    assert "Write a year" in response.content.decode()


def test_the_footer_links_the_page(client: Client, db: None) -> None:
    assert 'href="/en/figures/"' in client.get("/en/").content.decode()


def test_csv(client: Client, world: FiguresWorld) -> None:
    response = client.get("/en/figures/payment.csv", {"country": "CL", "period": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="figures-payment-CL-2026.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Suppliers",
        "Invoices paid",
        "Median days to pay",
        "Mean days to pay",
        "Paid late",
        "Share paid late (%)",
    ]
    # Chile, paid in 2026: i1..i6 (20 40 10 60 30 21): median 25.5, mean 181 / 6, 2 late.
    assert ["All suppliers", "6", "25.5", "30.2", "2", "33.3"] in rows
    assert ["Size unknown", "0", "", "", "0", ""] in rows
    value = list(csv.reader(io.StringIO(client.get("/en/figures/value.csv").content.decode())))
    assert ["CLP", "Large enterprise", "2", "1000.00", "62.5"] in value


def test_csv_refuses_bad_input(client: Client, world: FiguresWorld) -> None:
    assert client.get("/en/figures/payment.csv", {"period": "soon"}).status_code == 400
    assert client.get("/en/figures/nothing.csv").status_code == 404


def test_api(client: Client, world: FiguresWorld) -> None:
    response = client.get("/api/v1/figures", {"country": "cl", "period": "2026-Q3"})
    assert response.status_code == 200
    body = response.json()
    assert body["filters"] == {"country": "CL", "buyer": None, "period": "2026-Q3"}
    assert [figure["slug"] for figure in body["figures"]] == [
        "contracts",
        "value",
        "bids",
        "quick-quotes",
        "subcontracting",
        "payment",
    ]
    contracts = {row["group"]: row for row in body["figures"][0]["rows"]}
    assert contracts["msme"] == {
        "group": "msme",
        "label": "All MSMEs (micro, small, medium, self-employed)",
        "count": 2,
        "share": "66.7",
    }
    value = body["figures"][1]
    assert {"key": "value", "label": "Value", "kind": "money"} in value["columns"]
    assert {(r["currency"], r["group"], r["value"]) for r in value["rows"]} >= {
        ("CLP", "all", "900.00"),
        ("USD", "medium", "50.00"),
    }
    by_buyer = client.get("/api/v1/figures", {"buyer": world.a.pk}).json()
    payment = {row["group"]: row for row in by_buyer["figures"][5]["rows"]}
    assert payment["all"]["mean_days"] == "32.5"
    assert payment["unknown"]["median_days"] is None


@pytest.mark.parametrize(
    "query",
    [
        {"period": "2026-Q9"},
        {"country": "Chile"},
        {"buyer": "x"},
        {"buyer": "999999"},
        {"buyer": "172541539592627004580560896"},
        {"period": "1999"},
    ],
)
def test_api_refuses_bad_filters(client: Client, db: None, query: dict[str, str]) -> None:
    response = client.get("/api/v1/figures", query)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("lang", ["es", "pt-br", "fr"])
def test_the_page_in_every_language(client: Client, world: FiguresWorld, lang: str) -> None:
    response = client.get(f"/{lang}/figures/", {"period": "2026"})
    assert response.status_code == 200
    assert len(parse(response.content.decode()).tables) == 6
    assert client.get(f"/{lang}/figures/bids.csv").status_code == 200
