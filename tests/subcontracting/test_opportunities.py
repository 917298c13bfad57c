"""Every move of a sub-opportunity and of its answers, allowed and refused, on a tender open for
bids (its poster a bidder preparing its bid). A refused move raises the exact error and changes
no row (`refused`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from pregon.core import clock
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.subcontracting import services, tasks
from pregon.subcontracting.models import Answer, Subcontract, SubOpportunity
from pregon.subcontracting.selectors import sub_opportunities_open
from tests.subcontracting.conftest import Market

pytestmark = pytest.mark.django_db


def _data(market: Market, **fields: Any) -> services.SubOpportunityData:
    values: dict[str, Any] = {
        "title": "Pintura",
        "description": "Pintura de 3 oficinas.",
        "estimated_value": Decimal("5000"),
        "closes_at": market.now + dt.timedelta(days=1),
    }
    values.update(fields)
    return services.SubOpportunityData(**values)


# -- posting ---------------------------------------------------------------------------------


def test_a_bidder_posts_for_a_tender_open_for_bids(market: Market) -> None:
    opportunity = market.post(reserved="msme")
    assert (opportunity.status, opportunity.reserved) == ("open", "msme")
    assert opportunity.tender == market.tender and opportunity.contract is None
    assert opportunity.currency == market.tender.currency
    assert opportunity.organization == market.bidder
    event = AuditEvent.objects.get(action="subopportunity.post")
    assert event.summary["tender"] == market.tender.reference


def test_not_after_the_bid_deadline(market: Market, refused: Any) -> None:
    after = market.tender.submission_deadline + dt.timedelta(minutes=1)
    with clock.at(after):
        refused(
            InvalidTransition,
            "deadline_passed",
            services.sub_opportunity_post,
            actor=market.prime,
            tender=market.tender,
            data=_data(market, closes_at=after + dt.timedelta(days=1)),
        )


def test_a_buyer_cannot_post(market: Market, official_actor: Any, refused: Any) -> None:
    with clock.at(market.now):
        refused(
            PermissionDenied,
            "not_a_supplier",
            services.sub_opportunity_post,
            actor=official_actor,
            tender=market.tender,
            data=_data(market),
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"description": ""}, "description"),
        ({"estimated_value": Decimal(0)}, "estimated_value"),
        ({"estimated_value": Decimal("1.001")}, "estimated_value"),
        ({"closes_at": None}, "closes_at"),
        ({"reserved": "big"}, "reserved"),
        (
            {"classification_scheme": "CPV", "classification_code": "99999999-9"},
            "classification_code",
        ),
    ],
)
def test_bad_values_are_refused_with_the_field(
    market: Market, refused: Any, fields: dict[str, Any], field: str
) -> None:
    with clock.at(market.now):
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.sub_opportunity_post,
            actor=market.prime,
            tender=market.tender,
            data=_data(market, **fields),
        )
    assert error.field == field


def test_answers_must_close_in_the_future(market: Market, refused: Any) -> None:
    with clock.at(market.now):
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.sub_opportunity_post,
            actor=market.prime,
            tender=market.tender,
            data=_data(market, closes_at=market.now),
        )
    assert error.field == "closes_at"


def test_exactly_one_of_a_tender_or_a_contract(market: Market, refused: Any) -> None:
    with clock.at(market.now):
        refused(
            ValidationFailed,
            "link_one",
            services.sub_opportunity_post,
            actor=market.prime,
            data=_data(market),
        )


def test_the_open_list_and_its_filters(market: Market) -> None:
    reserved = market.post(reserved="msme")
    with clock.at(market.now):
        everyone = services.sub_opportunity_post(
            actor=market.prime,
            tender=market.tender,
            data=_data(
                market,
                reserved="open",
                classification_scheme="CPV",
                classification_code="45310000-3",
            ),
        )
        assert list(sub_opportunities_open()) == [reserved, everyone]
        assert list(sub_opportunities_open(reserved="msme")) == [reserved]
        assert list(sub_opportunities_open(code="4531")) == [everyone]
        assert list(sub_opportunities_open(code="45310000-3")) == [everyone]
        assert list(sub_opportunities_open(code="3021")) == []
    with clock.at(market.now + dt.timedelta(days=2)):
        assert list(sub_opportunities_open()) == []


# -- answering -------------------------------------------------------------------------------


def test_a_micro_firm_answers_and_the_poster_is_told(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    opportunity = market.post()
    with django_capture_on_commit_callbacks(execute=True):
        answer = market.answer(opportunity, market.micro_actor, "850")
    assert (answer.status, answer.price, answer.scale) == ("submitted", Decimal("850"), "micro")
    task = DBTaskResult.objects.get(task_path="pregon.subcontracting.tasks.send_answer_received")
    assert task.args_kwargs["args"] == [answer.pk]
    assert market.prime.user is not None
    market.prime.user.language = "pt-br"
    market.prime.user.save(update_fields=["language"])
    assert tasks.send_answer_received.call(answer.pk) == 1
    (message,) = mail.outbox
    assert message.to == [market.prime.user.email]
    assert message.extra_headers["Content-Language"] == "pt-br"
    assert "Electricidad Norte SpA" in message.body
    assert f"/subcontracting/{opportunity.pk}/manage/" in message.body


def test_a_large_firm_cannot_answer_a_reserved_one(market: Market, refused: Any) -> None:
    opportunity = market.post(reserved="msme")
    with clock.at(market.now):
        refused(
            PermissionDenied,
            "reserved_for_msmes",
            services.answer_submit,
            actor=market.large_actor,
            opportunity=opportunity,
            data=services.AnswerData(price=Decimal("800")),
        )


def test_a_large_firm_answers_one_open_to_all(market: Market) -> None:
    opportunity = market.post(reserved="open")
    assert market.answer(opportunity, market.large_actor, "800").scale == "large"


def test_the_poster_cannot_answer_its_own(market: Market, refused: Any) -> None:
    opportunity = market.post(reserved="open")
    with clock.at(market.now):
        refused(
            PermissionDenied,
            "own_opportunity",
            services.answer_submit,
            actor=market.prime,
            opportunity=opportunity,
            data=services.AnswerData(price=Decimal("800")),
        )


def test_a_price_must_be_positive(market: Market, refused: Any) -> None:
    opportunity = market.post()
    with clock.at(market.now):
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.answer_submit,
            actor=market.micro_actor,
            opportunity=opportunity,
            data=services.AnswerData(price=Decimal("0")),
        )
    assert error.field == "price"


def test_one_standing_answer_per_organization(market: Market, refused: Any) -> None:
    opportunity = market.post()
    first = market.answer(opportunity, market.micro_actor, "850")
    with clock.at(market.now + dt.timedelta(hours=2)):
        refused(
            InvalidTransition,
            "already_answered",
            services.answer_submit,
            actor=market.micro_actor,
            opportunity=opportunity,
            data=services.AnswerData(price=Decimal("800")),
        )
        refused(
            PermissionDenied,
            "not_the_answerer",
            services.answer_withdraw,
            actor=market.large_actor,
            answer=first,
        )
        services.answer_withdraw(actor=market.micro_actor, answer=first)
        refused(
            InvalidTransition,
            "cannot_withdraw",
            services.answer_withdraw,
            actor=market.micro_actor,
            answer=first,
        )
    second = market.answer(opportunity, market.micro_actor, "800")
    statuses = Answer.objects.filter(opportunity=opportunity).order_by("pk")
    assert list(statuses.values_list("status", "price")) == [
        ("withdrawn", Decimal("850")),
        ("submitted", Decimal("800")),
    ]
    assert second.pk != first.pk


def test_no_answer_after_the_closing_time_or_once_closed(market: Market, refused: Any) -> None:
    opportunity = market.post()
    with clock.at(market.now + dt.timedelta(days=1)):
        refused(
            InvalidTransition,
            "answers_closed",
            services.answer_submit,
            actor=market.micro_actor,
            opportunity=opportunity,
            data=services.AnswerData(price=Decimal("800")),
        )
    other = market.post()
    with clock.at(market.now):
        refused(
            PermissionDenied,
            "not_the_poster",
            services.sub_opportunity_close,
            actor=market.micro_actor,
            opportunity=other,
        )
        services.sub_opportunity_close(actor=market.prime, opportunity=other)
        refused(
            InvalidTransition,
            "not_open",
            services.answer_submit,
            actor=market.micro_actor,
            opportunity=other,
            data=services.AnswerData(price=Decimal("800")),
        )
        refused(
            InvalidTransition,
            "cannot_close",
            services.sub_opportunity_close,
            actor=market.prime,
            opportunity=other,
        )


# -- choosing, cancelling --------------------------------------------------------------------


def test_the_poster_picks_one_answer_and_the_winner_is_told(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    opportunity = market.post(reserved="open")
    chosen = market.answer(opportunity, market.micro_actor, "850")
    other = market.answer(opportunity, market.large_actor, "800")
    with (
        clock.at(market.now + dt.timedelta(hours=3)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.answer_pick(actor=market.prime, answer=chosen)
    opportunity.refresh_from_db()
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (opportunity.status, chosen.status, other.status) == ("awarded", "chosen", "not_chosen")
    assert opportunity.ended_at is not None
    # On a tender there is no contract yet: the prime records the subcontract once it has one.
    assert not Subcontract.objects.exists()
    assert tasks.send_answer_chosen.call(chosen.pk) == 1
    assert [m.to for m in mail.outbox] == [[market.micro_actor.user.email]]  # type: ignore[union-attr]


def test_only_the_poster_picks_and_only_once(market: Market, refused: Any) -> None:
    opportunity = market.post(reserved="open")
    first = market.answer(opportunity, market.micro_actor, "850")
    second = market.answer(opportunity, market.large_actor, "800")
    with clock.at(market.now + dt.timedelta(hours=3)):
        refused(
            PermissionDenied,
            "not_the_poster",
            services.answer_pick,
            actor=market.micro_actor,
            answer=first,
        )
        services.answer_pick(actor=market.prime, answer=first)
        refused(
            InvalidTransition,
            "cannot_pick",
            services.answer_pick,
            actor=market.prime,
            answer=second,
        )
        refused(
            InvalidTransition,
            "cannot_cancel",
            services.sub_opportunity_cancel,
            actor=market.prime,
            opportunity=opportunity,
            reason="Ya no.",
        )
        refused(
            InvalidTransition,
            "not_open",
            services.answer_submit,
            actor=market.micro_actor,
            opportunity=opportunity,
            data=services.AnswerData(price=Decimal("1")),
        )


def test_a_withdrawn_answer_cannot_be_chosen(market: Market, refused: Any) -> None:
    opportunity = market.post()
    answer = market.answer(opportunity, market.micro_actor, "850")
    with clock.at(market.now + dt.timedelta(hours=3)):
        services.answer_withdraw(actor=market.micro_actor, answer=answer)
        refused(
            InvalidTransition,
            "cannot_choose",
            services.answer_pick,
            actor=market.prime,
            answer=answer,
        )


def test_a_closed_one_may_still_be_picked_but_a_cancelled_one_not(
    market: Market, refused: Any
) -> None:
    opportunity = market.post()
    answer = market.answer(opportunity, market.micro_actor, "850")
    cancelled = market.post()
    late = market.answer(cancelled, market.micro_actor, "850")
    with clock.at(market.now + dt.timedelta(hours=3)):
        services.sub_opportunity_close(actor=market.prime, opportunity=opportunity)
        services.answer_pick(actor=market.prime, answer=answer)
        refused(
            ValidationFailed,
            "validation_failed",
            services.sub_opportunity_cancel,
            actor=market.prime,
            opportunity=cancelled,
            reason=" ",
        )
        services.sub_opportunity_cancel(
            actor=market.prime, opportunity=cancelled, reason="Lo haremos nosotros."
        )
        refused(
            InvalidTransition, "cannot_pick", services.answer_pick, actor=market.prime, answer=late
        )
    assert list(SubOpportunity.objects.order_by("pk").values_list("status", flat=True)) == [
        "awarded",
        "cancelled",
    ]
