"""A small in-process stand-in for a Pregón instance, speaking the contract of SEALED.md.

It serves the transparency log (a real `pregon.tlog` Merkle tree and signed checkpoints), the
OCDS record and release of one tender, the committee endpoint, resumable uploads and the bid
endpoints, and lets a test break it on purpose: drop a connection half-way through a chunk,
answer 5xx, serve another committee than the logged one, tamper with a receipt, or hold back
the next checkpoint. The real server is exercised by test_live.py; this one reaches the
failures a real server does not produce on demand.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import re
import threading
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pregon.sealing import fingerprint, generate_member_key
from pregon.tlog.checkpoint import (
    Checkpoint,
    format_verifier_key,
    generate_signer_key,
    sign_checkpoint,
    sign_note,
)
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import MemoryNodeStore, MerkleLog, leaf_hash

ORIGIN = "fake.example/log"
OCID = "ocds-fake01-000001"
RELEASE_ID = f"{OCID}-tender-1"
_RANGE = re.compile(r"bytes ([0-9]+)-([0-9]+)/([0-9]+)")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def api_committee(committee: dict[str, Any]) -> dict[str, Any]:
    """A committee as the API serves it: the members' keys under `public_key` (the release,
    as OCDS, spells it `publicKey`)."""
    return {
        **committee,
        "members": [
            {("public_key" if key == "publicKey" else key): value for key, value in m.items()}
            for m in committee["members"]
        ],
    }


@dataclass
class Upload:
    id: str
    size: int
    sha256: str
    data: bytearray = field(default_factory=bytearray)
    bytes_sent: int = 0  # every body byte the client sent for this upload, kept or not

    @property
    def complete(self) -> bool:
        return len(self.data) == self.size and hashlib.sha256(self.data).hexdigest() == self.sha256

    def state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "received": len(self.data),
            "size": self.size,
            "complete": self.complete,
        }


@dataclass
class Bid:
    id: str
    tender: str
    envelope: bytes
    commitment: str
    documents: dict[str, bytes]
    uploads: dict[str, str]
    status: str
    answer: dict[str, Any]
    key: str
    body: bytes


class FakeInstance:
    """The state of the fake instance; `serve()` runs it on a local port."""

    def __init__(self, members: int = 3, threshold: int = 2) -> None:
        self.signer = generate_signer_key(ORIGIN)
        self.vkey = format_verifier_key(self.signer.verifier)
        self.tree = MerkleLog(MemoryNodeStore())
        self.leaf_hashes: list[bytes] = []
        self.checkpoint_note = ""
        self.auto_checkpoint = True
        self.keys = [generate_member_key() for _ in range(members)]
        self.committee = {
            "threshold": threshold,
            "members": [
                {"position": n, "publicKey": b64url(public), "fingerprint": fingerprint(public)}
                for n, (_private, public) in enumerate(self.keys, start=1)
            ],
        }
        self.served_committee: dict[str, Any] | None = None  # None: the logged one
        self.release = {
            "ocid": OCID,
            "id": RELEASE_ID,
            "date": "2026-03-02T12:00:00Z",
            "tag": ["tender"],
            "initiationType": "tender",
            "tender": {
                "id": "T-1",
                "title": "Computadores",
                "value": {"amount": 175000.5, "currency": "CLP"},
                "lots": [{"id": "1", "title": "Portátiles"}, {"id": "2", "title": "Monitores"}],
                "openingCommittee": {
                    "threshold": threshold,
                    "members": [
                        dict(member, id=str(member["position"]))
                        for member in self.committee["members"]
                    ],
                },
            },
        }
        self.served_release: dict[str, Any] | None = None  # None: the logged one
        self.uploads: dict[str, Upload] = {}
        self.bids: dict[str, Bid] = {}
        self.shares: list[dict[str, Any]] = []
        self.declarations: list[dict[str, Any]] = []
        self.email, self.password = "member@example.org", "correct horse battery"
        self.totp: str | None = None
        self.sign_ins: list[dict[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        # Fault injection.
        self.puts = 0  # chunks received so far
        self.cut_put: dict[int, int] = {}  # PUT number -> bytes read before the line drops
        self.fail_put: dict[int, int] = {}  # PUT number -> status answered instead
        self.sent_bytes = 0  # chunk bytes read from the wire, kept or not
        self.fail: list[int] = []  # statuses to answer to the next requests, in order
        self.drop_after_commit = 0  # bid posts that are committed but never answered
        self.tamper_receipt = False
        self.receipt_commitment: str | None = None  # sign this commitment instead
        self.lock = threading.Lock()
        self.append(canonical_bytes(self.release))
        self.sign()

    # --- the log ------------------------------------------------------------------------------

    def append(self, data: bytes) -> int:
        index = self.tree.append(data)
        self.leaf_hashes.append(leaf_hash(data))
        if self.auto_checkpoint:
            self.sign()
        return index

    def sign(self) -> None:
        checkpoint = Checkpoint(ORIGIN, self.tree.size, self.tree.root())
        self.checkpoint_note = sign_checkpoint(checkpoint, [self.signer])

    def receipt(self, *, tender: str, commitment: str, action: str, time: str) -> tuple[str, int]:
        leaf = canonical_bytes(
            {
                "type": "bid-commitment",
                "tender": tender,
                "commitment": commitment,
                "action": action,
                "time": time,
            }
        )
        index = self.append(leaf)
        signed = self.receipt_commitment or commitment
        text = f"{ORIGIN}\npregon bid receipt\n{tender}\n{signed}\n{action}\n{time}\n{index}\n"
        note = sign_note(text, [self.signer])
        if self.tamper_receipt:
            body, _sep, line = note.rstrip("\n").rpartition("\n")
            name, _space, sig = line.rpartition(" ")
            raw = bytearray(base64.b64decode(sig))
            raw[-1] ^= 1
            note = f"{body}\n{name} {base64.b64encode(bytes(raw)).decode()}\n"
        return note, index

    # --- serving --------------------------------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[str]:
        instance = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                instance.handle(self, "GET")

            def do_POST(self) -> None:
                instance.handle(self, "POST")

            def do_PUT(self) -> None:
                instance.handle(self, "PUT")

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()

    def handle(self, request: http.server.BaseHTTPRequestHandler, method: str) -> None:
        parts = urllib.parse.urlsplit(request.path)
        path, query = parts.path, dict(urllib.parse.parse_qsl(parts.query))
        length = int(request.headers.get("Content-Length") or 0)
        with self.lock:
            self.requests.append((method, path))
            status = self.fail.pop(0) if self.fail else None
        if status is not None:
            request.rfile.read(length)
            return self.reply(request, status, {"detail": "failing on purpose", "code": "fault"})
        if method == "PUT" and path.startswith("/api/v1/bid-uploads/"):
            return self.put_chunk(request, path.rsplit("/", 1)[1], length)
        body = request.rfile.read(length) if length else b""
        with self.lock:
            answer = self.route(method, path, query, body, request.headers)
        if answer is None:
            request.close_connection = True
            return None
        return self.reply(request, *answer)

    def reply(
        self,
        request: http.server.BaseHTTPRequestHandler,
        status: int,
        body: Any,
        text: bool = False,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        data = body.encode() if text else json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/plain" if text else "application/json")
        request.send_header("Content-Length", str(len(data)))
        for name, value in headers or []:
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)

    def put_chunk(
        self, request: http.server.BaseHTTPRequestHandler, upload_id: str, length: int
    ) -> None:
        with self.lock:
            self.puts += 1
            upload = self.uploads.get(upload_id)
            cut = self.cut_put.get(self.puts)
            status = self.fail_put.get(self.puts)
        match = _RANGE.fullmatch(request.headers.get("Content-Range", ""))
        assert match, request.headers.get("Content-Range")
        start, end, total = (int(value) for value in match.groups())
        assert end - start + 1 == length
        chunk = request.rfile.read(length if cut is None else min(cut, length))
        with self.lock:
            self.sent_bytes += len(chunk)
        if upload is None:
            return self.reply(request, 404, {"detail": "no such upload", "code": "not_found"})
        assert total == upload.size
        if status is not None:
            return self.reply(request, status, {"detail": "failing on purpose", "code": "fault"})
        with self.lock:
            if start != len(upload.data):
                conflict = {"detail": "wrong start", "code": "wrong_offset", **upload.state()}
                return self.reply(request, 409, conflict)
            upload.data += chunk
            state = upload.state()
        if cut is not None:
            # The bytes read arrived; the line goes dead before the answer.
            request.close_connection = True
            return None
        return self.reply(request, 200, state)

    def route(
        self, method: str, path: str, query: dict[str, str], body: bytes, headers: Any
    ) -> tuple[Any, ...] | None:
        if path.startswith("/en/accounts/"):
            return self.sign_in(method, path, body, headers)
        if "/opening/" in path:
            # The committee acts in person: a signed-in session, its CSRF token to write.
            cookies = dict(
                part.strip().split("=", 1)
                for part in headers.get("Cookie", "").split(";")
                if "=" in part
            )
            if cookies.get("sessionid") != "member-session":
                return 401, {
                    "detail": "Sign in as the committee member.",
                    "code": "not_authenticated",
                }
            if method == "POST" and headers.get("X-CSRFToken") != cookies.get("csrftoken"):
                return 403, {"detail": "CSRF token missing.", "code": "csrf"}
        if path == "/log/public-key":
            return 200, self.vkey + "\n", True
        if path == "/log/checkpoint":
            return 200, self.checkpoint_note, True
        if path == "/log/proof/inclusion":
            return self.inclusion(query)
        if path == f"/api/ocds/records/{OCID}":
            url = f"http://elsewhere.example/api/ocds/releases/{RELEASE_ID}#{RELEASE_ID}"
            return 200, {"records": [{"ocid": OCID, "releases": [{"url": url}]}]}
        if path == f"/api/ocds/releases/{RELEASE_ID}":
            return 200, {"releases": [self.served_release or self.release]}
        if path == f"/api/v1/tenders/{OCID}/committee":
            return 200, api_committee(self.served_committee or self.committee)
        if path == f"/api/v1/tenders/{OCID}/bid-uploads" and method == "POST":
            data = json.loads(body)
            upload = Upload(str(uuid.uuid4()), data["size"], data["sha256"])
            self.uploads[upload.id] = upload
            return 201, {"id": upload.id, "received": 0, "size": upload.size}
        if path.startswith("/api/v1/bid-uploads/") and method == "GET":
            upload = self.uploads.get(path.rsplit("/", 1)[1])
            return (
                (404, {"detail": "gone", "code": "not_found"})
                if upload is None
                else (200, upload.state())
            )
        if path == f"/api/v1/tenders/{OCID}/bids" and method == "POST":
            return self.post_bid(OCID, "submit", body, headers, replaces=None)
        match = re.fullmatch(r"/api/v1/bids/([^/]+)(/actions/(replace|withdraw))?", path)
        if match:
            bid = self.bids.get(match[1])
            if bid is None:
                return 404, {"detail": "no such bid", "code": "not_found"}
            if match[3] == "replace":
                return self.post_bid(bid.tender, "replace", body, headers, replaces=bid)
            if match[3] == "withdraw":
                return self.withdraw(bid, headers)
            return 200, {**bid.answer, "tender": bid.tender, "status": bid.status}
        if path == f"/api/v1/tenders/{OCID}/opening/envelopes":
            return 200, {
                "bids": [
                    {"id": bid.id, "envelope": b64url(bid.envelope)}
                    for bid in self.bids.values()
                    if bid.status == "submitted"
                ]
            }
        if path == f"/api/v1/tenders/{OCID}/opening/shares" and method == "POST":
            handed = json.loads(body)
            self.shares.extend(handed["shares"])
            self.declarations.extend(handed.get("declarations", []))
            return 200, {
                "handedIn": len(self.shares),
                "declared": len(self.declarations),
                "opened": False,
            }
        return 404, {"detail": f"nothing at {path}", "code": "not_found"}

    def sign_in(self, method: str, path: str, body: bytes, headers: Any) -> tuple[Any, ...]:
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if method == "GET":
            return 200, "<form>", True, [("Set-Cookie", "csrftoken=before-sign-in; Path=/")]
        self.sign_ins.append(form)
        if form.get("csrfmiddlewaretoken") != "before-sign-in":
            return 403, "CSRF", True
        if path == "/en/accounts/login/":
            if form.get("login") != self.email or form.get("password") != self.password:
                return 200, "<form with errors>", True
            if self.totp is not None:
                return 302, "", True, [("Location", "/en/accounts/2fa/authenticate/")]
        elif form.get("code") != self.totp:
            return 200, "<form with errors>", True
        # Signing in rotates the CSRF token, as Django does.
        return (
            302,
            "",
            True,
            [
                ("Location", "/en/"),
                ("Set-Cookie", "sessionid=member-session; Path=/"),
                ("Set-Cookie", "csrftoken=after-sign-in; Path=/"),
            ],
        )

    def inclusion(self, query: dict[str, str]) -> tuple[int, Any]:
        wanted, size = bytes.fromhex(query["leaf_hash"]), int(query["tree_size"])
        for index, value in enumerate(self.leaf_hashes):
            if value == wanted:
                if index >= size:
                    return 404, {"detail": "later", "code": "leaf_not_in_tree"}
                hashes = [
                    base64.b64encode(h).decode() for h in self.tree.inclusion_proof(index, size)
                ]
                return 200, {"leaf_index": index, "tree_size": size, "hashes": hashes}
        return 404, {"detail": "unknown", "code": "unknown_leaf"}

    def post_bid(
        self, tender: str, action: str, body: bytes, headers: Any, replaces: Bid | None
    ) -> tuple[int, Any] | None:
        key = headers["Idempotency-Key"]
        for bid in self.bids.values():
            if bid.key == key:
                return (
                    (200, bid.answer)
                    if bid.body == body
                    else (422, {"detail": "other body", "code": "idempotency_mismatch"})
                )
        data = json.loads(body)
        envelope = unb64url(data["envelope"])
        documents, uploads = {}, {}
        for item in data["documents"]:
            uploads[item["id"]] = item["upload"]
            upload = self.uploads.pop(item["upload"], None)  # moved into the bid, as the real one
            if upload is None or not upload.complete:
                return 422, {
                    "detail": f"upload {item['upload']} is not complete",
                    "code": "upload_incomplete",
                }
            documents[item["id"]] = bytes(upload.data)
        commitment = hashlib.sha256(envelope).hexdigest()
        time = f"2026-03-0{1 + len(self.bids) % 9}T12:00:00Z"
        note, index = self.receipt(tender=tender, commitment=commitment, action=action, time=time)
        bid_id = str(uuid.uuid4())
        answer = {
            "id": bid_id,
            "commitment": commitment,
            "leafIndex": index,
            "receivedAt": time,
            "receipt": note,
        }
        self.bids[bid_id] = Bid(
            bid_id, tender, envelope, commitment, documents, uploads, "submitted", answer, key, body
        )
        if replaces is not None:
            replaces.status = "replaced"
        if self.drop_after_commit:
            self.drop_after_commit -= 1
            return None
        return 201, answer

    def withdraw(self, bid: Bid, headers: Any) -> tuple[int, Any]:
        if bid.status == "withdrawn":
            return 200, bid.answer
        note, index = self.receipt(
            tender=bid.tender,
            commitment=bid.commitment,
            action="withdraw",
            time="2026-03-09T12:00:00Z",
        )
        bid.status = "withdrawn"
        bid.answer = {
            "id": bid.id,
            "commitment": bid.commitment,
            "leafIndex": index,
            "receivedAt": "2026-03-09T12:00:00Z",
            "receipt": note,
        }
        return 200, bid.answer
