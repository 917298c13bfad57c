"""The OCDS schemas the toolkit works with, and the JSON Merge Patch that extends them.

The runtime schema is the committed data file ``data/release-schema.json``: OCDS 1.1.5's release
schema with the bids, lots, submissionTerms and partyDetails_scale extensions applied as JSON Merge
Patch (RFC 7386). ``python -m pregon.ocds.build_schema`` rebuilds it from the reference files.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from pregon.ocds.errors import SchemaError

OCDS_VERSION = "1.1"
STANDARD_TAG = "1__1__5"
RELEASE_SCHEMA_URL = (
    f"https://standard.open-contracting.org/schema/{STANDARD_TAG}/release-schema.json"
)
VERSIONED_SCHEMA_URL = f"https://standard.open-contracting.org/schema/{STANDARD_TAG}/versioned-release-validation-schema.json"

#: The extensions applied to the core schema, in the order they are applied: (name, extension.json URL).
EXTENSIONS: tuple[tuple[str, str], ...] = (
    (
        "ocds_bid_extension",
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    ),
    (
        "ocds_lots_extension",
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    ),
    (
        "ocds_submissionTerms_extension",
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_submissionTerms_extension/master/extension.json",
    ),
    (
        "ocds_partyDetails_scale_extension",
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json",
    ),
)

#: The extension URLs to declare in the ``extensions`` field of packages.
EXTENSION_URLS: tuple[str, ...] = tuple(url for _, url in EXTENSIONS)

DATA_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
)


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply ``patch`` to ``target`` as a JSON Merge Patch (RFC 7386) and return the result.

    Objects merge recursively, ``null`` removes a member, anything else replaces. ``target`` is
    changed in place when both are objects; the patch is never changed.
    """
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(target, dict):
        target = {}
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = merge_patch(target.get(key), value)
    return target


def build_patched_schema(source: Path) -> dict[str, Any]:
    """Build the patched release schema from a directory laid out like ``shared/ocds``.

    Reads ``schema/release-schema.json`` and applies each extension's release schema patch
    (``extensions/<name>.release-schema.json``) in the order of :data:`EXTENSIONS`.
    """
    schema = orjson.loads((source / "schema" / "release-schema.json").read_bytes())
    for name, _ in EXTENSIONS:
        patch = orjson.loads((source / "extensions" / f"{name}.release-schema.json").read_bytes())
        schema = merge_patch(schema, patch)
    return schema


def _data_bytes(name: str) -> bytes:
    return resources.files("pregon.ocds").joinpath("data", name).read_bytes()


@functools.cache
def _cached_data(name: str) -> bytes:
    return _data_bytes(name)


def load_data_schema(name: str) -> dict[str, Any]:
    """Return a fresh copy of one of the vendored schemas (see :data:`DATA_FILES`)."""
    if name not in DATA_FILES:
        raise SchemaError(f"unknown schema file {name!r}; expected one of {', '.join(DATA_FILES)}")
    return orjson.loads(_cached_data(name))


def load_release_schema(path: str | Path | None = None) -> dict[str, Any]:
    """Return a release schema: the vendored patched one, or the one at ``path``.

    Raises :class:`SchemaError` with a readable message if the file is missing or not a JSON object.
    """
    if path is None:
        return load_data_schema("release-schema.json")
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise SchemaError(f"cannot read the schema file {path}: {exc.strerror or exc}") from exc
    except orjson.JSONDecodeError as exc:
        raise SchemaError(f"the schema file {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
        raise SchemaError(
            f"the schema file {path} is not a release schema (no top-level 'properties' object)"
        )
    return data


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Return the value at a JSON Pointer (RFC 6901) such as ``/definitions/Tender``."""
    node = document
    if pointer in ("", "/"):
        return node
    for raw in pointer.lstrip("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(
    subschema: dict[str, Any], root: dict[str, Any], seen: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Follow local ``$ref`` chains (``#/definitions/...``) from ``subschema`` to the schema they name.

    Like ``jsonref`` without ``merge_props``, sibling keywords of ``$ref`` are ignored. A reference
    cycle or a non-local reference stops the walk and returns an empty schema.
    """
    while "$ref" in subschema:
        ref = subschema["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#") or ref in seen:
            return {}
        seen = seen | {ref}
        try:
            subschema = resolve_pointer(root, ref[1:])
        except (KeyError, IndexError, ValueError, TypeError):
            return {}
        if not isinstance(subschema, dict):
            return {}
    return subschema


def types_of(subschema: dict[str, Any]) -> list[str]:
    """Return a schema's ``type`` as a list (empty if it sets none)."""
    value = subschema.get("type")
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)]


def walk_fields(
    schema: dict[str, Any],
    root: dict[str, Any] | None = None,
    path: tuple[str, ...] = (),
    depth: int = 0,
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Yield ``(path, dereferenced subschema)`` for every field under ``properties``, depth first.

    Array items are walked at the array's path (array positions are not part of the path). Stops at
    a depth of 32 to survive recursive schemas.
    """
    root = schema if root is None else root
    if depth > 32:
        return
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for key, raw in properties.items():
        if not isinstance(raw, dict):
            continue
        field = deref(raw, root)
        field_path = (*path, key)
        yield field_path, field
        field_types = types_of(field)
        if "object" in field_types:
            yield from walk_fields(field, root, field_path, depth + 1)
        if "array" in field_types and isinstance(field.get("items"), dict):
            items = deref(field["items"], root)
            if "object" in types_of(items) or "properties" in items:
                yield from walk_fields(items, root, field_path, depth + 1)
