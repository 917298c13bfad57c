"""The audit log as a person reads it: actions, channels, object types and change summaries in
the reader's language.

The labels come from the vocabularies the apps register (`pregon.core.audit_vocabulary`); an
action or key that no app names reads as its code.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pregon.core.actor import API_KEY_LABEL_PREFIX, SYSTEM_LABEL
from pregon.core.audit_vocabulary import action_labels, summary_choices, summary_key_labels
from pregon.core.choices import Channel

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def action_label(action: str) -> str:
    """The readable name of an action code."""
    label = action_labels().get(action)
    return str(label) if label is not None else action


def actor_display(actor_label: str) -> str:
    """Who acted, as a reader says it: the platform and API keys in words, people by e-mail."""
    if actor_label == SYSTEM_LABEL:
        return str(_("The platform itself"))
    if actor_label.startswith(API_KEY_LABEL_PREFIX):
        return str(_("API key %(prefix)s")) % {"prefix": actor_label[len(API_KEY_LABEL_PREFIX) :]}
    return actor_label


def channel_label(channel: str) -> str:
    """The readable name of a channel code ("web", "api"…); an unknown one shows its code."""
    return str(Channel(channel).label) if channel in Channel.values else channel


def object_type_label(object_type: str) -> str:
    """The readable name of an object type ("tenders.tender"): its model's verbose name.

    A type that names no installed model (a removed one, say) shows its code.
    """
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(str(model._meta.verbose_name))


class SummaryLine(NamedTuple):
    """One line of a change summary: the readable name, the key as recorded, the value."""

    name: str
    key: str
    text: str


def _readable(value: Any, choices: type[models.TextChoices] | None = None) -> str:
    """One value of a change summary as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if choices is not None and isinstance(value, str) and value in choices.values:
        return str(choices(value).label)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        return value
    if isinstance(value, list):
        # Labels may hold commas ("Read the organization's tenders, drafts included").
        separator = "; " if choices is not None else ", "
        return separator.join(_readable(item, choices) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{_name(key)}: {_readable(item)}" for key, item in value.items())
    return str(value)


def _name(key: str) -> str:
    label = summary_key_labels().get(key)
    return str(label) if label is not None else capfirst(key.replace("_", " "))


def summary_lines(summary: dict[str, Any], *, object_type: str = "") -> list[SummaryLine]:
    """A change summary as lines: changed fields read "old → new".

    `object_type` (e.g. "tenders.tender") lets the values that are codes (a status, a method)
    read as their labels.
    """
    lines: list[SummaryLine] = []

    def add(key: str, value: Any, *, change: bool = False) -> None:
        choices = summary_choices().get((object_type, key))
        if change and isinstance(value, list) and len(value) == 2:
            old, new = value
            text = f"{_readable(old, choices)} → {_readable(new, choices)}"
        else:
            text = _readable(value, choices)
        lines.append(SummaryLine(_name(key), key, text))

    for key, value in summary.items():
        if key == "changes" and isinstance(value, dict):
            for name, change in value.items():
                add(name, change, change=True)
        else:
            add(key, value)
    return lines
