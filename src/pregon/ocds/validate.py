"""Validate releases, records and packages against the (patched) OCDS schema.

Each release or record is validated on its own against the release schema by a compiled, Rust-backed
JSON Schema validator (``jsonschema-rs``, Draft 4 with formats checked); the package envelope is
validated separately against the package schema, so memory stays flat whatever the input size.

The rules match those of the OCDS Data Review Tool (``libcoveocds``): ``uniqueItems`` means unique
``id`` values in arrays of objects (and unique ``ocid``/``id`` pairs across a release package, unique
``ocid`` across a record package); other arrays must hold distinct values. Each :class:`Issue`
carries the JSON path of the value, the JSON Schema keyword that failed and a readable message;
enum errors on a closed codelist also name the codelist.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import orjson

from pregon.ocds.readers import Reader, Source
from pregon.ocds.schema import (
    RELEASE_SCHEMA_URL,
    VERSIONED_SCHEMA_URL,
    deref,
    load_data_schema,
    load_release_schema,
    resolve_pointer,
    types_of,
)
from pregon.ocds.versioned import versioned_release_schema

_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "object": "a JSON object",
    "array": "a JSON array",
    "null": "null",
}
_FORMAT_HINTS = {
    "date-time": "use an ISO 8601 date and time with a time zone, like 2024-05-01T09:30:00Z",
    "uri": "use an absolute URI, like https://example.org/document.pdf",
}


@dataclass(frozen=True)
class Issue:
    """One schema error: where (``path``), which keyword failed, and a readable ``message``.

    ``value`` is the offending value when it is a literal; ``codelist`` names the closed codelist
    for an ``enum`` error on a codelist field; ``item`` is the position of the release or record in
    the input (``None`` for package metadata and for errors across items).
    """

    path: str
    keyword: str
    message: str
    value: Any = None
    codelist: str | None = None
    item: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the issue as a JSON-serialisable dict."""
        data: dict[str, Any] = {"path": self.path, "keyword": self.keyword, "message": self.message}
        if self.value is not None:
            data["value"] = self.value
        if self.codelist is not None:
            data["codelist"] = self.codelist
        if self.item is not None:
            data["item"] = self.item
        return data


def _join(prefix: str, parts: Iterable[str | int]) -> str:
    tail = "/".join(str(part) for part in parts)
    if not prefix:
        return tail
    return f"{prefix}/{tail}" if tail else prefix


def _strip_unique(schema: Any) -> Any:
    """Return a copy of ``schema`` without ``uniqueItems`` (checked by :func:`_unique_issues`)."""
    if isinstance(schema, dict):
        return {key: _strip_unique(value) for key, value in schema.items() if key != "uniqueItems"}
    if isinstance(schema, list):
        return [_strip_unique(value) for value in schema]
    return schema


# --- uniqueness ------------------------------------------------------------------------------

#: field name -> (whether the field is an array with ``uniqueItems``, plan for its items or value)
UniquePlan = dict[str, tuple[bool, "UniquePlan | None"]]


def unique_plan(
    schema: dict[str, Any], root: dict[str, Any] | None = None, depth: int = 0
) -> UniquePlan | None:
    """Return the fields under ``schema`` that lead to arrays with ``uniqueItems`` (or ``None``)."""
    root = schema if root is None else root
    properties = schema.get("properties")
    if not isinstance(properties, dict) or depth > 24:
        return None
    plan: UniquePlan = {}
    for key, raw in properties.items():
        if not isinstance(raw, dict):
            continue
        field = deref(raw, root)
        unique = bool(field.get("uniqueItems")) and "array" in types_of(field)
        inner = field.get("items") if "array" in types_of(field) else field
        sub = unique_plan(deref(inner, root), root, depth + 1) if isinstance(inner, dict) else None
        if unique or sub:
            plan[key] = (unique, sub)
    return plan or None


def _distinct(values: list[Any]) -> bool:
    seen = set()
    for value in values:
        key = (
            orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
            if isinstance(value, (dict, list))
            else value
        )
        if isinstance(key, bool):
            key = ("bool", key)
        if key in seen:
            return False
        seen.add(key)
    return True


def duplicate_ids(items: list[Any], path: str, id_names: tuple[str, ...] = ("id",)) -> list[Issue]:
    """Check one ``uniqueItems`` array the way the Data Review Tool does."""
    duplicates: list[tuple[Any, ...]] = []
    seen: set[tuple[Any, ...]] = set()
    distinct_checked = False
    for item in items:
        ids = tuple(item.get(name) for name in id_names) if isinstance(item, dict) else None
        if ids and all(value is not None and not isinstance(value, (dict, list)) for value in ids):
            if ids in seen and ids not in duplicates:
                duplicates.append(ids)
            seen.add(ids)
        elif not distinct_checked:
            if not _distinct(items):
                return [Issue(path, "uniqueItems", "The array holds the same value more than once")]
            distinct_checked = True
    issues = []
    for ids in duplicates:
        shown = ", ".join(str(value) for value in ids)
        names = ", ".join(id_names)
        issues.append(
            Issue(
                path,
                "uniqueItems",
                f"Non-unique {names} value{'s' * (len(ids) == 1)}: {shown}",
                shown,
            )
        )
    return issues


