# cython: language_level=3
"""The merge kernel: one release merged into a compiled or a versioned release, in place.

Compiled by Cython (see ``setup.py``); :mod:`pregon.ocds.merge` holds the public API and the merge
rules this kernel follows. The kernel walks the nested objects directly, with the rule tree from
:mod:`pregon.ocds.rules` (a node is ``({field: (rule, child node or None)}, omitted fields)``).
"""

import orjson

from pregon.ocds.rules import OMIT, WHOLE

cdef object _MISSING = object()
cdef dict _NO_CHILDREN = {}
cdef int _OMIT = OMIT
cdef int _WHOLE = WHOLE


cdef inline bint _is_literal(object value):
    cdef type kind = type(value)
    return kind is str or kind is int or kind is float or kind is bool


cdef bint _is_structure(object value):
    """Whether a merged value was built by merging (an object, or an array merged by identifier)."""
    if type(value) is dict:
        return True
    if type(value) is not list or not value:
        return False
    for item in <list>value:
        if type(item) is not dict:
            return False
    return True


cdef object _id_key(object value):
    """An identifier as a key: strings and integers as they are, anything else as typed JSON."""
    cdef type kind = type(value)
    if kind is str or kind is int:
        return value
    return (kind.__name__, orjson.dumps(value))


cdef dict _index_of(list target, bint versioned):
    """Identifier -> object, for the objects already merged into an array (the first one wins).

    In a versioned release an ``id`` that became a list of versions is not an identifier.
    """
    cdef dict index = {}
    for element in target:
        if "id" in <dict>element:
            ident = (<dict>element)["id"]
            if not (versioned and _is_history(ident)):
                index.setdefault(_id_key(ident), element)
    return index


cdef bint _only_literals(dict inp, object omit):
    """Whether ``inp`` holds only literal values and no omitted field (its copy is its merge)."""
    for value in inp.values():
        if not _is_literal(value):
            return False
    return not omit or omit.isdisjoint(inp)


# --- compiled --------------------------------------------------------------------------------


cdef bint _compile_object(dict out, dict inp, object node):
    """Merge object ``inp`` into ``out``; return whether ``inp`` held anything to merge."""
    cdef dict children
    cdef object omit = None
    cdef object child
    cdef object info
    cdef object old
    cdef bint touched = False
    cdef type kind
    if node is None:
        children = _NO_CHILDREN
    else:
        children = <dict>(<tuple>node)[0]
        omit = (<tuple>node)[1]
        if not omit:
            omit = None
    for key, value in inp.items():
        if omit is not None and key in omit:
            continue
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool:
            out[key] = value
            touched = True
            continue
        child = None
        info = children.get(key)
        if info is not None:
            child = (<tuple>info)[1]
            if (<tuple>info)[0] == _WHOLE:  # the value replaces, whatever it is
                touched = True
                if value is None:
                    out.pop(key, None)
                else:
                    out[key] = value
                continue
        if kind is dict:
            if not value:
                continue
            old = out.get(key)
            if type(old) is dict:
                if _compile_object(<dict>old, <dict>value, child):
                    touched = True
            else:
                new = _compile_fresh(<dict>value, child)
                if new is not None:
                    out[key] = new
                    touched = True
        elif kind is list:
            if not value:
                continue
            for item in <list>value:
                if type(item) is not dict:
                    out[key] = value  # an array of literals replaces
                    touched = True
                    break
            else:
                if _compile_array(out, key, <list>value, child):
                    touched = True
        elif value is None:
            touched = True
            old = out.get(key, _MISSING)
            if old is not _MISSING and not _is_structure(old):
                del out[key]
        else:
            out[key] = value  # another literal type (e.g. Decimal)
            touched = True
    return touched


cdef object _compile_fresh(dict inp, object node):
    """Merge ``inp`` into a new object; return it, or None if ``inp`` held nothing to merge."""
    cdef dict new
    if inp and _only_literals(inp, None if node is None else (<tuple>node)[1]):
        return inp.copy()  # only literals (most objects): a copy is the merge
    new = {}
    if _compile_object(new, inp, node):
        return new
    return None


cdef bint _compile_array(dict out, object key, list items, object node):
    cdef object current = out.get(key)
    cdef bint fresh = current is None or not _is_structure(current)
    cdef list target = [] if fresh else <list>current
    cdef dict index = None
    cdef bint touched = False
    cdef object ident
    cdef object match
    cdef object new
    for item in items:
        if "id" in <dict>item:
            if index is None:
                index = _index_of(target, False)
            ident = (<dict>item)["id"]
            if type(ident) is not str:
                ident = _id_key(ident)
            match = index.get(ident)
            if match is not None:
                _compile_object(<dict>match, <dict>item, node)
                touched = True
                continue
            new = _compile_fresh(<dict>item, node)
            if new is not None:
                target.append(new)
                index[ident] = new
                touched = True
        else:
            new = _compile_fresh(<dict>item, node)
            if new is not None:
                target.append(new)
                touched = True
    if fresh and touched:
        out[key] = target
    return touched


cdef dict _TOP_TREES = {}


