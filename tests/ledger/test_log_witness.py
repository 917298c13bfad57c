"""Witnesses: `pregon witness add|list|remove|run`, cosigning another instance's checkpoints.

The other instance is a small HTTP server in the test, with its own origin and key and an
in-memory log, so it can grow, fork or roll back on demand. One test points the witness at
this instance itself through pytest-django's live server, end to end.
"""

from __future__ import annotations

import base64
import http.server
import io
import json
import threading
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import Client

from pregon.core.actor import Actor
from pregon.core.errors import PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.ledger import selectors, services
from pregon.ledger.models import IssuedCosignature, ReceivedCosignature, WatchedLog
from pregon.tlog.checkpoint import (
    ALG_COSIGNATURE_V1,
    Checkpoint,
    SignerKey,
    add_signature,
    format_verifier_key,
    open_note,
    sign_checkpoint,
)
from pregon.tlog.merkle import MemoryNodeStore, MerkleLog
from tests.ledger.conftest import ORIGIN, SIGNER, VKEY, data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log_settings")]

PEER_ORIGIN = "peer.example/pregon/log"
PEER = SignerKey(PEER_ORIGIN, 1, bytes(range(64, 96)))
PEER_VKEY = format_verifier_key(PEER.verifier)
PEER_COSIGNER = SignerKey(PEER_ORIGIN, ALG_COSIGNATURE_V1, PEER.seed)
OUR_COSIGNER = SignerKey(ORIGIN, ALG_COSIGNATURE_V1, SIGNER.seed)


class Peer:
    """Another instance: its log, its signed checkpoint, and its cosignature of our log."""

    def __init__(self) -> None:
        self.log = MerkleLog(MemoryNodeStore())
        self.signer = PEER
        self.cosignature_of_ours: str | None = None
        self.requests: list[str] = []

    def grow(self, count: int, salt: bytes = b"") -> None:
        self.log.append_many([salt + data(self.log.size + n) for n in range(count)])

    def rewrite(self, count: int) -> None:
        """Replace the whole history: a fork."""
        self.log = MerkleLog(MemoryNodeStore())
        self.grow(count, salt=b"forged")

    def checkpoint(self) -> str:
        body = Checkpoint(PEER_ORIGIN, self.log.size, self.log.root())
        return sign_checkpoint(body, [self.signer])

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, str, str]:
        if path == "/log/checkpoint":
            return 200, "text/plain", self.checkpoint()
        if path == "/log/proof/consistency":
            first, second = int(query["first"]), int(query["second"])
            hashes = self.log.consistency_proof(first, second)
            body = {
                "first": first,
                "second": second,
                "hashes": [base64.b64encode(value).decode() for value in hashes],
            }
            return 200, "application/json", json.dumps(body)
        if (
            path == "/log/witness/cosignatures"
            and query.get("origin") == ORIGIN
            and self.cosignature_of_ours is not None
        ):
            return 200, "text/plain", self.cosignature_of_ours
        return 404, "application/problem+json", '{"status": 404, "code": "not_found"}'


@pytest.fixture
def peer() -> Iterator[tuple[Peer, str]]:
    state = Peer()
    state.grow(5)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            state.requests.append(self.path)
            status, content_type, body = state.answer(
                parts.path, dict(urllib.parse.parse_qsl(parts.query))
            )
            encoded = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("witness", *args, stdout=out, stderr=err)
    except CommandError as error:
        error.output = (out.getvalue(), err.getvalue())  # type: ignore[attr-defined]
        raise
    return out.getvalue(), err.getvalue()


