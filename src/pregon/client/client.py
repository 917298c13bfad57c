"""``Client``: sealed bids and the opening, over the bids API, checked against the log.

What the client checks rather than trusts (SEALED.md):

* the committee it seals to is the one in the tender's latest release, and that release is in
  the transparency log under a checkpoint signed by the log's key;
* a receipt is signed by the log's key, and signs the commitment the client computed itself,
  the tender, the action and the leaf index the server reported;
* ``receipt`` proves the receipt's leaf is in the log, against a signed checkpoint.

The log's key is fetched from the instance (``/log/public-key``) unless one is pinned with
``log_key``: pin it (from the log's page, or another channel) to trust nothing the server says.

Uploads go in chunks and resume where the server says they stand (``received``) after a
dropped connection or a 409, never sending again what arrived. Submissions carry an
idempotency key; they are retried with the same key and the same sealed bytes (kept in a state
directory, when given, across runs of the program).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import secrets
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, TypeVar

from pregon.client import errors
from pregon.client.committee import (
    API_KEY_FIELD,
    Committee,
    b64url_decode,
    b64url_encode,
    committee_compare,
    committee_parse,
)
from pregon.client.errors import ClientError
from pregon.client.i18n import _
from pregon.client.pending import Pending, Sealed, input_fingerprint
from pregon.client.receipts import Inclusion, Receipt, receipt_check, receipt_open
from pregon.client.transport import (
    CSRF_COOKIE,
    DEFAULT_BACKOFF,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    Answer,
    Refused,
    Transient,
    Transport,
    quoted,
)
from pregon.sealing import Member, SealingError, seal_bid
from pregon.sealing.envelope import BID_FORMAT
from pregon.tlog.checkpoint import Checkpoint, VerifierKey, open_checkpoint, parse_verifier_key
from pregon.tlog.client import LogClient, LogClientError
from pregon.tlog.errors import CanonicalizationError, InvalidProofError, LedgerError
from pregon.tlog.jcs import canonical_bytes, parse_json
from pregon.tlog.merkle import leaf_hash, verify_inclusion

DEFAULT_CHUNK: Final = 1 << 20
IDEMPOTENCY_KEY: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
API: Final = "/api/v1"
#: The sign-in pages are under a language prefix; English is always there.
SIGN_IN_LANGUAGE: Final = "en"

T = TypeVar("T")
#: Called with (bytes just uploaded, bytes to upload in all) as a submission's uploads advance.
Progress = Callable[[int, int], None]


def new_idempotency_key() -> str:
    """A fresh idempotency key (32 characters of ``[A-Za-z0-9_-]``): keep it until acknowledged."""
    return secrets.token_urlsafe(24)


def idempotency_key_check(key: str) -> str:
    """``key`` when it is a valid idempotency key; ``ClientError`` ``usage`` otherwise."""
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ClientError(
            errors.USAGE,
            _("The idempotency key %(key)s is not 1 to 64 letters, digits, '-' or '_'.")
            % {"key": repr(key)},
            hint=_("Leave --idempotency-key out to have one made."),
        )
    return key


@dataclass(frozen=True, slots=True)
class UploadState:
    """Where an upload stands on the server."""

    upload_id: str
    received: int
    size: int
    complete: bool


@dataclass(frozen=True, slots=True)
class OpeningEnvelope:
    """A sealed bid as the committee receives it at the opening (no bidder named)."""

    bid_id: str
    envelope: bytes

    @property
    def commitment(self) -> str:
        """The SHA-256 of the envelope: the commitment its receipt and log leaf carry."""
        return hashlib.sha256(self.envelope).hexdigest()


@dataclass(frozen=True, slots=True)
class HandIn:
    """What the server did with a member's shares and declarations: how many of each it holds,
    and whether the bids are open."""

    handed_in: int
    opened: bool
    declared: int = 0


class Client:
    """A bidder's or committee member's client of one Pregón instance."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        log_key: str | None = None,
        chunk_size: int = DEFAULT_CHUNK,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``base_url`` is the instance's address; ``api_key`` an organization API key.

        ``retries``: how many times a request that failed for want of an answer (or with 5xx)
        is sent again, after ``backoff`` seconds doubling each time. ``log_key``: the log's
        verifier key (``<name>+<id>+<key>``) to trust instead of fetching it.
        """
        if chunk_size < 1:
            raise ClientError(errors.USAGE, _("The chunk size must be at least one byte."))
        self.http = Transport(
            base_url, api_key, timeout=timeout, retries=retries, backoff=backoff, sleep=sleep
        )
        self.log = LogClient(self.http.base_url, timeout=timeout)
        self.chunk_size = chunk_size
        self._log_key = _pinned_key(log_key) if log_key else None

    # --- the log --------------------------------------------------------------------------------

    def log_key(self) -> VerifierKey:
        """The log's verifier key: the pinned one, else the instance's current one."""
        if self._log_key is None:
            text = self._logged(self.log.public_key)
            try:
                self._log_key = parse_verifier_key(text)
            except LedgerError as error:
                raise _bad_answer(_("the log's public key is not a verifier key")) from error
        return self._log_key

    def signed_checkpoint(self) -> Checkpoint:
        """The log's latest checkpoint, verified with the log's key."""
        key = self.log_key()
        note = self._logged(self.log.checkpoint)
        try:
            return open_checkpoint(note, origin=key.name, verifiers=[key]).checkpoint
        except LedgerError as error:
            raise ClientError(
                errors.LOG_INVALID,
                _("The log's checkpoint does not verify with the log's key %(key)s: %(reason)s.")
                % {"key": key.name, "reason": error},
                hint=_(
                    "If the log's key changed, check the new one on the log's page; otherwise "
                    "report it to the platform's operator."
                ),
            ) from error

    def prove(self, data: bytes, checkpoint: Checkpoint, *, index: int | None = None) -> bool:
        """Check the log holds ``data`` under ``checkpoint`` (at ``index``, when given).

        Returns False when the leaf is not under that checkpoint yet (it was appended after it);
        raises ``proof_invalid`` when the log's proof does not lead to the signed root, and
        ``not_logged`` when the log does not hold the leaf at all.
        """
        if checkpoint.size == 0 or (index is not None and index >= checkpoint.size):
            return False
        hashed = leaf_hash(data)
        try:
            proof = self._logged(lambda: self.log.inclusion_proof(hashed, checkpoint.size))
        except ClientError as error:
            if error.status == 404 and error.problem_code == "leaf_not_in_tree":
                return False
            if error.status == 404:
                raise ClientError(
                    errors.NOT_LOGGED,
                    _("The transparency log holds no leaf with hash %(hash)s.")
                    % {"hash": hashed.hex()},
                    hint=_("Report it to the platform's operator: it should have been logged."),
                ) from error
            raise
        try:
            if index is not None and proof.leaf_index != index:
                msg = f"the log proves leaf {proof.leaf_index}, not {index}"
                raise InvalidProofError(msg)
            verify_inclusion(
                leaf_hash=hashed,
                index=proof.leaf_index,
                size=checkpoint.size,
                proof=proof.hashes,
                root=checkpoint.root_hash,
            )
        except InvalidProofError as error:
            raise ClientError(
                errors.PROOF_INVALID,
                _("The log's inclusion proof does not verify: %(reason)s.") % {"reason": error},
                hint=_("Report it to the platform's operator, with this message."),
            ) from error
        return True

    def _logged(self, call: Callable[[], T]) -> T:
        """A call to the log, retried like the API's reads."""
        attempt = 0
        while True:
            try:
                return call()
            except LogClientError as error:
                transient = error.status is None or error.status >= 500 or error.status == 429
                if transient and attempt < self.http.retries:
                    self.http.pause(attempt)
                    attempt += 1
                    continue
                raise ClientError(
                    errors.UNREACHABLE if error.status is None else errors.BAD_ANSWER,
                    _("The transparency log failed: %(reason)s.") % {"reason": error},
                    hint=_("Check the address and your connection, then run the command again."),
                    status=error.status,
                    problem_code=error.code,
                ) from error

    # --- the committee ----------------------------------------------------------------------------

    def committee(self, ocid: str) -> Committee:
        """The tender's opening committee, as served AND as logged; refused unless they agree.

        Raises ``not_logged`` while the tender's latest release is not under a signed
        checkpoint, and ``committee_mismatch`` when the served committee is not the logged one.
        """
        served_body = self.http.request(
            "GET", f"{API}/tenders/{quoted(ocid)}/committee", retry=True
        ).json()
        served = committee_parse(
            served_body, ocid=ocid, where=_("the committee endpoint"), key_field=API_KEY_FIELD
        )
        release_id, release = self.latest_release(ocid)
        tender = release.get("tender")
        logged = committee_parse(
            tender.get("openingCommittee") if isinstance(tender, dict) else None,
            ocid=ocid,
            where=_("release %(release)s") % {"release": release_id},
        )
        checkpoint = self.signed_checkpoint()
        data = canonical_bytes(release)
        if not self.prove(data, checkpoint):
            raise ClientError(
                errors.NOT_LOGGED,
                _(
                    "The tender's latest release %(release)s is not yet under a signed checkpoint "
                    "of the transparency log; the bid was not sealed."
                )
                % {"release": release_id},
                hint=_(
                    "The log signs a checkpoint right after each publication: try again in a minute."
                ),
            )
        committee_compare(served, logged)
        proof = self._logged(lambda: self.log.inclusion_proof(leaf_hash(data), checkpoint.size))
        return Committee(
            ocid=ocid,
            threshold=logged.threshold,
            members=logged.members,
            release_id=release_id,
            leaf_index=proof.leaf_index,
            tree_size=checkpoint.size,
            release=release,
        )

    def latest_release(self, ocid: str) -> tuple[str, dict[str, Any]]:
        """The id and content of the latest release of ``ocid``, parsed with exact numbers."""
        record = self.http.request("GET", f"/api/ocds/records/{quoted(ocid)}", retry=True).json()
        try:
            url = record["records"][0]["releases"][-1]["url"]
            parts = urllib.parse.urlsplit(url)
            release_id = urllib.parse.unquote(parts.fragment or parts.path.rsplit("/", 1)[-1])
        except (KeyError, IndexError, TypeError, AttributeError) as error:
            raise _bad_answer(
                _("the record of %(ocid)s lists no release") % {"ocid": ocid}
            ) from error
        answer = self.http.request("GET", f"/api/ocds/releases/{quoted(release_id)}", retry=True)
        try:
            package = parse_json(answer.body)
            release = package["releases"][0]  # type: ignore[index,call-overload]
        except (CanonicalizationError, KeyError, IndexError, TypeError) as error:
            raise _bad_answer(
                _("release %(release)s is not readable") % {"release": release_id}
            ) from error
        if (
            not isinstance(release, dict)
            or release.get("id") != release_id
            or release.get("ocid") != ocid
        ):
            raise _bad_answer(
                _("the release served as %(release)s is another one") % {"release": release_id}
            )
        return release_id, release

    # --- bids -----------------------------------------------------------------------------------

    def submit(
        self,
        ocid: str,
        bid: dict[str, Any],
        documents: Sequence[Path],
        idempotency_key: str | None = None,
        *,
        declaration: str = "",
        state_dir: Path | None = None,
        progress: Progress | None = None,
    ) -> Receipt:
        """Seal ``bid`` and ``documents`` to the tender's logged committee, upload, submit.

        ``declaration`` is the version of the self-declaration the supplier signs with the bid
        (`self_declaration()` gives the current one and its text): the platform refuses a bid
        without it.

        ``bid`` holds ``lots`` ([{lot, amount, currency}]) and ``answers`` ([{question,
        answer}]); the rest of the plain bid is filled in here. Keep ``idempotency_key`` (made
        here when None, and returned in the receipt) to retry after any failure: the retry
        never makes a second bid. With ``state_dir`` the sealed bytes are kept on disk for a
        retry by another run.
        """
        return self._send(
            action="submit",
            ocid=ocid,
            path=f"{API}/tenders/{quoted(ocid)}/bids",
            target=ocid,
            bid=bid,
            documents=documents,
            key=idempotency_key,
            declaration=declaration,
            state_dir=state_dir,
            progress=progress,
        )

    def replace(
        self,
        bid_id: str,
        bid: dict[str, Any],
        documents: Sequence[Path],
        idempotency_key: str | None = None,
        *,
        declaration: str = "",
        state_dir: Path | None = None,
        progress: Progress | None = None,
    ) -> Receipt:
        """Replace bid ``bid_id`` by a newly sealed one, with its own self-declaration
        (``declaration``, as for `submit`); returns the new bid's receipt."""
        ocid = self.bid(bid_id)["tender"]
        return self._send(
            action="replace",
            ocid=ocid,
            path=f"{API}/bids/{quoted(bid_id)}/actions/replace",
            target=bid_id,
            bid=bid,
            documents=documents,
            key=idempotency_key,
            declaration=declaration,
            state_dir=state_dir,
            progress=progress,
        )

    def self_declaration(self) -> dict[str, Any]:
        """The self-declaration signed with each bid: ``version`` and ``text`` (paragraphs),
        in the client's language."""
        body = self.http.request("GET", f"{API}/self-declaration", retry=True).json()
        if not isinstance(body.get("version"), str) or not isinstance(body.get("text"), list):
            raise _bad_answer(_("the self-declaration has no version or text"))
        return body

    def withdraw(self, bid_id: str, idempotency_key: str | None = None) -> Receipt:
        """Withdraw bid ``bid_id``; returns the signed receipt of the withdrawal."""
        key = idempotency_key_check(idempotency_key or new_idempotency_key())
        own = self.bid(bid_id)
        answer = self.http.request(
            "POST",
            f"{API}/bids/{quoted(bid_id)}/actions/withdraw",
            headers={"Idempotency-Key": key},
            retry=True,
        )
        return self._acknowledged(
            answer, key=key, tender=own["tender"], commitment=own["commitment"], action="withdraw"
        )

    def receipt(self, bid_id: str) -> Receipt:
        """The bid's receipt, verified, with what the latest signed checkpoint says of its leaf.

        ``receipt.inclusion.verified`` is False while the leaf was appended after the latest
        checkpoint: the proof is available after the next one.
        """
        body = self.bid(bid_id)
        receipt = self._receipt_of(body, bid_id=bid_id)
        receipt_check(receipt, tender=body["tender"], commitment=body["commitment"])
        checkpoint = self.signed_checkpoint()
        verified = self.prove(receipt.leaf, checkpoint, index=receipt.leaf_index)
        return receipt.with_inclusion(Inclusion(verified=verified, tree_size=checkpoint.size))

    def bid(self, bid_id: str) -> dict[str, Any]:
        """The bid as the API shows it to its own supplier (id, tender, status, receipt...)."""
        body = self.http.request("GET", f"{API}/bids/{quoted(bid_id)}", retry=True).json()
        for name in ("tender", "commitment", "receipt"):
            if not isinstance(body.get(name), str):
                raise _bad_answer(
                    _("bid %(bid)s has no %(field)s") % {"bid": bid_id, "field": name}
                )
        return body

    def _send(
        self,
        *,
        action: str,
        ocid: str,
        path: str,
        target: str,
        bid: dict[str, Any],
        documents: Sequence[Path],
        key: str | None,
        declaration: str,
        state_dir: Path | None,
        progress: Progress | None,
    ) -> Receipt:
        key = idempotency_key_check(key or new_idempotency_key())
        contents = [(path_.name, _read(path_)) for path_ in documents]
        fingerprint = input_fingerprint(
            action=action,
            target=target,
            bid={"bid": bid, "names": [name for name, _data in contents]},
            documents=[data for _name, data in contents],
        )
        pending = Pending.open(state_dir, key=key, fingerprint=fingerprint)
        if pending.receipt is not None:
            return self._kept_receipt(pending.receipt, key=key)
        sealed = pending.sealed
        if sealed is None:
            sealed = self.seal(ocid, bid, contents)
            pending.keep_sealed(sealed)
        states = {doc_id: self._earlier_upload(doc_id, pending) for doc_id, _ in sealed.documents}
        if (
            sealed.documents
            and None in states.values()
            and all(pending.upload_id(doc_id) for doc_id, _data in sealed.documents)
        ):
            # Uploads an earlier attempt made are gone: moved into the bid that attempt created
            # (which a post with the same key and body answers with its receipt), or expired
            # (the post is refused, and the documents are uploaded anew below).
            earlier = [(doc_id, pending.upload_id(doc_id) or "") for doc_id, _ in sealed.documents]
            try:
                answer = self._post_bid(path, key, sealed, earlier, declaration)
            except Refused:
                pass
            else:
                return self._kept(pending, answer, key=key, ocid=ocid, sealed=sealed, action=action)
        total = sum(len(data) for _doc_id, data in sealed.documents)
        advance = None if progress is None else (lambda sent: progress(sent, total))
        uploads = []
        for doc_id, data in sealed.documents:
            state = states[doc_id]
            if state is None or state.size != len(data):
                state = self.upload_create(ocid, data)
                pending.keep_upload_id(doc_id, state.upload_id)
            self.upload(state, data, progress=advance)
            uploads.append((doc_id, state.upload_id))
        answer = self._post_bid(path, key, sealed, uploads, declaration)
        return self._kept(pending, answer, key=key, ocid=ocid, sealed=sealed, action=action)

    def _earlier_upload(self, doc_id: str, pending: Pending) -> UploadState | None:
        earlier = pending.upload_id(doc_id)
        return None if earlier is None else self.upload_state(earlier)

    def _post_bid(
        self,
        path: str,
        key: str,
        sealed: Sealed,
        uploads: Sequence[tuple[str, str]],
        declaration: str,
    ) -> Answer:
        body: dict[str, Any] = {
            "envelope": b64url_encode(sealed.envelope),
            "documents": [{"id": doc_id, "upload": upload} for doc_id, upload in uploads],
        }
        if declaration:
            body["declaration"] = declaration
        return self.http.request(
            "POST", path, json_body=body, headers={"Idempotency-Key": key}, retry=True
        )

    def _kept(
        self, pending: Pending, answer: Answer, *, key: str, ocid: str, sealed: Sealed, action: str
    ) -> Receipt:
        receipt = self._acknowledged(
            answer, key=key, tender=ocid, commitment=sealed.commitment, action=action
        )
        pending.keep_receipt(receipt.as_json())
        return receipt

    def _kept_receipt(self, kept: dict[str, Any], *, key: str) -> Receipt:
        """The receipt an earlier run got for this key, verified again."""
        note, bid_id = kept.get("receipt"), kept.get("bid")
        if not isinstance(note, str) or not isinstance(bid_id, str):
            raise ClientError(
                errors.USAGE,
                _("The receipt kept for the idempotency key %(key)s is damaged.") % {"key": key},
                hint=_("Run `pregon bid receipt BID_ID` to fetch it from the server."),
            )
        receipt = receipt_open(note, self.log_key(), bid_id=bid_id)
        received_at = kept.get("receivedAt")
        return replace(
            receipt,
            idempotency_key=key,
            received_at=received_at if isinstance(received_at, str) else "",
        )

    def seal(
        self, ocid: str, bid: dict[str, Any], documents: Sequence[tuple[str, bytes]]
    ) -> Sealed:
        """Seal a bid (``lots``, ``answers``) and its ``(file name, bytes)`` documents to the
        tender's logged committee; nothing is sent."""
        plain = plain_bid(ocid, bid, documents)
        committee = self.committee(ocid)
        members = [Member(member.fingerprint, member.public_key) for member in committee.members]
        try:
            sealed = seal_bid(
                ocid=ocid,
                members=members,
                threshold=committee.threshold,
                bid=plain,
                documents=[
                    (entry["id"], data)
                    for entry, (_name, data) in zip(plain["documents"], documents, strict=True)
                ],
            )
        except SealingError as error:
            raise ClientError(
                errors.USAGE,
                _("The bid cannot be sealed: %(reason)s") % {"reason": error.message},
                hint=_("Correct the bid and run the command again."),
            ) from error
        return Sealed(sealed.envelope, sealed.commitment, tuple(sealed.documents))

    def _acknowledged(
        self, answer: Answer, *, key: str, tender: str, commitment: str, action: str
    ) -> Receipt:
        body = answer.json()
        bid_id = body.get("id")
        if not isinstance(bid_id, str):
            raise _bad_answer(_("the acknowledgement names no bid"))
        if body.get("commitment") != commitment:
            raise ClientError(
                errors.COMMITMENT_MISMATCH,
                _(
                    "The server acknowledged commitment %(served)s, not %(own)s, the SHA-256 of "
                    "the envelope sent."
                )
                % {"served": body.get("commitment"), "own": commitment},
                hint=_("Keep the idempotency key %(key)s and report it to the platform's operator.")
                % {"key": key},
            )
        receipt = self._receipt_of(body, bid_id=bid_id)
        receipt_check(receipt, tender=tender, commitment=commitment, action=action)
        return replace(receipt, idempotency_key=key)

    def _receipt_of(self, body: dict[str, Any], *, bid_id: str) -> Receipt:
        note = body.get("receipt")
        if not isinstance(note, str):
            raise _bad_answer(_("bid %(bid)s comes without its receipt") % {"bid": bid_id})
        receipt = receipt_open(note, self.log_key(), bid_id=bid_id)
        leaf_index = body.get("leafIndex")
        if isinstance(leaf_index, int) and not isinstance(leaf_index, bool):
            receipt_check(receipt, leaf_index=leaf_index)
        received_at, status = body.get("receivedAt"), body.get("status")
        return replace(
            receipt,
            received_at=received_at if isinstance(received_at, str) else "",
            status=status if isinstance(status, str) else "",
        )

    # --- uploads --------------------------------------------------------------------------------

    def upload_create(self, ocid: str, data: bytes) -> UploadState:
        """Announce an upload of ``data`` (its size and SHA-256) for the tender."""
        answer = self.http.request(
            "POST",
            f"{API}/tenders/{quoted(ocid)}/bid-uploads",
            json_body={"size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
            retry=True,
        )
        return _upload_state(answer.json())

    def upload_state(self, upload_id: str) -> UploadState | None:
        """Where upload ``upload_id`` stands, or None when the server no longer has it."""
        try:
            answer = self.http.request("GET", f"{API}/bid-uploads/{quoted(upload_id)}", retry=True)
        except Refused as error:
            if error.status == 404:
                return None
            raise
        return _upload_state(answer.json())

    def upload(
        self, state: UploadState, data: bytes, *, progress: Callable[[int], None] | None = None
    ) -> None:
        """Send the rest of ``data`` from where the upload stands, in chunks.

        After a dropped connection or a 5xx the client asks where the upload stands and goes
        on from there; a 409 (a chunk that does not start where the server is) carries the
        server's ``received``. Bytes the server holds are never sent again.
        """
        size = len(data)
        received = state.received
        if progress is not None and received:
            progress(received)
        complete = state.complete
        failures = 0
        while not complete:
            if received >= size:
                raise ClientError(
                    errors.BAD_ANSWER,
                    _(
                        "The server holds all %(size)s bytes of upload %(upload)s but does not accept them."
                    )
                    % {"size": size, "upload": state.upload_id},
                    hint=_("Run the same command again: the document is then uploaded anew."),
                )
            end = min(received + self.chunk_size, size)
            try:
                answer = self.http.once(
                    "PUT",
                    f"{API}/bid-uploads/{quoted(state.upload_id)}",
                    body=data[received:end],
                    headers={
                        "Content-Type": "application/octet-stream",
                        "Content-Range": f"bytes {received}-{end - 1}/{size}",
                    },
                )
                now = _upload_state(answer.json())
            except Refused as refusal:
                # Only a chunk sent at the wrong offset is resumed; any other 409 (the deadline
                # passed, the tender is no longer open) is the answer, and retrying cannot help.
                if refusal.status != 409 or refusal.problem.get("code") != "wrong_offset":
                    raise
                now = self._conflict_state(state.upload_id, size, refusal)
            except Transient as failure:
                if failures >= self.http.retries:
                    raise failure.error from None
                self.http.pause(failures, failure.pause)
                failures += 1
                found = self.upload_state(state.upload_id)
                if found is None:
                    raise ClientError(
                        errors.BAD_ANSWER,
                        _("The server no longer has upload %(upload)s.")
                        % {"upload": state.upload_id},
                        hint=_("Run the same command again: the document is then uploaded anew."),
                    ) from None
                now = found
            if now.received > received:
                failures = 0
            if progress is not None and now.received != received:
                progress(now.received - received)
            received, complete = now.received, now.complete
            if now.size != size or received > size:
                raise _bad_answer(_("upload %(upload)s changed size") % {"upload": state.upload_id})

    def _conflict_state(self, upload_id: str, size: int, refusal: Refused) -> UploadState:
        """Where the upload stands after a 409: the server's ``received``, else asked anew."""
        received = refusal.problem.get("received")
        if isinstance(received, int) and not isinstance(received, bool) and 0 <= received < size:
            return UploadState(upload_id, received, size, complete=False)
        found = self.upload_state(upload_id)
        if found is None:
            raise refusal
        return found

    # --- signing in ----------------------------------------------------------------------------

    def sign_in(self, email: str, password: str, code: Callable[[], str] | None = None) -> None:
        """Sign in as a person (a committee member acts in person, never with an API key).

        Goes through the site's sign-in form, then its second step when the account has an
        authenticator: ``code`` is called then for the current code. The session is kept for
        the client's later requests.
        """
        login = f"/{SIGN_IN_LANGUAGE}/accounts/login/"
        self.http.request("GET", login, headers={"Accept": "text/html"}, retry=True)
        answer = self.http.request(
            "POST",
            login,
            form={"csrfmiddlewaretoken": self._csrf(), "login": email, "password": password},
            headers={"Accept": "text/html"},
        )
        location = urllib.parse.urlsplit(answer.headers.get("Location", "")).path
        if answer.status not in {301, 302, 303}:
            raise ClientError(
                errors.USAGE,
                _("The e-mail address or the password is not right; you are not signed in."),
                hint=_("Check both, or reset the password on the site's sign-in page."),
            )
        if location.endswith("/2fa/authenticate/"):
            if code is None:
                raise ClientError(
                    errors.USAGE,
                    _("This account signs in with an authenticator code."),
                    hint=_("Run the command in a terminal to type the code when asked."),
                )
            answer = self.http.request(
                "POST",
                location,
                form={"csrfmiddlewaretoken": self._csrf(), "code": code().strip()},
                headers={"Accept": "text/html"},
            )
            location = urllib.parse.urlsplit(answer.headers.get("Location", "")).path
            if answer.status not in {301, 302, 303}:
                raise ClientError(
                    errors.USAGE,
                    _("The authenticator code is not right; you are not signed in."),
                    hint=_("Type the code your authenticator shows now, or a recovery code."),
                )
        if "/accounts/" in location:
            # Anywhere else in the accounts pages: an address to confirm, a password to change.
            raise ClientError(
                errors.USAGE,
                _("The sign-in is not complete: the site asks for a step at %(path)s.")
                % {"path": location},
                hint=_("Sign in once in a browser to finish it, then run the command again."),
            )

    def _csrf(self) -> str:
        token = self.http.cookie(CSRF_COOKIE)
        if not token:
            raise _bad_answer(_("the sign-in page sets no CSRF cookie"))
        return token

    # --- the opening --------------------------------------------------------------------------------

    def opening_envelopes(self, ocid: str) -> list[OpeningEnvelope]:
        """The envelopes of the tender's bids, for a committee member after the opening time."""
        body = self.http.request(
            "GET", f"{API}/tenders/{quoted(ocid)}/opening/envelopes", retry=True
        ).json()
        bids = body.get("bids")
        if not isinstance(bids, list):
            raise _bad_answer(_("the opening lists no bids"))
        envelopes = []
        for item in bids:
            try:
                envelopes.append(OpeningEnvelope(str(item["id"]), b64url_decode(item["envelope"])))
            except (KeyError, TypeError, ValueError) as error:
                raise _bad_answer(_("an envelope of the opening is not readable")) from error
        return envelopes

    def hand_in_shares(
        self,
        ocid: str,
        shares: Sequence[tuple[str, bytes]],
        declarations: Sequence[tuple[str, str]] = (),
    ) -> HandIn:
        """Hand in this member's decrypted shares: ``(bid id, 33-byte share)`` pairs, and declare
        the bids whose share they cannot decrypt: ``(bid id, reason)`` pairs, the reason
        ``share_undecryptable`` or ``share_mismatch`` (public: the record names the member)."""
        body: dict[str, Any] = {
            "shares": [{"bid": bid_id, "share": b64url_encode(share)} for bid_id, share in shares]
        }
        if declarations:
            body["declarations"] = [
                {"bid": bid_id, "reason": reason} for bid_id, reason in declarations
            ]
        answer = self.http.request(
            "POST", f"{API}/tenders/{quoted(ocid)}/opening/shares", json_body=body, retry=True
        ).json()
        handed_in, opened = answer.get("handedIn"), answer.get("opened")
        declared = answer.get("declared", 0)
        if (
            not isinstance(handed_in, int)
            or not isinstance(opened, bool)
            or not isinstance(declared, int)
        ):
            raise _bad_answer(_("the answer to the hand-in is not {handedIn, opened}"))
        return HandIn(handed_in, opened, declared)


def plain_bid(
    ocid: str, bid: dict[str, Any], documents: Sequence[tuple[str, bytes]]
) -> dict[str, Any]:
    """The whole ``pregon-bid/1`` document: the bidder's ``lots`` and ``answers``, the tender,
    and the documents (ids ``d1``, ``d2``... in the order given, name, media type, size)."""
    unknown = sorted(set(bid) - {"lots", "answers"})
    if unknown:
        raise ClientError(
            errors.USAGE,
            _("A bid holds lots and answers only, not %(fields)s.")
            % {"fields": ", ".join(unknown)},
        )
    return {
        "format": BID_FORMAT,
        "tender": ocid,
        "lots": list(bid.get("lots", [])),
        "answers": list(bid.get("answers", [])),
        "documents": [
            {
                "id": f"d{number}",
                "name": name,
                "mediaType": mimetypes.guess_type(name)[0] or "application/octet-stream",
                "size": len(data),
            }
            for number, (name, data) in enumerate(documents, start=1)
        ],
    }


def _upload_state(body: dict[str, Any]) -> UploadState:
    upload_id, received, size = body.get("id"), body.get("received"), body.get("size")
    complete = body.get("complete", False)
    if (
        not isinstance(upload_id, str)
        or not isinstance(received, int)
        or not isinstance(size, int)
        or not isinstance(complete, bool)
        or not 0 <= received <= size
    ):
        raise _bad_answer(_("an upload's state is not {id, received, size, complete}"))
    return UploadState(upload_id, received, size, complete)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ClientError(
            errors.USAGE,
            _("Cannot read %(path)s: %(reason)s.")
            % {"path": path, "reason": error.strerror or error},
            hint=_("Check the path of the document."),
        ) from error


def _pinned_key(text: str) -> VerifierKey:
    try:
        return parse_verifier_key(text.strip())
    except LedgerError as error:
        raise ClientError(
            errors.USAGE,
            _("The log key %(key)s is not a verifier key: %(reason)s.")
            % {"key": repr(text), "reason": error},
            hint=_("Copy it whole from the log's page (/log/), like name+1a2b3c4d+AbCd…"),
        ) from error


def _bad_answer(reason: str) -> ClientError:
    return ClientError(
        errors.BAD_ANSWER,
        _("The server's answer is not what the API promises: %(reason)s.") % {"reason": reason},
        hint=_("Check that the address is a Pregón instance; otherwise report it to its operator."),
    )