cdef tuple _top_trees(tuple tree):
    """The tree with the release-level fields the routine handles itself marked as omitted:
    (for compiled releases, for versioned releases)."""
    cached = _TOP_TREES.get(id(tree))
    if cached is None or (<tuple>cached)[0] is not tree:
        children, omit = tree
        compiled = ({**children, "tag": (_OMIT, None)}, omit | {"tag"})
        versioned = ({**compiled[0], "ocid": (_OMIT, None)}, compiled[1] | {"ocid"})
        cached = _TOP_TREES[id(tree)] = (tree, compiled, versioned)
    return cached


def compile_into(dict compiled, dict release, tuple tree):
    """Merge ``release`` into the compiled release ``compiled`` (in place), by rule tree ``tree``.

    ``release`` is not changed, but ``compiled`` may share its values afterwards.
    """
    ocid = release.get("ocid")
    date = release.get("date")
    compiled["id"] = f"{ocid}-{date}"
    if date is None:
        compiled.pop("date", None)
    else:
        compiled["date"] = date
    if ocid is None:
        compiled.pop("ocid", None)
    else:
        compiled["ocid"] = ocid
    _compile_object(compiled, release, (<tuple>_top_trees(tree))[1])


# --- versioned -------------------------------------------------------------------------------


cdef class _Version:
    """The release metadata that versioned values carry, and the values this release added."""

    cdef object id
    cdef object date
    cdef object tag
    cdef set added

    def __init__(self, dict release):
        self.id = release.get("id")
        self.date = release.get("date")
        self.tag = release.get("tag")
        self.added = set()

    cdef dict value(self, object value):
        """Return ``value`` as a versioned value of this release."""
        cdef dict entry = {
            "releaseID": self.id,
            "releaseDate": self.date,
            "releaseTag": self.tag,
            "value": value,
        }
        self.added.add(id(entry))
        return entry


cdef bint _is_history(object value):
    if type(value) is not list or not value:
        return False
    last = (<list>value)[-1]
    return type(last) is dict and "releaseID" in <dict>last


cdef void _version_leaf(dict out, object key, object value, _Version version):
    cdef object current = out.get(key, _MISSING)
    cdef list history
    if current is _MISSING:
        out[key] = [version.value(value)]
        return
    if type(current) is dict or (not _is_history(current) and _is_structure(current)):
        return  # a value given where merged objects already are: the reference ignores it
    history = <list>current
    if id(history[-1]) in version.added:
        # a second value for the same field in one release (objects sharing an id): the last one
        # counts, compared with the value before this release, as if the release had been merged
        # once
        if len(history) > 1 and (<dict>history[-2])["value"] == value:
            history.pop()
        else:
            (<dict>history[-1])["value"] = value
    elif (<dict>history[-1])["value"] != value:
        history.append(version.value(value))


cdef bint _version_object(dict out, dict inp, object node, _Version version, bint skip_id=False):
    cdef bint touched = False
    cdef dict children = _NO_CHILDREN if node is None else <dict>(<tuple>node)[0]
    cdef object child
    cdef object info
    cdef object current
    cdef type kind
    cdef int rule
    for key, value in inp.items():
        if skip_id and key == "id":
            touched = True
            continue
        child = None
        info = children.get(key)
        if info is not None:
            rule = (<tuple>info)[0]
            child = (<tuple>info)[1]
            if rule:
                if rule == _OMIT:
                    continue
                touched = True
                _version_leaf(out, key, value, version)
                continue
        kind = type(value)
        if kind is dict:
            if not value:
                continue
            current = out.get(key)
            if type(current) is dict:
                if _version_object(<dict>current, <dict>value, child, version):
                    touched = True
            else:
                new = {}
                if _version_object(new, <dict>value, child, version):
                    out[key] = new
                    touched = True
        elif kind is list:
            if not value:
                continue
            for item in <list>value:
                if type(item) is not dict:
                    _version_leaf(out, key, value, version)
                    touched = True
                    break
            else:
                if _version_array(out, key, <list>value, child, version):
                    touched = True
        else:
            _version_leaf(out, key, value, version)
            touched = True
    return touched


cdef bint _version_array(dict out, object key, list items, object node, _Version version):
    cdef object current = out.get(key)
    cdef bint fresh = _is_history(current) or not _is_structure(current)
    cdef list target = [] if fresh else <list>current
    cdef dict index = None
    cdef bint touched = False
    cdef dict new
    for item in items:
        ident_value = (<dict>item).get("id")
        if ident_value is not None:
            if index is None:
                index = _index_of(target, True)
            ident = _id_key(ident_value)
            match = index.get(ident)
            if match is not None:
                _version_object(<dict>match, <dict>item, node, version, True)
                touched = True
                continue
            new = {"id": ident_value}
            _version_object(new, <dict>item, node, version, True)
            target.append(new)
            index[ident] = new
            touched = True
        else:
            new = {}
            if _version_object(new, <dict>item, node, version):
                target.append(new)
                touched = True
    if fresh and touched:
        out[key] = target
    return touched


def version_into(dict versioned, dict release, tuple tree):
    """Merge ``release`` into the versioned release ``versioned`` (in place), by rule tree
    ``tree``."""
    cdef _Version version = _Version(release)
    versioned["ocid"] = release.get("ocid")
    _version_object(versioned, release, (<tuple>_top_trees(tree))[2], version)
