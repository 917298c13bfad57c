"""Envelopes a broken or malicious bidder could seal: well formed, accepted at submission (the
platform cannot look inside), but with the share of some committee members unreadable.

- `undecryptable`: the sealed share is random bytes of the right size; the member's key does not
  open it (HPKE fails): the member declares `share_undecryptable`;
- `mismatched`: the sealed share opens with the member's key, but is not the share whose SHA-256
  the envelope lists for them: the member declares `share_mismatch`.

`bad_offer` submits such a bid to an opening world.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from pregon.sealing import Member, seal_bid
from pregon.sealing._codec import b64encode
from pregon.sealing.envelope import SEALED_SHARE_SIZE, SHARE_INFO_PREFIX, SHARE_SIZE
from pregon.sealing.hpke import hpke_seal
from pregon.tlog.jcs import canonical_bytes
from tests import factories
from tests.bids.opening_world import OpeningWorld, SealedOffer, committee_members, offer, plain


def with_bad_shares(
    envelope: bytes,
    members: Sequence[Member],
    *,
    undecryptable: Sequence[int] = (),
    mismatched: Sequence[int] = (),
) -> bytes:
    """`envelope` (JCS bytes) with the shares of the members at the given positions (1-based)
    broken as the module says; everything else as sealed."""
    value = json.loads(envelope)
    ocid = value["tender"]
    for position in undecryptable:
        value["shares"][position - 1]["share"] = b64encode(os.urandom(SEALED_SHARE_SIZE))
    for position in mismatched:
        member = members[position - 1]
        info = (SHARE_INFO_PREFIX + ocid + "\n" + member.fingerprint).encode("utf-8")
        other = hpke_seal(member.public_key, os.urandom(SHARE_SIZE), info=info)
        value["shares"][position - 1]["share"] = b64encode(other)
    return canonical_bytes(value)


def bad_offer(
    world: OpeningWorld,
    *,
    undecryptable: Sequence[int] = (),
    mismatched: Sequence[int] = (),
    name: str = "Sellos Rotos SpA",
    lot: str = "1",
) -> SealedOffer:
    """Submit a bid of a new supplier `name` (one price, for `lot`) sealed with the shares of
    the members at those positions broken."""
    tender = world.tender
    lots = [{"lot": lot, "amount": "99000", "currency": tender.currency}]
    members = committee_members(tender)
    sealed = seal_bid(
        ocid=str(tender.ocid),
        members=members,
        threshold=tender.opening_threshold or 0,
        bid=plain(tender, lots, []),
        documents=[],
    )
    envelope = with_bad_shares(
        sealed.envelope, members, undecryptable=undecryptable, mismatched=mismatched
    )
    supplier = factories.SupplierFactory(legal_name=name)
    return offer(world, supplier, lots, envelope=envelope, sealed=sealed)
