"""Webhooks on the wire: the signature, the check of an address, and one signed POST.

Each POST carries the JSON body and these headers:

- `X-Pregon-Event`: `tender.published`, `tender.amended`, `tender.cancelled` or
  `plan_line.published` (a line of a procurement plan, coming soon);
- `X-Pregon-Delivery`: the delivery's id (the same on every attempt: a receiver that has seen
  it already answers 2xx and does nothing);
- `X-Pregon-Timestamp`: the Unix time of this attempt;
- `X-Pregon-Signature`: `sha256=` and the hexadecimal HMAC-SHA256, keyed with the endpoint's
  secret, of `<timestamp>.<body>`. A receiver recomputes it, compares in constant time, and
  refuses a timestamp more than a few minutes old (a replayed request).

Addresses: in production a webhook may not point at a private, loopback, link-local or other
non-public address (the platform would otherwise be a way into its own network). The check
runs when the address is registered and again at each delivery, on the addresses the name
resolves to then, and the connection goes to the address that was checked (a name that
resolves elsewhere a moment later cannot slip through). Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

SIGNATURE_HEADER = "X-Pregon-Signature"
TIMESTAMP_HEADER = "X-Pregon-Timestamp"
DELIVERY_HEADER = "X-Pregon-Delivery"
EVENT_HEADER = "X-Pregon-Event"
USER_AGENT = "Pregon-Webhooks/1.0"
#: How much of a receiver's answer is kept in the delivery log.
RESPONSE_EXCERPT = 500


class UnsafeAddress(ValueError):
    """A webhook address the platform will not call (its message says why, translated)."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Pregon-Signature` value of `body` sent at `timestamp`."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_is_valid(
    secret: str, timestamp: str, body: bytes, header: str, *, now: float, tolerance: int = 300
) -> bool:
    """What a receiver checks (the docs show the same in a few lines): the signature, and a
    timestamp within `tolerance` seconds of `now`."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), header)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def url_check(url: str) -> tuple[str, str, int]:
    """The scheme, host and port of an address a webhook may have (http or https, a host).

    Raises UnsafeAddress otherwise.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeAddress(_("Give an address that starts with https:// (or http://)."))
    if parts.username or parts.password:
        raise UnsafeAddress(_("The address must not contain a user name or a password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeAddress(_("The port of this address is not valid.")) from None
    return parts.scheme, parts.hostname, port


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to for `host`: the first it resolves to, every one of which must
    be public unless `allow_private`. Raises UnsafeAddress."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeAddress(_("The host name of this address could not be found.")) from None
    addresses = [str(entry[4][0]) for entry in found]
    if not addresses:
        raise UnsafeAddress(_("The host name of this address could not be found."))
    if not allow_private and not all(_is_public(address) for address in addresses):
        raise UnsafeAddress(
            _(
                "This address leads to a private or local network; webhooks must be "
                "reachable on the public Internet."
            )
        )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address already checked, whatever the name resolves to now."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: connected to the checked address, the certificate checked against
    the host name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class PostResult:
    """What one POST gave: a 2xx answer is a success."""

    status: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(
    url: str,
    body: bytes,
    *,
    headers: dict[str, str],
    timeout: float,
    allow_private: bool,
) -> PostResult:
    """POST `body` to `url` once (no redirect followed) and say how it went. Never raises for
    what the network or the receiver does: that is the result."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port = url_check(url)
        address = resolve(host, port, allow_private=allow_private)
    except UnsafeAddress as error:
        return PostResult(status=None, error=str(error), duration_ms=elapsed())
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=timeout)
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        return PostResult(
            status=None, error=f"{type(error).__name__}: {error}", duration_ms=elapsed()
        )
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return PostResult(status=response.status, error="", duration_ms=elapsed())
    return PostResult(
        status=response.status,
        error=_("The receiver answered %(status)s: %(text)s")
        % {"status": response.status, "text": excerpt.strip()[:RESPONSE_EXCERPT]},
        duration_ms=elapsed(),
    )
