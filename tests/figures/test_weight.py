"""The figures page weighs under 300 KB transferred: its HTML, every stylesheet and script it
loads (the charts' bundle included), and the web fonts a browser fetches to draw it, each
gzip-compressed as WhiteNoise serves them (level 9; Brotli, when the browser takes it, is
smaller still). tests/browser/test_figures.py checks that a browser fetches nothing else."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.figures.world import FiguresWorld

pytestmark = pytest.mark.django_db

LIMIT = 300_000  # bytes
ROOT = Path(__file__).resolve().parents[2]
USWDS_CSS = ROOT / "src/pregon/web/static/vendor/uswds/css/uswds.min.css"
#: The faces the page's text uses (body text regular and bold, headings bold), as Chromium
#: fetches them (checked by tests/browser/test_figures.py).
FACES = {
    ("Source Sans Pro Web", "normal", "400"),
    ("Source Sans Pro Web", "normal", "700"),
    ("Merriweather Web", "normal", "700"),
}
#: The images the stylesheet makes the browser fetch for this page (the selects' arrows).
IMAGES = {"/static/vendor/uswds/img/usa-icons/unfold_more.svg"}


def font_files() -> dict[tuple[str, str, str], str]:
    """(family, style, weight) → the woff2 file USWDS's CSS names for it (a static path)."""
    faces = {}
    for rule in re.findall(r"@font-face\{([^}]*)\}", USWDS_CSS.read_text()):
        family = re.search(r'font-family:"([^"]+)"', rule)
        style = re.search(r"font-style:(\w+)", rule)
        weight = re.search(r"font-weight:(\d+)", rule)
        source = re.search(r"url\(\.\./fonts/([^)]+\.woff2)\)", rule)
        if family and style and weight and source:
            faces[family[1], style[1], weight[1]] = f"/static/vendor/uswds/fonts/{source[1]}"
    return faces


def transferred(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if url.endswith(".woff2"):
        return len(body)  # already compressed: served as it is
    return len(gzip.compress(body, compresslevel=9))


def page_weight(client: Client, url: str) -> dict[str, int]:
    html = client.get(url).content.decode()
    weights = {url: len(gzip.compress(html.encode(), compresslevel=9))}
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script src="([^"]+)"', html)
    for asset in assets:
        weights[asset] = transferred(client, asset)
    fonts = font_files()
    for asset in [*(fonts[face] for face in FACES), *IMAGES]:
        weights[asset] = transferred(client, asset)
    return weights


def test_the_figures_page_weighs_under_300_kb(client: Client, world: FiguresWorld) -> None:
    weights = page_weight(client, "/en/figures/")
    assert any(asset.endswith("figures/charts.js") for asset in weights), (
        "the charts' bundle is missing: run scripts/copy_assets.py"
    )
    total = sum(weights.values())
    assert total < LIMIT, "\n".join(f"{size:>8} {asset}" for asset, size in weights.items())
