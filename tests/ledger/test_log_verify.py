"""`pregon verify` against a real HTTP server (pytest-django's live_server).

The releases are logged as their RFC 8785 bytes and published as ordinary JSON (another key
order, escaped Unicode, numbers written differently), as any JSON writer would: the command
must find them all, and name exactly the one that was changed.
"""

from __future__ import annotations

import base64
import functools
import gzip
import http.server
import io
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pregon.ledger import selectors, services
from pregon.ledger.models import ReceivedCosignature, WatchedLog
from pregon.ledger.services import LeafData
from pregon.tlog.checkpoint import (
    ALG_COSIGNATURE_V1,
    SignerKey,
    add_signature,
    format_signer_key,
    format_verifier_key,
    generate_signer_key,
    split_note,
)
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests.ledger.conftest import NEXT_SIGNER, ORIGIN, VKEY

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("log_settings")]


def release(n: int, title: str = "Adquisición de computadores") -> dict[str, Any]:
    return {
        "ocid": f"ocds-pregon-{n:04d}",
        "id": f"ocds-pregon-{n:04d}-tender-1",
        "date": "2026-03-02T12:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "tender": {
            "id": f"T-{n}",
            "title": f"{title} {n}",
            "value": {"amount": Decimal("175000.50"), "currency": "CLP"},
        },
    }


def published_line(value: dict[str, Any]) -> str:
    """How a JSON writer other than JCS would put the release on a line."""
    plain = json.loads(json.dumps(value, default=float))
    return json.dumps(dict(reversed(plain.items())), ensure_ascii=True, indent=None)


def log_releases(first: int, count: int) -> None:
    services.leaves_append(
        entries=[
            LeafData(kind="release", data=canonical_bytes(release(n)), ref=release(n)["id"])
            for n in range(first, first + count)
        ]
    )
    services.checkpoint_issue()


def write_bulk(path: Path, lines: list[str], *, gzipped: bool) -> Path:
    text = "".join(line + "\n" for line in lines).encode()
    path.write_bytes(gzip.compress(text) if gzipped else text)
    return path


@pytest.fixture
def bulk(tmp_path: Path) -> Path:
    """Twelve releases logged, bid commitments between them, and a bulk file of the releases."""
    log_releases(0, 5)
    services.leaf_append(kind="bid_commitment", data=b"\x01" * 32, ref="bid-1")
    log_releases(5, 7)
    return write_bulk(
        tmp_path / "releases.jsonl.gz",
        [published_line(release(n)) for n in range(12)],
        gzipped=True,
    )


