"""The journey of issue 13: a small purchase from the plan to the subcontract, in a real browser.

The world is a Chilean municipality with an earlier contract (a large firm's, paid on time),
its draft procurement plan for the year, and four small Chilean suppliers, one of them run
from Brazil in Portuguese. Everything else happens in the browser, each person in their own
browser context and language:

1. the buyer official adds a line to the plan and publishes it ("coming soon" for everyone);
2. the buyer posts a quick quote from that line (Chile's Compra Ágil) and publishes it;
3. three suppliers quote on it, one in Portuguese;
4. it closes (the platform's clock moves on; the cron command closes it); the buyer chooses
   the lowest quote and issues the purchase order;
5. the supplier accepts the order, in Portuguese, and posts a sub-opportunity for its
   transport; a micro firm answers it and is chosen: the subcontract is recorded on the order;
6. the buyer records the delivery met; the supplier invoices it; the buyer accepts the invoice
   and pays it 35 days later, past Chile's 30-day term;
7. the public figures of the buyer change: its share of contracts won by MSMEs, its quick-quote
   orders, its value subcontracted to MSMEs and its invoices paid late.

An anonymous visitor reads each step on the public pages. axe-core checks every page anyone
sees, in each language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pregon.accounts.models import User
from pregon.contracts.choices import InvoiceStatus
from pregon.contracts.models import Contract, Invoice
from pregon.core import clock
from pregon.organizations.models import Organization
from pregon.planning import services as planning
from pregon.planning.models import Plan, PlanLine
from pregon.quotes.choices import QuickQuoteStatus
from pregon.quotes.models import QuickQuote
from pregon.subcontracting.models import Subcontract
from tests import factories
from tests.browser.conftest import PlatformClock, assert_accessible
from tests.browser.test_award_to_payment_journey import (
    buyer_accepts_invoices,
    buyer_pays,
    confirm_from_workspace,
    money,
    number,
    status_says,
    submit,
)
from tests.browser.test_journey import arrived, label, local_input, small_pdf, t
from tests.browser.test_sealed_journey import sign_in
from tests.figures.world import contract as signed_contract
from tests.figures.world import invoice as paid_invoice
from tests.organizations.evidence import give_evidence

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

BUYER = "Ilustre Municipalidad de Valdivia"
LARGE = "Distribuidora Nacional S.A."
LIBRERIA = "Librería Austral Ltda."
PAPELERA = "Papelera del Sur SpA"
IPANEMA = "Comercial Ipanema SpA"
TRANSPORTES = "Transportes Calle-Calle"

#: The suppliers who quote: name → (scale, language they work in, browser locale, price).
QUOTERS: dict[str, tuple[str, str, str, str]] = {
    LIBRERIA: ("micro", "es", "es-CL", "1150000"),
    PAPELERA: ("small", "es", "es-CL", "1100000"),
    IPANEMA: ("micro", "pt-br", "pt-BR", "1050000"),
}
LINE = "Resmas de papel y tóner para las escuelas municipales"
DELIVERY_PLACE = "Bodega municipal, Av. Picarte 1500, Valdivia"
SUB_TITLE = "Transporte de las resmas a las 12 escuelas"
SUB_PRICE = "180000"


@dataclass
class World:
    buyer: Organization
    official: User
    plan: Plan
    people: dict[str, User]


def build_world() -> World:
    """The buyer, its earlier contract (a large firm's, paid on time), its draft plan for the
    year, and the small suppliers with their people."""
    now = timezone.now()
    buyer = factories.BuyerFactory(legal_name=BUYER, region="Los Ríos")
    official = factories.member(
        buyer, "buyer_official", email="compras@valdivia.example", language="es"
    )
    large = factories.SupplierFactory(legal_name=LARGE, scale="large")
    earlier = signed_contract(buyer, large, "2000000", "CLP", now - dt.timedelta(days=90))
    received = (now - dt.timedelta(days=60)).date()
    paid_invoice(earlier, received, received + dt.timedelta(days=30), received + dt.timedelta(10))
    plan = planning.plan_create(
        actor=factories.actor_for(official, buyer),
        buyer=buyer,
        data=planning.PlanData(year=now.year, title=f"Plan anual de compras {now.year}"),
    )
    people: dict[str, User] = {}
    suppliers = {name: (scale, lang) for name, (scale, lang, _l, _p) in QUOTERS.items()}
    suppliers[TRANSPORTES] = ("micro", "es")
    for name, (scale, lang) in suppliers.items():
        organization = factories.SupplierFactory(legal_name=name, scale=scale, region="Los Ríos")
        slug = re.sub(r"[^a-z]+", "", name.lower())[:20]
        people[name] = factories.member(
            organization, "supplier_user", email=f"ventas@{slug}.example", language=lang
        )
        # Registered once: documents current and scale verified, as an order needs.
        give_evidence(organization, actor=factories.actor_for(people[name], organization))
    return World(buyer=buyer, official=official, plan=plan, people=people)


# ---------------------------------------------------------------------------------------------
# what the public sees


def figure_rows(page: Any, slug: str) -> dict[str, list[str]]:
    """A figure's table: each row's label → its cells' texts."""
    table = page.locator(f"#figure-{slug}-table")
    rows: dict[str, list[str]] = {}
    for row in table.locator("tbody tr").all():
        header = row.locator("th")
        if header.count():
            rows[header.inner_text().strip()] = [
                cell.strip() for cell in row.locator("td").all_inner_texts()
            ]
    return rows


def buyer_figures(page: Any, base: str, lang: str, buyer: Organization) -> dict[str, Any]:
    """The visitor filters the figures page by the buyer; the rows of its tables."""
    page.goto(f"{base}/{lang}/figures/")
    form = page.get_by_role("search", name=t(lang, "Filter the figures"))
    form.get_by_label(label(lang, "Buyer")).select_option(label=buyer.display_name)
    submit(page, form.get_by_role("button", name=t(lang, "Show the figures")))
    arrived(page, lang)
    return {
        slug: figure_rows(page, slug)
        for slug in ("contracts", "quick-quotes", "subcontracting", "payment")
    }


def row(figures: dict[str, Any], slug: str, lang: str, group: str) -> list[str]:
    return figures[slug][t(lang, group)]


# ---------------------------------------------------------------------------------------------
# 1. and 2. the buyer: a plan line, then a quick quote from it


def buyer_publishes_a_line(page: Any, base: str, world: World) -> PlanLine:
    lang = "es"
    sign_in(page, base, lang, world.official.email)
    page.goto(f"{base}/{lang}/buyer/plans/{world.plan.pk}/")
    arrived(page, lang, "small-plan-draft")
    page.get_by_role("link", name=t(lang, "Add a line")).first.click()
    arrived(page, lang, "small-plan-line-form")
    page.get_by_label(label(lang, "What will be bought")).fill(LINE)
    page.get_by_label(label(lang, "Classification scheme")).select_option(value="CPV")
    page.get_by_label(label(lang, "Or type a more precise code")).fill("30197630")
    page.get_by_label(label(lang, "Estimated value")).fill("1200000")
    page.get_by_label(label(lang, "Currency")).select_option(value="CLP")
    quarter = (timezone.localdate().month - 1) // 3 + 1
    page.get_by_label(label(lang, "Expected start")).select_option(value=str(quarter))
    page.get_by_label(label(lang, "Procurement method")).select_option(value="limited")
    page.get_by_label(label(lang, "Main category")).select_option(value="goods")
    submit(page, page.get_by_role("button", name=t(lang, "Add the line")))
    status_says(page, lang, "Line %(number)s is saved.", number=1)
    page.get_by_role("link", name=t(lang, "Publish the plan")).click()
    arrived(page, lang, "small-plan-publish")
    submit(page, page.get_by_role("button", name=t(lang, "Publish now")))
    line = PlanLine.objects.get(plan=world.plan)
    assert line.is_public
    return line


def visitor_sees_coming_soon(page: Any, base: str, line: PlanLine) -> None:
    lang = "es"
    page.goto(f"{base}/{lang}/plans/")
    arrived(page, lang, "small-coming-soon")
    page.get_by_role("link", name=LINE).first.click()
    arrived(page, lang, "small-line-public")
    expect(page.get_by_role("heading", level=1)).to_contain_text(LINE)


def buyer_posts_quick_quote(page: Any, base: str, world: World) -> QuickQuote:
    """From the plan's page, the line's "Post a quick quote" link: the form comes filled from
    the line; the buyer adds the quantity, the delivery and the closing, then publishes."""
    lang = "es"
    page.goto(f"{base}/{lang}/buyer/plans/{world.plan.pk}/")
    arrived(page, lang)
    page.get_by_role(
        "link", name=re.compile(re.escape(t(lang, "Post a quick quote from this line")))
    ).click()
    arrived(page, lang, "small-quick-quote-form")
    expect(page.get_by_label(label(lang, "Title"))).to_have_value(LINE)
    page.get_by_label(label(lang, "Item %(number)s: quantity", number=1)).fill("400")
    page.get_by_label(label(lang, "Item %(number)s: unit", number=1)).fill("resmas")
    page.get_by_label(label(lang, "Delivery place")).fill(DELIVERY_PLACE)
    today = timezone.localdate()
    page.get_by_label(label(lang, "Delivery date")).fill(
        (today + dt.timedelta(days=10)).isoformat()
    )
    closing = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    page.get_by_label(label(lang, "Closing (date and time)")).fill(local_input(closing))
    submit(page, page.get_by_role("button", name=t(lang, "Save the draft")))
    status_says(page, lang, "The quick quote is drafted. Check it, then publish it.")
    arrived(page, lang, "small-quick-quote-draft")
    submit(page, page.get_by_role("button", name=t(lang, "Publish"), exact=True))
    status_says(page, lang, "The quick quote is published.")
    arrived(page, lang, "small-quick-quote-open")
    quick_quote = QuickQuote.objects.get(plan_line__plan=world.plan)
    assert quick_quote.status == QuickQuoteStatus.OPEN
    assert quick_quote.ocid == PlanLine.objects.get(plan=world.plan).ocid
    return quick_quote


# ---------------------------------------------------------------------------------------------
# 3. the suppliers


def supplier_quotes(page: Any, base: str, world: World, name: str, quick_quote: QuickQuote) -> None:
    """A supplier finds the quick quote in the public list and quotes on it."""
    _scale, lang, _locale, price = QUOTERS[name]
    sign_in(page, base, lang, world.people[name].email)
    page.goto(f"{base}/{lang}/quotes/")
    arrived(page, lang, f"small-quotes-list-{lang}")
    page.get_by_role("link", name=LINE).first.click()
    arrived(page, lang, f"small-quick-quote-public-{lang}")
    page.get_by_role("link", name=t(lang, "Quote on it")).click()
    arrived(page, lang, f"small-quote-form-{lang}")
    page.get_by_label(label(lang, "Your price for everything asked")).fill(price)
    page.get_by_label(label(lang, "Date you can deliver")).fill(
        (timezone.localdate() + dt.timedelta(days=8)).isoformat()
    )
    page.get_by_label(label(lang, "Note (optional)")).fill("400 resmas carta y 12 tóner.")
    submit(page, page.get_by_role("button", name=t(lang, "Submit my quote")))
    status_says(
        page, lang, "Your quote is submitted. You may replace or withdraw it until the closing."
    )
    arrived(page, lang, f"small-quote-submitted-{lang}")


# ---------------------------------------------------------------------------------------------
# 4. the choice and the order


def buyer_chooses_and_orders(page: Any, base: str, quick_quote: QuickQuote) -> Contract:
    lang = "es"
    page.goto(f"{base}/{lang}/quotes/buyer/{quick_quote.pk}/")
    arrived(page, lang, "small-quick-quote-closed")
    table = page.get_by_role("region", name=t(lang, "Quotes"))
    for name in QUOTERS:
        expect(table).to_contain_text(name)
    choose = page.get_by_role("form", name=t(lang, "Choose a quote"))
    choose.get_by_role("radio", name=re.compile(re.escape(IPANEMA))).check()
    submit(page, choose.get_by_role("button", name=t(lang, "Choose this quote")))
    status_says(page, lang, "The quote is chosen. Issue the order.")
    order = page.get_by_role("form", name=t(lang, "Issue the purchase order"))
    order.get_by_label(label(lang, "Signed for the buyer by (name and position)")).fill(
        "Marta Vidal, jefa de abastecimiento"
    )
    submit(page, order.get_by_role("button", name=t(lang, "Sign and issue the order")))
    status_says(page, lang, "The purchase order is issued. It awaits the supplier's acceptance.")
    arrived(page, lang, "small-order-issued")
    quick_quote.refresh_from_db()
    assert quick_quote.order is not None
    return quick_quote.order


# ---------------------------------------------------------------------------------------------
# 5. the order accepted, and the subcontract


def prime_posts_sub_opportunity(page: Any, lang: str) -> None:
    """On its order's page, the supplier posts the transport as a sub-opportunity for MSMEs."""
    page.get_by_role("link", name=t(lang, "Post a sub-opportunity")).first.click()
    arrived(page, lang, "small-sub-opportunity-form")
    page.get_by_label(label(lang, "Title")).fill(SUB_TITLE)
    page.get_by_label(label(lang, "The work you offer")).fill(
        "Retirar 400 resmas en la bodega municipal y entregarlas en 12 escuelas de Valdivia."
    )
    page.get_by_label(label(lang, "Classification scheme")).select_option(value="CPV")
    page.get_by_label(label(lang, "Or type a more precise code")).fill("60100000")
    # "Estimated value (CLP)": the contract's currency.
    page.get_by_label(re.compile("^" + re.escape(t(lang, "Estimated value")))).fill("200000")
    closes = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=3)
    page.get_by_label(label(lang, "Answers accepted until")).fill(local_input(closes))
    submit(page, page.get_by_role("button", name=t(lang, "Post"), exact=True))
    status_says(page, lang, "Your sub-opportunity is published.")
    arrived(page, lang, "small-sub-opportunity-manage")


