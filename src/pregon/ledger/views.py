"""The transparency log over HTTP (no language prefix, open to any origin).

Each view parses its query, calls one selector and renders. Errors are RFC 7807 problem
details (pregon.core.problems, as for every JSON endpoint). Caching follows what can change:
the latest checkpoint briefly, a proof or a range of leaves at a fixed tree size forever.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, Final

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pregon.core.errors import NotFound
from pregon.core.problems import public_read
from pregon.ledger import keys, selectors
from pregon.tlog.checkpoint import format_verifier_key, split_note
from pregon.tlog.errors import LedgerError

TEXT: Final = "text/plain; charset=utf-8"
SHORT: Final = "public, max-age=10"
LONG: Final = "public, max-age=31536000, immutable"
KEYS: Final = "public, max-age=3600"
MAX_INTEGER: Final = 2**63 - 1
DEFAULT_PAGE: Final = 50
MAX_PAGE: Final = 1000
_DIGITS = re.compile(r"[0-9]{1,19}")
_HEX_HASH = re.compile(r"[0-9a-fA-F]{64}")

type View = Callable[..., HttpResponseBase]


def log_endpoint(view: View) -> View:
    """A public read (GET/HEAD, CORS open, preflight, refusals as problem details), whose
    pure log errors (a proof asked beyond the tree, …) are bad parameters.

    Anyone may verify from anywhere: a browser-based verifier needs CORS.
    """

    @wraps(view)
    def reading(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except LedgerError as error:
            raise selectors.BadParameter(str(error)) from error

    return public_read(reading)


def _integer(request: HttpRequest, name: str, *, default: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        if default is not None:
            return default
        raise selectors.BadParameter(
            _("The parameter %(name)s is required.") % {"name": name}, field=name
        )
    if not _DIGITS.fullmatch(raw) or int(raw) > MAX_INTEGER:
        raise selectors.BadParameter(
            _("The parameter %(name)s must be a whole number from 0 to 2^63-1.") % {"name": name},
            field=name,
        )
    return int(raw)


def _json(body: dict[str, Any], cache: str) -> JsonResponse:
    response = JsonResponse(body)
    response["Cache-Control"] = cache
    return response


def _text(body: str, cache: str) -> HttpResponse:
    response = HttpResponse(body, content_type=TEXT)
    response["Cache-Control"] = cache
    return response


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


@log_endpoint
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint, with the witnesses' cosignatures as extra signature lines."""
    latest = selectors.checkpoint_latest()
    if latest is None:
        raise NotFound(_("The log has not signed a checkpoint yet."), code="no_checkpoint")
    return _text(selectors.checkpoint_note_served(latest), SHORT)


@log_endpoint
def public_key(request: HttpRequest) -> HttpResponse:
    """The log's verifier keys in the note vkey format, the current one first, one per line."""
    lines = [format_verifier_key(key) for key in keys.verifier_keys()]
    return _text("".join(line + "\n" for line in lines), KEYS)


@log_endpoint
def witness_public_key(request: HttpRequest) -> HttpResponse:
    """The verifier key of the cosignatures this instance makes as a witness."""
    key = keys.cosigner_key().verifier
    return _text(format_verifier_key(key) + "\n", KEYS)


@log_endpoint
def inclusion_proof(request: HttpRequest) -> HttpResponse:
    """``?leaf_hash=<hex>&tree_size=N``: the leaf's index and kind, and its audit path, base64,
    leaf first."""
    raw = request.GET.get("leaf_hash", "")
    if not _HEX_HASH.fullmatch(raw):
        raise selectors.BadParameter(
            _("leaf_hash must be the 64 hexadecimal digits of an RFC 9162 leaf hash."),
            field="leaf_hash",
        )
    fixed = bool(request.GET.get("tree_size"))
    size = _integer(request, "tree_size") if fixed else None
    result = selectors.inclusion_proof(leaf_hash=bytes.fromhex(raw), tree_size=size)
    body = {
        "leaf_index": result.leaf_index,
        "tree_size": result.tree_size,
        "kind": result.kind,
        "hashes": [_b64(value) for value in result.hashes],
    }
    return _json(body, LONG if fixed else SHORT)


