"""The tender search in a browser: from the home page's box, a misspelled word still finds the
tender, a facet narrows the results, and every page on the way passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_with_a_misspelling_and_a_facet(live_server: Any, page: Any) -> None:
    buyer = factories.BuyerFactory(legal_name="Servicio de Salud Valparaíso")
    factories.TenderOpenFactory(
        buyer=buyer, title="Construcción del hospital regional", category="works"
    )
    factories.TenderOpenFactory(buyer=buyer, title="Hospital de campaña, arriendo de carpas")
    factories.TenderOpenFactory(buyer=buyer, title="Computadores portátiles")

    page.goto(f"{live_server.url}/en/")
    assert_accessible(page)
    page.get_by_label("Search tenders").first.fill("hopsital")
    page.get_by_role("button", name="Search tenders").first.click()
    page.wait_for_url("**/en/tenders/?q=hopsital")
    assert page.locator("#tender-count").inner_text() == "2 tenders found"
    assert page.locator("#tender-results mark").count() == 2
    assert_accessible(page)

    # The category facet, with its counts; the filters form submits on change (HTMX) and
    # also with its button.
    category = page.get_by_label("Category")
    assert category.locator("option").all_inner_texts() == [
        "Any category",
        "Goods (1)",
        "Works (1)",
    ]
    category.select_option("works")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#tender-count")).to_have_text("1 tender found")
    # The results are dimmed while HTMX loads them: wait until they are whole again.
    expect(page.locator(".htmx-request")).to_have_count(0)
    titles = page.locator("#tender-results h3").all_inner_texts()
    assert titles == ["Construcción del hospital regional"]
    assert_accessible(page)
