"""The audit log as a person reads it: actions, channels, object types, object names and
change summaries in the reader's language, and moments in a named zone.

The labels come from the vocabularies the apps register (`pregon.core.audit_vocabulary`); an
action or key that no app names reads as its code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pregon.core.actor import API_KEY_LABEL_PREFIX, SYSTEM_LABEL
from pregon.core.audit_vocabulary import action_labels, summary_choices, summary_key_labels
from pregon.core.choices import Channel
from pregon.core.models import AuditEvent
from pregon.core.time_zones import moment_text

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


def _model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _names_in_every_language(instance: models.Model) -> set[str]:
    names = set()
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(instance)[:300])
    return names


def object_names(events: Iterable[AuditEvent]) -> dict[int, str]:
    """Each event's object named in the active language: {event id: name}.

    A row keeps its object's name as recorded, in one language ("Question 3", or "Pregunta 3"
    on rows written before names were recorded in the platform's language). When the recorded
    name is the object's present name in one of the platform's languages, the object is named
    again in the reader's; any other recorded name (a tender's title since amended, an object
    since deleted) reads as recorded. One query per object type.
    """
    events = list(events)
    wanted: dict[str, set[Any]] = defaultdict(set)
    for event in events:
        model = _model_of(event.object_type)
        if model is None:
            continue
        try:
            wanted[event.object_type].add(model._meta.pk.to_python(event.object_id))
        except ValidationError:
            continue
    found: dict[tuple[str, str], models.Model] = {}
    for object_type, keys in wanted.items():
        model = _model_of(object_type)
        assert model is not None
        # Names such as a membership's read the objects it points to (user, organization).
        related = [
            field.name
            for field in model._meta.concrete_fields
            if field.many_to_one and not field.null
        ]
        for instance in model._base_manager.select_related(*related).filter(pk__in=keys):
            found[object_type, str(instance.pk)] = instance
    known = {key: _names_in_every_language(instance) for key, instance in found.items()}
    names: dict[int, str] = {}
    for event in events:
        key = (event.object_type, event.object_id)
        if key in found and event.object_repr in known[key]:
            names[event.pk] = str(found[key])[:300]
        else:
            names[event.pk] = event.object_repr
    return names


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
            return moment_text(moment)
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
