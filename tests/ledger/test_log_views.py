"""The log's HTTP interface: /log/checkpoint, keys, proofs, leaves, history, cosignatures."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from pregon.ledger import selectors, services
from pregon.ledger.models import ReceivedCosignature, WatchedLog
from pregon.ledger.services import LeafData
from pregon.tlog.checkpoint import (
    ALG_COSIGNATURE_V1,
    SignerKey,
    add_signature,
    format_verifier_key,
    open_checkpoint,
    open_note,
    split_note,
)
from pregon.tlog.merkle import leaf_hash, verify_consistency, verify_inclusion
from tests.ledger.conftest import ORIGIN, SIGNER, VKEY, data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log_settings")]

PROBLEM = "application/problem+json"


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


@pytest.fixture
def logged() -> Any:
    """A log of 10 leaves with a checkpoint at 6 and one at 10."""
    services.leaves_append(
        entries=[LeafData(kind="release", data=data(n), ref=f"ocds-r-{n}") for n in range(6)]
    )
    services.checkpoint_issue()
    services.leaves_append(
        entries=[LeafData(kind="award", data=data(n), ref=f"award-{n}") for n in range(6, 10)]
    )
    return services.checkpoint_issue()


def get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def assert_problem(response: Any, status: int, code: str, detail: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (body["status"], body["code"], body["detail"]) == (status, code, detail)
    assert body["instance"] == response.wsgi_request.path


def test_the_checkpoint_is_the_latest_signed_note(client: Client, logged: Any) -> None:
    response = get(client, "/log/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=10"
    note = response.content.decode()
    assert note == logged.note
    opened = open_checkpoint(note, origin=ORIGIN, verifiers=[SIGNER.verifier])
    assert opened.checkpoint.size == 10
    assert opened.checkpoint.root_hash == selectors.log_tree().root(10)


def test_before_any_checkpoint_the_checkpoint_is_a_404_problem(client: Client) -> None:
    assert_problem(
        get(client, "/log/checkpoint"),
        404,
        "no_checkpoint",
        "The log has not signed a checkpoint yet.",
    )


def test_the_public_key_is_the_vkey_and_the_witness_key_its_cosignature_twin(
    client: Client,
) -> None:
    response = get(client, "/log/public-key")
    assert response.content.decode() == VKEY + "\n"
    assert response["Cache-Control"] == "public, max-age=3600"
    witness = get(client, "/log/witness/public-key").content.decode()
    twin = SignerKey(ORIGIN, ALG_COSIGNATURE_V1, SIGNER.seed).verifier
    assert witness == format_verifier_key(twin) + "\n"


def test_inclusion_proofs_verify_against_the_checkpoint(client: Client, logged: Any) -> None:
    root = bytes(logged.root_hash)
    for index in range(10):
        value = leaf_hash(data(index))
        response = get(client, f"/log/proof/inclusion?leaf_hash={value.hex()}&tree_size=10")
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        body = response.json()
        assert (body["leaf_index"], body["tree_size"]) == (index, 10)
        # The kind the leaf is logged as (not covered by its hash: only its content confirms it).
        assert body["kind"] == ("release" if index < 6 else "award")
        verify_inclusion(
            leaf_hash=value,
            index=index,
            size=10,
            proof=[base64.b64decode(h) for h in body["hashes"]],
            root=root,
        )


def test_an_inclusion_proof_without_a_size_is_for_the_latest_checkpoint(
    client: Client, logged: Any
) -> None:
    value = leaf_hash(data(3)).hex()
    response = get(client, f"/log/proof/inclusion?leaf_hash={value.upper()}")
    assert response["Cache-Control"] == "public, max-age=10"
    assert (
        response.json()
        == get(client, f"/log/proof/inclusion?leaf_hash={value}&tree_size=10").json()
    )


@pytest.mark.parametrize(
    ("query", "status", "code", "detail"),
    [
        (
            "tree_size=10",
            400,
            "bad_parameter",
            "leaf_hash must be the 64 hexadecimal digits of an RFC 9162 leaf hash.",
        ),
        (
            "leaf_hash=abc&tree_size=10",
            400,
            "bad_parameter",
            "leaf_hash must be the 64 hexadecimal digits of an RFC 9162 leaf hash.",
        ),
        (
            "leaf_hash={known}&tree_size=-1",
            400,
            "bad_parameter",
            "The parameter tree_size must be a whole number from 0 to 2^63-1.",
        ),
        (
            "leaf_hash={known}&tree_size=1e3",
            400,
            "bad_parameter",
            "The parameter tree_size must be a whole number from 0 to 2^63-1.",
        ),
        (
            "leaf_hash={known}&tree_size=11",
            400,
            "bad_parameter",
            "tree_size must be between 1 and 10, the size of the log.",
        ),
        (
            "leaf_hash={known}&tree_size=0",
            400,
            "bad_parameter",
            "tree_size must be between 1 and 10, the size of the log.",
        ),
        (
            "leaf_hash={unknown}&tree_size=10",
            404,
            "unknown_leaf",
            "The log holds no leaf with this hash.",
        ),
        (
            "leaf_hash={late}&tree_size=6",
            404,
            "leaf_not_in_tree",
            "This leaf was logged after the tree of size 6; ask with the size of a later checkpoint.",
        ),
    ],
)
def test_inclusion_proof_errors_are_problems(
    client: Client, logged: Any, query: str, status: int, code: str, detail: str
) -> None:
    query = query.format(
        known=leaf_hash(data(1)).hex(),
        unknown=leaf_hash(b"never logged").hex(),
        late=leaf_hash(data(8)).hex(),
    )
    response = get(client, f"/log/proof/inclusion?{query}")
    assert_problem(response, status, code, detail)
    assert response["Cache-Control"] == "no-store"


def test_consistency_proofs_verify_between_checkpoints(client: Client, logged: Any) -> None:
    tree = selectors.log_tree()
    for first in range(1, 11):
        response = get(client, f"/log/proof/consistency?first={first}&second=10")
        body = response.json()
        assert (body["first"], body["second"]) == (first, 10)
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        verify_consistency(
            first=first,
            second=10,
            first_root=tree.root(first),
            second_root=tree.root(10),
            proof=[base64.b64decode(h) for h in body["hashes"]],
        )
    assert get(client, "/log/proof/consistency?first=4&second=4").json()["hashes"] == []


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("first=0&second=5", "first must be at least 1: no proof exists from the empty tree."),
        ("first=6&second=5", "first must not exceed second."),
        ("first=1&second=11", "second must not exceed 10, the size of the log."),
        ("first=1", "The parameter second is required."),
        ("first=x&second=2", "The parameter first must be a whole number from 0 to 2^63-1."),
    ],
)
def test_consistency_proof_errors_are_400_problems(
    client: Client, logged: Any, query: str, detail: str
) -> None:
    assert_problem(get(client, f"/log/proof/consistency?{query}"), 400, "bad_parameter", detail)


def test_leaves_are_listed_by_range(client: Client, logged: Any) -> None:
    response = get(client, "/log/leaves?start=4&end=8")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.json() == {
        "start": 4,
        "end": 8,
        "tree_size": 10,
        "leaves": [
            {
                "index": 4,
                "kind": "release",
                "ref": "ocds-r-4",
                "leaf_hash": leaf_hash(data(4)).hex(),
            },
            {
                "index": 5,
                "kind": "release",
                "ref": "ocds-r-5",
                "leaf_hash": leaf_hash(data(5)).hex(),
            },
            {"index": 6, "kind": "award", "ref": "award-6", "leaf_hash": leaf_hash(data(6)).hex()},
            {"index": 7, "kind": "award", "ref": "award-7", "leaf_hash": leaf_hash(data(7)).hex()},
        ],
    }
    # A range past the end is cut, and may grow: cached briefly.
    cut = get(client, "/log/leaves?start=8&end=1008")
    assert cut["Cache-Control"] == "public, max-age=10"
    assert (cut.json()["start"], cut.json()["end"], len(cut.json()["leaves"])) == (8, 10, 2)


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("start=0&end=1001", "At most 1000 leaves can be listed at once."),
        ("start=5&end=5", "end must be greater than start."),
        ("start=10&end=12", "start must be below 10, the size of the log."),
        ("end=3", "The parameter start is required."),
    ],
)
def test_leaves_errors_are_400_problems(
    client: Client, logged: Any, query: str, detail: str
) -> None:
    assert_problem(get(client, f"/log/leaves?{query}"), 400, "bad_parameter", detail)


def test_the_checkpoint_history_is_paginated_newest_first(client: Client, logged: Any) -> None:
    body = get(client, "/log/checkpoints?limit=1").json()
    assert body["count"] == 2
    assert [(item["size"], item["root_hash"], item["note"]) for item in body["items"]] == [
        (10, b64(bytes(logged.root_hash)), logged.note)
    ]
    older = get(client, "/log/checkpoints?limit=1&offset=1").json()["items"]
    assert [item["size"] for item in older] == [6]
    assert_problem(
        get(client, "/log/checkpoints?limit=0"),
        400,
        "bad_parameter",
        "limit must be between 1 and 1000.",
    )


def test_only_get_and_head_are_allowed(client: Client, logged: Any) -> None:
    assert_problem(
        client.post("/log/checkpoint"),
        405,
        "method_not_allowed",
        "This address accepts only: GET, HEAD, OPTIONS.",
    )
    assert client.post("/log/checkpoint")["Allow"] == "GET, HEAD, OPTIONS"
    assert client.head("/log/checkpoint").status_code == 200
    # A browser-based verifier's preflight is answered, as for the other public reads.
    preflight = client.options(
        "/log/proof/inclusion",
        headers={"Origin": "https://verifier.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_witness_cosignatures_of_this_checkpoint_are_served_beside_it(
    client: Client, logged: Any
) -> None:
    witness_log = SignerKey("peer.example/pregon/log", 1, bytes(range(100, 132)))
    witness = SignerKey("peer.example/pregon/log", ALG_COSIGNATURE_V1, witness_log.seed)
    peer = WatchedLog.objects.create(
        origin=witness.name,
        url="https://peer.example/log",
        vkey=format_verifier_key(witness_log.verifier),
    )
    cosigned = add_signature(logged.note, witness, timestamp=1_800_000_000)
    line = split_note(cosigned)[1][-1].line
    ReceivedCosignature.objects.create(
        witness=peer,
        size=10,
        root_hash=bytes(logged.root_hash),
        signature_line=line,
        signed_at=logged.created_at,
    )
    # A cosignature of the older checkpoint is not served with the newer one.
    older_note = get(client, "/log/checkpoints?offset=1").json()["items"][0]["note"]
    ReceivedCosignature.objects.create(
        witness=peer,
        size=6,
        root_hash=base64.b64decode(
            get(client, "/log/checkpoints?offset=1").json()["items"][0]["root_hash"]
        ),
        signature_line=split_note(add_signature(older_note, witness, timestamp=1))[1][-1].line,
        signed_at=logged.created_at,
    )

    served = get(client, "/log/checkpoint").content.decode()
    assert served == cosigned
    opened = open_note(served, [SIGNER.verifier, witness.verifier])
    assert [v.timestamp for v in opened.verified] == [None, 1_800_000_000]


def test_witness_cosignatures_endpoint(client: Client) -> None:
    assert_problem(
        get(client, "/log/witness/cosignatures"),
        400,
        "bad_parameter",
        "The parameter origin is required.",
    )
    assert_problem(
        get(client, "/log/witness/cosignatures?origin=nobody.example/log"),
        404,
        "not_witnessed",
        "This instance has not cosigned any checkpoint of nobody.example/log.",
    )
