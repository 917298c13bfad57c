"""`pregon bid ...` and `pregon.client` against the real server (pytest-django's live_server).

A supplier with an API key seals, submits, replaces and withdraws bids through the command; the
bytes stored are what the client sealed, and the tender's committee opens them. A small proxy
in front of the server loses answers and alters a receipt on purpose.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from pregon.bids.choices import BidStatus
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, Opening
from pregon.cli import main
from pregon.client import Client, ClientError
from pregon.client import errors as codes
from pregon.core.actor import Actor
from pregon.organizations.models import Organization
from pregon.organizations.services import api_key_issue
from pregon.sealing import bid_open, document_open, keyfile_write, parse_envelope, share_decrypt
from pregon.tenders.models import CommitteeMember, Tender
from pregon.tlog.checkpoint import ALG_ED25519, SignerKey, format_signer_key, format_verifier_key
from tests import factories
from tests.bids.bad_envelopes import bad_offer
from tests.bids.opening_world import OpeningWorld
from tests.client.proxy import Proxy

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = "client.example.org/pregon/log"
SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(7, 39)))
VKEY = format_verifier_key(SIGNER.verifier)
CHUNK = 4096

#: Signing the self-declaration, which every submission and replacement needs.
DECLARE = ("--declare", DECLARATION_VERSION)


@pytest.fixture(autouse=True)
def _instance(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PREGON_LOG_ORIGIN = ORIGIN
    settings.PREGON_LOG_SIGNER_KEY = format_signer_key(SIGNER)
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("PREGON_LANGUAGE", "en")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def tender() -> Tender:
    """An open tender (deadline in 20 days), published with a committee of 3, 2 needed."""
    return factories.TenderOpenFactory(lots=2)


@pytest.fixture
def supplier(monkeypatch: pytest.MonkeyPatch) -> Organization:
    """A supplier whose API key (bids:submit) is in PREGON_API_KEY."""
    organization = factories.SupplierFactory()
    user = factories.member(organization, "supplier_user")
    _key, secret = api_key_issue(
        actor=Actor(user=user, organization=organization, channel="web"),
        organization=organization,
        name="Bidding client",
        scopes=["bids:submit"],
    )
    monkeypatch.setenv("PREGON_API_KEY", secret)
    return organization


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "oferta.pdf"
    path.write_bytes(b"%PDF-1.7 propuesta MARCADOR-7f3a " + bytes(range(256)) * 60)  # 15393 bytes
    return path


def opened(tender: Tender, bid: Bid) -> tuple[bytes, dict[str, Any]]:
    """Open a stored bid as two of the committee would."""
    envelope = parse_envelope(bytes(bid.envelope))
    members = CommitteeMember.objects.filter(tender=tender).order_by("position")[:2]
    shares = [
        share_decrypt(
            envelope,
            ocid=tender.ocid,
            private_raw=factories.private_key_of(member),
            fingerprint=member.fingerprint,
        )
        for member in members
    ]
    return bid_open(envelope, shares, ocid=tender.ocid)


def run(*args: str) -> int:
    return main(["bid", *args])


def test_submit_replace_withdraw_and_receipt_through_the_command(
    live_server: Any,
    tender: Tender,
    supplier: Organization,
    document: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = live_server.url
    code = run(
        "submit", "--url", url, "--log-key", VKEY, "--tender", tender.ocid, *DECLARE,
        "--lot", "1=12500.50", "--lot", "2=300.25:USD",
        "--answer", "Plazo de entrega=30 días",
        "--document", str(document), "--chunk-size", str(CHUNK),
        "--idempotency-key", "live-submit-1", "--receipt-out", "first.json",
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    bid = Bid.objects.get(supplier=supplier)
    assert out.startswith(f"Bid {bid.pk} submitted.\n  Tender:      {tender.ocid}\n")
    assert f"  Commitment:  {bid.commitment}\n" in out
    saved = json.loads(Path("first.json").read_text(encoding="utf-8"))
    assert (saved["bid"], saved["commitment"], saved["leafIndex"], saved["receipt"]) == (
        str(bid.pk),
        bid.commitment,
        bid.leaf_index,
        bid.receipt,
    )
    data_key, plain = opened(tender, bid)
    assert plain["lots"] == [
        {"lot": "1", "amount": "12500.50", "currency": "CLP"},
        {"lot": "2", "amount": "300.25", "currency": "USD"},
    ]
    assert plain["answers"] == [{"question": "Plazo de entrega", "answer": "30 días"}]
    stored = bid.documents.get(doc_id="d1")
    assert document_open(data_key, tender.ocid, "d1", stored.file.read()) == document.read_bytes()

    assert run("receipt", str(bid.pk), "--url", url, "--receipt-out", "again.json") == 0
    out, _err = capsys.readouterr()
    assert "  Status:      submitted\n" in out
    assert "Inclusion verified: the transparency log holds this receipt's leaf" in out

    code = run(
        "replace",
        str(bid.pk),
        "--url",
        url,
        "--lot",
        "1=11999",
        "--idempotency-key",
        "live-2",
        *DECLARE,
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    new = Bid.objects.get(replaces=bid)
    assert out.startswith(f"Bid {new.pk} submitted, replacing the earlier one.\n")
    assert opened(tender, new)[1]["lots"] == [{"lot": "1", "amount": "11999", "currency": "CLP"}]

    assert run("withdraw", str(new.pk), "--url", url, "--idempotency-key", "live-3") == 0
    out, _err = capsys.readouterr()
    new.refresh_from_db()
    assert out.startswith(f"Bid {new.pk} withdrawn.\n")
    assert f"  Log leaf:    {new.withdraw_leaf_index}\n" in out
    assert [b.status for b in Bid.objects.order_by("received_at")] == [
        BidStatus.REPLACED,
        BidStatus.WITHDRAWN,
    ]
    # The same command again answers the same withdrawal: no new leaf.
    assert run("withdraw", str(new.pk), "--url", url, "--idempotency-key", "live-3") == 0
    again, _err = capsys.readouterr()
    assert again == out


def test_a_lost_answer_to_a_chunk_is_not_sent_again(
    live_server: Any, tender: Tender, supplier: Organization, document: Path, secret: str
) -> None:
    puts = {"n": 0}

    def lose_second_chunk_answer(method: str, path: str) -> bool:
        if method == "PUT":
            puts["n"] += 1
            return puts["n"] == 2
        return False

    proxy = Proxy(_address(live_server), drop=lose_second_chunk_answer)
    with proxy.serve() as url:
        client = Client(url, secret, log_key=VKEY, chunk_size=CHUNK, backoff=0.01)
        receipt = client.submit(
            tender.ocid, {"lots": [_lot()]}, [document], declaration=DECLARATION_VERSION
        )
    size = len(document.read_bytes()) + 28
    assert proxy.chunk_bytes() == size  # every byte reached the server exactly once
    assert [m for m, p, _n in proxy.forwarded if p.startswith("/api/v1/bid-uploads/")] == [
        "PUT", "PUT", "GET", "PUT", "PUT",
    ]  # fmt: skip
    bid = Bid.objects.get(pk=receipt.bid_id)
    assert bid.documents.get(doc_id="d1").size == size


def test_an_upload_begun_by_an_earlier_run_goes_on_where_the_server_stands(
    live_server: Any, tender: Tender, supplier: Organization, document: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state" / "pregon" / "bids"
    puts = {"n": 0}

    def crash_after_two_chunks(method: str, path: str) -> bool:
        if method == "PUT":
            puts["n"] += 1
        return puts["n"] >= 3 and method == "PUT"

    proxy = Proxy(_address(live_server), drop=crash_after_two_chunks)
    args = [
        "submit", "--tender", tender.ocid, "--log-key", VKEY, "--lot", "1=100", *DECLARE,
        "--document", str(document), "--chunk-size", str(CHUNK),
        "--idempotency-key", "live-resume", "--retries", "0",
    ]  # fmt: skip
    with proxy.serve() as url:
        assert run(*args, "--url", url) == 1  # the third chunk's answer never comes
    arrived = proxy.chunk_bytes()
    assert arrived == 3 * CHUNK

    second = Proxy(_address(live_server))
    with second.serve() as url:
        assert run(*args, "--url", url) == 0
    size = len(document.read_bytes()) + 28
    assert second.chunk_bytes() == size - arrived  # only what had not arrived
    bid = Bid.objects.get(supplier=supplier)
    assert json.loads((state / "live-resume" / "receipt.json").read_text())["bid"] == str(bid.pk)


def test_a_submission_committed_but_never_answered_makes_one_bid(
    live_server: Any, tender: Tender, supplier: Organization, secret: str
) -> None:
    posts = {"n": 0}

    def lose_first_answer(method: str, path: str) -> bool:
        if method == "POST" and path.endswith("/bids"):
            posts["n"] += 1
            return posts["n"] == 1
        return False

    proxy = Proxy(_address(live_server), drop=lose_first_answer)
    with proxy.serve() as url:
        receipt = Client(url, secret, log_key=VKEY, backoff=0.01).submit(
            tender.ocid, {"lots": [_lot()]}, [], "live-once", declaration=DECLARATION_VERSION
        )
    assert posts["n"] == 2
    assert list(Bid.objects.values_list("pk", flat=True)) == [uuid.UUID(receipt.bid_id)]


def test_a_tampered_receipt_signature_is_refused(
    live_server: Any, tender: Tender, supplier: Organization, secret: str
) -> None:
    def flip_signature(method: str, path: str, answer: bytes) -> bytes:
        if not (method == "POST" and path.endswith("/bids")):
            return answer
        head, _sep, body = answer.partition(b"\r\n\r\n")
        data = json.loads(body)
        text, _blank, line = data["receipt"].rstrip("\n").rpartition("\n")
        name, _space, signature = line.rpartition(" ")
        raw = bytearray(base64.b64decode(signature))
        raw[10] ^= 0x01
        data["receipt"] = f"{text}\n{name} {base64.b64encode(bytes(raw)).decode()}\n"
        altered = json.dumps(data).encode()
        head = head.replace(
            f"Content-Length: {len(body)}".encode(), f"Content-Length: {len(altered)}".encode()
        )
        return head + b"\r\n\r\n" + altered

    proxy = Proxy(_address(live_server), rewrite=flip_signature)
    with proxy.serve() as url, pytest.raises(ClientError) as refused:
        Client(url, secret, log_key=VKEY).submit(
            tender.ocid, {"lots": [_lot()]}, [], declaration=DECLARATION_VERSION
        )
    assert refused.value.code == codes.RECEIPT_INVALID
    bid = Bid.objects.get()
    assert refused.value.message == (
        f"The receipt for bid {bid.pk} is not valid: it is not signed by the log's key."
    )


def test_keys_that_are_not_in_the_logged_release_are_refused(
    live_server: Any, tender: Tender, supplier: Organization, secret: str
) -> None:
    # Behind the application's back, a member's key is swapped after publication: the
    # committee endpoint now serves a key the logged release does not hold.
    _private, public = factories.key_pair()
    CommitteeMember.objects.filter(tender=tender, position=3).update(
        public_key=public, fingerprint=hashlib.sha256(public).hexdigest()
    )
    client = Client(live_server.url, secret, log_key=VKEY)
    with pytest.raises(ClientError) as refused:
        client.submit(tender.ocid, {"lots": [_lot()]}, [], declaration=DECLARATION_VERSION)
    assert refused.value.code == codes.COMMITTEE_MISMATCH
    assert not Bid.objects.exists()


def test_a_log_key_other_than_the_instances_is_refused(
    live_server: Any, tender: Tender, supplier: Organization, secret: str
) -> None:
    impostor = format_verifier_key(SignerKey(ORIGIN, ALG_ED25519, bytes(32)).verifier)
    with pytest.raises(ClientError) as refused:
        Client(live_server.url, secret, log_key=impostor).committee(tender.ocid)
    assert refused.value.code == codes.LOG_INVALID


def test_the_committee_opens_bids_sealed_by_the_client_with_open_shares(
    live_server: Any,
    tender: Tender,
    supplier: Organization,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = live_server.url
    assert run("submit", "--url", url, "--tender", tender.ocid, *DECLARE, "--lot", "1=120500.50",
               "--lot", "2=80000", "--idempotency-key", "first-bidder") == 0  # fmt: skip
    other = factories.SupplierFactory(scale="micro")
    user = factories.member(other, "supplier_user")
    _key, secret = api_key_issue(
        actor=Actor(user=user, organization=other, channel="web"),
        organization=other,
        name="Bidding client",
        scopes=["bids:submit"],
    )
    monkeypatch.setenv("OTHER_KEY", secret)
    assert run("submit", "--url", url, "--api-key-env", "OTHER_KEY", "--tender", tender.ocid, *DECLARE,
               "--lot", "1=118000", "--idempotency-key", "second-bidder") == 0  # fmt: skip
    capsys.readouterr()
    # The deadline and the opening time pass.
    moment = timezone.now()
    Tender.objects.filter(pk=tender.pk).update(
        enquiry_end=moment - dt.timedelta(hours=3),
        submission_deadline=moment - dt.timedelta(hours=2),
        opening_at=moment - dt.timedelta(hours=1),
    )
    bids = list(Bid.objects.order_by("received_at"))
    monkeypatch.setenv("PREGON_KEY_PASSPHRASE", "clave de apertura 2026")
    monkeypatch.setenv("PREGON_PASSWORD", "correct horse battery")
    members = list(CommitteeMember.objects.filter(tender=tender).order_by("position"))
    outputs = []
    for position in (1, 3):
        member = members[position - 1]
        path = tmp_path / f"member{position}.key"
        path.write_bytes(
            keyfile_write(factories.private_key_of(member), "clave de apertura 2026", n=2**10)
        )
        if position == 3:
            # This member signs in with an authenticator: the command asks for its code.
            secret_totp = "JBSWY3DPEHPK3PXP"
            TOTP.activate(member.user, secret_totp)
            monkeypatch.setenv("PREGON_TOTP_CODE", factories.totp_code(secret_totp))
        code = main(["keys", "open-shares", "--url", url, "--email", member.user.email,
                     "--tender", tender.ocid, "--key-file", str(path)])  # fmt: skip
        out, err = capsys.readouterr()
        assert code == 0, err
        outputs.append(out)
    handed = "".join(
        f"Bid {bid.pk} (commitment {bid.commitment}): share handed in.\n" for bid in bids
    )
    assert outputs == [
        handed + "The server holds 2 shares of yours; the opening waits for other members.\n",
        handed + "The server holds 2 shares of yours; the bids are now open.\n",
    ]
    opened_bids = {
        str(bid.supplier_id): bid.opened.lots for bid in Bid.objects.select_related("opened")
    }
    assert opened_bids == {
        str(supplier.pk): [
            {"lot": "1", "amount": "120500.50", "currency": "CLP"},
            {"lot": "2", "amount": "80000", "currency": "CLP"},
        ],
        str(other.pk): [{"lot": "1", "amount": "118000", "currency": "CLP"}],
    }


def test_open_shares_declares_a_bid_whose_share_does_not_decrypt_and_the_others_open(
    live_server: Any,
    tender: Tender,
    supplier: Organization,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = live_server.url
    assert run("submit", "--url", url, "--tender", tender.ocid, *DECLARE, "--lot", "1=120500.50",
               "--idempotency-key", "honest-bidder") == 0  # fmt: skip
    # A bidder seals shares that members 1 and 3 cannot decrypt (k = 2 of 3).
    world = OpeningWorld(
        tender=tender,
        committee=list(CommitteeMember.objects.filter(tender=tender).order_by("position")),
    )
    bad = bad_offer(world, undecryptable=[1, 3], lot="2").bid
    capsys.readouterr()
    moment = timezone.now()
    Tender.objects.filter(pk=tender.pk).update(
        enquiry_end=moment - dt.timedelta(hours=3),
        submission_deadline=moment - dt.timedelta(hours=2),
        opening_at=moment - dt.timedelta(hours=1),
    )
    good = Bid.objects.exclude(pk=bad.pk).get()
    monkeypatch.setenv("PREGON_KEY_PASSPHRASE", "clave de apertura 2026")
    monkeypatch.setenv("PREGON_PASSWORD", "correct horse battery")
    outputs = []
    for member in (world.committee[0], world.committee[2]):
        path = tmp_path / f"member{member.position}.key"
        path.write_bytes(
            keyfile_write(factories.private_key_of(member), "clave de apertura 2026", n=2**10)
        )
        code = main(["keys", "open-shares", "--url", url, "--email", member.user.email,
                     "--tender", tender.ocid, "--key-file", str(path)])  # fmt: skip
        out, err = capsys.readouterr()
        assert code == 0, err
        assert err.startswith("You declared 1 bid whose share you cannot decrypt;")
        outputs.append(out)

    lines = (
        f"Bid {good.pk} (commitment {good.commitment}): share handed in.\n"
        f"Bid {bad.pk} (commitment {bad.commitment}): declared that you cannot decrypt your "
        "share: your share does not open with your key (the envelope was altered).\n"
    )
    assert outputs == [
        lines + "The server holds 1 share of yours; the opening waits for other members.\n",
        lines + "The server holds 1 share of yours; the bids are now open.\n",
    ]
    record = Opening.objects.get(tender=tender).record
    assert record is not None
    entries = {entry["id"]: entry for entry in record["bids"]}
    assert entries[str(bad.pk)]["outcome"] == "undecryptable"
    assert entries[str(bad.pk)]["reason"] == "shares_undecryptable"
    assert entries[str(bad.pk)]["declaredBy"] == [1, 3]
    assert entries[str(bad.pk)]["members"] == []
    assert entries[str(good.pk)]["outcome"] == "opened"
    assert entries[str(good.pk)]["members"] == [1, 3]
    assert "declaredBy" not in entries[str(good.pk)]


# --- helpers ----------------------------------------------------------------------------------------


@pytest.fixture
def secret(supplier: Organization) -> str:
    return os.environ["PREGON_API_KEY"]


def _lot() -> dict[str, str]:
    return {"lot": "1", "amount": "100", "currency": "CLP"}


def _address(live_server: Any) -> tuple[str, int]:
    parts = urlsplit(live_server.url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port
