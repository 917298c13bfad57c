"""What a thief holding the platform's database, media files and keys, and k - 1 handed-in
shares of each bid, can open: nothing."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from pregon.bids import services
from pregon.bids.models import Bid, Opening, ShareHandIn
from pregon.core import clock
from pregon.ledger import keys
from pregon.organizations.models import Organization
from pregon.sealing import SealingError, bid_open, parse_envelope
from pregon.sealing.aead import aead_decrypt
from pregon.sealing.shamir import shamir_combine
from tests import factories
from tests.bids.opening_world import MARKER, PDF, opening_world
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db


def _everything_stored() -> bytes:
    """Every value of every row of every table, and every file under MEDIA_ROOT, as one blob."""
    rows = b"\n".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for table in database_snapshot().values()
        for row in table
        for value in row.values()
    )
    files = b"".join(
        path.read_bytes()
        for path in sorted(Path(django_settings.MEDIA_ROOT).rglob("*"))
        if path.is_file()
    )
    return rows + files


def _server_secrets() -> list[bytes]:
    """Every secret the server itself holds, as candidate 32-byte keys."""
    secrets = [django_settings.SECRET_KEY.encode(), *(key.seed for key in keys.signer_keys())]
    return [hashlib.sha256(secret).digest() for secret in secrets] + [
        secret[:32].ljust(32, b"\0") for secret in secrets
    ]


def test_with_the_database_the_files_the_keys_and_k_minus_1_shares_nothing_opens(
    buyer: Organization,
) -> None:
    world = opening_world(buyer, committee=(4, 3))
    ocid = str(world.tender.ocid)
    with clock.at(world.at):
        for position in (1, 4):
            hand_in = services.opening_shares_hand_in(
                actor=world.member_actor(position),
                tender=world.tender,
                shares=world.shares(position),
            )
            assert hand_in.opened is False

    stored = _everything_stored()
    # No plaintext anywhere: not the answers' marker, not a document, not a price, not a data key.
    assert MARKER.encode() not in stored
    assert PDF not in stored
    for made in world.offers:
        for lot in made.lots:
            assert f'"amount":"{lot["amount"]}"'.encode() not in stored
    # The members' private keys never reached the platform.
    for member in world.committee:
        assert factories.private_key_of(member) not in stored

    for made in world.offers:
        bid = Bid.objects.get(pk=made.bid.pk)
        envelope = parse_envelope(bytes(bid.envelope))
        held = [bytes(row.share) for row in ShareHandIn.objects.filter(bid=bid)]
        assert len(held) == 2
        # The library refuses …
        with pytest.raises(SealingError) as refused:
            bid_open(envelope, held, ocid=ocid)
        assert refused.value.code == "too_few_shares"
        # … and going around it gets nothing either: no combination of the k - 1 shares, no
        # secret of the server, is the data key.
        candidates = [
            shamir_combine(list(subset))
            for n in (1, 2)
            for subset in itertools.combinations(held, n)
        ]
        candidates += _server_secrets()
        for candidate in candidates:
            with pytest.raises(SealingError):
                aead_decrypt(candidate, envelope.nonce, envelope.ciphertext, ocid.encode())
    assert Opening.objects.get(tender=world.tender).record is None


def test_the_kth_share_opens_what_k_minus_1_could_not(buyer: Organization) -> None:
    world = opening_world(buyer, committee=(4, 3))
    with clock.at(world.at):
        for position in (1, 4, 2):
            last: Any = services.opening_shares_hand_in(
                actor=world.member_actor(position),
                tender=world.tender,
                shares=world.shares(position),
            )

    assert last.opened is True
    record = Opening.objects.get(tender=world.tender).record
    assert [entry["members"] for entry in record["bids"]] == [[1, 2, 4]] * 4
    assert [entry["outcome"] for entry in record["bids"]] == ["opened"] * 4
