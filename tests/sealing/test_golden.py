"""A bid and a key file sealed once and kept: every later version must still open them.

tests/sealing/data/golden.json was made by pregon.sealing when the formats were fixed (with test
keys). A change to a label, an aad, the HPKE info or the share layout breaks it here, instead of
silently making new bids that older clients, or the browser, seal differently.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from pregon.sealing import (
    bid_open,
    document_open,
    keyfile_read,
    parse_envelope,
    share_decrypt,
)

GOLDEN: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "golden.json").read_text(encoding="utf-8")
)


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_kept_bid_still_opens_with_any_two_members() -> None:
    ocid = GOLDEN["ocid"]
    envelope = parse_envelope(unb64(GOLDEN["envelope"]))
    assert envelope.commitment == GOLDEN["commitment"]
    shares = [
        share_decrypt(
            envelope,
            ocid=ocid,
            private_raw=unb64(member["privateKey"]),
            fingerprint=member["fingerprint"],
        )
        for member in GOLDEN["members"]
    ]

    for pair in ([0, 1], [1, 2], [2, 0]):
        data_key, bid = bid_open(envelope, [shares[i] for i in pair], ocid=ocid)
        assert bid == GOLDEN["bid"]
        assert [
            document_open(data_key, ocid, document["id"], unb64(document["stored"]))
            for document in GOLDEN["documents"]
        ] == [unb64(document["content"]) for document in GOLDEN["plainDocuments"]]


def test_the_kept_key_file_still_opens_with_its_passphrase() -> None:
    member = GOLDEN["members"][0]

    private_raw, public_raw = keyfile_read(GOLDEN["keyFile"].encode(), GOLDEN["keyFilePassphrase"])

    assert private_raw == unb64(member["privateKey"])
    assert public_raw == unb64(member["publicKey"])
