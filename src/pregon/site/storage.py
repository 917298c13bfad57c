"""Where collected static files go: hashed names, Brotli and gzip copies, compressed only once.

WhiteNoise's storage compresses every file again at each `collectstatic`, which `make run` runs
each time: about a minute of Brotli at its best level for the design system. This one keeps
the compressed copies an earlier run made when they still hold the file's content (checking
takes a decompression, a small fraction of the compression), and leaves alone the files nobody
downloads compressed.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Any

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Beside WhiteNoise's own list (images, fonts, archives): source maps, which only the browser's
# developer tools read, and TrueType fonts, which browsers that read WOFF2 never fetch.
NOT_COMPRESSED = ("map", "ttf")
_COPIES = ((".br", brotli.decompress), (".gz", gzip.decompress))


class KeptCompressor(Compressor):
    """A WhiteNoise compressor that reuses the compressed copies still current."""

    def compress(self, path: str) -> list[str]:
        """The compressed copies of ``path``: those already there if current, else new ones."""
        source = Path(path)
        content = source.read_bytes()
        kept = []
        for suffix, decompress in _COPIES:
            copy = source.with_name(source.name + suffix)
            try:
                if decompress(copy.read_bytes()) == content:
                    kept.append(str(copy))
            except (OSError, EOFError, zlib.error, brotli.error):
                continue  # absent or damaged: made again below
        if len(kept) == len(_COPIES):
            return kept
        made: list[str] = super().compress(path)
        return made


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, hashed storage, with ``KeptCompressor``."""

    def create_compressor(self, **kwargs: Any) -> Compressor:
        """A compressor that skips ``NOT_COMPRESSED`` too and keeps current copies."""
        skipped = kwargs.pop("extensions", None) or Compressor.SKIP_COMPRESS_EXTENSIONS
        return KeptCompressor(extensions=(*skipped, *NOT_COMPRESSED), **kwargs)