def test_add_list_and_remove_a_watched_log(peer: tuple[Peer, str]) -> None:
    _state, url = peer
    out, _err = command("add", url, PEER_VKEY)
    assert out == f"Watching {PEER_ORIGIN} at {url}/log.\n"
    watched = WatchedLog.objects.get()
    assert (watched.origin, watched.url, watched.vkey, watched.active) == (
        PEER_ORIGIN, f"{url}/log", PEER_VKEY, True,
    )  # fmt: skip
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_label, event.channel, event.object_id) == (
        "log.witness_add", "system", "command", str(watched.pk),
    )  # fmt: skip
    assert event.summary == {"origin": PEER_ORIGIN, "url": f"{url}/log"}

    out, _err = command("list")
    assert out == f"{PEER_ORIGIN}  {url}/log\n  nothing cosigned yet; last polled: never\n"

    out, _err = command("remove", PEER_ORIGIN)
    assert out == f"No longer watching {PEER_ORIGIN}.\n"
    assert WatchedLog.objects.get().active is False
    assert command("list")[0] == "No log is watched. Add one with `pregon witness add URL KEY`.\n"
    with pytest.raises(CommandError, match="This instance does not watch a log named"):
        command("remove", PEER_ORIGIN)

    command("add", url, PEER_VKEY)  # watching again keeps the row (and its history)
    assert WatchedLog.objects.get().active is True
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "log.witness_add", "log.witness_remove", "log.witness_update",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "key", "message"),
    [
        ("http://peer.example", "peer+zz+abc", "The verifier key cannot be read: "),
        (
            "http://peer.example",
            format_verifier_key(PEER_COSIGNER.verifier),
            "This is not a log's verifier key",
        ),
        ("ftp://peer.example", PEER_VKEY, "The address must start with http:// or https://."),
    ],
)
def test_add_refuses_bad_keys_and_addresses(url: str, key: str, message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        command("add", url, key)
    assert WatchedLog.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_only_operators_configure_witnesses(official_actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        services.witness_add(actor=official_actor, url="https://peer.example", vkey=PEER_VKEY)
    with pytest.raises(ValidationFailed):
        services.witness_add(actor=Actor.system(channel="command"), url="x", vkey="y")
    assert WatchedLog.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_run_cosigns_the_first_checkpoint_then_only_consistent_growth(
    peer: tuple[Peer, str], client: Client
) -> None:
    state, url = peer
    command("add", url, PEER_VKEY)
    out, err = command("run")
    assert (out, err) == (f"{PEER_ORIGIN}: cosigned the checkpoint of 5 leaves\n", "")
    served = client.get(f"/log/witness/cosignatures?origin={PEER_ORIGIN}").content.decode()
    opened = open_note(served, [PEER.verifier, OUR_COSIGNER.verifier])
    assert opened.text == state.checkpoint().split("\n\n")[0] + "\n"
    assert [v.key for v in opened.verified] == [PEER.verifier, OUR_COSIGNER.verifier]

    state.grow(4)
    state.requests.clear()
    out, _err = command("run")
    assert out == f"{PEER_ORIGIN}: cosigned the checkpoint of 9 leaves (consistent with 5)\n"
    assert "/log/proof/consistency?first=5&second=9" in state.requests
    out, _err = command("run")
    assert out == f"{PEER_ORIGIN}: unchanged at 9 leaves\n"
    assert list(IssuedCosignature.objects.order_by("id").values_list("size", flat=True)) == [5, 9]
    assert selectors.cosignature_issued_latest(origin=PEER_ORIGIN).size == 9  # type: ignore[union-attr]
    assert "last cosigned at 9 leaves; last polled: " in command("list")[0]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda s: s.rewrite(12), "consistency proof does not lead to the root of size 9"),
        (lambda s: s.rewrite(9), "the log shows another root for size 9 than it did: fork"),
        (
            lambda s: s.rewrite(3),
            "the log went back from 9 to 3 leaves since this instance cosigned it",
        ),
        (
            lambda s: setattr(s, "signer", SignerKey(PEER_ORIGIN, 1, bytes(32))),
            "the note has no signature from a trusted key",
        ),
    ],
)
def test_a_fork_a_rollback_or_a_bad_signature_is_refused_and_reported(
    peer: tuple[Peer, str], client: Client, change: Any, error: str
) -> None:
    state, url = peer
    command("add", url, PEER_VKEY)
    state.grow(4)
    command("run")
    change(state)
    with pytest.raises(CommandError) as raised:
        command("run")
    assert str(raised.value) == "1 watched logs failed a check; see above."
    _out, err = raised.value.output  # type: ignore[attr-defined]
    assert err.startswith(f"{PEER_ORIGIN}: FAILED: ")
    assert error in err
    assert error in WatchedLog.objects.get().last_error
    assert list(IssuedCosignature.objects.values_list("size", flat=True)) == [9]
    served = client.get(f"/log/witness/cosignatures?origin={PEER_ORIGIN}").content.decode()
    assert served.startswith(f"{PEER_ORIGIN}\n9\n")


