"""A tiny PDF writer for the demo's tender documents.

The demo uploads its documents through the same service and checks as a buyer's upload, so it
needs real, valid PDF files. One page of Helvetica text is all a demo document holds; writing
those few objects by hand keeps the demo free of a PDF library. The output is deterministic:
the same text gives the same bytes (and so the same content hash).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

_PAGE_WIDTH, _PAGE_HEIGHT = 595, 842  # A4 in points
_MARGIN = 56
_WRAP = 92  # characters of 10-point Helvetica that fit between the margins
_MAX_LINES = 62


def _text(value: str) -> bytes:
    """A PDF string literal in WinAnsiEncoding (the standard fonts' Latin encoding)."""
    raw = value.encode("cp1252", errors="replace")
    escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + escaped + b")"


def _content(title: str, subtitle: str, paragraphs: Sequence[str], footer: str) -> bytes:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, _WRAP) or [""])
        lines.append("")
    lines = lines[:_MAX_LINES]
    out = [b"BT /F1 15 Tf %d %d Td " % (_MARGIN, _PAGE_HEIGHT - 80) + _text(title) + b" Tj ET"]
    out.append(
        b"BT /F2 10 Tf %d %d Td " % (_MARGIN, _PAGE_HEIGHT - 100) + _text(subtitle) + b" Tj ET"
    )
    body = [b"BT /F2 10 Tf 13 TL %d %d Td" % (_MARGIN, _PAGE_HEIGHT - 130)]
    for line in lines:
        body.append(_text(line) + b" Tj T*")
    body.append(b"ET")
    out.append(b"\n".join(body))
    out.append(b"BT /F2 8 Tf %d %d Td " % (_MARGIN, 40) + _text(footer) + b" Tj ET")
    return b"\n".join(out)


def render_pdf(
    *, title: str, subtitle: str, paragraphs: Sequence[str], footer: str, author: str = ""
) -> bytes:
    """One A4 page with a title, a subtitle line, wrapped paragraphs and a footer."""
    stream = _content(title, subtitle, paragraphs, footer)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        )
        % (_PAGE_WIDTH, _PAGE_HEIGHT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title " + _text(title) + b" /Author " + _text(author) + b" /Producer (Pregon) >>",
    ]
    # The binary comment on line 2 tells transfer tools the file is binary, as the spec advises.
    document = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(document)
    document += b"xref\n0 %d\n" % (len(objects) + 1)
    # Each cross-reference entry is exactly 20 bytes, end of line included.
    document += b"0000000000 65535 f \n"
    for offset in offsets:
        document += b"%010d 00000 n \n" % offset
    document += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\n" % (len(objects) + 1)
    document += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(document)
