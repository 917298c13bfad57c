"""The shapes of the log's kinds of documents, as `pregon verify` checks them (no Django)."""

from __future__ import annotations

import copy
from typing import Any

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


@pytest.mark.parametrize(
    ("document", "problems"),
    [
        ([], ["not a JSON object"]),
        (changed("format", "pregon-opening/2"), ["format is not 'pregon-opening/1'"]),
        (changed("tender", ""), ["tender is not a non-empty string"]),
        (changed("openedAt", "2026-12-20T15:02:11Z"), ["openedAt is not an RFC 3339 time in UTC to the millisecond"]),
        (changed("threshold", 0), ["threshold is not a whole number of at least 1"]),
        (changed("threshold", True), ["threshold is not a whole number of at least 1"]),
        (changed("bids", {}), ["bids is not a list"]),
        (changed("statistics", DELETE), ["statistics is missing"]),
        ({**RECORD, "extra": 1}, ["extra is not expected"]),
        (changed("statistics.smeBids", 1), ["statistics.smeBids is 1, but the bids give 2"]),
        (changed("statistics.bids", 3), ["statistics.bids is 3, but the bids give 2"]),
        (changed("statistics.cooperativeBids", "1"), ["statistics.cooperativeBids is not a whole number"]),
        (changed("bids.0.tenderer.scale", "small"), ["statistics.microBids is 1, but the bids give 0", "statistics.smallBids is 0, but the bids give 1"]),
        (changed("bids.0.tenderer.scale", "large"), ["statistics.smeBids is 2, but the bids give 1", "statistics.microBids is 1, but the bids give 0"]),
        (changed("bids.1.tenderer.cooperative", True), ["statistics.cooperativeBids is 1, but the bids give 2"]),
        (changed("bids.0.outcome", "lost"), ["bids[0].documents is not expected", "bids[0].lots is not expected", "bids[0].outcome is not opened or undecryptable"]),
        (changed("bids.0.outcome", DELETE), ["bids[0].outcome is missing", "bids[0].documents is not expected", "bids[0].lots is not expected"]),
        (changed("bids.1.reason", DELETE), ["bids[1].reason is missing"]),
        (changed("bids.1.lots", []), ["bids[1].lots is not expected"]),
        (changed("bids.0.members", [1]), ["bids[0] was opened with fewer shares than the threshold"]),
        (changed("bids.0.members", [3, 1]), ["bids[0].members does not list each position once, in order"]),
        (changed("bids.1.declaredBy", [0]), ["bids[1].declaredBy is not a list of committee positions"]),
        (changed("bids.0.commitment", COMMITMENT.upper()), ["bids[0].commitment is not 64 lowercase hexadecimal digits"]),
        (changed("bids.1.commitment", COMMITMENT), ["bids[1].commitment appears twice"]),
        (changed("bids.1.id", "b-1"), ["bids[1].id b-1 appears twice"]),
        (changed("bids.1.receivedAt", "2026-12-01T00:00:00.000Z"), ["bids[1] is not in the order the bids were received"]),
        (changed("bids.1.receivedAt", "2026-12-21T00:00:00.000Z"), ["bids[1].receivedAt is after openedAt"]),
        (changed("bids.0.leafIndex", -1), ["bids[0].leafIndex is not a whole number"]),
        (changed("bids.0.tenderer", "CL-RUT-1"), ["bids[0].tenderer is not an object"]),
        (changed("bids.0.tenderer.cooperative", "yes"), ["bids[0].tenderer.cooperative is not true or false"]),
        (changed("bids.0.lots.0.amount", "1,5"), ["bids[0].lots[0].amount is not a decimal string"]),
        (changed("bids.0.lots.0.amount", 1.5), ["bids[0].lots[0].amount is not a decimal string"]),
        (changed("bids.0.lots.0.currency", "clp"), ["bids[0].lots[0].currency is not an ISO 4217 code"]),
        (changed("bids.0.documents.0.intact", 1), ["bids[0].documents[0].intact is not true or false"]),
        (changed("bids.0.documents", None), ["bids[0].documents is not a list"]),
    ],
)  # fmt: skip
def test_an_opening_record_not_in_its_format_says_what_is_wrong(
    document: Any, problems: list[str]
) -> None:
    assert opening_problems(document) == problems


@pytest.mark.parametrize(
    ("document", "problems"),
    [
        ("text", ["not a JSON object"]),
        (changed("action", "bid", LEAF), ["action is not submit, replace or withdraw"]),
        (changed("type", "bid", LEAF), ["type is not 'bid-commitment'"]),
        (changed("commitment", "abc", LEAF), ["commitment is not 64 lowercase hexadecimal digits"]),
        (changed("time", "2026-12-06 18:00:00", LEAF), ["time is not an RFC 3339 time in UTC to the millisecond"]),
        (changed("tender", None, LEAF), ["tender is not a non-empty string"]),
        (changed("time", DELETE, LEAF), ["time is missing"]),
        ({**LEAF, "bidder": "CL-RUT-1"}, ["bidder is not expected"]),
    ],
)  # fmt: skip
def test_a_bid_commitment_not_in_its_shape_says_what_is_wrong(
    document: Any, problems: list[str]
) -> None:
    assert bid_commitment_problems(document) == problems
