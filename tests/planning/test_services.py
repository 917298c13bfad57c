"""The plans' services: every transition allowed and refused, with the rows, audit actions and
releases each leaves; refusals leave every table as it was (the `refused` fixture)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.planning import services
from pregon.planning.models import Plan, PlanLine
from pregon.planning.services import PlanData, PlanLineData
from pregon.publication.models import Release
from pregon.tenders import services as tender_services
from pregon.tenders.models import Tender
from tests import factories

pytestmark = pytest.mark.django_db


def line_data(**changes: Any) -> PlanLineData:
    values: dict[str, Any] = {
        "description": "Mobiliario escolar",
        "classification_scheme": "CPV",
        "classification_code": "39000000-2",
        "estimated_value": Decimal("98000000"),
        "currency": "CLP",
        "quarter": 3,
        "method": "open",
        "category": "goods",
        "reserved": True,
    }
    values.update(changes)
    return PlanLineData(**values)


def actions_of(obj: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(obj.pk), object_type=obj._meta.label_lower)
        .order_by("id")
        .values_list("action", flat=True)
    )


def tags_of(line: PlanLine) -> list[list[str]]:
    return [row.tag for row in Release.objects.filter(ocid=line.ocid).order_by("seq")]


# ---------------------------------------------------------------------------------------------
# plans


def test_an_official_creates_edits_and_publishes_a_plan(official_actor: Actor, buyer: Any) -> None:
    plan = services.plan_create(
        actor=official_actor, buyer=buyer, data=PlanData(year=2031, title="  Plan 2031 ")
    )
    assert (plan.buyer, plan.year, plan.title, plan.status) == (buyer, 2031, "Plan 2031", "draft")
    plan = services.plan_update(
        actor=official_actor,
        plan=plan,
        data=PlanData(year=2031, title="Plan de compras 2031", language="pt"),
    )
    assert (plan.title, plan.language) == ("Plan de compras 2031", "pt")
    line = services.plan_line_add(actor=official_actor, plan=plan, data=line_data())
    assert (line.number, line.status, line.ocid) == (1, "draft", f"ocds-pregon-plan-{line.pk:06d}")
    assert Release.objects.count() == 0

    published = services.plan_publish(actor=official_actor, plan=plan)
    plan.refresh_from_db()
    line.refresh_from_db()
    assert published == [line]
    assert (plan.status, line.status) == ("published", "published")
    assert plan.published_at == line.published_at is not None
    assert tags_of(line) == [["planning"]]
    assert actions_of(plan) == ["plan.create", "plan.update", "plan.publish"]
    assert actions_of(line) == ["plan_line.add"]


def test_lines_added_after_publication_are_published_by_publishing_again(
    official_actor: Actor, published_plan: Plan
) -> None:
    first = published_plan.lines.get()
    second = services.plan_line_add(actor=official_actor, plan=published_plan, data=line_data())
    assert second.number == 2
    assert services.plan_publish(actor=official_actor, plan=published_plan) == [second]
    assert tags_of(first) == [["planning"]]
    assert tags_of(second) == [["planning"]]


def test_a_plan_with_no_draft_line_publishes_nothing(
    official_actor: Actor, buyer: Any, refused: Any
) -> None:
    plan = factories.PlanDraftFactory(buyer=buyer, lines=0)
    error = refused(
        ValidationFailed,
        "nothing_to_publish",
        services.plan_publish,
        actor=official_actor,
        plan=plan,
    )
    assert error.message == "This plan has no draft line to publish. Add a line first."


def test_a_published_plan_can_no_longer_be_edited(
    official_actor: Actor, published_plan: Plan, refused: Any
) -> None:
    error = refused(
        InvalidTransition,
        "cannot_edit",
        services.plan_update,
        actor=official_actor,
        plan=published_plan,
        data=PlanData(year=published_plan.year, title="Otro título"),
    )
    assert error.message == "Only a draft plan can be edited; this plan is published."


def test_one_plan_per_buyer_and_year(official_actor: Actor, draft_plan: Plan, refused: Any) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.plan_create,
        actor=official_actor,
        buyer=draft_plan.buyer,
        data=PlanData(year=draft_plan.year, title="Otro plan"),
    )
    assert error.field == "year"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PlanData(year=1999, title="Plan"), "year"),
        (PlanData(year=2031, title="   "), "title"),
        (PlanData(year=2031, title="Plan", language="de"), "language"),
    ],
)
def test_a_plan_that_is_not_valid_is_refused(
    official_actor: Actor, buyer: Any, refused: Any, data: PlanData, field: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.plan_create,
        actor=official_actor,
        buyer=buyer,
        data=data,
    )
    assert error.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": " "}, "description"),
        ({"classification_code": "99999999-9"}, "classification_code"),
        ({"classification_scheme": "HS"}, "classification_scheme"),
        ({"estimated_value": Decimal(0)}, "estimated_value"),
        ({"estimated_value": Decimal("1.001")}, "estimated_value"),
        ({"currency": "XXX"}, "currency"),
        ({"quarter": 5}, "quarter"),
        ({"method": "auction"}, "method"),
        ({"category": "land"}, "category"),
    ],
)
def test_a_line_that_is_not_valid_is_refused(
    official_actor: Actor, draft_plan: Plan, refused: Any, changes: dict[str, Any], field: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.plan_line_add,
        actor=official_actor,
        plan=draft_plan,
        data=line_data(**changes),
    )
    assert error.field == field


# ---------------------------------------------------------------------------------------------
# who may


def test_another_organizations_official_is_refused_everything(
    other_official_actor: Actor, draft_plan: Plan, published_2040: Any, refused: Any
) -> None:
    line = draft_plan.lines.get()
    calls = [
        (services.plan_update, {"plan": draft_plan, "data": PlanData(year=2031, title="X")}),
        (services.plan_publish, {"plan": draft_plan}),
        (services.plan_line_add, {"plan": draft_plan, "data": line_data()}),
        (services.plan_line_update, {"line": line, "data": line_data()}),
        (services.plan_line_delete, {"line": line}),
        (services.plan_line_withdraw, {"line": line, "reason": "No."}),
        (services.plan_line_follow, {"line": line, "follower": "X"}),
    ]
    for service, arguments in calls:
        refused(
            PermissionDenied, "permission_denied", service, actor=other_official_actor, **arguments
        )
    refused(
        PermissionDenied,
        "permission_denied",
        tender_services.tender_draft_from_plan_line,
        actor=other_official_actor,
        line=published_2040.lines.get(),
    )


@pytest.fixture
def published_2040(buyer: Any, official: Any) -> Plan:
    return factories.PlanPublishedFactory(buyer=buyer, year=2040)


def test_a_read_only_member_is_refused(buyer: Any, draft_plan: Plan, refused: Any) -> None:
    auditor = factories.actor_for(factories.member(buyer, "auditor"), buyer)
    refused(
        PermissionDenied, "permission_denied", services.plan_publish, actor=auditor, plan=draft_plan
    )


def test_only_buyers_make_plans(supplier_actor: Actor, supplier: Any, refused: Any) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        services.plan_create,
        actor=supplier_actor,
        buyer=supplier,
        data=PlanData(year=2031, title="Plan"),
    )


# ---------------------------------------------------------------------------------------------
# lines


def test_a_draft_line_is_edited_quietly_and_removed(
    official_actor: Actor, draft_plan: Plan
) -> None:
    line = draft_plan.lines.get()
    changed = services.plan_line_update(
        actor=official_actor, line=line, data=line_data(quarter=4, reserved=False)
    )
    assert (changed.quarter, changed.reserved, changed.description) == (
        4,
        False,
        "Mobiliario escolar",
    )
    services.plan_line_delete(actor=official_actor, line=line)
    assert not PlanLine.objects.filter(pk=line.pk).exists()
    assert Release.objects.count() == 0
    assert list(
        AuditEvent.objects.filter(action__startswith="plan_line.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["plan_line.update", "plan_line.delete"]


def test_a_published_line_changes_in_public_and_is_withdrawn_with_a_reason(
    official_actor: Actor, published_plan: Plan, refused: Any
) -> None:
    line = published_plan.lines.get()
    services.plan_line_update(actor=official_actor, line=line, data=line_data())
    refused(
        ValidationFailed,
        "empty_change",
        services.plan_line_update,
        actor=official_actor,
        line=line,
        data=line_data(),
    )
    refused(
        InvalidTransition,
        "cannot_remove",
        services.plan_line_delete,
        actor=official_actor,
        line=line,
    )
    refused(
        ValidationFailed,
        "validation_failed",
        services.plan_line_withdraw,
        actor=official_actor,
        line=line,
        reason="  ",
    )
    withdrawn = services.plan_line_withdraw(
        actor=official_actor, line=line, reason=" Se compró por convenio marco. "
    )
    assert (withdrawn.status, withdrawn.withdrawal_reason) == (
        "withdrawn",
        "Se compró por convenio marco.",
    )
    assert tags_of(line) == [["planning"], ["planningUpdate"], ["planningUpdate"]]
    for service, arguments in [
        (services.plan_line_update, {"data": line_data(quarter=1)}),
        (services.plan_line_withdraw, {"reason": "Otra vez."}),
        (tender_services.tender_draft_from_plan_line, {}),
    ]:
        refused(
            InvalidTransition, _code(service), service, actor=official_actor, line=line, **arguments
        )


def _code(service: Any) -> str:
    return {
        "plan_line_update": "cannot_edit",
        "plan_line_withdraw": "cannot_withdraw",
        "tender_draft_from_plan_line": "cannot_follow",
    }[service.__name__]


# ---------------------------------------------------------------------------------------------
# the tender that follows a line


def test_a_tender_drafted_from_a_line_takes_its_ocid_and_cancelling_the_draft_gives_it_back(
    official_actor: Actor, published_plan: Plan, refused: Any
) -> None:
    line = published_plan.lines.get()
    tender = tender_services.tender_draft_from_plan_line(actor=official_actor, line=line)
    line.refresh_from_db()
    assert (tender.status, tender.ocid, tender.plan_line) == ("draft", line.ocid, line)
    assert (tender.reference, tender.title, tender.method, tender.category) == (
        f"PLAN-{published_plan.year}-001",
        line.description,
        "open",
        "goods",
    )
    assert (tender.estimated_value, tender.currency) == (line.estimated_value, "CLP")
    [lot] = tender.lots.all()
    [item] = lot.items.all()
    assert (item.classification_scheme, item.classification_code) == ("CPV", "30213000-5")
    assert line.status == "followed"
    assert line.followed_at is not None
    # One line, one tender.
    refused(
        InvalidTransition,
        "cannot_follow",
        tender_services.tender_draft_from_plan_line,
        actor=official_actor,
        line=line,
    )

    tender_services.tender_cancel(actor=official_actor, tender=tender, reason="Mal redactado.")
    line.refresh_from_db()
    tender.refresh_from_db()
    assert (line.status, line.followed_at) == ("published", None)
    assert tender.plan_line is None
    assert tender.ocid == f"ocds-pregon-{tender.pk:06d}"
    assert actions_of(line) == ["plan_line.follow", "plan_line.unfollow"]
    # Nothing public happened to the line's process.
    assert tags_of(line) == [["planning"]]

    # Drafted again: the cancelled draft keeps its reference, the new one takes the next.
    again = tender_services.tender_draft_from_plan_line(actor=official_actor, line=line)
    assert (again.reference, again.ocid) == (f"PLAN-{published_plan.year}-001-2", line.ocid)
    assert Tender.objects.filter(plan_line=line).get() == again
    given = factories.PlanPublishedFactory(buyer=published_plan.buyer, year=2040).lines.get()
    chosen = tender_services.tender_draft_from_plan_line(
        actor=official_actor, line=given, reference=" LIC-2040-0001 "
    )
    assert chosen.reference == "LIC-2040-0001"
