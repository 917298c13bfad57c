"""Fixtures of the transparency-log tests that need Django (the test_log_* modules).

The pure-core tests (test_ledger_*) do not use them and also run without Django.
"""

from __future__ import annotations

from typing import Any

import pytest

from pregon.ledger.checkpoint import (
    ALG_ED25519,
    SignerKey,
    format_signer_key,
    format_verifier_key,
)

ORIGIN = "log.example.org/pregon/log"
# Fixed seeds, so expected signatures and key ids are the same on every run.
SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(32)))
NEXT_SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(32, 64)))
VKEY = format_verifier_key(SIGNER.verifier)


@pytest.fixture
def log_settings(settings: Any, tmp_path: Any) -> Any:
    """This instance's log: a known origin and key, and a private var directory."""
    settings.PREGON_LOG_ORIGIN = ORIGIN
    settings.PREGON_LOG_SIGNER_KEY = format_signer_key(SIGNER)
    settings.VAR_DIR = tmp_path / "var"
    return settings


def data(n: int) -> bytes:
    """The bytes of the n-th test leaf."""
    return b'{"id":"leaf-%d"}' % n
