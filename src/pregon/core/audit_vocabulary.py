"""What each app's audit rows mean, declared by the app that writes them.

Services record codes (`tender.publish`, a summary key `award_criteria`, a value `open`); the
audit page shows them in the reader's language. Each app declares its own vocabulary in its
`choices.py` and registers it from its `apps.py`, so the audit app reads every label from here
and knows no app by name, and an app added later brings its labels with it.

This module imports no model: `apps.py` imports it while the models are still loading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True, kw_only=True)
class AuditVocabulary:
    """The labels of one app's audit rows.

    - `actions`: action code → readable name ("tender.publish" → "Tender published");
    - `summary_keys`: key of a change summary → readable name ("reference" → "Buyer's
      reference"), at the top level or inside "changes";
    - `summary_choices`: (object type, key) → the choices whose labels its coded values read as;
    - `owner_fields`: object type → the field naming the organization that owns such an
      object ("tenders.tender" → "buyer"), so that what the platform did to an organization's
      objects by itself (closing a tender at its deadline) shows in that organization's log.
    """

    actions: Mapping[str, Any] = field(default_factory=dict)
    summary_keys: Mapping[str, Any] = field(default_factory=dict)
    summary_choices: Mapping[tuple[str, str], type[models.TextChoices]] = field(
        default_factory=dict
    )
    owner_fields: Mapping[str, str] = field(default_factory=dict)


_REGISTERED: list[AuditVocabulary] = []


def audit_vocabulary_register(vocabulary: AuditVocabulary) -> None:
    """Add one app's vocabulary (called from its `AppConfig.ready`; a second call is a no-op)."""
    if vocabulary not in _REGISTERED:
        _REGISTERED.append(vocabulary)


def action_labels() -> dict[str, Any]:
    """Every registered action code with its (lazy) label."""
    return {code: label for entry in _REGISTERED for code, label in entry.actions.items()}


def summary_key_labels() -> dict[str, Any]:
    """Every registered summary key with its (lazy) label; the first app to name a key wins."""
    labels: dict[str, Any] = {}
    for entry in _REGISTERED:
        for key, label in entry.summary_keys.items():
            labels.setdefault(key, label)
    return labels


def summary_choices() -> dict[tuple[str, str], type[models.TextChoices]]:
    """Every registered (object type, key) whose values are codes of a set of choices."""
    return {pair: kind for entry in _REGISTERED for pair, kind in entry.summary_choices.items()}


def owner_fields() -> dict[str, str]:
    """Every registered object type with the field that names its owning organization."""
    return {kind: name for entry in _REGISTERED for kind, name in entry.owner_fields.items()}
