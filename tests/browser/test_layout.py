"""How pages lay out on a 390 px phone and on a 1280 px screen (issue 9, item 12).

On a phone the tender list shows its first result without scrolling and its filters open from
a button; the home page's search button shows and names what it does; the audit table fits the
screen, its last column (the address a change came from) included. On a wide screen the
header's links never wrap, in any of the four languages.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pregon.core.actor import Actor
from pregon.tenders import services
from tests import factories
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_journey import label, t

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = ["en", "es", "pt-br", "fr"]


def open_page(browser: Any, viewport: dict[str, int], user: Any = None, base: str = "") -> Any:
    """A page in a context of its own, at `viewport`, signed in as `user` if given."""
    context = browser.new_context(locale="en-US", viewport=viewport)
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    return context.new_page()


@pytest.fixture
def pages(browser: Any) -> Any:
    """Open pages with `open_page`'s arguments; their contexts are closed after the test."""
    opened: list[Any] = []

    def make(viewport: dict[str, int], user: Any = None, base: str = "") -> Any:
        page = open_page(browser, viewport, user, base)
        opened.append(page.context)
        return page

    yield make
    for context in opened:
        context.close()


def text_lines(element: Any) -> int:
    """How many lines an element's text takes: the distinct tops of its text's line boxes."""
    return int(
        element.evaluate(
            """(node) => {
                const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
                const tops = new Set();
                for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                    const range = document.createRange();
                    range.selectNodeContents(text);
                    for (const rect of range.getClientRects()) {
                        if (rect.width > 0) tops.add(Math.round(rect.top));
                    }
                }
                return tops.size;
            }"""
        )
    )


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


# ---------------------------------------------------------------------------------------------
# the tender list on a phone


def test_on_a_phone_the_first_tender_shows_without_scrolling(live_server: Any, pages: Any) -> None:
    buyer = factories.BuyerFactory(legal_name="Ilustre Municipalidad de Arica")
    for number in range(3):
        factories.TenderOpenFactory(buyer=buyer, title=f"Adquisición de computadores {number}")
    factories.TenderOpenFactory(title="Mantención de ascensores", category="services")
    page = pages(PHONE)
    page.goto(f"{live_server.url}/en/tenders/")

    results = (
        page.locator("#tender-results")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading"))
    )
    expect(results).to_have_count(4)
    first = results.first.get_by_role("heading").bounding_box()
    assert first is not None
    assert first["y"] + first["height"] <= PHONE["height"], first
    no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, "phone-list")

    # The filters wait behind a button, and work once opened.
    filters = page.get_by_role("search", name=t("en", "Filter tenders"))
    category = filters.get_by_label(label("en", "Category"))
    expect(category).to_be_hidden()
    # (A <summary> has no ARIA role to find it by: it is found as the disclosure it is.)
    page.locator("summary", has_text=t("en", "Filters")).click()
    expect(category).to_be_visible()
    category.select_option("services")  # its option reads "Services (1)": the count
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Mantención de ascensores")
    # While htmx fetches, the results are dimmed (lower contrast): check the page once it ends.
    expect(page.locator(".htmx-request")).to_have_count(0)
    assert_accessible(page)


def test_on_a_wide_screen_the_filters_are_always_open(live_server: Any, pages: Any) -> None:
    page = pages(DESKTOP)
    page.goto(f"{live_server.url}/en/tenders/")
    filters = page.get_by_role("search", name=t("en", "Filter tenders"))
    expect(filters.get_by_label(label("en", "Category"))).to_be_visible()
    expect(page.get_by_role("heading", name=t("en", "Filters"), level=2)).to_be_visible()
    expect(page.locator(".pregon-disclosure > summary")).to_be_hidden()


# ---------------------------------------------------------------------------------------------
# the home page's search button


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_home_search_button_is_named_and_shows_what_it_does(
    live_server: Any, pages: Any, viewport: dict[str, int]
) -> None:
    page = pages(viewport)
    page.goto(f"{live_server.url}/en/")
    search = page.get_by_role("search")
    button = search.get_by_role("button", name=t("en", "Search tenders"), exact=True)
    expect(button).to_be_visible()
    # Something inside it is drawn: the words on a wide screen, the magnifier on a phone.
    shown = [
        box
        for part in button.locator("span, img").all()
        if part.is_visible() and (box := part.bounding_box()) is not None
    ]
    assert [box["width"] * box["height"] > 100 for box in shown] == [True]
    if viewport is PHONE:
        expect(button.get_by_role("img", name=t("en", "Search tenders"))).to_be_visible()
    else:
        expect(button.get_by_text(t("en", "Search tenders"))).to_be_visible()
    # The search works from there.
    search.get_by_label(t("en", "Search tenders")).fill("ascensores")
    button.click()
    expect(page).to_have_url(f"{live_server.url}/en/tenders/?q=ascensores")


# ---------------------------------------------------------------------------------------------
# the audit table


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_audit_table_fits_the_screen(
    live_server: Any, pages: Any, viewport: dict[str, int]
) -> None:
    buyer = factories.BuyerFactory()
    official = factories.member(buyer, "buyer_official")
    tender = factories.TenderOpenFactory(buyer=buyer)
    # A long reason in the summary, one long word in it too: it used to make the column
    # thousands of pixels wide.
    reason = "La necesidad fue cubierta por un convenio marco vigente. " * 30 + "x" * 300
    services.tender_cancel(
        actor=Actor(user=official, organization=buyer, ip_address="203.0.113.77"),
        tender=tender,
        reason=reason,
    )
    auditor = factories.member(factories.OversightFactory(), "auditor")
    page = pages(viewport, auditor, live_server.url)
    page.goto(f"{live_server.url}/en/audit/?action=tender.cancel")

    table = page.get_by_role("table")
    expect(table.get_by_text("203.0.113.77")).to_be_visible()
    box = table.bounding_box()
    address = table.get_by_text("203.0.113.77").bounding_box()
    assert box is not None and address is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert address["x"] >= 0 and address["x"] + address["width"] <= viewport["width"], address
    no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, f"audit-{viewport['width']}")


# ---------------------------------------------------------------------------------------------
# the header


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_links_do_not_wrap_on_a_wide_screen(
    live_server: Any, pages: Any, language: str
) -> None:
    official = factories.member(factories.BuyerFactory(), "buyer_official")
    for user in (None, official):
        page = pages(DESKTOP, user, live_server.url)
        page.goto(f"{live_server.url}/{language}/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        nav = page.get_by_role("navigation", name=t(language, "Main"))
        items = nav.get_by_role("listitem").all()
        assert len(items) == 5
        tops = set()
        for item in items:
            target = item.locator("a, button").first
            assert text_lines(target) == 1, f"{target.inner_text()!r} wraps in {language}"
            box = item.bounding_box()
            assert box is not None
            tops.add(round(box["y"]))
        assert len(tops) == 1, f"the header's links take {len(tops)} rows in {language}"
        switch = page.get_by_role("button", name=t(language, "Change language"))
        assert text_lines(switch) == 1
        screenshot(page, f"header-{language}-{'signed-in' if user else 'visitor'}")
