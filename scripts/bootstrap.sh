#!/usr/bin/env bash
# Installs everything Pregón needs into the repository: a Python 3.12+ virtual environment at
# .venv (from uv.lock), the front-end assets (from package-lock.json, with the one bundle esbuild
# builds) and compiled translations.
# Safe to run again: each step is skipped when it is already up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
groups="${1:-}"   # "dev" installs the development group too

find_python() {
    local candidate
    for candidate in python3.12 python3.13 python3.14 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            command -v "$candidate"; return 0
        fi
    done
    for candidate in "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
        if [ -x "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}

PYTHON=$(find_python) || {
    echo "error: Pregón needs Python 3.12 or newer. Install it (e.g. 'pyenv install 3.12') and run this again." >&2
    exit 1
}

# uv installs the locked packages; it lives in .tools so it never mixes with the project's venv.
if [ ! -x .tools/bin/uv ]; then
    echo "==> installing uv (package installer) into .tools/"
    "$PYTHON" -m venv .tools
    .tools/bin/pip install --quiet "uv==0.13.8"
fi
export UV_PYTHON="$PYTHON" UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy
echo "==> installing Python packages from uv.lock into .venv/"
if [ "$groups" = "dev" ]; then
    .tools/bin/uv sync --frozen --quiet
else
    # --inexact: `make run` after `make install-dev` keeps the development tools installed.
    .tools/bin/uv sync --frozen --quiet --no-default-groups --inexact
fi

# Where the SQLite database, uploads and collected static files go (docs/configuration.md).
mkdir -p "${PREGON_VAR_DIR:-var}"

# The vendor files are copied into the static tree and the sealed-bid bundle is built by esbuild
# (scripts/copy_assets.py); neither is committed.
echo "==> installing front-end assets from package-lock.json"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    command -v npm >/dev/null 2>&1 || { echo "error: npm is needed for the front-end assets (apt-get install npm)." >&2; exit 1; }
    npm ci --no-audit --no-fund --loglevel=error
fi
.venv/bin/python scripts/copy_assets.py

if [ -d src/pregon/locale ]; then
    echo "==> compiling translations"
    (cd src/pregon && ../../.venv/bin/pregon compilemessages --ignore="static/*" >/dev/null)
fi
