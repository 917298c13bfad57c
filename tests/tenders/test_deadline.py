"""The deadline closes a tender by itself: publication schedules a task, the worker runs it.

Publication (and an amendment that moves the deadline) enqueues `close_tender_at_deadline` in
the database task backend after commit, to run at the deadline. The worker tests use committed
data (`transaction=True`) because the worker reads the queue in its own transactions.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.core.models import AuditEvent
from pregon.tenders import services, tasks
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender
from pregon.tenders.services import AmendmentData
from tests import factories

DAY = dt.timedelta(days=1)
TASK_PATH = "pregon.tenders.tasks.close_tender_at_deadline"


@pytest.fixture
def restore_signals() -> Iterator[None]:
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    names = [name for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)


def run_worker() -> None:
    """Run every task that is due, then stop (the worker `make run` starts, in batch mode)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def publish_at(moment: dt.datetime, tender: Tender, actor: Actor) -> None:
    with clock.at(moment):
        services.tender_publish(actor=actor, tender=tender)


def close_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at", "id"))


# ---------------------------------------------------------------------------------------------
# scheduling


@pytest.mark.parametrize("first", ["tasks", "services"])
def test_the_task_and_the_services_load_in_either_order(first: str) -> None:
    # The worker imports the task module first, the pages import the services first; the
    # services schedule the task and the task runs a service, without an import inside a
    # function.
    modules = {"tasks": "pregon.tenders.tasks", "services": "pregon.tenders.services"}
    script = (
        "import sys, django; django.setup()\n"
        "assert 'pregon.tenders.services' not in sys.modules, 'loaded by setup'\n"
        f"import {modules[first]}\n"
        "from pregon.tenders import services, tasks\n"
        "assert services.lifecycle.tasks.close_tender_at_deadline is tasks.close_tender_at_deadline\n"
        "assert tasks.tender_close_if_due is services.tender_close_if_due\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pregon.settings"}
    done = subprocess.run(  # a fresh interpreter: nothing imported yet
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db
def test_publishing_schedules_the_close_after_commit(
    official_actor: Actor, draft: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_publish(actor=official_actor, tender=draft)
        # Nothing reaches the queue before the transaction commits.
        assert close_tasks() == []

    [task] = close_tasks()
    assert task.args_kwargs == {"args": [draft.pk], "kwargs": {}}
    assert task.run_after == draft.submission_deadline
    assert task.status == "READY"
    assert task.queue_name == "default"
    assert task.backend_name == "default"
    # Not ready before the deadline.
    assert not DBTaskResult.objects.ready().filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_a_refused_publication_schedules_nothing(
    official_actor: Actor, buyer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, lots=0)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationFailed),
    ):
        services.tender_publish(actor=official_actor, tender=draft)
    assert callbacks == []
    assert close_tasks() == []


