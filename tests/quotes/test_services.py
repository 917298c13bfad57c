"""Every move of a quick quote and of its quotes, allowed and refused, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django_tasks_db.models import DBTaskResult

from pregon.contracts.choices import ContractStatus, MilestoneStatus
from pregon.contracts.models import Contract
from pregon.contracts.services import (
    InvoiceData,
    PaymentData,
    contract_complete,
    contract_confirm,
    invoice_accept,
    invoice_submit,
    milestone_meet,
    payment_record,
)
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.organizations.selectors import EvidenceMissing
from pregon.planning.followers import followers_of
from pregon.planning.models import PlanLine
from pregon.publication.models import Record, Release
from pregon.quotes import services
from pregon.quotes.choices import QuickQuoteStatus, QuoteStatus, Restriction
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.services import QuoteData
from tests import factories
from tests.contracts.world import pdf
from tests.organizations.evidence import give_evidence
from tests.quotes.conftest import (
    T0,
    close,
    closed_lowest_without_evidence,
    draft_quick_quote,
    open_quick_quote,
    quick_quote_data,
    quote_on,
    supplier_with_actor,
)


def tags(quick_quote: QuickQuote) -> list[str]:
    return [
        release.tag[0] for release in Release.objects.filter(ocid=quick_quote.ocid).order_by("seq")
    ]


def actions(target: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(target.pk))
        .filter(object_type=f"{target._meta.app_label}.{target._meta.model_name}")
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- drafting ---------------------------------------------------------------------------------


def test_a_draft_keeps_the_rule_of_the_buyers_pack(draft_qq: QuickQuote) -> None:
    assert draft_qq.status == QuickQuoteStatus.DRAFT
    assert (draft_qq.rule_pack, draft_qq.rule_key) == ("CL@2026.1", "compra_agil")
    assert draft_qq.min_quotes == 3
    assert draft_qq.ocds_method == "limited"
    # Compra Ágil prefers smaller and local suppliers: restricted unless the buyer opens it.
    assert draft_qq.restriction == Restriction.ELIGIBLE
    assert [item.description for item in draft_qq.items.all()] == ["Resmas de papel carta"]
    assert draft_qq.ocid is None
    assert actions(draft_qq) == ["quick_quote.create"]


def test_a_value_beyond_the_threshold_is_refused(
    refused: Any, official_actor: Actor, buyer: Any
) -> None:
    # 100 UTM at the development rate of CLP 69,000 is CLP 6,900,000.
    with clock.at(T0):
        error = refused(
            ValidationFailed,
            "above_threshold",
            services.quick_quote_create,
            actor=official_actor,
            buyer=buyer,
            data=quick_quote_data(estimated_value=Decimal("6900001")),
        )
    assert error.field == "estimated_value"
    assert "UTM 100" in str(error)
    assert "Decreto 661" in str(error)


def test_a_pack_without_quick_quotes_refuses_them(refused: Any) -> None:
    buyer = factories.BuyerFactory(country="CO", identifier_scheme="CO-NIT", identifier_id="9001")
    actor = factories.actor_for(factories.member(buyer, "buyer_official"), buyer)
    with clock.at(T0):
        refused(
            ValidationFailed,
            "no_quick_quote",
            services.quick_quote_create,
            actor=actor,
            buyer=buyer,
            data=quick_quote_data(currency="COP"),
        )


def test_only_the_buyers_officials_draft(refused: Any, supplier_actor: Actor, buyer: Any) -> None:
    with clock.at(T0):
        refused(
            PermissionDenied,
            "permission_denied",
            services.quick_quote_create,
            actor=supplier_actor,
            buyer=buyer,
            data=quick_quote_data(),
        )


def test_bad_input_is_refused_by_field(refused: Any, official_actor: Actor, buyer: Any) -> None:
    with clock.at(T0):
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.quick_quote_create,
            actor=official_actor,
            buyer=buyer,
            data=quick_quote_data(items=[]),
        )
        assert error.field == "items"
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.quick_quote_create,
            actor=official_actor,
            buyer=buyer,
            data=quick_quote_data(delivery_date=dt.date(2026, 3, 1)),
        )
        assert error.field == "delivery_date"


def test_a_draft_is_edited_and_an_open_one_is_not(
    refused: Any, draft_qq: QuickQuote, official_actor: Actor
) -> None:
    with clock.at(T0):
        edited = services.quick_quote_update(
            actor=official_actor,
            quick_quote=draft_qq,
            data=quick_quote_data(title="Tóner", restricted=False),
        )
    assert edited.title == "Tóner"
    assert edited.restriction == Restriction.NONE
    assert actions(draft_qq)[-1] == "quick_quote.update"
    with clock.at(T0):
        services.quick_quote_publish(actor=official_actor, quick_quote=edited)
        refused(
            InvalidTransition,
            "cannot_edit",
            services.quick_quote_update,
            actor=official_actor,
            quick_quote=edited,
            data=quick_quote_data(),
        )


# --- publication ------------------------------------------------------------------------------


def test_publication_opens_it_publishes_and_schedules_the_close(
    draft_qq: QuickQuote, official_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    with clock.at(T0), django_capture_on_commit_callbacks(execute=True):
        opened = services.quick_quote_publish(actor=official_actor, quick_quote=draft_qq)
    assert opened.status == QuickQuoteStatus.OPEN
    assert opened.ocid == f"ocds-pregon-quote-{opened.pk:06d}"
    assert tags(opened) == ["tender"]
    tender = Record.objects.get(ocid=opened.ocid).compiled["tender"]
    assert tender["procurementMethod"] == "limited"
    assert tender["status"] == "active"
    assert tender["milestones"][0]["description"] == "Teatinos 120, Santiago"
    assert "eligibilityCriteria" in tender
    assert "tenderers" not in tender
    task = DBTaskResult.objects.get(task_path="pregon.quotes.tasks.close_quick_quote_at_deadline")
    assert task.run_after == opened.closes_at


@pytest.mark.parametrize(
    ("closes_in", "code"),
    [(dt.timedelta(hours=12), "closing_too_soon"), (dt.timedelta(days=31), "closing_too_late")],
)
def test_a_closing_outside_the_bounds_is_refused(
    refused: Any, official_actor: Actor, buyer: Any, closes_in: dt.timedelta, code: str
) -> None:
    quick_quote = draft_quick_quote(
        official_actor,
        buyer,
        closes_at=T0 + closes_in,
        delivery_date=(T0 + closes_in).date() + dt.timedelta(days=2),
    )
    with clock.at(T0):
        error = refused(
            ValidationFailed,
            code,
            services.quick_quote_publish,
            actor=official_actor,
            quick_quote=quick_quote,
        )
    assert error.field == "closes_at"


def test_publishing_twice_is_refused(
    refused: Any, open_qq: QuickQuote, official_actor: Actor
) -> None:
    refused(
        InvalidTransition,
        "cannot_publish",
        services.quick_quote_publish,
        actor=official_actor,
        quick_quote=open_qq,
    )


# --- cancellation -----------------------------------------------------------------------------


def test_a_draft_is_cancelled_without_publishing(
    draft_qq: QuickQuote, official_actor: Actor
) -> None:
    cancelled = services.quick_quote_cancel(
        actor=official_actor, quick_quote=draft_qq, reason="Ya no se necesita."
    )
    assert cancelled.status == QuickQuoteStatus.CANCELLED
    assert not Release.objects.exists()


def test_an_open_one_is_cancelled_publicly(open_qq: QuickQuote, official_actor: Actor) -> None:
    with clock.at(T0 + dt.timedelta(hours=1)):
        services.quick_quote_cancel(actor=official_actor, quick_quote=open_qq, reason="Error.")
    assert tags(open_qq) == ["tender", "tenderCancellation"]
    compiled = Record.objects.get(ocid=open_qq.ocid).compiled["tender"]
    assert compiled["status"] == "cancelled"
    assert compiled["documents"][0]["description"] == "Error."


def test_a_cancellation_needs_a_reason(
    refused: Any, open_qq: QuickQuote, official_actor: Actor
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.quick_quote_cancel,
        actor=official_actor,
        quick_quote=open_qq,
        reason="  ",
    )
    assert error.field == "reason"


# --- quotes -----------------------------------------------------------------------------------


def test_a_quote_is_submitted_replaced_and_withdrawn(open_qq: QuickQuote) -> None:
    _supplier, actor = supplier_with_actor()
    first = quote_on(open_qq, actor, "1000000")
    second = quote_on(open_qq, actor, "990000")
    first.refresh_from_db()
    assert (first.status, second.status) == (QuoteStatus.REPLACED, QuoteStatus.SUBMITTED)
    with clock.at(T0 + dt.timedelta(hours=3)):
        services.quote_withdraw(actor=actor, quote=second)
    second.refresh_from_db()
    assert second.status == QuoteStatus.WITHDRAWN
    assert not Quote.objects.filter(status=QuoteStatus.SUBMITTED).exists()
    # Quotes are secret until the closing: nothing was published for them.
    assert tags(open_qq) == ["tender"]
    assert actions(second) == ["quote.submit", "quote.withdraw"]


def test_quotes_after_the_closing_time_are_refused(refused: Any, open_qq: QuickQuote) -> None:
    supplier, actor = supplier_with_actor()
    with clock.at(open_qq.closes_at):
        refused(
            InvalidTransition,
            "closed",
            services.quote_submit,
            actor=actor,
            quick_quote=open_qq,
            supplier=supplier,
            data=QuoteData(price=Decimal(1), delivery_date=dt.date(2026, 3, 12)),
        )


def test_a_draft_takes_no_quote(refused: Any, draft_qq: QuickQuote) -> None:
    supplier, actor = supplier_with_actor()
    with clock.at(T0):
        refused(
            InvalidTransition,
            "cannot_quote",
            services.quote_submit,
            actor=actor,
            quick_quote=draft_qq,
            supplier=supplier,
            data=QuoteData(price=Decimal(1), delivery_date=dt.date(2026, 3, 12)),
        )


def test_a_large_firm_may_not_quote_on_a_restricted_quick_quote(
    refused: Any, open_qq: QuickQuote
) -> None:
    supplier, actor = supplier_with_actor(scale="large")
    with clock.at(T0 + dt.timedelta(hours=1)):
        error = refused(
            PermissionDenied,
            "not_eligible",
            services.quote_submit,
            actor=actor,
            quick_quote=open_qq,
            supplier=supplier,
            data=QuoteData(price=Decimal(1), delivery_date=dt.date(2026, 3, 12)),
        )
    assert "Decreto 661" in str(error)


def test_a_local_large_firm_may_quote_and_so_may_anyone_when_open_to_all(
    official_actor: Actor, buyer: Any
) -> None:
    restricted = open_quick_quote(official_actor, buyer)
    _local, local_actor = supplier_with_actor(scale="large", is_local=True)
    assert quote_on(restricted, local_actor, "1000").status == QuoteStatus.SUBMITTED
    everyone = open_quick_quote(official_actor, buyer, restricted=False)
    _large, large_actor = supplier_with_actor(scale="large")
    assert quote_on(everyone, large_actor, "1000").status == QuoteStatus.SUBMITTED


def test_the_buyer_does_not_quote(
    refused: Any, open_qq: QuickQuote, official_actor: Actor, buyer: Any
) -> None:
    with clock.at(T0 + dt.timedelta(hours=1)):
        refused(
            PermissionDenied,
            "permission_denied",
            services.quote_submit,
            actor=official_actor,
            quick_quote=open_qq,
            supplier=buyer,
            data=QuoteData(price=Decimal(1), delivery_date=dt.date(2026, 3, 12)),
        )


def test_a_delivery_in_the_past_is_refused(refused: Any, open_qq: QuickQuote) -> None:
    supplier, actor = supplier_with_actor()
    with clock.at(T0 + dt.timedelta(hours=1)):
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.quote_submit,
            actor=actor,
            quick_quote=open_qq,
            supplier=supplier,
            data=QuoteData(price=Decimal(5), delivery_date=dt.date(2026, 3, 1)),
        )
    assert error.field == "delivery_date"


def test_the_database_keeps_one_standing_quote_per_supplier(open_qq: QuickQuote) -> None:
    supplier, actor = supplier_with_actor()
    quote = quote_on(open_qq, actor, "100")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(
            quick_quote=open_qq, supplier=supplier, price=1, delivery_date=quote.delivery_date
        )


# --- closing ----------------------------------------------------------------------------------


def test_the_close_with_enough_quotes_makes_them_public(closed_qq: QuickQuote) -> None:
    assert closed_qq.status == QuickQuoteStatus.CLOSED
    assert tags(closed_qq) == ["tender", "tenderUpdate"]
    tender = Record.objects.get(ocid=closed_qq.ocid).compiled["tender"]
    assert tender["status"] == "complete"
    assert tender["numberOfTenderers"] == 3
    assert actions(closed_qq)[-1] == "quick_quote.close"


def test_the_close_with_too_few_quotes_is_unsuccessful(open_qq: QuickQuote) -> None:
    for price in ("10", "20"):
        quote_on(open_qq, supplier_with_actor()[1], price)
    closed = close(open_qq)
    assert closed.status == QuickQuoteStatus.UNSUCCESSFUL
    assert Record.objects.get(ocid=closed.ocid).compiled["tender"]["status"] == "unsuccessful"
    assert actions(closed)[-1] == "quick_quote.unsuccessful"


def test_the_close_waits_for_the_closing_time_and_runs_once(open_qq: QuickQuote) -> None:
    with clock.at(open_qq.closes_at - dt.timedelta(seconds=1)):
        assert services.quick_quote_close_if_due(quick_quote_id=open_qq.pk) is False
    with clock.at(open_qq.closes_at):
        assert services.quick_quote_close_if_due(quick_quote_id=open_qq.pk) is True
        assert services.quick_quote_close_if_due(quick_quote_id=open_qq.pk) is False


def test_the_command_closes_what_is_due(open_qq: QuickQuote, capsys: Any) -> None:
    with clock.at(open_qq.closes_at + dt.timedelta(hours=1)):
        call_command("close_due_quick_quotes")
    assert "Closed 1 quick quote" in capsys.readouterr().out
    assert QuickQuote.objects.get(pk=open_qq.pk).status == QuickQuoteStatus.UNSUCCESSFUL


# --- choice and order -------------------------------------------------------------------------


def _quotes(quick_quote: QuickQuote) -> list[Quote]:
    return list(quick_quote.quotes.filter(status=QuoteStatus.SUBMITTED).order_by("price"))


def test_picking_on_an_open_quick_quote_is_refused(
    refused: Any, open_qq: QuickQuote, official_actor: Actor
) -> None:
    quote = quote_on(open_qq, supplier_with_actor()[1], "10")
    refused(
        InvalidTransition,
        "cannot_pick",
        services.quick_quote_pick,
        actor=official_actor,
        quick_quote=open_qq,
        quote=quote,
    )


def test_a_quote_that_is_not_the_lowest_needs_a_reason(
    refused: Any, closed_qq: QuickQuote, official_actor: Actor
) -> None:
    lowest, second, _third = _quotes(closed_qq)
    error = refused(
        ValidationFailed,
        "reason_required",
        services.quick_quote_pick,
        actor=official_actor,
        quick_quote=closed_qq,
        quote=second,
    )
    assert error.field == "reason"
    picked = services.quick_quote_pick(
        actor=official_actor, quick_quote=closed_qq, quote=second, reason="Entrega antes."
    )
    assert picked.chosen == second
    awards = Record.objects.get(ocid=closed_qq.ocid).compiled["awards"]
    assert awards == [
        {
            "id": f"quote-{second.pk}",
            "title": closed_qq.title,
            "status": "active",
            "date": awards[0]["date"],
            "value": {"amount": 1100000, "currency": "CLP"},
            "suppliers": awards[0]["suppliers"],
            "description": "Entrega antes.",
        }
    ]
    # Changing the choice before the order cancels the first award in the open data.
    services.quick_quote_pick(actor=official_actor, quick_quote=closed_qq, quote=lowest)
    awards = Record.objects.get(ocid=closed_qq.ocid).compiled["awards"]
    assert {a["id"]: a["status"] for a in awards} == {
        f"quote-{second.pk}": "cancelled",
        f"quote-{lowest.pk}": "active",
    }


def test_a_withdrawn_quote_cannot_be_chosen(
    refused: Any, open_qq: QuickQuote, official_actor: Actor
) -> None:
    suppliers = [supplier_with_actor() for _ in range(4)]
    quotes = [quote_on(open_qq, actor, str(10 + n)) for n, (_s, actor) in enumerate(suppliers)]
    with clock.at(T0 + dt.timedelta(hours=3)):
        services.quote_withdraw(actor=suppliers[0][1], quote=quotes[0])
    closed = close(open_qq)
    refused(
        ValidationFailed,
        "validation_failed",
        services.quick_quote_pick,
        actor=official_actor,
        quick_quote=closed,
        quote=quotes[0],
    )


def test_the_order_needs_a_choice(
    refused: Any, closed_qq: QuickQuote, official_actor: Actor
) -> None:
    refused(
        InvalidTransition,
        "nothing_chosen",
        services.quick_quote_order,
        actor=official_actor,
        quick_quote=closed_qq,
        signatory="Ana Pérez, jefa de compras",
    )


def test_the_order_waits_for_the_chosen_suppliers_evidence(
    open_qq: QuickQuote, official_actor: Actor, refused: Any
) -> None:
    # As before any contract (issue 12: "register once"), the winner's documents must be
    # current and its scale verified; the self-declaration stood in for them while quoting.
    closed, (bare, bare_actor) = closed_lowest_without_evidence(open_qq)
    day = closed.closes_at + dt.timedelta(hours=2)
    with clock.at(day):
        services.quick_quote_pick(
            actor=official_actor, quick_quote=closed, quote=_quotes(closed)[0]
        )
        error = refused(
            EvidenceMissing,
            "evidence_missing",
            services.quick_quote_order,
            actor=official_actor,
            quick_quote=QuickQuote.objects.get(pk=closed.pk),
            signatory="Ana Pérez, jefa de compras",
        )
    assert bare.display_name in str(error.message)
    assert {item.kind for item in error.missing} == {"legal", "tax", "socialSecurity", "scale"}
    assert QuickQuote.objects.get(pk=closed.pk).status == QuickQuoteStatus.CLOSED
    assert not Contract.objects.filter(supplier=bare).exists()

    give_evidence(bare, actor=bare_actor)
    with clock.at(day + dt.timedelta(hours=1)):
        order = services.quick_quote_order(
            actor=official_actor, quick_quote=closed, signatory="Ana Pérez, jefa de compras"
        )
    assert order.supplier == bare


def test_the_order_is_a_contract_the_supplier_accepts_and_that_is_delivered_and_paid(
    closed_qq: QuickQuote,
    official_actor: Actor,
    three_suppliers: list[tuple[Any, Actor]],
    refused: Any,
) -> None:
    lowest = _quotes(closed_qq)[0]
    day = closed_qq.closes_at + dt.timedelta(hours=2)
    with clock.at(day):
        services.quick_quote_pick(actor=official_actor, quick_quote=closed_qq, quote=lowest)
        order = services.quick_quote_order(
            actor=official_actor, quick_quote=closed_qq, signatory="Ana Pérez, jefa de compras"
        )
    closed_qq.refresh_from_db()
    assert closed_qq.status == QuickQuoteStatus.ORDERED
    assert closed_qq.order == order
    assert (order.tender, order.award, order.supplier) == (None, None, lowest.supplier)
    assert (order.value, order.currency, order.status) == (
        Decimal("1000000"),
        "CLP",
        ContractStatus.SIGNED,
    )
    milestone = order.milestones.get()
    assert milestone.due_date == dt.date(2026, 3, 12)
    assert tags(closed_qq) == ["tender", "tenderUpdate", "award", "contract"]
    compiled = Record.objects.get(ocid=closed_qq.ocid).compiled
    assert compiled["contracts"][0]["awardID"] == f"quote-{lowest.pk}"
    assert compiled["contracts"][0]["status"] == "pending"

    # The supplier's acceptance is the contracts' own confirmation.
    supplier_actor = next(a for s, a in three_suppliers if s == lowest.supplier)
    with clock.at(day + dt.timedelta(hours=1)):
        accepted = contract_confirm(actor=supplier_actor, contract=order, signatory="Juan Soto")
    assert accepted.status == ContractStatus.ACTIVE
    with clock.at(dt.datetime(2026, 3, 12, 18, 0, tzinfo=dt.UTC)):
        met = milestone_meet(
            actor=official_actor, milestone=milestone, date_met=dt.date(2026, 3, 12)
        )
        invoice = invoice_submit(
            actor=supplier_actor,
            contract=order,
            data=InvoiceData(
                milestone=met,
                reference="F-77",
                amount=Decimal("1000000"),
                issued_on=dt.date(2026, 3, 12),
                upload=pdf("factura.pdf"),
            ),
        )
        invoice_accept(actor=official_actor, invoice=invoice)
    # The term of a purchase order's invoice is its quick quote's pack's (Chile: 30 days).
    assert invoice.due_rule == "CL@2026.1:payment.30_days"
    with clock.at(dt.datetime(2026, 3, 20, 18, 0, tzinfo=dt.UTC)):
        payment_record(
            actor=official_actor,
            invoice=invoice,
            data=PaymentData(amount=Decimal("1000000"), paid_on=dt.date(2026, 3, 20)),
        )
        contract_complete(actor=official_actor, contract=order)
    assert met.status == MilestoneStatus.MET
    assert Contract.objects.get(pk=order.pk).status == ContractStatus.COMPLETED
    assert tags(closed_qq)[-3:] == ["implementation", "implementation", "contractTermination"]
    contract = Record.objects.get(ocid=closed_qq.ocid).compiled["contracts"][0]
    assert contract["implementation"]["transactions"][0]["value"]["amount"] == 1000000

    # Nothing may happen to an ordered quick quote any more.
    refused(
        InvalidTransition,
        "cannot_order",
        services.quick_quote_order,
        actor=official_actor,
        quick_quote=closed_qq,
        signatory="Otra persona",
    )
    refused(
        InvalidTransition,
        "cannot_cancel",
        services.quick_quote_cancel,
        actor=official_actor,
        quick_quote=closed_qq,
        reason="Tarde.",
    )


def test_a_contract_names_both_tender_and_award_or_neither(buyer: Any, supplier: Any) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            tender=tender,
            buyer=buyer,
            supplier=supplier,
            title="x",
            value=1,
            currency="CLP",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 2),
        )


# --- plan lines -------------------------------------------------------------------------------


def test_a_quick_quote_follows_a_plan_line_and_frees_it_when_its_draft_is_cancelled(
    official_actor: Actor, buyer: Any
) -> None:
    plan = factories.PlanPublishedFactory(buyer=buyer)
    line = plan.lines.get()
    with clock.at(T0):
        quick_quote = services.quick_quote_create(
            actor=official_actor, buyer=buyer, data=quick_quote_data(), plan_line=line
        )
    line.refresh_from_db()
    assert line.status == "followed"
    assert quick_quote.ocid == line.ocid
    follower = followers_of([line])[line.pk]
    assert (follower.kind, follower.reference, follower.url) == (
        "quick_quote",
        quick_quote.reference,
        "",
    )
    services.quick_quote_cancel(actor=official_actor, quick_quote=quick_quote, reason="Mejor no.")
    line = PlanLine.objects.get(pk=line.pk)
    assert line.status == "published"
    assert QuickQuote.objects.get(pk=quick_quote.pk).ocid is None


def test_a_published_quick_quote_continues_the_plan_lines_process(
    official_actor: Actor, buyer: Any
) -> None:
    plan = factories.PlanPublishedFactory(buyer=buyer)
    line = plan.lines.get()
    with clock.at(T0):
        quick_quote = services.quick_quote_create(
            actor=official_actor, buyer=buyer, data=quick_quote_data(), plan_line=line
        )
        services.quick_quote_publish(actor=official_actor, quick_quote=quick_quote)
    compiled = Record.objects.get(ocid=line.ocid).compiled
    assert [r.tag[0] for r in Release.objects.filter(ocid=line.ocid).order_by("seq")] == [
        "planning",
        "tender",
    ]
    assert compiled["tender"]["id"] == quick_quote.reference
    assert compiled["planning"]["procurementPlan"]["line"] == line.number
