"""A buyer official sets a draft's weighted award criteria in Chromium, once with JavaScript and
once without (issue 11, item 1): the button adds a row, a box removes one, the total follows,
a wrong total is refused in Spanish with what was typed kept, and the saved criteria show on
the draft's page. axe-core checks each page (without scripts, on a copy of what was shown, as
tests/browser/test_without_javascript.py does)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pregon.tenders.models import AwardCriterion, Tender
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journey import PASSWORD, label, local_input, t

expect = pytest.importorskip("playwright.sync_api").expect

LANG = "es"


def checked(page: Any, checker: Any) -> None:
    """The page is in Spanish, has one h1, and is accessible."""
    expect(page.locator("html")).to_have_attribute("lang", LANG)
    expect(page.locator("h1")).to_have_count(1)
    if checker is None:
        assert_accessible(page)
    else:
        checker.goto(page.url)
        checker.set_content(page.content())
        assert_accessible(checker)


def tick(scope: Any, text: str) -> None:
    """Tick a USWDS radio button or checkbox as a person does: by its label (the input itself
    is drawn by the label)."""
    scope.locator("label", has_text=text).click()


def row(page: Any, number: int) -> Any:
    """The fieldset of criterion `number` (1, 2, …)."""
    return page.get_by_role("group", name=t(LANG, "Criterion %(number)s", number=number))


@pytest.mark.parametrize("scripts", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_buyer_sets_weighted_criteria_on_a_draft(
    live_server: Any, new_page: Any, scripts: bool
) -> None:
    buyer = factories.BuyerFactory(legal_name="Municipalidad de Valdivia")
    official = factories.member(buyer, "buyer_official", email="ana@valdivia.example")
    page = new_page(locale="es-CL", java_script_enabled=scripts)
    checker = None if scripts else new_page(locale="es-CL")
    base = live_server.url

    page.goto(f"{base}/{LANG}/accounts/login/")
    page.get_by_label(label(LANG, "E-mail address")).fill(official.email)
    page.get_by_label(label(LANG, "Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(LANG, "Sign in"), exact=True).click()
    expect(page).to_have_url(f"{base}/{LANG}/buyer/")
    page.goto(f"{base}/{LANG}/buyer/tenders/new/")
    checked(page, checker)

    now = timezone.now()
    page.get_by_label(label(LANG, "Buyer's reference")).fill("LIC-2026-0950")
    page.get_by_label(label(LANG, "Title")).fill("Recolección de residuos")
    page.get_by_label(label(LANG, "Description")).fill("Recolección domiciliaria por 36 meses.")
    page.get_by_label(label(LANG, "Procurement method")).select_option(label=t(LANG, "Open"))
    page.get_by_label(label(LANG, "Main category")).select_option(label=t(LANG, "Services"))
    page.get_by_label(label(LANG, "Estimated value")).fill("900000000")
    page.get_by_label(label(LANG, "Questions accepted until")).fill(
        local_input(now + dt.timedelta(days=12))
    )
    page.get_by_label(label(LANG, "Bid deadline")).fill(local_input(now + dt.timedelta(days=21)))
    page.get_by_label(label(LANG, "Bid opening")).fill(
        local_input(now + dt.timedelta(days=21, hours=2))
    )
    tick(page, t(LANG, "Weighted criteria (price and quality)"))
    tick(page, t(LANG, "Linear: points = W × (1 − (P − L) ÷ L), and 0 at twice the lowest price"))
    expect(page.get_by_label(t(LANG, "Weighted criteria (price and quality)"))).to_be_checked()

    # Two rows to begin with: the price (named already) and a quality criterion.
    row(page, 1).get_by_label(label(LANG, "Weight (points)")).fill("60")
    row(page, 2).get_by_label(label(LANG, "Criterion")).fill("Flota de camiones")
    row(page, 2).get_by_label(label(LANG, "Weight (points)")).fill("25")
    page.get_by_role("button", name=t(LANG, "Add a criterion")).click()
    expect(row(page, 3)).to_be_visible()
    expect(page.locator("#criteria-total")).to_have_text(
        t(LANG, "Total: %(total)s of 100 points.", total=85)
    )
    # What was typed before the new row came back with the page.
    expect(page.get_by_label(label(LANG, "Buyer's reference"))).to_have_value("LIC-2026-0950")
    expect(row(page, 2).get_by_label(label(LANG, "Criterion"))).to_have_value("Flota de camiones")
    checked(page, checker)

    # A fourth row, then removed; and a total of 95 is refused.
    row(page, 3).get_by_label(label(LANG, "Criterion")).fill("Plan de reciclaje")
    row(page, 3).get_by_label(label(LANG, "Weight (points)")).fill("10")
    page.get_by_role("button", name=t(LANG, "Add a criterion")).click()
    row(page, 4).get_by_label(label(LANG, "Criterion")).fill("Sobra")
    row(page, 4).get_by_label(label(LANG, "Weight (points)")).fill("5")
    tick(row(page, 4), t(LANG, "Remove this criterion"))
    row(page, 2).get_by_label(label(LANG, "Weight (points)")).fill("20")
    page.get_by_role("button", name=t(LANG, "Save the draft")).click()
    expect(page.locator("#criteria-error")).to_have_text(
        t(
            LANG,
            "The weights add up to %(sum)s points; they must add up to exactly %(total)s.",
            sum=90,
            total=100,
        )
    )
    assert not Tender.objects.exists()
    checked(page, checker)

    row(page, 2).get_by_label(label(LANG, "Weight (points)")).fill("30")
    page.get_by_role("button", name=t(LANG, "Save the draft")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t(LANG, "The draft is saved. Now add its lots and items.")
    )
    tender = Tender.objects.get(reference="LIC-2026-0950")
    assert (tender.award_criteria, tender.price_scoring) == ("ratedCriteria", "linear")
    assert [
        (c.name, c.kind, c.weight)
        for c in AwardCriterion.objects.filter(tender=tender).order_by("position")
    ] == [
        (t(LANG, "Price"), "price", 60),
        ("Flota de camiones", "quality", 30),
        ("Plan de reciclaje", "quality", 10),
    ]
    section = page.locator("#award-criteria")
    expect(section.get_by_role("table")).to_contain_text("Flota de camiones")
    expect(section).to_contain_text(t(LANG, "Linear, zero at twice the lowest price"))
    checked(page, checker)
