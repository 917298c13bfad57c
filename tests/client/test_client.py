"""`pregon.client.Client` against a fake instance that fails on purpose (tests/client/fake.py).

What only a fake can do on demand: cut a connection half-way through a chunk, commit a bid and
never answer, serve a committee or a release that is not the logged one, sign a receipt wrongly,
hold back the next checkpoint. The real server is exercised in test_live.py.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pregon.client import Client, ClientError
from pregon.client import errors as codes
from pregon.client.committee import b64url_encode
from pregon.sealing import bid_open, document_open, parse_envelope, share_decrypt
from pregon.tlog.checkpoint import Checkpoint, sign_checkpoint
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests.client.fake import OCID, ORIGIN, FakeInstance

SIZE = 5120 + 28  # the document, with its nonce and tag once encrypted

BID: dict[str, Any] = {
    "lots": [{"lot": "1", "amount": "12500.50", "currency": "CLP"}],
    "answers": [{"question": "Plazo de entrega", "answer": "30 días"}],
}


@pytest.fixture
def fake() -> FakeInstance:
    return FakeInstance()


@pytest.fixture
def url(fake: FakeInstance) -> Iterator[str]:
    with fake.serve() as address:
        yield address


@pytest.fixture
def pauses() -> list[float]:
    return []


@pytest.fixture
def client(url: str, pauses: list[float]) -> Client:
    return Client(
        url, "pk_test_secret", retries=3, backoff=0.01, chunk_size=1000, sleep=pauses.append
    )


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "oferta técnica.pdf"
    path.write_bytes(bytes(range(256)) * 20)  # 5120 bytes: six chunks of 1000 once encrypted
    return path


def opened(fake: FakeInstance, bid_id: str) -> tuple[bytes, dict[str, Any]]:
    """Open a stored bid as the committee would, with the first k members' keys."""
    envelope = parse_envelope(fake.bids[bid_id].envelope)
    shares = [
        share_decrypt(envelope, ocid=OCID, private_raw=private, fingerprint=member["fingerprint"])
        for (private, _public), member in zip(fake.keys, fake.committee["members"], strict=True)
    ][:2]
    return bid_open(envelope, shares, ocid=OCID)


def test_a_submitted_bid_opens_to_what_was_sealed(
    fake: FakeInstance, client: Client, document: Path, tmp_path: Path
) -> None:
    receipt = client.submit(OCID, BID, [document], "key-1", state_dir=tmp_path / "state")

    stored = fake.bids[receipt.bid_id]
    assert receipt.commitment == stored.commitment == hashlib.sha256(stored.envelope).hexdigest()
    assert (receipt.tender, receipt.action, receipt.idempotency_key) == (OCID, "submit", "key-1")
    assert receipt.leaf_index == 1  # the tender's release is leaf 0
    assert receipt.log_key == fake.vkey
    data_key, plain = opened(fake, receipt.bid_id)
    assert plain == {
        "format": "pregon-bid/1",
        "tender": OCID,
        "lots": BID["lots"],
        "answers": BID["answers"],
        "documents": [
            {"id": "d1", "name": "oferta técnica.pdf", "mediaType": "application/pdf", "size": 5120}
        ],
    }
    assert document_open(data_key, OCID, "d1", stored.documents["d1"]) == document.read_bytes()
    # The kept state: the receipt, and no longer the encrypted document.
    assert (tmp_path / "state" / "key-1" / "receipt.json").is_file()
    assert not (tmp_path / "state" / "key-1" / "documents").exists()


def test_an_upload_cut_mid_chunk_resumes_without_sending_again_what_arrived(
    fake: FakeInstance, client: Client, document: Path, pauses: list[float]
) -> None:
    fake.cut_put = {3: 400}  # of the third chunk 400 bytes arrive, then the line drops
    receipt = client.submit(OCID, BID, [document])

    assert len(fake.bids[receipt.bid_id].documents["d1"]) == SIZE
    assert fake.sent_bytes == SIZE  # what arrived was never sent again
    assert fake.puts == 6  # 0-1000, 1000-2000, 2000-2400 (cut), 2400-3400, 3400-4400, 4400-5148
    assert (
        "GET",
        f"/api/v1/bid-uploads/{fake.bids[receipt.bid_id].uploads['d1']}",
    ) in fake.requests
    assert len(pauses) == 1


