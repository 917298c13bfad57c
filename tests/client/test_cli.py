"""`pregon bid ...` and `pregon keys open-shares` through `pregon.cli.main`, against the fake
instance (the real server: test_live.py)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pregon.cli import main
from pregon.client import i18n
from pregon.client.cli import parse_answer, parse_lot
from pregon.client.errors import ClientError
from pregon.sealing import Member, keyfile_write, parse_envelope, share_decrypt
from tests.bids.bad_envelopes import with_bad_shares
from tests.client.fake import OCID, FakeInstance, b64url, unb64url
from tests.test_translations import compile_catalogs

#: Signing the self-declaration, which every submission and replacement needs.
DECLARE = ("--declare", "2026-12")


@pytest.fixture
def fake() -> FakeInstance:
    return FakeInstance()


@pytest.fixture
def url(fake: FakeInstance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    monkeypatch.setenv("PREGON_API_KEY", "pk_test_secret")
    monkeypatch.setenv("PREGON_LANGUAGE", "en")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    with fake.serve() as address:
        yield address


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "propuesta.txt"
    path.write_text("Propuesta económica\n" * 100, encoding="utf-8")
    return path


def submit(url: str, *args: str) -> int:
    return main(
        ["bid", "submit", "--url", url, "--tender", OCID, "--lot", "1=12500.50", *DECLARE, *args]
    )


def test_submit_prints_and_saves_the_verified_receipt(
    fake: FakeInstance, url: str, document: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = submit(
        url,
        "--lot", "2=300:USD",
        "--answer", "Plazo de entrega=30 días = un mes",
        "--document", str(document),
        "--idempotency-key", "run-1",
        "--receipt-out", "receipt.json",
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    bid = next(iter(fake.bids.values()))
    assert out == (
        f"Bid {bid.id} submitted.\n"
        f"  Tender:      {OCID}\n"
        f"  Commitment:  {bid.commitment}\n"
        "  Server time: 2026-03-01T12:00:00Z\n"
        "  Log leaf:    1\n"
        f"  Signed by:   {fake.vkey.rsplit('+', 1)[0]}\n"
        "Receipt saved to receipt.json.\n"
    )
    assert err == ""  # a key given: nothing to announce; no terminal: no progress bar
    saved = json.loads(Path("receipt.json").read_text(encoding="utf-8"))
    assert saved == {
        "format": "pregon-bid-receipt/1",
        "bid": bid.id,
        "tender": OCID,
        "action": "submit",
        "commitment": bid.commitment,
        "time": "2026-03-01T12:00:00Z",
        "leafIndex": 1,
        "receivedAt": "2026-03-01T12:00:00Z",
        "logKey": fake.vkey,
        "receipt": bid.answer["receipt"],
        "idempotencyKey": "run-1",
    }
    assert parse_envelope(bid.envelope).commitment == bid.commitment


def test_submit_without_a_key_announces_the_one_it_made(
    fake: FakeInstance, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert submit(url) == 0
    _out, err = capsys.readouterr()
    key = next(iter(fake.bids.values())).key
    assert err == (
        f"Idempotency key: {key}. If this command stops before the receipt is shown, run it "
        f"again with --idempotency-key {key}: nothing is then sent or counted twice.\n"
    )
    assert Path(f"bid-{next(iter(fake.bids))}-submit.receipt.json").is_file()


def test_a_rerun_with_the_same_key_gives_the_same_bid(
    fake: FakeInstance, url: str, document: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.drop_after_commit = 1
    args = ["--document", str(document), "--idempotency-key", "run-2", "--retries", "0"]
    assert submit(url, *args) == 1
    _out, err = capsys.readouterr()
    assert err.startswith("error: Cannot reach ")
    assert err.endswith(
        "Check the address and your connection, then run the same command again: what "
        "already arrived is not sent twice.\n"
    )
    assert submit(url, *args) == 0
    out, _err = capsys.readouterr()
    assert len(fake.bids) == 1
    assert out.startswith(f"Bid {next(iter(fake.bids))} submitted.\n")


def test_receipt_says_whether_inclusion_is_verified_yet(
    fake: FakeInstance, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.auto_checkpoint = False
    assert submit(url, "--idempotency-key", "run-3") == 0
    bid_id = next(iter(fake.bids))
    capsys.readouterr()

    assert main(["bid", "receipt", bid_id, "--url", url, "--receipt-out", "r.json"]) == 0
    out, _err = capsys.readouterr()
    assert "  Status:      submitted\n" in out
    assert out.endswith(
        "Inclusion not verified yet: the latest signed checkpoint (tree size 1) was signed "
        "before this receipt's leaf was added. Run this command again after the next "
        "checkpoint.\n"
        "Receipt saved to r.json.\n"
    )
    assert json.loads(Path("r.json").read_text())["inclusion"] == {"verified": False, "treeSize": 1}

    fake.sign()
    assert main(["bid", "receipt", bid_id, "--url", url, "--receipt-out", "r.json"]) == 0
    out, _err = capsys.readouterr()
    assert (
        "Inclusion verified: the transparency log holds this receipt's leaf under its signed "
        "checkpoint (tree size 2).\n"
    ) in out
    assert json.loads(Path("r.json").read_text())["inclusion"] == {"verified": True, "treeSize": 2}


def test_replace_and_withdraw(
    fake: FakeInstance, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert submit(url, "--idempotency-key", "run-4") == 0
    first = next(iter(fake.bids))
    code = main(
        [
            "bid",
            "replace",
            first,
            "--url",
            url,
            "--lot",
            "1=11000",
            "--idempotency-key",
            "run-5",
            *DECLARE,
        ]
    )
    assert code == 0
    second = list(fake.bids)[1]
    assert main(["bid", "withdraw", second, "--url", url, "--idempotency-key", "run-6"]) == 0
    out, _err = capsys.readouterr()
    assert f"Bid {second} submitted, replacing the earlier one.\n" in out
    assert f"Bid {second} withdrawn.\n" in out
    assert [bid.status for bid in fake.bids.values()] == ["replaced", "withdrawn"]


def test_a_tampered_receipt_fails_with_exit_code_1(
    fake: FakeInstance, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.tamper_receipt = True
    assert submit(url, "--idempotency-key", "run-7") == 1
    out, err = capsys.readouterr()
    bid_id = next(iter(fake.bids))
    assert out == ""
    assert err == (
        f"error: The receipt for bid {bid_id} is not valid: it is not signed by the log's key.\n"
        f"Do not rely on this receipt. Run `pregon bid receipt {bid_id}` to fetch it again, and "
        "report it to the platform's operator if it stays invalid.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lot", "7=10"], "error: The tender has no lot 7; its lots are 1, 2.\n"),
        (["--lot", "1=10,5"], "error: '1=10,5' is not LOT=AMOUNT[:CURRENCY].\n"),
        (["--document", "missing.pdf"], "error: missing.pdf is not a file.\n"),
        (
            ["--idempotency-key", "a b"],
            "error: The idempotency key 'a b' is not 1 to 64 letters, digits, '-' or '_'.\n",
        ),
    ],
)
def test_user_errors_exit_with_2_and_say_what_to_do(
    fake: FakeInstance, url: str, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["bid", "submit", "--url", url, "--tender", OCID, *DECLARE, *args, "--lot", "2=1"])
        == 2
    )
    _out, err = capsys.readouterr()
    assert err.startswith(message)
    assert not fake.bids


def test_a_missing_api_key_is_a_user_error(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PREGON_API_KEY")
    assert main(["bid", "withdraw", "x", "--url", url]) == 2
    _out, err = capsys.readouterr()
    assert err == (
        "error: The environment variable PREGON_API_KEY holds no API key.\n"
        "Create an API key in your organization's settings and put it in PREGON_API_KEY (or "
        "name another variable with --api-key-env).\n"
    )


def test_a_refusal_by_the_server_is_a_user_error(
    fake: FakeInstance, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bid", "receipt", "no-such-bid", "--url", url]) == 2
    _out, err = capsys.readouterr()
    assert err == "error: no such bid\nCheck the identifier (tender ocid or bid id).\n"


def test_messages_follow_the_terminals_language(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    compile_catalogs(tmp_path / "locale")  # the committed catalogs, not a stale build
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    monkeypatch.setenv("PREGON_LANGUAGE", "es")
    monkeypatch.delenv("PREGON_API_KEY")
    assert main(["bid", "withdraw", "x", "--url", url]) == 2
    _out, err = capsys.readouterr()
    assert err.startswith(
        "error: La variable de entorno PREGON_API_KEY no contiene ninguna clave de API.\n"
    )


def test_lots_and_answers_are_read_as_written() -> None:
    assert parse_lot("A-1=0.5:usd", "CLP") == {"lot": "A-1", "amount": "0.5", "currency": "USD"}
    assert parse_lot("2=1200", "CLP") == {"lot": "2", "amount": "1200", "currency": "CLP"}
    assert parse_answer("¿Garantía? = 2 años=24 meses") == {
        "question": "¿Garantía?",
        "answer": " 2 años=24 meses",
    }
    for bad in ("1=", "=5", "1=-5", "1=5:", "1=5:EURO", "1=1e3"):
        with pytest.raises(ClientError):
            parse_lot(bad, "CLP")
    with pytest.raises(ClientError) as no_currency:
        parse_lot("1=5", None)
    assert no_currency.value.hint == "Add it after the amount, like 1=5:USD."


# --- the opening ----------------------------------------------------------------------------------


def key_file(fake: FakeInstance, position: int, tmp_path: Path) -> Path:
    private, _public = fake.keys[position - 1]
    path = tmp_path / f"member{position}.key"
    path.write_bytes(keyfile_write(private, "correct horse battery", n=2**10))
    return path


def test_open_shares_hands_in_this_members_share_of_each_bid(
    fake: FakeInstance,
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert submit(url, "--idempotency-key", "run-8") == 0
    bid = next(iter(fake.bids.values()))
    capsys.readouterr()
    monkeypatch.setenv("PREGON_KEY_PASSPHRASE", "correct horse battery")
    monkeypatch.setenv("PREGON_PASSWORD", "correct horse battery")
    path = key_file(fake, 2, tmp_path)

    code = main(
        ["keys", "open-shares", "--url", url, "--email", "member@example.org",
         "--tender", OCID, "--key-file", str(path)]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == (
        f"Bid {bid.id} (commitment {bid.commitment}): share handed in.\n"
        "The server holds 1 share of yours; the opening waits for other members.\n"
    )
    member = fake.committee["members"][1]["fingerprint"]
    expected = share_decrypt(
        parse_envelope(bid.envelope), ocid=OCID, private_raw=fake.keys[1][0], fingerprint=member
    )
    assert fake.shares == [{"bid": bid.id, "share": b64url(expected)}]


def test_open_shares_names_a_bid_that_holds_no_share_for_the_key(
    fake: FakeInstance,
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert submit(url, "--idempotency-key", "run-9") == 0
    bid = next(iter(fake.bids.values()))
    capsys.readouterr()
    stranger = FakeInstance(members=1, threshold=1)
    path = key_file(stranger, 1, tmp_path)
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text("correct horse battery\n", encoding="utf-8")
    args: list[Any] = ["--tender", OCID, "--key-file", path, "--passphrase-file", passphrase]
    monkeypatch.setenv("PREGON_EMAIL", "member@example.org")
    monkeypatch.setenv("PREGON_PASSWORD", "correct horse battery")

    code = main(["keys", "open-shares", "--url", url, *map(str, args)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == (
        f"Bid {bid.id} (commitment {bid.commitment}): not handed in: the bid holds no share "
        "for your key.\n"
    )
    assert err == (
        "1 bid could not be opened with your key; tell the other members and the buyer.\n"
    )
    assert fake.shares == []


@pytest.mark.parametrize(
    ("broken", "reason", "why"),
    [
        (
            {"undecryptable": [2]},
            "share_undecryptable",
            "your share does not open with your key (the envelope was altered)",
        ),
        (
            {"mismatched": [2]},
            "share_mismatch",
            "your share is not the one whose hash the bid carries (the bidder sealed it wrongly)",
        ),
    ],
)
def test_open_shares_declares_a_bid_whose_share_it_cannot_decrypt(
    fake: FakeInstance,
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broken: dict[str, list[int]],
    reason: str,
    why: str,
) -> None:
    assert submit(url, "--idempotency-key", "run-10") == 0
    assert submit(url, "--idempotency-key", "run-11", "--lot", "2=900") == 0
    good, bad = fake.bids.values()
    members = [
        Member(fingerprint=member["fingerprint"], public_key=unb64url(member["publicKey"]))
        for member in fake.committee["members"]
    ]
    bad.envelope = with_bad_shares(bad.envelope, members, **broken)
    capsys.readouterr()
    monkeypatch.setenv("PREGON_KEY_PASSPHRASE", "correct horse battery")
    monkeypatch.setenv("PREGON_PASSWORD", "correct horse battery")
    path = key_file(fake, 2, tmp_path)

    code = main(
        ["keys", "open-shares", "--url", url, "--email", "member@example.org",
         "--tender", OCID, "--key-file", str(path)]
    )  # fmt: skip
    out, err = capsys.readouterr()

    assert code == 0, err
    bad_commitment = hashlib.sha256(bad.envelope).hexdigest()
    assert out == (
        f"Bid {good.id} (commitment {good.commitment}): share handed in.\n"
        f"Bid {bad.id} (commitment {bad_commitment}): declared that you cannot decrypt your "
        f"share: {why}.\n"
        "The server holds 1 share of yours; the opening waits for other members.\n"
    )
    assert err == (
        "You declared 1 bid whose share you cannot decrypt; your position is published with "
        "it in the opening record. Tell the other members and the buyer.\n"
    )
    assert [share["bid"] for share in fake.shares] == [good.id]
    assert fake.declarations == [{"bid": bad.id, "reason": reason}]


def test_open_shares_with_a_wrong_passphrase_is_a_user_error(
    fake: FakeInstance,
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PREGON_KEY_PASSPHRASE", "wrong horse")
    path = key_file(fake, 1, tmp_path)
    code = main(["keys", "open-shares", "--url", url, "--tender", OCID, "--key-file", str(path)])
    _out, err = capsys.readouterr()
    assert code == 2
    assert err == (
        f"error: This passphrase does not open the key file {path}.\n"
        "Type it again exactly as chosen (it is case-sensitive), and check that this is your "
        "own key file.\n"
    )


def test_open_shares_signs_in_with_the_authenticator_code_and_opens_a_tender_without_bids(
    fake: FakeInstance,
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake.totp = "654321"
    monkeypatch.setenv("PREGON_KEY_PASSPHRASE", "correct horse battery")
    monkeypatch.setenv("PREGON_EMAIL", "member@example.org")
    monkeypatch.setenv("PREGON_PASSWORD", "correct horse battery")
    monkeypatch.setattr("sys.stdin", io.StringIO("654321\n"))  # typed at the prompt
    path = key_file(fake, 1, tmp_path)
    code = main(["keys", "open-shares", "--url", url, "--tender", OCID, "--key-file", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == (
        "The tender has no sealed bids.\n"
        "The server holds 0 shares of yours; the opening waits for other members.\n"
    )
    assert err == "Authenticator code: "
    assert fake.sign_ins[-1] == {"csrfmiddlewaretoken": "before-sign-in", "code": "654321"}
    assert ("POST", f"/api/v1/tenders/{OCID}/opening/shares") in fake.requests


def test_open_shares_with_a_wrong_password_is_a_user_error(
    fake: FakeInstance,
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PREGON_KEY_PASSPHRASE", "correct horse battery")
    monkeypatch.setenv("PREGON_PASSWORD", "not it")
    path = key_file(fake, 1, tmp_path)
    code = main(
        ["keys", "open-shares", "--url", url, "--email", "member@example.org",
         "--tender", OCID, "--key-file", str(path)]
    )  # fmt: skip
    _out, err = capsys.readouterr()
    assert code == 2
    assert err == (
        "error: The e-mail address or the password is not right; you are not signed in.\n"
        "Check both, or reset the password on the site's sign-in page.\n"
    )
    assert not any(path_.startswith("/api/v1/") for _m, path_ in fake.requests)


def test_a_bid_needs_the_self_declaration(
    fake: FakeInstance, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["bid", "submit", "--url", url, "--tender", OCID, "--lot", "1=10"])
    assert exited.value.code == 2
    assert "--declare" in capsys.readouterr().err
    assert not fake.bids
