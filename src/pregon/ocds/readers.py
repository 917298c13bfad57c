"""Streaming readers: release and record packages, JSON arrays, JSON Lines and concatenated JSON.

Input may be a path, ``-`` (standard input) or a binary file object; gzip is recognised by its magic
bytes. Memory stays flat whatever the input size: packages and arrays are read item by item with
ijson (its C backend when available), JSON Lines line by line with orjson.

The format is decided from the first bytes:

* ``[`` -- a JSON array of releases, records or packages;
* ``{`` whose first line is a complete JSON value -- JSON Lines (each line a release, record or package);
* ``{`` otherwise -- one document: a release or record package (its ``releases`` or ``records`` array
  is streamed), or one or more concatenated releases or records.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson
import orjson

from pregon.ocds.errors import InputError

try:  # the C backend is several times faster than the pure Python one
    _ijson: Any = ijson.get_backend("yajl2_c")
except (ImportError, AttributeError):  # pragma: no cover - depends on the platform's wheel
    _ijson = ijson

PEEK_SIZE = 1 << 20
TAIL_SIZE = 4 << 20
GZIP_MAGIC = b"\x1f\x8b"
BOM = b"\xef\xbb\xbf"  # UTF-8's byte order mark, which some Windows tools put first
PACKAGE_ARRAYS = {"releases": "release", "records": "record"}

Source = str | Path | IO[bytes]


class _Chain(io.RawIOBase):
    """A raw stream that serves ``head`` and then the rest of ``stream``; optionally keeps a tail."""

    def __init__(
        self, head: bytes, stream: IO[bytes], tail: deque[bytes] | None = None, name: str = ""
    ) -> None:
        self.name = name or str(getattr(stream, "name", "the input"))
        self._head = memoryview(head)
        self._stream = stream
        self._tail = tail
        self._tail_size = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` from the head, then from the stream; return the byte count."""
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            data = bytes(buffer[:n]) if self._tail is not None else b""
        else:
            data = self._stream.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        if self._tail is not None and n:
            self._remember(data)
        return n

    def _remember(self, data: bytes) -> None:
        assert self._tail is not None
        self._tail.append(data)
        self._tail_size += len(data)
        while self._tail_size - len(self._tail[0]) >= TAIL_SIZE:
            self._tail_size -= len(self._tail.popleft())


def read_head(stream: IO[bytes], size: int) -> bytes:
    """Read the first ``size`` bytes of ``stream`` (fewer at its end), however many reads it takes."""
    parts = []
    total = 0
    while total < size:
        chunk = stream.read(size - total)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _rewind(
    stream: IO[bytes], head: bytes, tail: deque[bytes] | None = None, skipped: int = 0
) -> IO[bytes]:
    """Return a stream that reads ``head`` (read from ``stream`` after its first ``skipped``
    bytes) and then the rest."""
    if tail is None and head and _seekable(stream):
        stream.seek(skipped)
        return stream
    return io.BufferedReader(_Chain(head, stream, tail), buffer_size=1 << 16)


def replay(head: bytes, stream: IO[bytes], name: str) -> IO[bytes]:
    """Return a stream called ``name`` that reads ``head`` and then the rest of ``stream``: how a
    stream whose first bytes were already read is handed on."""
    return io.BufferedReader(_Chain(head, stream, name=name), buffer_size=1 << 16)


def is_stream(source: Source) -> bool:
    """Whether ``source`` can only be read once, front to back: ``-`` (standard input, whatever
    it is connected to) or a binary file object that cannot seek (a pipe, a socket)."""
    if isinstance(source, (str, Path)):
        return str(source) == "-"
    return not _seekable(source)


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return stream.seekable() and not isinstance(stream, gzip.GzipFile)
    except (AttributeError, ValueError):
        return False


