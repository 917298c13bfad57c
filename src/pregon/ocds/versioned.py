"""The versioned release schema of a release schema: what :func:`version_releases` produces.

OCDS publishes a versioned release validation schema for the core schema only; records of a patched
schema need one built from the patched schema. It follows the merge rules: fields marked
``omitWhenMerged`` are dropped; objects keep their fields; arrays merged by identifier keep their
objects, whose ``id`` stays plain; every other field (literals, whole-list arrays) becomes an array
of ``{releaseID, releaseDate, releaseTag, value}`` whose ``value`` is the field as the release
schema has it. ``ocid`` stays plain. The release schema's definitions are kept for those values.
"""

from __future__ import annotations

from typing import Any

from pregon.ocds.schema import VERSIONED_SCHEMA_URL, deref, types_of

_DEPTH = 16


def _history(value_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "releaseDate": {"type": "string", "format": "date-time"},
                "releaseID": {"type": "string"},
                "value": value_schema,
                "releaseTag": {"type": "array", "items": {"type": "string"}},
            },
        },
    }


def _field(raw: dict[str, Any], root: dict[str, Any], depth: int) -> dict[str, Any] | None:
    """The versioned form of one field, or None if merging drops it."""
    value = deref(raw, root)
    types = types_of(value)
    if value.get("omitWhenMerged") or value.get("mergeStrategy") == "ocdsOmit":
        return None
    if depth > _DEPTH:
        return {}
    whole = "array" in types and (
        value.get("wholeListMerge") or value.get("mergeStrategy") == "ocdsVersion"
    )
    if not whole and "object" in types and isinstance(value.get("properties"), dict):
        return {"type": "object", "properties": _properties(value["properties"], root, depth + 1)}
    if not whole and "array" in types and isinstance(value.get("items"), dict):
        items = deref(value["items"], root)
        item_types = types_of(items)
        if all(kind == "object" for kind in item_types) and "object" in item_types:
            properties = items.get("properties")
            if isinstance(properties, dict) and "id" in properties:
                versioned = _properties(properties, root, depth + 1, plain_id=True)
                return {"type": "array", "items": {"type": "object", "properties": versioned}}
            if not isinstance(properties, dict):
                return {"type": "array"}
    return _history(raw)


def _properties(
    properties: dict[str, Any], root: dict[str, Any], depth: int, *, plain_id: bool = False
) -> dict[str, Any]:
    result = {}
    for key, raw in properties.items():
        if not isinstance(raw, dict):
            continue
        if plain_id and key == "id":
            result[key] = raw
            continue
        versioned = _field(raw, root, depth)
        if versioned is not None:
            result[key] = versioned
    return result


def versioned_release_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Return the versioned release schema of a release schema (see the module's docstring)."""
    properties = schema.get("properties", {})
    versioned = _properties(
        {key: value for key, value in properties.items() if key != "ocid"}, schema, 0
    )
    omitted = {
        key for key, value in properties.items() if isinstance(value, dict) and key not in versioned
    }
    return {
        "id": VERSIONED_SCHEMA_URL,
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "Schema for a versioned release",
        "type": "object",
        "properties": {"ocid": properties.get("ocid", {"type": "string"}), **versioned},
        "required": [key for key in schema.get("required", []) if key not in omitted],
        "definitions": schema.get("definitions", {}),
    }
