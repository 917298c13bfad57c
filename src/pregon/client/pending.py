"""What a submission keeps so that a retry sends exactly the same bytes.

Sealing draws a fresh data key and fresh nonces, so sealing the same bid twice gives another
envelope, and the server answers a retry whose body differs from the first with 422. A retry
after a crash must therefore send the sealed bytes of the first attempt, with the same
idempotency key and the same uploads. With a state directory they are kept on disk, in
``<state dir>/<idempotency key>/``::

    input.json      which bid this is (a hash of the plain input), for which tender and action
    envelope        the envelope's exact bytes
    documents/<id>  each document as uploaded (encrypted)
    uploads.json    the upload id of each document, once created
    receipt.json    the verified receipt, once there is one

Without a state directory the same is kept in memory, which covers retries within one process.
Nothing here is secret: the envelope and documents are ciphertext, and the plain input is only
hashed; the bidder's plain files are on the same machine anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pregon.client import errors
from pregon.client.errors import ClientError
from pregon.client.i18n import _

INPUT: Final = "input.json"
ENVELOPE: Final = "envelope"
DOCUMENTS: Final = "documents"
UPLOADS: Final = "uploads.json"
RECEIPT: Final = "receipt.json"


@dataclass(frozen=True, slots=True)
class Sealed:
    """A sealed bid: the envelope, its commitment, and each document as uploaded."""

    envelope: bytes
    commitment: str
    documents: tuple[tuple[str, bytes], ...]


class Pending:
    """The sealed bytes and upload ids of one submission (one idempotency key)."""

    def __init__(self, directory: Path | None, key: str, fingerprint: str) -> None:
        """Use ``directory`` (or memory when None) for the submission with ``key``."""
        self.directory = directory
        self.key = key
        self.fingerprint = fingerprint
        self._sealed: Sealed | None = None
        self._uploads: dict[str, str] = {}
        self._receipt: dict[str, Any] | None = None

    @classmethod
    def open(cls, state_dir: Path | None, *, key: str, fingerprint: str) -> Pending:
        """The submission with ``key``: resumed from ``state_dir`` when it was started there.

        Refuses (``key_reused``) a key that was used for another bid, action or tender.
        """
        if state_dir is None:
            return cls(None, key, fingerprint)
        directory = state_dir / key
        pending = cls(directory, key, fingerprint)
        stored = pending._read_json(INPUT)
        if stored is None:
            return pending
        if stored.get("fingerprint") != fingerprint:
            raise ClientError(
                errors.KEY_REUSED,
                _(
                    "The idempotency key %(key)s was already used for another bid (saved in "
                    "%(directory)s)."
                )
                % {"key": key, "directory": directory},
                hint=_(
                    "To retry that submission, run it with the same tender, prices, answers and "
                    "documents. To send a new bid, leave --idempotency-key out: a new key is made."
                ),
            )
        sealed_bytes = pending._read(ENVELOPE)
        commitment = stored.get("commitment")
        names = stored.get("documents")
        if sealed_bytes is not None and isinstance(commitment, str) and isinstance(names, list):
            documents = []
            for doc_id in names:
                data = pending._read(f"{DOCUMENTS}/{doc_id}")
                if data is None:
                    break
                documents.append((str(doc_id), data))
            else:
                pending._sealed = Sealed(sealed_bytes, commitment, tuple(documents))
        pending._receipt = pending._read_json(RECEIPT)
        pending._uploads = {
            str(doc_id): str(upload)
            for doc_id, upload in (pending._read_json(UPLOADS) or {}).items()
        }
        return pending

    @property
    def sealed(self) -> Sealed | None:
        """The bytes sealed by an earlier attempt, if any."""
        return self._sealed

    def keep_sealed(self, sealed: Sealed) -> None:
        """Keep the sealed bytes, before anything is sent."""
        self._sealed = sealed
        if self.directory is None:
            return
        for doc_id, data in sealed.documents:
            self._write(f"{DOCUMENTS}/{doc_id}", data)
        self._write(ENVELOPE, sealed.envelope)
        # Written last: an attempt that stopped before this line is not resumed, only redone.
        info = {
            "fingerprint": self.fingerprint,
            "commitment": sealed.commitment,
            "documents": [doc_id for doc_id, _data in sealed.documents],
        }
        self._write(INPUT, json.dumps(info, indent=2).encode())

    @property
    def receipt(self) -> dict[str, Any] | None:
        """The receipt an earlier attempt got and kept, if any."""
        return self._receipt

    def upload_id(self, doc_id: str) -> str | None:
        """The upload created for document ``doc_id`` by an earlier attempt."""
        return self._uploads.get(doc_id)

    def keep_upload_id(self, doc_id: str, upload_id: str | None) -> None:
        """Remember (or, with None, forget) the upload of ``doc_id``."""
        if upload_id is None:
            self._uploads.pop(doc_id, None)
        else:
            self._uploads[doc_id] = upload_id
        if self.directory is not None:
            self._write(UPLOADS, json.dumps(self._uploads, indent=2).encode())

    def keep_receipt(self, receipt: dict[str, Any]) -> None:
        """Keep the verified receipt; the encrypted documents are no longer needed."""
        self._receipt = receipt
        if self.directory is None:
            return
        self._write(RECEIPT, json.dumps(receipt, indent=2, ensure_ascii=False).encode())
        shutil.rmtree(self.directory / DOCUMENTS, ignore_errors=True)

    def _read(self, name: str) -> bytes | None:
        if self.directory is None:
            return None
        try:
            return (self.directory / name).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _state_error(self.directory, error) from error

    def _read_json(self, name: str) -> dict[str, Any] | None:
        data = self._read(name)
        if data is None:
            return None
        try:
            value = json.loads(data)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def _write(self, name: str, data: bytes) -> None:
        assert self.directory is not None
        path = self.directory / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp.")
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).replace(path)
        except OSError as error:
            raise _state_error(self.directory, error) from error


def input_fingerprint(*, action: str, target: str, bid: Any, documents: list[bytes]) -> str:
    """A hash naming one submission's input: action, tender or bid, plain bid and documents."""
    digest = hashlib.sha256()
    head = {"action": action, "target": target, "bid": bid}
    digest.update(json.dumps(head, sort_keys=True, separators=(",", ":")).encode())
    for data in documents:
        digest.update(b"\n" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _state_error(directory: Path, error: OSError) -> ClientError:
    return ClientError(
        errors.USAGE,
        _("Cannot use the state directory %(directory)s: %(reason)s.")
        % {"directory": directory, "reason": error.strerror or error},
        hint=_("Choose a writable directory with --state-dir."),
    )
