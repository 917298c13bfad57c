"""A committee member makes their opening key in the browser: the key pair is generated on the
page, the key file downloads, and only the public key is registered. The downloaded file opens
with the Python side's reader and the passphrase, and holds the private key of the registered
public key. Without JavaScript, the page still registers a pasted public key."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from pregon.sealing.keyfile import keyfile_read
from pregon.tenders.models import CommitteeKey
from tests import factories
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"  # the factories' password
PASSPHRASE = "a long passphrase for the key"


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_a_member_makes_and_registers_a_key_in_the_browser(
    live_server: Any, new_page: Any, tmp_path: Path
) -> None:
    buyer = factories.BuyerFactory()
    person = factories.member(buyer, "committee_member", email="comision@arica.example")
    page = new_page(accept_downloads=True)
    sign_in(page, live_server.url, person.email)
    page.get_by_role("link", name="My opening key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My opening key")
    generator = page.get_by_role("heading", name="Create a key pair in this browser")
    expect(generator).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Passphrase for the key file").fill("short")
    page.get_by_label("The passphrase again").fill("short")
    page.get_by_role("button", name="Create the key pair and download the key file").click()
    expect(page.locator("#opening-key-status")).to_contain_text("at least 12 characters")

    page.get_by_label("Passphrase for the key file").fill(PASSPHRASE)
    page.get_by_label("The passphrase again").fill(PASSPHRASE + "!")
    page.get_by_role("button", name="Create the key pair and download the key file").click()
    expect(page.locator("#opening-key-status")).to_have_text(
        "The two passphrases are not the same."
    )

    page.get_by_label("The passphrase again").fill(PASSPHRASE)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Create the key pair and download the key file").click()
    saved = tmp_path / "key.json"
    download.value.save_as(saved)
    data = saved.read_bytes()
    document = json.loads(data)
    assert download.value.suggested_filename == (
        f"pregon-committee-key-{document['fingerprint'][:16]}.json"
    )
    expect(page.locator("#opening-key-status")).to_contain_text("Your key file is downloaded.")
    field = page.get_by_label("Public key")
    expect(field).to_have_value(document["publicKey"])
    # The passphrase fields are emptied once the file is made.
    expect(page.get_by_label("Passphrase for the key file")).to_have_value("")

    page.get_by_role("button", name="Register this public key").click()
    expect(
        page.get_by_role("status").filter(has_text="Your opening key is registered")
    ).to_be_visible()
    key = CommitteeKey.objects.get(user=person)
    assert key.fingerprint == document["fingerprint"]
    private_raw, public_raw = keyfile_read(data, PASSPHRASE)
    assert public_raw == bytes(key.public_key)
    assert base64.urlsafe_b64encode(public_raw).decode().rstrip("=") == document["publicKey"]
    assert len(private_raw) == 32
    expect(page.get_by_text(key.fingerprint)).to_be_visible()
    assert_accessible(page)


def test_without_javascript_a_pasted_public_key_is_registered(
    live_server: Any, new_page: Any
) -> None:
    buyer = factories.BuyerFactory()
    person = factories.member(buyer, "committee_member", email="comision@iquique.example")
    page = new_page(java_script_enabled=False)
    sign_in(page, live_server.url, person.email)
    page.goto(f"{live_server.url}/en/committee/key/")
    expect(page.get_by_role("heading", name="Create a key pair in this browser")).to_be_hidden()
    public = factories.key_pair()[1]
    page.get_by_label("Public key").fill(base64.urlsafe_b64encode(public).decode().rstrip("="))
    page.get_by_role("button", name="Register this public key").click()
    expect(
        page.get_by_role("status").filter(has_text="Your opening key is registered")
    ).to_be_visible()
    assert bytes(CommitteeKey.objects.get(user=person).public_key) == public
