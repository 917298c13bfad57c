"""What each kind of leaf of a Pregón log holds, and whether a document has its kind's shape.

Every leaf is the RFC 8785 bytes of one JSON document; the log lists each leaf's *kind* beside
its hash (``/log/leaves``, ``/log/proof/inclusion``), but the kind is not part of the hash:
only the document's content shows what it is. ``pregon verify`` reads documents of the kinds
below and checks each has the shape of the kind its leaf is logged as (docs/ledger.md):

* ``release``: an OCDS release, a JSON object with a non-empty ``id``;
* ``bid_commitment``: ``{"action", "commitment", "tender", "time", "type": "bid-commitment"}``
  (docs/sealed-bids.md, "The log leaf of a bid"), as ``schemas/bid-commitment-1.schema.json``
  describes it;
* ``opening``: an opening record, ``{"format": "pregon-opening/1", "tender", "openedAt",
  "threshold", "bids", "statistics"}`` (docs/sealed-bids.md, "The opening record"), as
  ``schemas/opening-1.schema.json`` describes it, and what no JSON Schema can say: ids and
  commitments once each, bids in the order received and none after the opening, each opened
  bid opened by at least ``threshold`` members, positions in increasing order, and statistics
  that are what the bids give.

The two schemas (JSON Schema draft 2020-12, shipped with the package) are the published
description of the formats: any validator checks a document's structure with them, with
format assertion on (``date-time``). Each problem names the member it is about by its JSON path
(``bids[0].lots[0].amount is not a decimal string``). Other kinds (``award``, or one a newer
instance logs) are not checked by content. Nothing here imports Django: ``pregon verify`` runs
anywhere, and the platform's own writers (``bids``) are tested against these checks.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import Any, Final

import jsonschema_rs

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

#: The JSON Schema of each kind checked by a schema, in ``schemas/`` beside this module.
SCHEMA_FILES: Final = {
    KIND_BID_COMMITMENT: "bid-commitment-1.schema.json",
    KIND_OPENING: "opening-1.schema.json",
}

#: A member's place in a document: names of object members and indices of list items.
Path = tuple[str | int, ...]


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
    """A bid commitment leaf: what its schema says (exactly its five members, each of its type)."""
    problems, _broken = _structure(KIND_BID_COMMITMENT, document)
    return problems


def _takes_part(tenderer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The firms behind a bid: its tenderer, and the members of a consortium tenderer."""
    members = tenderer.get("consortium")
    return [tenderer, *members] if isinstance(members, list) else [tenderer]


