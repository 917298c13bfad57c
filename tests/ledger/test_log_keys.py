"""The log's origin and keys: development key file, production requirement, system checks, keygen."""

from __future__ import annotations

import io
import stat
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from pregon.ledger import checks, keys, services
from pregon.tlog.checkpoint import (
    ALG_COSIGNATURE_V1,
    format_signer_key,
    generate_signer_key,
    open_checkpoint,
    parse_signer_key,
    parse_verifier_key,
)
from tests.ledger.conftest import ORIGIN, SIGNER, VKEY

pytestmark = pytest.mark.usefixtures("log_settings")


@pytest.mark.parametrize(
    ("site_url", "origin"),
    [
        ("https://compras.example.org", "compras.example.org/pregon/log"),
        ("https://Compras.Example.org/portal/", "compras.example.org/pregon/log"),
        ("http://127.0.0.1:8000", "127.0.0.1:8000/pregon/log"),
    ],
)
def test_the_origin_comes_from_the_site_address_unless_set(
    log_settings: Any, site_url: str, origin: str
) -> None:
    log_settings.PREGON_LOG_ORIGIN = ""
    log_settings.SITE_URL = site_url
    assert keys.log_origin() == origin
    log_settings.PREGON_LOG_ORIGIN = "gob.example/compras"
    assert keys.log_origin() == "gob.example/compras"


def test_the_configured_keys_sign_and_the_first_is_current(log_settings: Any) -> None:
    other = generate_signer_key(ORIGIN)
    log_settings.PREGON_LOG_SIGNER_KEY = (
        f"  {format_signer_key(SIGNER)}  {format_signer_key(other)}\n"
    )
    assert keys.signer_keys() == [SIGNER, other]
    assert keys.verifier_keys() == [SIGNER.verifier, other.verifier]
    cosigner = keys.cosigner_key()
    assert (cosigner.name, cosigner.algorithm, cosigner.seed) == (
        ORIGIN,
        ALG_COSIGNATURE_V1,
        SIGNER.seed,
    )


def test_outside_production_a_key_file_is_created_once_with_private_permissions(
    log_settings: Any,
) -> None:
    log_settings.PREGON_LOG_SIGNER_KEY = ""
    path = log_settings.VAR_DIR / "log-signer.key"
    first = keys.signer_keys()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert parse_signer_key(path.read_text().strip()) == first[0]
    keys._load_keys.cache_clear()
    assert keys.signer_keys() == first
    assert first[0].name == ORIGIN

    # The development key follows the origin: same seed, the new name.
    log_settings.PREGON_LOG_ORIGIN = "other.example/pregon/log"
    renamed = keys.signer_keys()[0]
    assert (renamed.name, renamed.seed) == ("other.example/pregon/log", first[0].seed)


def test_production_refuses_to_sign_without_a_configured_key(log_settings: Any) -> None:
    log_settings.PREGON_LOG_SIGNER_KEY = ""
    log_settings.PRODUCTION = True
    with pytest.raises(
        ImproperlyConfigured, match="PREGON_LOG_SIGNER_KEY must be set in production"
    ):
        keys.signer_keys()
    assert not (log_settings.VAR_DIR / "log-signer.key").exists()
    [error] = checks.check_log_keys()
    assert error.id == "ledger.E001"
    assert error.msg == (
        "PREGON_LOG_SIGNER_KEY is not set: the transparency log cannot sign checkpoints."
    )
    assert "pregon log keygen" in error.hint


def test_the_checks_pass_with_a_good_key_and_name_what_is_wrong_otherwise(
    log_settings: Any,
) -> None:
    log_settings.PRODUCTION = True
    assert checks.check_log_keys() == []

    log_settings.PREGON_LOG_SIGNER_KEY = format_signer_key(
        generate_signer_key("elsewhere.example/log")
    )
    [error] = checks.check_log_keys()
    assert error.id == "ledger.E003"
    assert "named 'elsewhere.example/log', but the log's origin is" in error.msg

    log_settings.PREGON_LOG_SIGNER_KEY = "PRIVATE+KEY+garbage"
    assert [e.id for e in checks.check_log_keys()] == ["ledger.E003"]

    log_settings.PREGON_LOG_ORIGIN = "two words"
    assert [e.id for e in checks.check_log_keys()] == ["ledger.E002"]


def test_keygen_prints_a_secret_key_and_its_verifier_key() -> None:
    out = io.StringIO()
    call_command("log", "keygen", "--origin", "compras.gob.example/pregon/log", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("# Secret: set this as PREGON_LOG_SIGNER_KEY")
    secret = parse_signer_key(lines[1])
    assert lines[2].startswith("# Public: publish this verifier key")
    assert parse_verifier_key(lines[3]) == secret.verifier
    assert secret.name == "compras.gob.example/pregon/log"


@pytest.mark.django_db
def test_log_checkpoint_and_status_commands() -> None:
    services.leaf_append(kind="release", data=b"{}", ref="r")
    out = io.StringIO()
    call_command("log", "checkpoint", stdout=out)
    note = out.getvalue()
    assert open_checkpoint(note, origin=ORIGIN, verifiers=[SIGNER.verifier]).checkpoint.size == 1
    out = io.StringIO()
    call_command("log", "checkpoint", stdout=out)
    assert out.getvalue() == "The latest checkpoint already covers the log.\n"
    out = io.StringIO()
    call_command("log", "status", stdout=out)
    text = out.getvalue()
    assert f"Origin: {ORIGIN}\nLeaves: 1\nLatest checkpoint: 1 leaves" in text
    assert f"Verifier key: {VKEY}\n" in text
