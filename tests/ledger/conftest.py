"""Fixtures of the transparency-log tests that need Django (the test_log_* modules).

The pure-core tests (tests/tlog) do not use them and also run without Django.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from pregon.tlog.checkpoint import (
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
def log_settings(settings: Any, tmp_path: Any) -> Iterator[Any]:
    """This instance's log: a known origin and key, and a private var directory.

    Messages are compared in English: another test may have left a language active.
    """
    settings.PREGON_LOG_ORIGIN = ORIGIN
    settings.PREGON_LOG_SIGNER_KEY = format_signer_key(SIGNER)
    settings.VAR_DIR = tmp_path / "var"
    with translation.override("en"):
        yield settings


def data(n: int) -> bytes:
    """The bytes of the n-th test leaf."""
    return b'{"id":"leaf-%d"}' % n
