"""Fixtures of the contracts tests: an active award of an opened, evaluated and decided tender
(tests/contracts/world.py)."""

from __future__ import annotations

from tests.bids.conftest import _log_key

__all__ = ["_log_key"]
