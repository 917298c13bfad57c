"""Fixtures of the evaluation tests: an opened tender (tests/bids/opening_world.py)."""

from __future__ import annotations

from tests.bids.conftest import _log_key

__all__ = ["_log_key"]
