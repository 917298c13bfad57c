"""Shared pieces of the sealing tests: a committee, a plain bid, and Node with the browser's Shamir."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pregon.sealing import Member, fingerprint, generate_member_key

REPO = Path(__file__).resolve().parents[2]
OCID = "ocds-b5fd17-000042"


@dataclass(frozen=True)
class Committee:
    """Key pairs of n members, in published order."""

    private_keys: list[bytes]
    members: list[Member]


def committee(size: int) -> Committee:
    """A committee of ``size`` members with fresh keys."""
    pairs = [generate_member_key() for _ in range(size)]
    return Committee(
        private_keys=[private for private, _ in pairs],
        members=[Member(fingerprint(public), public) for _, public in pairs],
    )


def plain_bid(documents: list[tuple[str, bytes]], *, ocid: str = OCID) -> dict[str, Any]:
    """A valid ``pregon-bid/1`` document describing ``documents``."""
    return {
        "format": "pregon-bid/1",
        "tender": ocid,
        "lots": [
            {"lot": "lot-1", "amount": "125000.50", "currency": "USD"},
            {"lot": "lot-2", "amount": "0", "currency": "USD"},
        ],
        "answers": [{"question": "q1", "answer": "Entrega en 30 días"}],
        "documents": [
            {
                "id": doc_id,
                "name": f"{doc_id}.pdf",
                "mediaType": "application/pdf",
                "size": len(data),
            }
            for doc_id, data in documents
        ],
    }


def run_node(script: str, payload: object) -> Any:
    """Run ``script`` (CommonJS) in Node from the repository, where ``node_modules`` is.

    The script reads ``payload`` as JSON on standard input and writes JSON on standard output.
    Skipped only when Node itself is missing; a missing npm package fails (the set-up installs
    it from package-lock.json).
    """
    node = shutil.which("node")
    if node is None:
        pytest.skip(
            "node is not installed; the interoperability check with the browser's library needs it"
        )
    completed = subprocess.run(
        [node, "-e", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)
