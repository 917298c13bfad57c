"""Who is told when a record changes: the register of record observers.

Higher layers (the search index today, the alerts later) keep their own view of what is
published. Publication cannot import them, so each registers a callable from its
`AppConfig.ready` with `record_observer_register`; `services.publication_record` calls every
observer with the updated record inside the publishing transaction, so an observer's rows
exist if and only if the release does.
"""

from __future__ import annotations

from collections.abc import Callable

from pregon.publication.models import Record

#: Told of a record just created or updated with a new release (what it returns is ignored).
RecordObserver = Callable[[Record], object]

_OBSERVERS: list[RecordObserver] = []


def record_observer_register(observer: RecordObserver) -> None:
    """Add an observer (called from an `AppConfig.ready`; a second call is a no-op)."""
    if observer not in _OBSERVERS:
        _OBSERVERS.append(observer)


def record_observers_notify(record: Record) -> None:
    """Tell every registered observer, in registration order, that `record` changed."""
    for observer in _OBSERVERS:
        observer(record)


def record_observers() -> list[RecordObserver]:
    """The registered observers (for the commands that replay every record)."""
    return list(_OBSERVERS)
