"""The sealed-bid journey of issue 10, as seven people live it against the live server.

Three committee members of a buyer sign in with two-step sign-in (officials must); the first
makes its opening key in the browser, the others hold key files made by `pregon.sealing`. The
buyer names them a committee of three, two needed, and publishes a tender of two lots whose
deadline comes within the minute (the instance allows a deadline the same day). Two suppliers
seal their bids in the browser, one in English and one in Portuguese; a third seals through
`pregon.client`; the English one then replaces its bid. Each finds its receipt under "My bids".
The deadline passes by the platform's clock (the bid page's countdown follows it; the journey
waits for it rather than moving the tender's dates), and a late change is refused. The members
load their key files on the opening page and hand in their shares: the second hand-in opens
the bids. An anonymous visitor reads the opening record on the tender's page and as logged:
three bidders, their prices per lot (the replacement's, never the replaced bid's) and the
statistics. axe-core checks every page anyone sees, in each language it is seen in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from pregon.accounts.models import User
from pregon.bids.choices import BidStatus, OpeningStatus
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, OpenedBid, Opening, ShareHandIn
from pregon.client import Client, ClientError
from pregon.core import clock as platform_clock
from pregon.core.actor import Actor
from pregon.organizations.models import Organization
from pregon.organizations.services import api_key_issue
from pregon.sealing import keyfile_write
from pregon.tenders import services as tenders
from pregon.tenders.models import CommitteeKey
from pregon.tlog.checkpoint import ALG_ED25519, SignerKey, format_signer_key, format_verifier_key
from tests import factories
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_journey import label, small_pdf, t

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"  # the factories' password
PASSPHRASE = "the committee's long passphrase"
ORIGIN = "journey.example.org/pregon/log"
SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(3, 35)))
#: How long the tender takes bids after its publication: enough for the three bids and the
#: replacement on a slow machine, short enough that the journey waits little for the deadline.
BIDDING_WINDOW = dt.timedelta(seconds=30)
#: What the countdown says once the platform's clock has passed the deadline.
PASSED = "The bid deadline has passed."
TOTP_SECRETS = ["JBSWY3DPEHPK3PXP", "KRSXG5CTMVRXEZLU", "MFRGGZDFMZTWQ2LK"]


@pytest.fixture(autouse=True)
def _instance(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PREGON_LOG_ORIGIN = ORIGIN
    settings.PREGON_LOG_SIGNER_KEY = format_signer_key(SIGNER)
    settings.VAR_DIR = tmp_path / "var"
    # An instance whose rules allow an open tender's deadline on the day it is published.
    settings.PREGON_MIN_SUBMISSION_DAYS = {**settings.PREGON_MIN_SUBMISSION_DAYS, "open": 0}
    monkeypatch.setenv("PREGON_LANGUAGE", "en")


# ---------------------------------------------------------------------------------------------
# what every person does


def arrived(page: Any, lang: str, name: str = "") -> None:
    """Every page a person reaches: in their language, with one h1, and accessible."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    if name:
        screenshot(page, f"sealed-{lang}-{name}")