def verify(live_server: Any, source: str | Path, tmp_path: Path, *args: str) -> tuple[str, str]:
    """Run the command; return (stdout, stderr). Raises CommandError on failure."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "verify",
            str(source),
            "--log",
            live_server.url,
            "--key",
            VKEY,
            "--state",
            str(tmp_path / "state.json"),
            *args,
            stdout=out,
            stderr=err,
        )
    except CommandError as error:
        error.output = (out.getvalue(), err.getvalue())  # type: ignore[attr-defined]
        raise
    return out.getvalue(), err.getvalue()


def failure(live_server: Any, source: str | Path, tmp_path: Path, *args: str) -> Any:
    with pytest.raises(CommandError) as raised:
        verify(live_server, source, tmp_path, *args)
    return raised.value


@pytest.mark.parametrize("method", ["proofs", "leaves"])
def test_every_published_release_is_found_under_the_signed_checkpoint(
    live_server: Any, bulk: Path, tmp_path: Path, method: str
) -> None:
    out, err = verify(live_server, bulk, tmp_path, "--method", method)
    root = base64.b64encode(services.MerkleLog(services.DatabaseNodeStore(), 13).root()).decode()
    requests = 1 + (12 if method == "proofs" else 1)
    # The leaves seen, by kind: those of the releases found, or every leaf of the tree.
    kinds = {
        "proofs": "Leaves by kind (the leaves of the documents found):\n"
        "  OCDS release (release): 12\n",
        "leaves": "Leaves by kind (all 13 leaves of the tree):\n"
        "  OCDS release (release): 12\n"
        "  Bid commitment (bid_commitment): 1\n",
    }
    assert out == (
        f"Log {ORIGIN} at {live_server.url}/log\n"
        f"Checkpoint: 13 leaves, root {root}, signature verified with {VKEY}\n"
        f"First run for this log: the checkpoint is saved in {tmp_path / 'state.json'}.\n"
        f"Checked 12 releases from {bulk} (12 lines; method: {method}; "
        f"{requests} requests to the log).\n"
        f"{kinds[method]}"
        "OK: all 12 releases are in the log of 13 leaves.\n"
    )
    assert err == ""
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["logs"][VKEY]["size"] == 13
    assert state["logs"][VKEY]["root_hash"] == root


def test_auto_picks_whichever_takes_fewer_requests(
    live_server: Any, bulk: Path, tmp_path: Path
) -> None:
    out, _err = verify(live_server, bulk, tmp_path)
    assert "(12 lines; method: leaves; 2 requests to the log)" in out  # 13 leaves: one page
    one = write_bulk(tmp_path / "one.jsonl", [published_line(release(3))], gzipped=False)
    out, _err = verify(live_server, one, tmp_path)
    assert f"Checked 1 release from {one} (1 line; " in out
    # The checkpoint and one proof; no consistency proof, the saved checkpoint has the same size.
    assert "method: proofs; 2 requests to the log)" in out


@pytest.mark.parametrize("method", ["proofs", "leaves"])
def test_a_changed_release_is_named_with_its_line_and_the_exit_status_is_1(
    live_server: Any, bulk: Path, tmp_path: Path, method: str
) -> None:
    lines = [published_line(release(n)) for n in range(12)]
    changed = release(7)
    changed["tender"]["value"]["amount"] = Decimal("1175000.50")
    lines[7] = published_line(changed)
    tampered = write_bulk(tmp_path / "tampered.jsonl", lines, gzipped=False)

    error = failure(live_server, tampered, tmp_path, "--method", method)
    assert error.returncode == 1
    assert str(error) == "1 of 12 releases failed verification."
    out, err = error.output
    hashed = leaf_hash(canonical_bytes(changed)).hex()
    assert err == (
        "FAILED line 8, release ocds-pregon-0007-tender-1: not in the log (no leaf has its "
        f"hash {hashed}): it was changed after it was published, or never logged\n"
    )
    assert "Checked 12 releases from " in out


def test_unreadable_lines_are_failures_too(live_server: Any, bulk: Path, tmp_path: Path) -> None:
    lines = [published_line(release(0)), '{"id": "x", "amount": NaN}', "[1, 2]", '{"no": "id"}']
    source = write_bulk(tmp_path / "bad.jsonl", lines, gzipped=False)
    error = failure(live_server, source, tmp_path, "--method", "proofs")
    assert (str(error), error.returncode) == ("3 of 4 releases failed verification.", 1)
    _out, err = error.output
    assert err.splitlines() == [
        "FAILED line 2, release ?: cannot be read as a release (NaN is not valid JSON)",
        "FAILED line 3, release ?: cannot be read as a release (not a JSON object)",
        "FAILED line 4, release ?: cannot be read as a release (a release without an id)",
    ]


def test_the_next_run_checks_the_log_only_grew(
    live_server: Any, bulk: Path, tmp_path: Path
) -> None:
    verify(live_server, bulk, tmp_path)
    log_releases(12, 3)
    out, _err = verify(live_server, bulk, tmp_path)
    assert "Checkpoint: 16 leaves" in out
    assert "Consistent with the checkpoint of 13 leaves saved on " in out
    assert json.loads((tmp_path / "state.json").read_text())["logs"][VKEY]["size"] == 16


def test_a_log_that_rewrote_its_history_fails_against_the_saved_checkpoint(
    live_server: Any, bulk: Path, tmp_path: Path
) -> None:
    verify(live_server, bulk, tmp_path)
    # What a rewritten log would present: the run's saved root differs from the log's history.
    state = json.loads((tmp_path / "state.json").read_text())
    state["logs"][VKEY]["size"] = 9
    state["logs"][VKEY]["root_hash"] = base64.b64encode(b"\x07" * 32).decode()
    (tmp_path / "state.json").write_text(json.dumps(state))
    error = failure(live_server, bulk, tmp_path)
    assert error.returncode == 1
    assert str(error).startswith(
        "The log is not consistent with the checkpoint saved by the previous run: the log of "
        "size 13 does not extend the previous one: consistency proof does not lead to the root "
        "of size 9"
    )
    # The state is not replaced by the checkpoint that failed.
    assert json.loads((tmp_path / "state.json").read_text())["logs"][VKEY]["size"] == 9

    state["logs"][VKEY]["size"] = 20
    (tmp_path / "state.json").write_text(json.dumps(state))
    error = failure(live_server, bulk, tmp_path)
    assert "the log shrank from 20 to 13 leaves since the previous run" in str(error)


def test_two_logs_of_one_name_keep_their_own_saved_checkpoints(
    live_server: Any, bulk: Path, tmp_path: Path, log_settings: Any
) -> None:
    """Two local instances are both called 127.0.0.1:8000/pregon/log, each with its own key."""
    verify(live_server, bulk, tmp_path)
    # The first instance's tree is another than the second's: another root for its size.
    state = json.loads((tmp_path / "state.json").read_text())
    ((first_entry, first),) = state["logs"].items()
    first["root_hash"] = base64.b64encode(b"\x07" * 32).decode()
    (tmp_path / "state.json").write_text(json.dumps(state))

    # The second instance: the same name, another key.
    log_settings.PREGON_LOG_SIGNER_KEY = format_signer_key(NEXT_SIGNER)
    services.checkpoint_issue()
    second_key = format_verifier_key(NEXT_SIGNER.verifier)
    out = io.StringIO()
    call_command(
        "verify", str(bulk), "--log", live_server.url, "--key", second_key,
        "--state", str(tmp_path / "state.json"), stdout=out,
    )  # fmt: skip

    assert f"First run for this log: the checkpoint is saved in {tmp_path / 'state.json'}." in (
        out.getvalue()
    )
    assert "OK: all 12 releases are in the log of 13 leaves." in out.getvalue()
    logs = json.loads((tmp_path / "state.json").read_text())["logs"]
    assert sorted(logs) == sorted([VKEY, second_key])
    assert first_entry == VKEY
    assert logs[VKEY] == first
    assert logs[second_key]["size"] == 13


def test_a_checkpoint_signed_by_another_key_is_refused(
    live_server: Any, bulk: Path, tmp_path: Path
) -> None:
    impostor = format_verifier_key(generate_signer_key(ORIGIN).verifier)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "verify", str(bulk), "--log", live_server.url, "--key", impostor,
            "--state", str(tmp_path / "s.json"), stdout=out, stderr=err,
        )  # fmt: skip
    assert raised.value.returncode == 1
    assert str(raised.value) == (
        "The log's checkpoint does not verify with the trusted key: the note has no signature "
        "from a trusted key"
    )
    assert not (tmp_path / "s.json").exists()


def test_the_key_can_be_a_file_and_bad_arguments_exit_with_2(
    live_server: Any, bulk: Path, tmp_path: Path
) -> None:
    key_file = tmp_path / "log.vkey"
    key_file.write_text(f"\n{VKEY}\n")
    out = io.StringIO()
    call_command(
        "verify", str(bulk), "--log", f"{live_server.url}/log/", "--key", str(key_file),
        "--state", str(tmp_path / "s.json"), stdout=out,
    )  # fmt: skip
    assert "OK: all 12 releases" in out.getvalue()

    with pytest.raises(CommandError) as raised:
        call_command("verify", str(bulk), "--log", live_server.url, "--key", "nonsense")
    assert raised.value.returncode == 2
    assert str(raised.value).startswith("--key is not a verifier key:")
    with pytest.raises(CommandError) as raised:
        verify(live_server, tmp_path / "missing.jsonl", tmp_path)
    assert raised.value.returncode == 2
    assert str(raised.value).startswith("Cannot read the releases: cannot read ")
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(bulk.read_bytes()[:-40])
    with pytest.raises(CommandError) as raised:
        verify(live_server, truncated, tmp_path)
    assert raised.value.returncode == 2
    assert str(raised.value).startswith("Cannot read the releases: Compressed file ended")


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[str]:
    """A plain static HTTP server over tmp_path (a mirror of the bulk files)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_bulk_files_and_release_packages_are_read_from_urls(
    live_server: Any, bulk: Path, tmp_path: Path, file_server: str
) -> None:
    out, _err = verify(live_server, f"{file_server}/releases.jsonl.gz", tmp_path)
    assert "Checked 12 releases from " in out

    package = {
        "uri": "https://example.org/api/ocds/releases/x",
        "publishedDate": "2026-03-02T12:00:00Z",
        "releases": [json.loads(published_line(release(4)))],
    }
    (tmp_path / "package.json").write_text(json.dumps(package, indent=2))
    out, _err = verify(live_server, f"{file_server}/package.json", tmp_path)
    assert f"Checked 1 release from {file_server}/package.json (1 line; " in out
    assert "OK: the release is in the log of 13 leaves." in out

    (tmp_path / "empty.jsonl").write_text("\n")
    error = failure(live_server, f"{file_server}/empty.jsonl", tmp_path)
    assert str(error) == f"No release found in {file_server}/empty.jsonl: nothing was verified."


