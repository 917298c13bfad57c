"""Merging: the OCDS merge routine, checked against the reference implementation (ocdsmerge)."""

from __future__ import annotations

import copy
import warnings
from typing import Any

import ocdsmerge
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ocdsmerge.exceptions import InconsistentTypeError
from ocdsmerge.rules import get_merge_rules

from pregon.ocds import (
    MergeError,
    compile_release,
    load_release_schema,
    merge_rules,
    rules_for,
    sort_releases,
    update_compiled_release,
    update_versioned_release,
    version_releases,
)

SCHEMA = load_release_schema()
MERGER = ocdsmerge.Merger(schema=copy.deepcopy(SCHEMA))
RULES = rules_for()


def oracle(method: str, releases: list[dict[str, Any]]) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # ocdsmerge warns about duplicate ids, which the data may hold
        return getattr(MERGER, method)(copy.deepcopy(releases))


# --- generated release sets ---------------------------------------------------------------------

text = st.sampled_from(["a", "b", "c", "1"])
literal = st.one_of(
    text, st.integers(0, 3), st.none(), st.booleans(), st.floats(0, 2, allow_nan=False)
)
ident = st.sampled_from(["1", "2", "3", 7])


def obj(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, st.none())


def array(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(strategy, max_size=3)


value = obj(amount=literal, currency=literal)
classification = obj(id=ident, scheme=literal, description=literal)
item = obj(
    id=ident,
    description=literal,
    quantity=literal,
    classification=maybe(classification),
    additionalClassifications=array(classification),
    unit=obj(name=literal, value=maybe(value)),
)
reference = obj(id=ident, name=literal)
party = obj(
    id=ident,
    name=literal,
    roles=maybe(array(text)),
    address=obj(locality=literal, region=literal),
    details=obj(scale=literal),
    additionalIdentifiers=array(obj(id=ident, scheme=literal)),
)
# Fields the schema does not know: merged by what the data holds (objects by field, arrays of
# objects by id). Each path keeps one JSON type across releases (null aside), as in valid data.
unknown = obj(
    note=literal,
    codes=maybe(array(literal)),
    nested=maybe(obj(deep=maybe(obj(x=literal)), y=literal)),
    things=array(obj(id=ident, x=literal, inner=array(obj(z=literal)))),
    anonymous=array(obj(x=literal, y=literal)),
)
tender = obj(
    id=literal,
    title=literal,
    status=literal,
    value=maybe(value),
    items=array(item),
    submissionMethod=maybe(array(text)),
    tenderers=array(reference),
    lots=array(obj(id=ident, title=literal, value=value)),
    documents=array(obj(id=ident, url=literal, title=literal)),
    extra=unknown,
)
award = obj(id=ident, title=literal, value=value, suppliers=array(reference), items=array(item))
bids = obj(
    details=array(obj(id=ident, value=value, tenderers=array(reference))),
    statistics=array(obj(id=ident, value=literal)),
)
ABSENT = object()  # drawn for a field the release leaves out
# Mostly the process's ocid; sometimes null or missing, which the merge routine takes as it comes
# (a compiled release then has no ocid and an ``id`` starting "None-"), as the reference does.
ocid = st.sampled_from(["ocds-213czf-1", "ocds-213czf-1", "ocds-213czf-1", None, ABSENT])


def without_absent(release: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in release.items() if value is not ABSENT}


release = st.fixed_dictionaries(
    {
        "ocid": ocid,
        "id": st.sampled_from(["r1", "r2", "r3"]),
        "date": st.sampled_from(
            ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"]
        ),
        "tag": st.lists(st.sampled_from(["tender", "award", "contract"]), min_size=1, max_size=2),
    },
    optional={
        "initiationType": literal,
        "buyer": maybe(reference),
        "parties": array(party),
        "tender": tender,
        "awards": array(award),
        "bids": bids,
        "extra": unknown,
        "tags": maybe(array(literal)),
    },
).map(without_absent)
release_sets = st.lists(release, min_size=1, max_size=4)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(release_sets)
def test_compiled_release_equals_ocdsmerge(releases: list[dict[str, Any]]) -> None:
    # Given any set of releases; when compiled; then the result is the reference implementation's
    assert compile_release(releases) == oracle("create_compiled_release", releases)


@SETTINGS
@given(release_sets)
def test_versioned_release_equals_ocdsmerge(releases: list[dict[str, Any]]) -> None:
    try:
        expected = oracle("create_versioned_release", releases)
    except InconsistentTypeError:
        return  # the reference gives up (null, then an object, for one field); we need not match
    assert version_releases(releases) == expected


@SETTINGS
@given(release_sets)
def test_incremental_update_equals_full_merge(releases: list[dict[str, Any]]) -> None:
    ordered = sort_releases(releases)
    compiled = compile_release(ordered[:1])
    versioned = version_releases(ordered[:1])
    for index, new in enumerate(ordered[1:], 1):
        compiled = update_compiled_release(compiled, new)
        versioned = update_versioned_release(versioned, new, latest_date=ordered[index - 1]["date"])
    assert compiled == compile_release(releases)
    assert versioned == version_releases(releases)


@SETTINGS
@given(release_sets)
def test_merging_leaves_the_input_unchanged(releases: list[dict[str, Any]]) -> None:
    before = copy.deepcopy(releases)
    compile_release(releases)
    version_releases(releases)
    assert releases == before


def scribble(value: Any) -> None:
    """Change every array and object inside ``value``, in place (each one once)."""
    stack, seen = [value], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, dict):
            stack.extend(current.values())
            current["scribbled"] = True
        elif isinstance(current, list):
            stack.extend(current)
            current.append("scribbled")


