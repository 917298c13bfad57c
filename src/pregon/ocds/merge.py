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
:func:`update_versioned_release`) with the same result as merging everything again. The walk
itself is the compiled kernel :mod:`pregon.ocds._merge` (Cython, built on install).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from pregon.ocds._merge import compile_into, version_into
from pregon.ocds.errors import MergeError
from pregon.ocds.rules import RuleNode, rules_for

Release = dict[str, Any]
_MISSING = object()


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
        compile_into(compiled, release, tree)
    return compiled


def version_releases(
    releases: Iterable[Release], *, schema: Any = None, rules: RuleNode | None = None
) -> dict[str, Any]:
    """Merge the releases of one contracting process into a versioned release (see :func:`compile_release`)."""
    tree = _tree(rules, schema)
    versioned: dict[str, Any] = {}
    for release in sort_releases(releases):
        version_into(versioned, release, tree)
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
    compile_into(updated, copy.deepcopy(release), _tree(rules, schema))
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
    version_into(updated, copy.deepcopy(release), _tree(rules, schema))
    if updated.get("ocid", _MISSING) is None:
        del updated["ocid"]
    return updated
