"""``pregon keys generate``: a key file only its owner can read, and the public key to register."""

from __future__ import annotations

import base64
import getpass
import hashlib
import json
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pregon.cli import main
from pregon.sealing import keyfile_read
from pregon.sealing.cli import PASSPHRASE_VARIABLE

PASSPHRASE = "a long enough passphrase"


@pytest.fixture(autouse=True)
def no_passphrase_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_VARIABLE, raising=False)


@dataclass
class Terminal:
    """What the person types at each getpass prompt, in order, and the prompts shown."""

    answers: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Terminal]:
    """A terminal without input (getpass gets end of file) until answers are queued."""
    terminal = Terminal()

    def fake_getpass(prompt: str = "") -> str:
        terminal.prompts.append(prompt)
        if not terminal.answers:
            raise EOFError
        return terminal.answers.pop(0)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    yield terminal
    assert not terminal.answers, "every typed answer was read"


def printed_keys(out: str) -> tuple[str, bytes]:
    lines = dict(
        line.split(": ", 1)
        for line in out.splitlines()
        if line.startswith(("fingerprint: ", "public key: "))
    )
    public = base64.urlsafe_b64decode(lines["public key"] + "=" * (-len(lines["public key"]) % 4))
    return lines["fingerprint"], public


def test_it_writes_a_private_key_file_and_prints_what_to_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSPHRASE_VARIABLE, PASSPHRASE)
    out = tmp_path / "my-key.json"

    assert main(["keys", "generate", "--out", str(out)]) == 0

    printed = capsys.readouterr().out
    fingerprint, public = printed_keys(printed)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    _, public_raw = keyfile_read(out.read_bytes(), PASSPHRASE)
    assert public == public_raw
    assert fingerprint == hashlib.sha256(public_raw).hexdigest()
    assert json.loads(out.read_bytes())["kdf"]["N"] == 2**17
    assert f"Wrote the key file {out} (readable by you only)." in printed
    assert "/api/v1/committee-keys" in printed


def test_the_passphrase_is_typed_twice(
    tmp_path: Path, typed: Terminal, capsys: pytest.CaptureFixture[str]
) -> None:
    typed.answers += [PASSPHRASE, PASSPHRASE]
    out = tmp_path / "key.json"

    assert main(["keys", "generate", "--out", str(out)]) == 0

    keyfile_read(out.read_bytes(), PASSPHRASE)
    assert typed.prompts == ["Passphrase for the new key file: ", "The same passphrase again: "]
    assert "fingerprint: " in capsys.readouterr().out


def test_two_different_passphrases_write_nothing(
    tmp_path: Path, typed: Terminal, capsys: pytest.CaptureFixture[str]
) -> None:
    typed.answers += [PASSPHRASE, PASSPHRASE + "!"]
    out = tmp_path / "key.json"

    assert main(["keys", "generate", "--out", str(out)]) == 2

    assert not out.exists()
    assert capsys.readouterr().err == "error: the two passphrases differ; run the command again\n"


def test_without_a_terminal_or_passphrase_it_says_how_to_give_one(
    tmp_path: Path, typed: Terminal, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "key.json"

    assert main(["keys", "generate", "--out", str(out)]) == 2

    assert not out.exists()
    assert capsys.readouterr().err == (
        "error: no passphrase given; type it at the prompt, or pass --passphrase-file FILE or "
        "set PREGON_KEY_PASSPHRASE\n"
    )


def test_the_passphrase_file_wins_and_its_first_line_is_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_VARIABLE, "the variable's passphrase")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(f"{PASSPHRASE}\r\nsecond line\n", encoding="utf-8")
    out = tmp_path / "key.json"

    assert main(["keys", "generate", "--out", str(out), "--passphrase-file", str(secret)]) == 0

    keyfile_read(out.read_bytes(), PASSPHRASE)


@pytest.mark.parametrize("passphrase", ["", "short", "1234567"])
def test_a_short_passphrase_is_refused(
    passphrase: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text(passphrase, encoding="utf-8")
    out = tmp_path / "key.json"

    assert main(["keys", "generate", "--out", str(out), "--passphrase-file", str(secret)]) == 2

    assert not out.exists()
    assert capsys.readouterr().err == "error: the passphrase must have at least 8 characters\n"


def test_an_unreadable_passphrase_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"

    assert (
        main(["keys", "generate", "--out", str(tmp_path / "k"), "--passphrase-file", str(missing)])
        == 2
    )

    assert capsys.readouterr().err.startswith(f"error: cannot read the passphrase file {missing}: ")


def test_an_existing_file_is_never_overwritten_and_no_passphrase_is_asked(
    tmp_path: Path, typed: Terminal, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "key.json"
    out.write_bytes(b"an older key")

    assert main(["keys", "generate", "--out", str(out)]) == 2

    assert out.read_bytes() == b"an older key"
    assert typed.prompts == []
    assert capsys.readouterr().err == (
        f"error: {out} already exists; choose another name, or move it away first (it may hold a "
        "key you still need)\n"
    )


def test_a_directory_that_does_not_exist_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSPHRASE_VARIABLE, PASSPHRASE)
    out = tmp_path / "nowhere" / "key.json"

    assert main(["keys", "generate", "--out", str(out)]) == 2

    assert capsys.readouterr().err == f"error: cannot create {out}: No such file or directory\n"


def test_out_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["keys", "generate"])

    assert exited.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_the_command_runs_without_django(tmp_path: Path) -> None:
    out = tmp_path / "key.json"
    script = (
        "import sys\n"
        "from pregon.cli import main\n"
        f"code = main(['keys', 'generate', '--out', {str(out)!r}])\n"
        "print('django loaded' if 'django' in sys.modules else 'no django', code)\n"
    )

    completed = subprocess.run(
        [sys.executable, "-c", script],
        env={PASSPHRASE_VARIABLE: PASSPHRASE, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert completed.stdout.splitlines()[-1] == "no django 0"
    keyfile_read(out.read_bytes(), PASSPHRASE)
