"""Checks every uploaded document before it is stored: bounded size, allowed type by content.

The type is decided from the file's bytes (puremagic), not from the name or the browser's
claim, and the two must agree, so a renamed executable is refused.

The size is also bounded while the request arrives, for the JSON API: a body announced larger
than the limit is refused before it is read, and an upload stops being read (and written to a
temporary file) as soon as it passes the limit, whatever its announced length.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from pregon.core.errors import ValidationFailed
from pregon.core.problems import PayloadTooLarge

# Extension -> MIME type recorded for it. Office formats are ZIP containers, sniffed as such.
ALLOWED_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".zip": "application/zip",
}
# What the content must look like for each extension ("text" = valid UTF-8 without NUL bytes).
_SIGNATURES: dict[str, set[str]] = {
    ".pdf": {".pdf"},
    ".png": {".png"},
    ".jpg": {".jpg", ".jpeg"},
    ".jpeg": {".jpg", ".jpeg"},
    ".docx": {".docx", ".zip"},
    ".xlsx": {".xlsx", ".zip"},
    ".odt": {".odt", ".zip"},
    ".ods": {".ods", ".zip"},
    ".zip": {".zip"},
}
_TEXT = {".csv", ".txt"}


@dataclass(frozen=True, kw_only=True)
class CheckedUpload:
    """An upload that passed the checks, with the facts stored beside it."""

    file: UploadedFile
    filename: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse an upload that is empty, too large, or whose content does not match its type."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed(_("The file is empty."), field="file", code="empty_file")
    limit = settings.PREGON_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationFailed(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="file",
            code="file_too_large",
        )
    if extension not in ALLOWED_TYPES:
        raise ValidationFailed(
            _("Files of this type are not accepted. Accepted types: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED_TYPES))},
            field="file",
            code="file_type_not_allowed",
        )
    digest = hashlib.sha256()
    head = b""
    # Text is checked through the whole file, not only its start: a NUL byte or invalid UTF-8
    # after the first kilobytes still makes it something other than text.
    text = _TextCheck() if extension in _TEXT else None
    for chunk in upload.chunks():
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
        if text is not None:
            text.feed(chunk)
    upload.seek(0)
    matches = text.finish() if text is not None else _content_matches(extension, head)
    if not matches:
        raise ValidationFailed(
            _(
                "The file's content does not match its name (%(name)s). Save it again in the "
                "right format and retry."
            )
            % {"name": name},
            field="file",
            code="file_content_mismatch",
        )
    return CheckedUpload(
        file=upload,
        filename=name,
        content_type=ALLOWED_TYPES[extension],
        size=size,
        sha256=digest.hexdigest(),
    )


class _TextCheck:
    """Whether a file read chunk by chunk is UTF-8 text without NUL bytes."""

    def __init__(self) -> None:
        # Incremental, so a character split between two chunks is still read as one.
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._ok = True

    def feed(self, chunk: bytes) -> None:
        if not self._ok:
            return
        try:
            self._decoder.decode(chunk)
        except UnicodeDecodeError:
            self._ok = False
        else:
            self._ok = b"\x00" not in chunk

    def finish(self) -> bool:
        if self._ok:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._ok = False
        return self._ok


def _content_matches(extension: str, head: bytes) -> bool:
    try:
        found = {match.extension.lower() for match in puremagic.magic_string(head)}
    except puremagic.PureError:
        return False
    return bool(found & _SIGNATURES[extension])


# ---------------------------------------------------------------------------------------------
# while the request arrives


def body_too_large() -> PayloadTooLarge:
    """The refusal of a body (other than an upload) over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    return PayloadTooLarge(
        _("The request body is too large; the limit is %(limit)s.")
        % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    )


def upload_too_large() -> PayloadTooLarge:
    """The refusal of an upload over PREGON_MAX_UPLOAD_BYTES."""
    return PayloadTooLarge(
        _("The file is too large; the limit is %(limit)s.")
        % {"limit": filesizeformat(settings.PREGON_MAX_UPLOAD_BYTES)},
        field="file",
    )


def request_too_large(request: HttpRequest) -> PayloadTooLarge | None:
    """The refusal of a request whose announced length is over the limit, before reading it.

    A form may carry one file up to PREGON_MAX_UPLOAD_BYTES beside its other fields (bounded
    by DATA_UPLOAD_MAX_MEMORY_SIZE, which also leaves room for the multipart boundaries);
    any other body is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE alone, as Django reads it.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # Django refuses a malformed length itself when the body is read.
    if request.content_type == "multipart/form-data":
        if length > settings.PREGON_MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return upload_too_large()
    elif length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return body_too_large()
    return None


class UploadLimit(FileUploadHandler):
    """Stops reading a file as soon as it passes PREGON_MAX_UPLOAD_BYTES.

    First of the request's upload handlers: it passes each chunk on to the next one (memory
    or temporary file) and raises `PayloadTooLarge` instead of the chunk past the limit.
    """

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        """Pass the chunk on, unless the file now exceeds the limit."""
        if start + len(raw_data) > settings.PREGON_MAX_UPLOAD_BYTES:
            raise upload_too_large()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        """Leave the file to the next handler (None: this one builds no file)."""


def limit_uploads(request: HttpRequest) -> None:
    """Have the request's files read through `UploadLimit` (before anything reads them)."""
    request.upload_handlers.insert(0, UploadLimit(request))
