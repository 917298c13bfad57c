"""Merge releases into compiled and versioned releases, following the OCDS merge routine.

The output is identical to the reference implementation (``ocdsmerge``), which the OCDS
documentation asks re-implementations to match:

* releases are merged in date order (a stable sort: equal dates keep their input order);
* ``omitWhenMerged`` fields (``id``, ``date``, ``tag``) are dropped; the compiled release gets
  ``tag: ["compiled"]``, ``date`` of the latest release and ``id`` ``{ocid}-{date}``;
* objects merge field by field; arrays of objects merge by ``id`` (objects without ``id`` are
  appended); arrays marked ``wholeListMerge``, arrays holding non-objects, and arrays whose items
  have no ``id`` in the schema replace the whole array;
* ``null`` removes a field; empty objects and empty arrays are ignored; an object or array that
  only ever held ``null`` fields is kept empty;
* in a versioned release every field's value becomes a list of ``{releaseID, releaseDate,
  releaseTag, value}``, appended only when the value changes; ``ocid`` and the ``id`` of objects
  in arrays stay plain.

Where the reference implementation differs from a literal reading of the specification we follow
the reference: ``null`` given for a field that holds an object, or an array merged by identifier,
leaves the merged object in place (the reference raises instead in some versioned cases).
Identifiers are compared as JSON values, so ``1`` and ``"1"`` are different objects.

Merging works on the nested objects directly, without flattening, so an existing compiled or
versioned release can be updated with a newer release (:func:`update_compiled_release`,
:func:`update_versioned_release`) with the same result as merging everything again.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

import orjson

from pregon.ocds.errors import MergeError
from pregon.ocds.rules import OMIT, WHOLE, RuleNode, rules_for

Release = dict[str, Any]
_MISSING = object()


def _is_structure(value: Any) -> bool:
    """Whether a merged value was built by merging (an object, or an array merged by identifier)."""
    if type(value) is dict:
        return True
    return type(value) is list and bool(value) and all(type(item) is dict for item in value)


def _id_key(value: Any) -> Any:
    return value if type(value) in (str, int) else (type(value).__name__, orjson.dumps(value))


# --- compiled --------------------------------------------------------------------------------


_NO_CHILDREN: dict[str, tuple[int, RuleNode | None]] = {}
_NO_OMIT: frozenset[str] = frozenset()
_SCALARS = frozenset((str, int, float, bool))


def _restore(out: dict[str, Any], key: str, old: Any) -> None:
    if old is _MISSING:
        out.pop(key, None)
    else:
        out[key] = old


def _compile_object(out: dict[str, Any], inp: dict[str, Any], node: RuleNode | None) -> bool:
    """Merge object ``inp`` into ``out``; return whether ``inp`` held anything to merge.

    Literal values are copied with one ``dict.update`` (in C); the few other fields are then put
    right one by one: objects and arrays merged, ``null`` removing, omitted fields restored.
    """
    children, omit = node if node is not None else (_NO_CHILDREN, _NO_OMIT)
    special = [key for key, value in inp.items() if type(value) not in _SCALARS]
    dropped = omit.intersection(inp) if omit else _NO_OMIT
    if not special and not dropped:
        if inp:
            out.update(inp)
            return True
        return False
    if out:
        saved = [(key, out.get(key, _MISSING)) for key in special]
        kept = [(key, out.get(key, _MISSING)) for key in dropped]
    else:
        saved = [(key, _MISSING) for key in special]
        kept = [(key, _MISSING) for key in dropped]
    out.update(inp)
    touched = len(inp) > len(special) + len(dropped)
    for key, old in kept:
        _restore(out, key, old)
    for key, old in saved:
        if key in dropped:
            continue
        value = inp[key]
        info = children.get(key)
        child = None
        if info is not None:
            kind, child = info
            if kind == WHOLE:  # the value replaces, whatever it is
                touched = True
                if value is None:
                    del out[key]
                continue
        kind_of = type(value)
        if kind_of is dict:
            if not value:
                _restore(out, key, old)
            elif type(old) is dict:
                out[key] = old
                if _compile_object(old, value, child):
                    touched = True
            elif _SCALARS.issuperset(map(type, value.values())) and (
                child is None or not child[1] or child[1].isdisjoint(value)
            ):
                out[key] = value.copy()  # only literals (most objects): a copy is the merge
                touched = True
            else:
                new, inner = _compile_fresh(value, child)
                if inner:
                    out[key] = new
                    touched = True
                else:
                    _restore(out, key, old)
        elif kind_of is list:
            if not value:
                _restore(out, key, old)
                continue
            for item in value:
                if type(item) is not dict:
                    touched = True  # an array of literals: already replaced
                    break
            else:
                _restore(out, key, old)
                if _compile_array(out, key, value, child):
                    touched = True
        elif value is None:
            touched = True
            if old is not _MISSING and _is_structure(old):
                out[key] = old
            else:
                del out[key]
        else:
            touched = True  # another literal type (e.g. Decimal): already copied
    return touched


def _compile_fresh(inp: dict[str, Any], node: RuleNode | None) -> tuple[dict[str, Any], bool]:
    """Merge ``inp`` into a new object (the common case): a copy, with the few other fields put right.

    Returns the object and whether ``inp`` held anything to merge.
    """
    new = inp.copy()
    special = [key for key, value in inp.items() if type(value) not in _SCALARS]
    children, omit = node if node is not None else (_NO_CHILDREN, _NO_OMIT)
    dropped = 0
    if omit:
        for key in omit.intersection(inp):
            del new[key]
            dropped += 1
    touched = len(inp) > len(special) + dropped
    for key in special:
        if key not in new:
            continue  # omitted
        value = inp[key]
        info = children.get(key)
        child = None
        if info is not None:
            kind, child = info
            if kind == WHOLE:
                touched = True
                if value is None:
                    del new[key]
                continue
        kind_of = type(value)
        if kind_of is dict:
            if (
                value
                and _SCALARS.issuperset(map(type, value.values()))
                and (child is None or not child[1] or child[1].isdisjoint(value))
            ):
                new[key] = value.copy()  # only literals (most objects): a copy is the merge
                touched = True
                continue
            if value:
                merged, inner = _compile_fresh(value, child)
                if inner:
                    new[key] = merged
                    touched = True
                    continue
            del new[key]
        elif kind_of is list:
            if not value:
                del new[key]
                continue
            for item in value:
                if type(item) is not dict:
                    touched = True  # an array of literals: kept as it is
                    break
            else:
                del new[key]
                if _compile_array(new, key, value, child):
                    touched = True
        elif value is None:
            touched = True
            del new[key]
        else:
            touched = True
    return new, touched


def _compile_array(
    out: dict[str, Any], key: str, items: list[dict[str, Any]], node: RuleNode | None
) -> bool:
    current = out.get(key)
    fresh = current is None or not _is_structure(current)
    target: list[dict[str, Any]] = [] if fresh else current  # type: ignore[assignment]
    index: dict[Any, dict[str, Any]] | None = None
    touched = False
    for item in items:
        if "id" in item:
            if index is None:
                index = {}
                for element in target:
                    if "id" in element:
                        index.setdefault(_id_key(element["id"]), element)
            ident = item["id"]
            if type(ident) is not str:
                ident = _id_key(ident)
            match = index.get(ident)
            if match is not None:
                _compile_object(match, item, node)
                touched = True
                continue
            if _SCALARS.issuperset(map(type, item.values())) and (
                node is None or not node[1] or node[1].isdisjoint(item)
            ):
                new, inner = item.copy(), True  # only literals: a copy is the merge
            else:
                new, inner = _compile_fresh(item, node)
            if inner:
                target.append(new)
                index[ident] = new
                touched = True
        else:
            new, inner = _compile_fresh(item, node)
            if inner:
                target.append(new)
                touched = True
    if fresh and touched:
        out[key] = target
    return touched


_TOP_TREES: dict[int, tuple[RuleNode, RuleNode, RuleNode]] = {}


def _top_trees(tree: RuleNode) -> tuple[RuleNode, RuleNode]:
    """The tree with the release-level fields the routine handles itself marked as omitted."""
    cached = _TOP_TREES.get(id(tree))
    if cached is None or cached[0] is not tree:
        children, omit = tree
        compiled = ({**children, "tag": (OMIT, None)}, omit | {"tag"})
        versioned = ({**compiled[0], "ocid": (OMIT, None)}, compiled[1] | {"ocid"})
        cached = _TOP_TREES[id(tree)] = (tree, compiled, versioned)
    return cached[1], cached[2]


def _compile_into(compiled: dict[str, Any], release: Release, tree: RuleNode) -> None:
    ocid = release.get("ocid")
    date = release.get("date")
    compiled["id"] = f"{ocid}-{date}"
    for name, value in (("date", date), ("ocid", ocid)):
        if value is None:
            compiled.pop(name, None)
        else:
            compiled[name] = value
    _compile_object(compiled, release, _top_trees(tree)[0])


# --- versioned -------------------------------------------------------------------------------


class _Version:
    """The release metadata that versioned values carry, and the values this release added."""

    __slots__ = ("added", "date", "id", "tag")

    def __init__(self, release: Release) -> None:
        self.id = release.get("id")
        self.date = release.get("date")
        self.tag = release.get("tag")
        self.added: set[int] = set()

    def value(self, value: Any) -> dict[str, Any]:
        """Return ``value`` as a versioned value of this release."""
        entry = {
            "releaseID": self.id,
            "releaseDate": self.date,
            "releaseTag": self.tag,
            "value": value,
        }
        self.added.add(id(entry))
        return entry


def _is_history(value: Any) -> bool:
    return (
        type(value) is list and bool(value) and type(value[-1]) is dict and "releaseID" in value[-1]
    )


def _version_leaf(out: dict[str, Any], key: str, value: Any, version: _Version) -> None:
    current = out.get(key, _MISSING)
    if current is _MISSING:
        out[key] = [version.value(value)]
    elif type(current) is dict or (not _is_history(current) and _is_structure(current)):
        return  # a value given where merged objects already are: the reference ignores it
    elif id(current[-1]) in version.added:
        # a second value for the same field in one release (objects sharing an id): the last one
        # counts, compared with the value before this release, as if the release had been merged once
        if len(current) > 1 and current[-2]["value"] == value:
            current.pop()
        else:
            current[-1]["value"] = value
    elif current[-1]["value"] != value:
        current.append(version.value(value))


def _version_object(
    out: dict[str, Any],
    inp: dict[str, Any],
    node: RuleNode | None,
    version: _Version,
    skip_id: bool = False,
) -> bool:
    touched = False
    for key, value in inp.items():
        if skip_id and key == "id":
            touched = True
            continue
        child: RuleNode | None = None
        if node is not None:
            info = node[0].get(key)
            if info is not None:
                kind, child = info
                if kind:
                    if kind == OMIT:
                        continue
                    touched = True
                    _version_leaf(out, key, value, version)
                    continue
        kind_of = type(value)
        if kind_of is dict:
            if not value:
                continue
            current = out.get(key)
            if type(current) is dict:
                if _version_object(current, value, child, version):
                    touched = True
            else:
                new: dict[str, Any] = {}
                if _version_object(new, value, child, version):
                    out[key] = new
                    touched = True
        elif kind_of is list:
            if not value:
                continue
            for item in value:
                if type(item) is not dict:
                    _version_leaf(out, key, value, version)
                    touched = True
                    break
            else:
                if _version_array(out, key, value, child, version):
                    touched = True
        else:
            _version_leaf(out, key, value, version)
            touched = True
    return touched


def _version_array(
    out: dict[str, Any],
    key: str,
    items: list[dict[str, Any]],
    node: RuleNode | None,
    version: _Version,
) -> bool:
    current = out.get(key)
    fresh = _is_history(current) or not _is_structure(current)
    target: list[dict[str, Any]] = [] if fresh else current  # type: ignore[assignment]
    index: dict[Any, dict[str, Any]] | None = None
    touched = False
    for item in items:
        ident_value = item.get("id")
        if ident_value is not None:
            if index is None:
                index = {}
                for element in target:
                    if "id" in element and not _is_history(element["id"]):
                        index.setdefault(_id_key(element["id"]), element)
            ident = _id_key(ident_value)
            match = index.get(ident)
            if match is not None:
                _version_object(match, item, node, version, skip_id=True)
                touched = True
                continue
            new: dict[str, Any] = {"id": ident_value}
            _version_object(new, item, node, version, skip_id=True)
            target.append(new)
            index[ident] = new
            touched = True
        else:
            new = {}
            if _version_object(new, item, node, version):
                target.append(new)
                touched = True
    if fresh and touched:
        out[key] = target
    return touched


def _version_into(versioned: dict[str, Any], release: Release, tree: RuleNode) -> None:
    version = _Version(release)
    versioned["ocid"] = release.get("ocid")
    _version_object(versioned, release, _top_trees(tree)[1], version)


# --- public API ------------------------------------------------------------------------------


def sort_releases(releases: Iterable[Release]) -> list[Release]:
    """Return the releases in date order (stable), as the merge routine needs them.

    Raises :class:`MergeError` if a release is not an object or (among several) has no string ``date``.
    """
    items = list(releases)
    for release in items:
        if not isinstance(release, dict):
            raise MergeError(f"a release is a {type(release).__name__}, not a JSON object")
    if len(items) <= 1:
        return items
    try:
        return sorted(items, key=itemgetter("date"))
    except KeyError as exc:
        raise MergeError("a release has no 'date': releases are merged in date order") from exc
    except TypeError as exc:
        raise MergeError(
            "a release's 'date' is not a string: releases are merged in date order"
        ) from exc


def _tree(rules: RuleNode | None, schema: Any) -> RuleNode:
    return rules if rules is not None else rules_for(schema)


def compile_release(
    releases: Iterable[Release], *, schema: Any = None, rules: RuleNode | None = None
) -> dict[str, Any]:
    """Merge the releases of one contracting process into a compiled release.

    ``schema`` (a release schema dict or path; default the patched OCDS 1.1.5 schema) or a
    precomputed rule tree from :func:`pregon.ocds.rules.rules_for` decides the merge rules. The
    input releases are not changed, but the result shares their values: copy it before changing it.
    """
    tree = _tree(rules, schema)
    compiled: dict[str, Any] = {"tag": ["compiled"]}
    for release in sort_releases(releases):
        _compile_into(compiled, release, tree)
    return compiled


def version_releases(
    releases: Iterable[Release], *, schema: Any = None, rules: RuleNode | None = None
) -> dict[str, Any]:
    """Merge the releases of one contracting process into a versioned release (see :func:`compile_release`)."""
    tree = _tree(rules, schema)
    versioned: dict[str, Any] = {}
    for release in sort_releases(releases):
        _version_into(versioned, release, tree)
    if versioned.get("ocid", _MISSING) is None:
        del versioned["ocid"]
    return versioned


def _check_order(release: Release, latest: Any) -> None:
    if not isinstance(release, dict):
        raise MergeError(f"a release is a {type(release).__name__}, not a JSON object")
    date = release.get("date")
    if not isinstance(date, str):
        raise MergeError("the new release has no string 'date'")
    if isinstance(latest, str) and date < latest:
        raise MergeError(
            f"the new release ({date}) is older than the merged one ({latest})",
            "merge all the releases again with compile_release() or version_releases()",
        )


def update_compiled_release(
    compiled: dict[str, Any], release: Release, *, schema: Any = None, rules: RuleNode | None = None
) -> dict[str, Any]:
    """Return ``compiled`` updated with one newer ``release``, without merging everything again.

    The result equals :func:`compile_release` of all the releases. ``compiled`` is not changed.
    Raises :class:`MergeError` if the release is older than the compiled release's ``date``.
    """
    _check_order(release, compiled.get("date"))
    updated = copy.deepcopy(compiled)
    updated.setdefault("tag", ["compiled"])
    _compile_into(updated, copy.deepcopy(release), _tree(rules, schema))
    return updated


def update_versioned_release(
    versioned: dict[str, Any],
    release: Release,
    *,
    schema: Any = None,
    rules: RuleNode | None = None,
    latest_date: str | None = None,
) -> dict[str, Any]:
    """Return ``versioned`` updated with one newer ``release`` (see :func:`update_compiled_release`).

    Pass ``latest_date`` (the date of the newest release merged so far, e.g. the compiled
    release's ``date``) to have an out-of-order release refused.
    """
    _check_order(release, latest_date)
    updated = copy.deepcopy(versioned)
    _version_into(updated, copy.deepcopy(release), _tree(rules, schema))
    if updated.get("ocid", _MISSING) is None:
        del updated["ocid"]
    return updated
