"""Background work of contracts. Tasks take ids and are thin, idempotent wrappers over services.

Only `services.notices` is imported: the module that schedules these tasks
(`services.contracts`) imports this one, never the other way round.
"""

from __future__ import annotations

from django.tasks import task

from pregon.contracts.services.notices import confirmation_request_email


@task()
def send_confirmation_request(contract_id: int) -> int:
    """E-mail the supplier that a signed contract awaits its confirmation (once); returns how
    many messages were sent."""
    return confirmation_request_email(contract_id=contract_id)
