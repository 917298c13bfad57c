"""State machines from one table: each move names the states it may start from and the state it
leads to, and one helper checks the first and sets the second.

An app writes its table in `choices.py` (`TRANSITIONS: dict[str, Transition]`), draws the diagram
in its model's docstring, and every service that changes the state calls `transition(...)` on
the row it locked. A refused move raises `InvalidTransition` (409) with the move's own
translated message, in which `%(status)s` names the state the object is in.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from pregon.core.errors import InvalidTransition


@dataclass(frozen=True, kw_only=True)
class Transition:
    """One move of a state machine.

    `target` None: the move leaves the state as it is (an amendment of an open tender, an
    answer to a question), yet may start only from `sources`. `code` defaults to
    "cannot_<name>".
    """

    sources: frozenset[str]
    target: str | None
    refusal: str | Promise
    code: str = ""


type TransitionTable = Mapping[str, Transition]


def transition(obj: Any, name: str, table: TransitionTable, *, field: str = "status") -> str:
    """Move `obj` along `name`: check its state against the table and set the target.

    Returns the state it left. The caller saves the object (it holds its row lock).
    """
    move = table[name]
    current = str(getattr(obj, field))
    if current not in move.sources:
        raise InvalidTransition(
            move.refusal % {"status": _state_label(obj, field)},
            code=move.code or f"cannot_{name}",
        )
    if move.target is not None:
        setattr(obj, field, move.target)
    return current


def can_transition(obj: Any, name: str, table: TransitionTable, *, field: str = "status") -> bool:
    """Whether `obj`'s state allows the move `name` now."""
    return str(getattr(obj, field)) in table[name].sources


def transitions_from(state: str, table: TransitionTable) -> Collection[str]:
    """The names of the moves that may start from `state`."""
    return frozenset(name for name, move in table.items() if state in move.sources)


def _state_label(obj: Any, field: str) -> str:
    # A model's choices field has a display method; anything else shows its value.
    display = getattr(obj, f"get_{field}_display", None)
    label = display() if callable(display) else getattr(obj, field)
    return str(label).lower()
