"""Talking to a Pregón transparency log over HTTP, with the standard library only.

Used by ``pregon verify`` and by the witness, and usable without Django: every answer is parsed
strictly and nothing it returns is trusted until checked against a signed checkpoint with
``pregon.tlog.merkle`` and ``pregon.tlog.checkpoint``.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import http.client
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from pregon.tlog.errors import LedgerError
from pregon.tlog.merkle import HASH_SIZE

USER_AGENT: Final = "pregon-ledger-client/1"
DEFAULT_TIMEOUT: Final = 30.0
MAX_LEAVES_PER_REQUEST: Final = 1000
# A checkpoint, a key or a proof is small; refuse to read more than this from one answer.
_MAX_SMALL_BODY = 1 << 20
_MAX_JSON_BODY = 8 << 20
_GZIP_MAGIC = b"\x1f\x8b"


class LogClientError(LedgerError):
    """The log could not be reached, or answered something that is not what it should be."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        """``status`` is the HTTP status when the log answered; ``code`` its problem code."""
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """An inclusion proof as the log served it (not yet verified).

    ``kind`` is the kind the log lists for the leaf ("" when it does not say); like every kind,
    it is not covered by the leaf hash: only the document's content can confirm it.
    """

    leaf_index: int
    tree_size: int
    hashes: list[bytes]
    kind: str = ""


@dataclass(frozen=True, slots=True)
class LeafEntry:
    """One leaf as ``/log/leaves`` lists it."""

    index: int
    kind: str
    ref: str
    leaf_hash: bytes


def log_base_url(url: str) -> str:
    """The log's base URL (ending in ``/log``) from an instance's or a log's address."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        msg = f"{url!r} is not an http(s) address"
        raise LogClientError(msg)
    path = parts.path.rstrip("/")
    if not path.endswith("/log"):
        path += "/log"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class LogClient:
    """The HTTP interface of one log: checkpoint, keys, proofs, leaves, witness cosignatures."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """``url`` is the instance's address or the log's (``https://example.org/log``)."""
        self.base_url = log_base_url(url)
        self.timeout = timeout
        self.requests = 0

    def checkpoint(self) -> str:
        """The latest signed checkpoint, with any witness cosignatures, as text."""
        return self._text("/checkpoint")

    def public_key(self) -> str:
        """The log's current verifier key (the first line of ``/log/public-key``)."""
        return self._text("/public-key").strip().split("\n", 1)[0]

    def inclusion_proof(self, leaf_hash: bytes, tree_size: int) -> InclusionProof:
        """The inclusion proof of the leaf with ``leaf_hash`` in the tree of ``tree_size``.

        A leaf the log does not hold raises ``LogClientError`` with status 404.
        """
        body = self._json(
            "/proof/inclusion", {"leaf_hash": leaf_hash.hex(), "tree_size": str(tree_size)}
        )
        index = _integer(body, "leaf_index")
        size = _integer(body, "tree_size")
        if size != tree_size:
            msg = f"asked for a proof in the tree of size {tree_size}, got one for size {size}"
            raise LogClientError(msg)
        kind = body.get("kind")
        return InclusionProof(index, size, _hashes(body), kind if isinstance(kind, str) else "")

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """The consistency proof from the tree of ``first`` leaves to the one of ``second``."""
        body = self._json("/proof/consistency", {"first": str(first), "second": str(second)})
        if _integer(body, "first") != first or _integer(body, "second") != second:
            msg = f"asked for a consistency proof from {first} to {second}, got another one"
            raise LogClientError(msg)
        return _hashes(body)

    def leaves(self, start: int, end: int) -> list[LeafEntry]:
        """Leaves ``start`` to ``end`` (exclusive); the log may return fewer, never others."""
        body = self._json("/leaves", {"start": str(start), "end": str(end)})
        items = body.get("leaves")
        if not isinstance(items, list):
            msg = "the leaves answer has no list of leaves"
            raise LogClientError(msg)
        entries: list[LeafEntry] = []
        for position, item in enumerate(items):
            if not isinstance(item, dict):
                msg = "a leaf in the answer is not an object"
                raise LogClientError(msg)
            index = _integer(item, "index")
            if index != start + position:
                msg = f"expected leaf {start + position}, the log sent leaf {index}"
                raise LogClientError(msg)
            kind, ref, value = item.get("kind"), item.get("ref"), item.get("leaf_hash")
            if not isinstance(kind, str) or not isinstance(ref, str) or not isinstance(value, str):
                msg = f"leaf {index} lacks its kind, reference or hash"
                raise LogClientError(msg)
            entries.append(LeafEntry(index, kind, ref, _hex_hash(value, f"leaf {index}")))
        if len(entries) > end - start:
            msg = f"asked for {end - start} leaves, the log sent {len(entries)}"
            raise LogClientError(msg)
        return entries

    def witness_cosignatures(self, origin: str) -> str | None:
        """The latest checkpoint of log ``origin`` that this instance cosigned, or ``None``."""
        try:
            return self._text("/witness/cosignatures", {"origin": origin})
        except LogClientError as error:
            if error.status == 404:
                return None
            raise

    # --- transport ------------------------------------------------------------------------------

    def _url(self, path: str, query: dict[str, str] | None = None) -> str:
        url = self.base_url + path
        return url + ("?" + urllib.parse.urlencode(query) if query else "")

    def _get(self, path: str, query: dict[str, str] | None, limit: int, accept: str) -> bytes:
        url = self._url(path, query)
        request = urllib.request.Request(  # noqa: S310  (the scheme was checked: http or https)
            url, headers={"User-Agent": USER_AGENT, "Accept": accept}
        )
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body: bytes = response.read(limit + 1)
        except urllib.error.HTTPError as error:
            raise _http_error(url, error) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            msg = f"cannot reach {url}: {reason}"
            raise LogClientError(msg) from error
        if len(body) > limit:
            msg = f"the answer from {url} is larger than {limit} bytes"
            raise LogClientError(msg)
        return body

    def _text(self, path: str, query: dict[str, str] | None = None) -> str:
        body = self._get(path, query, _MAX_SMALL_BODY, "text/plain")
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as error:
            msg = f"the answer from {self._url(path, query)} is not UTF-8 text"
            raise LogClientError(msg) from error

    def _json(self, path: str, query: dict[str, str]) -> dict[str, Any]:
        body = self._get(path, query, _MAX_JSON_BODY, "application/json")
        try:
            value = json.loads(body)
        except ValueError as error:
            msg = f"the answer from {self._url(path, query)} is not JSON"
            raise LogClientError(msg) from error
        if not isinstance(value, dict):
            msg = f"the answer from {self._url(path, query)} is not a JSON object"
            raise LogClientError(msg)
        return value


def _http_error(url: str, error: urllib.error.HTTPError) -> LogClientError:
    """A readable error from an HTTP error answer, with the problem's detail when there is one."""
    detail, code = "", ""
    try:
        problem = json.loads(error.read(_MAX_SMALL_BODY))
        if isinstance(problem, dict):
            detail = str(problem.get("detail", ""))
            code = str(problem.get("code", ""))
    except (ValueError, OSError):
        pass
    msg = f"{url} answered {error.code}" + (f": {detail}" if detail else "")
    return LogClientError(msg, status=error.code, code=code)


def _integer(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        msg = f"{name!r} is missing or not a non-negative integer"
        raise LogClientError(msg)
    return value


def _hashes(body: dict[str, Any]) -> list[bytes]:
    values = body.get("hashes")
    if not isinstance(values, list):
        msg = "'hashes' is missing or not a list"
        raise LogClientError(msg)
    hashes: list[bytes] = []
    for position, value in enumerate(values):
        try:
            raw = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != HASH_SIZE:
            msg = f"proof hash {position} is not base64 of {HASH_SIZE} bytes"
            raise LogClientError(msg)
        hashes.append(raw)
    return hashes


def _hex_hash(value: str, what: str) -> bytes:
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    if len(raw) != HASH_SIZE:
        msg = f"the hash of {what} is not {HASH_SIZE} bytes in hexadecimal"
        raise LogClientError(msg)
    return raw


# --- reading published data -------------------------------------------------------------------------


@contextmanager
def open_data(source: str, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[IO[bytes]]:
    """Open a local file or an http(s) URL for reading bytes, gunzipping it when compressed.

    Compression is recognised by its magic bytes, not by the name, so ``releases.jsonl.gz``
    served with ``Content-Encoding`` stripped by a proxy still reads.
    """
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(  # noqa: S310  (the scheme was checked)
            source, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        try:
            raw: IO[bytes] = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310
        except urllib.error.HTTPError as error:
            raise _http_error(source, error) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            msg = f"cannot read {source}: {getattr(error, 'reason', error)}"
            raise LogClientError(msg) from error
    else:
        try:
            raw = Path(source).open("rb")  # noqa: SIM115  (closed below)
        except OSError as error:
            msg = f"cannot read {source}: {error.strerror}"
            raise LogClientError(msg) from error
    try:
        # Files and HTTP responses both peek without consuming; anything else gets a buffer.
        stream: Any = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
        if stream.peek(2)[:2] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=stream, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield stream
    finally:
        raw.close()
