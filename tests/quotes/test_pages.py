"""The quick quotes' pages and API: the public's, the buyer's and the supplier's, with their
refusals (no 500, nothing changed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from pregon.contracts.choices import ContractStatus
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.quotes import services
from pregon.quotes.choices import QuickQuoteStatus, QuoteStatus
from pregon.quotes.models import QuickQuote, Quote
from tests import factories
from tests.quotes.conftest import (
    T0,
    close,
    closed_lowest_without_evidence,
    quote_on,
    supplier_with_actor,
)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new_form(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Tóner para impresoras",
        "description": "",
        "language": "es",
        "category": "goods",
        "currency": "CLP",
        "estimated_value": "800000",
        "delivery_place": "Teatinos 120, Santiago",
        "delivery_date": "2026-03-20",
        "closes_at": "2026-03-05T12:00",
        "item0_description": "Tóner negro",
        "item0_scheme": "UNSPSC",
        "item0_code": "43211902",
        "item0_quantity": "10",
        "item0_unit": "unidades",
    }
    data.update(changes)
    return data


# --- public -----------------------------------------------------------------------------------


def test_the_public_sees_published_quick_quotes_and_quotes_only_after_the_closing(
    open_qq: QuickQuote, draft_qq: QuickQuote
) -> None:
    quote_on(open_qq, supplier_with_actor()[1], "1000000")
    client = Client()
    listing = client.get(reverse("quotes:list"))
    assert listing.status_code == 200
    assert open_qq.reference in listing.content.decode()
    assert draft_qq.reference not in listing.content.decode()
    assert client.get(reverse("quotes:detail", kwargs={"pk": draft_qq.pk})).status_code == 404
    page = client.get(reverse("quotes:detail", kwargs={"pk": open_qq.pk})).content.decode()
    assert "Quotes are shown here once the quick quote closes." in page
    assert "1.000.000" not in page and "1,000,000" not in page
    close(open_qq)
    page = client.get(reverse("quotes:detail", kwargs={"pk": open_qq.pk})).content.decode()
    assert "Quotes received, the lowest price first" in page


def test_the_api_lists_published_quick_quotes(open_qq: QuickQuote, draft_qq: QuickQuote) -> None:
    client = Client()
    body = client.get("/api/v1/quick-quotes").json()
    assert body["count"] == 1
    assert body["items"][0]["reference"] == open_qq.reference
    assert body["items"][0]["quotes"] == []
    detail = client.get(f"/api/v1/quick-quotes/{open_qq.pk}").json()
    assert (detail["rule_pack"], detail["min_quotes"]) == ("CL@2026.1", 3)
    assert client.get(f"/api/v1/quick-quotes/{draft_qq.pk}").status_code == 404


# --- the buyer --------------------------------------------------------------------------------


def test_the_buyer_posts_a_quick_quote_in_one_form(official: Any, buyer: Any) -> None:
    client = _client(official)
    assert client.get(reverse("quotes:new")).status_code == 200
    with clock.at(T0):
        response = client.post(reverse("quotes:new"), _new_form())
    quick_quote = QuickQuote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quotes:manage", kwargs={"pk": quick_quote.pk})
    assert quick_quote.items.get().description == "Tóner negro"
    # Santiago is UTC-3 in March: the closing typed in the buyer's zone.
    assert quick_quote.closes_at == dt.datetime(2026, 3, 5, 15, 0, tzinfo=dt.UTC)
    with clock.at(T0):
        response = client.post(
            reverse("quotes:manage", kwargs={"pk": quick_quote.pk}), {"action": "publish"}
        )
    assert response.status_code == 302
    assert QuickQuote.objects.get().status == QuickQuoteStatus.OPEN


def test_bad_input_shows_on_the_form_and_changes_nothing(official: Any, buyer: Any) -> None:
    client = _client(official)
    with clock.at(T0):
        above = client.post(reverse("quotes:new"), _new_form(estimated_value="9000000"))
        no_code = client.post(reverse("quotes:new"), _new_form(item0_code="99999999"))
        garbage = client.post(reverse("quotes:new"), _new_form(closes_at="mañana"))
    assert above.status_code == 422
    assert "beyond the threshold" in above.content.decode()
    assert no_code.status_code == 422
    assert "99999999 is not a UNSPSC code we know" in no_code.content.decode()
    assert garbage.status_code == 422
    assert not QuickQuote.objects.exists()


def test_another_buyers_official_cannot_read_or_act(open_qq: QuickQuote) -> None:
    other = factories.BuyerFactory()
    client = _client(factories.member(other, "buyer_official"))
    url = reverse("quotes:manage", kwargs={"pk": open_qq.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "cancel", "cancel-reason": "No."}).status_code == 403
    assert QuickQuote.objects.get(pk=open_qq.pk).status == QuickQuoteStatus.OPEN


def test_a_cancellation_without_reason_is_refused_on_its_form(
    open_qq: QuickQuote, official: Any
) -> None:
    client = _client(official)
    url = reverse("quotes:manage", kwargs={"pk": open_qq.pk})
    response = client.post(url, {"action": "cancel", "cancel-reason": ""})
    assert response.status_code == 422
    assert QuickQuote.objects.get(pk=open_qq.pk).status == QuickQuoteStatus.OPEN
    with clock.at(T0 + dt.timedelta(hours=1)):
        response = client.post(url, {"action": "cancel", "cancel-reason": "Compra duplicada."})
    assert response.status_code == 302
    assert QuickQuote.objects.get(pk=open_qq.pk).status == QuickQuoteStatus.CANCELLED


def test_the_buyer_picks_and_orders_and_the_supplier_accepts(
    closed_qq: QuickQuote, official: Any, three_suppliers: list[tuple[Any, Actor]]
) -> None:
    client = _client(official)
    url = reverse("quotes:manage", kwargs={"pk": closed_qq.pk})
    page = client.get(url).content.decode()
    assert "Choose a quote" in page
    quotes = list(closed_qq.quotes.order_by("price"))
    refused = client.post(url, {"action": "pick", "pick-quote": quotes[1].pk})
    assert refused.status_code == 422
    assert "say why you choose it" in refused.content.decode()
    assert QuickQuote.objects.get(pk=closed_qq.pk).chosen is None
    with clock.at(closed_qq.closes_at + dt.timedelta(hours=1)):
        assert client.post(url, {"action": "pick", "pick-quote": quotes[0].pk}).status_code == 302
        response = client.post(url, {"action": "order", "order-signatory": "Ana Pérez, jefa"})
    order = QuickQuote.objects.get(pk=closed_qq.pk).order
    assert order is not None
    assert response["Location"] == reverse("contracts:manage", kwargs={"pk": order.pk})
    assert client.get(response["Location"]).status_code == 200
    assert Client().get(reverse("contracts:detail", kwargs={"pk": order.pk})).status_code == 200

    _supplier, actor = next(pair for pair in three_suppliers if pair[0] == quotes[0].supplier)
    assert actor.user is not None
    supplier_client = _client(actor.user)
    home = supplier_client.get(reverse("quotes:supplier")).content.decode()
    assert reverse("contracts:mine", kwargs={"pk": order.pk}) in home
    mine = supplier_client.get(reverse("contracts:mine", kwargs={"pk": order.pk}))
    assert mine.status_code == 200


def test_an_order_waiting_for_the_winners_evidence_says_what_is_missing(
    open_qq: QuickQuote, official: Any
) -> None:
    closed, (bare, bare_actor) = closed_lowest_without_evidence(open_qq)
    client = _client(official)
    url = reverse("quotes:manage", kwargs={"pk": closed.pk})
    lowest = closed.quotes.order_by("price").first()
    assert lowest is not None and lowest.supplier == bare
    with clock.at(closed.closes_at + dt.timedelta(hours=1)):
        assert client.post(url, {"action": "pick", "pick-quote": lowest.pk}).status_code == 302
        page = client.get(url).content.decode()
        refused = client.post(url, {"action": "order", "order-signatory": "Ana Pérez, jefa"})
    assert f"{bare.display_name} must first give its evidence" in page
    assert "Tax compliance certificate" in page
    assert refused.status_code == 409
    assert "has not yet given the evidence a contract needs" in refused.content.decode()
    assert QuickQuote.objects.get(pk=closed.pk).order is None

    # The supplier's documents page says the order waits for it, and what to give.
    assert bare_actor.user is not None
    documents = _client(bare_actor.user).get(reverse("supplier:documents"))
    text = documents.content.decode()
    assert closed.get_absolute_url() in text
    assert "your quote is chosen; the order follows" in text
    assert "Social security compliance certificate" in text


# --- the supplier -----------------------------------------------------------------------------


def test_a_supplier_quotes_replaces_and_withdraws_on_its_page(open_qq: QuickQuote) -> None:
    supplier, actor = supplier_with_actor()
    assert actor.user is not None
    client = _client(actor.user)
    with clock.at(T0 + dt.timedelta(hours=1)):
        assert open_qq.reference in client.get(reverse("quotes:supplier")).content.decode()
    url = reverse("quotes:quote", kwargs={"pk": open_qq.pk})
    form = {"price": "950000", "delivery_date": "2026-03-12", "note": "Despacho incluido"}
    with clock.at(T0 + dt.timedelta(hours=1)):
        assert client.post(url, form).status_code == 302
        assert client.post(url, {**form, "price": "940000"}).status_code == 302
        bad = client.post(url, {**form, "price": "-3"})
    assert bad.status_code == 422
    standing = Quote.objects.get(supplier=supplier, status=QuoteStatus.SUBMITTED)
    assert standing.price == Decimal("940000")
    with clock.at(T0 + dt.timedelta(hours=2)):
        assert client.post(url, {"action": "withdraw"}).status_code == 302
    assert not Quote.objects.filter(status=QuoteStatus.SUBMITTED).exists()


def test_a_supplier_the_rules_do_not_admit_is_told_why(open_qq: QuickQuote) -> None:
    _supplier, actor = supplier_with_actor(scale="large")
    assert actor.user is not None
    client = _client(actor.user)
    with clock.at(T0 + dt.timedelta(hours=1)):
        assert open_qq.reference not in client.get(reverse("quotes:supplier")).content.decode()
    url = reverse("quotes:quote", kwargs={"pk": open_qq.pk})
    assert "Decreto 661" in client.get(url).content.decode()
    with clock.at(T0 + dt.timedelta(hours=1)):
        response = client.post(url, {"price": "1", "delivery_date": "2026-03-12"})
    assert response.status_code == 403
    assert not Quote.objects.exists()


def test_a_supplier_quotes_through_the_api(open_qq: QuickQuote) -> None:
    _supplier, actor = supplier_with_actor()
    assert actor.user is not None
    client = _client(actor.user)
    url = f"/api/v1/quick-quotes/{open_qq.pk}/quote"
    with clock.at(T0 + dt.timedelta(hours=1)):
        created = client.put(
            url,
            {"price": "990000", "delivery_date": "2026-03-12", "note": ""},
            content_type="application/json",
        )
    assert created.status_code == 200, created.content
    assert created.json()["status"] == "submitted"
    with clock.at(open_qq.closes_at + dt.timedelta(minutes=1)):
        late = client.put(
            url,
            {"price": "1", "delivery_date": "2026-03-12"},
            content_type="application/json",
        )
        gone = client.delete(url)
    assert late.status_code == 409
    assert gone.status_code == 409
    assert Quote.objects.get().price == Decimal("990000")


def test_an_order_is_listed_with_the_contracts(closed_qq: QuickQuote, official: Any) -> None:
    actor = factories.actor_for(official, closed_qq.buyer)
    with clock.at(closed_qq.closes_at + dt.timedelta(hours=1)):
        services.quick_quote_pick(
            actor=actor, quick_quote=closed_qq, quote=closed_qq.quotes.order_by("price")[0]
        )
        order = services.quick_quote_order(actor=actor, quick_quote=closed_qq, signatory="Ana")
    assert order.status == ContractStatus.SIGNED
    page = _client(official).get(reverse("contracts:buyer")).content.decode()
    assert order.title in page
