"""`pregon serve`: the web server (gunicorn) and the background task worker, together.

    pregon serve [--host 127.0.0.1] [--port $PORT or 8000] [--workers N] [--no-worker]

It first closes any tender whose deadline passed while nothing was running (the safety net
behind each tender's scheduled close), then starts gunicorn with the WSGI application,
django-tasks-db's `db_worker`, and the transparency log's witness loop (`pregon witness run
--loop`: a fresh signed checkpoint, and a poll of the watched logs, every
PREGON_LOG_WITNESS_INTERVAL seconds; 0 turns it off) as child processes. Ctrl-C or SIGTERM stops both cleanly; if
either child dies, the other is stopped too and the command exits non-zero, so a process
supervisor (systemd, a container runtime) notices and restarts the pair.

Migrations are not run here: `make run` runs `pregon migrate` first. Static files are
collected beforehand, hashed and compressed (`pregon collectstatic --no-input`, which `make run`
runs too); `pregon serve` refuses to start without the collected manifest. Only with
PREGON_DEBUG=1 does WhiteNoise serve them straight from the app directories.

When SITE_URL is not set, the public address is the one served: this process and its children
publish URLs, and name the transparency log, after the host and port given here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon import settings as settings_module
from pregon.demo.accounts import accounts_table, demo_accounts, mfa_notice
from pregon.evaluation.services import awards_standstill_end_due, covers_lapse_due
from pregon.tenders.services import tenders_close_due

# How long the children get to finish their requests and tasks before being killed.
_STOP_TIMEOUT = 15.0
_POLL_INTERVAL = 0.25


@dataclass
class _Child:
    process: subprocess.Popen[bytes]
    # Said when the child dies on its own, with %(code)s for its exit code.
    died: str


def served_url(host: str, port: int) -> str:
    """The address a browser on this machine opens to reach ``host:port``."""
    # Listening on every interface is reached through the loopback one.
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def follow_served_address(host: str, port: int) -> None:
    """Make SITE_URL, when it is not set, the address served, here and in the children.

    Settings are read once per process: this one's are updated in place (with the published
    addresses derived from SITE_URL), and the children inherit SITE_URL from the environment.
    """
    if os.environ.get("SITE_URL"):
        return
    url = served_url(host, port)
    os.environ["SITE_URL"] = url
    for name, value in settings_module.site_addresses(url).items():
        setattr(settings, name, value)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Serve Pregón with gunicorn and run the background task worker beside it. "
        "In production run `pregon collectstatic --no-input` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1)."
        )
        parser.add_argument(
            "--port",
            type=_positive,
            default=settings.PORT,
            help="Port to listen on (default: $PORT, else 8000).",
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            default=_positive(os.environ.get("WEB_CONCURRENCY") or "2"),
            help="gunicorn worker processes (default: $WEB_CONCURRENCY, else 2).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background task worker and witness loop (run them elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_static_files()
        host, port = options["host"], options["port"]
        follow_served_address(host, port)
        closed = tenders_close_due()
        self.stdout.write(
            ngettext(
                "Closed %(count)d tender whose deadline passed while the platform was stopped.",
                "Closed %(count)d tenders whose deadline passed while the platform was stopped.",
                closed,
            )
            % {"count": closed}
        )
        ended = awards_standstill_end_due()
        self.stdout.write(
            ngettext(
                "%(count)d award became final: its standstill ended while the platform was "
                "stopped.",
                "%(count)d awards became final: their standstill ended while the platform was "
                "stopped.",
                ended,
            )
            % {"count": ended}
        )
        lapsed = covers_lapse_due()
        self.stdout.write(
            ngettext(
                "%(count)d right to cover lapsed: its deadline passed without an answer.",
                "%(count)d rights to cover lapsed: their deadlines passed without an answer.",
                lapsed,
            )
            % {"count": lapsed}
        )

        stop: list[int] = []

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.append(signum)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, request_stop)

        children: list[_Child] = []
        failed: _Child | None = None
        try:
            children.append(self._start_web(host, port, options["workers"]))
            if not options["no_worker"]:
                worker = self._start_worker()
                if worker is not None:
                    children.append(worker)
                if settings.PREGON_LOG_WITNESS_INTERVAL > 0:
                    children.append(self._start_witness())
            self._announce(host, port)
            failed = self._supervise(children, stop)
        finally:
            self._stop(children)
        if failed is not None:
            raise CommandError(failed.died % {"code": failed.process.returncode})
        self.stdout.write(_("Stopped."))

    # -----------------------------------------------------------------------------------------

    def _check_static_files(self) -> None:
        if not settings.STATIC_COLLECTED:
            return
        manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not manifest.exists():
            raise CommandError(
                _(
                    "Static files have not been collected into %(root)s. Run `pregon "
                    "collectstatic --no-input` first (once per release)."
                )
                % {"root": settings.STATIC_ROOT}
            )

    def _spawn(self, command: list[str], *, started: str, died: str) -> _Child:
        # A process group of their own: a Ctrl-C in the terminal reaches only this command,
        # which then stops each child exactly once, in order.
        process = subprocess.Popen(command, process_group=0)  # noqa: S603 (fixed argv)
        self.stdout.write(started % {"pid": process.pid})
        self.stdout.flush()
        return _Child(process=process, died=died)

    def _start_web(self, host: str, port: int, workers: int) -> _Child:
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            settings.WSGI_APPLICATION.replace(".application", ":application"),
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            # gunicorn's control socket has one fixed path per user: two instances would clash.
            "--no-control-socket",
            "--graceful-timeout",
            str(int(_STOP_TIMEOUT) - 5),
        ]
        return self._spawn(
            command,
            started=_("Started the web server (process %(pid)d)."),
            died=_(
                "The web server stopped unexpectedly (exit code %(code)s); everything else "
                "was stopped too."
            ),
        )

    def _start_witness(self) -> _Child:
        command = [sys.executable, "-m", "pregon.cli", "witness", "run", "--loop"]
        return self._spawn(
            command,
            started=_("Started the witness loop (process %(pid)d)."),
            died=_(
                "The witness loop stopped unexpectedly (exit code %(code)s); everything else "
                "was stopped too."
            ),
        )

    def _start_worker(self) -> _Child | None:
        backend = settings.TASKS["default"]["BACKEND"]
        if backend != "django_tasks_db.DatabaseBackend":
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The task backend %(backend)s is not the database one; start its own "
                        "worker beside this server."
                    )
                    % {"backend": backend}
                )
            )
            return None
        command = [
            sys.executable,
            "-m",
            "pregon.cli",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "1",
        ]
        return self._spawn(
            command,
            started=_("Started the task worker (process %(pid)d)."),
            died=_(
                "The task worker stopped unexpectedly (exit code %(code)s); everything else "
                "was stopped too."
            ),
        )

    def _announce(self, host: str, port: int) -> None:
        url = f"{served_url(host, port)}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Pregón is running at %(url)s") % {"url": url}))
        self.stdout.write(_("Administration: %(url)sen/admin/") % {"url": url})
        accounts = demo_accounts()
        if accounts:
            self.stdout.write("")
            self.stdout.write(_("Demo accounts:"))
            self.stdout.write(accounts_table(accounts))
            self.stdout.write("")
            self.stdout.write(self.style.WARNING(mfa_notice()))
        self.stdout.write("")
        self.stdout.write(_("Press Ctrl-C to stop."))
        self.stdout.flush()

    def _supervise(self, children: list[_Child], stop: list[int]) -> _Child | None:
        """Wait for a stop signal (None) or for a child to die (that child)."""
        while not stop:
            for child in children:
                if child.process.poll() is not None:
                    return child
            time.sleep(_POLL_INTERVAL)
        return None

    def _stop(self, children: list[_Child]) -> None:
        running = [child for child in children if child.process.poll() is None]
        for child in running:
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + _STOP_TIMEOUT
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