@log_endpoint
def consistency_proof(request: HttpRequest) -> HttpResponse:
    """``?first=M&second=N``: the hashes proving the tree of N leaves extends the one of M."""
    first, second = _integer(request, "first"), _integer(request, "second")
    hashes = selectors.consistency_proof(first=first, second=second)
    return _json({"first": first, "second": second, "hashes": [_b64(v) for v in hashes]}, LONG)


@log_endpoint
def leaves(request: HttpRequest) -> HttpResponse:
    """``?start=&end=``: up to 1,000 leaves (index, kind, reference, hex leaf hash)."""
    start, end = _integer(request, "start"), _integer(request, "end")
    rows, size = selectors.leaves_range(start=start, end=end)
    body = {
        "start": start,
        "end": start + len(rows),
        "tree_size": size,
        "leaves": [
            {
                "index": leaf.index,
                "kind": leaf.kind,
                "ref": leaf.ref,
                "leaf_hash": bytes(leaf.leaf_hash).hex(),
            }
            for leaf in rows
        ],
    }
    # A full range never changes; one cut at the log's end grows with the next append.
    return _json(body, LONG if end <= size else SHORT)


@log_endpoint
def checkpoints(request: HttpRequest) -> HttpResponse:
    """The history of signed checkpoints, newest first: ``{"count", "items"}`` with limit/offset."""
    limit = _integer(request, "limit", default=DEFAULT_PAGE)
    offset = _integer(request, "offset", default=0)
    if not 1 <= limit <= MAX_PAGE:
        raise selectors.BadParameter(
            _("limit must be between 1 and %(max)d.") % {"max": MAX_PAGE}, field="limit"
        )
    count, rows = selectors.checkpoints_page(limit=limit, offset=offset)
    items = [
        {
            "size": row.size,
            "root_hash": _b64(bytes(row.root_hash)),
            "created_at": row.created_at.isoformat(),
            "note": row.note,
        }
        for row in rows
    ]
    return _json({"count": count, "items": items}, SHORT)


@log_endpoint
def witness_cosignatures(request: HttpRequest) -> HttpResponse:
    """``?origin=``: the latest checkpoint of that log this instance checked and cosigned."""
    origin = request.GET.get("origin", "").strip()
    if not origin:
        raise selectors.BadParameter(
            _("The parameter %(name)s is required.") % {"name": "origin"}, field="origin"
        )
    cosignature = selectors.cosignature_issued_latest(origin=origin)
    if cosignature is None:
        raise NotFound(
            _("This instance has not cosigned any checkpoint of %(origin)s.") % {"origin": origin},
            code="not_witnessed",
        )
    return _text(cosignature.note, SHORT)


# ---------------------------------------------------------------------------------------------
# the page for people


@require_safe
def log_page(request: HttpRequest) -> HttpResponse:
    """``/log/``: what the log is, its current checkpoint and keys, and how to verify it."""
    latest = selectors.checkpoint_latest()
    verifiers = keys.verifier_keys()
    own = {key.key_id for key in verifiers}
    note, signatures = "", []
    if latest is not None:
        note = selectors.checkpoint_note_served(latest)
        signatures = [
            {"name": line.name, "key_id": f"{line.key_id:08x}", "own": line.key_id in own}
            for line in split_note(note)[1]
        ]
    context = {
        "checkpoint": latest,
        "root_hex": bytes(latest.root_hash).hex() if latest is not None else "",
        "root_base64": _b64(bytes(latest.root_hash)) if latest is not None else "",
        "note": note,
        "signatures": signatures,
        "origin": keys.log_origin(),
        "verifier_keys": [format_verifier_key(key) for key in verifiers],
        "site_url": settings.SITE_URL,
    }
    return render(request, "ledger/log.html", context)
