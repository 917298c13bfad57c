"""The monitor behind `pregon verify`, without a server: reading releases, the state file, choices."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pregon.tlog import monitor
from pregon.tlog.checkpoint import Checkpoint
from pregon.tlog.client import LogClientError, log_base_url
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash

RELEASE = {"ocid": "ocds-x-1", "id": "ocds-x-1-tender-1", "tender": {"value": {"amount": 12.5}}}
OTHER = {"ocid": "ocds-x-2", "id": "ocds-x-2-tender-1", "tag": ["tender"]}


def read(text: str) -> list[monitor.PublishedRelease | monitor.Finding]:
    return list(monitor.read_releases(io.BytesIO(text.encode())))


def published(value: dict[str, object], line: int) -> monitor.PublishedRelease:
    return monitor.PublishedRelease(line, str(value["id"]), leaf_hash(canonical_bytes(value)))


def test_json_lines_of_releases_and_of_packages() -> None:
    text = (
        json.dumps(RELEASE)
        + "\n\n"
        + json.dumps({"uri": "u", "releases": [OTHER, RELEASE]}, indent=None)
        + "\n"
    )
    assert read(text) == [published(RELEASE, 1), published(OTHER, 3), published(RELEASE, 3)]


def test_a_pretty_printed_package_is_one_document() -> None:
    text = json.dumps({"uri": "u", "releases": [OTHER]}, indent=2)
    assert read(text) == [published(OTHER, 1)]
    assert read(json.dumps(RELEASE, indent=4)) == [published(RELEASE, 1)]


def test_numbers_are_hashed_as_written_exactly() -> None:
    [item] = read('{"id": "a", "amount": 12.50, "n": 1e2}')
    assert item == monitor.PublishedRelease(1, "a", leaf_hash(b'{"amount":12.5,"id":"a","n":100}'))
    [refused] = read('{"id": "a", "amount": 0.1000000000000000000001}')
    assert isinstance(refused, monitor.Finding)
    assert (refused.code, refused.line) == (monitor.UNREADABLE, 1)


def test_a_damaged_first_line_does_not_hide_the_others() -> None:
    text = '{"id": "broken", \n' + json.dumps(OTHER) + "\n" + '{"id": "dup", "id": "dup"}\n'
    items = read(text)
    assert [type(i).__name__ for i in items] == ["Finding", "PublishedRelease", "Finding"]
    assert items[1] == published(OTHER, 2)
    assert [(i.line, i.code) for i in items if isinstance(i, monitor.Finding)] == [
        (1, monitor.UNREADABLE),
        (3, monitor.UNREADABLE),
    ]
    assert "duplicate member name 'id'" in items[2].detail  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("releases", "size", "expected"),
    [
        (1, 10, "proofs"),
        (2, 1000, "leaves"),
        (1, 1000, "proofs"),
        (3, 2500, "proofs"),
        (4, 2500, "leaves"),
        (5, 0, "leaves"),
    ],
)
def test_auto_takes_the_method_with_fewer_requests(releases: int, size: int, expected: str) -> None:
    assert monitor.choose_method("auto", releases, size) == expected
    assert monitor.choose_method("proofs", releases, size) == "proofs"


def test_the_state_file_keeps_one_checkpoint_per_log(tmp_path: Path) -> None:
    path = tmp_path / "config" / "pregon" / "state.json"
    assert monitor.load_state(path, "a.example/log") is None
    monitor.save_state(
        path, "a.example/log", Checkpoint("a.example/log", 3, b"\x01" * 32), "note a"
    )
    monitor.save_state(
        path, "b.example/log", Checkpoint("b.example/log", 9, b"\x02" * 32), "note b"
    )
    saved = monitor.load_state(path, "a.example/log")
    assert saved is not None
    assert (saved.size, saved.root_hash) == (3, b"\x01" * 32)
    assert json.loads(path.read_text())["logs"]["b.example/log"]["note"] == "note b"
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temporary left
    path.write_text("{not json")
    with pytest.raises(monitor.MonitorError, match="cannot read the state file"):
        monitor.load_state(path, "a.example/log")


def test_the_default_state_file_follows_xdg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert monitor.default_state_path() == tmp_path / "pregon" / "verify-state.json"


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://example.org", "https://example.org/log"),
        ("https://example.org/", "https://example.org/log"),
        ("https://example.org/log/", "https://example.org/log"),
        ("http://127.0.0.1:8000/pregon/log", "http://127.0.0.1:8000/pregon/log"),
    ],
)
def test_the_log_address_is_the_instance_or_its_log(url: str, base: str) -> None:
    assert log_base_url(url) == base


def test_only_http_addresses_are_logs() -> None:
    with pytest.raises(LogClientError, match="is not an http"):
        log_base_url("file:///etc/passwd")


def test_opening_records_and_bid_commitments_are_read_as_their_kind() -> None:
    record = {"format": "pregon-opening/1", "tender": "ocds-x-1", "bids": []}
    leaf = {"type": "bid-commitment", "commitment": "ab" * 32, "action": "submit"}
    opening, commitment, release = read(
        json.dumps(record) + "\n" + json.dumps(leaf) + "\n" + json.dumps(RELEASE) + "\n"
    )
    assert isinstance(opening, monitor.PublishedRelease)
    assert (opening.kind, opening.release_id, opening.leaf_hash) == (
        "opening",
        "ocds-x-1/opening",
        leaf_hash(canonical_bytes(record)),
    )
    # Read all the same, with what is wrong with it: it is reported once its leaf is found.
    assert opening.problems == (
        "openedAt is missing",
        "statistics is missing",
        "threshold is missing",
    )
    assert isinstance(commitment, monitor.PublishedRelease)
    assert (commitment.kind, commitment.release_id) == ("bid_commitment", "ab" * 32)
    assert commitment.problems == ("tender is missing", "time is missing")
    assert release == published(RELEASE, 3)


def test_a_found_document_is_checked_against_its_leafs_kind() -> None:
    [opening] = read(json.dumps({"format": "pregon-opening/1", "tender": "t"}))
    assert isinstance(opening, monitor.PublishedRelease)
    found = monitor.content_finding(opening, 7, "opening")
    assert found is not None
    assert (found.code, found.leaf_index, found.kind) == (monitor.BAD_CONTENT, 7, "opening")
    assert found.detail.startswith("bids is missing; openedAt is missing")
    wrong = monitor.content_finding(published(RELEASE, 1), 3, "opening")
    assert wrong == monitor.Finding(
        monitor.WRONG_KIND, 1, RELEASE["id"], "opening", kind="release", leaf_index=3
    )
    # A kind that is not checked by content, or a log that does not say (the document's own
    # kind is then checked).
    assert monitor.content_finding(published(RELEASE, 1), 3, "award") is None
    assert monitor.content_finding(published(RELEASE, 1), 3, "") is None
    assert monitor.content_finding(opening, 7, "") is not None
