"""The contracts' pages in Chromium, in Spanish: the buyer's list and working page (an amended
contract in force with an invoice to decide and one paid late), the supplier's list and page
(with its form to invoice), the public contract page and the tender's page with its contracts
and the buyer's payment figures. Each page has one h1, is in Spanish, and axe-core finds no
serious or critical violation on it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pregon.contracts import services
from pregon.core import clock
from tests.browser.conftest import assert_accessible
from tests.browser.test_journey import PASSWORD, label, t
from tests.contracts.world import contract_world

expect = pytest.importorskip("playwright.sync_api").expect

LANG = "es"


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/{LANG}/accounts/login/")
    page.get_by_label(label(LANG, "E-mail address")).fill(email)
    page.get_by_label(label(LANG, "Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(LANG, "Sign in"), exact=True).click()


def _checked(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(page.locator("html")).to_have_attribute("lang", LANG)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_the_contract_pages_are_accessible(
    live_server: Any, new_page: Any, buyer: Any, settings: Any
) -> None:
    world = contract_world(buyer, settings)
    contract = world.active()
    with clock.at(world.at(5)):
        services.contract_amend(
            actor=world.official,
            contract=contract,
            data=services.AmendmentData(reason="Más equipos.", value=Decimal("130000")),
        )
    world.met(contract, 1, 10)
    paid = world.invoice(contract, 1, 11, "50000")
    world.accept(paid, 12)
    world.pay(paid, 60)
    world.invoice(contract, 1, 61, "10000")
    base = live_server.url

    anonymous = new_page(locale="es-CL")
    _checked(anonymous, f"{base}/{LANG}/contracts/{contract.pk}/")
    expect(anonymous.get_by_text(t(LANG, "Paid late")).first).to_be_visible()
    _checked(anonymous, f"{base}/{LANG}/tenders/{contract.tender_id}/")
    expect(anonymous.get_by_role("heading", name=t(LANG, "Contracts and payments"))).to_be_visible()
    _checked(anonymous, f"{base}/{LANG}/organizations/{world.buyer.pk}/")

    official = new_page(locale="es-CL")
    _sign_in(official, base, world.official.user.email)
    _checked(official, f"{base}/{LANG}/contracts/buyer/")
    _checked(official, f"{base}/{LANG}/contracts/{contract.pk}/manage/")
    expect(
        official.get_by_role("button", name=t(LANG, "Accept invoice %(number)s", number=2))
    ).to_be_visible()

    supplier = new_page(locale="es-CL")
    _sign_in(supplier, base, world.supplier_actor.user.email)
    _checked(supplier, f"{base}/{LANG}/contracts/supplier/")
    _checked(supplier, f"{base}/{LANG}/contracts/{contract.pk}/mine/")
    expect(supplier.get_by_role("heading", name=t(LANG, "Submit an invoice"))).to_be_visible()
