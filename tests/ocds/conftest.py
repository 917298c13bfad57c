"""Fixtures of the OCDS toolkit's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ocds.builders import interleaved_releases


def stale_kernels(source: Path) -> list[str]:
    """The Cython kernels under ``source`` whose built module is missing or older than the source."""
    stale = []
    for pyx in sorted(source.rglob("*.pyx")):
        built = [path.stat().st_mtime for path in pyx.parent.glob(f"{pyx.stem}.*.so")]
        if not built or min(built) < pyx.stat().st_mtime:
            stale.append(str(pyx.relative_to(source)))
    return stale


# The kernels are built by the install; an edited .pyx is only tested once it is built again.
if _stale := stale_kernels(Path(__file__).resolve().parents[2] / "src"):
    raise pytest.UsageError(
        f"compiled kernels older than their source: {', '.join(_stale)}. "
        "Rebuild them with `make install-dev` (or `.tools/bin/uv sync`), then run the tests again."
    )


@pytest.fixture
def releases() -> list[dict[str, Any]]:
    """Six releases of three processes, interleaved as a publisher emits them."""
    return interleaved_releases()