def test_witness_cosignatures_are_reported_and_checked(
    live_server: Any, bulk: Path, tmp_path: Path
) -> None:
    peer_log = SignerKey("peer.example/pregon/log", 1, bytes(range(100, 132)))
    peer = WatchedLog.objects.create(
        origin=peer_log.name,
        url="https://peer.example/log",
        vkey=format_verifier_key(peer_log.verifier),
    )
    other = format_verifier_key(generate_signer_key("absent.example/pregon/log").verifier)
    out, _err = verify(
        live_server,
        bulk,
        tmp_path,
        "--witness",
        format_verifier_key(peer_log.verifier),
        "--witness",
        other,
    )
    assert "Not cosigned by the witness peer.example/pregon/log." in out

    latest = selectors.checkpoint_latest()
    assert latest is not None
    cosigner = SignerKey(peer_log.name, ALG_COSIGNATURE_V1, peer_log.seed)
    line = split_note(add_signature(latest.note, cosigner, timestamp=1_800_000_000))[1][-1].line
    ReceivedCosignature.objects.create(
        witness=peer, size=latest.size, root_hash=bytes(latest.root_hash),
        signature_line=line, signed_at=latest.created_at,
    )  # fmt: skip
    out, _err = verify(
        live_server,
        bulk,
        tmp_path,
        "--witness",
        format_verifier_key(peer_log.verifier),
        "--witness",
        other,
    )
    assert "Cosigned by the witness peer.example/pregon/log.\n" in out
    assert "Not cosigned by the witness absent.example/pregon/log.\n" in out


