"""The shapes of the log's kinds of documents, as `pregon verify` checks them (no Django)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from pregon.tlog import leaves
from pregon.tlog.leaves import (
    bid_commitment_problems,
    declared_kind,
    document_ref,
    opening_problems,
    opening_statistics,
    problems_of,
    release_problems,
)

#: The published schemas, read from their files (not through `leaves`), as a verifier would.
SCHEMAS = Path(leaves.__file__).parent / "schemas"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def schema_of(kind: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((SCHEMAS / leaves.SCHEMA_FILES[kind]).read_text("utf-8"))
    return value


def validator_of(kind: str) -> Any:
    """The schema of `kind`, compiled by jsonschema-rs with format assertion on."""
    return jsonschema_rs.validator_for(schema_of(kind), validate_formats=True)


COMMITMENT = "c0ffee" + "0" * 58
OTHER_COMMITMENT = "d" * 64

LEAF = {
    "action": "submit",
    "commitment": COMMITMENT,
    "tender": "ocds-pregon-000042",
    "time": "2026-12-06T18:00:00.123Z",
    "type": "bid-commitment",
}


def tenderer(scale: str, *, cooperative: bool = False, party: str = "CL-RUT-1") -> dict[str, Any]:
    return {"id": party, "name": "Cooperativa Andina", "scale": scale, "cooperative": cooperative}


RECORD: dict[str, Any] = {
    "format": "pregon-opening/1",
    "tender": "ocds-pregon-000042",
    "openedAt": "2026-12-20T15:02:11.480Z",
    "threshold": 2,
    "bids": [
        {
            "id": "b-1",
            "commitment": COMMITMENT,
            "receivedAt": "2026-12-06T18:00:00.123Z",
            "leafIndex": 1234,
            "members": [1, 3],
            "tenderer": tenderer("micro", cooperative=True),
            "outcome": "opened",
            "lots": [{"lot": "1", "amount": "125000.00", "currency": "CLP"}],
            "documents": [{"id": "d1", "sha256": "e" * 64, "intact": True}],
        },
        {
            "id": "b-2",
            "commitment": OTHER_COMMITMENT,
            "receivedAt": "2026-12-07T09:30:00.000Z",
            "leafIndex": 1240,
            "members": [1],
            "declaredBy": [2, 3],
            "tenderer": tenderer("selfEmployed", party="CL-RUT-2"),
            "outcome": "undecryptable",
            "reason": "shares_undecryptable",
        },
    ],
    "statistics": {
        "bids": 2,
        "smeBids": 2,
        "microBids": 1,
        "smallBids": 0,
        "mediumBids": 0,
        "cooperativeBids": 1,
    },
}


def changed(path: str, value: Any, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of the record (or `document`) with the member at `path` (dots, list indices)
    set to `value`, or removed when `value` is `DELETE`."""
    result = copy.deepcopy(RECORD if document is None else document)
    *parents, last = path.split(".")
    target: Any = result
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is DELETE:
        del target[key]
    else:
        target[key] = value
    return result


DELETE = object()


def test_a_well_formed_record_and_leaf_have_no_problem() -> None:
    assert opening_problems(RECORD) == []
    assert bid_commitment_problems(LEAF) == []
    assert problems_of("opening", RECORD) == []
    assert problems_of("bid_commitment", LEAF) == []
    # A record without bids opens too.
    empty = {**RECORD, "bids": [], "statistics": dict.fromkeys(leaves.MEASURES, 0)}
    assert opening_problems(empty) == []
    # The published schemas accept them, with jsonschema-rs and with another validator.
    for kind, document in (("opening", RECORD), ("opening", empty), ("bid_commitment", LEAF)):
        validator_of(kind).validate(document)
        jsonschema.Draft202012Validator(schema_of(kind)).validate(document)


def described(schema: dict[str, Any], where: str) -> list[str]:
    """The places of the properties `schema` declares (in `properties`, its `$defs` and below
    them, not in the conditions of `allOf`) that have no description."""
    missing = []
    for name, value in schema.get("properties", {}).items():
        if not value.get("description"):
            missing.append(f"{where}.{name}")
        missing += described(value, f"{where}.{name}")
    for name, value in schema.get("$defs", {}).items():
        missing += described(value, f"{where}.$defs.{name}")
    return missing


