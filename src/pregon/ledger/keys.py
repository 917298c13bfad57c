"""The log's identity: its origin and the Ed25519 keys that sign its checkpoints.

* Origin: ``settings.PREGON_LOG_ORIGIN``, or ``<host of SITE_URL>/pregon/log``. Per C2SP it names
  the log (it is not an address) and is the name of the log's signing key.
* Signer keys: ``settings.PREGON_LOG_SIGNER_KEY`` holds one or more keys in the note format
  (``PRIVATE+KEY+<origin>+<id>+<key>``), separated by spaces or new lines. Every key listed signs
  each checkpoint (that is how a key is rotated: old and new together for a while); the first
  is the current one, whose verifier key ``/log/public-key`` serves first.
* Outside production, when the setting is empty, a key is created once in
  ``VAR_DIR/log-signer.key`` (permissions 0600) and reused. Production refuses to run without
  the setting (system check ``ledger.E001`` says what to do).
* Witness cosignatures are made with the current key's seed under the cosignature algorithm
  (C2SP tlog-cosignature), so another instance that trusts this log's verifier key can also
  verify this instance's cosignatures without a second key exchange.
"""

from __future__ import annotations

import contextlib
import os
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pregon.tlog.checkpoint import (
    ALG_COSIGNATURE_V1,
    ALG_ED25519,
    SignerKey,
    VerifierKey,
    format_signer_key,
    generate_signer_key,
    parse_signer_key,
)
from pregon.tlog.errors import MalformedNoteError

KEY_FILE_NAME = "log-signer.key"


def log_origin() -> str:
    """The origin line of this log's checkpoints (and the name of its keys)."""
    configured = settings.PREGON_LOG_ORIGIN.strip()
    if configured:
        return configured
    return origin_for_site(settings.SITE_URL)


def origin_for_site(site_url: str) -> str:
    """The default origin of the instance at ``site_url``: ``<host[:port]>/pregon/log``."""
    parts = urlsplit(site_url)
    host = (parts.hostname or "localhost").lower()
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return f"{host}/pregon/log"


def signer_keys() -> list[SignerKey]:
    """The keys that sign this log's checkpoints, the current one first.

    Raises ``ImproperlyConfigured`` when the setting is missing in production, malformed, or
    names another origin.
    """
    return list(
        _load_keys(
            settings.PREGON_LOG_SIGNER_KEY,
            log_origin(),
            str(settings.VAR_DIR),
            bool(settings.PRODUCTION),
        )
    )


def verifier_keys() -> list[VerifierKey]:
    """The public halves of ``signer_keys()``, the current one first."""
    return [key.verifier for key in signer_keys()]


def cosigner_key() -> SignerKey:
    """The key this instance cosigns other logs' checkpoints with (as a witness)."""
    return cosigner_for(signer_keys()[0])


def cosigner_for(key: SignerKey) -> SignerKey:
    """The cosignature key that goes with a log signing key: same seed, name, other algorithm.

    The two cannot stand in for each other: a cosignature signs ``cosignature/v1\\ntime …``,
    text that is never a checkpoint (whose second line is a number).
    """
    return SignerKey(key.name, ALG_COSIGNATURE_V1, key.seed)


def cosigner_verifier_for(key: VerifierKey) -> VerifierKey:
    """The verifier of the cosignatures made by the instance whose log key is ``key``."""
    return VerifierKey(key.name, ALG_COSIGNATURE_V1, key.public_key)


def new_signer_key(origin: str) -> str:
    """A new signer key for ``origin``, in the note format, for ``PREGON_LOG_SIGNER_KEY``."""
    return format_signer_key(generate_signer_key(origin))


def parse_signer_keys(text: str, origin: str) -> list[SignerKey]:
    """Parse one or more signer keys separated by white space; each must be named ``origin``."""
    keys: list[SignerKey] = []
    for part in text.split():
        try:
            key = parse_signer_key(part)
        except MalformedNoteError as error:
            msg = f"PREGON_LOG_SIGNER_KEY holds a key that cannot be read: {error}"
            raise ImproperlyConfigured(msg) from error
        if key.algorithm != ALG_ED25519:
            msg = "PREGON_LOG_SIGNER_KEY must hold Ed25519 log keys (algorithm 1)."
            raise ImproperlyConfigured(msg)
        if key.name != origin:
            msg = (
                f"PREGON_LOG_SIGNER_KEY holds a key named {key.name!r}, but the log's origin is "
                f"{origin!r}: a log key is named after its origin (set PREGON_LOG_ORIGIN, or "
                "create a key for this origin with `pregon log keygen`)."
            )
            raise ImproperlyConfigured(msg)
        keys.append(key)
    if not keys:
        msg = "PREGON_LOG_SIGNER_KEY is empty."
        raise ImproperlyConfigured(msg)
    return keys


@lru_cache(maxsize=8)
def _load_keys(text: str, origin: str, var_dir: str, production: bool) -> tuple[SignerKey, ...]:
    # Cached per configuration: tests and key rotation change the settings, not this code.
    if text.strip():
        return tuple(parse_signer_keys(text, origin))
    if production:
        msg = (
            "PREGON_LOG_SIGNER_KEY must be set in production: run `pregon log keygen` and put "
            "the PRIVATE+KEY line it prints in the environment."
        )
        raise ImproperlyConfigured(msg)
    return (_development_key(Path(var_dir) / KEY_FILE_NAME, origin),)


def _development_key(path: Path, origin: str) -> SignerKey:
    """Read the development key file, creating it (mode 0600) on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(new_signer_key(origin) + "\n")
    # Another process may have created the file an instant ago and still be writing it.
    for _attempt in range(50):
        text = path.read_text(encoding="ascii").strip()
        if text:
            break
        time.sleep(0.01)
    try:
        key = parse_signer_key(text)
    except MalformedNoteError as error:
        msg = f"The development log key in {path} cannot be read ({error}); delete the file."
        raise ImproperlyConfigured(msg) from error
    # A development key follows the origin when SITE_URL changes: same seed, the new name.
    return key if key.name == origin else SignerKey(origin, ALG_ED25519, key.seed)
