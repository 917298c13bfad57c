"""What each kind of leaf of a Pregón log holds, and whether a document has its kind's shape.

Every leaf is the RFC 8785 bytes of one JSON document; the log lists each leaf's *kind* beside
its hash (``/log/leaves``, ``/log/proof/inclusion``), but the kind is not part of the hash:
only the document's content shows what it is. ``pregon verify`` reads documents of the kinds
below and checks each has the shape of the kind its leaf is logged as (docs/ledger.md):

* ``release``: an OCDS release, a JSON object with a non-empty ``id``;
* ``bid_commitment``: ``{"action", "commitment", "tender", "time", "type": "bid-commitment"}``
  (docs/sealed-bids.md, "The log leaf of a bid");
* ``opening``: an opening record, ``{"format": "pregon-opening/1", "tender", "openedAt",
  "threshold", "bids", "statistics"}``, whose statistics are what its bids give
  (docs/sealed-bids.md, "The opening record").

Other kinds (``award``, or one a newer instance logs) are not checked by content. Nothing here
imports Django: ``pregon verify`` runs anywhere, and the platform's own writers (``bids``) are
tested against these checks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, TypeGuard

KIND_RELEASE: Final = "release"
KIND_BID_COMMITMENT: Final = "bid_commitment"
KIND_OPENING: Final = "opening"
KIND_AWARD: Final = "award"
#: The kinds whose documents can be checked by their content, in the order they are reported.
CHECKED_KINDS: Final = (KIND_RELEASE, KIND_BID_COMMITMENT, KIND_OPENING)

#: The ``type`` of a bid commitment leaf, and the actions it records.
COMMITMENT_TYPE: Final = "bid-commitment"
COMMITMENT_ACTIONS: Final = frozenset({"submit", "replace", "withdraw"})
#: The ``format`` of an opening record, and what the opening found in each bid.
OPENING_FORMAT: Final = "pregon-opening/1"
OUTCOME_OPENED: Final = "opened"
OUTCOME_UNDECRYPTABLE: Final = "undecryptable"
#: The statistics of an opening, in their published order (OCDS ``bids.statistics``).
MEASURES: Final = ("bids", "smeBids", "microBids", "smallBids", "mediumBids", "cooperativeBids")
#: Supplier scales (partyDetails_scale, plus the self-employed) that count as SMEs.
SCALE_MICRO: Final = "micro"
SCALE_SMALL: Final = "small"
SCALE_MEDIUM: Final = "medium"
SME_SCALES: Final = frozenset({SCALE_MICRO, SCALE_SMALL, SCALE_MEDIUM, "selfEmployed"})

_COMMITMENT_KEYS = frozenset({"action", "commitment", "tender", "time", "type"})
_OPENING_KEYS = frozenset({"format", "tender", "openedAt", "threshold", "bids", "statistics"})
_BID_KEYS = frozenset({"id", "commitment", "receivedAt", "leafIndex", "tenderer", "members"})
_BID_OPTIONAL = frozenset({"declaredBy"})
_OPENED_KEYS = frozenset({"outcome", "lots", "documents"})
_UNDECRYPTABLE_KEYS = frozenset({"outcome", "reason"})
_TENDERER_KEYS = frozenset({"id", "name", "scale", "cooperative"})
_LOT_KEYS = frozenset({"lot", "amount", "currency"})
_DOCUMENT_KEYS = frozenset({"id", "sha256", "intact"})
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
# As the plain bid allows them (`pregon.sealing`): what the opening copied from it.
_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,29})(\.[0-9]{1,10})?")
_CURRENCY = re.compile(r"[A-Z]{3}")


def declared_kind(document: Any) -> str:
    """The kind a document says it is: an opening record or a bid commitment by its own
    ``format`` or ``type``, a release otherwise."""
    if isinstance(document, Mapping):
        if isinstance(document.get("format"), str) and document["format"].startswith(
            "pregon-opening/"
        ):
            return KIND_OPENING
        if document.get("type") == COMMITMENT_TYPE:
            return KIND_BID_COMMITMENT
    return KIND_RELEASE


def document_ref(kind: str, document: Any) -> str:
    """How a document of ``kind`` is named, as the log's ``ref`` names its leaf: a release by
    its id, a bid commitment by its commitment, an opening record by ``<ocid>/opening``."""
    if not isinstance(document, Mapping):
        return ""
    if kind == KIND_OPENING:
        tender = document.get("tender")
        return f"{tender}/opening" if isinstance(tender, str) and tender else ""
    value = document.get("commitment" if kind == KIND_BID_COMMITMENT else "id")
    return value if isinstance(value, str) else ""


def problems_of(kind: str, document: Any) -> list[str]:
    """What is wrong with ``document`` as a document of ``kind`` (empty: it has the shape, or
    ``kind`` is not one that can be checked by content)."""
    check = _CHECKS.get(kind)
    return [] if check is None else check(document)


def release_problems(document: Any) -> list[str]:
    """A release: a JSON object with a non-empty ``id`` (its hash is what the log proves)."""
    if not isinstance(document, Mapping):
        return ["not a JSON object"]
    identifier = document.get("id")
    if not isinstance(identifier, str) or not identifier:
        return ["a release without an id"]
    return []


def bid_commitment_problems(document: Any) -> list[str]:
    """A bid commitment leaf: exactly its five members, each of its type."""
    if not isinstance(document, Mapping):
        return ["not a JSON object"]
    problems = _members("", document, _COMMITMENT_KEYS)
    if "type" in document and document["type"] != COMMITMENT_TYPE:
        problems.append(f"type is not {COMMITMENT_TYPE!r}")
    if "action" in document and document["action"] not in COMMITMENT_ACTIONS:
        problems.append("action is not submit, replace or withdraw")
    if "commitment" in document:
        problems += _sha256("commitment", document["commitment"])
    if "tender" in document:
        problems += _text("tender", document["tender"])
    if "time" in document:
        problems += _moment("time", document["time"])
    return problems


def opening_statistics(bids: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """An opening's statistics from its record's bids, as the platform computes them: every bid,
    and those of SMEs (micro, small, medium and the self-employed), of each size, and of
    cooperatives, by the ``tenderer`` each bid entry names."""
    tenderers = [bid["tenderer"] for bid in bids]
    return {
        "bids": len(tenderers),
        "smeBids": sum(1 for t in tenderers if t["scale"] in SME_SCALES),
        "microBids": sum(1 for t in tenderers if t["scale"] == SCALE_MICRO),
        "smallBids": sum(1 for t in tenderers if t["scale"] == SCALE_SMALL),
        "mediumBids": sum(1 for t in tenderers if t["scale"] == SCALE_MEDIUM),
        "cooperativeBids": sum(1 for t in tenderers if t["cooperative"] is True),
    }


def opening_problems(document: Any) -> list[str]:
    """An opening record in the ``pregon-opening/1`` format (see the module's docstring)."""
    if not isinstance(document, Mapping):
        return ["not a JSON object"]
    problems = _members("", document, _OPENING_KEYS)
    if "format" in document and document["format"] != OPENING_FORMAT:
        problems.append(f"format is not {OPENING_FORMAT!r}")
    if "tender" in document:
        problems += _text("tender", document["tender"])
    opened_at = document.get("openedAt")
    if "openedAt" in document:
        problems += _moment("openedAt", opened_at)
    threshold = document.get("threshold")
    if "threshold" in document and not _whole(threshold, least=1):
        problems.append("threshold is not a whole number of at least 1")
        threshold = None
    bids = document.get("bids")
    if isinstance(bids, list):
        problems += _bids(bids, threshold=threshold, opened_at=opened_at)
    else:
        bids = None
        if "bids" in document:
            problems.append("bids is not a list")
    if "statistics" in document:
        problems += _statistics(document["statistics"], bids)
    return problems


_CHECKS: dict[str, Callable[[Any], list[str]]] = {
    KIND_RELEASE: release_problems,
    KIND_BID_COMMITMENT: bid_commitment_problems,
    KIND_OPENING: opening_problems,
}


# --- the opening record's parts -------------------------------------------------------------


def _bids(bids: list[Any], *, threshold: Any, opened_at: Any) -> list[str]:
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_commitments: set[str] = set()
    previous = ""
    for number, bid in enumerate(bids):
        where = f"bids[{number}]"
        if not isinstance(bid, Mapping):
            problems.append(f"{where} is not an object")
            continue
        problems += _bid(where, bid, threshold=threshold)
        identifier, commitment = bid.get("id"), bid.get("commitment")
        if isinstance(identifier, str) and identifier in seen_ids:
            problems.append(f"{where}.id {identifier} appears twice")
        if isinstance(commitment, str) and commitment in seen_commitments:
            problems.append(f"{where}.commitment appears twice")
        if isinstance(identifier, str):
            seen_ids.add(identifier)
        if isinstance(commitment, str):
            seen_commitments.add(commitment)
        received = bid.get("receivedAt")
        if _is_moment(received):
            # Same format throughout: these strings sort as the moments they name.
            if received < previous:
                problems.append(f"{where} is not in the order the bids were received")
            if _is_moment(opened_at) and received > opened_at:
                problems.append(f"{where}.receivedAt is after openedAt")
            previous = received
    return problems


def _bid(where: str, bid: Mapping[str, Any], *, threshold: Any) -> list[str]:
    outcome = bid.get("outcome")
    if outcome == OUTCOME_OPENED:
        expected = _BID_KEYS | _OPENED_KEYS
    elif outcome == OUTCOME_UNDECRYPTABLE:
        expected = _BID_KEYS | _UNDECRYPTABLE_KEYS
    else:
        expected = _BID_KEYS | {"outcome"}
    problems = _members(where, bid, expected, optional=_BID_OPTIONAL)
    if "outcome" in bid and outcome not in (OUTCOME_OPENED, OUTCOME_UNDECRYPTABLE):
        problems.append(f"{where}.outcome is not opened or undecryptable")
    if "id" in bid:
        problems += _text(f"{where}.id", bid["id"])
    if "commitment" in bid:
        problems += _sha256(f"{where}.commitment", bid["commitment"])
    if "receivedAt" in bid:
        problems += _moment(f"{where}.receivedAt", bid["receivedAt"])
    if "leafIndex" in bid and not _whole(bid["leafIndex"], least=0):
        problems.append(f"{where}.leafIndex is not a whole number")
    if "tenderer" in bid:
        problems += _tenderer(f"{where}.tenderer", bid["tenderer"])
    members = bid.get("members")
    if "members" in bid:
        problems += _positions(f"{where}.members", members)
    if "declaredBy" in bid:
        problems += _positions(f"{where}.declaredBy", bid["declaredBy"])
    if outcome == OUTCOME_OPENED:
        if _whole(threshold, least=1) and isinstance(members, list) and len(members) < threshold:
            problems.append(f"{where} was opened with fewer shares than the threshold")
        if "lots" in bid:
            problems += _list_of(f"{where}.lots", bid["lots"], _lot)
        if "documents" in bid:
            problems += _list_of(f"{where}.documents", bid["documents"], _document)
    elif outcome == OUTCOME_UNDECRYPTABLE and "reason" in bid:
        problems += _text(f"{where}.reason", bid["reason"])
    return problems


def _tenderer(where: str, value: Any) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where} is not an object"]
    problems = _members(where, value, _TENDERER_KEYS)
    if "id" in value:
        problems += _text(f"{where}.id", value["id"])
    if "name" in value and not isinstance(value["name"], str):
        problems.append(f"{where}.name is not a string")
    if "scale" in value and not isinstance(value["scale"], str):
        problems.append(f"{where}.scale is not a string")
    if "cooperative" in value and not isinstance(value["cooperative"], bool):
        problems.append(f"{where}.cooperative is not true or false")
    return problems


