"""Copy the front-end files Pregón serves from node_modules into the static tree.

Only the built files are copied (a few hundred kilobytes), so pages stay light and no bundler is
needed. Run by scripts/bootstrap.sh after `npm ci`.
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "pregon" / "web" / "static" / "vendor"

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


def main() -> None:
    """Copy each file and tree, replacing what an earlier run left."""
    for source, target in FILES.items():
        destination = VENDOR / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / source, destination)
    for source, target in TREES.items():
        destination = VENDOR / target
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(MODULES / source, destination, ignore=SKIPPED)


if __name__ == "__main__":
    main()
