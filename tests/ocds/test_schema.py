"""The vendored schema: reproducible from the reference files, patched with the four extensions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pregon.ocds import build_schema, load_release_schema, merge_patch, versioned_release_schema
from pregon.ocds.errors import SchemaError

SHARED = Path(__file__).resolve().parents[3] / "shared" / "ocds"


def test_rfc_7386_examples() -> None:
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": "b", "b": "c"}, {"a": None}) == {"b": "c"}
    assert merge_patch({"a": ["b"]}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "c"}, {"a": ["b"]}) == {"a": ["b"]}
    assert merge_patch({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}) == {"a": {"b": "d"}}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch(["a", "b"], ["c", "d"]) == ["c", "d"]
    assert merge_patch({"a": "b"}, ["c"]) == ["c"]
    assert merge_patch({"a": "foo"}, None) is None
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch([1, 2], {"a": "b", "c": None}) == {"a": "b"}
    assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}


def test_the_patched_schema_has_the_extensions_fields() -> None:
    schema = load_release_schema()
    definitions = schema["definitions"]
    assert "bids" in schema["properties"]
    assert set(definitions["Bid"]["properties"]) >= {"id", "status", "tenderers", "value"}
    assert "lots" in definitions["Tender"]["properties"]
    assert "submissionTerms" in definitions["Lot"]["properties"]
    scale = definitions["Organization"]["properties"]["details"]["properties"]["scale"]
    assert scale["enum"] == ["micro", "sme", "small", "medium", "large", "selfEmployed", None]


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="the reference files (shared/ocds) are not beside the repository"
)
def test_the_committed_files_are_what_the_build_script_makes() -> None:
    assert build_schema.main(["--source", str(SHARED), "--check"]) == 0


def test_a_schema_that_is_not_a_release_schema_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"type": "object"}')
    with pytest.raises(SchemaError, match="not a release schema"):
        load_release_schema(tmp_path / "bad.json")
    with pytest.raises(SchemaError, match="cannot read"):
        load_release_schema(tmp_path / "missing.json")


def history(value: dict[str, Any]) -> dict[str, Any]:
    """The versioned form of a field: its list of versions, each holding the release's ``value``."""
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "releaseDate": {"type": "string", "format": "date-time"},
                "releaseID": {"type": "string"},
                "value": value,
                "releaseTag": {"type": "array", "items": {"type": "string"}},
            },
        },
    }


def test_the_versioned_schema_follows_the_merge_rules() -> None:
    schema = load_release_schema()
    organization = schema["definitions"]["Organization"]["properties"]
    versioned = versioned_release_schema(schema)
    properties = versioned["properties"]
    # id, date and tag are omitted when merged; ocid stays plain
    assert sorted(properties) == sorted(set(schema["properties"]) - {"id", "date", "tag"})
    assert properties["ocid"] == schema["properties"]["ocid"]
    assert properties["initiationType"] == history(schema["properties"]["initiationType"])
    # parties are merged by id: each party an object whose id stays plain, its fields versioned
    party = properties["parties"]["items"]["properties"]
    assert properties["parties"]["type"] == "array"
    assert party["id"] == organization["id"]
    assert party["id"]["type"] == "string"
    assert party["name"] == history(organization["name"])
    assert party["details"] == {
        "type": "object",
        "properties": {"scale": history(organization["details"]["properties"]["scale"])},
    }
    assert party["roles"] == history(organization["roles"])  # a whole list: one value per version
