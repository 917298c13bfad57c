"""The opening in the browser: two committee members load their key files on the opening page,
their browsers decrypt their shares of bids sealed by the Python side, they hand them in, and
an anonymous visitor reads the opening record on the tender's page. When a bid's share does not
decrypt, or does not match its SHA-256, the page declares so for that bid instead."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pregon.bids.models import Bid, Opening, ShareHandIn
from pregon.core import clock
from pregon.sealing import keyfile_write
from pregon.tenders import services as tenders
from tests import factories
from tests.bids.bad_envelopes import bad_offer
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"  # the factories' password
PASSPHRASE = "the committee's long passphrase"


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _world_at_its_opening(*, bad_shares: dict[str, list[int]] | None = None) -> OpeningWorld:
    """A tender whose opening time has just passed (by the real clock: the live server's), with
    four bids sealed and submitted before its deadline (and a fifth, whose shares of some
    members are broken, with `bad_shares`: `bad_offer`'s arguments)."""
    now = timezone.now()
    buyer = factories.BuyerFactory()
    tender = factories.TenderDraftFactory(
        buyer=buyer,
        lots=2,
        enquiry_end=now - dt.timedelta(days=3),
        submission_deadline=now - dt.timedelta(hours=2),
        opening_at=now - dt.timedelta(minutes=30),
    )
    official = factories.member(buyer, "buyer_official")
    with clock.at(now - dt.timedelta(days=40)):
        tenders.tender_publish(actor=factories.actor_for(official, buyer), tender=tender)
    tender.refresh_from_db()
    with clock.at(now - dt.timedelta(days=1)):
        world = opening_world(buyer, tender=tender)
        if bad_shares is not None:
            bad_offer(world, **bad_shares)
        return world


def _key_file(world: OpeningWorld, position: int, tmp_path: Path) -> Path:
    member = world.committee[position - 1]
    path = tmp_path / f"key-{position}.json"
    path.write_bytes(keyfile_write(factories.private_key_of(member), PASSPHRASE, n=2**10))
    return path


def _hand_in_in_the_browser(page: Any, key_file: Path) -> None:
    expect(page.get_by_role("button", name="Decrypt my shares")).to_be_visible()
    page.get_by_label("Your opening key file").set_input_files(str(key_file))
    page.get_by_label("Its passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Decrypt my shares").click()
    expect(page.locator("#opening-decrypt-status")).to_have_text(
        re.compile("Your shares are decrypted on this device"), timeout=30_000
    )
    page.get_by_role("button", name="Hand in my shares").click()


def test_two_members_open_the_bids_in_their_browsers(
    live_server: Any, new_page: Any, tmp_path: Path
) -> None:
    world = _world_at_its_opening()
    opening_url = live_server.url + reverse("opening:committee", kwargs={"pk": world.tender.pk})

    first = new_page()
    sign_in(first, live_server.url, world.committee[0].user.email)
    first.goto(opening_url)
    expect(first.get_by_role("heading", level=1)).to_contain_text("Bid opening")
    assert_accessible(first)
    # A key of someone else is refused before anything is sent.
    first.get_by_label("Your opening key file").set_input_files(str(_key_file(world, 2, tmp_path)))
    first.get_by_label("Its passphrase").fill(PASSPHRASE)
    first.get_by_role("button", name="Decrypt my shares").click()
    expect(first.locator("#opening-decrypt-status")).to_have_text(
        re.compile("This key is not the one published for your position"), timeout=30_000
    )
    assert ShareHandIn.objects.count() == 0
    _hand_in_in_the_browser(first, _key_file(world, 1, tmp_path))
    expect(first.get_by_text("The platform holds 4 shares of yours.")).to_be_visible()
    assert ShareHandIn.objects.count() == 4

    second = new_page(locale="es-CL")
    sign_in(second, live_server.url, world.committee[2].user.email)
    second.goto(opening_url)
    _hand_in_in_the_browser(second, _key_file(world, 3, tmp_path))
    expect(second).to_have_url(re.compile(r"/tenders/\d+/#opening$"))
    assert Opening.objects.get(tender=world.tender).status == "opened"

    visitor = new_page()
    visitor.goto(live_server.url + world.tender.get_absolute_url())
    section = visitor.locator("#opening")
    for made in world.offers:
        expect(section).to_contain_text(made.supplier.display_name)
    expect(section).to_contain_text("Prices offered for lot 1")
    assert_accessible(visitor)


def test_the_page_declares_the_bid_whose_share_does_not_decrypt(
    live_server: Any, new_page: Any, tmp_path: Path
) -> None:
    # Member 1's key does not open their share of the fifth bid; member 3's opens to a share
    # that is not the one its SHA-256 names. With k = 2 of 3, their two declarations settle it.
    world = _world_at_its_opening(bad_shares={"undecryptable": [1], "mismatched": [3]})
    bad = world.offers[-1].bid
    # The page numbers the bids in the order received (then by id: these share one moment).
    order = list(Bid.objects.filter(tender=world.tender).order_by("received_at", "pk"))
    number = order.index(bad) + 1
    opening_url = live_server.url + reverse("opening:committee", kwargs={"pk": world.tender.pk})

    first = new_page()
    sign_in(first, live_server.url, world.committee[0].user.email)
    first.goto(opening_url)
    first.get_by_label("Your opening key file").set_input_files(str(_key_file(world, 1, tmp_path)))
    first.get_by_label("Its passphrase").fill(PASSPHRASE)
    first.get_by_role("button", name="Decrypt my shares").click()
    expect(first.locator("#opening-decrypt-status")).to_have_text(
        re.compile("Some of your shares cannot be decrypted"), timeout=30_000
    )
    expect(first.locator("#opening-declarations")).to_have_text(
        f"Bid {number}: to be declared, because your share does not open with your key (the "
        "envelope was altered, or sealed to another key)"
    )
    assert_accessible(first)
    first.get_by_role("button", name="Hand in my shares").click()
    expect(
        first.get_by_text("You declared that you cannot decrypt your share of 1 bid")
    ).to_be_visible()
    row = first.locator("tbody tr").nth(number - 1)
    expect(row).to_contain_text("declared: my key does not open the share sealed to me")
    expect(row).to_contain_text("1 (member 1)")
    expect(row).to_contain_text("not yet")
    assert_accessible(first)
    assert ShareHandIn.objects.filter(bid=bad, declaration="share_undecryptable").count() == 1

    # The other member works in Spanish: the page says which bid it declares, and why, in it.
    second = new_page(locale="es-CL")
    sign_in(second, live_server.url, world.committee[2].user.email)
    second.goto(opening_url.replace("/en/", "/es/"))
    second.get_by_label("Su archivo de clave de apertura").set_input_files(
        str(_key_file(world, 3, tmp_path))
    )
    second.get_by_label("Su frase de contraseña").fill(PASSPHRASE)
    second.get_by_role("button", name="Descifrar mis partes").click()
    expect(second.locator("#opening-declarations")).to_have_text(
        f"Oferta {number}: se declarará, porque su parte no es aquella cuyo SHA-256 lleva la "
        "oferta (el oferente la selló mal)",
        timeout=30_000,
    )
    expect(second.locator("#opening-decrypt-status")).to_contain_text(
        "Algunas de sus partes no se pueden descifrar"
    )
    second.get_by_role("button", name="Entregar mis partes").click()

    expect(second).to_have_url(re.compile(r"/tenders/\d+/#opening$"))
    record = Opening.objects.get(tender=world.tender).record
    assert record is not None
    entry = next(item for item in record["bids"] if item["id"] == str(bad.pk))
    assert (entry["outcome"], entry["reason"], entry["declaredBy"]) == (
        "undecryptable",
        "shares_undecryptable",
        [1, 3],
    )
    visitor = new_page()
    visitor.goto(live_server.url + world.tender.get_absolute_url())
    expect(visitor.locator("#opening")).to_contain_text(
        "Sellos Rotos SpA: Too few members of the opening committee could hand in their shares "
        "of it: members 1, 3 declared that the shares sealed to them could not be decrypted."
    )