def _lot(where: str, value: Any) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where} is not an object"]
    problems = _members(where, value, _LOT_KEYS)
    if "lot" in value:
        problems += _text(f"{where}.lot", value["lot"])
    amount = value.get("amount")
    if "amount" in value and not (isinstance(amount, str) and _AMOUNT.fullmatch(amount)):
        problems.append(f"{where}.amount is not a decimal string")
    currency = value.get("currency")
    if "currency" in value and not (isinstance(currency, str) and _CURRENCY.fullmatch(currency)):
        problems.append(f"{where}.currency is not an ISO 4217 code")
    return problems


def _document(where: str, value: Any) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where} is not an object"]
    problems = _members(where, value, _DOCUMENT_KEYS)
    if "id" in value:
        problems += _text(f"{where}.id", value["id"])
    if "sha256" in value:
        problems += _sha256(f"{where}.sha256", value["sha256"])
    if "intact" in value and not isinstance(value["intact"], bool):
        problems.append(f"{where}.intact is not true or false")
    return problems


def _statistics(value: Any, bids: list[Any] | None) -> list[str]:
    if not isinstance(value, Mapping):
        return ["statistics is not an object"]
    problems = _members("statistics", value, frozenset(MEASURES))
    for measure in MEASURES:
        if measure in value and not _whole(value[measure], least=0):
            problems.append(f"statistics.{measure} is not a whole number")
    if problems or bids is None or not _countable(bids):
        # Statistics are compared only with bids that can be counted.
        return problems
    expected = opening_statistics(bids)
    for measure in MEASURES:
        if value[measure] != expected[measure]:
            problems.append(
                f"statistics.{measure} is {value[measure]}, but the bids give {expected[measure]}"
            )
    return problems


