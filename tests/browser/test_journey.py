"""The journey of issue 2, in English and in Spanish, as four people live it in a real browser.

A buyer official signs in, drafts a tender with two lots and a document, and publishes it; a
new supplier registers, confirms the e-mail address, finds the tender through the list's
filters and asks a question; the buyer answers; an anonymous visitor reads the answer. axe-core
checks every page any of them sees.

Each person has their own browser context (their own cookies). They read the page as people
do: fields by their labels, buttons and links by their names. The names come from the same
translation catalogues the pages use (`t`), so the journey reads the Spanish pages whether or
not a string has been translated yet, while `<html lang>` proves the page is the Spanish one.
The Spanish buyer reaches Spanish through the language switcher; the Spanish supplier and
visitor through their browsers' preferred language.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from pregon.core.identifiers import rut_with_check_digit
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Question, Tender
from tests import factories
from tests.browser.conftest import assert_accessible, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "correct horse battery"  # the factories' password
SUPPLIER_PASSWORD = "Tejidos-del-Sur-2026!"
BROWSER_LOCALE = {"en": "en-US", "es": "es-CL"}

# What the people type, in the language they work in.
CONTENT: dict[str, dict[str, Any]] = {
    "en": {
        "language": "English",
        "reference": "IT-2026-017",
        "title": "Records management system for the municipality",
        "description": "Software to file, find and keep the municipality's records, and training for its staff.",
        "lots": [
            (
                "Software development",
                "Development and installation of the system",
                "1",
                "service",
                "72000000-5",
            ),
            ("Staff training", "Training for forty officials", "40", "hour", "80000000-4"),
        ],
        "document": "Terms of reference",
        "question": "May a cooperative bid for the training lot alone?",
        "answer": "Yes. Each lot is awarded separately, and cooperatives are welcome.",
        "supplier": "Cooperativa de Capacitación Andina",
    },
    "es": {
        "language": "Spanish",
        "reference": "TI-2026-017",
        "title": "Sistema de gestión documental para la municipalidad",
        "description": "Programa para archivar, buscar y conservar los documentos municipales, y capacitación del personal.",
        "lots": [
            (
                "Desarrollo del programa",
                "Desarrollo e instalación del sistema",
                "1",
                "servicio",
                "72000000-5",
            ),
            (
                "Capacitación del personal",
                "Capacitación para cuarenta funcionarios",
                "40",
                "hora",
                "80000000-4",
            ),
        ],
        "document": "Bases técnicas",
        "question": "¿Puede una cooperativa ofertar solo por el lote de capacitación?",
        "answer": "Sí. Cada lote se adjudica por separado y las cooperativas son bienvenidas.",
        "supplier": "Cooperativa de Capacitación Andina",
    },
}


def t(lang: str, message: str, **values: Any) -> str:
    """`message` as the pages show it in `lang`, with its placeholders filled."""
    with translation.override(lang):
        text = gettext(message)
    return text % values if values else text


def label(lang: str, message: str, **values: Any) -> re.Pattern[str]:
    """A field's label in `lang` (its placeholders filled), allowing for the required-field
    asterisk after it."""
    return re.compile(rf"^\s*{re.escape(t(lang, message, **values))}\s*\*?\s*$")


def exactly(lang: str, message: str, **values: Any) -> re.Pattern[str]:
    """A whole accessible name in `lang`."""
    return re.compile(rf"^\s*{re.escape(t(lang, message, **values))}\s*$")


def arrived(page: Any, lang: str, name: str = "") -> None:
    """Every page a person reaches: in their language, and accessible."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    if name:
        screenshot(page, f"{lang}-{name}")


