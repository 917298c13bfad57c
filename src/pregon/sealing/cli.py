"""Command line of a committee member's key: ``pregon keys generate --out FILE``.

Makes an X25519 key pair on this machine, writes the private key to a passphrase-protected key
file (``pregon-committee-key/1``, readable by its owner only) and prints the fingerprint and the
public key to register; the private key never leaves the file. Like ``pregon ocds`` it needs no
database and no Django settings, and speaks English.

The passphrase is read, first found: ``--passphrase-file FILE`` (its first line), the
``PREGON_KEY_PASSPHRASE`` environment variable, or typed twice at a prompt. Exit codes: 0 done,
2 bad usage, an existing output file or an unacceptable passphrase.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from pregon.sealing._codec import b64encode
from pregon.sealing.hpke import fingerprint, generate_member_key
from pregon.sealing.keyfile import keyfile_write

PASSPHRASE_VARIABLE = "PREGON_KEY_PASSPHRASE"  # noqa: S105 (a variable name, not a secret)
MIN_PASSPHRASE = 8


class UsageError(Exception):
    """Something the person running the command can fix; the message says what."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pregon keys",
        description="Manage your opening key as a member of a tender's opening committee.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    generate = commands.add_parser(
        "generate",
        help="make a key pair and write it to a passphrase-protected key file",
        description=(
            "Make an X25519 key pair, write the private key to FILE protected by a passphrase "
            "(scrypt and AES-256-GCM), and print the public key to register."
        ),
    )
    generate.add_argument(
        "--out", required=True, metavar="FILE", help="the key file to create (never overwritten)"
    )
    generate.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=f"read the passphrase from the first line of FILE (else ${PASSPHRASE_VARIABLE}, "
        "else a prompt)",
    )
    return parser


def _passphrase(args: argparse.Namespace) -> str:
    if args.passphrase_file:
        try:
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            msg = f"cannot read the passphrase file {args.passphrase_file}: {error}"
            raise UsageError(msg) from error
        passphrase = text.splitlines()[0] if text else ""
    elif os.environ.get(PASSPHRASE_VARIABLE):
        passphrase = os.environ[PASSPHRASE_VARIABLE]
    else:
        try:
            passphrase = getpass.getpass("Passphrase for the new key file: ")
            again = getpass.getpass("The same passphrase again: ")
        except EOFError as error:
            msg = (
                "no passphrase given; type it at the prompt, or pass --passphrase-file FILE or "
                f"set {PASSPHRASE_VARIABLE}"
            )
            raise UsageError(msg) from error
        if passphrase != again:
            msg = "the two passphrases differ; run the command again"
            raise UsageError(msg)
    if len(passphrase) < MIN_PASSPHRASE:
        msg = f"the passphrase must have at least {MIN_PASSPHRASE} characters"
        raise UsageError(msg)
    return passphrase


def _exists(path: Path) -> UsageError:
    return UsageError(
        f"{path} already exists; choose another name, or move it away first (it may hold a key "
        "you still need)"
    )


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``, readable and writable by its owner only; never replace it."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise _exists(path) from error
    except OSError as error:
        msg = f"cannot create {path}: {error.strerror}"
        raise UsageError(msg) from error
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), 0o600)  # whatever the umask
        file.write(data)


def _generate(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists():  # said before the prompt, so nobody types a passphrase for nothing
        raise _exists(out)
    passphrase = _passphrase(args)
    private_raw, public_raw = generate_member_key()
    _write_new(out, keyfile_write(private_raw, passphrase))
    sys.stdout.write(
        f"Wrote the key file {out} (readable by you only).\n"
        f"fingerprint: {fingerprint(public_raw)}\n"
        f"public key: {b64encode(public_raw)}\n"
        'Register the public key on the "My opening key" page (or POST {"public_key": ...} to '
        "/api/v1/committee-keys). Keep the key file and its passphrase: you need both at each "
        "opening.\n"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``pregon keys``; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return _generate(args)
    except UsageError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