@SETTINGS
@given(release_sets, st.booleans())
def test_incremental_updates_share_no_array_or_object_with_their_inputs(
    releases: list[dict[str, Any]], change_the_result: bool
) -> None:
    """Changing what an update returns leaves its inputs alone, and the other way round."""
    ordered = sort_releases(releases)
    new = ordered[-1]
    for update, earlier in [
        (update_compiled_release, compile_release(ordered[:-1])),
        (update_versioned_release, version_releases(ordered[:-1])),
    ]:
        merged = copy.deepcopy(earlier)  # shares nothing with ``new`` to begin with
        result = update(merged, new)
        before = copy.deepcopy([result, merged, new])
        scribble([result] if change_the_result else [merged, new])
        if change_the_result:
            assert [merged, new] == before[1:]
        else:
            assert result == before[0]


# --- the rules, with exact expectations ---------------------------------------------------------


def test_merge_rules_equal_the_reference_ones() -> None:
    assert merge_rules(SCHEMA) == get_merge_rules(copy.deepcopy(SCHEMA))
    assert merge_rules(SCHEMA)[("tag",)] == "omitWhenMerged"
    assert merge_rules(SCHEMA)[("tender", "submissionMethod")] == "wholeListMerge"
    assert merge_rules(SCHEMA)[("parties", "roles")] == "wholeListMerge"


