"""Real receivers for the alerts: an SMTP server (aiosmtpd, as the organizations' tests use) and
an HTTP server that checks each webhook's signature; helpers to subscribe and to publish
processes by hand."""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pregon.accounts.models import User
from pregon.alerts.owners import Owner
from pregon.alerts.services import SubscriptionData, subscription_create, webhook_create
from pregon.alerts.webhooks import signature_is_valid
from pregon.core.actor import Actor
from pregon.publication.models import Record
from pregon.search.services import search_document_update
from tests.organizations.conftest import (  # noqa: F401 (fixtures)
    Inbox,
    compiled,
    fresh_catalogs,
    smtp_server,
)
from tests.search.conftest import compiled_release


@dataclass
class Received:
    """One webhook request as the receiver read it, and whether its signature held."""

    path: str
    headers: dict[str, str]
    body: bytes
    signed: bool

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An HTTP server on localhost that records the POSTs it acknowledges (2xx).

    `secrets` maps a path to the secret of the webhook registered at it, for the signature
    check; `fail` maps a path to the status to answer (the request is then not recorded);
    `hold` makes the receiver wait for `release` before answering a path.
    """

    port: int = 0
    secrets: dict[str, str] = field(default_factory=dict)
    fail: dict[str, int] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[Received]:
        return [entry for entry in self.received if entry.path == path]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status = receiver.fail.get(self.path)
            if status is not None:
                receiver.refused.append(self.path)
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"not now")
                return
            secret = receiver.secrets.get(self.path, "")
            signed = signature_is_valid(
                secret,
                self.headers.get("X-Pregon-Timestamp", ""),
                body,
                self.headers.get("X-Pregon-Signature", ""),
                now=time.time(),
            )
            receiver.received.append(
                Received(
                    path=self.path, headers=dict(self.headers.items()), body=body, signed=signed
                )
            )
            self.send_response(204 if signed else 401)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1 (private addresses allowed, as outside production)."""
    settings.PREGON_ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def restore_signals() -> Iterator[None]:
    """The task worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    names = [name for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)


@pytest.fixture
def actor() -> Actor:
    return Actor(user=None, ip_address="198.51.100.9")


def subscribe(user: User | None = None, *, email: str = "", **criteria: Any) -> Any:
    """A subscription of `user` (or an anonymous one for `email`) to `criteria`."""
    criteria.setdefault("name", "Mis alertas")
    for name in ("codes", "keywords", "regions", "buyers"):
        if name in criteria:
            criteria[name] = tuple(criteria[name])
    owner = Owner(user=user) if user is not None else None
    return subscription_create(
        actor=Actor(user=user, ip_address="198.51.100.9"),
        owner=owner,
        data=SubscriptionData(email=email, **criteria),
    )


def hook(user: User, receiver: Receiver, path: str) -> Any:
    """A webhook of `user` at `path` of the receiver, whose secret the receiver checks."""
    endpoint, secret = webhook_create(
        actor=Actor(user=user), owner=Owner(user=user), url=receiver.url(path)
    )
    receiver.secrets[path] = secret
    return endpoint


def run_worker() -> None:
    """Run every task that is due, then stop (the worker `pregon serve` starts, in batch mode)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def publish_document() -> Any:
    """Store a record for a compiled release and index it for search (as publication would);
    returns the search document. Matching is then run by the test (no release exists)."""
    count = [0]

    def publish(**kwargs: Any) -> Any:
        count[0] += 1
        kwargs.setdefault("ocid", f"ocds-alerts-{count[0]:04d}")
        reserved = kwargs.pop("reserved_msme", False)
        reserved_for = kwargs.pop("reserved_for", "")
        release = compiled_release(**kwargs)
        record, _created = Record.objects.update_or_create(
            ocid=release["ocid"],
            defaults={
                "compiled": release,
                "versioned": {},
                "release_count": 1,
                "last_seq": count[0],
                "date": timezone.now() - dt.timedelta(minutes=count[0]),
            },
        )
        document = search_document_update(record)
        if reserved:
            # Set what the search reads of reserved lots (tests/search covers the reading).
            type(document).objects.filter(pk=document.pk).update(
                reserved_msme=True, reserved_for=reserved_for
            )
            document.refresh_from_db()
        return document

    return publish


class DyingBackend:
    """A mailer that sends through the real SMTP one (OPTIONS as for it), and dies like a killed
    worker (SystemExit) before sending message number `die_before` of the process."""

    sent = 0
    die_before = 2

    def __init__(self, **options: Any) -> None:
        from django.core.mail.backends.smtp import EmailBackend  # noqa: PLC0415

        self.inner = EmailBackend(**options)

    def send_messages(self, messages: Any) -> int:
        if DyingBackend.sent + 1 >= DyingBackend.die_before:
            raise SystemExit("worker killed")
        DyingBackend.sent += len(messages)
        return int(self.inner.send_messages(messages))
