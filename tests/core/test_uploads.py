"""Uploaded documents: bounded size, and a type decided by content (pregon.core.uploads)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pregon.core.errors import ValidationFailed
from pregon.core.uploads import _SIGNATURES, _TEXT, ALLOWED_TYPES, check_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(32)
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(64)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(64)
# How puremagic recognizes a PDF: "%PDF" at the start, or after a leading CR LF.
PDF_STARTS = (b"%PDF", b"\r\n%PDF")
# Puremagic reads its signature table on first use; no example should pay for that alone.
SLOW_OK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def named(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes) -> str | None:
    """The code of the refusal, or None when the upload is accepted."""
    try:
        check_upload(named(name, content))
    except ValidationFailed as error:
        assert error.field == "file"
        return error.code
    return None


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bases.pdf", PDF, "application/pdf"),
        ("BASES.PDF", b"\r\n" + PDF, "application/pdf"),
        ("plano.png", PNG, "image/png"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("anexos.zip", ZIP, "application/zip"),
        (
            "oferta.docx",
            ZIP,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("precios.xlsx", ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("texto.odt", ZIP, "application/vnd.oasis.opendocument.text"),
        ("precios.csv", "ítem;precio\nsilla;12.500\n".encode(), "text/csv"),
        ("notas.txt", "Año 2026 — señal ✓".encode(), "text/plain"),
    ],
)
def test_accepted_files(name: str, content: bytes, content_type: str) -> None:
    checked = check_upload(named(f"/tmp/../{name}", content))
    assert checked.filename == name
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    # The file can be read again from the start to be stored.
    assert checked.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("vacío.pdf", b"", "empty_file"),
        ("setup.exe", EXE, "file_type_not_allowed"),
        ("script.js", b"alert(1)", "file_type_not_allowed"),
        ("sin-extension", PDF, "file_type_not_allowed"),
        ("bases.pdf.exe", PDF, "file_type_not_allowed"),
        ("bases.pdf", EXE, "file_content_mismatch"),
        ("bases.pdf", ZIP, "file_content_mismatch"),
        ("bases.pdf", b"just text, not a PDF", "file_content_mismatch"),
        ("plano.png", JPEG, "file_content_mismatch"),
        ("oferta.docx", EXE, "file_content_mismatch"),
        ("notas.txt", b"abc\x00def", "file_content_mismatch"),
        ("notas.txt", b"\xff\xfe\xfd latin-1 is not utf-8", "file_content_mismatch"),
        ("precios.csv", EXE, "file_content_mismatch"),
    ],
)
def test_refused_files(name: str, content: bytes, code: str) -> None:
    assert refusal(name, content) == code


def test_the_size_limit_comes_from_the_settings(settings: Any) -> None:
    settings.PREGON_MAX_UPLOAD_BYTES = len(PDF)
    assert refusal("bases.pdf", PDF) is None
    settings.PREGON_MAX_UPLOAD_BYTES = len(PDF) - 1
    with pytest.raises(ValidationFailed) as info:
        check_upload(named("bases.pdf", PDF))
    assert info.value.code == "file_too_large"
    assert str(info.value) == (
        f"The file is too large ({len(PDF)}\xa0bytes); the limit is {len(PDF) - 1}\xa0bytes."
    )


def test_text_is_checked_beyond_its_first_kilobytes() -> None:
    # Past the 8 KiB sample that binary types are recognized by.
    assert refusal("notas.txt", b"a" * 70_000 + b"\x00") == "file_content_mismatch"
    assert refusal("notas.txt", b"a" * 70_000 + b"\xff") == "file_content_mismatch"
    assert refusal("notas.txt", b"a" * 70_000 + "ñ".encode()) is None


def on_disk(name: str, content: bytes) -> TemporaryUploadedFile:
    """A large upload as Django hands it over: a temporary file, read in 64 KiB chunks."""
    upload = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    upload.write(content)
    upload.seek(0)
    return upload


def test_files_on_disk_are_checked_chunk_by_chunk() -> None:
    split = b"a" * 65_535 + "ñandú".encode()  # the ñ straddles the first two chunks
    with on_disk("notas.txt", split) as upload:
        assert next(len(chunk) for chunk in upload.chunks()) == 65_536
        assert check_upload(upload).sha256 == hashlib.sha256(split).hexdigest()
    with on_disk("notas.txt", b"a" * 200_000 + b"\x00") as upload, pytest.raises(ValidationFailed):
        check_upload(upload)
    with (
        on_disk("notas.txt", b"a" * 65_535 + "ñ".encode()[:1]) as upload,
        pytest.raises(ValidationFailed),
    ):
        check_upload(upload)


@SLOW_OK
@given(st.binary(min_size=1, max_size=2048))
@example(b"%PDF-1.4 then anything")
@example(b"\r\n%PDF-1.4")
@example(b"%PD")
@example(b" %PDF-1.4")
def test_bytes_named_pdf_are_accepted_only_if_they_start_like_a_pdf(content: bytes) -> None:
    code = refusal("documento.pdf", content)
    if content.startswith(PDF_STARTS):
        assert code is None
    else:
        assert code == "file_content_mismatch"


@SLOW_OK
@given(st.binary(max_size=1024), st.binary(max_size=1024))
def test_a_pdf_header_makes_any_content_a_pdf_by_type(prefix: bytes, rest: bytes) -> None:
    # The type check recognizes formats, it does not validate them: what follows is not read.
    assert refusal("documento.pdf", b"%PDF-" + prefix + rest) is None


@SLOW_OK
@given(st.text(), st.text(), st.sampled_from([".txt", ".csv"]))
def test_text_files_with_nul_bytes_are_refused(before: str, after: str, extension: str) -> None:
    content = before.encode() + b"\x00" + after.encode()
    assert refusal(f"notas{extension}", content) == "file_content_mismatch"


@SLOW_OK
@given(st.text(min_size=1).filter(lambda text: "\x00" not in text))
def test_any_utf8_text_without_nul_bytes_is_accepted(text: str) -> None:
    assert refusal("notas.txt", text.encode()) is None


def test_every_allowed_extension_has_a_content_check() -> None:
    assert set(ALLOWED_TYPES) == set(_SIGNATURES) | _TEXT
