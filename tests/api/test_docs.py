"""The human-readable API documentation at /api/v1/docs (issue 9, item 13): Swagger UI from
files this site serves (installed from npm), under the site's Content-Security-Policy.

tests/browser/test_api_docs.py opens it in Chromium; this test needs no browser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The addresses a page refers to, and what it would run or style inline."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str]] = []
        self.inline: list[str] = []
        self.data: dict[str, str] = {}
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "href"):
            if name in values:
                self.references.append((tag, values[name]))
        if tag == "script" and "src" not in values:
            self.inline.append("<script> without src")
        if tag == "style" or "style" in values:
            self.inline.append(f"style in <{tag}>")
        self.inline.extend(f"{name} on <{tag}>" for name in values if name.startswith("on"))
        if values.get("id") == "api-docs":
            self.data = {k: v for k, v in values.items() if k.startswith("data-")}


def test_the_documentation_is_served_with_the_sites_own_files(client: Client) -> None:
    response = client.get("/api/v1/docs", headers={"Accept-Language": "es"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe" not in policy
    page = _Page()
    page.feed(response.content.decode())
    assert page.inline == []
    assert page.data["data-openapi-url"] == "/api/v1/openapi.json"
    assert sorted(url for _, url in page.references) == [
        "/api/v1/openapi.json",
        "/favicon.ico",
        "/static/pregon/api-docs.css",
        "/static/pregon/api-docs.js",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
    ]
    with translation.override("es"):
        title = gettext("%(title)s documentation") % {"title": "Pregón API"}
    assert f"<title>{title}</title>" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "media_type", "start"),
    [
        ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "text/javascript", b"/*! For license"),
        ("/static/vendor/swagger-ui/swagger-ui.css", "text/css", b".swagger-ui"),
        ("/static/pregon/api-docs.js", "text/javascript", b"// Starts Swagger UI"),
        ("/static/pregon/api-docs.css", "text/css", b"/* /api/v1/docs"),
    ],
)
def test_each_file_of_the_documentation_is_served_here(
    client: Client, path: str, media_type: str, start: bytes
) -> None:
    response: Any = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == media_type
    assert b"".join(response.streaming_content).startswith(start)


def test_the_documentation_is_a_read(client: Client) -> None:
    assert client.head("/api/v1/docs").status_code == 200
    refused = client.post("/api/v1/docs")
    assert refused.status_code == 405
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["Allow"] == "GET, HEAD"