# ---------------------------------------------------------------------------------------------
# the other kinds of leaves: bid commitments and opening records, checked by their content

COMMITMENT = "ab" * 32


def commitment_leaf(**changes: Any) -> dict[str, Any]:
    return {
        "action": "submit",
        "commitment": COMMITMENT,
        "tender": "ocds-pregon-0001",
        "time": "2026-12-06T18:00:00.123Z",
        "type": "bid-commitment",
        **changes,
    }


def opening_record(tender: str = "ocds-pregon-0001", **statistics: int) -> dict[str, Any]:
    return {
        "format": "pregon-opening/1",
        "tender": tender,
        "openedAt": "2026-12-20T15:02:11.480Z",
        "threshold": 1,
        "bids": [
            {
                "id": "b-1",
                "commitment": COMMITMENT,
                "receivedAt": "2026-12-06T18:00:00.123Z",
                "leafIndex": 5,
                "members": [1],
                "tenderer": {
                    "id": "CL-RUT-1",
                    "name": "Ana",
                    "scale": "small",
                    "cooperative": False,
                },
                "outcome": "opened",
                "lots": [{"lot": "1", "amount": "1000.00", "currency": "CLP"}],
                "documents": [],
            }
        ],
        "statistics": {
            "bids": 1,
            "smeBids": 1,
            "microBids": 0,
            "smallBids": 1,
            "mediumBids": 0,
            "cooperativeBids": 0,
            **statistics,
        },
    }


GOOD_OPENING = opening_record()
BAD_OPENING = opening_record("ocds-pregon-0002", smeBids=0)
BAD_COMMITMENT = commitment_leaf(action="bid", commitment="cd" * 32)
MISFILED_OPENING = opening_record("ocds-pregon-0003")
AN_AWARD = {"id": "award-1", "decision": "whatever an award leaf will hold"}


