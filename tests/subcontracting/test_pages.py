"""The subcontracting pages: the public list and page, posting from a tender, answering,
choosing, and the contract page's section and the prime's page of subcontracts and payments.
Bad input gives the form again with its errors (422) and changes nothing; another's page
answers 403 or 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.core import clock
from pregon.subcontracting.models import Answer, Subcontract, SubcontractPayment, SubOpportunity
from tests import factories
from tests.subcontracting.conftest import Market, SubWorld

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def test_a_bidder_posts_a_micro_firm_answers_and_wins(market: Market) -> None:
    prime = _client(market.prime.user)
    micro = _client(market.micro_actor.user)
    new = _url("subcontracting:new") + f"?tender={market.tender.pk}"
    local = market.now.astimezone(ZoneInfo(market.bidder.effective_time_zone))
    with clock.at(market.now):
        assert prime.get(new).status_code == 200
        bad = prime.post(new, {"title": "", "classification_scheme": "CPV"})
        assert bad.status_code == 422
        assert not SubOpportunity.objects.exists()
        posted = prime.post(
            new,
            {
                "title": "Movimiento de tierra",
                "description": "Excavación de 300 m³.",
                "classification_scheme": "CPV",
                "classification_code": "45112000-5",
                "estimated_value": "900",
                "closes_at": (local + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
                "reserved": "msme",
            },
        )
        opportunity = SubOpportunity.objects.get()
        assert posted.status_code == 302
        assert posted["Location"] == _url("subcontracting:manage", pk=opportunity.pk)
        listed = Client().get(_url("subcontracting:list") + "?reserved=msme&code=4511")
        assert "Movimiento de tierra" in listed.content.decode()
        by_tender = Client().get(_url("subcontracting:list") + f"?tender={market.tender.pk}")
        assert "Movimiento de tierra" in by_tender.content.decode()
        other_code = Client().get(_url("subcontracting:list") + "?code=3021")
        assert "Movimiento de tierra" not in other_code.content.decode()
        detail = _url("subcontracting:detail", pk=opportunity.pk)
        assert "Sign in as a supplier" in Client().get(detail).content.decode()
        refused = micro.post(detail, {"action": "answer", "answer-price": "-3"})
        assert refused.status_code == 422
        assert not Answer.objects.exists()
        answered = micro.post(
            detail, {"action": "answer", "answer-price": "850", "answer-note": "Con máquinas."}
        )
        assert answered.status_code == 302
        # The poster's page: another supplier gets 404, the poster the answers.
        manage = _url("subcontracting:manage", pk=opportunity.pk)
        assert micro.get(manage).status_code == 404
        page = prime.get(manage)
        assert page.status_code == 200
        assert "Electricidad Norte SpA" in page.content.decode()
        answer = Answer.objects.get()
        assert prime.post(manage, {"action": "pick", "answer": answer.pk}).status_code == 302
        assert prime.post(manage, {"action": "pick", "answer": "x"}).status_code == 404
    answer.refresh_from_db()
    assert answer.status == "chosen"
    assert "Chosen" in micro.get(detail).content.decode()


def test_a_large_firm_sees_why_it_cannot_answer_and_nothing_changes(market: Market) -> None:
    opportunity = market.post(reserved="msme")
    large = _client(market.large_actor.user)
    detail = _url("subcontracting:detail", pk=opportunity.pk)
    with clock.at(market.now):
        page = large.get(detail)
        assert "your organization is not one" in page.content.decode()
        answered = large.post(detail, {"action": "answer", "answer-price": "800"})
    assert answered.status_code == 403
    assert "reserved for micro, small and medium-sized enterprises" in answered.content.decode()
    assert not Answer.objects.exists()


def test_a_buyer_official_has_no_supplier_pages(market: Market, official: Any) -> None:
    opportunity = market.post()
    client = _client(official)
    with clock.at(market.now):
        detail = _url("subcontracting:detail", pk=opportunity.pk)
        assert client.post(detail, {"action": "answer", "answer-price": "9"}).status_code == 403
        assert Client().post(detail, {"action": "answer"}).status_code == 302  # to sign in
        assert client.get(_url("subcontracting:mine")).status_code == 403
        new = _url("subcontracting:new") + f"?tender={market.tender.pk}"
        assert client.get(new).status_code == 403
    assert Client().get(_url("subcontracting:mine")).status_code == 302  # to sign in


def test_the_tender_page_links_to_its_sub_opportunities(market: Market) -> None:
    page = Client().get(market.tender.get_absolute_url())
    text = page.content.decode()
    assert f"/subcontracting/?tender={market.tender.pk}" in text
    assert f"/subcontracting/new/?tender={market.tender.pk}" in text


def test_the_api_lists_and_answers(market: Market, issue_key: Any) -> None:
    opportunity = market.post(reserved="msme")
    client = Client()
    with clock.at(market.now):
        listed = client.get("/api/v1/sub-opportunities?reserved=msme")
        assert listed.status_code == 200
        (item,) = listed.json()["items"]
        assert (item["id"], item["answers"], item["reserved"]) == (opportunity.pk, 0, "msme")
        assert client.get("/api/v1/sub-opportunities?reserved=open").json()["items"] == []
        assert client.get("/api/v1/sub-opportunities/999999").status_code == 404
        token = issue_key(market.micro, ["bids:submit"])
        url = f"/api/v1/sub-opportunities/{opportunity.pk}/answers"
        headers = {"Authorization": f"Bearer {token}"}
        assert (
            client.post(url, {"price": "850"}, content_type="application/json").status_code == 401
        )
        bad = client.post(url, {"price": "0"}, content_type="application/json", headers=headers)
        assert bad.status_code == 422
        made = client.post(
            url,
            {"price": "850.50", "note": "Hola"},
            content_type="application/json",
            headers=headers,
        )
        assert made.status_code == 201, made.content
        assert Decimal(str(made.json()["price"])) == Decimal("850.50")
        again = client.post(url, {"price": "800"}, content_type="application/json", headers=headers)
        assert again.status_code == 409
        assert again.json()["code"] == "already_answered"
        large_token = issue_key(market.large, ["bids:submit"])
        large = client.post(
            url,
            {"price": "800"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {large_token}"},
        )
        assert large.status_code == 403
        assert client.get(f"/api/v1/sub-opportunities/{opportunity.pk}").json()["answers"] == 1
    assert Answer.objects.count() == 1


def test_the_contract_page_shows_subcontracts_and_the_prime_records_them(sub: SubWorld) -> None:
    prime = _client(sub.prime.user)
    page = _url("subcontracting:contract", pk=sub.contract.pk)
    public = _url("contracts:detail", pk=sub.contract.pk)
    with clock.at(sub.at(5)):
        # No subcontract yet: the public sees no section, the prime its links.
        assert "subcontracts-heading" not in Client().get(public).content.decode()
        assert page in prime.get(public).content.decode()
        assert _client(sub.micro_actor.user).get(page).status_code == 404
        unknown = prime.post(
            page,
            {
                "action": "subcontract",
                "subcontract-subcontractor": "00000000-0",
                "subcontract-description": "Transporte",
                "subcontract-value": "100",
            },
        )
        assert unknown.status_code == 422
        assert "No supplier registered" in unknown.content.decode()
        recorded = prime.post(
            page,
            {
                "action": "subcontract",
                "subcontract-subcontractor": sub.micro.party_id,
                "subcontract-description": "Transporte",
                "subcontract-value": "11800",
            },
        )
        assert recorded.status_code == 302
        over = prime.post(
            page,
            {
                "action": "pay",
                "payment-subcontract": "1",
                "payment-amount": "11800.01",
                "payment-paid_on": sub.contracts.date(5).isoformat(),
            },
        )
        assert over.status_code == 422
        paid = prime.post(
            page,
            {
                "action": "pay",
                "payment-subcontract": "1",
                "payment-amount": "5900",
                "payment-paid_on": sub.contracts.date(5).isoformat(),
            },
        )
        assert paid.status_code == 302
        text = Client().get(public).content.decode()
    assert Subcontract.objects.get().subcontractor == sub.micro
    assert SubcontractPayment.objects.get().amount == Decimal("5900")
    assert "Electricidad Norte SpA" in text and "subcontracts-heading" in text
    assert "5.00 %" in text  # 5,900 of 118,000


def test_unknown_tender_or_nothing_to_post_from_answers_404(market: Market) -> None:
    prime = _client(market.prime.user)
    with clock.at(market.now):
        assert prime.get(_url("subcontracting:new")).status_code == 404
        assert prime.get(_url("subcontracting:new") + "?tender=999999").status_code == 404
        assert Client().get(_url("subcontracting:detail", pk=999999)).status_code == 404
        other = factories.TenderDraftFactory(buyer=market.tender.buyer)
        assert prime.get(_url("subcontracting:new") + f"?tender={other.pk}").status_code == 404
