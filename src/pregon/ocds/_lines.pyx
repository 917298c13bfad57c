# cython: language_level=3
"""The line-indexing kernel of a parallel compile: where each release of a JSON Lines file is.

Compiled by Cython (see ``setup.py``); :mod:`pregon.ocds.compile` reads the file in chunks and
hands them here. For each non-blank line the kernel finds the stripped line's offset and length
and the hash of its ``ocid`` -- read straight from the bytes when the line starts with
``{"ocid":"`` and the ocid has no escape, else by the caller's ``hash_of(raw line)`` -- and appends
``(hash, offset, length)`` to the index of the line's partition.
"""

from libc.string cimport memchr, memcmp

from zlib import crc32

cdef const char* _PREFIX = b'{"ocid":"'
cdef Py_ssize_t _PREFIX_SIZE = 9


cdef inline bint _space(char c):
    """ASCII whitespace, as ``bytes.strip()`` removes it."""
    return c == 32 or (c >= 9 and c <= 13)


def index_lines(
    bytes chunk, long long base, long long end, int bits, list indexes, object hash_of
):
    """Index the complete lines of ``chunk`` (found at file offset ``base``) that start before
    file offset ``end``.

    ``indexes`` holds one ``array('q')`` per partition (``1 << bits`` of them): a line whose ocid
    hashes to ``h`` goes to ``indexes[h >> (32 - bits)]``. Returns (bytes of ``chunk`` used, lines
    indexed, whether a line starting at or after ``end`` was reached). Bytes after the last line
    break are not used: the caller passes them again with the next chunk (or with a line break
    added at the end of the file).
    """
    cdef const char* data = chunk
    cdef Py_ssize_t size = len(chunk)
    cdef Py_ssize_t position = 0
    cdef Py_ssize_t newline, first, last, cursor
    cdef const char* found
    cdef int shift = 32 - bits
    cdef Py_ssize_t count = 0
    cdef unsigned long digest
    while position < size:
        if base + position >= end:
            return position, count, True
        found = <const char*>memchr(data + position, b"\n", size - position)
        if found == NULL:
            break
        newline = found - data
        first, last = position, newline
        while first < last and _space(data[first]):
            first += 1
        while last > first and _space(data[last - 1]):
            last -= 1
        if last > first:
            cursor = -1
            if last - first > _PREFIX_SIZE and memcmp(data + first, _PREFIX, _PREFIX_SIZE) == 0:
                cursor = first + _PREFIX_SIZE
                while cursor < last and data[cursor] != b'"' and data[cursor] != b"\\":
                    cursor += 1
                if cursor == last or data[cursor] != b'"':
                    cursor = -1
            if cursor != -1:
                digest = crc32(chunk[first + _PREFIX_SIZE : cursor])
            else:
                digest = hash_of(chunk[first:last])
            (<object>indexes[digest >> shift]).extend((digest, base + first, last - first))
            count += 1
        position = newline + 1
    return position, count, False
