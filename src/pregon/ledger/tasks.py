"""Background work of the transparency log: thin, idempotent wrappers over the services."""

from __future__ import annotations

from django.tasks import task

from pregon.ledger import services


@task()
def issue_checkpoint() -> int | None:
    """Sign a checkpoint if the log grew since the latest one; returns its size, or None.

    Appends sign their checkpoint right after commit; this is the safety net for a signing
    that failed there (enqueue it from a scheduler, or run `pregon log checkpoint`).
    """
    signed = services.checkpoint_issue()
    return None if signed is None else signed.size


@task()
def poll_witnessed_logs() -> list[str]:
    """Poll every watched log once and cosign; returns the origins that failed a check."""
    services.checkpoint_issue()
    return [result.origin for result in services.witness_poll_all() if not result.ok]
