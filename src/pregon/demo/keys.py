"""The demo committee members' opening keys, and the key files a visitor opens bids with.

Each committee member of the demo makes an X25519 key pair as `pregon keys generate` does and
keeps the private half in a `pregon-committee-key/1` file whose passphrase is the demo password;
only the public half is registered (through the committee service). The demo's own openings
decrypt the shares with these files, and once the demo is built they are written to
`VAR_DIR/demo/committee-keys/<e-mail>.pregon-key`, where a visitor signed in as that member loads
one on the opening page.

Their scrypt cost is 2^12 rather than 2^17: the passphrase is published, so a higher cost would
protect nothing and only slow the demo down (as `world.DemoPasswordHasher` does for passwords).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from pregon.sealing import generate_member_key, keyfile_read, keyfile_write

KEY_COST = 2**12
SUFFIX = ".pregon-key"


@dataclass(frozen=True)
class DemoKey:
    """A committee member's key file, as their own device would keep it."""

    email: str
    public_key: bytes
    key_file: bytes

    def private_key(self, passphrase: str) -> bytes:
        """The raw private key, out of the key file opened with its passphrase."""
        private_raw, _public_raw = keyfile_read(self.key_file, passphrase)
        return private_raw


def demo_key_make(email: str, passphrase: str) -> DemoKey:
    """A fresh key pair for the committee member `email`, its private half in a key file
    protected by `passphrase` (the demo password)."""
    private_raw, public_raw = generate_member_key()
    return DemoKey(
        email=email,
        public_key=public_raw,
        key_file=keyfile_write(private_raw, passphrase, n=KEY_COST),
    )


def key_files_directory() -> Path:
    """Where the demo's key files are written (under the instance's VAR_DIR)."""
    return Path(settings.VAR_DIR) / "demo" / "committee-keys"


def key_file_path(email: str) -> Path:
    """The key file of the demo committee member `email`."""
    return key_files_directory() / f"{email}{SUFFIX}"


def key_files_write(keys: Iterable[DemoKey]) -> Path:
    """Write every key file (readable by their owner only) and remove those of an earlier
    demo, whose keys no longer exist; return the directory."""
    directory = key_files_directory()
    directory.mkdir(parents=True, exist_ok=True)
    written = set()
    for key in keys:
        target = key_file_path(key.email)
        _write_replacing(target, key.key_file)
        written.add(target.name)
    for stale in directory.glob(f"*{SUFFIX}"):
        if stale.name not in written:
            stale.unlink(missing_ok=True)
    return directory


def _write_replacing(target: Path, data: bytes) -> None:
    """Write `data` to `target` whole or not at all (a new file renamed over the old one)."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=SUFFIX)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(data)
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
