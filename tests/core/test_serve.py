"""`pregon serve` runs gunicorn and the task worker and stops both; `close_due_tenders` is the
deadline safety net it runs at start-up (and cron runs beside it)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from pregon.core import clock
from pregon.core.models import AuditEvent
from pregon.tenders import services
from pregon.tenders.models import Tender
from tests import factories

PREGON = Path(sys.executable).parent / "pregon"
# Variables of the test run that must not reach the server: it gets its own SQLite database.
_PRIVATE = (
    "DATABASE_URL",
    "REDIS_URL",
    "TASKS_BACKEND",
    "PREGON_ENV",
    "DEBUG",
    "PORT",
    "WEB_CONCURRENCY",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "ALLOWED_HOSTS",
)


# The server runs on its own SQLite database whatever the suite's database is: running these
# tests again in the PostgreSQL pass of the suite would only repeat them.
needs_sqlite_pass = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the server tests run once, in the SQLite pass"
)


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: Any) -> dict[str, str]:
    """An environment with a fresh SQLite database in a temporary var/, migrated, with the demo."""
    var = tmp_path_factory.mktemp("var")
    env = {key: value for key, value in os.environ.items() if key not in _PRIVATE}
    # The assertions read the English output, whatever the locale of the machine running them.
    env.update(PREGON_VAR_DIR=str(var), PREGON_ENV="development", PREGON_LANGUAGE="en")
    for command in (["migrate", "--no-input", "-v", "0"], ["demo", "--if-empty"]):
        subprocess.run(
            [str(PREGON), *command], env=env, check=True, timeout=300, stdout=subprocess.DEVNULL
        )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited and only waits for its parent to read its status.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


def _wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Served:
    def __init__(self, process: subprocess.Popen[bytes], log: Path, port: int) -> None:
        self.process, self.log, self.port = process, log, port

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pid(self, name: str) -> int:
        match = re.search(rf"Started the {name} \(process (\d+)\)", self.output())
        assert match, self.output()
        return int(match.group(1))

    def get(self, path: str) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as reply:
            return reply.status


@pytest.fixture
def served(server_env: dict[str, str], tmp_path: Path) -> Iterator[Served]:
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(PREGON), "serve", "--port", str(port), "--workers", "1"],
            env=server_env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Served(process, log, port)

    def ready() -> bool:
        assert process.poll() is None, server.output()
        try:
            server.get("/")
        except OSError:
            return False
        return "Started the witness loop" in server.output()

    try:
        _wait_until(ready, 90, "the server to answer")
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@needs_sqlite_pass
def test_serve_answers_pages_and_stops_every_process_on_sigterm(served: Served) -> None:
    web, worker = served.pid("web server"), served.pid("task worker")
    witness = served.pid("witness loop")
    assert _alive(web) and _alive(worker) and _alive(witness)
    assert served.get("/") == 200  # after the redirect to /en/
    assert served.get("/es/tenders/") == 200  # the demo's tenders listed
    output = served.output()
    assert "Closed 0 tenders whose deadline passed while the platform was stopped." in output
    assert f"Pregón is running at http://127.0.0.1:{served.port}/" in output
    # The demo's accounts are shown again, to sign in with.
    assert re.search(
        r"^Administrator +Pregón \(demo\) +admin@demo\.example +pregon-demo$", output, re.M
    )
    assert "Multi-factor sign-in is waived for these demo accounts" in output

    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=30) == 0
    _wait_until(
        lambda: not (_alive(web) or _alive(worker) or _alive(witness)), 10, "the children to end"
    )
    assert served.output().rstrip().endswith("Stopped.")


@needs_sqlite_pass
def test_when_a_child_dies_serve_stops_the_other_and_fails(served: Served) -> None:
    web, worker = served.pid("web server"), served.pid("task worker")
    os.kill(worker, signal.SIGKILL)
    assert served.process.wait(timeout=30) == 1
    _wait_until(lambda: not _alive(web), 10, "the web server to end")
    assert "The task worker stopped unexpectedly" in served.output()


def test_in_production_serve_wants_collected_static_files(settings: Any, tmp_path: Path) -> None:
    settings.PRODUCTION = True
    settings.STATIC_ROOT = tmp_path / "static"
    with pytest.raises(CommandError, match="collectstatic"):
        call_command("serve", "--no-worker", stdout=io.StringIO())


# ----------------------------------------------------------------------------------------------
# the deadline safety net


def _published_in_the_past(**fields: Any) -> Tender:
    """An open tender published a month ago whose deadline has just passed: a missed close."""
    month_ago = timezone.now() - dt.timedelta(days=30)
    tender = factories.TenderDraftFactory(
        enquiry_end=month_ago + dt.timedelta(days=10),
        submission_deadline=timezone.now() - dt.timedelta(minutes=5),
        **fields,
    )
    with clock.at(month_ago):
        services.tender_publish(actor=factories._buyer_actor(tender), tender=tender)
    return tender


@pytest.mark.django_db
def test_close_due_tenders_closes_exactly_the_tenders_past_their_deadline() -> None:
    due = _published_in_the_past()
    open_tender = factories.TenderOpenFactory()
    draft = factories.TenderDraftFactory(submission_deadline=timezone.now() - dt.timedelta(days=1),
                                         enquiry_end=timezone.now() - dt.timedelta(days=2),
                                         opening_at=timezone.now())  # fmt: skip
    cancelled = _published_in_the_past()
    services.tender_cancel(actor=factories._buyer_actor(cancelled), tender=cancelled, reason="x")
    closed_before = AuditEvent.objects.filter(action="tender.close").count()

    out = io.StringIO()
    call_command("close_due_tenders", stdout=out)

    assert out.getvalue() == "Closed 1 tender past its deadline.\n"
    statuses = dict(Tender.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: "closed",
        open_tender.pk: "active",
        draft.pk: "draft",
        cancelled.pk: "cancelled",
    }
    closes = AuditEvent.objects.filter(action="tender.close")
    assert closes.count() == closed_before + 1
    assert closes.get(object_id=str(due.pk)).actor_label == "system"

    again = io.StringIO()
    call_command("close_due_tenders", stdout=again)
    assert again.getvalue() == "Closed 0 tenders past their deadline.\n"
    assert AuditEvent.objects.filter(action="tender.close").count() == closed_before + 1
