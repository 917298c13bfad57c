"""The figures page in a browser: the charts are drawn from the tables' data under the site's
CSP (no console error, no refused script or eval), and the browser fetches nothing beyond what
tests/figures/test_weight.py weighs (the page, its stylesheets and scripts, three fonts)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import assert_accessible
from tests.figures.test_weight import FACES, IMAGES, font_files
from tests.figures.world import build


def test_the_figures_page_draws_its_charts(live_server: Any, page: Any) -> None:
    build()
    fetched: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The first request of a live server finds the static files: slow on a busy machine.
    page.goto(f"{live_server.url}/en/figures/", timeout=60_000)
    page.wait_for_load_state("networkidle")
    for slug in ("contracts", "value", "bids", "payment"):
        chart = page.locator(f'[data-figure-chart="figure-{slug}-chart"] canvas')
        chart.wait_for()
        assert chart.bounding_box()["height"] > 50
    # The small world has no quick quote and no subcontract: nothing to draw, the table says so.
    for slug in ("quick-quotes", "subcontracting"):
        assert page.locator(f'[data-figure-chart="figure-{slug}-chart"] canvas').count() == 0
        assert page.locator(f"#figure-{slug}-table").is_visible()
    assert errors == []
    fonts = {url.removeprefix(live_server.url) for url in fetched if url.endswith(".woff2")}
    assert fonts <= {font_files()[face] for face in FACES}
    others = {
        url.removeprefix(live_server.url)
        for url in fetched
        if not url.endswith((".woff2", ".css", ".js", "/en/figures/", "favicon.ico"))
    }
    assert others <= IMAGES
    assert_accessible(page)
