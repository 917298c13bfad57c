"""Background work of subcontracting. Tasks take ids and are thin, idempotent-enough wrappers
over `notices` (each sends what the answer's state still calls for).

Only `notices` is imported: `services`, which enqueues these tasks, imports this module.
"""

from __future__ import annotations

from django.tasks import task

from pregon.subcontracting.notices import answer_chosen_email, answer_received_email


@task()
def send_answer_received(answer_id: int) -> int:
    """E-mail the poster that a supplier answered its sub-opportunity."""
    return answer_received_email(answer_id=answer_id)


@task()
def send_answer_chosen(answer_id: int) -> int:
    """E-mail the supplier whose answer was chosen."""
    return answer_chosen_email(answer_id=answer_id)
