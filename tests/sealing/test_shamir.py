"""Shamir over GF(256): any k shares rebuild the secret, k-1 do not, and the browser agrees."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.sealing.shamir import shamir_combine, shamir_split
from tests.sealing.support import run_node

NODE_SPLIT = """
const {split} = require("shamir-secret-sharing");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
split(new Uint8Array(Buffer.from(input.secret, "hex")), input.n, input.k).then((shares) => {
  process.stdout.write(JSON.stringify(shares.map((s) => Buffer.from(s).toString("hex"))));
});
"""

NODE_COMBINE = """
const {combine} = require("shamir-secret-sharing");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
Promise.all(
  input.map((set) => combine(set.map((h) => new Uint8Array(Buffer.from(h, "hex")))))
).then((secrets) => {
  process.stdout.write(JSON.stringify(secrets.map((s) => Buffer.from(s).toString("hex"))));
});
"""


@st.composite
def splits(draw: st.DrawFn) -> tuple[bytes, int, int, list[int]]:
    """A secret, n, k and the positions of a subset of at least k shares."""
    secret = draw(st.binary(min_size=1, max_size=40))
    n = draw(st.integers(min_value=1, max_value=8))
    k = draw(st.integers(min_value=1, max_value=n))
    size = draw(st.integers(min_value=k, max_value=n))
    subset = draw(st.permutations(range(n)))[:size]
    return secret, n, k, subset


@settings(max_examples=60, deadline=None)
@given(splits())
def test_any_k_or_more_shares_rebuild_the_secret(case: tuple[bytes, int, int, list[int]]) -> None:
    secret, n, k, subset = case
    shares = shamir_split(secret, n, k)

    assert len(shares) == n
    assert all(len(share) == len(secret) + 1 for share in shares)
    assert len({share[-1] for share in shares}) == n  # distinct x-coordinates, last byte
    assert 0 not in {share[-1] for share in shares}
    assert shamir_combine([shares[i] for i in subset]) == secret


@settings(max_examples=40, deadline=None)
@given(
    secret=st.binary(min_size=32, max_size=32),
    n=st.integers(min_value=2, max_value=7),
    data=st.data(),
)
def test_k_minus_one_shares_give_another_secret(secret: bytes, n: int, data: st.DataObject) -> None:
    # 32-byte secrets: a chance match is 2**-256, so "never" is exact in practice.
    k = data.draw(st.integers(min_value=2, max_value=n))
    shares = shamir_split(secret, n, k)
    subset = data.draw(st.permutations(shares))[: k - 1]

    if k - 1 == 1:
        assert subset[0][:-1] != secret
    else:
        assert shamir_combine(subset) != secret


def test_threshold_one_shares_each_hold_the_secret() -> None:
    secret = os.urandom(32)

    shares = shamir_split(secret, 3, 1)

    assert [share[:-1] for share in shares] == [secret] * 3
    assert all(shamir_combine([share]) == secret for share in shares)
    assert shamir_combine(shares) == secret  # the degree-0 polynomial through every share


@pytest.mark.parametrize(
    ("secret", "n", "k"),
    [(b"", 2, 2), (b"x", 0, 1), (b"x", 2, 3), (b"x", 256, 2), (b"x", 3, 0)],
)
def test_split_refuses_impossible_counts(secret: bytes, n: int, k: int) -> None:
    with pytest.raises(ValueError):
        shamir_split(secret, n, k)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ([], "no share"),
        ([b"ab", b"abc"], "same length"),
        ([b"a"], "same length"),
        ([b"a\x01", b"b\x01"], "same x-coordinate"),
        ([b"a\x00"], "x-coordinate 0"),
    ],
)
def test_combine_refuses_shares_that_cannot_be_of_one_split(
    shares: list[bytes], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        shamir_combine(shares)


def test_python_shares_combine_in_the_browser_library() -> None:
    secret = os.urandom(32)
    sets: list[list[str]] = []
    for n, k in [(2, 2), (3, 2), (5, 3), (7, 7)]:
        shares = shamir_split(secret, n, k)
        sets += [[share.hex() for share in subset] for subset in itertools.combinations(shares, k)]
    # Threshold 1 is ours (the library refuses to split with it), yet two such shares combine
    # there too: it is the same scheme with a degree-0 polynomial.
    sets.append([share.hex() for share in shamir_split(secret, 2, 1)])

    combined = run_node(NODE_COMBINE, sets)

    assert combined == [secret.hex()] * len(sets)


def test_browser_shares_combine_here() -> None:
    secret = os.urandom(32)

    shares = [
        bytes.fromhex(h) for h in run_node(NODE_SPLIT, {"secret": secret.hex(), "n": 5, "k": 3})
    ]

    assert len(shares) == 5
    assert all(len(share) == 33 for share in shares)
    for subset in itertools.combinations(shares, 3):
        assert shamir_combine(list(subset)) == secret
    for subset in itertools.combinations(shares, 2):
        assert shamir_combine(list(subset)) != secret
