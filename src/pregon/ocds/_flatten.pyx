# cython: language_level=3
"""The flatten kernel: releases walked into rows of CSV text, buffered per table.

Compiled by Cython (see ``setup.py``); :mod:`pregon.ocds.flatten` describes the tables and their
columns, creates the tables and their files, and assembles the output. The kernel fills each row's
cells as CSV text as soon as a value is read (quoted only when it holds ``,``, ``"`` or a line
break, as :mod:`csv` writes by default) and joins the row itself, which is much faster than
``csv.writer`` for rows that are mostly empty cells.
"""

import orjson

cdef str _EMPTY = ""
cdef Py_ssize_t _FLUSH_AT = 1 << 18  # characters of rows a table buffers before writing them


cdef str _quoted(str text):
    """``text`` as a CSV cell: quoted, quotes doubled, if it holds a comma, quote or line break."""
    cdef Py_UCS4 c
    for c in text:
        if c == u"," or c == u'"' or c == u"\n" or c == u"\r":
            return '"' + text.replace('"', '""') + '"'
    return text


cdef str _text(object value):
    """A field's value as a CSV cell.

    Literals as ``csv.writer`` writes them (``str`` of an integer, ``repr`` of a float), booleans as
    ``true`` and ``false``, null as empty, arrays of literals joined with ``;``, anything else JSON.
    """
    cdef type kind = type(value)
    if kind is str:
        return _quoted(<str>value)
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return _EMPTY
    if kind is list:
        for item in <list>value:
            if type(item) is not str:
                break
        else:
            return _quoted(";".join(<list>value))  # the common case: an array of strings
        for item in <list>value:
            kind = type(item)
            if not (kind is str or kind is int or kind is float or kind is bool):
                break
        else:
            return _quoted(
                ";".join([
                    item if type(item) is str else orjson.dumps(item).decode() for item in value
                ])
            )
    return _quoted(orjson.dumps(value).decode())


cdef bint _is_array_of_objects(list value):
    if not value or type(value[0]) is not dict:
        return False
    for item in value:
        if type(item) is not dict:
            return False
    return True


cdef str _strip_indices(str link):
    return "/".join([part for part in link.split("/") if not part.isdigit()])


cdef class _Node:
    """The columns of one field prefix (``tender/value/``) of one table."""

    cdef _Sheet sheet
    cdef str prefix
    cdef dict scalars  # field -> column index
    cdef dict objects  # object field -> its _Node
    cdef dict arrays  # array-of-objects field -> (its table's _Sheet, its path from the table)

    def __init__(self, _Sheet sheet, str prefix):
        cdef Py_ssize_t cut = len(prefix)
        self.sheet = sheet
        self.prefix = prefix
        self.scalars = {
            name[cut:]: index
            for name, index in sheet.columns.items()
            if name.startswith(prefix) and "/" not in name[cut:]
        }
        self.objects = {}
        self.arrays = {}

    cdef Py_ssize_t column(self, str key) except -1:
        """The index of the column of field ``key``, adding the column to the table if new."""
        index = self.scalars.get(key)
        if index is None:
            index = self.scalars[key] = self.sheet.table.column(self.prefix + key)
        return index


cdef class _Sheet:
    """One table as the kernel fills it: its columns, field tree and buffered rows."""

    cdef object table  # the flatten.Table: name, columns, column(), rows, handle
    cdef str name
    cdef dict columns  # the table's own dict: column name -> index
    cdef _Node root
    cdef dict nodes  # field prefix -> _Node
    cdef list lines
    cdef Py_ssize_t buffered
    cdef Py_ssize_t rows

    def __init__(self, table):
        self.table = table
        self.name = table.name
        self.columns = table.columns
        self.nodes = {}
        self.lines = []
        self.buffered = 0
        self.rows = 0
        self.root = self.node("")

    cdef _Node node(self, str prefix):
        node = self.nodes.get(prefix)
        if node is None:
            node = self.nodes[prefix] = _Node(self, prefix)
        return <_Node>node

    cdef int write(self, list cells) except -1:
        cdef str line = ",".join(cells)
        self.lines.append(line)
        self.buffered += len(line)
        if self.buffered >= _FLUSH_AT:
            self.flush()
        return 0

    cdef int flush(self) except -1:
        if self.lines:
            self.lines.append(_EMPTY)  # so that the last row ends with a line break too
            self.table.handle.write("\r\n".join(self.lines))
            self.lines = []
            self.buffered = 0
        self.table.rows = self.rows
        return 0


