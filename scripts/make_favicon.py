"""Draw Pregón's favicon (a white "P" on a rounded navy square) into src/pregon/web/root/.

The icon is a few shapes, drawn here rather than kept as an opaque binary: run this again after
changing them. Each size is a PNG inside one ICO file (16, 32 and 48 pixels), anti-aliased by
sampling every pixel 8 x 8 times. Needs only the standard library.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "pregon" / "web" / "root" / "favicon.ico"
SIZES = (16, 32, 48)
SAMPLES = 8
# The design system's primary-darker navy, and white.
NAVY = (0x16, 0x2E, 0x51)
WHITE = (0xFF, 0xFF, 0xFF)


def _inside_square(x: float, y: float) -> bool:
    """The rounded square, in a 32-unit box with corners of radius 6."""
    radius = 6.0
    cx = min(max(x, radius), 32 - radius)
    cy = min(max(y, radius), 32 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def _inside_letter(x: float, y: float) -> bool:
    """The "P": a stem, and a bowl made of a bar and a half ring."""
    stem = 9 <= x <= 13.5 and 6 <= y <= 26
    # The bowl: from y=6 to y=18 (centre 12, outer radius 6, inner radius 2 around the counter).
    bar = 9 <= x <= 17 and (6 <= y <= 10 or 14 <= y <= 18)
    distance = ((x - 17) ** 2 + (y - 12) ** 2) ** 0.5
    ring = x >= 17 and 2 <= distance <= 6
    return stem or bar or ring


def _pixels(size: int) -> bytes:
    """RGBA rows, each starting with PNG's filter byte 0."""
    rows = bytearray()
    scale = 32 / size
    for row in range(size):
        rows.append(0)
        for column in range(size):
            square = letter = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (column + (sx + 0.5) / SAMPLES) * scale
                    y = (row + (sy + 0.5) / SAMPLES) * scale
                    if _inside_square(x, y):
                        square += 1
                        letter += _inside_letter(x, y)
            total = SAMPLES * SAMPLES
            if square == 0:
                rows.extend((0, 0, 0, 0))
                continue
            # Colour: the letter's share of the covered samples; alpha: the square's coverage.
            share = letter / square
            rows.extend(round(n + (w - n) * share) for n, w in zip(NAVY, WHITE, strict=True))
            rows.append(round(255 * square / total))
    return bytes(rows)


def _png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(_pixels(size), 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    """Write the ICO: its header, one directory entry per size, then the PNGs."""
    images = [_png(size) for size in SIZES]
    offset = 6 + 16 * len(images)
    entries = b""
    for size, image in zip(SIZES, images, strict=True):
        entries += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(struct.pack("<HHH", 0, 1, len(images)) + entries + b"".join(images))


if __name__ == "__main__":
    main()