def sign_in(
    page: Any, base: str, lang: str, email: str, totp: str = "", *, check: bool = True
) -> None:
    """Sign in with e-mail and password, then the authenticator's code when `totp` is given.
    (`check=False` when axe has already checked these pages in this language.)"""
    page.goto(f"{base}/{lang}/accounts/login/")
    if check:
        arrived(page, lang)
    page.get_by_label(label(lang, "E-mail address")).fill(email)
    page.get_by_label(label(lang, "Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(lang, "Sign in"), exact=True).click()
    if totp:
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t(lang, "Enter your authenticator code")
        )
        if check:
            arrived(page, lang)
        page.get_by_label(label(lang, "Code")).fill(factories.totp_code(totp))
        page.get_by_role("main").get_by_role("button", name=t(lang, "Sign in"), exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/|/accounts/2fa/"))


def seal_in_browser(
    page: Any, lang: str, prices: dict[int, str], notes: str, document: Path | None = None
) -> None:
    """On the bid page: type the prices and notes, choose the document, seal and send; the
    receipt appears."""
    for number, amount in prices.items():
        lot = t(lang, "Lot %(number)s: %(title)s", number=number, title=f"Lote {number}")
        page.get_by_label(lot).fill(amount)
    page.get_by_label(t(lang, "Notes and declarations")).fill(notes)
    if document is not None:
        page.get_by_label(t(lang, "Documents of the bid")).set_input_files(str(document))
    # The self-declaration, signed with the bid (USWDS draws the box: a person clicks the label).
    page.locator("label[for=bid-declaration]").click()
    replacing = page.locator("#bid-sealing").get_attribute("data-replace")
    button = "Seal and replace the bid" if replacing else "Seal and submit the bid"
    page.get_by_role("button", name=t(lang, button)).click()
    expect(page.get_by_role("region", name=t(lang, "Your receipt"))).to_be_visible(timeout=30_000)
    expect(page.locator("#bid-status")).to_have_text(
        t(lang, "The platform received your sealed bid. Keep the receipt below.")
    )
    arrived(page, lang)


def receipt_on_bid_page(page: Any) -> str:
    return page.locator("[data-receipt=commitment]").inner_text()


def my_bids(page: Any, lang: str) -> list[tuple[str, str]]:
    """The supplier's "My bids": each row's status and commitment, newest first."""
    page.get_by_role("link", name=t(lang, "My bids")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "My bids"))
    arrived(page, lang)
    rows = page.get_by_role("table", name=t(lang, "My bids")).locator("tbody tr")
    return [
        (row.locator(".usa-tag").text_content() or "", row.locator("code.pregon-hash").inner_text())
        for row in rows.all()
    ]


def bidding_supplier(scale: str, legal_name: str, **fields: Any) -> tuple[Organization, User]:
    organization = factories.SupplierFactory(scale=scale, legal_name=legal_name, **fields)
    return organization, factories.member(organization, "supplier_user")


# ---------------------------------------------------------------------------------------------
# the committee


def member_makes_key_in_browser(page: Any, base: str, person: User, tmp_path: Path) -> Path:
    """The first member signs in with its authenticator and makes its key on "My opening key";
    the key file is downloaded and only the public key is registered."""
    sign_in(page, base, "en", person.email, totp=TOTP_SECRETS[0])
    page.get_by_role("link", name="My opening key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My opening key")
    arrived(page, "en")
    page.get_by_label("Passphrase for the key file").fill(PASSPHRASE)
    page.get_by_label("The passphrase again").fill(PASSPHRASE)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Create the key pair and download the key file").click()
    saved = tmp_path / "member-1.json"
    download.value.save_as(saved)
    page.get_by_role("button", name="Register this public key").click()
    expect(
        page.get_by_role("status").filter(has_text="Your opening key is registered")
    ).to_be_visible()
    key = CommitteeKey.objects.get(user=person)
    assert json.loads(saved.read_bytes())["fingerprint"] == key.fingerprint
    expect(page.get_by_text(key.fingerprint)).to_be_visible()
    arrived(page, "en")
    return saved


def decrypt_shares(page: Any, key_file: Path) -> None:
    """On the opening page: load the key file and its passphrase; the shares are decrypted on
    the member's device."""
    expect(page.get_by_role("button", name="Decrypt my shares")).to_be_visible()
    page.get_by_label("Your opening key file").set_input_files(str(key_file))
    page.get_by_label("Its passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Decrypt my shares").click()
    expect(page.locator("#opening-decrypt-status")).to_have_text(
        re.compile("^Your shares are decrypted on this device"), timeout=30_000
    )
    assert_accessible(page)


# ---------------------------------------------------------------------------------------------
# the journey


def test_three_bids_one_replaced_opened_by_two_of_three_and_read_by_anyone(
    live_server: Any, new_page: Any, settings: Any, tmp_path: Path
) -> None:
    base = live_server.url
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = True

    # The buyer, its official and the three members of its committee, each with an
    # authenticator.
    buyer = factories.BuyerFactory(legal_name="Ilustre Municipalidad de Arica")
    official = factories.member(buyer, "buyer_official")
    members = [
        factories.member(buyer, "committee_member", email=f"comision{n}@arica.example")
        for n in (1, 2, 3)
    ]
    for person, secret in zip(members, TOTP_SECRETS, strict=True):
        TOTP.activate(person, secret)

    member_pages = [new_page(accept_downloads=True), new_page(), new_page()]
    key_files = [member_makes_key_in_browser(member_pages[0], base, members[0], tmp_path)]
    for position, person in ((2, members[1]), (3, members[2])):
        _key, private = factories.committee_key(buyer, user=person)
        path = tmp_path / f"member-{position}.json"
        path.write_bytes(keyfile_write(private, PASSPHRASE, n=2**10))
        key_files.append(path)

    for page, person, secret in zip(member_pages[1:], members[1:], TOTP_SECRETS[1:], strict=True):
        sign_in(page, base, "en", person.email, totp=secret, check=False)

    # Three suppliers: two sign in to bid in the browser, one in Portuguese; the third holds
    # an API key for its bidding software, and signs in only to read its bids.
    first, first_person = bidding_supplier("small", "Pequeña Empresa SpA")
    second, second_person = bidding_supplier(
        "micro", "Cooperativa Tecnológica do Sul", is_cooperative=True, country="BR"
    )
    third, third_person = bidding_supplier("large", "Gran Empresa SA")
    english, portuguese, api_user = new_page(), new_page(locale="pt-BR"), new_page()
    sign_in(english, base, "en", first_person.email, check=False)
    sign_in(portuguese, base, "pt-br", second_person.email)
    sign_in(api_user, base, "en", third_person.email, check=False)
    _api_key, secret = api_key_issue(
        actor=Actor(user=third_person, organization=third, channel="web"),
        organization=third,
        name="Bidding client",
        scopes=["bids:submit"],
    )

    # The buyer names the committee (3 members, 2 needed) and publishes the tender: bids are
    # taken until the deadline, and opened from then on.
    deadline = timezone.now() + BIDDING_WINDOW
    tender = factories.TenderDraftFactory(
        buyer=buyer,
        lots=2,
        committee=False,
        enquiry_end=deadline,
        submission_deadline=deadline,
        opening_at=deadline,
    )
    acting = factories.actor_for(official, buyer)
    tenders.tender_committee_set(
        actor=acting, tender=tender, members=[m.pk for m in members], threshold=2
    )
    # Published as if six days ago: Chile's rule pack asks five days between publication and
    # the deadline, and the bidding window of this journey is half a minute.
    with platform_clock.at(timezone.now() - dt.timedelta(days=6)):
        tenders.tender_publish(actor=acting, tender=tender)
    tender.refresh_from_db()
    ocid = str(tender.ocid)

    # Before the opening time, a member's opening page says the opening has not started.
    opening_url = f"{base}/en/tenders/{tender.pk}/opening/"
    member_pages[1].goto(opening_url)
    expect(
        member_pages[1].get_by_role("region", name="The opening has not started")
    ).to_be_visible()
    arrived(member_pages[1], "en", "opening-waiting")

    # 1. The first supplier, in English, finds the tender and seals a bid for both lots.
    english.goto(f"{base}/en/tenders/{tender.pk}/")
    arrived(english, "en", "tender")
    clock = english.get_by_role("region", name="Bid deadline")
    expect(clock.get_by_role("timer")).to_have_text(re.compile(r"^00:00:[0-5]\d$"))
    clock.get_by_role("link", name="Prepare a sealed bid").click()
    expect(english.get_by_role("heading", level=1)).to_have_text("Sealed bid")
    arrived(english, "en", "bid")
    seal_in_browser(english, "en", {1: "131000", 2: "88000"}, "Delivery in 30 days.")
    replaced_commitment = receipt_on_bid_page(english)

    # 2. The second supplier, in Portuguese, seals a bid for lot 1 with a document.
    portuguese.goto(f"{base}/pt-br/tenders/{tender.pk}/")
    arrived(portuguese, "pt-br", "tender")
    portuguese.get_by_role("region", name="Prazo para envio das propostas").get_by_role(
        "link", name="Preparar uma proposta lacrada"
    ).click()
    expect(portuguese.get_by_role("heading", level=1)).to_have_text("Proposta lacrada")
    expect(portuguese.get_by_role("button", name="Lacrar e enviar a proposta")).to_be_visible()
    arrived(portuguese, "pt-br", "bid")
    proposal = tmp_path / "proposta técnica.pdf"
    proposal.write_bytes(small_pdf())
    seal_in_browser(portuguese, "pt-br", {1: "129900"}, "Entrega em 20 dias úteis.", proposal)
    expect(portuguese.get_by_role("region", name="Seu comprovante")).to_be_visible()
    expect(portuguese.locator("#bid-status")).to_have_text(
        "A plataforma recebeu sua proposta lacrada. Guarde o comprovante abaixo."
    )
    second_commitment = receipt_on_bid_page(portuguese)

    # 3. The third supplier seals through pregon.client, with its organization's API key.
    annex = tmp_path / "anexo.pdf"
    annex.write_bytes(small_pdf())
    client = Client(base, secret, log_key=format_verifier_key(SIGNER.verifier), backoff=0.01)
    third_receipt = client.submit(
        ocid,
        {
            "lots": [
                {"lot": "1", "amount": "140000", "currency": "CLP"},
                {"lot": "2", "amount": "79000", "currency": "CLP"},
            ],
            "answers": [{"question": "Notes and declarations", "answer": "Garantía de 3 años."}],
        },
        [annex],
        declaration=DECLARATION_VERSION,
    )

    # 4. The first supplier replaces its bid: from its receipt, "Replace this bid".
    english.get_by_role("link", name="See the bid and its receipt in your workspace").click()
    expect(english.get_by_role("heading", level=1)).to_have_text("Receipt of your sealed bid")
    arrived(english, "en", "receipt")
    english.get_by_role("link", name="Replace this bid").click()
    expect(english.get_by_role("heading", name="Replace your bid")).to_be_visible()
    arrived(english, "en")
    seal_in_browser(english, "en", {1: "125500", 2: "86250"}, "Delivery in 25 days.")
    first_commitment = receipt_on_bid_page(english)
    english.get_by_role("link", name="See the bid and its receipt in your workspace").click()
    expect(english.get_by_role("link", name="the earlier bid")).to_be_visible()
    arrived(english, "en")

    # Each supplier finds its receipts under "My bids".
    assert my_bids(english, "en") == [
        ("Submitted (sealed)", first_commitment),
        ("Replaced by a later bid", replaced_commitment),
    ]
    assert my_bids(portuguese, "pt-br") == [("Apresentada (lacrada)", second_commitment)]
    expect(portuguese.get_by_role("heading", level=1)).to_have_text("Minhas propostas")
    assert my_bids(api_user, "en") == [("Submitted (sealed)", third_receipt.commitment)]
    api_user.get_by_role("link", name=re.compile(r"^Receipt \(log entry \d+\)$")).click()
    expect(api_user.locator("pre.pregon-note").first).to_have_text(third_receipt.note.strip())
    arrived(api_user, "en")

    # Until the opening, anyone reading the tender's page learns nothing of who bid.
    visitor = new_page()
    visitor.goto(f"{base}/en/tenders/{tender.pk}/")
    arrived(visitor, "en", "sealed")
    expect(visitor.locator("#opening")).to_contain_text("The bids are sealed")
    for name in ("Pequeña Empresa SpA", "Cooperativa Tecnológica do Sul", "Gran Empresa SA"):
        expect(visitor.get_by_role("main")).not_to_contain_text(name)

    # 5. The deadline passes by the platform's clock: the countdown says so, the bid page takes
    # nothing more, and a late replacement through the client is refused.
    english.get_by_role("link", name=tender.title, exact=True).first.click()
    timer = english.get_by_role("region", name="Bid deadline").get_by_role("timer")
    expect(timer).to_have_text(PASSED, timeout=int(BIDDING_WINDOW.total_seconds() * 1000) + 5_000)
    english.reload()
    expect(english.get_by_role("region", name="Bids are closed")).to_be_visible()
    expect(english.locator("#bid-form")).to_have_count(0)
    arrived(english, "en", "bid-closed")
    with pytest.raises(ClientError) as late:
        client.replace(
            third_receipt.bid_id,
            {"lots": [{"lot": "2", "amount": "1000", "currency": "CLP"}], "answers": []},
            [],
            declaration=DECLARATION_VERSION,
        )
    assert late.value.status == 409
    assert late.value.problem_code == "deadline_passed"
    assert Bid.objects.filter(supplier=third).count() == 1

    # 6. The opening: the first member decrypts its shares and hands them in; the third loads
    # its key too; the second hands in, which opens the bids.
    one, two, three = member_pages
    one.goto(opening_url)
    expect(one.get_by_role("heading", level=1)).to_contain_text("Bid opening")
    arrived(one, "en", "opening")
    decrypt_shares(one, key_files[0])
    one.get_by_role("button", name="Hand in my shares").click()
    expect(one.get_by_text("The platform holds 3 shares of yours.")).to_be_visible()
    arrived(one, "en")
    assert ShareHandIn.objects.filter(member__position=1).count() == 3

    three.goto(opening_url)
    arrived(three, "en")
    decrypt_shares(three, key_files[2])

    two.goto(opening_url)
    decrypt_shares(two, key_files[1])
    two.get_by_role("button", name="Hand in my shares").click()
    expect(two).to_have_url(re.compile(rf"/en/tenders/{tender.pk}/#opening$"))
    expect(two.get_by_text("The bids are open: the opening record is published")).to_be_visible()
    arrived(two, "en", "opened")
    assert Opening.objects.get(tender=tender).status == OpeningStatus.OPENED

    # The third member's page was made before the opening: its hand-in comes too late to
    # count: it is taken to the opening record, told why.
    three.get_by_role("button", name="Hand in my shares").click()
    expect(three).to_have_url(re.compile(rf"/en/tenders/{tender.pk}/#opening$"))
    expect(
        three.get_by_text("The bids were opened before your hand-in: your shares were not needed.")
    ).to_be_visible()
    arrived(three, "en", "opening-after")
    assert ShareHandIn.objects.filter(member__position=3).count() == 0

    # The replaced bid is never opened; the three standing bids are.
    replaced = Bid.objects.get(commitment=replaced_commitment)
    assert (replaced.supplier, replaced.status) == (first, BidStatus.REPLACED)
    assert Bid.objects.get(supplier=second).documents.count() == 1
    assert not OpenedBid.objects.filter(bid=replaced).exists()
    assert not ShareHandIn.objects.filter(bid=replaced).exists()
    assert {
        (opened.bid.supplier.legal_name, opened.outcome): opened.lots
        for opened in OpenedBid.objects.select_related("bid__supplier")
    } == {
        ("Pequeña Empresa SpA", "opened"): [
            {"lot": "1", "amount": "125500", "currency": "CLP"},
            {"lot": "2", "amount": "86250", "currency": "CLP"},
        ],
        ("Cooperativa Tecnológica do Sul", "opened"): [
            {"lot": "1", "amount": "129900", "currency": "CLP"}
        ],
        ("Gran Empresa SA", "opened"): [
            {"lot": "1", "amount": "140000", "currency": "CLP"},
            {"lot": "2", "amount": "79000", "currency": "CLP"},
        ],
    }

    # 7. The anonymous visitor reads the opening record on the tender's page.
    visitor.reload()
    arrived(visitor, "en", "opening-record")
    section = visitor.locator("#opening")
    bidders = ["Cooperativa Tecnológica do Sul", "Gran Empresa SA", "Pequeña Empresa SpA"]
    expect(section.get_by_role("list").first.get_by_role("listitem")).to_have_text(
        [re.compile(rf"^{re.escape(name)}\b") for name in bidders]
    )
    lot_1 = section.get_by_role("table", name="Prices offered for lot 1").locator("tbody tr")
    expect(lot_1).to_have_text(
        [
            re.compile(r"Cooperativa Tecnológica do Sul\s*129,900 CLP"),
            re.compile(r"Gran Empresa SA\s*140,000 CLP"),
            re.compile(r"Pequeña Empresa SpA\s*125,500 CLP"),
        ]
    )
    lot_2 = section.get_by_role("table", name="Prices offered for lot 2").locator("tbody tr")
    expect(lot_2).to_have_text(
        [
            re.compile(r"Gran Empresa SA\s*79,000 CLP"),
            re.compile(r"Pequeña Empresa SpA\s*86,250 CLP"),
        ]
    )
    expect(section).not_to_contain_text("131,000")
    expect(section).not_to_contain_text("88,000")
    statistics = section.locator("dl.pregon-facts").evaluate(
        """(list) => Array.from(list.querySelectorAll("dt"),
            (term) => [term.textContent.trim(), term.nextElementSibling.textContent.trim()])"""
    )
    assert statistics == [
        ["Bids received", "3"],
        ["Bids from micro, small and medium enterprises", "2"],
        ["from micro enterprises", "1"],
        ["from small enterprises", "1"],
        ["from medium enterprises", "0"],
        ["Bids from cooperatives", "1"],
    ]

    # ... and the record exactly as logged.
    link = section.get_by_role("link", name="The opening record (JSON), exactly as logged")
    answer = visitor.request.get(base + link.get_attribute("href"))
    assert answer.ok
    record = answer.json()
    assert (record["format"], record["tender"], record["threshold"]) == (
        "pregon-opening/1",
        ocid,
        2,
    )
    assert [
        (bid["commitment"], bid["tenderer"]["name"], bid["outcome"], bid["members"], bid["lots"])
        for bid in record["bids"]
    ] == [
        (
            second_commitment,
            "Cooperativa Tecnológica do Sul",
            "opened",
            [1, 2],
            [{"lot": "1", "amount": "129900", "currency": "CLP"}],
        ),
        (
            third_receipt.commitment,
            "Gran Empresa SA",
            "opened",
            [1, 2],
            [
                {"lot": "1", "amount": "140000", "currency": "CLP"},
                {"lot": "2", "amount": "79000", "currency": "CLP"},
            ],
        ),
        (
            first_commitment,
            "Pequeña Empresa SpA",
            "opened",
            [1, 2],
            [
                {"lot": "1", "amount": "125500", "currency": "CLP"},
                {"lot": "2", "amount": "86250", "currency": "CLP"},
            ],
        ),
    ]
    assert [doc["intact"] for bid in record["bids"] for doc in bid.get("documents", [])] == [
        True,
        True,
    ]
    assert record["statistics"] == {
        "bids": 3,
        "smeBids": 2,
        "microBids": 1,
        "smallBids": 1,
        "mediumBids": 0,
        "cooperativeBids": 1,
    }

    # 8. The Portuguese supplier reads the same record in Portuguese.
    portuguese.goto(f"{base}/pt-br/tenders/{tender.pk}/")
    arrived(portuguese, "pt-br", "opening-record")
    expect(
        portuguese.locator("#opening").get_by_role(
            "table", name=t("pt-br", "Prices offered for lot %(lot)s", lot=1)
        )
    ).to_contain_text("129.900 CLP")