def open_binary(source: Source) -> tuple[IO[bytes], bool]:
    """Open ``source`` (a path, ``-`` for standard input, or a binary file object) for reading.

    Returns the stream (gzip decompressed when the data starts with gzip's magic bytes) and whether
    the toolkit opened it (and so must close it).
    """
    if isinstance(source, (str, Path)):
        if str(source) == "-":
            raw: IO[bytes] = sys.stdin.buffer
            owned = False
        else:
            try:
                raw = Path(source).open("rb")  # noqa: SIM115 - closed by the caller
            except OSError as exc:
                raise InputError(
                    f"cannot open {source}: {exc.strerror or exc}",
                    "check the path, or pass - to read standard input",
                ) from exc
            owned = True
    else:
        raw, owned = source, False
    head = read_head(raw, 2)
    stream = _rewind(raw, head)
    if head == GZIP_MAGIC:
        stream = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
    return stream, owned


@dataclass
class Reader:
    """Iterate the releases or records in one input, whatever its container.

    Iterating yields parsed objects (dicts). ``kind`` is ``"release"`` or ``"record"`` once known
    (after the first item), ``container`` one of ``release_package``, ``record_package``, ``array``,
    ``lines`` or ``json``, and ``packages`` the metadata of each package read (every field but the
    ``releases``/``records`` array), filled in as the packages are read.
    """

    source: Source
    name: str = ""
    kind: str | None = None
    container: str | None = None
    packages: list[dict[str, Any]] = field(default_factory=list)
    _skipped: int = field(default=0, init=False, repr=False)  # bytes of a byte order mark

    def __post_init__(self) -> None:
        if self.name:
            return
        if isinstance(self.source, (str, Path)):
            self.name = "standard input" if str(self.source) == "-" else str(self.source)
        else:
            self.name = str(getattr(self.source, "name", "the input"))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for index, item in enumerate(self.iter_raw()):
            if isinstance(item, dict):
                yield item
                continue
            try:
                yield orjson.loads(item)
            except orjson.JSONDecodeError as exc:
                raise InputError(
                    f"{self.name}, item {index + 1} is not valid JSON: {exc}",
                    "each line of JSON Lines must be one complete JSON object",
                ) from exc

    def iter_raw(self) -> Iterator[dict[str, Any] | bytes]:
        """Yield each item, as the raw bytes of a JSON Lines line where possible, else parsed.

        Raw lines are not parsed here (the compile pipeline parses them in its workers); they are
        objects whose first byte is ``{``. Blank lines are skipped.
        """
        stream, owned = open_binary(self.source)
        try:
            yield from self._dispatch(stream)
        except (ijson.JSONError, ijson.IncompleteJSONError) as exc:
            raise InputError(
                f"{self.name} is not valid JSON: {exc}", "check the file is complete JSON"
            ) from exc
        except orjson.JSONDecodeError as exc:
            raise InputError(
                f"{self.name} is not valid JSON: {exc}", "check the file is complete JSON"
            ) from exc
        finally:
            if owned:
                stream.close()

    def _dispatch(self, stream: IO[bytes]) -> Iterator[dict[str, Any] | bytes]:
        head = read_head(stream, PEEK_SIZE)
        if head.startswith(BOM):  # a byte order mark, as some Windows tools write: not JSON
            head = head[len(BOM) :]
            self._skipped = len(BOM)
        start = len(head) - len(head.lstrip(b" \t\r\n"))
        first = head[start : start + 1]
        if not first:
            raise InputError(f"{self.name} is empty", "give a file with OCDS releases or records")
        if first == b"[":
            self.container = "array"
            for value in _ijson.items(
                _rewind(stream, head, skipped=self._skipped), "item", use_float=True
            ):
                yield from self._expand(value)
            return
        if first != b"{":
            raise InputError(
                f"{self.name} does not start with a JSON object or array (found {first!r})",
                "give OCDS JSON: a release or record package, an array, or JSON Lines",
            )
        newline = head.find(b"\n", start)
        if newline != -1 and _is_json(head[start:newline]):
            self.container = "lines"
            yield from self._lines(_rewind(stream, head, skipped=self._skipped))
            return
        yield from self._document(head, stream)

    def _lines(self, stream: IO[bytes]) -> Iterator[dict[str, Any] | bytes]:
        # The first line decides: packages are parsed and expanded line by line; releases and
        # records are passed on raw (the consumer parses them, possibly in another process).
        packages: bool | None = None
        for number, line in enumerate(stream, 1):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped[:1] != b"{":
                raise InputError(
                    f"{self.name}, line {number}: expected a JSON object, found {stripped[:20]!r}",
                    "each line of JSON Lines must be one release, record or package",
                )
            if packages is None:
                first = list(self._expand(self._parse(stripped, number)))
                packages = self.container == "lines" and bool(self.packages)
                if packages:
                    yield from first
                    continue
            if packages:
                yield from self._expand(self._parse(stripped, number))
            else:
                yield stripped

    def _parse(self, data: bytes, number: int) -> Any:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError(
                f"{self.name}, line {number} is not valid JSON: {exc}",
                "each line of JSON Lines must be one complete JSON object",
            ) from exc

    def _document(self, head: bytes, stream: IO[bytes]) -> Iterator[dict[str, Any] | bytes]:
        array_key, before = _package_prefix(head)
        if array_key is None:
            self.container = "json"
            for value in _ijson.items(
                _rewind(stream, head, skipped=self._skipped),
                "",
                multiple_values=True,
                use_float=True,
            ):
                yield from self._expand(value)
            return
        self.container = f"{PACKAGE_ARRAYS[array_key]}_package"
        self.kind = PACKAGE_ARRAYS[array_key]
        tail: deque[bytes] = deque()
        yield from _ijson.items(
            _rewind(stream, head, tail, self._skipped), f"{array_key}.item", use_float=True
        )
        metadata = dict(before)
        metadata.update(_package_suffix(b"".join(tail), self.name, array_key))
        self.packages.append(metadata)

    def _expand(self, value: Any) -> Iterator[dict[str, Any]]:
        if not isinstance(value, dict):
            raise InputError(
                f"{self.name} holds {_json_type(value)} where a release, record or package was expected",
                "give OCDS JSON objects",
            )
        for key, kind in PACKAGE_ARRAYS.items():
            if isinstance(value.get(key), list) and "ocid" not in value:
                self.kind = self.kind or kind
                self.packages.append({k: v for k, v in value.items() if k != key})
                for item in value[key]:
                    if not isinstance(item, dict):
                        raise InputError(f"{self.name}: an item of {key!r} is not a JSON object")
                    yield item
                return
        if self.kind is None:
            self.kind = (
                "record" if "compiledRelease" in value or "versionedRelease" in value else "release"
            )
        yield value