@pytest.mark.django_db
def test_a_rolled_back_publication_schedules_nothing(
    official_actor: Actor, draft: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.tender_publish(actor=official_actor, tender=draft)
        raise Abort
    assert callbacks == []
    assert close_tasks() == []
    draft.refresh_from_db()
    assert draft.status == TenderStatus.DRAFT


@pytest.mark.django_db
def test_an_amendment_that_moves_the_deadline_schedules_another_close(
    official_actor: Actor, open_tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    new_deadline = open_tender.submission_deadline + DAY
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_amend(
            actor=official_actor,
            tender=open_tender,
            data=AmendmentData(
                reason="Más plazo",
                submission_deadline=new_deadline,
                opening_at=new_deadline + DAY,
            ),
        )
    [task] = close_tasks()
    assert task.args_kwargs == {"args": [open_tender.pk], "kwargs": {}}
    assert task.run_after == new_deadline


# ---------------------------------------------------------------------------------------------
# the worker


@pytest.mark.django_db(transaction=True)
def test_the_worker_closes_a_due_tender_and_not_an_extended_one(restore_signals: None) -> None:
    now = timezone.now()
    buyer = factories.BuyerFactory()
    actor = Actor(user=factories.member(buyer, "buyer_official"), organization=buyer)
    # Both were published 30 days ago with a deadline that passed a minute ago.
    due = factories.TenderDraftFactory(
        buyer=buyer,
        enquiry_end=now - 5 * DAY,
        submission_deadline=now - dt.timedelta(minutes=1),
    )
    extended = factories.TenderDraftFactory(
        buyer=buyer,
        enquiry_end=now - 5 * DAY,
        submission_deadline=now - dt.timedelta(minutes=1),
    )
    publish_at(now - 30 * DAY, due, actor)
    publish_at(now - 30 * DAY, extended, actor)
    # Two days before its deadline, `extended` changed what bidders must offer: the amendment
    # moved its deadline five days on, past today.
    with clock.at(now - 2 * DAY):
        services.tender_amend(
            actor=actor,
            tender=extended,
            data=AmendmentData(reason="Nuevas exigencias", description="Incluye instalación."),
        )
    extended.refresh_from_db()
    assert extended.submission_deadline == now + 3 * DAY
    assert [(t.args_kwargs["args"], t.run_after) for t in close_tasks()] == [
        ([due.pk], due.submission_deadline),
        ([extended.pk], now - dt.timedelta(minutes=1)),
        ([extended.pk], extended.submission_deadline),
    ]

    run_worker()

    due.refresh_from_db()
    extended.refresh_from_db()
    assert due.status == TenderStatus.CLOSED
    assert due.closed_at is not None
    assert now <= due.closed_at <= timezone.now()
    assert extended.status == TenderStatus.ACTIVE
    assert extended.closed_at is None
    first, stale, pending = close_tasks()
    assert (first.status, first.return_value) == ("SUCCESSFUL", True)
    assert (stale.status, stale.return_value) == ("SUCCESSFUL", False)
    assert (pending.status, pending.run_after) == ("READY", extended.submission_deadline)
    [row] = AuditEvent.objects.filter(action="tender.close")
    assert (row.object_id, row.actor, row.actor_label, row.organization, row.channel) == (
        str(due.pk),
        None,
        "system",
        None,
        "task",
    )
    assert row.summary == {"deadline": due.submission_deadline.isoformat()}

    # Running it again changes nothing: the remaining task is not due.
    run_worker()
    assert Tender.objects.get(pk=extended.pk).status == TenderStatus.ACTIVE
    assert AuditEvent.objects.filter(action="tender.close").count() == 1


@pytest.mark.django_db
def test_the_close_task_is_idempotent() -> None:
    tender = factories.TenderClosedFactory()
    assert tender.status == TenderStatus.CLOSED
    assert tasks.close_tender_at_deadline.call(tender.pk) is False
    assert AuditEvent.objects.filter(action="tender.close").count() == 1


# ---------------------------------------------------------------------------------------------
# the safety net


@pytest.mark.django_db
def test_tenders_close_due_closes_exactly_the_due_ones(buyer: Any, official: Any) -> None:
    now = timezone.now().replace(microsecond=0)
    actor = Actor(user=official, organization=buyer)

    def published(deadline: dt.datetime) -> Tender:
        tender = factories.TenderDraftFactory(
            buyer=buyer, enquiry_end=deadline - DAY, submission_deadline=deadline
        )
        publish_at(deadline - 20 * DAY, tender, actor)
        return tender

    due_long_ago = published(now - 3 * DAY)
    due_just_now = published(now)
    not_yet = published(now + dt.timedelta(seconds=1))
    draft_past_deadline = factories.TenderDraftFactory(
        buyer=buyer, enquiry_end=now - 2 * DAY, submission_deadline=now - DAY
    )
    cancelled = published(now - DAY)
    services.tender_cancel(actor=actor, tender=cancelled, reason="Desierta")
    already_closed = factories.TenderClosedFactory(buyer=buyer)
    closed_at = already_closed.closed_at

    with clock.at(now):
        assert services.tenders_close_due() == 2
        assert services.tenders_close_due() == 0

    statuses = {
        tender.pk: Tender.objects.get(pk=tender.pk).status
        for tender in (
            due_long_ago,
            due_just_now,
            not_yet,
            draft_past_deadline,
            cancelled,
            already_closed,
        )
    }
    assert statuses == {
        due_long_ago.pk: TenderStatus.CLOSED,
        due_just_now.pk: TenderStatus.CLOSED,
        not_yet.pk: TenderStatus.ACTIVE,
        draft_past_deadline.pk: TenderStatus.DRAFT,
        cancelled.pk: TenderStatus.CANCELLED,
        already_closed.pk: TenderStatus.CLOSED,
    }
    assert Tender.objects.get(pk=due_long_ago.pk).closed_at == now
    assert Tender.objects.get(pk=already_closed.pk).closed_at == closed_at
    rows = AuditEvent.objects.filter(action="tender.close", created_at=now).order_by("object_id")
    assert [(r.object_id, r.actor, r.actor_label, r.organization, r.channel) for r in rows] == [
        (str(pk), None, "system", None, "task")
        for pk in sorted([due_long_ago.pk, due_just_now.pk], key=str)
    ]


@pytest.mark.django_db
def test_the_safety_net_task_calls_the_same_service(open_tender: Tender) -> None:
    with clock.at(open_tender.submission_deadline):
        assert tasks.close_due_tenders.call() == 1
    open_tender.refresh_from_db()
    assert open_tender.status == TenderStatus.CLOSED


# ---------------------------------------------------------------------------------------------
# the database's clock decides


def _deadline_from_database(tender: Tender, offset: dt.timedelta) -> dt.datetime:
    """Put the tender's deadline `offset` from the database's time; returns the database's time."""
    database_now = clock.db_now()
    Tender.objects.filter(pk=tender.pk).update(
        submission_deadline=database_now + offset,
        enquiry_end=database_now + offset - dt.timedelta(hours=1),
        opening_at=database_now + offset + dt.timedelta(hours=1),
    )
    return database_now


@pytest.mark.django_db
def test_a_worker_clock_running_ahead_does_not_close_a_tender_still_open(
    open_tender: Tender, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_now = _deadline_from_database(open_tender, dt.timedelta(minutes=30))
    # This process's clock is two hours ahead of the database's: past the deadline for it.
    monkeypatch.setattr(clock, "now", lambda: database_now + dt.timedelta(hours=2))

    assert services.tender_close_if_due(tender_id=open_tender.pk) is False
    assert services.tenders_close_due() == 0
    assert tasks.close_tender_at_deadline.call(open_tender.pk) is False
    open_tender.refresh_from_db()
    assert (open_tender.status, open_tender.closed_at) == (TenderStatus.ACTIVE, None)
    assert not AuditEvent.objects.filter(action="tender.close").exists()


@pytest.mark.django_db
def test_a_worker_clock_running_behind_still_closes_at_the_database_deadline(
    open_tender: Tender, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_now = _deadline_from_database(open_tender, -dt.timedelta(minutes=30))
    # This process's clock is two hours behind: for it the deadline is still ahead.
    monkeypatch.setattr(clock, "now", lambda: database_now - dt.timedelta(hours=2))

    assert services.tenders_close_due() == 1
    open_tender.refresh_from_db()
    assert open_tender.status == TenderStatus.CLOSED
    # Closed at the database's time, not at the lagging process's.
    assert open_tender.closed_at is not None
    assert database_now <= open_tender.closed_at <= clock.db_now()
    assert AuditEvent.objects.filter(action="tender.close", object_id=str(open_tender.pk)).exists()
