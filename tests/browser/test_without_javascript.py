"""The public portal with JavaScript switched off, on a phone (issue 8, item 7).

A supplier whose browser runs no scripts finds a tender from the home page's search and
through the list's filters, reads its open data and the transparency log's page, looks the
supplier up in the organizations directory, signs in, asks a question and switches language:
every step is a link or a form the browser submits by itself. axe-core checks each page.

axe-core is a script, and runs no further than its first timer in a page where scripts are off:
each page is checked as a copy of what the supplier saw, in a second page with scripts on.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pregon.tenders.models import Question
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journey import PASSWORD, label, t
from tests.browser.test_layout import PHONE

expect = pytest.importorskip("playwright.sync_api").expect

LANG = "es"
QUESTION = "¿Se puede ofertar solo por la mantención preventiva?"


def arrived(page: Any, checker: Any, lang: str) -> None:
    """A page the supplier reached: in their language, with one h1, and accessible."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    # At the same address first, so that the copy's styles and links resolve as they did.
    checker.goto(page.url)
    checker.set_content(page.content())
    assert_accessible(checker)


def test_a_supplier_without_javascript(live_server: Any, browser: Any) -> None:
    buyer = factories.BuyerFactory(legal_name="Ilustre Municipalidad de Arica")
    lift = factories.TenderOpenFactory(
        buyer=buyer, title="Mantención de ascensores", category="services"
    )
    factories.TenderOpenFactory(buyer=buyer, title="Adquisición de computadores")
    supplier = factories.SupplierFactory(legal_name="Cooperativa Andina", scale="micro")
    person = factories.member(supplier, "supplier_user", email="rosa@andina.example")
    base = live_server.url

    context = browser.new_context(locale="es-CL", viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    checker = browser.new_context(locale="es-CL", viewport=PHONE).new_page()
    try:
        # The home page's search.
        page.goto(f"{base}/")
        expect(page).to_have_url(f"{base}/{LANG}/")
        arrived(page, checker, LANG)
        search = page.get_by_role("search")
        search.get_by_label(t(LANG, "Search tenders")).fill("ascensores")
        search.get_by_role("button", name=t(LANG, "Search tenders")).click()
        expect(page).to_have_url(f"{base}/{LANG}/tenders/?q=ascensores")
        results = (
            page.locator("#tender-results")
            .get_by_role("listitem")
            .filter(has=page.get_by_role("heading"))
        )
        expect(results).to_have_count(1)
        arrived(page, checker, LANG)

        # The list's filters: a button opens them, a button applies them.
        page.goto(f"{base}/{LANG}/tenders/")
        expect(results).to_have_count(2)
        page.locator("summary", has_text=t(LANG, "Filters")).click()
        filters = page.get_by_role("search", name=t(LANG, "Filter tenders"))
        # The option reads "Servicios (1)", with its count among the results.
        filters.get_by_label(label(LANG, "Category")).select_option("services")
        # No script applies the choice at once, as HTMX does where scripts run.
        expect(page).to_have_url(f"{base}/{LANG}/tenders/")
        filters.get_by_role("button", name=t(LANG, "Apply filters")).click()
        expect(page).to_have_url(re.compile(r"[?&]category=services(&|$)"))
        expect(results).to_have_count(1)
        arrived(page, checker, LANG)

        # The tender, its open data, and the log's page.
        results.get_by_role("link", name=lift.title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(lift.title)
        arrived(page, checker, LANG)
        open_data = page.get_by_role("region", name=t(LANG, "Open data"))
        expect(
            open_data.get_by_role("link", name=t(LANG, "The OCDS record of this tender (JSON)"))
        ).to_have_attribute("href", f"/api/ocds/records/{lift.ocid}")
        open_data.get_by_role(
            "link", name=t(LANG, "What the transparency log is, and how to verify it")
        ).click()
        expect(page).to_have_url(f"{base}/log/")
        expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Transparency log"))
        arrived(page, checker, LANG)

        # The directory, filtered to suppliers.
        main_nav = page.get_by_role("navigation", name=t(LANG, "Main"))
        main_nav.get_by_role("link", name=t(LANG, "Organizations")).click()
        expect(page).to_have_url(f"{base}/{LANG}/organizations/")
        arrived(page, checker, LANG)
        page.locator("summary", has_text=t(LANG, "Filters")).click()
        directory = page.get_by_role("search", name=t(LANG, "Filter organizations"))
        directory.get_by_label(label(LANG, "Kind")).select_option(value="supplier")
        directory.get_by_role("button", name=t(LANG, "Apply filters")).click()
        expect(page).to_have_url(re.compile(r"[?&]kind=supplier(&|$)"))
        rows = page.get_by_role("table").get_by_role("rowheader")
        expect(rows).to_have_text([supplier.legal_name])
        arrived(page, checker, LANG)

        # Sign in (a form post) and ask a question (another).
        main_nav = page.get_by_role("navigation", name=t(LANG, "Main"))
        main_nav.get_by_role("link", name=t(LANG, "Sign in"), exact=True).click()
        arrived(page, checker, LANG)
        page.get_by_label(label(LANG, "E-mail address")).fill(person.email)
        page.get_by_label(label(LANG, "Password")).fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name=t(LANG, "Sign in"), exact=True).click()
        expect(page).to_have_url(f"{base}/{LANG}/supplier/")
        arrived(page, checker, LANG)

        page.goto(f"{base}{lift.get_absolute_url().replace('/en/', f'/{LANG}/')}")
        ask = page.get_by_role("form", name=t(LANG, "Ask a question"))
        ask.get_by_label(label(LANG, "Your question")).fill(QUESTION)
        ask.get_by_role("button", name=t(LANG, "Send the question")).click()
        expect(page.get_by_role("status")).to_contain_text(
            t(
                LANG,
                "Your question was sent as question %(number)s. The buyer's answer will be "
                "published on this page.",
                number=1,
            )
        )
        arrived(page, checker, LANG)

        # The language switcher is a form too.
        page.get_by_label(t(LANG, "Language")).select_option(value="en")
        page.get_by_role("button", name=t(LANG, "Change language")).click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/en/tenders/{lift.pk}/"))
        arrived(page, checker, "en")
    finally:
        context.close()
        checker.context.close()

    question = Question.objects.get(tender=lift)
    assert (question.number, question.text, question.asked_for) == (1, QUESTION, supplier)
