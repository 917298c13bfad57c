"""Browser journeys: Playwright driving Debian's chromium against pytest-django's live server.

Playwright's own browser download cannot work here, so the machine's /usr/bin/chromium is
launched headless. axe-core (from node_modules, installed by `npm ci`) checks every page a
journey visits.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from pregon.core import clock

playwright_sync = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("PREGON_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"chromium is missing at {CHROMIUM}; .ci/run installs it (apt-get install chromium)."
            )
        pytest.skip("chromium is not installed (apt-get install chromium)")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install-dev` (npm ci).")
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a browser context of its own: `new_page(locale="es-CL")`.

    Each context is one person (own cookies, own preferred language, sent as Accept-Language),
    so a journey can follow several people at once. Extra keyword arguments go to
    `browser.new_context` (e.g. `java_script_enabled=False`). All are closed after the test.
    """
    contexts: list[Any] = []

    def open_page(locale: str = "en-US", **options: Any) -> Any:
        context = browser.new_context(
            locale=locale, viewport={"width": 1280, "height": 900}, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> None:
    """Save a full-page screenshot when PREGON_SCREENSHOTS names a directory (for reviewing
    how pages look; nothing is saved otherwise)."""
    directory = os.environ.get("PREGON_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
        page.screenshot(path=str(Path(directory) / f"{safe}.png"), full_page=True)


# WCAG rules fail a page when their impact is serious or critical; the best-practice rules
# (heading order, one main landmark, content inside landmarks, ...) whatever their impact, as
# axe rates several of them "moderate": an h2 turned into an h4 is one.
SERIOUS = {"serious", "critical"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BEST_PRACTICE = "best-practice"


def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;undefined"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the current page: WCAG 2.0 to 2.2 A and AA rules (serious or critical
    violations) and its best-practice rules (every violation)."""
    # Evaluated through the DevTools protocol rather than added as a <script>: the pages'
    # Content-Security-Policy (rightly) refuses inline scripts.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations']})""",
        [*WCAG_TAGS, BEST_PRACTICE],
    )
    return [
        v
        for v in result["violations"]
        if v.get("impact") in SERIOUS or BEST_PRACTICE in v.get("tags", [])
    ]


def assert_accessible(page: Any) -> None:
    """Fail with a readable report when axe finds a violation (see `axe_violations`)."""
    violations = axe_violations(page)
    if violations:
        report = [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ]
        pytest.fail(f"axe-core on {page.url}:\n{json.dumps(report, indent=2)}")


# ---------------------------------------------------------------------------------------------
# the platform clock


@dataclass
class PlatformClock:
    """The platform's clock for the live server, moved forward as a journey needs time to pass
    (a bid deadline, the standstill period, an invoice's term).

    `clock.at` sets the moment for the calling thread only (a context variable), and the live
    server answers each request in a thread of its own; so, for the journey, the clock module's
    two readings are shifted for every thread: `clock.now` (through the `timezone` it reads,
    which also reaches the models' `default=clock.now`) and `clock.db_now`. Django's own
    times (sessions) and the authenticator's codes keep the real time. The clock is only moved
    once the world is built: inside a `clock.at` block, the shifted `db_now` would add the
    offset to the moment set.
    """

    offset: dt.timedelta = field(default_factory=dt.timedelta)

    def now(self) -> dt.datetime:
        return timezone.now() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def platform_clock(monkeypatch: pytest.MonkeyPatch) -> PlatformClock:
    moved = PlatformClock()
    real_db_now = clock.db_now
    monkeypatch.setattr(
        clock, "timezone", SimpleNamespace(now=moved.now, is_naive=timezone.is_naive)
    )
    monkeypatch.setattr(
        clock, "db_now", lambda using=DEFAULT_DB_ALIAS: real_db_now(using) + moved.offset
    )
    return moved