def test_the_peers_cosignatures_of_our_checkpoint_are_collected_and_served(
    peer: tuple[Peer, str], client: Client
) -> None:
    state, url = peer
    services.leaf_append(kind="release", data=data(0), ref="r-0")
    ours = services.checkpoint_issue()
    assert ours is not None
    command("add", url, PEER_VKEY)
    state.cosignature_of_ours = add_signature(ours.note, PEER_COSIGNER, timestamp=1_800_000_000)
    out, _err = command("run")
    assert out == (
        f"{PEER_ORIGIN}: cosigned the checkpoint of 5 leaves; received 1 cosignatures of this log\n"
    )
    received = ReceivedCosignature.objects.get()
    assert (received.size, received.signed_at.timestamp()) == (1, 1_800_000_000)
    served = client.get("/log/checkpoint").content.decode()
    assert served == state.cosignature_of_ours
    command("run")  # the same cosignature again is not stored twice
    assert ReceivedCosignature.objects.count() == 1


@pytest.mark.parametrize(
    ("forge", "error"),
    [
        (
            lambda ours: add_signature(ours, SignerKey(PEER_ORIGIN, ALG_COSIGNATURE_V1, bytes(32))),
            "the note has no signature from a trusted key",
        ),
        (
            lambda ours: add_signature(
                sign_checkpoint(Checkpoint(ORIGIN, 7, b"\x05" * 32), [SIGNER]), PEER_COSIGNER
            ),
            "cosigned a checkpoint this log never signed (size 7)",
        ),
    ],
)
def test_a_cosignature_that_does_not_verify_is_not_kept(
    peer: tuple[Peer, str], forge: Any, error: str
) -> None:
    state, url = peer
    services.leaf_append(kind="release", data=data(0), ref="r-0")
    ours = services.checkpoint_issue()
    assert ours is not None
    command("add", url, PEER_VKEY)
    state.cosignature_of_ours = forge(ours.note)
    with pytest.raises(CommandError) as raised:
        command("run")
    assert error in raised.value.output[1]  # type: ignore[attr-defined]
    assert ReceivedCosignature.objects.count() == 0
    assert IssuedCosignature.objects.count() == 1  # witnessing the peer itself went fine


@pytest.mark.django_db(transaction=True)
def test_an_instance_witnessing_itself_over_http(live_server: Any, client: Client) -> None:
    """Both roles through the real endpoints: checkpoint, consistency proof, cosignatures."""
    services.leaves_append(
        entries=[services.LeafData(kind="release", data=data(n), ref=f"r-{n}") for n in range(3)]
    )
    command("add", live_server.url, VKEY)
    out, _err = command("run")
    assert (
        out
        == f"{ORIGIN}: cosigned the checkpoint of 3 leaves; received 1 cosignatures of this log\n"
    )
    services.leaves_append(
        entries=[services.LeafData(kind="release", data=data(n), ref=f"r-{n}") for n in range(3, 8)]
    )
    out, _err = command("run")
    assert out == (
        f"{ORIGIN}: cosigned the checkpoint of 8 leaves (consistent with 3); received 1 "
        "cosignatures of this log\n"
    )
    served = client.get("/log/checkpoint").content.decode()
    opened = open_note(served, [SIGNER.verifier, OUR_COSIGNER.verifier])
    assert served.startswith(f"{ORIGIN}\n8\n")
    assert [v.key for v in opened.verified] == [SIGNER.verifier, OUR_COSIGNER.verifier]


class _StopLoop(Exception):
    pass


@pytest.mark.django_db
def test_the_loop_says_once_that_nothing_is_watched_and_outlives_a_busy_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`pregon serve` runs `witness run --loop`: it must not repeat itself every interval, nor die
    (taking the server with it) when the database is briefly unusable."""
    polls: list[int] = []
    issue = services.checkpoint_issue

    def flaky_issue() -> Any:
        polls.append(1)
        if len(polls) == 2:
            raise OperationalError("database is locked")
        return issue()

    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise _StopLoop

    monkeypatch.setattr(services, "checkpoint_issue", flaky_issue)
    monkeypatch.setattr("pregon.ledger.management.commands.witness.time.sleep", sleep)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(_StopLoop):
        call_command("witness", "run", "--loop", "--interval", "5", stdout=out, stderr=err)
    assert len(polls) == 3
    assert sleeps == [5, 5, 5]
    assert out.getvalue().count("No log is watched") == 1
    assert "could not use the database (database is locked); trying again later" in err.getvalue()
