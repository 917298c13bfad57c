"""Settings: production passes `collectstatic` and `check --deploy`, and a missing secret stops
start-up; development shows the platform as visitors meet it; addresses follow the port served.

Each test starts the real `pregon` command in a fresh process with a production environment,
as an operator would, since settings are read once per process.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

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


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="not about the suite's database: it runs once, in the SQLite pass",
)
def test_collectstatic_and_check_deploy_pass_in_production(
    tmp_path: Path, production: dict[str, str]
) -> None:
    """What docs/operations.md has an operator run at each release, in this order."""
    static_root = tmp_path / "static"
    collected = run_pregon(
        tmp_path, "collectstatic", "--no-input", STATIC_ROOT=str(static_root), **production
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/uswds/css/uswds.min.css"]
    assert re.fullmatch(r"vendor/uswds/css/uswds\.min\.[0-9a-f]{12}\.css", hashed)
    for suffix in ("", ".gz", ".br"):
        assert (static_root / f"{hashed}{suffix}").is_file()
    # The design system's source map, which its CSS names, is collected (and hashed) too.
    assert "vendor/uswds/css/uswds.min.css.map" in manifest["paths"]

    checked = run_pregon(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        STATIC_ROOT=str(static_root), **production,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


def settings_of(tmp_path: Path, *names: str, **environment: str) -> dict[str, Any]:
    """The named settings (and the log's origin) as a fresh `pregon` process reads them."""
    code = (
        "import json; from django.conf import settings; from pregon.ledger.keys import "
        f"log_origin; print(json.dumps({{n: str(getattr(settings, n)) for n in {list(names)!r}}}"
        " | {'log_origin': log_origin()}))"
    )
    result = run_pregon(tmp_path, "shell", "-c", code, **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_development_shows_the_platform_as_visitors_meet_it(tmp_path: Path) -> None:
    names = ("DEBUG", "STATIC_COLLECTED", "ALLOWED_HOSTS")
    development = settings_of(tmp_path, *names, PREGON_ENV="development")
    assert development["DEBUG"] == "False"
    assert development["STATIC_COLLECTED"] == "True"
    assert development["ALLOWED_HOSTS"] == str(["127.0.0.1", "localhost", "[::1]", "testserver"])
    debugging = settings_of(tmp_path, *names, PREGON_ENV="development", PREGON_DEBUG="1")
    assert (debugging["DEBUG"], debugging["STATIC_COLLECTED"]) == ("True", "False")


ADDRESSES = ("SITE_URL", "PREGON_PUBLISHER_URI", "PREGON_PUBLICATION_POLICY_URL")


def test_without_site_url_the_addresses_follow_the_port(tmp_path: Path) -> None:
    assert settings_of(tmp_path, *ADDRESSES, PREGON_ENV="development", PORT="18800") == {
        "SITE_URL": "http://127.0.0.1:18800",
        "PREGON_PUBLISHER_URI": "http://127.0.0.1:18800",
        "PREGON_PUBLICATION_POLICY_URL": "http://127.0.0.1:18800/data/#policy",
        "log_origin": "127.0.0.1:18800/pregon/log",
    }
    site = {"SITE_URL": "https://compras.example.org/"}
    assert settings_of(tmp_path, *ADDRESSES, PREGON_ENV="development", PORT="18800", **site) == {
        "SITE_URL": "https://compras.example.org",
        "PREGON_PUBLISHER_URI": "https://compras.example.org",
        "PREGON_PUBLICATION_POLICY_URL": "https://compras.example.org/data/#policy",
        "log_origin": "compras.example.org/pregon/log",
    }
    refused = run_pregon(tmp_path, "check", PREGON_ENV="development", PORT="eighty")
    assert refused.returncode != 0
    assert "PORT must be a port number (1 to 65535)." in refused.stderr


def test_with_debug_pages_a_log_line_is_printed_once(tmp_path: Path) -> None:
    """Django's own console handler (DEBUG only) printed every task line a second time."""
    code = "import logging; logging.getLogger('django.tasks').info('Task 7 finished')"
    result = run_pregon(tmp_path, "shell", "-c", code, PREGON_ENV="development", PREGON_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Task 7 finished") == 1
