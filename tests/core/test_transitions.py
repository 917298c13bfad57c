"""The state-machine helper every app uses (pregon.core.transitions), on a table of its own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pregon.core.errors import InvalidTransition
from pregon.core.transitions import Transition, can_transition, transition, transitions_from

TABLE = {
    "open": Transition(
        sources=frozenset({"shut"}),
        target="open",
        refusal="Only a shut door opens; it is %(status)s.",
    ),
    "lock": Transition(
        sources=frozenset({"shut"}), target="locked", refusal="Cannot lock.", code="jammed"
    ),
    "knock": Transition(
        sources=frozenset({"shut", "locked"}), target=None, refusal="Nobody hears a knock."
    ),
}


@dataclass
class Door:
    state: str

    def get_state_display(self) -> str:
        return {"shut": "Shut", "open": "Wide Open", "locked": "Locked"}[self.state]


@dataclass
class Gate:
    """No display method: refusals name the raw state."""

    status: str


def test_an_allowed_move_sets_the_target_and_returns_the_state_left() -> None:
    door = Door("shut")
    assert transition(door, "open", TABLE, field="state") == "shut"
    assert door.state == "open"


def test_a_move_without_target_keeps_the_state() -> None:
    door = Door("locked")
    assert transition(door, "knock", TABLE, field="state") == "locked"
    assert door.state == "locked"


def test_a_refused_move_names_the_state_and_changes_nothing() -> None:
    door = Door("open")
    with pytest.raises(InvalidTransition) as refused:
        transition(door, "open", TABLE, field="state")
    assert (str(refused.value), refused.value.code) == (
        "Only a shut door opens; it is wide open.",
        "cannot_open",
    )
    assert door.state == "open"


def test_a_move_may_name_its_own_code_and_the_field_defaults_to_status() -> None:
    gate = Gate(status="open")
    with pytest.raises(InvalidTransition) as refused:
        transition(gate, "lock", TABLE)
    assert (str(refused.value), refused.value.code) == ("Cannot lock.", "jammed")
    with pytest.raises(InvalidTransition) as refused:
        transition(gate, "open", TABLE)
    assert str(refused.value) == "Only a shut door opens; it is open."


def test_which_moves_a_state_allows() -> None:
    assert transitions_from("shut", TABLE) == {"open", "lock", "knock"}
    assert transitions_from("locked", TABLE) == {"knock"}
    assert transitions_from("open", TABLE) == set()
    assert can_transition(Gate("locked"), "knock", TABLE)
    assert not can_transition(Gate("locked"), "open", TABLE)
    with pytest.raises(KeyError):
        can_transition(Gate("shut"), "slam", TABLE)
