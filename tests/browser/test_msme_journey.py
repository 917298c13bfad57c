"""The MSME journey of issue 12, as its people live it in headless Chromium.

A Brazilian municipality publishes, under Brazil's rule pack (BR@2026.1), a tender of two lots
whose reservation the pack decides: lot 1, worth R$75,000, is reserved for micro and small
enterprises (ME/EPP, Lei Complementar 123/2006, art. 48, I: up to R$80,000), and lot 2, worth
R$120,000, is open to all.

1. A Chilean cooperative registers in Spanish on the registration page, confirms its e-mail
   address, and uploads its legal, tax and social security documents once, with their expiry
   dates; then it bids for lot 1 without giving any of them again.
2. Two Brazilian micro firms form a consortium in English: the first forms it on its
   "Consortia" page (50 % each) and invites the second by its CNPJ; the second accepts. The
   first's person acts for the consortium ("Acting for") and seals its bid for lot 1.
3. A large firm finds lot 1 left out of its bid page, told why, and bids R$100,000 for lot 2;
   a Brazilian ME bids R$105,000 for lot 2 in Portuguese (within 10 %: Brazil's fictitious
   tie); another large firm seals prices for both lots through `pregon.client`, lot 1 included,
   as a sealed bid may.
4. The deadline passes by the platform's clock and the committee opens the bids (in Python, as
   in the award-to-payment journey). A member evaluates in the browser: the rules refuse the
   large firm's offer on lot 1; completing lot 2 offers the ME the right to cover the best
   offer instead of completing it.
5. The ME follows the e-mail's link to its evaluation page, in Portuguese, covers with
   R$99,000 and comes first; the buyer awards lot 1 to the consortium and lot 2 to the ME.

An anonymous visitor reads every step: the cooperative's public profile, the consortium's, the
tender with lot 1's reservation and its legal basis, the rule pack's page (in English and in
French), the opening's bid statistics, the evaluation report with the rules' adjustments
explained, and the awards. axe-core checks every page anyone sees, in each language.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from pregon.accounts.models import User
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.client import Client
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.identifiers import cnpj_with_check_digits
from pregon.evaluation import services as evaluation
from pregon.evaluation.choices import AwardStatus, CoverStatus, EvaluationStatus
from pregon.evaluation.models import Award, Evaluation, RightToCover
from pregon.organizations.choices import ConsortiumStatus
from pregon.organizations.models import Consortium, Organization, SupplierDocument
from pregon.organizations.services import api_key_issue
from pregon.tenders import services as tenders
from pregon.tenders.models import Tender
from pregon.tenders.services import ItemData, LotData
from pregon.tlog.checkpoint import ALG_ED25519, SignerKey, format_signer_key, format_verifier_key
from tests import factories
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.browser.conftest import PlatformClock
from tests.browser.test_award_to_payment_journey import (
    again,
    facts,
    lot_region,
    money,
    status_says,
    submit,
)
from tests.browser.test_journey import PASSWORD, arrived, label, small_pdf, supplier_registers, t
from tests.browser.test_sealed_journey import seal_in_browser, sign_in
from tests.evaluation.world import opened

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = "msme.example.org/pregon/log"
SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(5, 37)))
#: What the tables show for a figure a bid does not have (an en dash).
NONE = "\N{EN DASH}"

BUYER = "Prefeitura Municipal de Olinda"
COOPERATIVE = "Cooperativa Campesina del Altiplano"
LEAD = "Banquete Caseiro ME"
PARTNER = "Sabor Nordestino ME"
CONSORTIUM = "Consórcio Merenda Nordeste"
LARGE = "Grande Equipamentos Industriais SA"
ME = "Cozinhas Recife ME"
WHOLESALER = "Atacadão Nacional SA"

#: Each bidder's prices, by lot, in the order the bids are sealed. Lot 1 is reserved: the
#: wholesaler's lower price there is refused by the rules. Lot 2: the ME's price is 5 % above
#: the best one, a fictitious tie.
PRICES: dict[str, dict[int, str]] = {
    COOPERATIVE: {1: "78000"},
    CONSORTIUM: {1: "72000"},
    LARGE: {2: "100000"},
    ME: {2: "105000"},
    WHOLESALER: {1: "65000", 2: "118000"},
}
COVER = "99000"


@pytest.fixture(autouse=True)
def _instance(settings: Any, tmp_path: Path) -> None:
    settings.PREGON_LOG_ORIGIN = ORIGIN
    settings.PREGON_LOG_SIGNER_KEY = format_signer_key(SIGNER)
    settings.VAR_DIR = tmp_path / "var"


# ---------------------------------------------------------------------------------------------
# the world: a Brazilian buyer's tender, and the firms that are registered already


def brazilian_supplier(
    legal_name: str, scale: str, cnpj: str, **user: Any
) -> tuple[Organization, User]:
    """A Brazilian supplier registered by its CNPJ (`cnpj`: its first 12 digits), and a person
    who acts for it."""
    organization = factories.SupplierFactory(
        legal_name=legal_name,
        scale=scale,
        country="BR",
        region="Pernambuco",
        identifier_scheme="BR-CNPJ",
        identifier_id=cnpj_with_check_digits(cnpj),
    )
    return organization, factories.member(organization, "supplier_user", **user)


def tender_of_two_lots(buyer: Organization, official: User) -> Tender:
    """The buyer's draft of two lots, each valued so that Brazil's pack decides its
    reservation, published a month ago; bids are taken for two more days."""
    now = timezone.now()
    deadline = now + dt.timedelta(days=2)
    tender = factories.TenderDraftFactory(
        buyer=buyer,
        lots=0,
        language="pt",
        currency="BRL",
        reference="PE-2026-044",
        title="Merenda escolar e equipamentos de cozinha",
        description="Gêneros alimentícios para a merenda e equipamentos para as cozinhas das escolas.",
        estimated_value=Decimal("195000"),
        enquiry_end=now + dt.timedelta(days=1),
        submission_deadline=deadline,
        opening_at=deadline + dt.timedelta(hours=1),
    )
    acting = factories.actor_for(official, buyer)
    for title, value, item, code in (
        ("Lote 1", "75000", "Gêneros alimentícios para a merenda escolar", "15000000-8"),
        ("Lote 2", "120000", "Fogões e fornos industriais", "39221000-7"),
    ):
        tenders.lot_save(
            actor=acting,
            tender=tender,
            data=LotData(
                title=title,
                estimated_value=Decimal(value),
                items=[
                    ItemData(
                        description=item,
                        classification_scheme="CPV",
                        classification_code=code,
                        quantity=Decimal(1),
                        unit="lote",
                    )
                ],
            ),
        )
    with clock.at(now - dt.timedelta(days=30)):
        tenders.tender_publish(actor=acting, tender=tender)
    tender.refresh_from_db()
    assert tender.rule_pack == "BR@2026.1"
    assert [(lot.reserved, lot.reservation_rule) for lot in tender.lots.order_by("number")] == [
        (True, "BR@2026.1:art48.exclusive"),
        (False, ""),
    ]
    return tender


# ---------------------------------------------------------------------------------------------
# 1. the cooperative registers once


def cooperative_registers_once(page: Any, base: str, tmp_path: Path) -> Organization:
    """The cooperative registers on the registration page and confirms its address (the
    issue-2 journey's steps), then holds its documents on "Documents and size"."""
    lang = "es"
    supplier_registers(page, base, lang, {"supplier": COOPERATIVE}, email="rosa@altiplano.example")
    page.get_by_role("navigation", name=t(lang, "Supplier workspace")).get_by_role(
        "link", name=t(lang, "Documents and size")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Documents and size"))
    arrived(page, lang, "msme-documents")
    expires = (dt.date.today() + dt.timedelta(days=180)).isoformat()
    for kind, filename, expires_on in (
        ("legal", "estatutos.pdf", ""),
        ("tax", "certificado-tributario.pdf", expires),
        ("socialSecurity", "certificado-previsional.pdf", expires),
    ):
        document = tmp_path / filename
        document.write_bytes(small_pdf())
        upload = page.get_by_role("form", name=t(lang, "Upload a document"))
        upload.get_by_label(label(lang, "Document")).select_option(kind)
        upload.get_by_label(label(lang, "File")).set_input_files(str(document))
        upload.get_by_label(label(lang, "Expires on")).fill(expires_on)
        submit(page, upload.get_by_role("button", name=t(lang, "Upload"), exact=True))
        expect(page.get_by_role("link", name=filename)).to_be_visible()
    held = page.get_by_role("table", name=t(lang, "Documents you hold")).locator("tbody tr")
    expect(held.nth(0)).to_contain_text(t(lang, "does not expire"))
    expect(held.nth(3)).to_contain_text(t(lang, "not uploaded"))
    arrived(page, lang, "msme-documents-held")
    cooperative = Organization.objects.get(legal_name=COOPERATIVE)
    assert cooperative.is_cooperative
    assert sorted(
        (d.kind, d.expires_on)
        for d in SupplierDocument.objects.filter(organization=cooperative, removed_at=None)
    ) == [
        ("legal", None),
        ("socialSecurity", dt.date.fromisoformat(expires)),
        ("tax", dt.date.fromisoformat(expires)),
    ]
    return cooperative


# ---------------------------------------------------------------------------------------------
# 2. the consortium


def consortium_formed(lead: Any, partner: Any, base: str, invited: Organization) -> None:
    """The lead firm forms the consortium and invites its partner by its CNPJ; the partner's
    person accepts on its own "Consortia" page."""
    lang = "en"
    lead.get_by_role("navigation", name=t(lang, "Supplier workspace")).get_by_role(
        "link", name=t(lang, "Consortia")
    ).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(t(lang, "Consortia"))
    arrived(lead, lang, "msme-consortia")
    lead.get_by_label(label(lang, "Name of the consortium")).fill(CONSORTIUM)
    lead.get_by_label(label(lang, "Your share (%)")).fill("50")
    lead.get_by_label(label(lang, "Member %(row)s: identifier scheme", row=1)).fill("BR-CNPJ")
    lead.get_by_label(label(lang, "Member %(row)s: identifier", row=1)).fill(invited.identifier_id)
    lead.get_by_label(label(lang, "Member %(row)s: share (%%)", row=1)).fill("50")
    submit(
        lead,
        lead.get_by_role("button", name=t(lang, "Form the consortium and invite its members")),
    )
    status_says(
        lead,
        lang,
        "The consortium “%(name)s” is formed and its members are invited. It may bid once "
        "every member has accepted.",
        name=CONSORTIUM,
    )
    members = lead.get_by_role("table", name=t(lang, "Members of %(name)s", name=CONSORTIUM))
    expect(members.locator("tbody tr")).to_have_count(2)
    arrived(lead, lang, "msme-consortium-forming")

    partner.goto(f"{base}/{lang}/supplier/consortia/")
    arrived(partner, lang)
    submit(
        partner,
        partner.get_by_role("button", name=t(lang, "Accept: join “%(name)s”", name=CONSORTIUM)),
    )
    status_says(partner, lang, "You joined the consortium “%(name)s”.", name=CONSORTIUM)
    arrived(partner, lang, "msme-consortium-joined")

    consortium = Consortium.objects.select_related("organization").get(
        organization__legal_name=CONSORTIUM
    )
    assert consortium.status == ConsortiumStatus.FORMED
    assert consortium.organization.scale == "micro"
    assert sorted((m.member.legal_name, m.share, m.is_lead) for m in consortium.members.all()) == [
        (LEAD, Decimal("50.00"), True),
        (PARTNER, Decimal("50.00"), False),
    ]

    # The lead's page now says how to bid for it; its person switches to act for it.
    lead.reload()
    expect(lead.get_by_role("main")).to_contain_text(
        t(
            lang,
            "To bid for %(name)s, choose it under “Acting for” below the menu.",
            name=CONSORTIUM,
        )
    )
    again(lead, lang)
    lead.get_by_label(t(lang, "Acting for")).select_option(label=CONSORTIUM)
    submit(lead, lead.get_by_role("button", name=t(lang, "Switch organization")))
    expect(lead.get_by_label(t(lang, "Acting for"))).to_have_value(str(consortium.organization.pk))
    again(lead, lang)


# ---------------------------------------------------------------------------------------------
# 3. the bids


def bid_page(page: Any, base: str, lang: str, tender: Tender) -> None:
    """From the tender's public page to the bid page."""
    page.goto(f"{base}/{lang}/tenders/{tender.pk}/")
    page.get_by_role("region", name=t(lang, "Bid deadline")).get_by_role(
        "link", name=t(lang, "Prepare a sealed bid")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Sealed bid"))
    arrived(page, lang)


def seals(page: Any, base: str, lang: str, tender: Tender, bidder: str) -> None:
    bid_page(page, base, lang, tender)
    seal_in_browser(page, lang, PRICES[bidder], f"{bidder}: entrega em 15 dias.")


def large_firm_finds_lot_1_reserved(page: Any, base: str, tender: Tender) -> None:
    """The large firm's bid page leaves lot 1 out, and says why; it bids for lot 2."""
    lang = "en"
    bid_page(page, base, lang, tender)
    expect(page.locator("#bid-lot-1")).to_have_count(0)
    expect(page.locator("#bid-lot-2")).to_be_visible()
    expect(page.locator("#bid-form")).to_contain_text(
        re.compile(
            r"Lot 1 is reserved for micro and small enterprises \(Tenders and items up to "
            r"R\$80,000 exclusive to ME/EPP \(Lei Complementar 123/2006, art\. 48, I\)\)\. "
            + re.escape(LARGE)
            + r" is registered as large enterprise, so it cannot bid on this lot\."
        )
    )
    seal_in_browser(page, lang, PRICES[LARGE], "Entrega e instalação em 30 dias.")


def wholesaler_seals_through_the_client(base: str, tender: Tender, person: User) -> None:
    """The wholesaler's bidding software seals a price for both lots (a sealed bid's lots are
    known only at the opening)."""
    wholesaler = Organization.objects.get(legal_name=WHOLESALER)
    _key, secret = api_key_issue(
        actor=Actor(user=person, organization=wholesaler, channel="web"),
        organization=wholesaler,
        name="Sistema de propostas",
        scopes=["bids:submit"],
    )
    client = Client(base, secret, log_key=format_verifier_key(SIGNER.verifier), backoff=0.01)
    client.submit(
        str(tender.ocid),
        {
            "lots": [
                {"lot": str(lot), "amount": amount, "currency": "BRL"}
                for lot, amount in PRICES[WHOLESALER].items()
            ],
            "answers": [{"question": "Notes and declarations", "answer": "Entrega imediata."}],
        },
        [],
        declaration=DECLARATION_VERSION,
    )


# ---------------------------------------------------------------------------------------------
# 4. the committee


def committee_evaluates(page: Any, base: str, world: OpeningWorld) -> None:
    """A member evaluates both lots: the rules refused the wholesaler's offer on lot 1 before
    anyone assessed it; completing lot 2 offers the ME the right to cover instead."""
    lang = "en"
    tender = world.tender
    sign_in(page, base, lang, world.committee[0].user.email, check=False)
    page.goto(f"{base}/{lang}/tenders/{tender.pk}/evaluation/committee/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Evaluation:"))
    arrived(page, lang, "msme-committee")
    for number in (1, 2):
        lot = lot_region(page, lang, number, f"Lote {number}")
        submit(page, lot.get_by_role("button", name=t(lang, "Start the evaluation of this lot")))
        status_says(page, lang, "The evaluation of lot %(lot)s has started.", lot=number)
        bidders = [name for name, prices in PRICES.items() if number in prices]
        if number == 1:
            # The wholesaler's offer is not the committee's to assess.
            lot = lot_region(page, lang, number, f"Lote {number}")
            expect(
                lot.get_by_role("group", name=re.compile(rf"^{re.escape(WHOLESALER)}:"))
            ).to_have_count(0)
            expect(lot.get_by_role("table")).to_contain_text(
                f"{t(lang, 'Disqualified')}: Lot 1 is reserved for micro and small enterprises"
            )
            arrived(page, lang, "msme-committee-refused")
            bidders.remove(WHOLESALER)
        for bidder in bidders:
            group = lot_region(page, lang, number, f"Lote {number}").get_by_role(
                "group", name=re.compile(rf"^{re.escape(bidder)}:")
            )
            submit(page, group.get_by_role("button", name=t(lang, "Qualify"), exact=True))
            status_says(page, lang, "The bid is qualified.")
        lot = lot_region(page, lang, number, f"Lote {number}")
        submit(
            page,
            lot.get_by_role(
                "button", name=t(lang, "Complete and publish the evaluation of this lot")
            ),
        )
        if number == 1:
            status_says(
                page, lang, "The evaluation of lot %(lot)s is completed and published.", lot=1
            )
    status_says(
        page,
        lang,
        "The country's rules give a bidder of lot %(lot)s the right to cover the best offer: "
        "the lot is completed and published when it answers, or when its deadline passes.",
        lot=2,
    )
    cover = lot_region(page, lang, 2, "Lote 2").locator(".pregon-cover")
    expect(cover).to_contain_text(ME)
    arrived(page, lang, "msme-committee-cover-offered")
    assert [
        e.status for e in Evaluation.objects.filter(tender=world.tender).order_by("lot__number")
    ] == [EvaluationStatus.COMPLETED, EvaluationStatus.COVER_OFFERED]


# ---------------------------------------------------------------------------------------------
# 5. the ME covers; the buyer awards


def me_covers(page: Any, base: str, person: User) -> None:
    """The ME's person follows the invitation's link (in Portuguese, its language), signs in
    and covers the best offer."""
    lang = "pt-br"
    cover = RightToCover.objects.get()
    assert evaluation.cover_invitation_email(cover_id=cover.pk) == 1
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    link = re.search(r"https?://\S+/evaluation/mine/", message.body)
    assert link is not None
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    assert path.startswith(f"/{lang}/")
    page.goto(f"{base}{path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    arrived(page, lang, "msme-me-sign-in")
    page.get_by_label(label(lang, "E-mail address")).fill(person.email)
    page.get_by_label(label(lang, "Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(lang, "Sign in"), exact=True).click()
    expect(page).to_have_url(f"{base}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        t(lang, "Your bids in the evaluation:")
    )
    expect(page.locator(".pregon-cover")).to_contain_text(money(lang, "100000", "BRL"))
    arrived(page, lang, "msme-me-cover")
    page.get_by_label(
        t(lang, "Your new price (%(currency)s), lower than the best offer", currency="BRL")
    ).fill(COVER)
    submit(page, page.get_by_role("button", name=t(lang, "Cover the best offer")))
    status_says(page, lang, "You covered the best offer; the evaluation of the lot is completed.")
    expect(page.get_by_role("main")).to_contain_text(
        t(lang, "You covered the best offer with %(price)s.", price=money(lang, COVER, "BRL"))
    )
    arrived(page, lang, "msme-me-covered")
    cover.refresh_from_db()
    assert (cover.status, cover.price) == (CoverStatus.IMPROVED, Decimal(COVER))


def buyer_awards(page: Any, base: str, official: User, tender: Tender) -> None:
    """The official awards each lot to the bid ranked first."""
    lang = "en"
    sign_in(page, base, lang, official.email, check=False)
    page.goto(f"{base}/{lang}/tenders/{tender.pk}/awards/decide/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Award decisions:"))
    arrived(page, lang, "msme-award-decisions")
    for number, (winner, price) in enumerate(
        ((CONSORTIUM, PRICES[CONSORTIUM][1]), (ME, COVER)), start=1
    ):
        lot = lot_region(page, lang, number, f"Lote {number}")
        expect(lot).to_contain_text(
            t(
                lang,
                "Ranked first: %(bidder)s, at %(price)s.",
                bidder=winner,
                price=money(lang, price, "BRL"),
            )
        )
        lot.get_by_label(t(lang, "Reasons for the award (published)")).fill(
            "Primeira colocada no relatório de avaliação publicado."
        )
        submit(page, lot.get_by_role("button", name=t(lang, "Award the lot")))
        status_says(
            page,
            lang,
            "Lot %(lot)s is awarded; the bidders are told and the standstill period runs.",
            lot=number,
        )
    arrived(page, lang, "msme-awarded")
    assert [
        (a.lot.number, a.supplier.legal_name if a.supplier else "", a.value_amount, a.status)
        for a in Award.objects.filter(tender=tender).select_related("lot", "supplier")
    ] == [
        (1, CONSORTIUM, Decimal("72000.00"), AwardStatus.STANDSTILL),
        (2, ME, Decimal("99000.00"), AwardStatus.STANDSTILL),
    ]


# ---------------------------------------------------------------------------------------------
# 6. the anonymous visitor


def visitor_reads_profile(page: Any, base: str, organization: Organization, tag: str) -> None:
    """A supplier's public profile: its legal form, as registered or formed."""
    lang = "en"
    page.goto(f"{base}/{lang}/organizations/{organization.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(organization.display_name)
    arrived(page, lang, f"msme-visitor-{tag}")


def visitor_reads_the_tender(page: Any, base: str, tender: Tender) -> None:
    """Lot 1 is marked reserved, with the rule and its legal basis; the rule pack's page says
    what each rule means, in English and in French."""
    lang = "en"
    page.goto(f"{base}/{lang}/tenders/{tender.pk}/")
    arrived(page, lang, "msme-visitor-tender")
    lots = page.get_by_role("region", name=t(lang, "Lots and items"))
    expect(lots.locator(".pregon-reserved")).to_have_count(1)
    expect(lots.locator(".pregon-reserved")).to_have_text(
        "Reserved for micro and small enterprises Under Tenders and items up to R$80,000 "
        "exclusive to ME/EPP (Lei Complementar 123/2006, art. 48, I)."
    )
    # Lot 1's heading, then its reservation.
    lot_1 = t(lang, "Lot %(number)s: %(title)s", number=1, title="Lote 1")
    expect(lots.locator(f"h3:text-is('{lot_1}') + p.pregon-reserved")).to_have_count(1)

    page.get_by_role("link", name="BR@2026.1").click()
    expect(page).to_have_url(f"{base}/{lang}/rules/BR@2026.1/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brazil")
    reservation = page.get_by_role(
        "region", name="Tenders and items up to R$80,000 exclusive to ME/EPP"
    )
    expect(reservation).to_contain_text("Lei Complementar 123/2006, art. 48, I")
    expect(
        page.get_by_role(
            "region", name="Fictitious tie (empate ficto) and the right to cover the best offer"
        )
    ).to_contain_text("Lei Complementar 123/2006, art. 44")
    arrived(page, lang, "msme-visitor-rules")
    page.goto(f"{base}/fr/rules/BR@2026.1/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brésil")
    expect(
        page.get_by_role("region", name="Marchés et lots jusqu'à 80 000 R$ réservés aux ME/EPP")
    ).to_be_visible()
    arrived(page, "fr", "msme-visitor-rules-fr")


def visitor_reads_the_opening(page: Any, base: str, tender: Tender) -> None:
    """Five bids, three from micro enterprises (the consortium counted by its members), one
    from a cooperative; every price as offered, the refused one included."""
    lang = "en"
    page.goto(f"{base}/{lang}/tenders/{tender.pk}/")
    arrived(page, lang, "msme-visitor-opening")
    section = page.locator("#opening")
    assert facts(section) == [
        ["Bids received", "5"],
        ["Bids from micro, small and medium enterprises", "3"],
        ["from micro enterprises", "3"],
        ["from small enterprises", "0"],
        ["from medium enterprises", "0"],
        ["Bids from cooperatives", "1"],
    ]
    for number in (1, 2):
        rows = section.get_by_role(
            "table", name=t(lang, "Prices offered for lot %(lot)s", lot=number)
        ).locator("tbody tr")
        # In the order the bids were received, which is PRICES' order.
        offered = [(name, p[number]) for name, p in PRICES.items() if number in p]
        expect(rows).to_have_text(
            [
                re.compile(rf"{re.escape(name)}\s*{re.escape(money(lang, price, 'BRL'))}")
                for name, price in offered
            ]
        )


def report_rows(page: Any, lang: str, number: int) -> Any:
    return page.get_by_role(
        "table", name=t(lang, "The bids of lot %(number)s, in ranking order", number=number)
    ).locator("tbody tr")


def visitor_reads_lot_1(page: Any, base: str, tender: Tender) -> None:
    """The report, while lot 2 waits for the ME's answer: lot 1 only, the refused offer with
    the rule's reason."""
    lang = "en"
    page.goto(f"{base}/{lang}/tenders/{tender.pk}/evaluation/")
    arrived(page, lang, "msme-visitor-report-lot-1")
    rows = report_rows(page, lang, 1)
    expect(rows).to_have_count(3)
    qualified = t(lang, "Qualified")
    expect(rows.nth(0).locator("td")).to_have_text(
        ["1", CONSORTIUM, money(lang, "72000", "BRL"), qualified]
    )
    expect(rows.nth(1).locator("td")).to_have_text(
        ["2", COOPERATIVE, money(lang, "78000", "BRL"), qualified]
    )
    expect(rows.nth(2).locator("td")).to_have_text(
        [
            NONE,
            WHOLESALER,
            money(lang, "65000", "BRL"),
            re.compile(
                rf"^\s*{t(lang, 'Disqualified')}: Lot 1 is reserved for micro and small "
                rf"enterprises .*{re.escape(WHOLESALER)} is registered as large enterprise, so "
                r"it cannot bid on this lot\.\s*$"
            ),
        ]
    )
    expect(report_rows(page, lang, 2)).to_have_count(0)


def visitor_reads_lot_2(page: Any, base: str, tender: Tender) -> None:
    """The report once the ME covered: first at its new price, each step of the rule
    explained."""
    lang = "en"
    page.reload()
    arrived(page, lang, "msme-visitor-report")
    qualified = t(lang, "Qualified")
    expect(report_rows(page, lang, 2).locator("td:nth-child(2)")).to_have_text(
        [ME, LARGE, WHOLESALER]
    )
    # Its sealed price, and the price it is ranked at.
    covered = t(
        lang,
        "%(status)s: %(reason)s",
        status=t(lang, "Covered with a lower price"),
        reason=money(lang, COVER, "BRL"),
    )
    expect(report_rows(page, lang, 2).nth(0).locator("td")).to_have_text(
        [
            "1",
            ME,
            re.compile(rf"^{re.escape(money(lang, '105000', 'BRL'))}\s*{re.escape(covered)}$"),
            qualified,
        ]
    )
    expect(report_rows(page, lang, 2).nth(1).locator("td")).to_have_text(
        ["2", LARGE, money(lang, "100000", "BRL"), qualified]
    )
    adjustments = page.get_by_role("region", name=re.compile(r"^Lot 2:")).locator(
        "li.pregon-adjustment"
    )
    expect(adjustments).to_have_text(
        [
            re.compile(r"count as tied with it"),
            re.compile(r"may cover the best offer with a price below"),
            # (The rules' texts write amounts their own way; the covering price as typed.)
            re.compile(r"covered the best offer, .* with BRL 99,000(\.00)?, and is now first"),
        ]
    )
    expect(adjustments.nth(2)).to_contain_text(ME)
    expect(page.get_by_role("region", name=re.compile(r"^Lot 1:"))).to_contain_text(
        t(lang, "No rule adjusted the ranking.")
    )


def visitor_reads_the_awards(page: Any, base: str, tender: Tender) -> None:
    """The awards on the tender's page: lot 1 to the consortium, whose page it links to; lot 2
    to the ME at the price it covered with, the adjustments explained."""
    lang = "en"
    page.goto(f"{base}/{lang}/tenders/{tender.pk}/")
    section = page.get_by_role("region", name=t(lang, "Evaluation and awards"))
    awards = [
        section.get_by_role(
            "article", name=f"{t(lang, 'Lot %(number)s', number=number)} · Lote {number}"
        )
        for number in (1, 2)
    ]
    expect(awards[0]).to_contain_text(CONSORTIUM)
    expect(awards[0]).to_contain_text(money(lang, "72000", "BRL"))
    expect(awards[1]).to_contain_text(ME)
    expect(awards[1]).to_contain_text(money(lang, COVER, "BRL"))
    arrived(page, lang, "msme-visitor-awards")

    # Every decision, each with the adjustments of its lot's ranking explained.
    section.get_by_role("link", name=t(lang, "Every decision, complaint and resolution")).click()
    arrived(page, lang, "msme-visitor-decisions")
    decisions = [
        page.get_by_role(
            "article", name=f"{t(lang, 'Lot %(number)s', number=number)} · Lote {number}"
        )
        for number in (1, 2)
    ]
    expect(decisions[0]).to_contain_text(t(lang, "No rule adjusted the ranking."))
    expect(decisions[1].locator("li.pregon-adjustment")).to_have_text(
        [
            re.compile(r"count as tied with it"),
            re.compile(r"may cover the best offer"),
            re.compile(rf"{re.escape(ME)}\) covered the best offer"),
        ]
    )
    decisions[0].get_by_role("link", name=CONSORTIUM).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CONSORTIUM)
    expect(page.get_by_role("main")).to_contain_text("Consortium (joint bid)")
    arrived(page, lang, "msme-visitor-consortium")


# ---------------------------------------------------------------------------------------------
# the journey


def test_a_cooperative_a_consortium_and_a_brazilian_me_compete_on_fair_terms(
    live_server: Any, new_page: Any, platform_clock: PlatformClock, tmp_path: Path
) -> None:
    base = live_server.url
    visitor = new_page()

    # 1. The cooperative registers once; anyone reads its profile.
    cooperative_page = new_page(locale="es-CL")
    cooperative = cooperative_registers_once(cooperative_page, base, tmp_path)
    visitor_reads_profile(visitor, base, cooperative, "cooperative")
    expect(visitor.get_by_role("main")).to_contain_text("Cooperative")

    # 2. Two micro firms form a consortium; anyone reads its profile.
    _lead, lead_person = brazilian_supplier(LEAD, "micro", "112223330001")
    partner, partner_person = brazilian_supplier(PARTNER, "micro", "445556660001")
    lead_page, partner_page = new_page(), new_page()
    sign_in(lead_page, base, "en", lead_person.email)
    sign_in(partner_page, base, "en", partner_person.email, check=False)
    consortium_formed(lead_page, partner_page, base, partner)
    consortium = Organization.objects.get(legal_name=CONSORTIUM)
    visitor_reads_profile(visitor, base, consortium, "consortium-formed")

    # 3. The buyer's tender, read by anyone; the bids.
    buyer = factories.BuyerFactory(
        legal_name=BUYER,
        country="BR",
        region="Pernambuco",
        identifier_scheme="BR-CNPJ",
        identifier_id=cnpj_with_check_digits("101010100001"),
    )
    official = factories.member(buyer, "buyer_official")
    tender = tender_of_two_lots(buyer, official)
    world = opening_world(buyer, tender=tender, bidders=False)
    visitor_reads_the_tender(visitor, base, tender)

    seals(cooperative_page, base, "es", tender, COOPERATIVE)
    seals(lead_page, base, "en", tender, CONSORTIUM)
    _large, large_person = brazilian_supplier(LARGE, "large", "778889990001")
    large_page = new_page()
    sign_in(large_page, base, "en", large_person.email, check=False)
    large_firm_finds_lot_1_reserved(large_page, base, tender)
    _me, me_person = brazilian_supplier(ME, "micro", "121212120001", language="pt-br")
    me_page = new_page(locale="pt-BR")
    sign_in(me_page, base, "pt-br", me_person.email)
    seals(me_page, base, "pt-br", tender, ME)
    _wholesaler, wholesaler_person = brazilian_supplier(WHOLESALER, "large", "343434340001")
    wholesaler_seals_through_the_client(base, tender, wholesaler_person)

    # 4. The deadline and the opening time pass by the platform's clock; the committee opens
    # the bids, and anyone reads the opening record.
    platform_clock.advance(days=2, hours=2)
    opened(world, at_opening=False)
    visitor_reads_the_opening(visitor, base, tender)

    committee = new_page()
    committee_evaluates(committee, base, world)
    visitor_reads_lot_1(visitor, base, tender)

    # 5. The ME covers the best offer; the buyer awards both lots.
    me_covers(new_page(locale="pt-BR"), base, me_person)
    visitor_reads_lot_2(visitor, base, tender)
    buyer_awards(new_page(), base, official, tender)
    visitor_reads_the_awards(visitor, base, tender)