@pytest.mark.parametrize("kind", sorted(leaves.SCHEMA_FILES))
def test_the_schemas_are_documented_draft_2020_12_schemas(kind: str) -> None:
    schema = schema_of(kind)
    assert schema["$schema"] == DRAFT_2020_12
    jsonschema_rs.meta.validate(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    for key in ("$id", "title", "description"):
        assert schema[key], key
    assert described(schema, kind) == []
    # What `leaves` checks with is the file itself.
    assert leaves.schema(kind) == schema


def test_the_meta_schema_check_refuses_a_broken_schema() -> None:
    broken = {**schema_of("opening"), "required": "format"}
    assert not jsonschema_rs.meta.is_valid(broken)
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.Draft202012Validator.check_schema(broken)
    assert described({"properties": {"a": {"type": "string"}}}, "x") == ["x.a"]


def test_the_schema_files_are_the_ones_named() -> None:
    assert sorted(path.name for path in SCHEMAS.iterdir()) == sorted(leaves.SCHEMA_FILES.values())


def test_what_a_document_says_it_is() -> None:
    assert declared_kind(RECORD) == "opening"
    assert declared_kind({**RECORD, "format": "pregon-opening/2"}) == "opening"
    assert declared_kind(LEAF) == "bid_commitment"
    assert declared_kind({"id": "r-1"}) == "release"
    assert declared_kind([1, 2]) == "release"
    assert document_ref("opening", RECORD) == "ocds-pregon-000042/opening"
    assert document_ref("bid_commitment", LEAF) == COMMITMENT
    assert document_ref("release", {"id": "r-1"}) == "r-1"
    assert document_ref("opening", {"tender": 3}) == ""


def test_releases_need_an_id_and_other_kinds_are_not_checked() -> None:
    assert release_problems({"id": "r-1", "anything": [1]}) == []
    assert release_problems({"id": ""}) == ["a release without an id"]
    assert release_problems([]) == ["not a JSON object"]
    assert problems_of("award", {"whatever": True}) == []


def test_statistics_are_counted_as_the_platform_counts_them() -> None:
    bids = [
        {"tenderer": tenderer("micro")},
        {"tenderer": tenderer("small", cooperative=True)},
        {"tenderer": tenderer("medium")},
        {"tenderer": tenderer("selfEmployed")},
        {"tenderer": tenderer("large", cooperative=True)},
        {"tenderer": tenderer("")},
    ]
    assert opening_statistics(bids) == {
        "bids": 6,
        "smeBids": 4,
        "microBids": 1,
        "smallBids": 1,
        "mediumBids": 1,
        "cooperativeBids": 2,
    }


#: Opening records whose structure is wrong: the published schema alone rejects each.
NOT_IN_ITS_SCHEMA = [
    ([], ["the document is not an object"]),
    (changed("format", "pregon-opening/2"), ["format is not 'pregon-opening/1'"]),
    (changed("tender", ""), ["tender is not a non-empty string"]),
    (changed("openedAt", "2026-12-20T15:02:11Z"), ["openedAt is not an RFC 3339 time in UTC to the millisecond"]),
    (changed("openedAt", "2026-02-30T15:02:11.480Z"), ["openedAt is not an RFC 3339 time in UTC to the millisecond"]),
    (changed("threshold", 0), ["threshold is less than 1"]),
    (changed("threshold", True), ["threshold is not a whole number"]),
    (changed("bids", {}), ["bids is not a list"]),
    (changed("bids", [[]]), ["bids[0] is not an object"]),
    (changed("statistics", DELETE), ["statistics is missing"]),
    ({**RECORD, "extra": 1}, ["extra is not expected"]),
    (changed("statistics.cooperativeBids", "1"), ["statistics.cooperativeBids is not a whole number"]),
    (changed("bids.0.outcome", "lost"), ["bids[0].documents is not expected", "bids[0].lots is not expected", "bids[0].outcome is not opened or undecryptable"]),
    (changed("bids.0.outcome", DELETE), ["bids[0].documents is not expected", "bids[0].lots is not expected", "bids[0].outcome is missing"]),
    (changed("bids.0.reason", "undecryptable"), ["bids[0].reason is not expected"]),
    (changed("bids.1.reason", DELETE), ["bids[1].reason is missing"]),
    (changed("bids.1.lots", []), ["bids[1].lots is not expected"]),
    (changed("bids.0.members", [1, 1]), ["bids[0].members is not a list of committee positions, each once"]),
    (changed("bids.1.declaredBy", [0]), ["bids[1].declaredBy[0] is not a committee position (a whole number, at least 1)"]),
    (changed("bids.0.commitment", COMMITMENT.upper()), ["bids[0].commitment is not 64 lowercase hexadecimal digits"]),
    (changed("bids.1.receivedAt", "2026-12-07T24:30:00.000Z"), ["bids[1].receivedAt is not an RFC 3339 time in UTC to the millisecond"]),
    (changed("bids.0.leafIndex", -1), ["bids[0].leafIndex is not a whole number"]),
    (changed("bids.0.tenderer", "CL-RUT-1"), ["bids[0].tenderer is not an object"]),
    (changed("bids.0.tenderer.scale", DELETE), ["bids[0].tenderer.scale is missing"]),
    (changed("bids.0.tenderer.cooperative", "yes"), ["bids[0].tenderer.cooperative is not true or false"]),
    (changed("bids.0.lots.0.amount", "1,5"), ["bids[0].lots[0].amount is not a decimal string"]),
    (changed("bids.0.lots.0.amount", 1.5), ["bids[0].lots[0].amount is not a decimal string"]),
    (changed("bids.0.lots.0.currency", "clp"), ["bids[0].lots[0].currency is not an ISO 4217 code"]),
    (changed("bids.0.documents.0.intact", 1), ["bids[0].documents[0].intact is not true or false"]),
    (changed("bids.0.documents", None), ["bids[0].documents is not a list"]),
]  # fmt: skip

#: Opening records of the right structure that say something false: what no JSON Schema says.
BEYOND_ITS_SCHEMA = [
    (changed("statistics.smeBids", 1), ["statistics.smeBids is 1, but the bids give 2"]),
    (changed("statistics.bids", 3), ["statistics.bids is 3, but the bids give 2"]),
    (changed("bids.0.tenderer.scale", "small"), ["statistics.microBids is 1, but the bids give 0", "statistics.smallBids is 0, but the bids give 1"]),
    (changed("bids.0.tenderer.scale", "large"), ["statistics.smeBids is 2, but the bids give 1", "statistics.microBids is 1, but the bids give 0"]),
    (changed("bids.1.tenderer.cooperative", True), ["statistics.cooperativeBids is 1, but the bids give 2"]),
    (changed("bids.0.members", [1]), ["bids[0] was opened with fewer shares than the threshold"]),
    (changed("bids.0.members", [3, 1]), ["bids[0].members is not in increasing order"]),
    (changed("bids.1.declaredBy", [3, 2]), ["bids[1].declaredBy is not in increasing order"]),
    (changed("bids.1.commitment", COMMITMENT), ["bids[1].commitment appears twice"]),
    (changed("bids.1.id", "b-1"), ["bids[1].id b-1 appears twice"]),
    (changed("bids.1.receivedAt", "2026-12-01T00:00:00.000Z"), ["bids[1] is not in the order the bids were received"]),
    (changed("bids.1.receivedAt", "2026-12-21T00:00:00.000Z"), ["bids[1].receivedAt is after openedAt"]),
]  # fmt: skip


@pytest.mark.parametrize(("document", "problems"), NOT_IN_ITS_SCHEMA)
def test_an_opening_record_not_in_its_schema_says_what_is_wrong(
    document: Any, problems: list[str]
) -> None:
    assert opening_problems(document) == problems
    assert not validator_of("opening").is_valid(document)


@pytest.mark.parametrize(("document", "problems"), BEYOND_ITS_SCHEMA)
def test_an_opening_record_that_its_schema_cannot_catch_says_what_is_wrong(
    document: Any, problems: list[str]
) -> None:
    assert opening_problems(document) == problems
    # The schema accepts it: a verifier checks these besides, as `pregon verify` does.
    assert validator_of("opening").is_valid(document)


def test_what_is_beyond_the_schema_is_checked_only_on_sound_members() -> None:
    # A tenderer the schema refuses cannot be counted: the statistics are not compared.
    broken = changed("bids.0.tenderer.scale", 5, changed("statistics.smeBids", 0))
    assert opening_problems(broken) == ["bids[0].tenderer.scale is not a string"]
    # A moment the schema refuses is not compared with the others.
    late = changed("bids.1.receivedAt", "2026-12-21T00:00:00Z")
    assert opening_problems(late) == [
        "bids[1].receivedAt is not an RFC 3339 time in UTC to the millisecond"
    ]
    # Nor a threshold: the bid opened by one member is not said to be short of it.
    assert opening_problems(changed("threshold", "2", changed("bids.0.members", [1]))) == [
        "threshold is not a whole number"
    ]


@pytest.mark.parametrize(
    ("document", "problems"),
    [
        ("text", ["the document is not an object"]),
        (changed("action", "bid", LEAF), ["action is not submit, replace or withdraw"]),
        (changed("type", "bid", LEAF), ["type is not 'bid-commitment'"]),
        (changed("commitment", "abc", LEAF), ["commitment is not 64 lowercase hexadecimal digits"]),
        (changed("time", "2026-12-06 18:00:00", LEAF), ["time is not an RFC 3339 time in UTC to the millisecond"]),
        (changed("time", "2026-02-29T18:00:00.123Z", LEAF), ["time is not an RFC 3339 time in UTC to the millisecond"]),
        (changed("tender", None, LEAF), ["tender is not a non-empty string"]),
        (changed("time", DELETE, LEAF), ["time is missing"]),
        ({**LEAF, "bidder": "CL-RUT-1"}, ["bidder is not expected"]),
        ({"type": "bid-commitment"}, ["action is missing", "commitment is missing", "tender is missing", "time is missing"]),
    ],
)  # fmt: skip
def test_a_bid_commitment_not_in_its_shape_says_what_is_wrong(
    document: Any, problems: list[str]
) -> None:
    assert bid_commitment_problems(document) == problems
    assert not validator_of("bid_commitment").is_valid(document)
