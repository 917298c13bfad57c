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
complaint and payment figures changing. axe-core checks every page anyone sees.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS
from django.utils import formats, timezone, translation

from pregon.accounts.models import User
from pregon.bids.choices import OpeningStatus
from pregon.bids.models import Opening
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
from tests.browser.test_journey import BROWSER_LOCALE, arrived, label, small_pdf, t
from tests.browser.test_sealed_journey import sign_in
from tests.evaluation.world import opened

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

TOTP_SECRETS = {"official": "JBSWY3DPEHPK3PXP", "member": "KRSXG5CTMVRXEZLU"}

#: The three bidders: (legal name, scale, cooperative).
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
# the platform clock


@dataclass
class PlatformClock:
    """The platform's clock for the live server, moved forward as the journey needs days to pass
    (the standstill period, an invoice's term).

    `clock.at` sets the moment for the calling thread only (a context variable), and the live
    server answers each request in a thread of its own; so, for the journey, the clock module's
    two readings are shifted for every thread: `clock.now` (through the `timezone` it reads,
    which also reaches the models' `default=clock.now`) and `clock.db_now`. Django's own
    times (sessions) and the authenticator's codes keep the real time. The shift is only
    moved after the world is built, where no `clock.at` block is active.
    """

    offset: dt.timedelta = field(default_factory=dt.timedelta)

    def now(self) -> dt.datetime:
        return timezone.now() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def platform_clock(monkeypatch: pytest.MonkeyPatch) -> PlatformClock:
    moved = PlatformClock()
    real_db_now = clock.db_now
    monkeypatch.setattr(
        clock, "timezone", SimpleNamespace(now=moved.now, is_naive=timezone.is_naive)
    )
    monkeypatch.setattr(
        clock, "db_now", lambda using=DEFAULT_DB_ALIAS: real_db_now(using) + moved.offset
    )
    return moved


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
    scales = {CONFECCIONES: ("small", False), TEXTILES: ("medium", False), COOPERATIVA: ("micro", True)}
    with clock.at(now - dt.timedelta(days=3)):
        for name, (scale, cooperative) in scales.items():
            organization = factories.SupplierFactory(
                legal_name=name, scale=scale, is_cooperative=cooperative
            )
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


def lot_region(page: Any, lang: str, number_: int, title: str) -> Any:
    """A lot's section of a working page ("Lot 1: School uniforms")."""
    name = f"{t(lang, 'Lot %(number)s:', number=number_)} {title}"
    return page.get_by_role("region", name=name, exact=True)


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
        lot.get_by_role("button", name=t(lang, "Start the evaluation of this lot")).click()
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
                bid.get_by_role("button", name=t(lang, "Disqualify"), exact=True).click()
                status_says(page, lang, "The bid is disqualified.")
                continue
            bid.get_by_role("button", name=t(lang, "Qualify"), exact=True).click()
            status_says(page, lang, "The bid is qualified.")
            bid = lot_region(page, lang, lot_number, title).get_by_role(
                "group", name=re.compile(rf"^{re.escape(bidder)}:")
            )
            bid.get_by_label(quality_label).fill(number(lang, points))
            bid.get_by_role("button", name=t(lang, "Save the points")).click()
            status_says(page, lang, "The points are saved.")

        # The ranking, as the committee's page computes it before the lot is completed.
        lot = lot_region(page, lang, lot_number, title)
        table = lot.get_by_role(
            "table", name=t(lang, "The bids of lot %(number)s, in ranking order", number=lot_number)
        )
        assert_ranking(table, lang, lot_number)
        arrived(page, lang, f"award-evaluation-lot-{lot_number}")
        lot.get_by_role(
            "button", name=t(lang, "Complete and publish the evaluation of this lot")
        ).click()
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
                "–",
                bidder,
                money(lang, price[bidder]),
                "–",
                "–",
                "–",
                f"{t(lang, 'Disqualified')}: {CONTENT[lang]['disqualified']}",
            ]
        )
    expect(rows).to_have_count(len(ranked) + len(out))


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


# ---------------------------------------------------------------------------------------------
# the journey


@pytest.mark.parametrize("lang", ["es", "en"])
def test_from_the_opening_to_the_last_payment(
    live_server: Any, new_page: Any, settings: Any, platform_clock: PlatformClock, lang: str
) -> None:
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = True
    base = live_server.url
    locale = BROWSER_LOCALE[lang]
    world = world_at_its_opening(lang)

    committee = new_page(locale=locale)
    committee_evaluates(committee, base, lang, world)

    visitor = new_page(locale=locale)
    visitor_reads_the_report(visitor, base, lang, world)
