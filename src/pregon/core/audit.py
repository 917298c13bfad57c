"""Writing the audit trail. Every service that makes an official change calls `audit_record`
inside its transaction, so the row exists if and only if the change does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation

from pregon.core.actor import Actor
from pregon.core.models import AuditEvent


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model,
    summary: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row for `action` (e.g. "tender.publish") on `target`.

    The object's name is recorded in the platform's language, whoever acted: a name made of
    words ("Question 3") would otherwise be frozen in the actor's language. The audit page
    names the object again in its reader's language (`pregon.audit.labels.object_names`).
    """
    with translation.override(settings.LANGUAGE_CODE):
        object_repr = str(target)[:300]
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        organization=actor.organization,
        channel=actor.channel,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=object_repr,
        summary=_jsonable(summary or {}),
        ip_address=actor.ip_address,
    )


def _jsonable(value: Any) -> Any:
    """Turn dates, decimals and model instances in a change summary into JSON values."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
