"""Validation: every schema error, with its path, keyword and a readable message."""

from __future__ import annotations

import io
from typing import Any

import orjson

from pregon.ocds import Validator, validate_stream
from tests.ocds.builders import make_release, package

VALIDATOR = Validator()


def issues_of(release: dict[str, Any]) -> set[tuple[str, str]]:
    return {(issue.path, issue.keyword) for issue in VALIDATOR.validate_release(release)}


def test_a_valid_release_of_the_patched_schema_has_no_issue() -> None:
    release = make_release(0, bids={"statistics": [{"id": "1", "measure": "smeBids", "value": 2}]})
    release["tender"]["submissionTerms"] = {"electronicSubmissionPolicy": "required"}
    assert VALIDATOR.validate_release(release) == []


def test_every_error_is_reported_with_its_path() -> None:
    release = make_release(0)
    del release["initiationType"]
    release["date"] = "yesterday"
    release["tag"] = []
    release["tender"]["value"]["amount"] = "12"
    release["tender"]["status"] = "bogus"
    release["tender"]["items"].append({"id": "1"})
    release["tender"]["documents"] = [{"id": "d", "url": "not a url"}]
    release["parties"][1]["details"]["scale"] = "huge"
    release["awards"] = [{"title": "no id"}]
    assert issues_of(release) == {
        ("", "required"),
        ("date", "format"),
        ("tag", "minItems"),
        ("tender/value/amount", "type"),
        ("tender/status", "enum"),
        ("tender/items", "uniqueItems"),
        ("tender/documents/0/url", "format"),
        ("parties/1/details/scale", "enum"),
        ("awards/0", "required"),
    }


def test_messages_say_what_is_wrong() -> None:
    release = make_release(0)
    del release["tender"]["id"]
    release["tender"]["value"]["amount"] = "12"
    release["parties"][1]["details"]["scale"] = "huge"
    messages = {issue.path: issue for issue in VALIDATOR.validate_release(release, "releases/4")}
    assert messages["releases/4/tender"].message == "'id' is missing but required within 'tender'"
    assert (
        messages["releases/4/tender/value/amount"].message
        == "'amount' must be a number, not \"12\""
    )
    scale = messages["releases/4/parties/1/details/scale"]
    assert scale.codelist == "partyScale.csv"
    assert (
        scale.message == "\"huge\" is not a code of the closed codelist partyScale.csv for 'scale'"
    )


def test_uniqueness_follows_the_data_review_tool() -> None:
    release = make_release(0)
    release["parties"][1]["id"] = "GOV-1"  # same id, different objects
    release["tender"]["tenderers"] = [{"name": "A"}, {"name": "A"}]  # no ids: values compared
    assert {(issue.path, issue.message) for issue in VALIDATOR.validate_release(release)} == {
        ("parties", "Non-unique id values: GOV-1"),
        ("tender/tenderers", "The array holds the same value more than once"),
    }


def test_a_package_is_validated_item_by_item_and_as_an_envelope() -> None:
    first = make_release(0)
    duplicate = make_release(0)
    data = package([first, duplicate])
    del data["publisher"]
    data["uri"] = 5
    found = {(i.path, i.keyword, i.item) for i in validate_stream([io.BytesIO(orjson.dumps(data))])}
    assert found == {
        ("releases", "uniqueItems", None),
        ("", "required", None),
        ("uri", "type", None),
    }


def test_records_are_validated_with_their_compiled_release() -> None:
    release = make_release(0)
    compiled = make_release(0, id="x-compiled", tag=["compiled"])
    compiled["tender"]["items"].append({"id": "1"})
    record = {"ocid": release["ocid"], "releases": [release], "compiledRelease": compiled}
    data = package(
        [record, {"ocid": release["ocid"], "releases": [{"url": "x", "date": "bad"}]}], "records"
    )
    found = {(i.path, i.keyword) for i in validate_stream([io.BytesIO(orjson.dumps(data))])}
    assert ("records/0/compiledRelease/tender/items", "uniqueItems") in found
    assert ("records", "uniqueItems") in found
    assert any(path.startswith("records/1/releases") for path, _ in found)


def test_json_lines_items_are_numbered_from_zero(tmp_path: Any) -> None:
    path = tmp_path / "r.jsonl"
    bad = make_release(1, date="2024-13-01T00:00:00Z")
    path.write_bytes(orjson.dumps(make_release(0)) + b"\n" + orjson.dumps(bad) + b"\n")
    (issue,) = list(validate_stream([path]))
    assert (issue.path, issue.keyword, issue.item) == ("1/date", "format", 1)
