"""Quotas of divisible goods (Brazil's LC 123/2006, art. 48, III): a lot that holds up to 25% of
another lot's goods, reserved for ME/EPP. Worked cases from the law's text: the quota is offered
only where the pack has one (Brazil, goods), is at most a quarter of the two lots' value, is
reserved whatever the value-based reservation says, and is published and enforced as a
reserved lot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.core.models import AuditEvent
from pregon.publication.models import Release
from pregon.tenders import services
from pregon.tenders.models import Lot, Tender
from pregon.tenders.rule_packs import lot_open_to, reservation_label
from pregon.tenders.services import LotData
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def official_of(buyer: Any) -> Actor:
    return factories.actor_for(factories.member(buyer, "buyer_official"), buyer)


def lot_data(value: str | None, **fields: Any) -> LotData:
    return LotData(
        title=fields.pop("title", "Cadeiras escolares"),
        estimated_value=None if value is None else Decimal(value),
        items=[
            services.ItemData(
                description="Cadeira escolar empilhável",
                classification_scheme="CPV",
                classification_code="39112000-0",
                quantity=Decimal(750),
                unit="unidade",
            )
        ],
        **fields,
    )


def draft(country: str = "BR", category: str = "goods", **fields: Any) -> tuple[Tender, Actor]:
    """A draft of the country without lots, publishable once lots are added."""
    buyer = factories.BuyerFactory(country=country)
    moment = clock.now()
    tender = factories.TenderDraftFactory(
        buyer=buyer,
        lots=0,
        category=category,
        currency="BRL" if country == "BR" else "CLP",
        estimated_value=Decimal("400000"),
        enquiry_end=moment + HOUR,
        submission_deadline=moment + 30 * DAY,
        **fields,
    )
    return tender, official_of(buyer)


def main_and_quota(main: str = "300000", quota: str = "100000") -> tuple[Tender, Lot, Lot]:
    tender, actor = draft()
    main_lot = services.lot_save(actor=actor, tender=tender, data=lot_data(main))
    quota_lot = services.lot_save(
        actor=actor, tender=tender, data=lot_data(quota, title="Cota ME/EPP", quota_of=1)
    )
    return tender, main_lot, quota_lot


def test_a_quarter_of_divisible_goods_is_reserved_for_me_epp() -> None:
    _tender, main, quota = main_and_quota()
    # R$100,000 is above the R$80,000 of art. 48, I, and reserved all the same, as a quota.
    assert (quota.reserved, quota.reserved_scales, quota.reservation_obligation) == (
        True,
        ["micro", "small"],
        "may",
    )
    assert quota.reservation_rule == "BR@2026.1:quota"
    assert quota.quota_of == main
    assert main.reserved is False
    with translation.override("en"):
        assert reservation_label(quota) == "Quota of lot 1 reserved for micro and small enterprises"
    row = AuditEvent.objects.filter(action="lot.add").latest("pk")
    assert row.summary["quota_of"] == 1


def test_a_large_firm_may_not_bid_on_the_quota_but_may_on_the_main_lot() -> None:
    _tender, main, quota = main_and_quota()
    large = factories.SupplierFactory(scale="large", country="BR")
    micro = factories.SupplierFactory(scale="micro", country="BR")
    assert lot_open_to(main, large) is None
    assert lot_open_to(quota, large)
    assert lot_open_to(quota, micro) is None


@pytest.mark.parametrize(
    ("main", "quota", "allowed"),
    [
        ("300000", "100000", True),  # exactly 25%
        ("300000", "100001", False),  # just above a quarter
        ("900000", "100000", True),  # 10%
    ],
)
def test_the_quota_is_at_most_a_quarter_of_the_two_lots(
    main: str, quota: str, allowed: bool, refused: Any
) -> None:
    tender, actor = draft()
    services.lot_save(actor=actor, tender=tender, data=lot_data(main))
    data = lot_data(quota, quota_of=1)
    if allowed:
        assert services.lot_save(actor=actor, tender=tender, data=data).reserved
        return
    error = refused(
        ValidationFailed,
        "quota_too_large",
        services.lot_save,
        actor=actor,
        tender=tender,
        data=data,
    )
    assert "a quota may be at most 25%" in str(error)
    assert "art. 48, III" in str(error)


def test_publication_checks_the_share_again_after_the_main_lot_shrinks(refused: Any) -> None:
    tender, main, _quota = main_and_quota()
    actor = official_of(tender.buyer)
    # The main lot's value goes down; the quota (saved first) is now above a quarter.
    services.lot_save(actor=actor, tender=tender, lot=main, data=lot_data("200000"))
    error = refused(
        ValidationFailed, "not_publishable", services.tender_publish, actor=actor, tender=tender
    )
    assert "Lot 2 is 33.3% of the goods of lots 1 and 2" in str(error)


def test_publication_asks_for_both_values(refused: Any) -> None:
    tender, actor = draft()
    services.lot_save(actor=actor, tender=tender, data=lot_data(None))
    services.lot_save(actor=actor, tender=tender, data=lot_data("50000", quota_of=1))
    error = refused(
        ValidationFailed, "not_publishable", services.tender_publish, actor=actor, tender=tender
    )
    assert "Give the estimated values of lot 2 and of lot 1" in str(error)


@pytest.mark.parametrize(
    ("country", "category"),
    [("CL", "goods"), ("BR", "services"), ("BR", "works")],
)
def test_no_quota_where_the_pack_has_none(country: str, category: str, refused: Any) -> None:
    tender, actor = draft(country, category)
    services.lot_save(actor=actor, tender=tender, data=lot_data("300000"))
    error = refused(
        ValidationFailed,
        "quota_not_allowed",
        services.lot_save,
        actor=actor,
        tender=tender,
        data=lot_data("100000", quota_of=1),
    )
    assert error.field == "quota_of"


def test_no_quota_above_the_benefits_ceiling(refused: Any) -> None:
    tender, actor = draft()
    services.lot_save(actor=actor, tender=tender, data=lot_data("20000000"))
    refused(
        ValidationFailed,
        "quota_not_allowed",
        services.lot_save,
        actor=actor,
        tender=tender,
        data=lot_data("5000000", quota_of=1),
    )


def test_a_quota_of_a_quota_itself_or_a_missing_lot_is_refused(refused: Any) -> None:
    tender, main, quota = main_and_quota()
    actor = official_of(tender.buyer)
    refused(
        ValidationFailed,
        "quota_of_quota",
        services.lot_save,
        actor=actor,
        tender=tender,
        data=lot_data("10000", quota_of=2),
    )
    refused(
        ValidationFailed,
        "quota_main_missing",
        services.lot_save,
        actor=actor,
        tender=tender,
        data=lot_data("10000", quota_of=7),
    )
    refused(
        ValidationFailed,
        "quota_of_itself",
        services.lot_save,
        actor=actor,
        tender=tender,
        lot=quota,
        data=lot_data("10000", quota_of=2),
    )
    services.lot_save(actor=actor, tender=tender, data=lot_data("900000", title="Mesas"))
    refused(
        ValidationFailed,
        "quota_has_quota",
        services.lot_save,
        actor=actor,
        tender=tender,
        lot=main,
        data=lot_data("100000", quota_of=3),
    )


def test_the_main_lot_stays_while_its_quota_does_and_an_edit_ends_the_quota(
    refused: Any,
) -> None:
    tender, main, quota = main_and_quota()
    actor = official_of(tender.buyer)
    error = refused(ValidationFailed, "lot_has_quota", services.lot_delete, actor=actor, lot=main)
    assert "Lot 2 is the quota of lot 1" in str(error)
    # Saved without `quota_of`, the quota becomes an ordinary lot: R$100,000 is not reserved.
    ordinary = services.lot_save(actor=actor, tender=tender, lot=quota, data=lot_data("100000"))
    assert (ordinary.quota_of, ordinary.reserved, ordinary.reservation_rule) == (None, False, "")
    services.lot_delete(actor=actor, lot=main)
    assert list(tender.lots.values_list("number", flat=True)) == [1]


def test_the_published_quota_is_marked_in_the_release_and_on_the_page() -> None:
    tender, _main, _quota = main_and_quota()
    services.tender_publish(actor=official_of(tender.buyer), tender=tender)
    release = Release.objects.filter(ocid=tender.ocid).latest("pk")
    lots = release.as_dict["tender"]["lots"]
    assert "reservation" not in lots[0]
    assert lots[1]["reservation"]["quotaOf"] == "1"
    assert lots[1]["reservation"]["rule"]["id"] == "quota"
    assert lots[1]["reservation"]["rule"]["legalBasis"] == (
        "Lei Complementar 123/2006, art. 48, III"
    )
    page = Client().get(f"/pt-br/tenders/{tender.pk}/").content.decode()
    assert "Cota do lote 1 reservada para microempresas e empresas de pequeno porte" in page
    api = Client().get(f"/api/v1/tenders/{tender.pk}").json()
    assert [lot["quota_of"] for lot in api["lots"]] == [None, 1]


def test_the_lot_form_offers_the_quota_only_where_the_pack_has_one() -> None:
    tender, actor = draft()
    services.lot_save(actor=actor, tender=tender, data=lot_data("300000"))
    client = Client()
    client.force_login(actor.user)
    page = client.get(f"/en/buyer/tenders/{tender.pk}/lots/add/").content.decode()
    assert "Quota of divisible goods reserved for smaller firms" in page
    assert "Quota of lot 1: Cadeiras escolares" in page
    response = client.post(
        f"/en/buyer/tenders/{tender.pk}/lots/add/",
        {"lot-title": "Cota", "lot-estimated_value": "100000", "lot-quota_of": "1"},
    )
    assert response.status_code == 302
    assert tender.lots.get(number=2).quota_of is not None

    chilean, chilean_actor = draft("CL")
    client.force_login(chilean_actor.user)
    page = client.get(f"/en/buyer/tenders/{chilean.pk}/lots/add/").content.decode()
    assert "Quota of divisible goods" not in page
