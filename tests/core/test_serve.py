"""`pregon serve` runs gunicorn and the task worker and stops both; `close_due_tenders` is the
deadline safety net it runs at start-up (and cron runs beside it)."""

from __future__ import annotations

import datetime as dt
import gzip
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from pregon.core import clock
from pregon.core.models import AuditEvent
from pregon.ledger.keys import log_origin
from pregon.site.management.commands.serve import follow_served_address, served_url
from pregon.tenders import services
from pregon.tenders.models import Tender
from tests import factories

PREGON = Path(sys.executable).parent / "pregon"
REPO = Path(__file__).resolve().parents[2]
# Variables of the test run that must not reach the server: it gets its own SQLite database.
_PRIVATE = (
    "DATABASE_URL",
    "REDIS_URL",
    "TASKS_BACKEND",
    "PREGON_ENV",
    "PREGON_DEBUG",
    "PORT",
    "SITE_URL",
    "WEB_CONCURRENCY",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "ALLOWED_HOSTS",
    "PREGON_PUBLISHER_URI",
    "PREGON_PUBLICATION_POLICY_URL",
    "PREGON_LOG_ORIGIN",
    # A `make test` around this run must not leak its flags into the `make run` below.
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
)


# The server runs on its own SQLite database whatever the suite's database is: running these
# tests again in the PostgreSQL pass of the suite would only repeat them.
needs_sqlite_pass = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the server tests run once, in the SQLite pass"
)


@dataclass
class MadeRun:
    """What `PORT=<port> make run` did before serving, and how it would start the server."""

    env: dict[str, str]
    port: int
    output: str
    serve: list[str]