def _unique_issues(instance: Any, plan: UniquePlan, path: str, out: list[Issue]) -> None:
    if not isinstance(instance, dict):
        return
    for key, (unique, sub) in plan.items():
        value = instance.get(key)
        if value is None:
            continue
        here = f"{path}/{key}" if path else key
        if isinstance(value, list):
            if unique:
                out.extend(duplicate_ids(value, here))
            if sub:
                for index, element in enumerate(value):
                    _unique_issues(element, sub, f"{here}/{index}", out)
        elif sub:
            _unique_issues(value, sub, here, out)


# --- messages --------------------------------------------------------------------------------


def _label(parts: list[str | int]) -> str:
    for part in reversed(parts):
        if isinstance(part, str):
            return part
    return "value"


def _describe(error: Any, schema_at: Callable[[str], Any]) -> tuple[str, Any, str | None]:
    """Return (message, value, codelist) for one jsonschema-rs error."""
    kind = error.kind.name
    details = error.kind.as_dict()
    parts = list(error.instance_path)
    field = _label(parts)
    instance = error.instance
    value = None if isinstance(instance, (dict, list)) else instance
    shown = orjson.dumps(instance).decode() if value is not None else ""
    if kind == "required":
        parent = _label(parts) if parts else ""
        where = f" within '{parent}'" if parent else ""
        return f"'{details['property']}' is missing but required{where}", None, None
    if kind == "type":
        wanted = [name for name in details.get("types", []) if name != "null"] or details.get(
            "types", []
        )
        names = " or ".join(_TYPE_NAMES.get(name, name) for name in wanted)
        got = (
            type(instance).__name__
            if value is not None
            else ("an object" if isinstance(instance, dict) else "an array")
        )
        return f"'{field}' must be {names}, not {shown or got}", value, None
    if kind == "enum":
        location = error.absolute_keyword_location or ""
        own = location.startswith(RELEASE_SCHEMA_URL + "#")
        subschema = schema_at(location.rpartition("#")[2].rsplit("/", 1)[0]) if own else None
        codelist = None
        if isinstance(subschema, dict):
            codelist = subschema.get("codelist")
            if codelist is None and location.endswith("/items/enum"):
                parent = schema_at(location.rpartition("#")[2].rsplit("/", 2)[0])
                codelist = parent.get("codelist") if isinstance(parent, dict) else None
        options = [option for option in details.get("options", []) if option is not None]
        if codelist:
            return (
                f"{shown} is not a code of the closed codelist {codelist} for '{field}'",
                value,
                codelist,
            )
        return f"{shown} is not one of {', '.join(map(str, options))} for '{field}'", value, None
    if kind == "format":
        name = details.get("format", "")
        hint = _FORMAT_HINTS.get(name, f"use the {name} format")
        return f"'{field}' is not a valid {name} ({shown}): {hint}", value, None
    if kind in ("minItems", "maxItems"):
        return (
            f"'{field}' must have {'at least' if kind == 'minItems' else 'at most'} {details['limit']} item(s)",
            None,
            None,
        )
    if kind in ("minLength", "maxLength"):
        bound = "at least" if kind == "minLength" else "at most"
        return (
            f"'{field}' must be {bound} {details['limit']} character(s) long ({shown})",
            value,
            None,
        )
    return f"'{field}': {error.message}", value, None


# --- the validator ---------------------------------------------------------------------------


