"""System checks of the transparency log's configuration (run by `pregon check`, and at start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from pregon.ledger import keys
from pregon.tlog.checkpoint import generate_signer_key
from pregon.tlog.errors import MalformedNoteError

KEYGEN_HINT = (
    "Run `pregon log keygen`, keep the PRIVATE+KEY line it prints secret and set it as "
    "PREGON_LOG_SIGNER_KEY in the environment; publish the verifier key line it prints. "
    "See docs/ledger.md, 'Operating the log'."
)


def check_log_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The log's origin is a valid key name, and its signer key is set (in production) and fits."""
    origin = keys.log_origin()
    try:
        generate_signer_key(origin)
    except MalformedNoteError:
        return [
            Error(
                f"The transparency log's origin {origin!r} cannot name a key.",
                hint="Set PREGON_LOG_ORIGIN to a host name and path without spaces or '+', "
                "e.g. example.org/pregon/log.",
                id="ledger.E002",
            )
        ]
    if settings.PRODUCTION and not settings.PREGON_LOG_SIGNER_KEY.strip():
        return [
            Error(
                "PREGON_LOG_SIGNER_KEY is not set: the transparency log cannot sign checkpoints.",
                hint=KEYGEN_HINT,
                id="ledger.E001",
            )
        ]
    if settings.PREGON_LOG_SIGNER_KEY.strip():
        try:
            keys.parse_signer_keys(settings.PREGON_LOG_SIGNER_KEY, origin)
        except ImproperlyConfigured as error:
            return [Error(str(error), hint=KEYGEN_HINT, id="ledger.E003")]
    return []