cdef class Walker:
    """Write the rows of releases to tables; ``main`` names the table of the releases themselves.

    ``table(name, paths of the enclosing arrays)`` creates a table (a ``flatten.Table`` with its key
    and schema columns and an open file); the walker calls it once per table, when a row is first
    due. :meth:`flush` writes the buffered rows and sets the tables' row counts.
    """

    cdef object new_table
    cdef str main
    cdef dict sheets  # table name -> _Sheet
    cdef dict stripped  # array link -> its path without positions
    cdef str ocid  # of the release being walked, as CSV text
    cdef str release_id

    def __init__(self, table, str main):
        self.new_table = table
        self.main = main
        self.sheets = {}
        self.stripped = {}

    cdef _Sheet sheet(self, str name, tuple ancestors):
        sheet = self.sheets.get(name)
        if sheet is None:
            sheet = self.sheets[name] = _Sheet(self.new_table(name, ancestors))
        return <_Sheet>sheet

    def add(self, dict release):
        """Write the rows of one release."""
        cdef _Sheet sheet = self.sheet(self.main, ())
        cdef list cells = [_EMPTY] * len(sheet.columns)
        self.ocid = _text(release.get("ocid"))
        self.release_id = _text(release.get("id"))
        self.fill(cells, release, sheet.root, _EMPTY, (), ())
        cells[0] = self.ocid
        cells[1] = self.release_id
        sheet.write(cells)
        sheet.rows += 1

    def flush(self):
        """Write every table's buffered rows to its file, and set its row count."""
        for sheet in self.sheets.values():
            (<_Sheet>sheet).flush()

    cdef int fill(
        self, list cells, dict obj, _Node node, str link, tuple ancestors, tuple ids
    ) except -1:
        """Put the fields of ``obj`` in the row ``cells``; write the rows of its arrays of objects.

        ``link`` is the link of the array element the row is for (empty for a release),
        ``ancestors`` the paths of its enclosing arrays and ``ids`` their elements' ``id``.
        """
        cdef type kind
        for key, value in obj.items():
            kind = type(value)
            if kind is str or kind is int or kind is float:
                found = node.scalars.get(key)
                if found is not None and <Py_ssize_t>found < len(cells):
                    cells[<Py_ssize_t>found] = _text(value)
                else:
                    self.set(cells, node, key, _text(value))
            elif kind is dict:
                found = node.objects.get(key)
                if found is None:
                    found = node.objects[key] = node.sheet.node(f"{node.prefix}{key}/")
                self.fill(cells, <dict>value, <_Node>found, link, ancestors, ids)
            elif kind is list and _is_array_of_objects(<list>value):
                self.rows(node, key, <list>value, link, ancestors, ids)
            else:
                self.set(cells, node, key, _text(value))
        return 0

    cdef int set(self, list cells, _Node node, str key, str text) except -1:
        """Put ``text`` in the column of ``key``, adding the column (and widening ``cells``)."""
        cdef Py_ssize_t index = node.column(key)
        if index >= len(cells):
            cells.extend([_EMPTY] * (index + 1 - len(cells)))
        cells[index] = text
        return 0

    cdef int rows(
        self, _Node node, str key, list items, str parent_link, tuple ancestors, tuple ids
    ) except -1:
        """Write a row per element of the array of objects ``items`` (field ``key`` of ``node``)."""
        cdef _Sheet sheet
        cdef str name
        cdef str array_link
        cdef str element
        cdef list base
        cdef list cells
        cdef tuple inner
        cdef tuple element_ids
        cdef Py_ssize_t position = 0
        found = node.arrays.get(key)
        if found is None:
            name = node.prefix + key
            path = name.replace("/", "_")
            table_name = path if node.sheet.name == self.main else f"{node.sheet.name}_{path}"
            found = node.arrays[key] = (self.sheet(table_name, ancestors), name)
        sheet, name = <tuple>found
        array_link = f"{parent_link}/{name}" if parent_link else name
        base = [_EMPTY] * len(sheet.columns)
        base[0] = self.ocid
        base[1] = self.release_id
        base[3] = _quoted(parent_link)
        base[4 : 4 + len(ids)] = ids
        stripped = self.stripped.get(array_link)
        if stripped is None:
            stripped = self.stripped[array_link] = _strip_indices(array_link)
        inner = ancestors + (stripped,)
        for item in items:
            cells = base[:]
            element = f"{array_link}/{position}"
            cells[2] = _quoted(element)
            element_ids = ids + (_text((<dict>item).get("id")),)
            self.fill(cells, <dict>item, sheet.root, element, inner, element_ids)
            sheet.write(cells)
            position += 1
        sheet.rows += len(items)
        return 0
