"""Background work of publication. Tasks are thin, idempotent wrappers over services."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from pregon.publication.bulk import bulk_files_generate


@task()
def regenerate_bulk_files() -> dict[str, Any]:
    """Write the bulk files afresh (enqueued, debounced, after each publication commits)."""
    manifest = bulk_files_generate()
    return {
        "generation": manifest.generation,
        "releases": manifest.releases,
        "records": manifest.records,
    }
