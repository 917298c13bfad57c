"""The journey of issue 11, in Spanish and in English: from the opening to the last payment, as
the people of a tender live it in a real browser.

The world up to the opening is built in Python with the test factories: a tender of two lots
with weighted criteria (price 70 points, technical quality 30), published a month ago, three
suppliers' sealed bids, opened yesterday by two of the three committee members. From there
everything happens in the browser, each person in their own browser context and language:

1. a committee member (two-step sign-in) evaluates both lots: qualifies the bids, scores their
   quality, disqualifies one with the reason, and completes and publishes each lot's report;
2. the buyer official (two-step sign-in) awards both lots, with reasons;
3. the cheapest bidder of lot 1, ranked second on quality, complains with a document from its
   award notice; the award is suspended;
4. the buyer dismisses the complaint with reasons; the award resumes its standstill;
5. the standstill period ends (the platform clock moves on, see `PlatformClock`) and the award
   is final;
6. the buyer drafts, documents and signs the contract; the supplier confirms it; the buyer
   amends its value and records both deliveries met;
7. the supplier invoices both deliveries; the buyer accepts both, pays one at once (on time)
   and, 35 days later, the other (late).

After each step an anonymous visitor reads it on the tender's page (and the report, the awards,
the complaint and the contract pages it links to), and the buyer's public page shows its
complaint and payment figures changing. axe-core checks every page anyone sees, in each
language, and again whenever a step adds a section to it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext

from pregon.accounts.models import User
from pregon.bids.choices import OpeningStatus
from pregon.bids.models import Opening
from pregon.contracts.choices import InvoiceStatus
from pregon.contracts.models import Invoice
from pregon.core import clock
from pregon.evaluation.choices import AwardStatus, ComplaintStatus
from pregon.evaluation.models import Award, Complaint, Evaluation
from pregon.organizations.models import Organization
from pregon.tenders import services as tenders
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Lot, Tender
from pregon.web.templatetags.pregon import money as money_tag
from tests import factories
from tests.bids.opening_world import OpeningWorld, offer, opening_world
from tests.browser.conftest import PlatformClock, screenshot
from tests.browser.test_journey import BROWSER_LOCALE, arrived, label, small_pdf, t
from tests.browser.test_sealed_journey import sign_in
from tests.evaluation.world import opened
from tests.organizations.evidence import give_evidence

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

#: What the tables show for a figure a bid does not have (an en dash).
NONE = "\N{EN DASH}"

TOTP_SECRETS = {"official": "JBSWY3DPEHPK3PXP", "member": "KRSXG5CTMVRXEZLU"}

#: The three bidders.
CONFECCIONES = "Confecciones Andinas Ltda."
TEXTILES = "Textiles del Norte SpA"
COOPERATIVA = "Cooperativa de Costureras de Arica"

# What the people type and read, in the language they work in. The prices and points are the
# same in both: lot 1 goes to the best quality rather than the lowest price, lot 2 to the
# lowest price once a bid is disqualified.
CONTENT: dict[str, dict[str, Any]] = {
    "en": {
        "reference": "ED-2026-031",
        "title": "School uniforms and teacher training",
        "lots": ["School uniforms", "Teacher training"],
        "criteria": [("Price", "price", 70), ("Technical quality", "quality", 30)],
        "disqualified": "No certified trainers are named in the bid.",
        "award_reasons": [
            "Ranked first in the published evaluation report: its quality outweighs its price.",
            "Ranked first in the published evaluation report, at the lowest valid price.",
        ],
        "grounds": "Our price was the lowest of the lot by ten thousand pesos; the quality "
        "points given to our samples do not match the technical specifications.",
        "dismissal": "The samples were scored against the published criterion of technical "
        "quality; the complaint shows no error in the scoring, and price weighs 70 points only.",
        "contract": "Supply of school uniforms",
        "contract_description": "800 uniforms in four sizes, delivered to the schools.",
        "document": "Signed contract",
        "deliveries": ["First 400 uniforms", "Last 400 uniforms"],
        "buyer_signatory": "Ana Rojas, head of procurement",
        "supplier_signatory": "Luis Soto, general manager",
        "amendment": "Forty more uniforms for the new primary school.",
    },
    "es": {
        "reference": "ED-2026-031",
        "title": "Uniformes escolares y capacitación docente",
        "lots": ["Uniformes escolares", "Capacitación docente"],
        "criteria": [("Precio", "price", 70), ("Calidad técnica", "quality", 30)],
        "disqualified": "La oferta no nombra relatores certificados.",
        "award_reasons": [
            "Primera en el informe de evaluación publicado: su calidad compensa su precio.",
            "Primera en el informe de evaluación publicado, al menor precio válido.",
        ],
        "grounds": "Nuestro precio fue el más bajo del lote por diez mil pesos; los puntos de "
        "calidad dados a nuestras muestras no corresponden a las bases técnicas.",
        "dismissal": "Las muestras se puntuaron según el criterio publicado de calidad técnica; "
        "el reclamo no muestra un error en la puntuación, y el precio pesa solo 70 puntos.",
        "contract": "Suministro de uniformes escolares",
        "contract_description": "800 uniformes en cuatro tallas, entregados en las escuelas.",
        "document": "Contrato firmado",
        "deliveries": ["Primeros 400 uniformes", "Últimos 400 uniformes"],
        "buyer_signatory": "Ana Rojas, jefa de compras",
        "supplier_signatory": "Luis Soto, gerente general",
        "amendment": "Cuarenta uniformes más para la nueva escuela básica.",
    },
}

#: Each lot's bids: bidder → (price, quality points, or None when the bid is disqualified).
BIDS: dict[int, dict[str, tuple[str, str | None]]] = {
    1: {CONFECCIONES: ("100000", "10"), TEXTILES: ("110000", "28"), COOPERATIVA: ("120000", "20")},
    2: {CONFECCIONES: ("50000", "20"), TEXTILES: ("60000", None), COOPERATIVA: ("48000", "25")},
}
#: Each lot's ranking, worked out by hand with the published formula (proportional, price 70):
#: (bidder, price points, total points).
RANKING = {
    1: [
        (TEXTILES, "63.64", "91.64"),  # 70 × 100,000 ÷ 110,000 = 63.636… ; + 28
        (CONFECCIONES, "70.00", "80.00"),  # the lowest price: all 70 points; + 10
        (COOPERATIVA, "58.33", "78.33"),  # 70 × 100,000 ÷ 120,000 = 58.333… ; + 20
    ],
    2: [
        (COOPERATIVA, "70.00", "95.00"),  # the lowest valid price; + 25
        (CONFECCIONES, "67.20", "87.20"),  # 70 × 48,000 ÷ 50,000 = 67.2 ; + 20
    ],
}


# ---------------------------------------------------------------------------------------------
# the world up to the opening


@dataclass
class World:
    opening: OpeningWorld
    official: User
    member: User
    suppliers: dict[str, tuple[Organization, User]]

    @property
    def tender(self) -> Tender:
        return self.opening.tender


def world_at_its_opening(lang: str) -> World:
    """The tender, published a month ago, its bids sealed three days ago and opened yesterday."""
    text = CONTENT[lang]
    now = timezone.now()
    buyer = factories.BuyerFactory(legal_name="Ilustre Municipalidad de Arica")
    official = factories.member(
        buyer, "buyer_official", email=f"compras.{lang}@arica.example", language=lang
    )
    tender = factories.TenderDraftFactory(
        buyer=buyer,
        lots=2,
        committee=(3, 2),
        criteria=text["criteria"],
        language=lang,
        reference=text["reference"],
        title=text["title"],
        estimated_value=Decimal("400000"),
        enquiry_end=now - dt.timedelta(days=10),
        submission_deadline=now - dt.timedelta(days=2),
        opening_at=now - dt.timedelta(days=1),
    )
    for number, title in enumerate(text["lots"], start=1):
        Lot.objects.filter(tender=tender, number=number).update(title=title)
    with clock.at(now - dt.timedelta(days=30)):
        tenders.tender_publish(actor=factories.actor_for(official, buyer), tender=tender)
    tender.refresh_from_db()

    world = opening_world(buyer, tender=tender, bidders=False)
    suppliers: dict[str, tuple[Organization, User]] = {}
    scales = {
        CONFECCIONES: ("small", False),
        TEXTILES: ("medium", False),
        COOPERATIVA: ("micro", True),
    }
    with clock.at(now - dt.timedelta(days=3)):
        for name, (scale, cooperative) in scales.items():
            organization = factories.SupplierFactory(
                legal_name=name, scale=scale, is_cooperative=cooperative
            )
            # Registered once: documents held and scale verified, as a winner needs them.
            give_evidence(organization, until=(now + dt.timedelta(days=400)).date())
            lots = [
                {"lot": str(number), "amount": bids[name][0], "currency": tender.currency}
                for number, bids in BIDS.items()
            ]
            made = offer(world, organization, lots)
            made.actor.user.language = lang
            made.actor.user.save(update_fields=["language"])
            suppliers[name] = (organization, made.actor.user)
    opened(world)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.CLOSED
    assert Opening.objects.get(tender=tender).status == OpeningStatus.OPENED

    # The official and the first committee member sign in with an authenticator, as officials
    # must on this instance.
    member = world.committee[0].user
    TOTP.activate(official, TOTP_SECRETS["official"])
    TOTP.activate(member, TOTP_SECRETS["member"])
    return World(opening=world, official=official, member=member, suppliers=suppliers)


# ---------------------------------------------------------------------------------------------
# what the people see


def number(lang: str, value: str) -> str:
    """A decimal as the pages show it in `lang` ("91.64", "91,64")."""
    with translation.override(lang):
        return str(formats.localize(Decimal(value), use_l10n=True))


def money(lang: str, amount: str, currency: str = "CLP") -> str:
    """An amount as the pages show it in `lang` ("110,000 CLP", "110.000 CLP")."""
    with translation.override(lang):
        return money_tag(Decimal(amount), currency)


def nt(lang: str, singular: str, plural: str, count: int, **values: Any) -> str:
    """A message with a count, as the pages show it in `lang`."""
    with translation.override(lang):
        text = ngettext(singular, plural, count)
    return text % {"counter": count, **values}


def today(world: World) -> dt.date:
    """The buyer's today by the platform's clock (moved on by `PlatformClock`)."""
    return timezone.localtime(clock.now(), ZoneInfo(world.tender.buyer.effective_time_zone)).date()


def lot_region(page: Any, lang: str, number_: int, title: str) -> Any:
    """A lot's section of a working page ("Lot 1: School uniforms")."""
    name = f"{t(lang, 'Lot %(number)s:', number=number_)} {title}"
    return page.get_by_role("region", name=name, exact=True)


