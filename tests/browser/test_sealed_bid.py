"""A supplier seals a bid in the browser, and the committee's keys open it in Python.

The supplier goes from the public tender page to the bid page, types a price per lot and notes,
chooses a PDF, and submits. The page fetches the committee, checks it against the fingerprints
the published release printed, seals with the sealing bundle, uploads the encrypted PDF in
small chunks (one answer is lost on the way, as on a dropped connection, and the upload resumes
from what arrived), submits the envelope and shows the signed receipt. Then Python opens the
stored envelope with two of the three members' private keys (`share_decrypt`, `bid_open`) and
finds the prices, the notes and the PDF exactly. A second bid whose answer is lost on the way
is sent again after a reload, with the same idempotency key: one bid, one receipt. Without
JavaScript the page says why it cannot seal and shows the command. axe-core checks each page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pregon.bids.models import Bid, BidDocument
from pregon.sealing import bid_open, document_open, parse_envelope, share_decrypt
from pregon.tenders.models import Tender
from pregon.tlog.checkpoint import ALG_ED25519, SignerKey, format_signer_key, open_note
from tests import factories
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_journey import small_pdf

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = "bids.example.org/pregon/log"
SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(1, 33)))
CHUNK = 512


@pytest.fixture(autouse=True)
def _bid_settings(settings: Any, tmp_path: Path) -> None:
    settings.PREGON_LOG_ORIGIN = ORIGIN
    settings.PREGON_LOG_SIGNER_KEY = format_signer_key(SIGNER)
    settings.VAR_DIR = tmp_path / "var"
    # Small chunks, so that even a small document goes in several.
    settings.PREGON_BID_CHUNK_MAX_BYTES = CHUNK


def signed_in_page(new_page: Any, user: Any, base: str, **options: Any) -> Any:
    """A page whose browser holds `user`'s session."""
    client = Client()
    client.force_login(user)
    page = new_page(**options)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    return page


PENDING = """() => Object.keys(window.sessionStorage)
    .filter((key) => key.startsWith("pregon:bid-pending:")).length"""


def opened(bid: Bid, tender: Tender, *, members: int = 2) -> tuple[bytes, dict[str, Any]]:
    """Open a stored bid as the committee does: `members` of them decrypt their shares."""
    envelope = parse_envelope(bytes(bid.envelope))
    shares = [
        share_decrypt(
            envelope,
            ocid=str(tender.ocid),
            private_raw=factories.private_key_of(member),
            fingerprint=member.fingerprint,
        )
        for member in tender.committee.order_by("position")[:members]
    ]
    return bid_open(envelope, shares, ocid=str(tender.ocid))


def test_a_supplier_seals_a_bid_in_the_browser_that_the_committee_opens(
    live_server: Any, new_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    tender = factories.TenderOpenFactory(lots=2)
    supplier = factories.SupplierFactory()
    person = factories.member(supplier, "supplier_user")
    pdf = small_pdf() * 4  # several chunks
    document = tmp_path / "oferta técnica.pdf"
    document.write_bytes(pdf)
    page = signed_in_page(new_page, person, base, accept_downloads=True)

    page.goto(f"{base}/en/tenders/{tender.pk}/")
    clock = page.get_by_role("region", name="Bid deadline")
    expect(clock.get_by_role("timer")).to_have_text(re.compile(r"^(19|20) days, \d\d:\d\d:\d\d$"))
    assert_accessible(page)
    clock.get_by_role("link", name="Prepare a sealed bid").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sealed bid")
    expect(page.get_by_role("heading", name="Sealing needs JavaScript")).to_be_hidden()
    form = page.locator("#bid-form")
    expect(form).to_be_visible()
    assert_accessible(page)
    screenshot(page, "bid-page")

    # A wrong price and a file of another type are refused on the page, before sealing.
    page.get_by_label("Lot 1: Lote 1").fill("12.345.678")
    page.get_by_label("Documents of the bid").set_input_files(
        {"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}
    )
    page.locator("label[for=bid-declaration]").click()  # USWDS draws the box: click the label
    page.get_by_role("button", name="Seal and submit the bid").click()
    expect(page.locator("#bid-errors")).to_have_text("Please correct the fields marked below.")
    expect(page.get_by_label("Lot 1: Lote 1")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#bid-documents-error")).to_contain_text(
        "virus.exe: files of this type are not accepted."
    )
    assert_accessible(page)
    assert Bid.objects.count() == 0

    page.get_by_label("Lot 1: Lote 1").fill("1234567.89")
    page.get_by_label("Lot 2: Lote 2").fill("98765,4")
    page.get_by_label("Notes and declarations").fill("Entrega en 30 días.")
    page.get_by_label("Documents of the bid").set_input_files(str(document))

    # The answer to the second chunk is lost after the server stored it: the page asks where
    # the upload stands and goes on from there.
    chunks: list[str] = []
    lost: list[str] = []

    def drop_one_answer(route: Any) -> None:
        chunks.append(route.request.headers.get("content-range", ""))
        if len(chunks) == 2:
            route.fetch()
            lost.append(chunks[-1])
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r"/api/v1/bid-uploads/[0-9a-f-]+$"), drop_one_answer)
    expect(page.locator("#bid-declaration")).to_be_checked()  # still, since the first try
    page.get_by_role("button", name="Seal and submit the bid").click()

    receipt = page.get_by_role("region", name="Your receipt")
    expect(receipt).to_be_visible(timeout=30_000)
    expect(page.locator("#bid-status")).to_have_text(
        "The platform received your sealed bid. Keep the receipt below."
    )
    assert_accessible(page)
    screenshot(page, "bid-receipt")

    bid = Bid.objects.get()
    assert bid.supplier == supplier
    expect(receipt.locator("[data-receipt=commitment]")).to_have_text(bid.commitment)
    expect(receipt.locator("[data-receipt=leafIndex]")).to_have_text(str(bid.leaf_index))
    assert receipt.locator("[data-receipt=receipt]").text_content() == bid.receipt
    open_note(bid.receipt, [SIGNER.verifier])
    # Each chunk was sent once, except the one whose answer was lost: it was not sent again,
    # since the server said it had arrived.
    size = BidDocument.objects.get(bid=bid).size
    expected = [
        f"bytes {start}-{min(start + CHUNK, size) - 1}/{size}" for start in range(0, size, CHUNK)
    ]
    put_ranges = [entry for entry in chunks if entry]
    assert put_ranges == expected
    assert lost == [expected[1]]
    # The sealed copy kept for a retry is gone once the receipt arrived.
    assert page.evaluate(PENDING) == 0

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the receipt").click()
    saved = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert (saved["format"], saved["bid"], saved["commitment"], saved["receipt"]) == (
        "pregon-bid-receipt/1",
        str(bid.pk),
        bid.commitment,
        bid.receipt,
    )

    # Two of the three members' private keys open it; it holds what was typed and chosen.
    data_key, plain = opened(bid, tender)
    assert plain["lots"] == [
        {"lot": "1", "amount": "1234567.89", "currency": "CLP"},
        {"lot": "2", "amount": "98765.4", "currency": "CLP"},
    ]
    assert plain["answers"] == [
        {"question": "Notes and declarations", "answer": "Entrega en 30 días."}
    ]
    assert plain["documents"] == [
        {"id": "d1", "name": "oferta técnica.pdf", "mediaType": "application/pdf", "size": len(pdf)}
    ]
    stored = BidDocument.objects.get(bid=bid).file.read()
    assert document_open(data_key, str(tender.ocid), "d1", stored) == pdf
    # And the server never held the price in the clear.
    assert b"1234567.89" not in bytes(bid.envelope)

    page.get_by_role("link", name="See the bid and its receipt in your workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt of your sealed bid")
    assert_accessible(page)
    page.get_by_role("link", name="My bids").first.click()
    expect(page.get_by_role("table", name="My bids").get_by_role("row")).to_have_count(2)
    assert_accessible(page)