def micro_firm_answers(page: Any, base: str, world: World) -> None:
    lang = "es"
    sign_in(page, base, lang, world.people[TRANSPORTES].email, check=False)
    page.goto(f"{base}/{lang}/subcontracting/")
    arrived(page, lang, "small-sub-opportunities")
    page.get_by_role("link", name=SUB_TITLE).first.click()
    arrived(page, lang, "small-sub-opportunity")
    answer = page.get_by_role("form", name=t(lang, "Answer"))
    answer.get_by_label(label(lang, "Your price (%(currency)s)", currency="CLP")).fill(SUB_PRICE)
    answer.get_by_label(label(lang, "Note to the poster")).fill(
        "Dos camiones de 3/4, en dos días; 15 años repartiendo a las escuelas de la comuna."
    )
    submit(
        page,
        answer.get_by_role("button", name=t(lang, "Answer for %(name)s", name=TRANSPORTES)),
    )
    status_says(page, lang, "Your answer was sent to the poster.")
    arrived(page, lang, "small-sub-answered")


def prime_chooses(page: Any, lang: str) -> None:
    page.reload()
    arrived(page, lang, "small-sub-answers")
    submit(page, page.get_by_role("button", name=t(lang, "Choose %(name)s", name=TRANSPORTES)))
    status_says(page, lang, "You chose %(supplier)s; it is told by e-mail.", supplier=TRANSPORTES)