def test_compiled_release_worked_example() -> None:
    releases = [
        {
            "ocid": "ocds-1",
            "id": "b",
            "date": "2024-02-01T00:00:00Z",
            "tag": ["tenderAmendment"],
            "tender": {"id": "t", "value": {"amount": 2000}, "title": None},
            "awards": [{"id": "a2", "title": "B"}],
        },
        {
            "ocid": "ocds-1",
            "id": "a",
            "date": "2024-01-01T00:00:00Z",
            "tag": ["tender"],
            "tender": {"id": "t", "title": "Pens", "value": {"amount": 1000, "currency": "USD"}},
            "awards": [{"id": "a1", "title": "A"}],
            "parties": [{"id": "p", "roles": ["buyer", "payer"]}],
        },
    ]
    assert compile_release(releases) == {
        "tag": ["compiled"],
        "id": "ocds-1-2024-02-01T00:00:00Z",
        "date": "2024-02-01T00:00:00Z",
        "ocid": "ocds-1",
        "tender": {"id": "t", "value": {"amount": 2000, "currency": "USD"}},
        "awards": [{"id": "a1", "title": "A"}, {"id": "a2", "title": "B"}],
        "parties": [{"id": "p", "roles": ["buyer", "payer"]}],
    }
    versioned = version_releases(releases)
    assert versioned["ocid"] == "ocds-1"
    assert versioned["tender"]["value"]["amount"] == [
        {
            "releaseID": "a",
            "releaseDate": "2024-01-01T00:00:00Z",
            "releaseTag": ["tender"],
            "value": 1000,
        },
        {
            "releaseID": "b",
            "releaseDate": "2024-02-01T00:00:00Z",
            "releaseTag": ["tenderAmendment"],
            "value": 2000,
        },
    ]
    assert versioned["tender"]["title"][-1]["value"] is None
    assert versioned["awards"][0]["id"] == "a1"
    assert versioned["parties"][0]["roles"] == [
        {
            "releaseID": "a",
            "releaseDate": "2024-01-01T00:00:00Z",
            "releaseTag": ["tender"],
            "value": ["buyer", "payer"],
        }
    ]


def test_whole_list_merge_replaces_and_identifier_merge_combines() -> None:
    first = {
        "ocid": "o",
        "id": "1",
        "date": "2024-01-01T00:00:00Z",
        "tender": {"submissionMethod": ["a", "b"], "items": [{"id": "1", "quantity": 1}]},
    }
    second = {
        "ocid": "o",
        "id": "2",
        "date": "2024-01-02T00:00:00Z",
        "tender": {"submissionMethod": ["c"], "items": [{"id": "2"}, {"id": "1", "quantity": 5}]},
    }
    compiled = compile_release([first, second])
    assert compiled["tender"] == {
        "submissionMethod": ["c"],
        "items": [{"id": "1", "quantity": 5}, {"id": "2"}],
    }


def test_another_schema_changes_the_rules() -> None:
    schema = copy.deepcopy(SCHEMA)
    schema["definitions"]["Tender"]["properties"]["items"]["wholeListMerge"] = True
    first = {
        "ocid": "o",
        "id": "1",
        "date": "2024-01-01T00:00:00Z",
        "tender": {"items": [{"id": "1"}]},
    }
    second = {
        "ocid": "o",
        "id": "2",
        "date": "2024-01-02T00:00:00Z",
        "tender": {"items": [{"id": "2"}]},
    }
    assert compile_release([first, second], schema=schema)["tender"]["items"] == [{"id": "2"}]
    assert compile_release([first, second])["tender"]["items"] == [{"id": "1"}, {"id": "2"}]


def test_an_out_of_order_release_is_refused() -> None:
    compiled = compile_release([{"ocid": "o", "id": "2", "date": "2024-02-01T00:00:00Z"}])
    with pytest.raises(MergeError, match="older than the merged one"):
        update_compiled_release(compiled, {"ocid": "o", "id": "1", "date": "2024-01-01T00:00:00Z"})


def test_releases_without_dates_cannot_be_ordered() -> None:
    with pytest.raises(MergeError, match="no 'date'"):
        compile_release(
            [{"ocid": "o", "id": "1"}, {"ocid": "o", "id": "2", "date": "2024-01-01T00:00:00Z"}]
        )


def test_rules_follow_the_schema_given_as_a_path(tmp_path: Any) -> None:
    schema = copy.deepcopy(SCHEMA)
    del schema["properties"]["tag"]["omitWhenMerged"]
    path = tmp_path / "schema.json"
    path.write_bytes(orjson.dumps(schema))
    assert merge_rules(schema)[("tag",)] == "wholeListMerge"  # an array of strings
    tree = rules_for(path)
    assert "tag" not in tree[1]  # no longer omitted
    assert "id" in tree[1]