@pytest.fixture
def mixed(log_settings: Any) -> None:
    """Five releases (leaves 0-4), then a commitment (5), an opening record (6), an opening
    record whose statistics are wrong (7), a commitment of no known action (8), an opening
    record logged as a release (9) and an award (10)."""
    log_releases(0, 5)
    logged = [
        ("bid_commitment", commitment_leaf(), COMMITMENT),
        ("opening", GOOD_OPENING, "ocds-pregon-0001/opening"),
        ("opening", BAD_OPENING, "ocds-pregon-0002/opening"),
        ("bid_commitment", BAD_COMMITMENT, "cd" * 32),
        ("release", MISFILED_OPENING, "ocds-pregon-0003/opening"),
        ("award", AN_AWARD, "award-1"),
    ]
    services.leaves_append(
        entries=[LeafData(kind=k, data=canonical_bytes(d), ref=r) for k, d, r in logged]
    )
    services.checkpoint_issue()


@pytest.mark.parametrize("method", ["proofs", "leaves"])
@pytest.mark.usefixtures("mixed")
def test_documents_of_every_kind_are_found_and_have_their_kinds_shape(
    live_server: Any, tmp_path: Path, method: str
) -> None:
    lines = [published_line(release(n)) for n in range(5)]
    lines += [json.dumps(commitment_leaf()), json.dumps(GOOD_OPENING, indent=None)]
    source = write_bulk(tmp_path / "mixed.jsonl", lines, gzipped=False)

    out, err = verify(live_server, source, tmp_path, "--method", method)

    assert err == ""
    requests = 1 + (7 if method == "proofs" else 1)
    assert out.splitlines()[3:] == [
        f"Checked 7 documents (5 releases, 1 bid commitment, 1 opening record) from {source} "
        f"(7 lines; method: {method}; {requests} requests to the log).",
        *(
            [
                "Leaves by kind (the leaves of the documents found):",
                "  OCDS release (release): 5",
                "  Bid commitment (bid_commitment): 1",
                "  Opening record (opening): 1",
            ]
            if method == "proofs"
            else [
                "Leaves by kind (all 11 leaves of the tree):",
                "  OCDS release (release): 6",
                "  Bid commitment (bid_commitment): 2",
                "  Opening record (opening): 2",
                "  Award decision (award): 1",
            ]
        ),
        "OK: all 7 documents are in the log of 11 leaves, each with the shape of its leaf's kind.",
    ]


@pytest.mark.parametrize("method", ["proofs", "leaves"])
@pytest.mark.usefixtures("mixed")
def test_a_leaf_without_its_kinds_shape_is_named_with_its_index_and_fails_the_run(
    live_server: Any, tmp_path: Path, method: str
) -> None:
    lines = [
        published_line(release(0)),
        json.dumps(BAD_OPENING, indent=2).replace("\n", ""),
        json.dumps(BAD_COMMITMENT),
        json.dumps(MISFILED_OPENING),
        json.dumps(AN_AWARD),  # an award: a kind not checked by content
        json.dumps(opening_record("ocds-pregon-0009")),  # never logged
    ]
    source = write_bulk(tmp_path / "bad.jsonl", lines, gzipped=False)

    error = failure(live_server, source, tmp_path, "--method", method)

    assert (str(error), error.returncode) == ("4 of 6 documents failed verification.", 1)
    out, err = error.output
    never = leaf_hash(canonical_bytes(opening_record("ocds-pregon-0009"))).hex()
    assert err.splitlines() == [
        "FAILED line 2, opening record ocds-pregon-0002/opening: leaf 7 is logged as kind "
        "opening, but this document does not have its shape: statistics.smeBids is 0, but the "
        "bids give 1",
        "FAILED line 3, bid commitment " + "cd" * 32 + ": leaf 8 is logged as kind "
        "bid_commitment, but this document does not have its shape: action is not submit, "
        "replace or withdraw",
        "FAILED line 4, opening record ocds-pregon-0003/opening: leaf 9 is logged as kind "
        "release, but this document is of kind opening",
        "FAILED line 6, opening record ocds-pregon-0009/opening: not in the log (no leaf has "
        f"its hash {never}): it was changed after it was published, or never logged",
    ]
    assert "Checked 6 documents (2 releases, 1 bid commitment, 3 opening records) from " in out
    if method == "proofs":
        assert out.splitlines()[-5:] == [
            "Leaves by kind (the leaves of the documents found):",
            "  OCDS release (release): 2",
            "  Bid commitment (bid_commitment): 1",
            "  Opening record (opening): 1",
            "  Award decision (award): 1",
        ]
    else:
        assert "  Award decision (award): 1" in out.splitlines()