def test_an_upload_started_by_an_earlier_run_goes_on_from_where_the_server_stands(
    fake: FakeInstance, url: str, document: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    fake.fail_put = {3: 503}
    first = Client(url, "pk_test_secret", retries=0, chunk_size=1000)
    with pytest.raises(ClientError) as failed:
        first.submit(OCID, BID, [document], "key-2", state_dir=state)
    assert (failed.value.code, failed.value.user_error) == (codes.SERVER_ERROR, False)
    assert [len(upload.data) for upload in fake.uploads.values()] == [2000]
    sealed = json.loads((state / "key-2" / "input.json").read_text())

    before = fake.sent_bytes
    second = Client(url, "pk_test_secret", retries=0, chunk_size=1000)
    receipt = second.submit(OCID, BID, [document], "key-2", state_dir=state)

    assert fake.sent_bytes - before == SIZE - 2000  # only what the server did not hold
    assert len(fake.bids) == 1
    assert receipt.commitment == sealed["commitment"]  # the same sealed bytes, not resealed
    stored = fake.bids[receipt.bid_id]
    envelope = parse_envelope(stored.envelope)
    assert envelope.documents[0].sha256 == hashlib.sha256(stored.documents["d1"]).hexdigest()


def test_a_chunk_whose_answer_was_lost_is_not_sent_again(
    fake: FakeInstance, client: Client, document: Path
) -> None:
    fake.cut_put = {1: 1000}  # the whole first chunk arrives; its answer never does
    receipt = client.submit(OCID, BID, [document])
    assert len(fake.bids[receipt.bid_id].documents["d1"]) == SIZE
    assert fake.sent_bytes == SIZE
    assert fake.puts == 6


def test_a_chunk_that_does_not_start_where_the_server_is_resumes_at_its_received(
    fake: FakeInstance, client: Client, url: str
) -> None:
    data = bytes(2500)
    state = client.upload_create(OCID, data)
    stale = type(state)(state.upload_id, 0, state.size, False)
    fake.uploads[state.upload_id].data += data[:1500]  # arrived through another attempt
    sent: list[int] = []
    client.upload(stale, data, progress=sent.append)
    assert fake.uploads[state.upload_id].complete
    # The first chunk was refused with 409 (received 1500); then 1000 bytes were sent.
    assert fake.sent_bytes == 1000 + 1000
    assert sent == [1500, 1000]


def test_a_chunk_refused_for_another_reason_ends_the_upload(
    fake: FakeInstance, client: Client, pauses: list[float]
) -> None:
    # After the deadline the server refuses chunks with 409 too: no resume, no loop.
    data = bytes(2500)
    state = client.upload_create(OCID, data)
    fake.fail_put = {1: 409}
    with pytest.raises(ClientError) as refused:
        client.upload(state, data)
    assert (refused.value.code, refused.value.status) == (codes.REFUSED, 409)
    assert fake.puts == 1
    assert pauses == []


def test_a_bid_committed_but_never_answered_is_not_made_twice(
    fake: FakeInstance, client: Client, document: Path, pauses: list[float]
) -> None:
    fake.drop_after_commit = 1
    receipt = client.submit(OCID, BID, [document], "key-3")
    assert len(fake.bids) == 1
    assert fake.bids[receipt.bid_id].key == "key-3"
    posts = [r for r in fake.requests if r == ("POST", f"/api/v1/tenders/{OCID}/bids")]
    assert len(posts) == 2
    assert len(pauses) == 1


def test_a_second_run_after_the_answer_was_lost_gets_the_first_receipt(
    fake: FakeInstance, url: str, document: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    fake.drop_after_commit = 1
    with pytest.raises(ClientError) as failed:
        Client(url, "pk_test_secret", retries=0, sleep=lambda _s: None).submit(
            OCID, BID, [document], "key-4", state_dir=state
        )
    assert failed.value.code == codes.UNREACHABLE
    # The uploads moved into the bid: the server no longer has them.
    receipt = Client(url, "pk_test_secret", retries=0).submit(
        OCID, BID, [document], "key-4", state_dir=state
    )
    assert len(fake.bids) == 1
    assert receipt.bid_id == next(iter(fake.bids))
    assert receipt.idempotency_key == "key-4"


def test_a_key_used_for_another_bid_is_refused_before_anything_is_sent(
    fake: FakeInstance, client: Client, document: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    client.submit(OCID, BID, [document], "key-5", state_dir=state)
    other = {**BID, "lots": [{"lot": "1", "amount": "9999", "currency": "CLP"}]}
    before = len(fake.requests)
    with pytest.raises(ClientError) as refused:
        client.submit(OCID, other, [document], "key-5", state_dir=state)
    assert refused.value.code == codes.KEY_REUSED
    assert refused.value.user_error
    assert len(fake.requests) == before


def test_a_committee_that_is_not_the_logged_one_is_refused(
    fake: FakeInstance, client: Client, document: Path
) -> None:
    intruder = FakeInstance(members=1, threshold=1).committee["members"][0]
    fake.served_committee = {
        "threshold": 2,
        "members": [*fake.committee["members"][:2], {**intruder, "position": 3}],
    }
    with pytest.raises(ClientError) as refused:
        client.submit(OCID, BID, [document])
    assert refused.value.code == codes.COMMITTEE_MISMATCH
    assert not fake.uploads
    assert not fake.bids


def test_a_release_with_keys_that_were_never_logged_is_refused(
    fake: FakeInstance, client: Client
) -> None:
    # The server serves a release whose committee holds a key of its own: the log never saw it.
    intruder = FakeInstance(members=1, threshold=1).committee["members"][0]
    members = [*fake.committee["members"][:2], {**intruder, "position": 3}]
    fake.served_committee = {"threshold": 2, "members": members}
    release = copy.deepcopy(fake.release)
    release["tender"]["openingCommittee"]["members"][2] = {**intruder, "position": 3, "id": "3"}
    fake.served_release = release
    with pytest.raises(ClientError) as refused:
        client.committee(OCID)
    assert refused.value.code == codes.NOT_LOGGED
    hashed = leaf_hash(canonical_bytes(release)).hex()
    assert refused.value.message == f"The transparency log holds no leaf with hash {hashed}."


def test_a_release_not_yet_under_a_checkpoint_is_not_trusted_yet(
    fake: FakeInstance, client: Client
) -> None:
    empty = Checkpoint(ORIGIN, 0, hashlib.sha256(b"").digest())
    fake.checkpoint_note = sign_checkpoint(empty, [fake.signer])
    with pytest.raises(ClientError) as refused:
        client.committee(OCID)
    assert refused.value.code == codes.NOT_LOGGED
    assert refused.value.hint == (
        "The log signs a checkpoint right after each publication: try again in a minute."
    )


def test_the_logged_committee_is_what_the_client_seals_to(
    fake: FakeInstance, client: Client
) -> None:
    committee = client.committee(OCID)
    assert (committee.threshold, committee.release_id) == (2, f"{OCID}-tender-1")
    assert (committee.leaf_index, committee.tree_size) == (0, 1)
    assert [m.public_key for m in committee.members] == [public for _p, public in fake.keys]
    assert [m.position for m in committee.members] == [1, 2, 3]


def test_a_tampered_receipt_signature_is_refused(
    fake: FakeInstance, client: Client, document: Path
) -> None:
    fake.tamper_receipt = True
    with pytest.raises(ClientError) as refused:
        client.submit(OCID, BID, [document])
    assert refused.value.code == codes.RECEIPT_INVALID
    assert "is not signed by the log's key" in refused.value.message


def test_a_receipt_for_another_commitment_is_refused(
    fake: FakeInstance, client: Client, document: Path
) -> None:
    fake.receipt_commitment = "ab" * 32
    with pytest.raises(ClientError) as refused:
        client.submit(OCID, BID, [document])
    assert refused.value.code == codes.RECEIPT_INVALID
    assert f"signs commitment {'ab' * 32}" in refused.value.message


def test_a_pinned_log_key_is_the_only_one_trusted(fake: FakeInstance, url: str) -> None:
    impostor = FakeInstance().vkey  # the same log name, another key
    with pytest.raises(ClientError) as refused:
        Client(url, "k", log_key=impostor).committee(OCID)
    assert refused.value.code == codes.LOG_INVALID
    assert Client(url, "k", log_key=fake.vkey).committee(OCID).threshold == 2


def test_the_receipt_proves_inclusion_once_a_checkpoint_covers_it(
    fake: FakeInstance, client: Client, document: Path
) -> None:
    fake.auto_checkpoint = False
    receipt = client.submit(OCID, BID, [document])
    pending = client.receipt(receipt.bid_id)
    assert pending.inclusion is not None
    assert (pending.inclusion.verified, pending.inclusion.tree_size) == (False, 1)

    fake.sign()
    proven = client.receipt(receipt.bid_id)
    assert proven.inclusion is not None
    assert (proven.inclusion.verified, proven.inclusion.tree_size) == (True, 2)
    assert proven.commitment == receipt.commitment
    assert proven.status == "submitted"


def test_replace_and_withdraw_carry_their_own_receipts(
    fake: FakeInstance, client: Client, document: Path
) -> None:
    first = client.submit(OCID, BID, [document])
    second = client.replace(first.bid_id, {**BID, "answers": []}, [])
    assert second.action == "replace"
    assert fake.bids[first.bid_id].status == "replaced"
    withdrawn = client.withdraw(second.bid_id)
    assert (withdrawn.action, withdrawn.commitment) == ("withdraw", second.commitment)
    assert withdrawn.leaf_index == 3


def test_server_errors_are_retried_with_a_growing_pause(
    fake: FakeInstance, client: Client, pauses: list[float]
) -> None:
    fake.fail = [503, 502, 500]
    committee = client.committee(OCID)
    assert committee.threshold == 2
    assert len(pauses) == 3
    assert 0.005 <= pauses[0] <= 0.01
    assert 0.01 <= pauses[1] <= 0.02
    assert 0.02 <= pauses[2] <= 0.04


def test_a_refusal_is_not_retried_and_keeps_the_servers_reason(
    fake: FakeInstance, client: Client, pauses: list[float]
) -> None:
    fake.fail = [403]
    with pytest.raises(ClientError) as refused:
        client.committee(OCID)
    assert (refused.value.code, refused.value.status) == (codes.REFUSED, 403)
    assert refused.value.message == "failing on purpose"
    assert pauses == []


def test_a_member_hands_in_the_shares_of_every_bid(
    fake: FakeInstance, client: Client, document: Path
) -> None:
    bid = client.submit(OCID, BID, [document])
    with pytest.raises(ClientError) as refused:
        client.opening_envelopes(OCID)  # with the organization's API key only
    assert (refused.value.status, refused.value.message) == (
        401,
        "Sign in as the committee member.",
    )
    client.sign_in("member@example.org", "correct horse battery")
    envelopes = client.opening_envelopes(OCID)
    assert [(e.bid_id, e.commitment) for e in envelopes] == [(bid.bid_id, bid.commitment)]
    private, _public = fake.keys[1]
    member = fake.committee["members"][1]["fingerprint"]
    share = share_decrypt(
        parse_envelope(envelopes[0].envelope), ocid=OCID, private_raw=private, fingerprint=member
    )
    result = client.hand_in_shares(OCID, [(bid.bid_id, share)])
    assert (result.handed_in, result.opened) == (1, False)
    assert fake.shares == [{"bid": bid.bid_id, "share": b64url_encode(share)}]


def test_a_member_signs_in_with_the_second_step_when_asked(
    fake: FakeInstance, client: Client
) -> None:
    fake.totp = "123456"
    client.sign_in("member@example.org", "correct horse battery", lambda: " 123456\n")
    assert fake.sign_ins == [
        {"csrfmiddlewaretoken": "before-sign-in", "login": "member@example.org",
         "password": "correct horse battery"},
        {"csrfmiddlewaretoken": "before-sign-in", "code": "123456"},
    ]  # fmt: skip
    # Writes carry the token rotated at sign-in.
    assert client.hand_in_shares(OCID, []).handed_in == 0


@pytest.mark.parametrize(
    ("password", "code", "message"),
    [
        ("wrong", "123456", "The e-mail address or the password is not right; you are not signed in."),
        ("correct horse battery", "000000", "The authenticator code is not right; you are not signed in."),
        ("correct horse battery", None, "This account signs in with an authenticator code."),
    ],
)  # fmt: skip
def test_a_failed_sign_in_says_which_step_failed(
    fake: FakeInstance, client: Client, password: str, code: str | None, message: str
) -> None:
    fake.totp = "123456"
    with pytest.raises(ClientError) as refused:
        client.sign_in("member@example.org", password, None if code is None else lambda: code)
    assert (refused.value.code, refused.value.message) == (codes.USAGE, message)
    with pytest.raises(ClientError):
        client.opening_envelopes(OCID)
