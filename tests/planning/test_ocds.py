"""What a plan line publishes: OCDS 1.1.5 `planning` and `planningUpdate` releases, one process
per line under the ocid `ocid_for` mints, each valid against the schema with our extensions;
and the tender drafted from a line continuing the same process."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.ledger.models import Leaf
from pregon.planning import services
from pregon.planning.models import Plan, PlanLine
from pregon.publication import services as publication
from pregon.publication.identifiers import PLAN_LINE_SERIES, ocid_for
from pregon.publication.models import Record, Release
from pregon.tenders import services as tender_services
from tests import factories
from tests.planning.test_services import line_data

pytestmark = pytest.mark.django_db


def releases_of(line: PlanLine) -> list[dict[str, Any]]:
    return [
        orjson.loads(data)
        for data in Release.objects.filter(ocid=line.ocid)
        .order_by("seq")
        .values_list("data", flat=True)
    ]


def compiled_of(line: PlanLine) -> dict[str, Any]:
    compiled: dict[str, Any] = Record.objects.get(ocid=line.ocid).compiled
    return compiled


def assert_valid(line: PlanLine) -> None:
    validator = publication.validator()
    for release in releases_of(line):
        assert validator.validate_release(release) == [], release["id"]
    assert validator.validate_release(compiled_of(line)) == []


def test_publishing_a_plan_publishes_one_planning_release_per_line(
    official_actor: Actor, buyer: Any
) -> None:
    plan = factories.PlanDraftFactory(buyer=buyer, year=2031, title="Plan anual 2031", lines=2)
    first, second = plan.lines.order_by("number")
    services.plan_publish(actor=official_actor, plan=plan)
    first.refresh_from_db()
    assert (
        first.ocid
        == ocid_for(first.pk, series=PLAN_LINE_SERIES)
        == f"ocds-pregon-plan-{first.pk:06d}"
    )
    assert second.ocid != first.ocid
    [release] = releases_of(first)
    party = f"{buyer.identifier_scheme}-{buyer.identifier_id}"
    assert release["id"] == f"{first.ocid}-planning-1"
    assert release["tag"] == ["planning"]
    assert (release["initiationType"], release["language"]) == ("tender", "es")
    assert release["buyer"] == {"id": party, "name": buyer.legal_name}
    assert release["planning"] == {
        "budget": {
            "description": "Plan anual 2031",
            "amount": {"amount": 120000000, "currency": "CLP"},
        },
        "procurementPlan": {
            "id": str(plan.pk),
            "year": 2031,
            "title": "Plan anual 2031",
            "line": 1,
            "quarter": 2,
            "url": f"https://compras.example.org/es/plans/lines/{first.pk}/",
        },
    }
    tender = release["tender"]
    assert (tender["id"], tender["status"], tender["title"]) == (
        "2031-001",
        "planned",
        first.description,
    )
    assert tender["items"] == [
        {
            "id": "planned",
            "description": first.description,
            "classification": {"scheme": "CPV", "id": "30213000-5"},
        }
    ]
    assert tender["procurementMethod"] == "open"
    # The second quarter starts on 1 April in Santiago (UTC-3 then).
    assert tender["tenderPeriod"] == {"startDate": "2031-04-01T03:00:00Z"}
    assert "lots" not in tender
    assert_valid(first)
    assert_valid(second)
    # Each release is a leaf of the transparency log.
    assert Leaf.objects.count() >= 2


def test_a_line_reserved_for_msmes_has_a_planned_reserved_lot(
    official_actor: Actor, buyer: Any
) -> None:
    plan = factories.PlanDraftFactory(buyer=buyer, lines=0)
    line = services.plan_line_add(actor=official_actor, plan=plan, data=line_data(reserved=True))
    services.plan_publish(actor=official_actor, plan=plan)
    [release] = releases_of(line)
    [lot] = release["tender"]["lots"]
    assert lot["id"] == "1"
    assert lot["status"] == "planned"
    assert lot["reservation"]["scales"] == ["micro", "small", "medium"]
    assert release["tender"]["items"][0]["classification"]["description"]
    assert_valid(line)


def test_a_change_and_a_withdrawal_are_planning_updates(
    official_actor: Actor, published_plan: Plan
) -> None:
    line = published_plan.lines.get()
    services.plan_line_update(actor=official_actor, line=line, data=line_data(reserved=True))
    services.plan_line_withdraw(
        actor=official_actor, line=line, reason="Se compró por convenio marco."
    )
    first, change, withdrawal = releases_of(line)
    assert [release["tag"] for release in (first, change, withdrawal)] == [
        ["planning"],
        ["planningUpdate"],
        ["planningUpdate"],
    ]
    assert change["tender"]["value"] == {"amount": 98000000, "currency": "CLP"}
    assert change["tender"]["items"][0]["classification"]["id"] == "39000000-2"
    assert withdrawal["tender"]["status"] == "withdrawn"
    [document] = withdrawal["tender"]["documents"]
    assert (document["documentType"], document["description"]) == (
        "cancellationDetails",
        "Se compró por convenio marco.",
    )
    assert compiled_of(line)["tender"]["status"] == "withdrawn"
    assert_valid(line)


def test_the_tender_drafted_from_a_line_continues_its_process(
    official_actor: Actor, published_plan: Plan, buyer: Any
) -> None:
    line = published_plan.lines.get()
    tender = tender_services.tender_draft_from_plan_line(actor=official_actor, line=line)
    # A draft publishes nothing.
    assert [release["tag"] for release in releases_of(line)] == [["planning"]]
    factories.committee_name(tender, members=3, threshold=2)
    tender.refresh_from_db()
    tender_services.tender_publish(actor=official_actor, tender=tender)
    planning, tendered = releases_of(line)
    assert (planning["tag"], tendered["tag"]) == (["planning"], ["tender"])
    assert tendered["ocid"] == line.ocid == tender.ocid
    assert tendered["id"] == f"{line.ocid}-tender-2"
    compiled = compiled_of(line)
    assert compiled["tender"]["status"] == "active"
    assert compiled["tender"]["id"] == tender.reference
    # The planning section stays; the planned item is emptied to its id (merging never removes
    # an array entry, and a classification cannot be null), beside the tender's own items.
    assert compiled["planning"]["procurementPlan"]["line"] == 1
    planned = [item for item in compiled["tender"]["items"] if item["id"] == "planned"]
    assert planned == [{"id": "planned", "classification": {}}]
    assert len(compiled["tender"]["items"]) == 2
    assert_valid(line)
    line.refresh_from_db()
    assert line.status == "followed"


def test_a_draft_line_publishes_nothing(official_actor: Actor, draft_plan: Plan) -> None:
    line = draft_plan.lines.get()
    services.plan_line_update(actor=official_actor, line=line, data=line_data())
    assert Release.objects.count() == 0
    assert not Record.objects.filter(ocid=line.ocid).exists()


def test_releases_are_dated_by_the_platform_clock(official_actor: Actor, buyer: Any) -> None:
    plan = factories.PlanDraftFactory(buyer=buyer)
    moment = dt.datetime(2030, 11, 3, 15, 0, tzinfo=dt.UTC)
    with clock.at(moment):
        services.plan_publish(actor=official_actor, plan=plan)
    [release] = releases_of(plan.lines.get())
    assert release["date"] == "2030-11-03T15:00:00Z"


def test_a_reserved_lines_tender_takes_over_the_planned_lot(
    official_actor: Actor, buyer: Any
) -> None:
    plan = factories.PlanDraftFactory(buyer=buyer, lines=0)
    line = services.plan_line_add(actor=official_actor, plan=plan, data=line_data(reserved=True))
    services.plan_publish(actor=official_actor, plan=plan)
    tender = tender_services.tender_draft_from_plan_line(actor=official_actor, line=line)
    factories.committee_name(tender, members=3, threshold=2)
    tender.refresh_from_db()
    tender_services.tender_publish(actor=official_actor, tender=tender)
    tendered = releases_of(line)[-1]
    assert tendered["tag"] == ["tender"]
    compiled = compiled_of(line)
    [lot] = [lot for lot in compiled["tender"]["lots"] if lot["id"] == "1"]
    # The planned reservation is gone; the lot is the tender's own, reserved or not as its
    # country's rule pack decided at publication.
    assert lot["status"] == "active"
    assert lot.get("reservation", {}).get("scales") is None
    assert compiled["tender"]["status"] == "active"
    assert_valid(line)


def test_a_line_no_longer_reserved_drops_its_planned_reservation(
    official_actor: Actor, buyer: Any
) -> None:
    plan = factories.PlanDraftFactory(buyer=buyer, lines=0)
    line = services.plan_line_add(actor=official_actor, plan=plan, data=line_data(reserved=True))
    services.plan_publish(actor=official_actor, plan=plan)
    assert compiled_of(line)["tender"]["lots"][0]["reservation"]["scales"] == [
        "micro",
        "small",
        "medium",
    ]
    services.plan_line_update(actor=official_actor, line=line, data=line_data(reserved=False))
    [lot] = compiled_of(line)["tender"]["lots"]
    assert lot == {"id": "1", "reservation": {}}
    assert_valid(line)
