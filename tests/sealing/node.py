"""Running the browser side of sealed bids in Node for the tests.

`bundle_run` loads the built bundle (src/pregon/bids/static/bids/sealing.js, what pages load) as a
classic script through tests/sealing/js/bundle.mjs and applies a list of operations to it; byte
strings travel as base64url without padding. The bundle is built by the set-up
(scripts/copy_assets.py), so a missing node or bundle fails the test instead of skipping it.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "src" / "pregon" / "bids" / "static" / "bids" / "sealing.js"
DRIVERS = Path(__file__).resolve().parent / "js"


def b64(data: bytes) -> str:
    """Base64url without padding, the byte string format of every sealed-bid JSON field."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def node_run(driver: str, payload: Any) -> Any:
    """Run tests/sealing/js/<driver> with ``payload`` as JSON on stdin; return its JSON output."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is missing: the browser bundle is built and tested with Node (apt-get install nodejs)."
        )
    completed = subprocess.run(
        [node, str(DRIVERS / driver)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    if completed.returncode != 0:
        pytest.fail(f"node {driver} failed:\n{completed.stderr}")
    return json.loads(completed.stdout)


def bundle_run(*operations: dict[str, Any]) -> list[dict[str, Any]]:
    """Apply ``operations`` ({"op": name, ...}, see js/bundle.mjs) to the built bundle, in order."""
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE.relative_to(ROOT)} is missing: run `make install` (it builds it).")
    results: list[dict[str, Any]] = node_run(
        "bundle.mjs", {"bundle": str(BUNDLE), "ops": list(operations)}
    )["results"]
    return results


def bundle_one(operation: str, **arguments: Any) -> dict[str, Any]:
    return bundle_run({"op": operation, **arguments})[0]
