"""Copy the front-end files Pregón serves from node_modules into the static tree, and build the one
bundle of our own.

The vendor files are copied as their packages ship them (a few hundred kilobytes), so pages stay
light. The browser side of sealed bids (assets/sealing, ES modules importing @hpke/core,
@hpke/dhkem-x25519, shamir-secret-sharing and @noble/hashes) is bundled by esbuild into one
minified script; like the vendor files it is built here, never committed. Run by
scripts/bootstrap.sh after `npm ci`.

The figures page's charts (assets/figures) are written in Vega-Lite (chart.vl.json), compiled to
Vega here by vega-lite's compiler (assets/figures/compile.mjs), and bundled with the parts of the
Vega runtime they need into figures/static/figures/charts.js: pages never load the Vega-Lite
compiler, which keeps the figures page under 300 KB transferred (docs/figures.md).
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "pregon" / "web" / "static" / "vendor"
ESBUILD = MODULES / ".bin" / "esbuild"
SEALING_SOURCE = ROOT / "assets" / "sealing" / "index.js"
SEALING_BUNDLE = ROOT / "src" / "pregon" / "bids" / "static" / "bids" / "sealing.js"
CHARTS_SOURCE = ROOT / "assets" / "figures"
CHARTS_BUNDLE = ROOT / "src" / "pregon" / "figures" / "static" / "figures" / "charts.js"

# The design system's minified files end with a sourceMappingURL comment, so their source maps
# come along: the hashing storage of production (ManifestStaticFilesStorage) follows that
# reference and refuses to collect a file whose map is missing.
FILES = {
    "@uswds/uswds/dist/css/uswds.min.css": "uswds/css/uswds.min.css",
    "@uswds/uswds/dist/css/uswds.min.css.map": "uswds/css/uswds.min.css.map",
    "@uswds/uswds/dist/js/uswds.min.js": "uswds/js/uswds.min.js",
    "@uswds/uswds/dist/js/uswds.min.js.map": "uswds/js/uswds.min.js.map",
    "@uswds/uswds/dist/js/uswds-init.min.js": "uswds/js/uswds-init.min.js",
    "@uswds/uswds/dist/js/uswds-init.min.js.map": "uswds/js/uswds-init.min.js.map",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    # The API documentation at /api/v1/docs (the bundle carries no sourceMappingURL; the CSS does).
    "swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt": "swagger-ui/swagger-ui-bundle.js.LICENSE.txt",
    "swagger-ui-dist/swagger-ui.css": "swagger-ui/swagger-ui.css",
    "swagger-ui-dist/swagger-ui.css.map": "swagger-ui/swagger-ui.css.map",
    "swagger-ui-dist/LICENSE": "swagger-ui/LICENSE",
}
TREES = {
    "@uswds/uswds/dist/img": "uswds/img",
    "@uswds/uswds/dist/fonts": "uswds/fonts",
}
# The raw Material icon set (2,100 files): the design system's CSS and sprite use its own
# usa-icons, and every static file is hashed and compressed at each `make run`.
SKIPPED = shutil.ignore_patterns("material-icons", "material-icons-deprecated")


def build_sealing() -> None:
    """Bundle assets/sealing into the bids app's static sealing.js (window.PregonSealing).

    ES2020 is what the platform's browsers all run (BigInt for X25519 included); the bundle is a
    classic script (iife), so a page loads it with a plain <script> tag.
    """
    if not ESBUILD.exists():
        sys.exit(
            "error: esbuild is missing from node_modules: run `npm ci` (scripts/bootstrap.sh)."
        )
    SEALING_BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 (fixed argv)
        [
            str(ESBUILD),
            str(SEALING_SOURCE),
            "--bundle",
            "--minify",
            "--format=iife",
            "--target=es2020",
            "--platform=browser",
            "--legal-comments=eof",
            "--log-level=warning",
            f"--outfile={SEALING_BUNDLE}",
        ],
        check=True,
        cwd=ROOT,
    )


def build_charts() -> None:
    """Compile the figures' Vega-Lite chart to Vega, then bundle it with the Vega runtime into
    the figures app's static charts.js (a classic script, like sealing.js)."""
    if not ESBUILD.exists():
        sys.exit(
            "error: esbuild is missing from node_modules: run `npm ci` (scripts/bootstrap.sh)."
        )
    compiled = CHARTS_SOURCE / "chart.vg.json"
    subprocess.run(  # noqa: S603 (fixed argv)
        [shutil.which("node") or "node", str(CHARTS_SOURCE / "compile.mjs"), str(compiled)],
        check=True,
        cwd=ROOT,
    )
    CHARTS_BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 (fixed argv)
        [
            str(ESBUILD),
            str(CHARTS_SOURCE / "index.js"),
            "--bundle",
            "--minify",
            "--format=iife",
            "--target=es2020",
            "--platform=browser",
            "--legal-comments=eof",
            "--log-level=warning",
            f"--outfile={CHARTS_BUNDLE}",
        ],
        check=True,
        cwd=ROOT,
    )


def main() -> None:
    """Copy each file and tree, replacing what an earlier run left, then build the bundle."""
    for source, target in FILES.items():
        destination = VENDOR / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / source, destination)
    for source, target in TREES.items():
        destination = VENDOR / target
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(MODULES / source, destination, ignore=SKIPPED)
    build_sealing()
    build_charts()


if __name__ == "__main__":
    main()
