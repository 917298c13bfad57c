"""Each move of the tenders' state table, tried through its service from each state.

An allowed move leaves the tender in the table's target state; a refused one raises
InvalidTransition with the move's own code and message and changes no row (the `refused`
fixture). The expected outcomes are written out here, apart from the table, so that a change
to the table or to a service shows up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition
from pregon.tenders import services
from pregon.tenders.models import Question, Tender
from pregon.tenders.services import AmendmentData, TenderChanges
from tests import factories

pytestmark = pytest.mark.django_db

STATES = ("draft", "active", "closed", "cancelled")
LABELS = {
    "draft": "draft",
    "active": "open for bids",
    "closed": "closed (deadline passed)",
    "cancelled": "cancelled",
}

# Where each move leads from the states it may start from; from any other state it is refused.
ALLOWED: dict[str, dict[str, str]] = {
    "publish": {"draft": "active"},
    "close": {"active": "closed"},
    "cancel": {"draft": "cancelled", "active": "cancelled", "closed": "cancelled"},
    "edit": {"draft": "draft"},
    "amend": {"active": "active"},
    "ask": {"active": "active"},
    "answer": {"active": "active", "closed": "closed"},
}

REFUSALS: dict[str, tuple[str, str]] = {
    "publish": ("cannot_publish", "Only a draft can be published; this tender is {status}."),
    "cancel": ("cannot_cancel", "This tender is already {status} and cannot be cancelled."),
    "edit": (
        "cannot_edit",
        "Only a draft can be edited; this tender is {status}. Use an amendment for an open tender.",
    ),
    "amend": ("cannot_amend", "Only an open tender can be amended; this tender is {status}."),
    "ask": ("questions_closed", "This tender does not accept questions."),
    "answer": ("cannot_answer", "Questions can no longer be answered on this tender."),
}


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def tender_in(state: str, buyer: Any) -> Tender:
    """A tender of `buyer` in `state`, built through the services, with one question waiting."""
    factory = {
        "draft": factories.TenderDraftFactory,
        "active": factories.TenderOpenFactory,
        "closed": factories.TenderClosedFactory,
        "cancelled": factories.TenderCancelledFactory,
    }[state]
    tender = factory(buyer=buyer)
    # Set up directly: on a draft or a cancelled tender no service would have let it be asked.
    Question.objects.create(tender=tender, number=1, text="¿Plazo?", asked_at=clock.now())
    return tender


def mover(name: str, official: Actor, supplier: Actor) -> Callable[[Tender], Any]:
    """The service call that makes the move `name`."""
    calls: dict[str, Callable[[Tender], Any]] = {
        "publish": lambda t: services.tender_publish(actor=official, tender=t),
        "cancel": lambda t: services.tender_cancel(actor=official, tender=t, reason="Desierta"),
        "edit": lambda t: services.tender_update(
            actor=official, tender=t, data=TenderChanges(title="Título corregido")
        ),
        "amend": lambda t: services.tender_amend(
            actor=official, tender=t, data=AmendmentData(reason="Corrección", title="Otro")
        ),
        "ask": lambda t: services.question_ask(actor=supplier, tender=t, text="¿Garantía?"),
        "answer": lambda t: services.question_answer(
            actor=official, question=t.questions.get(number=1), answer="Treinta días."
        ),
    }
    return calls[name]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", [name for name in ALLOWED if name != "close"])
def test_each_move_from_each_state(
    refused: Any,
    official_actor: Actor,
    supplier_actor: Actor,
    buyer: Any,
    name: str,
    state: str,
) -> None:
    tender = tender_in(state, buyer)
    call = mover(name, official_actor, supplier_actor)

    if state in ALLOWED[name]:
        call(tender)
        tender.refresh_from_db()
        assert tender.status == ALLOWED[name][state]
    else:
        code, message = REFUSALS[name]
        error = refused(InvalidTransition, code, call, tender)
        assert str(error) == message.format(status=LABELS[state])


@pytest.mark.parametrize("state", STATES)
def test_the_close_from_each_state(buyer: Any, state: str) -> None:
    # Closing is not refused but skipped: the task may run for a tender that moved meanwhile.
    tender = tender_in(state, buyer)
    with clock.at(tender.submission_deadline + dt.timedelta(minutes=1)):
        closed = services.tender_close_if_due(tender_id=tender.pk)
    status = tender.status
    tender.refresh_from_db()
    assert closed is (state in ALLOWED["close"])
    assert tender.status == ALLOWED["close"].get(state, status)


def test_every_change_counts_a_version(
    official_actor: Actor, supplier_actor: Actor, buyer: Any
) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer)
    versions = [tender.version]

    def changed(action: Callable[[], Any]) -> None:
        action()
        versions.append(Tender.objects.get(pk=tender.pk).version)

    lot = tender.lots.get()
    changed(
        lambda: services.tender_update(
            actor=official_actor, tender=tender, data=TenderChanges(title="Otro")
        )
    )
    changed(
        lambda: services.lot_save(
            actor=official_actor, tender=tender, data=services.LotData(title="Lote 2")
        )
    )
    changed(lambda: services.item_delete(actor=official_actor, item=lot.items.first()))
    changed(lambda: services.lot_delete(actor=official_actor, lot=tender.lots.get(number=2)))
    changed(lambda: services.tender_publish(actor=official_actor, tender=tender))
    question = services.question_ask(actor=supplier_actor, tender=tender, text="¿Plazo?")
    versions.append(Tender.objects.get(pk=tender.pk).version)
    changed(lambda: services.question_answer(actor=official_actor, question=question, answer="No"))
    changed(
        lambda: services.tender_amend(
            actor=official_actor, tender=tender, data=AmendmentData(reason="R", title="Tercero")
        )
    )
    changed(lambda: services.tender_cancel(actor=official_actor, tender=tender, reason="Desierta"))

    assert versions == list(range(1, 11))