def opening_statistics(bids: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """An opening's statistics from its record's bids, as the platform computes them: every bid,
    and those of SMEs (micro, small, medium and the self-employed: a consortium's scale is its
    largest member's), and those in which a micro, a small, a medium enterprise or a
    cooperative takes part, alone or as a member of a consortium, by the ``tenderer`` each bid
    entry names."""
    tenderers = [bid["tenderer"] for bid in bids]

    def taking_part(test: Callable[[Mapping[str, Any]], bool]) -> int:
        return sum(1 for t in tenderers if any(test(firm) for firm in _takes_part(t)))

    return {
        "bids": len(tenderers),
        "smeBids": sum(1 for t in tenderers if t["scale"] in SME_SCALES),
        "microBids": taking_part(lambda firm: firm["scale"] == SCALE_MICRO),
        "smallBids": taking_part(lambda firm: firm["scale"] == SCALE_SMALL),
        "mediumBids": taking_part(lambda firm: firm["scale"] == SCALE_MEDIUM),
        "cooperativeBids": taking_part(lambda firm: firm["cooperative"] is True),
    }


def opening_problems(document: Any) -> list[str]:
    """An opening record in the ``pregon-opening/1`` format: what its schema says, then what no
    schema can (see the module's docstring), each about members that have their schema's shape.
    """
    problems, broken = _structure(KIND_OPENING, document)
    if not isinstance(document, Mapping) or not isinstance(document.get("bids"), list):
        return problems
    problems += _bids(document, broken)
    bids: list[Any] = document["bids"]
    tenderers = [("bids", number, "tenderer") for number in range(len(bids))]
    if all(_sound(document, path, broken=broken) for path in [*tenderers, ("statistics",)]):
        # Statistics are compared only when they and every bid's tenderer can be counted.
        statistics, expected = document["statistics"], opening_statistics(bids)
        problems += [
            f"statistics.{measure} is {statistics[measure]}, but the bids give {expected[measure]}"
            for measure in MEASURES
            if statistics[measure] != expected[measure]
        ]
    return problems


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of the documents of ``kind`` (a key of ``SCHEMA_FILES``), as shipped."""
    data = resources.files("pregon.tlog").joinpath("schemas", SCHEMA_FILES[kind]).read_bytes()
    value: dict[str, Any] = json.loads(data)
    return value


_CHECKS: dict[str, Callable[[Any], list[str]]] = {
    KIND_RELEASE: release_problems,
    KIND_BID_COMMITMENT: bid_commitment_problems,
    KIND_OPENING: opening_problems,
}


# --- what no schema says about an opening record --------------------------------------------


def _bids(document: Mapping[str, Any], broken: set[Path]) -> list[str]:
    """Ids and commitments once each, the order received, none after the opening, positions in
    increasing order and at least ``threshold`` members for an opened bid."""
    sound = functools.partial(_sound, document, broken=broken)
    threshold = document["threshold"] if sound(("threshold",)) else None
    opened_at = document["openedAt"] if sound(("openedAt",)) else None
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_commitments: set[str] = set()
    previous = ""
    for number, bid in enumerate(document["bids"]):
        if not isinstance(bid, Mapping):
            continue
        where = f"bids[{number}]"
        identifier, commitment = bid.get("id"), bid.get("commitment")
        if isinstance(identifier, str) and identifier in seen_ids:
            problems.append(f"{where}.id {identifier} appears twice")
        if isinstance(commitment, str) and commitment in seen_commitments:
            problems.append(f"{where}.commitment appears twice")
        if isinstance(identifier, str):
            seen_ids.add(identifier)
        if isinstance(commitment, str):
            seen_commitments.add(commitment)
        if sound(("bids", number, "receivedAt")):
            received: str = bid["receivedAt"]
            # One format throughout (the schema's pattern): these strings sort as their moments.
            if received < previous:
                problems.append(f"{where} is not in the order the bids were received")
            if opened_at is not None and received > opened_at:
                problems.append(f"{where}.receivedAt is after openedAt")
            previous = received
        for name in ("members", "declaredBy"):
            if sound(("bids", number, name)) and bid[name] != sorted(bid[name]):
                problems.append(f"{where}.{name} is not in increasing order")
        if (
            bid.get("outcome") == OUTCOME_OPENED
            and threshold is not None
            and sound(("bids", number, "members"))
            and len(bid["members"]) < threshold
        ):
            problems.append(f"{where} was opened with fewer shares than the threshold")
    return problems


def _sound(document: Any, path: Path, *, broken: set[Path]) -> bool:
    """Whether the member at ``path`` is there and has its schema's shape: no error of the
    schema is about it or about anything in it."""
    value = document
    for part in path:
        if isinstance(part, int):
            if not isinstance(value, list) or part >= len(value):
                return False
        elif not isinstance(value, Mapping) or part not in value:
            return False
        value = value[part]
    return not any(error[: len(path)] == path for error in broken)


# --- the schemas' errors, as problems -------------------------------------------------------

#: What a value of each of the schemas' ``$defs`` is, for any error of a keyword of its own.
_VALUES: Final = {
    "text": "a non-empty string",
    "sha256": "64 lowercase hexadecimal digits",
    "moment": "an RFC 3339 time in UTC to the millisecond",
    "amount": "a decimal string",
    "currency": "an ISO 4217 code",
    "count": "a whole number",
    "position": "a committee position (a whole number, at least 1)",
    "positions": "a list of committee positions, each once",
}
_TYPES: Final = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


@functools.cache
def _validator(kind: str) -> Any:
    return jsonschema_rs.validator_for(schema(kind), validate_formats=True)


def _structure(kind: str, document: Any) -> tuple[list[str], set[Path]]:
    """The problems the schema of ``kind`` finds in ``document``, each once, ordered by the
    member they are about; and the paths of the members the errors are at."""
    found: dict[tuple[Path, str], None] = {}
    broken: set[Path] = set()
    for error in _validator(kind).iter_errors(document):
        where: Path = tuple(error.instance_path)
        broken.add(where)
        for subject, message in _described(error, where):
            found[subject, message] = None
    ordered = sorted(found, key=lambda item: (_sort_key(item[0]), item[1]))
    return [message for _subject, message in ordered], broken


def _described(error: Any, where: Path) -> list[tuple[Path, str]]:
    """``(the member it is about, the problem)`` for one error of a schema."""
    keyword = error.kind.name
    details: dict[str, Any] = error.kind.as_dict()
    if keyword == "required":
        subject = (*where, details["property"])
        return [(subject, f"{_dotted(subject)} is missing")]
    if keyword == "additionalProperties":
        return [
            ((*where, name), f"{_dotted((*where, name))} is not expected")
            for name in details["unexpected"]
        ]
    return [(where, f"{_dotted(where)} {_wrong_value(error, keyword, details)}")]


def _wrong_value(error: Any, keyword: str, details: dict[str, Any]) -> str:
    """What is wrong with a value: what a value of the ``$defs`` entry whose keyword it fails
    is, or what the keyword asks for."""
    place = list(error.schema_path)
    if len(place) == 3 and place[0] == "$defs" and place[1] in _VALUES:
        return f"is not {_VALUES[place[1]]}"
    match keyword:
        case "falseSchema":
            # `lots`, `documents` or `reason` beside an outcome that does not have them.
            return "is not expected"
        case "type":
            return "is not " + " or ".join(_TYPES.get(name, name) for name in details["types"])
        case "const":
            return f"is not {details['expected_value']!r}"
        case "enum":
            *first, last = [str(option) for option in details["options"]]
            return f"is not {', '.join(first)} or {last}" if first else f"is not {last}"
        case "minimum":
            return f"is less than {details['limit']}"
    return f"does not have its schema's shape ({error.message})"


def _dotted(path: Path) -> str:
    """A member's JSON path as the problems name it: ``bids[0].lots[1].amount``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text or "the document"


def _sort_key(path: Path) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in path)