def local_input(moment: dt.datetime) -> str:
    """What a person types in a datetime-local field: wall-clock time of the platform's zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def small_pdf() -> bytes:
    """A minimal but well-formed one-page PDF: header, four objects, a cross-reference table."""
    stream = b"BT /F1 18 Tf 72 720 Td (Terms of reference) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


# ---------------------------------------------------------------------------------------------
# the people


def buyer_publishes(page: Any, base: str, lang: str, official: Any, text: dict[str, Any]) -> str:
    """The buyer official signs in, drafts the tender and publishes it; returns its URL path."""
    page.goto(f"{base}/")
    arrived(page, "en")
    if lang != "en":
        # The language switcher in the header, as shown on the English page.
        page.get_by_label(t("en", "Language")).select_option(value=lang)
        page.get_by_role("button", name=t("en", "Change language")).click()
        expect(page).to_have_url(f"{base}/{lang}/")
        arrived(page, lang, "home")

    main_nav = page.get_by_role("navigation", name=t(lang, "Main"))
    main_nav.get_by_role("link", name=t(lang, "Sign in"), exact=True).click()
    arrived(page, lang, "sign-in")
    page.get_by_label(label(lang, "E-mail address")).fill(official.email)
    page.get_by_label(label(lang, "Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(lang, "Sign in"), exact=True).click()

    # Signed in, the official lands in the buyer workspace.
    expect(page).to_have_url(f"{base}/{lang}/buyer/")
    arrived(page, lang, "workspace")
    page.get_by_role("link", name=t(lang, "Start a new draft")).click()
    arrived(page, lang, "new-draft")

    now = timezone.now()
    page.get_by_label(label(lang, "Buyer's reference")).fill(text["reference"])
    page.get_by_label(label(lang, "Title")).fill(text["title"])
    page.get_by_label(label(lang, "Description")).fill(text["description"])
    page.get_by_label(label(lang, "Language of the tender")).select_option(
        label=t(lang, text["language"])
    )
    page.get_by_label(label(lang, "Procurement method")).select_option(label=t(lang, "Open"))
    page.get_by_label(label(lang, "Main category")).select_option(label=t(lang, "Services"))
    page.get_by_label(label(lang, "Estimated value")).fill("45000000")
    page.get_by_label(label(lang, "Currency")).select_option(label="CLP")
    page.get_by_label(label(lang, "Questions accepted until")).fill(
        local_input(now + dt.timedelta(days=12))
    )
    page.get_by_label(label(lang, "Bid deadline")).fill(local_input(now + dt.timedelta(days=21)))
    page.get_by_label(label(lang, "Bid opening")).fill(
        local_input(now + dt.timedelta(days=21, hours=2))
    )
    page.get_by_role("button", name=t(lang, "Save the draft")).click()

    # The draft's page: add the two lots, each with an item (in place, with HTMX).
    expect(page.get_by_role("heading", level=1)).to_have_text(text["title"])
    expect(page.get_by_role("status")).to_contain_text(
        t(lang, "The draft is saved. Now add its lots and items.")
    )
    arrived(page, lang, "draft")
    draft_path = page.url.removeprefix(base).split("#")[0]
    for number, (title, item, quantity, unit, code) in enumerate(text["lots"], start=1):
        add_lot = page.get_by_role("group", name=t(lang, "Add a lot"))
        add_lot.get_by_label(label(lang, "Lot title")).fill(title)
        add_lot.get_by_role("button", name=t(lang, "Add the lot")).click()
        lot_name = t(lang, "Lot %(number)s: %(title)s", number=number, title=title)
        lot = page.get_by_role("region", name=lot_name)
        expect(lot.get_by_text(t(lang, "This lot has no items yet."))).to_be_visible()
        lot.get_by_label(label(lang, "Item description")).fill(item)
        lot.get_by_label(label(lang, "Classification scheme")).select_option(value="CPV")
        lot.get_by_label(label(lang, "Classification code")).select_option(value=code)
        lot.get_by_label(label(lang, "Quantity")).fill(quantity)
        lot.get_by_label(label(lang, "Unit of measure")).fill(unit)
        lot.get_by_role(
            "button", name=t(lang, "Add the item to lot %(number)s", number=number)
        ).click()
        expect(lot.get_by_role("rowheader", name=item)).to_be_visible()
    assert_accessible(page)

    attach = page.get_by_role("group", name=t(lang, "Attach a document"))
    attach.get_by_label(label(lang, "Document title")).fill(text["document"])
    attach.get_by_label(label(lang, "Type of document")).select_option(
        label=t(lang, "Technical specifications")
    )
    attach.get_by_label(label(lang, "File")).set_input_files(
        files=[{"name": "terms.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    attach.get_by_role("button", name=t(lang, "Upload")).click()
    expect(page.get_by_role("status")).to_contain_text(t(lang, "The document is attached."))
    documents = page.get_by_role("table", name=t(lang, "Documents"))
    expect(documents.get_by_role("rowheader", name=text["document"])).to_be_visible()
    expect(documents.get_by_role("link", name="terms.pdf")).to_be_visible()
    arrived(page, lang, "draft-complete")

    # The opening committee: the buyer's three committee members with a key are offered, all
    # chosen, with two of them needed.
    page.get_by_role("link", name=t(lang, "Name the opening committee…")).click()
    arrived(page, lang, "committee")
    members = page.get_by_role("group", name=label(lang, "Members of the opening committee"))
    expect(members.get_by_role("checkbox")).to_have_count(3)
    for checkbox in members.get_by_role("checkbox").all():
        expect(checkbox).to_be_checked()
    expect(page.get_by_label(label(lang, "Members needed to open the bids"))).to_have_value("2")
    page.get_by_role("button", name=t(lang, "Save the committee")).click()
    expect(page.get_by_role("status")).to_contain_text(t(lang, "The opening committee is named."))
    committee = page.get_by_role("table", name=t(lang, "Opening committee"))
    expect(committee.get_by_role("row")).to_have_count(4)

    page.get_by_role("link", name=t(lang, "Publish…")).click()
    arrived(page, lang, "publish")
    page.get_by_role("button", name=t(lang, "Publish now")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t(lang, "The tender is published. It is open for questions and bids until the deadline.")
    )
    expect(page).to_have_url(f"{base}{draft_path}")
    arrived(page, lang)
    public_path = page.get_by_role("link", name=t(lang, "See the public page")).get_attribute(
        "href"
    )
    assert public_path is not None
    return public_path


def supplier_registers(page: Any, base: str, lang: str, text: dict[str, Any], email: str) -> None:
    """A new supplier registers its business, confirms the address and signs in."""
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/{lang}/")
    arrived(page, lang)
    page.get_by_role("navigation", name=t(lang, "Main")).get_by_role(
        "link", name=t(lang, "Register as a supplier")
    ).click()
    arrived(page, lang, "register")
    page.get_by_label(label(lang, "Your full name")).fill("Rosa Huanca Mamani")
    page.get_by_label(label(lang, "Your e-mail address")).fill(email)
    page.get_by_label(label(lang, "Password")).fill(SUPPLIER_PASSWORD)
    page.get_by_label(label(lang, "Password again")).fill(SUPPLIER_PASSWORD)
    expect(page.get_by_label(label(lang, "Preferred language"))).to_have_value(lang)
    page.get_by_label(label(lang, "Identifier register")).select_option(value="CL-RUT")
    page.get_by_label(label(lang, "Identifier")).fill(rut_with_check_digit(76_543_210))
    page.get_by_label(label(lang, "Legal name")).fill(text["supplier"])
    page.get_by_label(label(lang, "Country")).select_option(value="CL")
    page.get_by_label(label(lang, "Region, state or province")).fill("Arica y Parinacota")
    page.get_by_label(label(lang, "Legal form")).select_option(value="cooperative")
    page.get_by_label(label(lang, "Size of the business")).select_option(
        label=t(lang, "Micro enterprise")
    )
    for declared in ("It is indigenous-owned",):
        # USWDS draws its own box over the real checkbox: a person clicks the label.
        page.locator("label", has_text=exactly(lang, declared)).click()
        expect(page.get_by_label(label(lang, declared))).to_be_checked()
    page.get_by_role("button", name=t(lang, "Register"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Check your e-mail"))
    arrived(page, lang, "registered")

    # The confirmation link, as the supplier finds it in the message.
    assert [message.to for message in mail.outbox] == [[email]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body)
    assert link is not None
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    assert path.startswith(f"/{lang}/")
    page.goto(f"{base}{path}")
    arrived(page, lang, "confirm-email")
    page.get_by_role("button", name=t(lang, "Confirm"), exact=True).click()

    # Confirmed; the supplier signs in (unless the confirmation already did) and sees its
    # workspace.
    if "/accounts/login/" in page.url:
        arrived(page, lang)
        page.get_by_label(label(lang, "E-mail address")).fill(email)
        page.get_by_label(label(lang, "Password")).fill(SUPPLIER_PASSWORD)
        page.get_by_role("main").get_by_role("button", name=t(lang, "Sign in"), exact=True).click()
    expect(page).to_have_url(f"{base}/{lang}/supplier/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["supplier"])
    arrived(page, lang, "supplier-workspace")


def supplier_finds_and_asks(
    page: Any, base: str, lang: str, text: dict[str, Any], buyer_name: str
) -> None:
    """The supplier narrows the list down to the tender with its filters, and asks."""
    page.get_by_role("navigation", name=t(lang, "Main")).get_by_role(
        "link", name=t(lang, "Tenders"), exact=True
    ).click()
    arrived(page, lang, "list")
    results = (
        page.locator("#tender-results")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading"))
    )
    expect(results).to_have_count(3)

    # Each filter applies as soon as it is chosen, and the address records it.
    filters = page.get_by_role("search", name=t(lang, "Filter tenders"))
    # Each option says how many of the results it keeps ("Services (2)").
    category = filters.get_by_label(label(lang, "Category"))
    expect(category.locator("option[value=services]")).to_have_text(f"{t(lang, 'Services')} (2)")
    category.select_option(value="services")
    expect(page).to_have_url(re.compile(r"[?&]category=services"))
    expect(results).to_have_count(2)
    buyer_select = filters.get_by_label(label(lang, "Buyer"))
    mine = buyer_select.locator("option", has_text=buyer_name)
    expect(mine).to_have_text(f"{buyer_name} (1)")
    buyer_select.select_option(value=mine.get_attribute("value"))
    expect(page).to_have_url(re.compile(r"[?&]buyer="))
    expect(results).to_have_count(1)
    # The counts follow the results: the facets come back with each answer.
    classification = filters.get_by_label(label(lang, "Classification"))
    expect(classification.locator("option[value='80000000']")).to_have_text(re.compile(r"\(1\)$"))
    classification.select_option(value="80000000")
    expect(page).to_have_url(re.compile(r"[?&]classification=80000000"))
    expect(results).to_have_count(1)
    expect(page.locator("#tender-count")).to_have_text(
        t(lang, "%(counter)s tender found", counter=1)
    )
    arrived(page, lang, "list-filtered")

    results.get_by_role("link", name=text["title"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["title"])
    arrived(page, lang, "tender")
    lots = page.get_by_role("region", name=t(lang, "Lots and items"))
    for number, (title, item, *_rest) in enumerate(text["lots"], start=1):
        expect(
            lots.get_by_role(
                "heading", name=t(lang, "Lot %(number)s: %(title)s", number=number, title=title)
            )
        ).to_be_visible()
        expect(lots.get_by_role("rowheader", name=item)).to_be_visible()

    ask = page.get_by_role("form", name=t(lang, "Ask a question"))
    ask.get_by_label(label(lang, "Your question")).fill(text["question"])
    second_lot = t(lang, "Lot %(number)s: %(title)s", number=2, title=text["lots"][1][0])
    ask.get_by_label(label(lang, "About")).select_option(label=second_lot)
    ask.get_by_role("button", name=t(lang, "Send the question")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t(
            lang,
            "Your question was sent as question %(number)s. The buyer's answer will be "
            "published on this page.",
            number=1,
        )
    )
    question = page.get_by_role(
        "article", name=re.compile(re.escape(t(lang, "Question %(number)s", number=1)))
    )
    expect(question).to_contain_text(text["question"])
    expect(question).to_contain_text(t(lang, "Not answered yet."))
    arrived(page, lang, "asked")


def buyer_answers(page: Any, base: str, lang: str, text: dict[str, Any]) -> None:
    """Back in the workspace, the buyer sees the waiting question and answers it."""
    page.get_by_role("navigation", name=t(lang, "Main")).get_by_role(
        "link", name=t(lang, "My workspace")
    ).click()
    expect(page).to_have_url(f"{base}/{lang}/buyer/")
    arrived(page, lang)
    expect(page.get_by_role("main")).to_contain_text(
        t(lang, "%(counter)s question is waiting for an answer.", counter=1)
    )
    page.get_by_role("link", name=text["title"]).click()
    page.get_by_role("link", name=t(lang, "Questions (%(counter)s unanswered)", counter=1)).click()
    arrived(page, lang, "questions")
    waiting = page.get_by_role("article").filter(has_text=text["question"])
    waiting.get_by_label(label(lang, "Answer")).fill(text["answer"])
    waiting.get_by_role(
        "button", name=t(lang, "Publish the answer to question %(number)s", number=1)
    ).click()
    expect(page.get_by_role("status")).to_contain_text(
        t(lang, "Question %(number)s is answered; the answer is public.", number=1)
    )
    expect(page.get_by_role("region", name=t(lang, "Answered"))).to_contain_text(text["answer"])
    arrived(page, lang)


def visitor_reads(page: Any, base: str, lang: str, text: dict[str, Any]) -> None:
    """Someone who never signed in finds the tender from the home page and reads the answer."""
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/{lang}/")
    arrived(page, lang)
    page.get_by_role("region", name=t(lang, "Open opportunities closing soonest")).get_by_role(
        "link", name=text["title"]
    ).click()
    arrived(page, lang, "answered")
    question = page.get_by_role(
        "article", name=re.compile(re.escape(t(lang, "Question %(number)s", number=1)))
    )
    expect(question).to_contain_text(text["question"])
    expect(question).to_contain_text(text["answer"])
    # Who asked is never published.
    expect(page.get_by_role("main")).not_to_contain_text(text["supplier"])

    documents = page.get_by_role("table", name=t(lang, "Documents of this tender"))
    with page.expect_download() as download:
        documents.get_by_role("link", name=text["document"]).click()
    assert download.value.suggested_filename == "terms.pdf"
    assert Path(download.value.path()).read_bytes() == small_pdf()


# ---------------------------------------------------------------------------------------------
# the journey


@pytest.mark.parametrize("lang", ["en", "es"])
def test_tender_from_draft_to_public_answer(live_server: Any, new_page: Any, lang: str) -> None:
    text = CONTENT[lang]
    buyer = factories.BuyerFactory(legal_name="Ilustre Municipalidad de Arica")
    official = factories.member(buyer, "buyer_official", email="compras@arica.example")
    # Two published tenders the filters must leave out: goods of the same buyer, and services
    # of another buyer.
    factories.TenderOpenFactory(buyer=buyer, title="Adquisición de computadores")
    factories.TenderOpenFactory(title="Mantención de ascensores", category="services")
    base = live_server.url

    buyer_page = new_page(locale=BROWSER_LOCALE["en"])
    public_path = buyer_publishes(buyer_page, base, lang, official, text)
    tender = Tender.objects.get(reference=text["reference"])
    assert public_path == f"/{lang}/tenders/{tender.pk}/"
    assert tender.status == TenderStatus.ACTIVE
    assert [
        (lot.title, [(item.classification_code, item.quantity) for item in lot.items.all()])
        for lot in tender.lots.order_by("number")
    ] == [(title, [(code, int(quantity))]) for title, _item, quantity, _unit, code in text["lots"]]
    assert [(d.title, d.filename, d.content_type) for d in tender.documents.all()] == [
        (text["document"], "terms.pdf", "application/pdf")
    ]

    supplier_page = new_page(locale=BROWSER_LOCALE[lang])
    supplier_registers(supplier_page, base, lang, text, email=f"rosa.{lang}@andina.example")
    supplier_finds_and_asks(supplier_page, base, lang, text, buyer.display_name)

    buyer_answers(buyer_page, base, lang, text)
    question = Question.objects.get(tender=tender)
    assert (question.number, question.lot.number, question.asked_for.legal_name) == (
        1,
        2,
        text["supplier"],
    )
    assert question.answer == text["answer"]

    visitor_reads(new_page(locale=BROWSER_LOCALE[lang]), base, lang, text)