def _countable(bids: Sequence[Any]) -> bool:
    """Every bid names a tenderer with a scale and whether it is a cooperative."""
    return all(
        isinstance(bid, Mapping)
        and isinstance(bid.get("tenderer"), Mapping)
        and isinstance(bid["tenderer"].get("scale"), str)
        and isinstance(bid["tenderer"].get("cooperative"), bool)
        for bid in bids
    )


# --- values ---------------------------------------------------------------------------------


def _members(
    where: str,
    value: Mapping[str, Any],
    expected: frozenset[str],
    *,
    optional: frozenset[str] = frozenset(),
) -> list[str]:
    """Missing and unexpected members of an object, each named once."""
    prefix = f"{where}." if where else ""
    problems = [f"{prefix}{name} is missing" for name in sorted(expected - value.keys())]
    problems += [
        f"{prefix}{name} is not expected" for name in sorted(value.keys() - expected - optional)
    ]
    return problems


def _list_of(where: str, value: Any, check: Callable[[str, Any], list[str]]) -> list[str]:
    if not isinstance(value, list):
        return [f"{where} is not a list"]
    problems: list[str] = []
    for number, item in enumerate(value):
        problems += check(f"{where}[{number}]", item)
    return problems


def _positions(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(_whole(item, least=1) for item in value):
        return [f"{where} is not a list of committee positions"]
    if value != sorted(set(value)):
        return [f"{where} does not list each position once, in order"]
    return []


def _text(where: str, value: Any) -> list[str]:
    return [] if isinstance(value, str) and value else [f"{where} is not a non-empty string"]


def _sha256(where: str, value: Any) -> list[str]:
    if isinstance(value, str) and _SHA256.fullmatch(value):
        return []
    return [f"{where} is not 64 lowercase hexadecimal digits"]


def _is_moment(value: Any) -> TypeGuard[str]:
    if not isinstance(value, str) or not _MOMENT.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _moment(where: str, value: Any) -> list[str]:
    if _is_moment(value):
        return []
    return [f"{where} is not an RFC 3339 time in UTC to the millisecond"]


def _whole(value: Any, *, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least