def test_a_submission_whose_answer_is_lost_is_sent_again_after_a_reload(
    live_server: Any, new_page: Any
) -> None:
    base = live_server.url
    tender = factories.TenderOpenFactory()
    supplier = factories.SupplierFactory()
    page = signed_in_page(new_page, factories.member(supplier, "supplier_user"), base)
    page.goto(f"{base}/en/supplier/tenders/{tender.pk}/bid/")
    page.get_by_label("Lot 1: Lote 1").fill("500")

    keys: list[str] = []

    def lose_the_answer_then_the_network(route: Any) -> None:
        # The first request reaches the platform and its answer is lost; the page's retries then
        # find no network. Once a retry has failed the page waits a second before the next one,
        # so the reload below comes first: the answer can only come from the reloaded page.
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.abort("internetdisconnected")

    page.route(re.compile(r"/api/v1/tenders/[^/]+/bids$"), lose_the_answer_then_the_network)
    page.locator("label[for=bid-declaration]").click()  # USWDS draws the box: click the label
    page.get_by_role("button", name="Seal and submit the bid").click()
    page.wait_for_function(f"() => ({PENDING})() === 1")
    for _ in range(200):  # the first retry comes half a second after the lost answer
        if len(keys) >= 2:
            break
        page.wait_for_timeout(50)
    assert len(keys) >= 2
    assert Bid.objects.count() == 1
    page.unroute(re.compile(r"/api/v1/tenders/[^/]+/bids$"))

    resent: list[str] = []
    page.on(
        "request",
        lambda request: (
            resent.append(request.headers.get("idempotency-key", ""))
            if request.method == "POST" and request.url.endswith("/bids")
            else None
        ),
    )
    page.reload()

    receipt = page.get_by_role("region", name="Your receipt")
    expect(receipt).to_be_visible(timeout=20_000)
    bid = Bid.objects.get()
    expect(receipt.locator("[data-receipt=commitment]")).to_have_text(bid.commitment)
    assert set(keys) == {bid.idempotency_key}
    assert resent == [bid.idempotency_key]
    assert page.evaluate(PENDING) == 0
    assert_accessible(page)


def test_without_javascript_the_bid_page_explains_and_shows_the_command(
    live_server: Any, new_page: Any, settings: Any
) -> None:
    base = live_server.url
    settings.SITE_URL = base
    tender = factories.TenderOpenFactory()
    supplier = factories.SupplierFactory()
    person = factories.member(supplier, "supplier_user")
    page = signed_in_page(new_page, person, base, java_script_enabled=False)

    page.goto(f"{base}/en/supplier/tenders/{tender.pk}/bid/")

    expect(page.get_by_role("heading", name="Sealing needs JavaScript")).to_be_visible()
    expect(page.locator("#bid-form")).to_be_hidden()
    expect(page.get_by_role("region", name="Bid deadline").get_by_role("timer")).to_have_text(
        re.compile(r"^(19|20) days, \d\d:\d\d:\d\d$")
    )
    command = page.locator("#bid-cli pre").first
    expect(command).to_be_visible()
    expect(command).to_contain_text(f"pregon bid submit --url {base}")
    expect(command).to_contain_text(f"--tender {tender.ocid} --lot 1=AMOUNT")
    # axe needs JavaScript: it checks the page as served, in a page of its own, scripts left out.
    checker = new_page()
    checker.goto(f"{base}/en/")
    checker.set_content(re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S))
    expect(checker.get_by_role("heading", name="Sealing needs JavaScript")).to_be_visible()
    assert_accessible(checker)
