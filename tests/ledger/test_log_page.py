"""/log/ as a page for people (issue 9, item 13): what the log is, its current checkpoint (size,
root hash, signatures), the verifier key and how to verify with `pregon verify`, in the
visitor's language. The addresses under it for programs stay as they were."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

from pregon.ledger import selectors, services
from pregon.ledger.services import LeafData
from pregon.tlog.checkpoint import split_note
from tests.ledger.conftest import SIGNER, VKEY, data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log_settings")]


@pytest.fixture
def signed() -> Any:
    """A log of 5 leaves and its checkpoint."""
    services.leaves_append(
        entries=[LeafData(kind="release", data=data(n), ref=f"ocds-r-{n}") for n in range(5)]
    )
    checkpoint = services.checkpoint_issue()
    assert checkpoint is not None
    return checkpoint


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.mark.parametrize("language", ["en", "es", "pt-br", "fr"])
def test_the_page_shows_the_checkpoint_and_how_to_verify_it(
    client: Client, settings: Any, signed: Any, language: str
) -> None:
    response = client.get("/log/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    title = in_language(language, "Transparency log")
    assert (title == "Transparency log") == (language == "en")
    assert f'<h1 class="margin-top-4">{title}</h1>' in html
    root = bytes(signed.root_hash)
    assert f'<code class="pregon-hash">{root.hex()}</code>' in html
    assert f'<code class="pregon-hash">{base64.b64encode(root).decode()}</code>' in html
    assert f'<code class="pregon-hash">{VKEY}</code>' in html
    # The signed note as served, and the one signature in it: this log's key.
    assert selectors.checkpoint_note_served(signed) in html.replace("&#x27;", "'")
    ((signature),) = split_note(signed.note)[1]
    assert signature.key_id == SIGNER.key_id
    assert f"{SIGNER.key_id:08x}" in html
    assert (
        f"<code>pregon verify --log {settings.SITE_URL} \\\n  --key '{VKEY}' \\\n"
        f"  {settings.SITE_URL}/data/releases.jsonl.gz</code>"
    ) in html
    with translation.override(language):
        size = ngettext("%(counter)s leaf", "%(counter)s leaves", 5) % {"counter": 5}
    assert f"<dd>{size}</dd>" in html


def test_before_the_first_checkpoint_the_page_says_so(client: Client) -> None:
    html = client.get("/log/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "The log has not signed a checkpoint yet: it signs the first one when the first "
        "release is published."
    ) in html
    assert f'<code class="pregon-hash">{VKEY}</code>' in html


def test_the_addresses_for_programs_are_unchanged(client: Client, signed: Any) -> None:
    checkpoint = client.get("/log/checkpoint")
    assert checkpoint.status_code == 200
    assert checkpoint["Content-Type"] == "text/plain; charset=utf-8"
    assert checkpoint.content.decode() == selectors.checkpoint_note_served(signed)
    assert client.get("/log/public-key").content.decode() == VKEY + "\n"
    assert client.post("/log/").status_code == 405
