"""The demo's quick quotes (Chile's Compra Ágil): one the Municipality of Valparaíso posted
between its plan and the first tender, quoted by three smaller Chilean suppliers, closed,
chosen (not the lowest price, with the reason), ordered, accepted and delivered; and one it
posted two hours before the demo's day, open for three more days, with two quotes in.

Built through the same services as real users (`pregon.quotes.services`, and the contracts'
for the order's acceptance and delivery), each at its moment, so that the demo's releases stay
in date order: `build_quick_quotes` after the plans, `build_open_quick_quote` last.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pregon.accounts.models import User
from pregon.contracts.services import contract_confirm, milestone_meet
from pregon.contracts.terms import day_of
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.demo.organizations import SUPPLIERS
from pregon.organizations.models import Organization
from pregon.quotes import services
from pregon.quotes.services import ItemData, QuickQuoteData, QuoteData

#: The buyer of the demo's quick quotes (a Chilean municipality: the CL pack's Compra Ágil).
BUYER = "valparaiso"
DAY = dt.timedelta(days=1)


def _smaller_chilean(
    suppliers: dict[str, tuple[Organization, User]],
) -> list[tuple[Organization, Actor]]:
    """The Chilean micro, small and medium demo suppliers Compra Ágil admits, in spec order."""
    found = []
    for spec in SUPPLIERS:
        if spec.country == "CL" and spec.scale in {"micro", "small", "medium"}:
            organization, user = suppliers[spec.key]
            if organization.scale_status == "rejected":
                continue
            found.append(
                (organization, Actor(user=user, organization=organization, channel="command"))
            )
    return found


def _data(
    *, title: str, item: str, code: str, quantity: str, unit: str, value: str, **when: object
) -> QuickQuoteData:
    return QuickQuoteData(
        title=title,
        description="",
        language="es",
        category="goods",
        currency="CLP",
        estimated_value=Decimal(value),
        delivery_place="Av. Argentina 864, Valparaíso (bodega municipal)",
        items=[
            ItemData(
                description=item,
                classification_scheme="UNSPSC",
                classification_code=code,
                quantity=Decimal(quantity),
                unit=unit,
            )
        ],
        **when,  # type: ignore[arg-type]
    )


def _quote(actor: Actor, quick_quote: object, price: str, delivery: dt.date, note: str) -> None:
    assert actor.organization is not None
    services.quote_submit(
        actor=actor,
        quick_quote=quick_quote,  # type: ignore[arg-type]
        supplier=actor.organization,
        data=QuoteData(price=Decimal(price), delivery_date=delivery, note=note),
    )


def build_quick_quotes(
    *,
    today: dt.datetime,
    buyers: dict[str, Organization],
    officials: dict[str, User],
    suppliers: dict[str, tuple[Organization, User]],
) -> int:
    """The delivered quick quote, between the plans (published until 160 days before `today`)
    and the first tender (157 days before), so that the demo's releases stay in date order;
    returns how many were built (0 when the demo lacks their buyer or three smaller Chilean
    suppliers). The open one is built last, by `build_open_quick_quote`."""
    buyer = buyers.get(BUYER)
    bidders = _smaller_chilean(suppliers)
    if buyer is None or len(bidders) < 3:
        return 0
    official = Actor(user=officials[BUYER], organization=buyer, channel="command")
    start = (today - 159 * DAY).replace(hour=9, minute=0, second=0, microsecond=0)
    delivery = day_of(buyer, start) + 6 * DAY
    with clock.at(start):
        done = services.quick_quote_create(
            actor=official,
            buyer=buyer,
            data=_data(
                title="Resmas de papel para las oficinas municipales",
                item="Resma de papel bond tamaño carta, 500 hojas",
                code="14111507",
                quantity="120",
                unit="resmas",
                value="540000",
                delivery_date=delivery,
                closes_at=start + DAY + dt.timedelta(hours=1),
            ),
        )
        services.quick_quote_publish(actor=official, quick_quote=done)
    prices = (("498000", 4), ("489000", 6), ("512000", 3))
    for hours, ((price, lead), (_org, actor)) in enumerate(zip(prices, bidders, strict=False)):
        with clock.at(start + (hours + 2) * dt.timedelta(hours=1)):
            _quote(actor, done, price, day_of(buyer, start) + lead * DAY, "Despacho incluido.")
    closing = start + DAY + dt.timedelta(hours=1, minutes=1)
    with clock.at(closing):
        services.quick_quote_close_if_due(quick_quote_id=done.pk)
    chosen = done.quotes.filter(status="submitted").order_by("delivery_date", "price").first()
    assert chosen is not None
    with clock.at(closing + dt.timedelta(hours=1)):
        services.quick_quote_pick(
            actor=official,
            quick_quote=done,
            quote=chosen,
            reason="Entrega en 3 días, antes de la fecha requerida; el menor precio entrega en 6.",
        )
        order = services.quick_quote_order(
            actor=official, quick_quote=done, signatory="Carolina Rojas, jefa de abastecimiento"
        )
    supplier_actor = next(actor for org, actor in bidders if org == chosen.supplier)
    with clock.at(closing + dt.timedelta(hours=2)):
        contract_confirm(actor=supplier_actor, contract=order, signatory="Representante legal")
    milestone = order.milestones.get()
    with clock.at(closing + dt.timedelta(hours=5)):
        milestone_meet(actor=official, milestone=milestone, date_met=day_of(buyer, closing))
    return 1


def build_open_quick_quote(
    *,
    now: dt.datetime,
    buyers: dict[str, Organization],
    officials: dict[str, User],
    suppliers: dict[str, tuple[Organization, User]],
) -> int:
    """The quick quote posted two hours before `now`, open three more days, two quotes in."""
    buyer = buyers.get(BUYER)
    bidders = _smaller_chilean(suppliers)
    if buyer is None or len(bidders) < 3:
        return 0
    official = Actor(user=officials[BUYER], organization=buyer, channel="command")
    posted = (now - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    with clock.at(posted):
        open_one = services.quick_quote_create(
            actor=official,
            buyer=buyer,
            data=_data(
                title="Tóner para impresoras de la Dirección de Obras",
                item="Cartucho de tóner negro compatible HP 26A",
                code="44103103",
                quantity="24",
                unit="cartuchos",
                value="1150000",
                delivery_date=day_of(buyer, posted) + 10 * DAY,
                closes_at=posted + 3 * DAY + dt.timedelta(hours=2),
            ),
        )
        services.quick_quote_publish(actor=official, quick_quote=open_one)
    for minutes, (price, (_org, actor)) in enumerate(
        zip(("1090000", "1120000"), bidders[1:], strict=False), start=1
    ):
        with clock.at(posted + minutes * dt.timedelta(minutes=40)):
            _quote(actor, open_one, price, day_of(buyer, posted) + 7 * DAY, "Originales sellados.")
    return 1