# ---------------------------------------------------------------------------------------------
# 6. delivery, invoice, payment


def buyer_records_delivery(page: Any, base: str, order: Contract) -> None:
    lang = "es"
    page.goto(f"{base}/{lang}/contracts/{order.pk}/manage/")
    arrived(page, lang, "small-order-manage")
    meet = page.get_by_role("region", name=t(lang, "Record a delivery as met"))
    submit(page, meet.get_by_role("button", name=t(lang, "Record it met and publish")).first)
    status_says(page, lang, "The delivery is recorded as met.")


def supplier_invoices(page: Any, lang: str) -> None:
    page.reload()
    form = page.get_by_role("form", name=t(lang, "Submit an invoice"))
    form.get_by_label(label(lang, "Your invoice number")).fill("F-101")
    form.get_by_label(label(lang, "Amount")).fill("1050000")
    form.get_by_label(label(lang, "Invoice date")).fill(
        timezone.localtime(clock.now()).date().isoformat()
    )
    form.get_by_label(label(lang, "The invoice (a document)")).set_input_files(
        files=[{"name": "factura.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    submit(page, form.get_by_role("button", name=t(lang, "Send the invoice")))
    status_says(page, lang, "Your invoice was sent to the buyer.")
    arrived(page, lang, "small-order-invoiced")


# ---------------------------------------------------------------------------------------------


def test_a_small_purchase_from_the_plan_to_the_subcontract(
    live_server: Any, new_page: Any, platform_clock: PlatformClock
) -> None:
    world = build_world()
    base = live_server.url
    visitor = new_page(locale="es-CL")

    # Before: the buyer's one contract went to a large firm, paid on time.
    before = buyer_figures(visitor, base, "es", world.buyer)
    assert row(before, "contracts", "es", "All suppliers")[0] == "1"
    assert row(before, "contracts", "es", "All MSMEs (micro, small, medium, self-employed)") == [
        "0",
        number("es", "0.0"),
    ]
    assert row(before, "payment", "es", "All suppliers")[3:] == ["0", number("es", "0.0")]

    # 1. and 2. The plan line, then the quick quote that follows it.
    buyer = new_page(locale="es-CL")
    line = buyer_publishes_a_line(buyer, base, world)
    visitor_sees_coming_soon(visitor, base, line)
    quick_quote = buyer_posts_quick_quote(buyer, base, world)
    visitor.goto(f"{base}/es/quotes/{quick_quote.pk}/")
    arrived(visitor, "es", "small-visitor-quick-quote")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(LINE)

    # 3. Three suppliers quote, one in Portuguese.
    pages = {}
    for name, (_scale, _lang, locale, _price) in QUOTERS.items():
        pages[name] = new_page(locale=locale)
        supplier_quotes(pages[name], base, world, name, quick_quote)
    assert quick_quote.quotes.count() == 3

    # 4. The closing (the platform's clock moves past it; the cron command closes it).
    platform_clock.advance(days=2, hours=1)
    call_command("close_due_quick_quotes", verbosity=0)
    quick_quote.refresh_from_db()
    assert quick_quote.status == QuickQuoteStatus.CLOSED
    visitor.goto(f"{base}/es/quotes/{quick_quote.pk}/")
    arrived(visitor, "es", "small-visitor-quotes-shown")
    for name in QUOTERS:
        expect(visitor.get_by_role("region", name=t("es", "Quotes"))).to_contain_text(name)
    order = buyer_chooses_and_orders(buyer, base, quick_quote)

    # 5. The order accepted in Portuguese; the transport subcontracted to a micro firm.
    prime = pages[IPANEMA]
    confirm_from_workspace(prime, "pt-br", order.title, "Luiz Carvalho, sócio-gerente")
    prime_posts_sub_opportunity(prime, "pt-br")
    micro_firm_answers(new_page(locale="es-CL"), base, world)
    prime_chooses(prime, "pt-br")
    subcontract = Subcontract.objects.get(contract=order)
    assert subcontract.subcontractor.display_name == TRANSPORTES
    assert subcontract.value == Decimal(SUB_PRICE)
    visitor.goto(f"{base}/es/contracts/{order.pk}/")
    arrived(visitor, "es", "small-visitor-order")
    subcontracts = visitor.get_by_role("region", name=t("es", "Subcontracts"))
    expect(subcontracts).to_contain_text(TRANSPORTES)
    expect(subcontracts).to_contain_text(money("es", SUB_PRICE))

    # 6. Delivered, invoiced, and paid 35 days later: late under Chile's 30-day term.
    buyer_records_delivery(buyer, base, order)
    prime.goto(f"{base}/pt-br/contracts/{order.pk}/mine/")
    supplier_invoices(prime, "pt-br")
    buyer_accepts_invoices(buyer, "es", numbers=(1,))
    platform_clock.advance(days=35)
    buyer_pays(buyer, "es", 1, late=True)
    invoice = Invoice.objects.get(contract=order)
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.paid_on > invoice.due_on

    # 7. The buyer's public figures have changed.
    after = buyer_figures(visitor, base, "es", world.buyer)
    msme = "All MSMEs (micro, small, medium, self-employed)"
    assert row(after, "contracts", "es", "All suppliers")[0] == "2"
    assert row(after, "contracts", "es", msme) == ["1", number("es", "50.0")]
    assert row(after, "contracts", "es", "Micro enterprise") == ["1", number("es", "50.0")]
    assert row(after, "quick-quotes", "es", msme) == ["1", number("es", "100.0")]
    assert row(after, "subcontracting", "es", msme)[-1] == number("es", "100.0")
    paid = row(after, "payment", "es", "All suppliers")
    assert (paid[0], paid[3], paid[4]) == ("2", "1", number("es", "50.0"))
    assert_accessible(visitor)