@pytest.fixture(scope="module")
def made_run(tmp_path_factory: Any) -> MadeRun:
    """`PORT=<a free port> make run` on a fresh SQLite database in a temporary var/.

    The real Makefile runs, with its own environment (what it exports), but the installation is
    taken as done (`-o install`) and `pregon` is a stand-in that runs the real command for every
    step except `serve`, which it only records: the tests start that themselves.
    """
    var = tmp_path_factory.mktemp("var")
    stand_in = tmp_path_factory.mktemp("bin")
    record = stand_in / "serve.txt"
    script = stand_in / "pregon"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = serve ]; then\n'
        f'    {{ echo "$PORT"; echo "$SITE_URL"; echo "$@"; }} > "{record}"; exit 0\n'
        "fi\n"
        f'exec "{PREGON}" "$@"\n'
    )
    script.chmod(0o755)
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in _PRIVATE}
    # The assertions read the English output, whatever the locale of the machine running them.
    env.update(PREGON_VAR_DIR=str(var), PREGON_LANGUAGE="en", PORT=str(port))
    made = subprocess.run(
        ["make", "--no-print-directory", "-o", "install", "run", f"VENV={stand_in}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    exported_port, site_url, command = record.read_text().splitlines()
    # Every step of `make run` sees the port, so the demo publishes the address served.
    assert (exported_port, site_url) == (str(port), "")
    return MadeRun(env=env, port=port, output=made.stdout, serve=command.split())


def _free_port() -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port != 8000:  # the default, which every published address must not say by mistake
            return port


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


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


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

    def stop(self) -> None:
        """Stop the server as an operator would (SIGTERM), and leave no child running either.

        The children have process groups of their own: killing `pregon serve` alone would leave
        them running.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in re.findall(r"^Started the .+ \(process (\d+)\)\.$", self.output(), re.M):
            if _alive(int(pid)):
                os.kill(int(pid), signal.SIGKILL)

    def fetch(self, path: str, **headers: str) -> Reply:
        """One request, redirects not followed, whatever the status."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "identity", **headers})
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()


@pytest.fixture
def served(made_run: MadeRun, tmp_path: Path) -> Iterator[Served]:
    """The server `make run` starts, as it starts it (one web worker, to spare the machine)."""
    assert made_run.serve == ["serve", "--port", str(made_run.port)]
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(PREGON), *made_run.serve, "--workers", "1"],
            env=made_run.env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Served(process, log, made_run.port)

    def ready() -> bool:
        assert process.poll() is None, server.output()
        try:
            server.get("/")
        except OSError:
            return False
        return "Started the witness loop" in server.output()

    try:
        try:
            _wait_until(ready, 120, "the server to answer")
        except AssertionError as error:
            raise AssertionError(f"{error}:\n{server.output()}") from None
        yield server
    finally:
        server.stop()


@needs_sqlite_pass
def test_serve_answers_pages_and_stops_every_process_on_sigterm(
    made_run: MadeRun, served: Served
) -> None:
    web, worker = served.pid("web server"), served.pid("task worker")
    witness = served.pid("witness loop")
    assert _alive(web) and _alive(worker) and _alive(witness)
    assert served.get("/") == 200  # after the redirect to /en/
    assert served.get("/es/tenders/") == 200  # the demo's tenders listed
    output = served.output()
    assert "Closed 0 tenders whose deadline passed while the platform was stopped." in output
    assert "0 rights to cover lapsed: their deadlines passed without an answer." in output
    assert f"Pregón is running at http://127.0.0.1:{served.port}/" in output
    # The demo's accounts are shown once, by the server, to sign in with.
    everything = made_run.output + output
    assert everything.count("Demo accounts:") == 1
    assert (
        len(re.findall(r"^Administrator +Pregón \(demo\) +admin@demo\.example +pregon-demo$",
                       everything, re.M)) == 1
    )  # fmt: skip
    assert output.count("Multi-factor sign-in is waived for these demo accounts") == 1

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


@needs_sqlite_pass
def test_make_run_shows_what_a_visitor_meets(served: Served) -> None:
    """DEBUG off: the project's pages, compressed and cache-busted static files, a favicon."""
    for language in ("en", "es", "pt-br", "fr"):
        reply = served.fetch(f"/{language}/nowhere/")
        page = reply.body.decode()
        assert reply.status == 404
        assert f'<html lang="{language}">' in page
        with translation.override(language):
            assert f'<h1 class="margin-top-4">{escape(_("Page not found"))}</h1>' in page
        assert "URLconf" not in page  # Django's debug page names it

    home = served.fetch("/en/").body.decode()
    stylesheet = re.search(r'href="(/static/vendor/uswds/css/uswds\.min\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, home
    plain = served.fetch(stylesheet.group(1))
    assert plain.status == 200
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        reply = served.fetch(stylesheet.group(1), **{"Accept-Encoding": encoding})
        assert reply.status == 200
        assert reply.headers["Content-Encoding"] == encoding
        assert reply.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert decompress(reply.body) == plain.body
        assert len(reply.body) < len(plain.body) // 5

    favicon = served.fetch("/favicon.ico")
    assert favicon.status == 200
    assert favicon.headers["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert favicon.body == (REPO / "src/pregon/web/root/favicon.ico").read_bytes()
    assert '<link rel="icon" href="/favicon.ico"' in home

    portuguese = served.fetch("/pt/tenders/?q=obras")
    assert (portuguese.status, portuguese.headers["Location"]) == (302, "/pt-br/tenders/?q=obras")


@needs_sqlite_pass
def test_the_published_addresses_name_the_port_served(served: Served) -> None:
    site = f"http://127.0.0.1:{served.port}"
    package = served.fetch("/api/ocds/releases?limit=100")
    assert package.status == 200
    text = package.body.decode()
    data = json.loads(text)
    assert data["uri"].startswith(f"{site}/api/ocds/releases")
    assert data["publisher"]["uri"] == site
    assert data["publicationPolicy"] == f"{site}/data/#policy"
    documents = [
        document["url"]
        for release in data["releases"]
        for document in release.get("tender", {}).get("documents", [])
    ]
    assert documents
    assert all(url.startswith(f"{site}/") for url in documents), documents
    assert "127.0.0.1:8000" not in text
    assert f'href="{site}/api/ocds/releases"' in served.fetch("/data/").body.decode()
    checkpoint = served.fetch("/log/checkpoint").body.decode()
    assert checkpoint.splitlines()[0] == f"127.0.0.1:{served.port}/pregon/log"


def test_serve_wants_collected_static_files(settings: Any, tmp_path: Path) -> None:
    """Unless debugging (PREGON_DEBUG=1), static files are served from the collected, hashed set."""
    settings.STATIC_COLLECTED = True
    settings.STATIC_ROOT = tmp_path / "static"
    with pytest.raises(CommandError, match="collectstatic"):
        call_command("serve", "--no-worker", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:18801"),
        ("0.0.0.0", "http://127.0.0.1:18801"),
        ("localhost", "http://localhost:18801"),
        ("::", "http://[::1]:18801"),
        ("::1", "http://[::1]:18801"),
        ("192.0.2.7", "http://192.0.2.7:18801"),
    ],
)
def test_the_served_address_is_what_a_browser_here_opens(host: str, url: str) -> None:
    assert served_url(host, 18801) == url


def test_without_site_url_serve_publishes_the_address_it_serves(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Through the fixtures, so that both the settings and the environment are restored after.
    for name in ("SITE_URL", "PREGON_PUBLISHER_URI", "PREGON_PUBLICATION_POLICY_URL"):
        setattr(settings, name, getattr(settings, name))
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    settings.PREGON_LOG_ORIGIN = ""

    follow_served_address("0.0.0.0", 18801)

    assert os.environ["SITE_URL"] == "http://127.0.0.1:18801"  # what the children read
    assert settings.SITE_URL == "http://127.0.0.1:18801"
    assert settings.PREGON_PUBLISHER_URI == "http://127.0.0.1:18801"
    assert settings.PREGON_PUBLICATION_POLICY_URL == "http://127.0.0.1:18801/data/#policy"
    assert log_origin() == "127.0.0.1:18801/pregon/log"


def test_a_site_url_set_is_kept_by_serve(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.SITE_URL = "https://compras.example.org"
    monkeypatch.setenv("SITE_URL", "https://compras.example.org")
    follow_served_address("127.0.0.1", 18801)
    assert settings.SITE_URL == "https://compras.example.org"
    assert os.environ["SITE_URL"] == "https://compras.example.org"


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
