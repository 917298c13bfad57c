"""Two API updates of one tender sent at once both survive.

Each request runs in its own thread with its own database connection, as two server workers
would. A barrier holds both until each has read the tender, so the interleaving that lost an
update (both read, then both write) happens every time rather than by chance.

On PostgreSQL the threads connect to the test database. SQLite's in-memory test database
(shared cache) refuses a second writer at once instead of queuing it, so there the threads use
a copy of it in a file, which queues writers as the real database does.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from pregon.core.models import AuditEvent
from pregon.tenders import services
from pregon.tenders.models import Tender
from tests import factories
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db(transaction=True)


def _database_for_threads(tmp_path: Path) -> dict[str, Any] | None:
    """Connection settings for the worker threads: None keeps the test database's own."""
    if connection.vendor != "sqlite":
        return None
    copy = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    target.close()
    return {**connection.settings_dict, "NAME": str(copy)}


def _in_threads(database: dict[str, Any] | None, *work: Callable[[], None]) -> None:
    """Run each callable in its own thread with its own connection; re-raise any failure."""
    failures: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        if database is not None:
            connections["default"] = type(connections["default"])(database, "default")
        try:
            job()
        except BaseException as error:  # handed to the test's thread, which re-raises it
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    if failures:
        raise failures[0]


def test_two_patches_sent_together_both_survive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, issue_key: Callable[..., str]
) -> None:
    buyer = factories.BuyerFactory()
    token = issue_key(buyer, ["tenders:read", "tenders:write"])
    draft = factories.TenderDraftFactory(buyer=buyer)
    database = _database_for_threads(tmp_path)

    both_read = threading.Barrier(2, timeout=20)
    update = services.tender_update

    def after_both_read(**kwargs: Any) -> Any:
        # Each request has read the tender (to find it) before either changes it.
        both_read.wait()
        return update(**kwargs)

    monkeypatch.setattr(services, "tender_update", after_both_read)
    statuses: dict[str, int] = {}

    def send(name: str, body: dict[str, str]) -> Callable[[], None]:
        def job() -> None:
            response = Client().patch(
                f"/api/v1/tenders/{draft.pk}",
                json.dumps(body),
                content_type="application/json",
                headers=bearer(token),
            )
            statuses[name] = response.status_code

        return job

    _in_threads(
        database,
        send("title", {"title": "Computadores portátiles"}),
        send("description", {"description": "Con estación de acoplamiento."}),
    )

    assert statuses == {"title": 200, "description": 200}
    found: dict[str, Any] = {}

    def read() -> None:
        found.update(
            Tender.objects.filter(pk=draft.pk).values("title", "description", "version").get()
        )
        found["updates"] = AuditEvent.objects.filter(action="tender.update").count()

    _in_threads(database, read)
    assert found == {
        "title": "Computadores portátiles",
        "description": "Con estación de acoplamiento.",
        "version": 3,
        "updates": 2,
    }
