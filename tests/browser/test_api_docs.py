"""The API documentation at /api/v1/docs, in a browser: it shows every operation, with every
file from this site and nothing refused by the Content-Security-Policy."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from pregon.api import SNAPSHOT

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_documentation_shows_every_operation_from_this_site_only(
    live_server: Any, page: Any
) -> None:
    origin = urlsplit(live_server.url).netloc
    requested: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    response = page.goto(f"{live_server.url}/api/v1/docs")

    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    operations = {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
    }
    summaries = page.locator(".opblock-summary")
    summaries.nth(len(operations) - 1).wait_for()
    # An operation with two tags is shown under each.
    shown = {
        f"{block.locator('.opblock-summary-method').inner_text()} "
        f"{block.locator('.opblock-summary-path').get_attribute('data-path')}"
        for block in summaries.all()
    }
    assert shown == operations
    assert page.locator("h1").inner_text().startswith("Pregón API")
    assert {urlsplit(url).netloc for url in requested if not url.startswith("data:")} == {origin}
    assert [line for line in console if line.startswith(("error", "pageerror"))] == []
