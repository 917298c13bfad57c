"""Tenders under the country rule packs: the pack a tender keeps, minimum publication periods,
reserved lots (must, may, no; who may bid) and divide-or-explain, with worked cases from the
law's text (docs/rule-packs.md). Refusals go through the `refused` fixture: nothing changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.core.models import AuditEvent
from pregon.publication.models import Release
from pregon.rules import pack_for_country
from pregon.rules.loading import PACKS_DIR_VARIABLE, registry
from pregon.tenders import services
from pregon.tenders.models import Lot, Tender
from pregon.tenders.rule_packs import lot_open_to, pack_of, reservation_label
from pregon.tenders.services import LotData
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
SHIPPED_BR = Path(__file__).parents[2] / "src/pregon/rules/packs/br/2026.1.toml"


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def buyer_of(country: str) -> Any:
    return factories.BuyerFactory(country=country)


def official_of(buyer: Any) -> Actor:
    return factories.actor_for(factories.member(buyer, "buyer_official"), buyer)


def draft_of(buyer: Any, **fields: Any) -> Tender:
    """A draft without lots, for `lot_save` to add them."""
    return factories.TenderDraftFactory(buyer=buyer, lots=0, **fields)


def add_lot(actor: Actor, tender: Tender, value: str | None, **fields: Any) -> Lot:
    return services.lot_save(
        actor=actor,
        tender=tender,
        data=LotData(
            title="Lote",
            estimated_value=None if value is None else Decimal(value),
            items=[
                services.ItemData(
                    description="Computador",
                    classification_scheme="CPV",
                    classification_code="30213000-5",
                    quantity=Decimal(2),
                    unit="unidad",
                )
            ],
            **fields,
        ),
    )


# ---------------------------------------------------------------------------------------------
# reserved lots: worked cases


def test_br_a_lot_up_to_80000_must_be_reserved_for_me_epp() -> None:
    buyer = buyer_of("BR")
    actor = official_of(buyer)
    tender = draft_of(buyer, currency="BRL", estimated_value=Decimal("500000"))
    lot = add_lot(actor, tender, "80000.00")
    assert (lot.reserved, lot.reservation_obligation) == (True, "must")
    assert lot.reserved_scales == ["micro", "small"]
    assert lot.reservation_rule == "BR@2026.1:art48.exclusive"
    assert (lot.reserved_cooperatives, lot.reserved_local, lot.reserved_local_only) == (
        False,
        False,
        False,
    )
    assert reservation_label(lot) == "Reserved for micro and small enterprises"
    row = AuditEvent.objects.filter(action="lot.add").latest("pk")
    assert row.summary["reserved"] == "BR@2026.1:art48.exclusive"


def test_br_a_must_lot_cannot_be_unreserved(refused: Any) -> None:
    buyer = buyer_of("BR")
    actor = official_of(buyer)
    tender = draft_of(buyer, currency="BRL", estimated_value=Decimal("500000"))
    lot = add_lot(actor, tender, "80000.00")
    error = refused(
        ValidationFailed,
        "reservation_required",
        services.lot_save,
        actor=actor,
        tender=tender,
        lot=lot,
        data=LotData(title="Lote", estimated_value=Decimal("80000.00"), reserved=False),
    )
    assert str(error).startswith(
        "Lot 1 must be reserved for smaller firms: Tenders and items up to R$80,000 exclusive "
        "to ME/EPP (Lei Complementar 123/2006, art. 48, I)."
    )
    assert error.field == "reserved"


@pytest.mark.parametrize("value", ["80000.01", "100000.00"])
def test_br_a_lot_above_80000_may_not_be_reserved(refused: Any, value: str) -> None:
    buyer = buyer_of("BR")
    actor = official_of(buyer)
    tender = draft_of(buyer, currency="BRL", estimated_value=Decimal("500000"))
    lot = add_lot(actor, tender, value)
    assert (lot.reserved, lot.reservation_obligation, lot.reservation_rule) == (False, "no", "")
    error = refused(
        ValidationFailed,
        "reservation_not_allowed",
        services.lot_save,
        actor=actor,
        tender=tender,
        data=LotData(title="Otro", estimated_value=Decimal(value), reserved=True),
    )
    assert str(error).startswith("The rules of BR@2026.1 do not provide for reserving lot 2.")


@pytest.mark.parametrize(
    ("value", "expected_offers", "obligation"),
    [
        ("15000.00", 2, "no"),  # a micro-purchase: the rule of two starts above US$15,000
        ("15000.01", 2, "must"),
        ("350000.00", 2, "must"),
        ("350000.01", 2, "no"),  # above the simplified acquisition threshold
        ("100000.00", 1, "no"),  # fewer than two small firms expected
        ("100000.00", None, "must"),  # not known: the set-aside stands
    ],
)
def test_us_rule_of_two(value: str, expected_offers: int | None, obligation: str) -> None:
    buyer = buyer_of("US")
    actor = official_of(buyer)
    tender = draft_of(buyer, currency="USD", estimated_value=Decimal("900000"))
    lot = add_lot(actor, tender, value, expected_small_offers=expected_offers)
    assert lot.reservation_obligation == obligation
    assert lot.reserved is (obligation == "must")
    if lot.reserved:
        assert lot.reserved_scales == ["micro", "small"]
        assert lot.reservation_rule == "US@2026.1:rule_of_two"


def test_co_may_becomes_must_with_two_requests_and_may_be_limited_to_local() -> None:
    buyer = buyer_of("CO")
    actor = official_of(buyer)
    # COP 400 million is US$100,000 at the development rate (4,000): under US$125,000.
    tender = draft_of(buyer, currency="COP", estimated_value=Decimal("900000000"))
    one = add_lot(actor, tender, "400000000.00", msme_requests=1)
    assert (one.reservation_obligation, one.reserved) == ("may", False)
    chosen = add_lot(actor, tender, "400000000.00", msme_requests=1, reserved=True)
    assert (chosen.reservation_obligation, chosen.reserved) == ("may", True)
    two = add_lot(actor, tender, "400000000.00", msme_requests=2, limit_to_local=True)
    assert (two.reservation_obligation, two.reserved) == ("must", True)
    assert two.reserved_scales == ["micro", "small", "medium"]
    assert two.reserved_local_only is True
    assert reservation_label(two) == (
        "Reserved for local micro, small and medium-sized enterprises only"
    )
    # US$125,000 and above: no limited call.
    above = add_lot(actor, tender, "500000000.00", msme_requests=2)
    assert (above.reservation_obligation, above.reserved) == ("no", False)


def test_co_a_missing_rate_is_a_clear_refusal(refused: Any, settings: Any) -> None:
    settings.PREGON_RULE_RATES = {}
    buyer = buyer_of("CO")
    actor = official_of(buyer)
    tender = draft_of(buyer, currency="COP", estimated_value=Decimal("900000000"))
    error = refused(
        ValidationFailed,
        "missing_rate",
        services.lot_save,
        actor=actor,
        tender=tender,
        data=LotData(title="Lote", estimated_value=Decimal("400000000")),
    )
    assert str(error) == (
        "The rules of CO@2026.1 state a figure in USD, and the platform has no rate of USD in "
        "COP, so it cannot tell which rule applies. Ask the platform's operator to set it "
        "(PREGON_RULE_RATES), or use the currency of the rules."
    )


def test_generic_lots_may_be_reserved_for_msmes_and_cooperatives() -> None:
    buyer = buyer_of("BZ")
    actor = official_of(buyer)
    tender = draft_of(buyer, currency="USD")
    lot = add_lot(actor, tender, "5000.00", reserved=True)
    assert (lot.reservation_obligation, lot.reserved) == ("may", True)
    assert lot.reserved_scales == ["micro", "small", "medium"]
    assert lot.reserved_cooperatives is True
    assert lot.reservation_rule == "GENERIC@2026.1:reservation.optional"


def test_who_may_bid_on_a_reserved_lot() -> None:
    buyer = buyer_of("BZ")
    tender = draft_of(buyer, currency="USD")
    lot = add_lot(official_of(buyer), tender, "5000.00", reserved=True)
    micro = factories.SupplierFactory(scale="micro")
    self_employed = factories.SupplierFactory(scale="selfEmployed")
    cooperative = factories.SupplierFactory(scale="large", is_cooperative=True)
    large = factories.SupplierFactory(scale="large", legal_name="Grandes Obras S.A.")
    assert lot_open_to(lot, micro) is None
    assert lot_open_to(lot, self_employed) is None
    assert lot_open_to(lot, cooperative) is None
    assert lot_open_to(lot, large) == (
        "Lot 1 is reserved for micro, small and medium-sized enterprises, and cooperatives of "
        "any size (Lots may be reserved for MSMEs and cooperatives (default) (neutral default, no "
        "law)). "
        "Grandes Obras S.A. is registered as large enterprise, so it cannot bid on this lot."
    )


def test_a_new_value_decides_the_lots_again() -> None:
    buyer = buyer_of("BR")
    actor = official_of(buyer)
    tender = draft_of(buyer, currency="BRL", estimated_value=Decimal("70000"))
    lot = add_lot(actor, tender, None)  # the tender's value stands for the lot's
    assert lot.reserved is True
    services.tender_update(
        actor=actor, tender=tender, data=services.TenderChanges(estimated_value=Decimal("90000"))
    )
    lot.refresh_from_db()
    assert (lot.reserved, lot.reservation_obligation) == (False, "no")
    row = AuditEvent.objects.filter(action="tender.update").latest("pk")
    assert row.summary["changes"]["reserved_lots"] == {"1": [True, False]}


# ---------------------------------------------------------------------------------------------
# publication: the pack kept, reserved lots published, divide or explain, periods


def publishable(buyer: Any, now: dt.datetime, **fields: Any) -> Tender:
    return factories.TenderDraftFactory(
        buyer=buyer, enquiry_end=now + HOUR, submission_deadline=now + 30 * DAY, **fields
    )


def tender_release(tender: Tender) -> dict[str, Any]:
    release = Release.objects.filter(ocid=tender.ocid).latest("pk")
    return dict(release.as_dict["tender"])


def test_publication_keeps_the_pack_and_publishes_the_reservation(now: dt.datetime) -> None:
    buyer = buyer_of("BR")
    tender = publishable(buyer, now, currency="BRL", estimated_value=Decimal("80000"))
    services.tender_publish(actor=official_of(buyer), tender=tender)
    tender.refresh_from_db()
    assert tender.rule_pack == "BR@2026.1"
    lot = tender.lots.get()
    assert lot.reserved is True
    data = tender_release(tender)
    assert data["rulePack"]["id"] == "BR@2026.1"
    assert data["rulePack"]["url"].endswith("/rules/BR@2026.1/")
    assert data["lots"][0]["reservation"] == {
        "description": "Reservado para micro y pequeñas empresas",
        "scales": ["micro", "small"],
        "cooperatives": False,
        "localSuppliers": False,
        "localOnly": False,
        "obligation": "must",
        "rule": {
            "pack": "BR@2026.1",
            "id": "art48.exclusive",
            "title": "Licitaciones e ítems de hasta R$80.000 exclusivos para ME/EPP",
            "legalBasis": "Lei Complementar 123/2006, art. 48, I",
            "effectiveFrom": "2026-01-01",
        },
    }
    row = AuditEvent.objects.filter(action="tender.publish").latest("pk")
    assert row.summary["rule_pack"] == "BR@2026.1"
    assert row.summary["reserved_lots"] == [1]


def test_a_later_pack_version_does_not_change_a_published_tender(
    now: dt.datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer = buyer_of("BR")
    official = official_of(buyer)
    before = publishable(buyer, now, currency="BRL", estimated_value=Decimal("90000"))
    services.tender_publish(actor=official, tender=before)
    # A new law: items up to R$100,000 exclusive to ME/EPP, in force since yesterday.
    text = SHIPPED_BR.read_text(encoding="utf-8")
    text = text.replace('version = "2026.1"', 'version = "2027.1"', 1)
    text = text.replace(
        "effective_from = 2026-01-01", f"effective_from = {(now - DAY).date().isoformat()}", 1
    )
    text = text.replace(
        'value = { up_to = { value = "80000" } }', 'value = { up_to = { value = "100000" } }'
    )
    (tmp_path / "br-2027.1.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv(PACKS_DIR_VARIABLE, str(tmp_path))
    registry.cache_clear()
    try:
        assert pack_for_country("BR").ref == "BR@2027.1"
        before.refresh_from_db()
        assert before.rule_pack == "BR@2026.1"
        assert pack_of(before).ref == "BR@2026.1"
        assert before.lots.get().reserved is False
        after = publishable(buyer, now, currency="BRL", estimated_value=Decimal("90000"))
        services.tender_publish(actor=official, tender=after)
        after.refresh_from_db()
        assert after.rule_pack == "BR@2027.1"
        assert after.lots.get().reservation_rule == "BR@2027.1:art48.exclusive"
        # An amendment of the first tender keeps its version.
        services.tender_amend(
            actor=official,
            tender=before,
            data=services.AmendmentData(reason="Aclaración", title="Nuevo título"),
        )
        before.refresh_from_db()
        assert before.rule_pack == "BR@2026.1"
        assert tender_release(before)["rulePack"]["id"] == "BR@2026.1"
    finally:
        monkeypatch.delenv(PACKS_DIR_VARIABLE)
        registry.cache_clear()


def test_divide_or_explain_refuses_a_single_lot_without_a_reason(
    refused: Any, now: dt.datetime
) -> None:
    buyer = buyer_of("BZ")
    official = official_of(buyer)
    tender = publishable(buyer, now, currency="USD", undivided_reason="")
    error = refused(
        ValidationFailed, "not_publishable", services.tender_publish, actor=official, tender=tender
    )
    assert error.errors == {
        "__all__": [
            "This tender has a single lot: give the reason for not dividing it into lots, which "
            "will be public (Divide into lots or explain (default), Directive 2014/24/EU (as a "
            "model), art. 46)."
        ]
    }


def test_divide_or_explain_publishes_the_reason(now: dt.datetime) -> None:
    buyer = buyer_of("BZ")
    official = official_of(buyer)
    tender = publishable(buyer, now, currency="USD", undivided_reason="")
    services.tender_update(
        actor=official,
        tender=tender,
        data=services.TenderChanges(undivided_reason="Una sola garantía cubre todo el equipo."),
    )
    services.tender_publish(actor=official, tender=tender)
    tender.refresh_from_db()
    assert tender.rule_pack == "GENERIC@2026.1"
    assert tender_release(tender)["reasonForNotDividing"] == (
        "Una sola garantía cubre todo el equipo."
    )
    # Two lots need no reason.
    divided = publishable(buyer, now, currency="USD", undivided_reason="", lots=2)
    services.tender_publish(actor=official, tender=divided)
    divided.refresh_from_db()
    assert "reasonForNotDividing" not in tender_release(divided)


@pytest.mark.parametrize(
    ("country", "value", "method", "period", "message"),
    [
        # Chile: L1 tenders under 100 UTM (6.9 million CLP at the development rate), 5 days.
        (
            "CL",
            "6899999",
            "open",
            5 * DAY,
            "at least 5 days after publication (Public tender L1 (under 100 UTM): 5 days",
        ),
        # 100 UTM and above: Chile's law says nothing here, the platform's 10 days hold.
        ("CL", "6900000", "open", 10 * DAY, "at least 10 days after publication for this method"),
        (
            "BZ",
            "150000",
            "selective",
            10 * DAY,
            "at least 10 days after publication (Selective procedure: 10 days (default)",
        ),
    ],
)
def test_minimum_periods_come_from_the_pack(
    refused: Any,
    now: dt.datetime,
    country: str,
    value: str,
    method: str,
    period: dt.timedelta,
    message: str,
) -> None:
    buyer = buyer_of(country)
    official = official_of(buyer)
    short = factories.TenderDraftFactory(
        buyer=buyer,
        method=method,
        estimated_value=Decimal(value),
        enquiry_end=now + HOUR,
        submission_deadline=now + period - dt.timedelta(seconds=1),
    )
    error = refused(
        ValidationFailed, "not_publishable", services.tender_publish, actor=official, tender=short
    )
    assert message in str(error)
    exact = factories.TenderDraftFactory(
        buyer=buyer,
        method=method,
        estimated_value=Decimal(value),
        enquiry_end=now + HOUR,
        submission_deadline=now + period,
    )
    services.tender_publish(actor=official, tender=exact)


def test_brazil_counts_business_days_for_a_dispensa(refused: Any) -> None:
    # Published on Friday 2026-03-06 (noon in Brasília): 3 business days end on Wednesday.
    friday = dt.datetime(2026, 3, 6, 15, 0, tzinfo=dt.UTC)
    buyer = buyer_of("BR")
    official = official_of(buyer)
    with clock.at(friday):
        short = factories.TenderDraftFactory(
            buyer=buyer,
            method="rfq",
            currency="BRL",
            estimated_value=Decimal("50000"),
            enquiry_end=friday + HOUR,
            submission_deadline=friday + 5 * DAY - dt.timedelta(seconds=1),
            committee=False,
        )
        factories.committee_name(short, members=3, threshold=2)
        error = refused(
            ValidationFailed,
            "not_publishable",
            services.tender_publish,
            actor=official,
            tender=short,
        )
    assert "at least 3 business days after publication" in str(error)
    assert "move it to 2026-03-11 or later" in str(error)


# ---------------------------------------------------------------------------------------------
# pages


def test_the_rule_pack_page_lists_each_rule_with_its_basis_and_date() -> None:
    client = Client()
    page = client.get("/en/rules/BR@2026.1/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tenders and items up to R$80,000 exclusive to ME/EPP" in text
    assert "Lei Complementar 123/2006, art. 48, I" in text
    assert 'datetime="2026-01-01"' in text
    spanish = client.get("/es/rules/BR@2026.1/").content.decode()
    assert "Licitaciones e ítems de hasta R$80.000 exclusivos para ME/EPP" in spanish
    assert client.get("/en/rules/XX@1/").status_code == 404


def test_the_tender_page_shows_the_reservation_the_pack_and_the_reason(now: dt.datetime) -> None:
    buyer = buyer_of("BR")
    tender = publishable(
        buyer,
        now,
        currency="BRL",
        estimated_value=Decimal("80000"),
        undivided_reason="Uma só entrega de todo o equipamento.",
    )
    services.tender_publish(actor=official_of(buyer), tender=tender)
    page = Client().get(f"/en/tenders/{tender.pk}/").content.decode()
    assert "Reserved for micro and small enterprises" in page
    assert (
        "Under Tenders and items up to R$80,000 exclusive to ME/EPP (Lei Complementar "
        "123/2006, art. 48, I)." in page
    )
    assert 'href="/en/rules/BR@2026.1/"' in page
    assert "Uma só entrega de todo o equipamento." in page
