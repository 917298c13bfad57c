"""Production settings: `pregon check --deploy` passes, and a missing secret stops start-up.

Each test starts the real `pregon` command in a fresh process with a production environment,
as an operator would, since settings are read once per process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from pregon.ledger.keys import origin_for_site
from pregon.tlog.checkpoint import format_signer_key, generate_signer_key

PREGON = Path(sys.executable).with_name("pregon")
# Only what a process needs to run: nothing from the developer's or the CI's shell (a
# DATABASE_URL, DEBUG, the test suite's DJANGO_ALLOW_ASYNC_UNSAFE...) may change the check.
_PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def run_pregon(tmp_path: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {key: os.environ[key] for key in _PASSED_ON if key in os.environ}
    env.update({"PREGON_ENV": "production", "PREGON_VAR_DIR": str(tmp_path / "var")})
    env["PREGON_LANGUAGE"] = "en"  # the assertions read English, whatever the machine's locale
    env.update(environment)
    return subprocess.run(
        [str(PREGON), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    """The variables production requires: the secrets, the host, the database."""
    site = "https://example.org"
    return {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'pregon.sqlite3'}",
        "SITE_URL": site,
        # What `pregon log keygen` prints, for this instance's transparency log.
        "PREGON_LOG_SIGNER_KEY": format_signer_key(generate_signer_key(origin_for_site(site))),
    }


def test_check_deploy_passes_in_production(tmp_path: Path, production: dict[str, str]) -> None:
    result = run_pregon(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start(
    tmp_path: Path, production: dict[str, str]
) -> None:
    del production["SECRET_KEY"]
    result = run_pregon(tmp_path, "check", **production)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production (50+ random characters)." in result.stderr


def test_an_unknown_environment_is_refused(tmp_path: Path, production: dict[str, str]) -> None:
    result = run_pregon(tmp_path, "check", **{**production, "PREGON_ENV": "staging"})
    assert result.returncode != 0
    assert "PREGON_ENV must be development, test or production." in result.stderr
