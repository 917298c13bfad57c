"""Copy the front-end files Pregón serves from node_modules into the static tree.

Only the built files are copied (a few hundred kilobytes), so pages stay light and no bundler is
needed. Run by scripts/bootstrap.sh after `npm ci`.
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "pregon" / "web" / "static" / "vendor"

FILES = {
    "@uswds/uswds/dist/css/uswds.min.css": "uswds/css/uswds.min.css",
    "@uswds/uswds/dist/js/uswds.min.js": "uswds/js/uswds.min.js",
    "@uswds/uswds/dist/js/uswds-init.min.js": "uswds/js/uswds-init.min.js",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
}
TREES = {
    "@uswds/uswds/dist/img": "uswds/img",
    "@uswds/uswds/dist/fonts": "uswds/fonts",
}


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
        shutil.copytree(MODULES / source, destination)


if __name__ == "__main__":
    main()
