"""Release packages and record packages, written as a stream (items are never all in memory)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import orjson

from pregon.ocds.schema import EXTENSION_URLS, OCDS_VERSION


def now_iso() -> str:
    """Return the current UTC time as an OCDS date-time (``YYYY-MM-DDThh:mm:ssZ``)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PackageMetadata:
    """The metadata fields of a release or record package.

    ``published_date`` defaults to now; ``extensions`` to the four extensions of the patched schema.
    """

    uri: str = "https://example.org/ocds/package.json"
    publisher_name: str = "Pregón"
    publisher_scheme: str | None = None
    publisher_uid: str | None = None
    publisher_uri: str | None = None
    published_date: str = field(default_factory=now_iso)
    license: str | None = None
    publication_policy: str | None = None
    extensions: tuple[str, ...] = EXTENSION_URLS
    version: str = OCDS_VERSION

    def as_dict(self) -> dict[str, Any]:
        """Return the metadata as the package's fields, in the schema's order, omitting unset ones."""
        publisher: dict[str, Any] = {"name": self.publisher_name}
        for key, value in (
            ("scheme", self.publisher_scheme),
            ("uid", self.publisher_uid),
            ("uri", self.publisher_uri),
        ):
            if value is not None:
                publisher[key] = value
        data: dict[str, Any] = {
            "uri": self.uri,
            "version": self.version,
            "extensions": list(self.extensions),
            "publishedDate": self.published_date,
            "publisher": publisher,
        }
        if self.license is not None:
            data["license"] = self.license
        if self.publication_policy is not None:
            data["publicationPolicy"] = self.publication_policy
        if not self.extensions:
            del data["extensions"]
        return data

    @classmethod
    def from_package(cls, package: dict[str, Any], **overrides: Any) -> PackageMetadata:
        """Build metadata from an input package's fields (unknown or malformed fields are ignored)."""
        raw_publisher = package.get("publisher")
        publisher: dict[str, Any] = raw_publisher if isinstance(raw_publisher, dict) else {}
        values: dict[str, Any] = {}
        for attribute, value in (
            ("uri", package.get("uri")),
            ("publisher_name", publisher.get("name")),
            ("publisher_scheme", publisher.get("scheme")),
            ("publisher_uid", publisher.get("uid")),
            ("publisher_uri", publisher.get("uri")),
            ("license", package.get("license")),
            ("publication_policy", package.get("publicationPolicy")),
        ):
            if isinstance(value, str):
                values[attribute] = value
        extensions = package.get("extensions")
        if isinstance(extensions, list) and all(isinstance(url, str) for url in extensions):
            values["extensions"] = tuple(dict.fromkeys([*EXTENSION_URLS, *extensions]))
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


def _write_package(
    out: IO[bytes], metadata: PackageMetadata, key: str, items: Iterable[bytes | dict[str, Any]]
) -> int:
    head = orjson.dumps(metadata.as_dict())
    out.write(head[:-1] + b',"' + key.encode() + b'":[')
    count = 0
    for item in items:
        if count:
            out.write(b",")
        out.write(item if isinstance(item, bytes) else orjson.dumps(item))
        count += 1
    out.write(b"]}\n")
    return count


def write_release_package(
    out: IO[bytes],
    releases: Iterable[bytes | dict[str, Any]],
    metadata: PackageMetadata | None = None,
) -> int:
    """Write a release package holding ``releases`` (dicts, or serialised JSON bytes); return the count."""
    return _write_package(out, metadata or PackageMetadata(), "releases", releases)


def write_record_package(
    out: IO[bytes],
    records: Iterable[bytes | dict[str, Any]],
    metadata: PackageMetadata | None = None,
) -> int:
    """Write a record package holding ``records`` (dicts, or serialised JSON bytes); return the count."""
    return _write_package(out, metadata or PackageMetadata(), "records", records)


def release_package(
    releases: Iterable[dict[str, Any]], metadata: PackageMetadata | None = None
) -> dict[str, Any]:
    """Return a release package (a dict) holding ``releases``."""
    return {**(metadata or PackageMetadata()).as_dict(), "releases": list(releases)}


def record_package(
    records: Iterable[dict[str, Any]], metadata: PackageMetadata | None = None
) -> dict[str, Any]:
    """Return a record package (a dict) holding ``records``."""
    return {**(metadata or PackageMetadata()).as_dict(), "records": list(records)}


def linked_release(release: dict[str, Any], package_uri: str) -> dict[str, Any]:
    """Return the linked-release form of a release for a record: its URL, date and tag."""
    return {
        "url": f"{package_uri}#{release.get('id')}",
        "date": release.get("date"),
        "tag": release.get("tag"),
    }


def make_record(
    ocid: str,
    releases: list[dict[str, Any]] | list[bytes],
    compiled: dict[str, Any],
    versioned: dict[str, Any] | None = None,
) -> bytes:
    """Serialise a record: ``ocid``, the releases (embedded, or linked), the compiled and the versioned release."""
    if releases and isinstance(releases[0], bytes):
        body = b"[" + b",".join(releases) + b"]"
    else:
        body = orjson.dumps(releases)
    parts = [
        b'{"ocid":',
        orjson.dumps(ocid),
        b',"releases":',
        body,
        b',"compiledRelease":',
        orjson.dumps(compiled),
    ]
    if versioned is not None:
        parts += [b',"versionedRelease":', orjson.dumps(versioned)]
    parts.append(b"}")
    return b"".join(parts)