class Validator:
    """Validate releases, records and package metadata against a release schema.

    ``schema`` is a release schema (dict or path); default the patched OCDS 1.1.5 schema. The
    compiled validators are built once and reused.
    """

    def __init__(self, schema: dict[str, Any] | str | None = None) -> None:
        release = (
            load_release_schema(schema) if not isinstance(schema, dict) else copy.deepcopy(schema)
        )
        self.schema = release
        self.plan = unique_plan(release)
        registered = {**release, "id": RELEASE_SCHEMA_URL}
        versioned = versioned_release_schema(registered)
        registry = jsonschema_rs.Registry(
            [
                (RELEASE_SCHEMA_URL, _strip_unique(registered)),
                (VERSIONED_SCHEMA_URL, _strip_unique(versioned)),
            ]
        )
        options: dict[str, Any] = {"validate_formats": True, "registry": registry}
        self._release = jsonschema_rs.validator_for(_strip_unique(registered), **options)
        record_package = load_data_schema("record-package-schema.json")
        record = {
            "id": "https://standard.open-contracting.org/schema/1__1__5/record-schema.json",
            "$schema": record_package["$schema"],
            "definitions": record_package["definitions"],
            **record_package["definitions"]["record"],
        }
        self._record = jsonschema_rs.validator_for(_strip_unique(record), **options)
        self._envelopes = {}
        for kind, name, key in (
            ("release", "release-package-schema.json", "releases"),
            ("record", "record-package-schema.json", "records"),
        ):
            package = _strip_unique(load_data_schema(name))
            package["properties"][key].pop("items", None)
            package.pop("definitions", None)
            self._envelopes[kind] = jsonschema_rs.validator_for(package, validate_formats=True)

    @functools.cache  # noqa: B019 - one validator per process, kept for its life
    def _schema_at(self, pointer: str) -> Any:
        try:
            return resolve_pointer(self.schema, pointer)
        except (KeyError, IndexError, ValueError, TypeError):
            return None

    def _issues(self, validator: Any, instance: Any, prefix: str, item: int | None) -> list[Issue]:
        issues = []
        if not validator.is_valid(instance):
            for error in validator.iter_errors(instance):
                message, value, codelist = _describe(error, self._schema_at)
                path = _join(prefix, error.instance_path)
                issues.append(Issue(path, error.kind.name, message, value, codelist, item))
        return issues

    def validate_release(
        self, release: Any, prefix: str = "", item: int | None = None
    ) -> list[Issue]:
        """Return the issues of one release; paths start with ``prefix`` (e.g. ``releases/3``)."""
        issues = self._issues(self._release, release, prefix, item)
        if self.plan and isinstance(release, dict):
            found: list[Issue] = []
            _unique_issues(release, self.plan, prefix, found)
            issues.extend(Issue(i.path, i.keyword, i.message, i.value, None, item) for i in found)
        return issues

    def validate_record(
        self, record: Any, prefix: str = "", item: int | None = None
    ) -> list[Issue]:
        """Return the issues of one record (its compiled and embedded releases included)."""
        issues = self._issues(self._record, record, prefix, item)
        if self.plan and isinstance(record, dict):
            found: list[Issue] = []
            _unique_issues(
                record.get("compiledRelease"), self.plan, _join(prefix, ["compiledRelease"]), found
            )
            releases = record.get("releases")
            if isinstance(releases, list):
                for index, release in enumerate(releases):
                    if isinstance(release, dict) and "id" in release:
                        _unique_issues(
                            release, self.plan, _join(prefix, ["releases", index]), found
                        )
            issues.extend(Issue(i.path, i.keyword, i.message, i.value, None, item) for i in found)
        return issues

    def validate_package(self, metadata: dict[str, Any], kind: str, count: int) -> list[Issue]:
        """Return the issues of a package's metadata; ``count`` is how many items its array held."""
        key = "releases" if kind == "release" else "records"
        envelope = {**metadata, key: [{}] * min(count, 1)}
        issues = self._issues(self._envelopes[kind], envelope, "", None)
        for name in ("extensions", "packages"):
            if isinstance(metadata.get(name), list):
                issues.extend(duplicate_ids(metadata[name], name))
        return issues


def validate_stream(
    sources: Iterable[Source],
    *,
    schema: dict[str, Any] | str | None = None,
    on_item: Callable[[], None] | None = None,
) -> Iterator[Issue]:
    """Validate every release or record in ``sources`` and the packages holding them; yield the issues.

    Releases must have unique ``ocid``/``id`` pairs and records unique ``ocid`` values across each
    package (or each input without a package).
    """
    validator = Validator(schema)
    for source in sources:
        reader = Reader(source)
        seen: set[int] = set()
        reported: set[int] = set()
        count = 0
        for index, item in enumerate(reader):
            if on_item is not None:
                on_item()
            count += 1
            package = reader.container in ("release_package", "record_package")
            if reader.kind == "record":
                prefix = f"records/{index}" if package else str(index)
                yield from validator.validate_record(item, prefix, index)
                key: tuple[Any, ...] = (item.get("ocid"),)
            else:
                prefix = f"releases/{index}" if package else str(index)
                yield from validator.validate_release(item, prefix, index)
                key = (item.get("ocid"), item.get("id"))
            if all(value is not None and not isinstance(value, (dict, list)) for value in key):
                digest = hash(key)
                if digest in seen and digest not in reported:
                    reported.add(digest)
                    names = "ocid" if len(key) == 1 else "ocid, id"
                    container = (
                        ("records" if reader.kind == "record" else "releases") if package else ""
                    )
                    shown = ", ".join(map(str, key))
                    yield Issue(
                        container,
                        "uniqueItems",
                        f"Non-unique combination of {names} values: {shown}",
                        shown,
                    )
                seen.add(digest)
        for metadata in reader.packages:
            yield from validator.validate_package(metadata, reader.kind or "release", count)