def submit(page: Any, button: Any) -> None:
    """Press a form's button and wait for the page it leads to (each form posts, and the page
    comes back after a redirect: the next step must not act on the page it left)."""
    with page.expect_event("load"):
        button.click()


def again(page: Any, lang: str) -> None:
    """A page axe has already checked in this language with the same sections, seen again:
    still in the person's language, with one h1."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)


def status_says(page: Any, lang: str, message: str, **values: Any) -> None:
    expect(page.get_by_role("status")).to_contain_text(t(lang, message, **values))


# ---------------------------------------------------------------------------------------------
# 1. the committee


def committee_evaluates(page: Any, base: str, lang: str, world: World) -> None:
    """A member goes from the workspace to the tender's evaluation page and evaluates both
    lots, one step per form, then completes and publishes each."""
    text = CONTENT[lang]
    sign_in(page, base, lang, world.member.email, totp=TOTP_SECRETS["member"])
    page.get_by_role("navigation", name=t(lang, "Main")).get_by_role(
        "link", name=t(lang, "My workspace")
    ).click()
    arrived(page, lang, "award-member-workspace")
    page.get_by_role("link", name=text["title"]).click()
    arrived(page, lang)
    page.get_by_role("link", name=t(lang, "Evaluate the bids")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Evaluation:"))
    arrived(page, lang, "award-evaluation")

    quality = text["criteria"][1][0]
    quality_label = t(lang, "%(name)s (0 to %(weight)s points)", name=quality, weight=30)
    for lot_number, bids in BIDS.items():
        title = text["lots"][lot_number - 1]
        lot = lot_region(page, lang, lot_number, title)
        submit(page, lot.get_by_role("button", name=t(lang, "Start the evaluation of this lot")))
        status_says(page, lang, "The evaluation of lot %(lot)s has started.", lot=lot_number)
        arrived(page, lang)
        for bidder, (_price, points) in bids.items():
            lot = lot_region(page, lang, lot_number, title)
            bid = lot.get_by_role("group", name=re.compile(rf"^{re.escape(bidder)}:"))
            if points is None:
                bid.get_by_label(
                    t(
                        lang,
                        "Reason (to disqualify), request (to ask for a justification), or "
                        "decision (on a justification)",
                    )
                ).fill(text["disqualified"])
                submit(page, bid.get_by_role("button", name=t(lang, "Disqualify"), exact=True))
                status_says(page, lang, "The bid is disqualified.")
                continue
            submit(page, bid.get_by_role("button", name=t(lang, "Qualify"), exact=True))
            status_says(page, lang, "The bid is qualified.")
            bid = lot_region(page, lang, lot_number, title).get_by_role(
                "group", name=re.compile(rf"^{re.escape(bidder)}:")
            )
            bid.get_by_label(quality_label).fill(number(lang, points))
            submit(page, bid.get_by_role("button", name=t(lang, "Save the points")))
            status_says(page, lang, "The points are saved.")

        # The ranking, as the committee's page computes it before the lot is completed.
        lot = lot_region(page, lang, lot_number, title)
        table = lot.get_by_role(
            "table", name=t(lang, "The bids of lot %(number)s, in ranking order", number=lot_number)
        )
        assert_ranking(table, lang, lot_number)
        screenshot(page, f"{lang}-award-evaluation-lot-{lot_number}")
        submit(
            page,
            lot.get_by_role(
                "button", name=t(lang, "Complete and publish the evaluation of this lot")
            ),
        )
        status_says(
            page, lang, "The evaluation of lot %(lot)s is completed and published.", lot=lot_number
        )
    arrived(page, lang, "award-evaluation-done")
    assert [e.status for e in Evaluation.objects.filter(tender=world.tender).order_by("lot")] == [
        "completed",
        "completed",
    ]


def assert_ranking(table: Any, lang: str, lot_number: int) -> None:
    """The table of a lot's bids: the ranked ones first, in order, with their price, points and
    status; then the disqualified one, unranked, with its reason."""
    quality = {bidder: points for bidder, (_price, points) in BIDS[lot_number].items()}
    price = {bidder: amount for bidder, (amount, _points) in BIDS[lot_number].items()}
    rows = table.locator("tbody tr")
    ranked = RANKING[lot_number]
    for rank, (bidder, price_points, total) in enumerate(ranked, start=1):
        expect(rows.nth(rank - 1).locator("td")).to_have_text(
            [
                str(rank),
                bidder,
                money(lang, price[bidder]),
                number(lang, price_points),
                number(lang, f"{quality[bidder]}.00"),
                number(lang, total),
                t(lang, "Qualified"),
            ]
        )
    out = [bidder for bidder, points in quality.items() if points is None]
    for position, bidder in enumerate(out, start=len(ranked)):
        expect(rows.nth(position).locator("td")).to_have_text(
            [
                NONE,
                bidder,
                money(lang, price[bidder]),
                NONE,
                NONE,
                NONE,
                f"{t(lang, 'Disqualified')}: {CONTENT[lang]['disqualified']}",
            ]
        )
    expect(rows).to_have_count(len(ranked) + len(out))


# ---------------------------------------------------------------------------------------------
# 2. and 4. the buyer


def buyer_opens_award_decisions(page: Any, base: str, lang: str, world: World) -> None:
    """The official signs in and goes from the workspace to the tender's award decisions."""
    sign_in(page, base, lang, world.official.email, totp=TOTP_SECRETS["official"], check=False)
    page.get_by_role("navigation", name=t(lang, "Main")).get_by_role(
        "link", name=t(lang, "My workspace")
    ).click()
    again(page, lang)
    page.get_by_role("link", name=CONTENT[lang]["title"]).click()
    arrived(page, lang)
    page.get_by_role("link", name=t(lang, "Award decisions")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Award decisions:"))
    arrived(page, lang, "award-decisions")


def buyer_awards(page: Any, lang: str, world: World) -> None:
    """Each lot, decided on its report: the bid ranked first, with the reasons."""
    text = CONTENT[lang]
    for lot_number, reasons in enumerate(text["award_reasons"], start=1):
        lot = lot_region(page, lang, lot_number, text["lots"][lot_number - 1])
        first, *_rest = RANKING[lot_number]
        expect(lot).to_contain_text(
            t(
                lang,
                "Ranked first: %(bidder)s, at %(price)s.",
                bidder=first[0],
                price=money(lang, BIDS[lot_number][first[0]][0]),
            )
        )
        lot.get_by_label(t(lang, "Reasons for the award (published)")).fill(reasons)
        submit(page, lot.get_by_role("button", name=t(lang, "Award the lot")))
        status_says(
            page,
            lang,
            "Lot %(lot)s is awarded; the bidders are told and the standstill period runs.",
            lot=lot_number,
        )
        expect(lot_region(page, lang, lot_number, text["lots"][lot_number - 1])).to_contain_text(
            t(lang, "Decided, in the standstill period")
        )
    arrived(page, lang, "award-decided")
    assert [
        (a.lot.number, a.supplier.legal_name if a.supplier else "", a.value_amount, a.status)
        for a in Award.objects.filter(tender=world.tender).select_related("lot", "supplier")
    ] == [
        (1, TEXTILES, Decimal("110000"), AwardStatus.STANDSTILL),
        (2, COOPERATIVA, Decimal("48000"), AwardStatus.STANDSTILL),
    ]


def buyer_dismisses(page: Any, lang: str, complaint: Complaint) -> None:
    """The complaint waits on the award decisions page; the buyer dismisses it with reasons."""
    text = CONTENT[lang]
    page.reload()
    arrived(page, lang, "award-complaint-to-decide")
    pending = page.get_by_role("region", name=t(lang, "Complaints to decide"))
    article = pending.get_by_role(
        "article",
        name=t(
            lang,
            "Complaint %(number)s about lot %(lot)s, by %(bidder)s",
            number=complaint.pk,
            lot=1,
            bidder=CONFECCIONES,
        ),
    )
    expect(article).to_contain_text(text["grounds"])
    article.get_by_label(t(lang, "Reasons for the decision (published)")).fill(text["dismissal"])
    submit(page, article.get_by_role("button", name=t(lang, "Dismiss"), exact=True))
    status_says(page, lang, "The complaint is dismissed.")
    expect(page.get_by_role("region", name=t(lang, "Complaints to decide"))).to_contain_text(
        t(lang, "No complaint is pending.")
    )
    again(page, lang)


# ---------------------------------------------------------------------------------------------
# 3. the losing bidder


def bidder_complains(page: Any, base: str, lang: str, world: World, tmp_path: Any) -> Complaint:
    """The cheapest bidder of lot 1 reads its notice in the workspace and complains."""
    text = CONTENT[lang]
    _organization, person = world.suppliers[CONFECCIONES]
    sign_in(page, base, lang, person.email, check=False)
    page.get_by_role("navigation", name=t(lang, "Main")).get_by_role(
        "link", name=t(lang, "My workspace")
    ).click()
    page.get_by_role("navigation", name=t(lang, "Supplier workspace")).get_by_role(
        "link", name=t(lang, "Award notices")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Award notices"))
    arrived(page, lang, "award-notices")
    notices = page.get_by_role("table").locator("tbody tr")
    expect(notices).to_have_count(2)
    lot_1 = notices.filter(has=page.locator("td:nth-child(2)", has_text=re.compile(r"^\s*1\s*$")))
    expect(lot_1).to_contain_text(t(lang, "Decided, in the standstill period"))
    lot_1.get_by_role("link", name=t(lang, "Your bid is not awarded")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        t(lang, "Decision on lot %(number)s:", number=1)
    )
    arrived(page, lang, "award-notice")

    evidence = tmp_path / "muestras.pdf"
    evidence.write_bytes(small_pdf())
    complain = page.get_by_role("region", name=t(lang, "File a complaint"))
    complain.get_by_label(label(lang, "Grounds of the complaint")).fill(text["grounds"])
    complain.get_by_label(t(lang, "Documents (optional)")).set_input_files(str(evidence))
    submit(page, complain.get_by_role("button", name=t(lang, "File the complaint")))
    status_says(
        page,
        lang,
        "Your complaint is filed and published; the award is suspended until it is decided.",
    )
    complaint = Complaint.objects.get()
    expect(page.get_by_role("main")).to_contain_text(
        t(
            lang,
            "Your complaint %(number)s: %(status)s.",
            number=complaint.pk,
            status=t(lang, "Pending a decision"),
        )
    )
    arrived(page, lang, "award-complained")
    assert complaint.award.status == AwardStatus.SUSPENDED
    assert [d.filename for d in complaint.documents.all()] == ["muestras.pdf"]
    return complaint


# ---------------------------------------------------------------------------------------------
# 6. and 7. the contract, its invoices and payments


def workspace_link(page: Any, lang: str, navigation: str, link: str) -> None:
    """From any page, through "My workspace", to an entry of the workspace's side navigation."""
    page.get_by_role("navigation", name=t(lang, "Main")).get_by_role(
        "link", name=t(lang, "My workspace")
    ).click()
    page.get_by_role("navigation", name=t(lang, navigation)).get_by_role(
        "link", name=t(lang, link), exact=True
    ).click()


def buyer_signs_contract(page: Any, lang: str, world: World) -> None:
    """The buyer drafts the contract of lot 1 from its final award, attaches the signed text,
    lists two deliveries and signs it."""
    text = CONTENT[lang]
    workspace_link(page, lang, "Buyer workspace", "Contracts")
    arrived(page, lang, "contract-buyer-list")
    ready = page.get_by_role("region", name=t(lang, "Awards ready for a contract"))
    ready.get_by_role("row").filter(has_text=TEXTILES).get_by_role(
        "link", name=t(lang, "Draft the contract")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Draft the contract"))
    arrived(page, lang, "contract-new")
    start = today(world)
    terms = page.get_by_role("form", name=t(lang, "Terms of the contract"))
    terms.get_by_label(label(lang, "Title")).fill(text["contract"])
    terms.get_by_label(label(lang, "Description")).fill(text["contract_description"])
    terms.get_by_label(label(lang, "Start of the period")).fill(start.isoformat())
    terms.get_by_label(label(lang, "End of the period")).fill(
        (start + dt.timedelta(days=120)).isoformat()
    )
    submit(page, terms.get_by_role("button", name=t(lang, "Save the draft")))
    status_says(
        page, lang, "The contract is drafted. Add its documents and deliveries, then sign it."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(text["contract"])
    arrived(page, lang, "contract-draft")

    attach = page.get_by_role("form", name=t(lang, "Attach a document"))
    attach.get_by_label(label(lang, "Title of the document")).fill(text["document"])
    attach.get_by_label(label(lang, "Type")).select_option(value="contractSigned")
    attach.get_by_label(label(lang, "File")).set_input_files(
        files=[{"name": "contrato.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    submit(page, attach.get_by_role("button", name=t(lang, "Attach the document")))
    status_says(page, lang, "The document is attached.")
    for days, delivery in zip((15, 45), text["deliveries"], strict=True):
        add = page.get_by_role("region", name=t(lang, "Add a delivery"))
        add.get_by_label(label(lang, "What is delivered")).fill(delivery)
        add.get_by_label(label(lang, "Due date")).fill(
            (start + dt.timedelta(days=days)).isoformat()
        )
        submit(page, add.get_by_role("button", name=t(lang, "Add the delivery")))
        status_says(page, lang, "The delivery is added.")
    arrived(page, lang, "contract-ready")

    sign = page.get_by_role("region", name=t(lang, "Sign the contract"))
    sign.get_by_label(label(lang, "Signed by (name and position)")).fill(text["buyer_signatory"])
    submit(page, sign.get_by_role("button", name=t(lang, "Sign and publish the contract")))
    status_says(
        page, lang, "The contract is signed and published; the supplier is asked to confirm it."
    )
    expect(page.locator("h1 + p .usa-tag")).to_have_text(
        t(lang, "Signed by the buyer, awaiting the supplier")
    )
    arrived(page, lang, "contract-signed")


def supplier_confirms(page: Any, base: str, lang: str, world: World) -> None:
    """The awarded supplier finds the contract to confirm in its workspace, and confirms it."""
    text = CONTENT[lang]
    _organization, person = world.suppliers[TEXTILES]
    sign_in(page, base, lang, person.email, check=False)
    confirm_from_workspace(page, lang, text["contract"], text["supplier_signatory"])


def confirm_from_workspace(page: Any, lang: str, title: str, signatory: str) -> None:
    """A signed-in supplier goes to "My contracts", opens the contract `title` waiting for it,
    and confirms it."""
    workspace_link(page, lang, "Supplier workspace", "My contracts")
    arrived(page, lang, "contract-supplier-list")
    page.get_by_role("region", name=t(lang, "To confirm")).get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    arrived(page, lang, "contract-to-confirm")
    confirm = page.get_by_role("region", name=t(lang, "Confirm the contract"))
    confirm.get_by_label(label(lang, "Signed by (name and position)")).fill(signatory)
    submit(page, confirm.get_by_role("button", name=t(lang, "Confirm and sign the contract")))
    status_says(page, lang, "You confirmed the contract: it is in force.")
    arrived(page, lang, "contract-in-force-supplier")


def buyer_amends_and_records_deliveries(page: Any, lang: str) -> None:
    """The buyer raises the contract's value by an amendment, then records both deliveries
    met, today."""
    text = CONTENT[lang]
    page.reload()
    expect(page.locator("h1 + p .usa-tag")).to_have_text(t(lang, "In force"))
    amend = page.get_by_role("region", name=t(lang, "Amend the contract"))
    amend.get_by_label(label(lang, "Reason for the amendment")).fill(text["amendment"])
    amend.get_by_label(label(lang, "New value")).fill("121000")
    submit(page, amend.get_by_role("button", name=t(lang, "Amend and publish")))
    status_says(page, lang, "The amendment is saved and published.")
    again(page, lang)
    for _delivery in text["deliveries"]:
        meet = page.get_by_role("region", name=t(lang, "Record a delivery as met"))
        submit(page, meet.get_by_role("button", name=t(lang, "Record it met and publish")).first)
        status_says(page, lang, "The delivery is recorded as met.")
    expect(page.get_by_role("region", name=t(lang, "Record a delivery as met"))).to_have_count(0)
    arrived(page, lang, "contract-delivered")


def supplier_invoices(page: Any, lang: str, world: World) -> None:
    """The supplier invoices each delivery, with its invoice as a PDF."""
    text = CONTENT[lang]
    page.reload()
    for number_, (delivery, amount) in enumerate(
        zip(text["deliveries"], ("60000", "61000"), strict=True), start=1
    ):
        form = page.get_by_role("form", name=t(lang, "Submit an invoice"))
        form.get_by_label(label(lang, "Delivery invoiced")).select_option(
            label=t(lang, "Delivery %(number)s: %(title)s", number=number_, title=delivery)
        )
        form.get_by_label(label(lang, "Your invoice number")).fill(f"F-10{number_}")
        form.get_by_label(label(lang, "Amount")).fill(amount)
        form.get_by_label(label(lang, "Invoice date")).fill(today(world).isoformat())
        form.get_by_label(label(lang, "The invoice (a document)")).set_input_files(
            files=[
                {
                    "name": f"factura-{number_}.pdf",
                    "mimeType": "application/pdf",
                    "buffer": small_pdf(),
                }
            ]
        )
        submit(page, form.get_by_role("button", name=t(lang, "Send the invoice")))
        status_says(page, lang, "Your invoice was sent to the buyer.")
    invoices = page.get_by_role("table", name=t(lang, "Your invoices")).locator("tbody tr")
    expect(invoices).to_have_count(2)
    expect(invoices.first).to_contain_text(t(lang, "Submitted, awaiting the buyer"))
    arrived(page, lang, "contract-invoiced")


def invoice_article(page: Any, lang: str, number_: int) -> Any:
    return page.get_by_role("region", name=t(lang, "Invoices")).get_by_role(
        "article",
        name=re.compile(
            re.escape(
                t(
                    lang,
                    "Invoice %(number)s (%(reference)s)",
                    number=number_,
                    reference=f"F-10{number_}",
                )
            )
        ),
    )


def buyer_accepts_invoices(page: Any, lang: str, numbers: tuple[int, ...] = (1, 2)) -> None:
    page.reload()
    arrived(page, lang, "contract-invoices-to-decide")
    for number_ in numbers:
        submit(
            page,
            invoice_article(page, lang, number_).get_by_role(
                "button", name=t(lang, "Accept invoice %(number)s", number=number_)
            ),
        )
        status_says(page, lang, "The invoice is accepted.")


def buyer_pays(page: Any, lang: str, number_: int, *, late: bool) -> None:
    """The buyer records the payment of an invoice in full, today (the form's defaults)."""
    page.reload()
    invoice = invoice_article(page, lang, number_)
    if late:
        expect(invoice).to_contain_text(t(lang, "Overdue"))
    submit(
        page,
        invoice.get_by_role(
            "button", name=t(lang, "Record a payment of invoice %(number)s", number=number_)
        ),
    )
    status_says(page, lang, "The payment is recorded and published.")
    invoice = invoice_article(page, lang, number_)
    expect(invoice.locator("h3 .usa-tag").first).to_have_text(t(lang, "Paid"))
    if late:
        expect(invoice).to_contain_text(t(lang, "Paid late"))
        arrived(page, lang, "contract-paid-late")


# ---------------------------------------------------------------------------------------------
# the anonymous visitor


def visitor_reads_the_report(page: Any, base: str, lang: str, world: World) -> None:
    text = CONTENT[lang]
    page.goto(f"{base}/{lang}/tenders/{world.tender.pk}/")
    arrived(page, lang, "award-visitor-evaluated")
    section = page.get_by_role("region", name=t(lang, "Evaluation and awards"))
    expect(section).to_contain_text(t(lang, "No lot of this tender is decided yet."))
    section.get_by_role("link", name=t(lang, "The evaluation report")).click()
    arrived(page, lang, "award-report")
    for lot_number in BIDS:
        table = page.get_by_role(
            "table", name=t(lang, "The bids of lot %(number)s, in ranking order", number=lot_number)
        )
        assert_ranking(table, lang, lot_number)
    expect(page.get_by_role("main")).to_contain_text(text["disqualified"])


def visitor_sees_award(
    page: Any, base: str, lang: str, world: World, status: str, *, check: bool = True
) -> Any:
    """The tender's page, section "Evaluation and awards": lot 1's decision in `status`.
    (`check=False` when axe has already checked the page with the same sections.)"""
    text = CONTENT[lang]
    page.goto(f"{base}/{lang}/tenders/{world.tender.pk}/")
    section = page.get_by_role("region", name=t(lang, "Evaluation and awards"))
    award = section.get_by_role(
        "article", name=f"{t(lang, 'Lot %(number)s', number=1)} · {text['lots'][0]}"
    )
    expect(award.locator(".usa-tag")).to_have_text(t(lang, status))
    expect(award).to_contain_text(TEXTILES)
    expect(award).to_contain_text(money(lang, "110000"))
    expect(award).to_contain_text(text["award_reasons"][0])
    if check:
        arrived(page, lang, f"award-visitor-{status}")
    return award


def visitor_reads_the_complaint(page: Any, base: str, lang: str, world: World) -> None:
    """From the award on the tender's page to the complaint's page, with its decision; then
    the buyer's page, which counts it."""
    text = CONTENT[lang]
    award = visitor_sees_award(
        page, base, lang, world, "Decided, in the standstill period", check=False
    )
    complaints = award.get_by_role(
        "table", name=t(lang, "Complaints about the award of lot %(number)s", number=1)
    )
    expect(complaints.locator("tbody tr")).to_have_count(1)
    expect(complaints).to_contain_text(t(lang, "Dismissed"))
    complaints.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        t(
            lang,
            "Complaint %(number)s about the award of lot %(lot)s",
            number=Complaint.objects.get().pk,
            lot=1,
        )
    )
    arrived(page, lang, "award-complaint")
    expect(page.get_by_role("region", name=t(lang, "Grounds"))).to_contain_text(text["grounds"])
    expect(page.get_by_role("link", name="muestras.pdf")).to_be_visible()
    decision = page.get_by_role("region", name=t(lang, "Decision"))
    expect(decision).to_contain_text(t(lang, "Dismissed"))
    expect(decision).to_contain_text(text["dismissal"])

    page.get_by_role("link", name=CONFECCIONES).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CONFECCIONES)
    arrived(page, lang, "award-complainant")
    page.goto(f"{base}/{lang}/tenders/{world.tender.pk}/")
    page.get_by_role("link", name=world.tender.buyer.display_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.tender.buyer.display_name)
    arrived(page, lang, "award-buyer-page")
    figures = page.get_by_role("region", name=t(lang, "Complaints about its awards"))
    assert facts(figures) == [
        [t(lang, "Complaints filed"), "1"],
        [t(lang, "Complaints upheld"), "0"],
    ]
    # No invoice yet: nothing to say about how it pays.
    expect(
        page.get_by_role("region", name=t(lang, "How this buyer pays its suppliers"))
    ).to_contain_text(t(lang, "This buyer has not received any invoice on this platform yet."))


def visitor_reads_the_contract(page: Any, base: str, lang: str, world: World) -> None:
    """The tender's page lists the signed contract, in force and amended; its own page too."""
    text = CONTENT[lang]
    page.goto(f"{base}/{lang}/tenders/{world.tender.pk}/")
    section = page.get_by_role("region", name=t(lang, "Contracts and payments"))
    contract = section.get_by_role("article", name=text["contract"])
    expect(contract).to_contain_text(TEXTILES)
    expect(contract).to_contain_text(money(lang, "121000"))
    expect(contract).to_contain_text(t(lang, "In force"))
    amendment = contract.get_by_role(
        "table", name=re.compile(re.escape(t(lang, "Amendment %(number)s", number=1)))
    )
    expect(amendment).to_contain_text(text["amendment"])
    expect(amendment.locator("tbody tr").first.locator("td")).to_have_text(
        [money(lang, "110000"), money(lang, "121000")]
    )
    arrived(page, lang, "contract-visitor-tender")
    contract.get_by_role("link", name=text["contract"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["contract"])
    expect(page.get_by_role("link", name=text["document"])).to_be_visible()
    arrived(page, lang, "contract-visitor-contract")


def visitor_reads_payment_figures(
    page: Any,
    base: str,
    lang: str,
    world: World,
    *,
    paid: int,
    average: str,
    late: int,
    overdue: int,
    check: bool = False,
) -> None:
    """The buyer's public page: how it pays its suppliers. (`check`: with axe, the first time
    the figures are there.)"""
    page.goto(f"{base}/{lang}/organizations/{world.tender.buyer.pk}/")
    figures = page.get_by_role("region", name=t(lang, "How this buyer pays its suppliers"))
    assert facts(figures) == [
        [t(lang, "Invoices paid"), str(paid)],
        [t(lang, "Average days to pay"), t(lang, "%(days)s days", days=number(lang, average))],
        [
            t(lang, "Paid late"),
            nt(
                lang,
                "%(counter)s of %(paid)s invoice paid after its due date",
                "%(counter)s of %(paid)s invoices paid after their due date",
                late,
                paid=paid,
            ),
        ],
        [
            t(lang, "Overdue now"),
            nt(
                lang,
                "%(counter)s invoice past its due date, not yet paid",
                "%(counter)s invoices past their due date, not yet paid",
                overdue,
            ),
        ],
    ]
    if check:
        arrived(page, lang, "contract-payment-figures")
    else:
        again(page, lang)


def facts(region: Any) -> list[list[str]]:
    """A list of facts (dl) as [term, description] pairs."""
    return region.locator("dl.pregon-facts").first.evaluate(
        """(list) => Array.from(list.querySelectorAll("dt"),
            (term) => [term.textContent.trim(), term.nextElementSibling.textContent.trim()])"""
    )


# ---------------------------------------------------------------------------------------------
# the journey


@pytest.mark.parametrize("lang", ["es", "en"])
def test_from_the_opening_to_the_last_payment(
    live_server: Any,
    new_page: Any,
    settings: Any,
    platform_clock: PlatformClock,
    tmp_path: Path,
    lang: str,
) -> None:
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = True
    base = live_server.url
    locale = BROWSER_LOCALE[lang]
    world = world_at_its_opening(lang)

    committee = new_page(locale=locale)
    committee_evaluates(committee, base, lang, world)

    visitor = new_page(locale=locale)
    visitor_reads_the_report(visitor, base, lang, world)

    buyer = new_page(locale=locale)
    buyer_opens_award_decisions(buyer, base, lang, world)
    buyer_awards(buyer, lang, world)
    visitor_sees_award(visitor, base, lang, world, "Decided, in the standstill period")

    bidder = new_page(locale=locale)
    complaint = bidder_complains(bidder, base, lang, world, tmp_path)
    visitor_sees_award(visitor, base, lang, world, "Suspended by a complaint")

    buyer_dismisses(buyer, lang, complaint)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolution) == (
        ComplaintStatus.DISMISSED,
        CONTENT[lang]["dismissal"],
    )
    visitor_reads_the_complaint(visitor, base, lang, world)

    # 5. The standstill period ends. The platform ends it by itself with a task scheduled at
    # the decision for its end; no task worker runs in the tests, so the days pass on the
    # platform clock and the safety net that cron runs, `pregon end_standstills`, ends it.
    platform_clock.advance(days=settings.PREGON_STANDSTILL_DAYS, hours=1)
    call_command("end_standstills", stdout=io.StringIO())
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.ACTIVE}
    visitor_sees_award(visitor, base, lang, world, "Final: the contract may be signed")

    # 6. The contract: signed by the buyer, confirmed by the supplier, amended, delivered.
    buyer_signs_contract(buyer, lang, world)
    supplier = new_page(locale=locale)
    supplier_confirms(supplier, base, lang, world)
    buyer_amends_and_records_deliveries(buyer, lang)
    visitor_reads_the_contract(visitor, base, lang, world)

    # 7. Invoices and payments: the first paid the day it arrives, the second 35 days later,
    # five days after its due date.
    supplier_invoices(supplier, lang, world)
    buyer_accepts_invoices(buyer, lang)
    buyer_pays(buyer, lang, 1, late=False)
    visitor_reads_payment_figures(
        visitor, base, lang, world, paid=1, average="0.0", late=0, overdue=0, check=True
    )
    platform_clock.advance(days=35)
    visitor_reads_payment_figures(
        visitor, base, lang, world, paid=1, average="0.0", late=0, overdue=1
    )
    buyer_pays(buyer, lang, 2, late=True)
    visitor_reads_payment_figures(
        visitor, base, lang, world, paid=2, average="17.5", late=1, overdue=0
    )

    # The tender's page says which payment was late; so does the supplier's page.
    visitor.goto(f"{base}/{lang}/tenders/{world.tender.pk}/")
    payments = visitor.get_by_role("region", name=t(lang, "Contracts and payments")).get_by_role(
        "table", name=t(lang, "Payments of the contract")
    )
    expect(payments.locator("tbody tr")).to_have_count(2)
    expect(payments.locator("tbody tr").nth(0)).to_contain_text(t(lang, "On time"))
    expect(payments.locator("tbody tr").nth(1)).to_contain_text(t(lang, "Paid late"))
    arrived(visitor, lang, "contract-visitor-paid")
    supplier.reload()
    invoices = supplier.get_by_role("table", name=t(lang, "Your invoices")).locator("tbody tr")
    expect(invoices.nth(0)).to_contain_text(t(lang, "On time"))
    expect(invoices.nth(1)).to_contain_text(t(lang, "Paid late"))
    arrived(supplier, lang, "contract-supplier-paid")
    assert [
        (invoice.number, invoice.amount, invoice.status, invoice.days_to_pay, invoice.paid_late)
        for invoice in Invoice.objects.order_by("number")
    ] == [
        (1, Decimal("60000"), InvoiceStatus.PAID, 0, False),
        (2, Decimal("61000"), InvoiceStatus.PAID, 35, True),
    ]