def json_lines_kind(source: Source) -> str | None:
    """``"release"`` or ``"record"`` if ``source`` is a plain (uncompressed) JSON Lines file of
    releases or records, which can then be split by byte ranges; else None."""
    if not isinstance(source, (str, Path)) or str(source) == "-" or not Path(source).is_file():
        return None
    with Path(source).open("rb") as f:
        return lines_kind(f.read(PEEK_SIZE))


def lines_kind(head: bytes) -> str | None:
    """``"release"`` or ``"record"`` if data starting with ``head`` (its first ``PEEK_SIZE``
    bytes, or all of it) is plain JSON Lines of releases or records; else None.

    Decided as :class:`Reader` decides: the first line, complete within ``head``, is one JSON
    object and neither a package nor compressed.
    """
    text = head.removeprefix(BOM)
    start = len(text) - len(text.lstrip(b" \t\r\n"))
    if head[:2] == GZIP_MAGIC or text[start : start + 1] != b"{":
        return None
    newline = text.find(b"\n", start)
    if newline == -1 or not _is_json(text[start:newline]):
        return None
    reader = Reader(io.BytesIO(text[start : newline + 1]))
    for _ in reader.iter_raw():
        break
    return reader.kind if reader.container == "lines" and not reader.packages else None


def seek_range_start(f: IO[bytes], start: int) -> int:
    """Move ``f`` to the first line that starts at or after byte ``start`` (past a byte order mark
    at the start of the file); return that position."""
    if start:
        f.seek(start - 1)
        f.readline()  # the line straddling ``start`` belongs to the range before
    elif f.read(len(BOM)) != BOM:
        f.seek(0)
    return f.tell()


def byte_range_lines(path: Source, start: int, end: int) -> Iterator[bytes]:
    """Yield the non-blank lines (stripped) that start in ``[start, end)`` of a file."""
    with Path(str(path)).open("rb") as f:
        position = seek_range_start(f, start)
        while position < end:
            line = f.readline()
            if not line:
                break
            position += len(line)
            stripped = line.strip()
            if stripped:
                yield stripped


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a string", list: "an array", type(None): "null"}.get(type(value), "a value")


