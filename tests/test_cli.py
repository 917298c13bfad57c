"""The `pregon` command speaks the terminal's language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pregon.cli import terminal_language

PREGON = Path(sys.executable).with_name("pregon")


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "es_CO.UTF-8"}, "es"),
        ({"LANG": "pt_BR.UTF-8"}, "pt-br"),
        ({"LANG": "pt_PT.UTF-8"}, "pt-br"),  # the nearest Portuguese the platform has
        ({"LANG": "fr_CA.UTF-8@euro"}, "fr"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "es_ES.UTF-8"}, "fr"),
        ({"LC_ALL": "es_MX", "LC_MESSAGES": "fr_FR", "LANG": "en_US"}, "es"),
        ({"PREGON_LANGUAGE": "pt-br", "LC_ALL": "es_MX"}, "pt-br"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({"LC_ALL": "de_DE", "LANG": "es_ES"}, None),  # LC_ALL decides, even when unknown
        ({"LANG": ""}, None),
        ({}, None),
    ],
)
def test_the_language_comes_from_the_locale_variables(
    environ: dict[str, str], language: str | None
) -> None:
    assert terminal_language(environ) == language


@pytest.fixture(scope="module")
def command_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment without locale settings, on a fresh migrated SQLite database."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("LC_", "PREGON_"))
    }
    env.update(PREGON_VAR_DIR=str(tmp_path_factory.mktemp("var")), PREGON_ENV="development")
    env.pop("DATABASE_URL", None)
    env.pop("LANG", None)
    subprocess.run([PREGON, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    return env


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es_CO.UTF-8", "No se vigila ningún registro."),
        ("pt_BR.UTF-8", "Nenhum registro é observado."),
        ("fr_FR.UTF-8", "Aucun journal n'est surveillé."),
        ("C.UTF-8", "No log is watched."),
    ],
)
def test_command_output_follows_the_terminal(
    command_env: dict[str, str], lang: str, expected: str
) -> None:
    result = subprocess.run(
        [PREGON, "witness", "list"],
        check=False,
        env={**command_env, "LANG": lang},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(expected)


def test_the_ocds_commands_start_without_django() -> None:
    """Why cli.py imports Django inside `main`: `pregon ocds` starts fast, with no settings."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'django', 'ninja', 'allauth'})))\n"
        "from pregon.cli import main\n"
        "sys.exit(main(['ocds', '--help']))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
