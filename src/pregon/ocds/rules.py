"""Merge rules derived from a release schema, as the OCDS merging specification defines them.

A field's rule is ``omitWhenMerged`` (discarded when merging), ``wholeListMerge`` (an array replaced
whole) or nothing (objects merge field by field, arrays of objects with an ``id`` merge by
identifier). The derivation follows the dereferenced schema exactly as the reference implementation
does, including OCDS 1.0's ``mergeStrategy`` (``ocdsOmit``, ``ocdsVersion``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from pregon.ocds.schema import deref, load_release_schema, types_of

OMIT = 1
WHOLE = 2

#: A node of the rule tree: (field name -> (rule, child node or None when no rule applies below),
#: the names of the fields with rule ``omitWhenMerged`` at this level).
RuleNode = tuple[dict[str, tuple[int, "RuleNode | None"]], frozenset[str]]


def merge_rules(schema: dict[str, Any]) -> dict[tuple[str, ...], str]:
    """Return the merge rules of a release schema: field path (a tuple) -> rule name."""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return {}
    return dict(_rules(properties, schema, (), frozenset()))


def _rules(
    properties: dict[str, Any], root: dict[str, Any], path: tuple[str, ...], active: frozenset[int]
) -> Iterator[tuple[tuple[str, ...], str]]:
    if id(properties) in active:  # a recursive schema: stop where it loops
        return
    active = active | {id(properties)}
    for key, raw in properties.items():
        if not isinstance(raw, dict):
            continue
        value = deref(raw, root)
        new_path = (*path, key)
        types = types_of(value)
        if value.get("omitWhenMerged") or value.get("mergeStrategy") == "ocdsOmit":
            yield new_path, "omitWhenMerged"
        elif "array" in types and (
            value.get("wholeListMerge") or value.get("mergeStrategy") == "ocdsVersion"
        ):
            yield new_path, "wholeListMerge"
        elif "object" in types and isinstance(value.get("properties"), dict):
            yield from _rules(value["properties"], root, new_path, active)
        elif "array" in types and isinstance(value.get("items"), dict):
            items = deref(value["items"], root)
            item_types = types_of(items)
            if any(item_type != "object" for item_type in item_types):
                yield new_path, "wholeListMerge"
            elif "object" in item_types and isinstance(items.get("properties"), dict):
                if "id" not in items["properties"]:
                    yield new_path, "wholeListMerge"
                else:
                    yield from _rules(items["properties"], root, new_path, active)


def rule_tree(rules: dict[tuple[str, ...], str]) -> RuleNode:
    """Turn flat merge rules into the nested tree the merge routine walks."""
    names = {"omitWhenMerged": OMIT, "wholeListMerge": WHOLE}
    nested: dict[str, Any] = {}
    for path, rule in rules.items():
        node = nested
        for part in path[:-1]:
            node = node.setdefault(part, {}).setdefault("", {})
        node.setdefault(path[-1], {})["rule"] = names[rule]

    def freeze(level: dict[str, Any]) -> RuleNode:
        children = {
            key: (entry.get("rule", 0), freeze(entry[""]) if entry.get("") else None)
            for key, entry in level.items()
        }
        return children, frozenset(key for key, (rule, _) in children.items() if rule == OMIT)

    return freeze(nested)


@functools.cache
def _default_tree() -> RuleNode:
    return rule_tree(merge_rules(load_release_schema()))


@functools.cache
def _file_tree(path: str, mtime: float) -> RuleNode:
    del mtime  # part of the cache key only
    return rule_tree(merge_rules(load_release_schema(path)))


def rules_for(schema: dict[str, Any] | str | Path | None = None) -> RuleNode:
    """Return the rule tree for a schema: ``None`` (the patched OCDS 1.1.5 schema), a path or a dict."""
    if schema is None:
        return _default_tree()
    if isinstance(schema, dict):
        return rule_tree(merge_rules(schema))
    path = Path(schema)
    return _file_tree(str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0)


def rules_fingerprint(tree: RuleNode) -> bytes:
    """A stable serialisation of a rule tree (used to ship it to worker processes)."""
    return orjson.dumps(tree)