def _is_json(data: bytes) -> bool:
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    return True


def _package_prefix(head: bytes) -> tuple[str | None, dict[str, Any]]:
    """Find whether ``head`` opens a package; return its array's key and the members before it."""
    before: dict[str, Any] = {}
    key: str | None = None
    builder: Any = None
    depth = 0
    seen_ocid = False
    try:
        for prefix, event, value in ijson.parse(
            io.BytesIO(head), multiple_values=True, use_float=True
        ):
            if builder is not None:
                builder.event(event, value)
                depth += (
                    1
                    if event in ("start_map", "start_array")
                    else -1
                    if event in ("end_map", "end_array")
                    else 0
                )
                if depth == 0:
                    before[key or ""] = builder.value
                    builder = None
            elif prefix == "" and event == "map_key":
                key = value
                seen_ocid = seen_ocid or value == "ocid"
            elif prefix == "" and event == "end_map":
                return None, {}
            elif key is not None and prefix == key:
                if event == "start_array" and key in PACKAGE_ARRAYS and not seen_ocid:
                    return key, before
                if event in ("start_map", "start_array"):
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    depth = 1
                else:
                    before[key] = value
    except ijson.IncompleteJSONError:
        pass
    except ijson.JSONError as exc:
        raise InputError(f"the input is not valid JSON: {exc}") from exc
    return None, {}


_TOKEN = re.compile(rb'[\[\]{}"]')


def _quote_start(text: bytes, end: int) -> int:
    """Return the index of the quote opening the JSON string whose closing quote is at ``end``."""
    position = end
    while True:
        position = text.rfind(b'"', 0, position)
        if position < 0:
            raise ValueError("unterminated string")
        before = position
        while before > 0 and text[before - 1] == 0x5C:
            before -= 1
        if (position - before) % 2 == 0:
            return position


def _value_start(text: bytes, end: int, limit: int) -> int:
    """Return the index where the JSON value ending at ``end`` starts, or -1 past ``limit`` bytes."""
    closer = text[end : end + 1]
    if closer == b'"':
        return _quote_start(text, end)
    if closer not in (b"]", b"}"):
        colon = text.rfind(b":", 0, end)
        return colon + 1 if colon >= 0 else -1
    floor = max(0, end - limit)
    reverse = text[floor : end + 1][::-1]
    depth = 0
    index = 0
    while True:
        match = _TOKEN.search(reverse, index)
        if match is None:
            return -1
        index = match.end()
        char = reverse[match.start()]
        if char == 0x22:  # a string, read backwards: skip to its unescaped opening quote
            while True:
                index = reverse.find(b'"', index)
                if index < 0:
                    return -1
                after = index + 1
                while after < len(reverse) and reverse[after] == 0x5C:
                    after += 1
                index += 1
                if (after - index) % 2 == 0:
                    break
        elif char in (0x5D, 0x7D):
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return end - match.start()


def _package_suffix(tail: bytes, name: str, array_key: str) -> dict[str, Any]:
    """Parse the package members that follow its ``releases``/``records`` array.

    ``tail`` holds the last bytes of a document that ijson has already checked to be valid JSON.
    Walk back from the closing brace member by member (``, "key": value``) until the array: a
    value whose start lies more than 64 KB back, or whose key is the array's key.
    """
    text = tail.rstrip()
    members: dict[str, Any] = {}
    end = len(text) - 1
    try:
        while True:
            end = len(text[:end].rstrip()) - 1
            start = _value_start(text, end, 1 << 16)
            if start < 0:
                return members
            colon = len(text[:start].rstrip()) - 1
            key_end = len(text[:colon].rstrip()) - 1
            key_start = _quote_start(text, key_end)
            key = orjson.loads(text[key_start : key_end + 1])
            if key == array_key:
                return members
            members[key] = orjson.loads(text[start : end + 1])
            end = len(text[:key_start].rstrip()) - 1
            if text[end : end + 1] != b",":
                return members
    except (ValueError, orjson.JSONDecodeError) as exc:
        raise InputError(
            f"{name}: the package fields after its array could not be read ({exc})",
            "put the package metadata before the releases or records",
        ) from exc
