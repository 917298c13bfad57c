"""The buyer's plan pages through HTTP (Django's test client): the journey of a plan from a new
draft to a tender drafted from one of its lines, and every refusal (another organization, a
read-only role, a state that does not allow the move, a form that does not parse), each with
its status and nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.core.models import AuditEvent
from pregon.planning.models import Plan, PlanLine
from pregon.publication.models import Release
from pregon.tenders.models import Tender
from tests import factories
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """URLs are reversed and pages read in English unless a test says otherwise."""
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def actions_since(before: set[int]) -> list[str]:
    return list(
        AuditEvent.objects.exclude(pk__in=before).order_by("id").values_list("action", flat=True)
    )


def audit_ids() -> set[int]:
    return set(AuditEvent.objects.values_list("pk", flat=True))


def line_fields(**changes: str) -> dict[str, str]:
    data = {
        "description": "Mobiliario escolar para 12 escuelas rurales",
        "classification_scheme": "CPV",
        "classification_group": "39000000-2",
        "classification_code": "",
        "estimated_value": "98000000",
        "currency": "CLP",
        "quarter": "3",
        "method": "open",
        "category": "goods",
        "reserved": "on",
    }
    data.update(changes)
    return data


def plan_page(plan: Plan) -> str:
    return reverse("workspace:plan", kwargs={"pk": plan.pk})


# ---------------------------------------------------------------------------------------------
# the journey


def test_official_plans_publishes_and_drafts_a_tender_through_the_pages(
    official: Any, buyer: Any
) -> None:
    client = signed_in(official)
    before = audit_ids()

    listing = client.get(reverse("workspace:plans"))
    assert listing.status_code == 200
    assert b"No plan yet." in listing.content
    assert reverse("workspace:plans").encode() in client.get(reverse("workspace:home")).content

    response = client.post(
        reverse("workspace:plan_create"),
        {
            "year": "2031",
            "title": "Plan anual de compras 2031",
            "description": "",
            "language": "es",
        },
    )
    plan = Plan.objects.get(buyer=buyer, year=2031)
    assert response.status_code == 302
    assert response["Location"] == plan_page(plan) + "#lines"
    assert (plan.title, plan.status, plan.language) == ("Plan anual de compras 2031", "draft", "es")

    response = client.post(
        reverse("workspace:plan_edit", kwargs={"pk": plan.pk}),
        {"year": "2031", "title": "Plan de compras 2031", "description": "", "language": "es"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Plan de compras 2031"

    response = client.post(
        reverse("workspace:plan_line_add", kwargs={"pk": plan.pk}), line_fields()
    )
    assert response.status_code == 302
    # A deeper code typed by hand replaces the list's choice.
    response = client.post(
        reverse("workspace:plan_line_add", kwargs={"pk": plan.pk}),
        line_fields(
            description="Computadores portátiles",
            classification_group="",
            classification_code="30213100-6",
            quarter="1",
            reserved="",
        ),
    )
    assert response.status_code == 302
    first, second = plan.lines.order_by("number")
    assert (first.number, first.classification_code, first.quarter, first.reserved) == (
        1,
        "39000000-2",
        3,
        True,
    )
    assert first.estimated_value == Decimal("98000000.00")
    assert (second.number, second.classification_code, second.reserved) == (2, "30213100-6", False)

    response = client.post(
        reverse("workspace:plan_line_edit", kwargs={"pk": plan.pk, "line_pk": second.pk}),
        line_fields(
            description="Computadores portátiles y tabletas",
            classification_group="",
            classification_code="30213100-6",
            quarter="2",
            reserved="",
        ),
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.description, second.quarter) == ("Computadores portátiles y tabletas", 2)

    page = client.get(plan_page(plan))
    assert page.status_code == 200
    assert b"Mobiliario escolar para 12 escuelas rurales" in page.content
    assert reverse("workspace:plan_publish", kwargs={"pk": plan.pk}).encode() in page.content

    assert client.get(reverse("workspace:plan_publish", kwargs={"pk": plan.pk})).status_code == 200
    response = client.post(reverse("workspace:plan_publish", kwargs={"pk": plan.pk}))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "published"
    assert list(plan.lines.order_by("number").values_list("status", flat=True)) == [
        "published",
        "published",
    ]
    assert sorted(Release.objects.values_list("ocid", "tag")) == [
        (first.ocid, ["planning"]),
        (second.ocid, ["planning"]),
    ]

    # A published line changes in public; then one is withdrawn, the other tendered.
    response = client.post(
        reverse("workspace:plan_line_edit", kwargs={"pk": plan.pk, "line_pk": first.pk}),
        line_fields(estimated_value="105000000"),
    )
    assert response.status_code == 302
    response = client.post(
        reverse("workspace:plan_line_withdraw", kwargs={"pk": plan.pk, "line_pk": second.pk}),
        {"reason": "El ministerio recibió los equipos por donación."},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.withdrawal_reason) == (
        "withdrawn",
        "El ministerio recibió los equipos por donación.",
    )

    url = reverse("workspace:plan_line_tender", kwargs={"pk": plan.pk, "line_pk": first.pk})
    assert client.get(url).status_code == 200
    response = client.post(url)
    tender = Tender.objects.get(plan_line=first)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:tender", kwargs={"pk": tender.pk})
    assert (tender.status, tender.ocid, tender.title) == (
        "draft",
        first.ocid,
        "Mobiliario escolar para 12 escuelas rurales",
    )
    assert tender.estimated_value == Decimal("105000000.00")
    first.refresh_from_db()
    assert first.status == "followed"
    page = client.get(plan_page(plan))
    assert reverse("workspace:tender", kwargs={"pk": tender.pk}).encode() in page.content

    assert actions_since(before) == [
        "plan.create",
        "plan.update",
        "plan_line.add",
        "plan_line.add",
        "plan_line.update",
        "plan.publish",
        "plan_line.update",
        "plan_line.withdraw",
        "tender.create",
        "plan_line.follow",
    ]


def test_a_draft_line_is_removed_after_confirmation(official: Any, draft_plan: Plan) -> None:
    client = signed_in(official)
    line = draft_plan.lines.get()
    url = reverse("workspace:plan_line_delete", kwargs={"pk": draft_plan.pk, "line_pk": line.pk})
    assert client.get(url).status_code == 200
    assert PlanLine.objects.filter(pk=line.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not PlanLine.objects.filter(pk=line.pk).exists()


def test_pages_speak_the_visitors_language(official: Any, draft_plan: Plan) -> None:
    client = signed_in(official)
    with translation.override("es"):
        url = reverse("workspace:plan_line_add", kwargs={"pk": draft_plan.pk})
    assert url.startswith("/es/")
    page = client.post(url, line_fields(estimated_value="-3"))
    assert page.status_code == 422
    assert page.headers["Content-Language"] == "es"


# ---------------------------------------------------------------------------------------------
# refusals


def test_a_form_that_does_not_parse_is_shown_again_and_changes_nothing(
    official: Any, draft_plan: Plan
) -> None:
    client = signed_in(official)
    before = database_snapshot()
    response = client.post(
        reverse("workspace:plan_line_add", kwargs={"pk": draft_plan.pk}),
        line_fields(classification_group="", classification_code="99999999-9"),
    )
    assert response.status_code == 422
    assert b"99999999-9 is not a CPV code we know" in response.content
    response = client.post(
        reverse("workspace:plan_line_add", kwargs={"pk": draft_plan.pk}),
        line_fields(classification_group="", classification_code=""),
    )
    assert response.status_code == 422
    assert b"Choose a code from the list, or type a code." in response.content
    response = client.post(
        reverse("workspace:plan_line_withdraw", kwargs={"pk": draft_plan.pk, "line_pk": 0}),
        {"reason": "x"},
    )
    assert response.status_code == 404
    assert database_snapshot() == before


def test_a_second_plan_for_the_same_year_is_refused_on_the_form(
    official: Any, draft_plan: Plan
) -> None:
    client = signed_in(official)
    before = database_snapshot()
    response = client.post(
        reverse("workspace:plan_create"),
        {"year": str(draft_plan.year), "title": "Otro plan", "description": "", "language": "es"},
    )
    assert response.status_code == 422
    assert f"This buyer already has a plan for {draft_plan.year}.".encode() in response.content
    assert database_snapshot() == before


def test_moves_the_state_does_not_allow_are_refused(official: Any, published_plan: Plan) -> None:
    client = signed_in(official)
    line = published_plan.lines.get()
    before = database_snapshot()
    pk = published_plan.pk
    # Editing a published plan's own fields: the page sends the official back.
    response = client.get(reverse("workspace:plan_edit", kwargs={"pk": pk}))
    assert response.status_code == 302
    response = client.post(
        reverse("workspace:plan_edit", kwargs={"pk": pk}),
        {"year": "2040", "title": "Otro", "description": "", "language": "es"},
    )
    assert response.status_code == 409
    response = client.post(
        reverse("workspace:plan_line_delete", kwargs={"pk": pk, "line_pk": line.pk})
    )
    assert response.status_code == 409
    assert b"Withdraw a published line instead." in response.content
    # Nothing left to publish.
    response = client.post(reverse("workspace:plan_publish", kwargs={"pk": pk}))
    assert response.status_code == 422
    # An unchanged published line publishes nothing.
    response = client.post(
        reverse("workspace:plan_line_edit", kwargs={"pk": pk, "line_pk": line.pk}),
        {
            **line_fields(),
            "description": line.description,
            "classification_group": "",
            "classification_code": line.classification_code,
            "estimated_value": str(line.estimated_value),
            "quarter": str(line.quarter),
            "reserved": "",
        },
    )
    assert response.status_code == 422
    assert b"The change changes nothing." in response.content
    # A withdrawal needs its reason.
    response = client.post(
        reverse("workspace:plan_line_withdraw", kwargs={"pk": pk, "line_pk": line.pk}),
        {"reason": "  "},
    )
    assert response.status_code == 422
    assert database_snapshot() == before


def test_the_page_of_a_move_the_line_does_not_allow_sends_back_to_the_plan(
    official: Any, draft_plan: Plan
) -> None:
    client = signed_in(official)
    line = draft_plan.lines.get()
    for name in ("plan_line_withdraw", "plan_line_tender"):
        url = reverse(f"workspace:{name}", kwargs={"pk": draft_plan.pk, "line_pk": line.pk})
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(plan_page(draft_plan) + "#lines", 302)]
        assert b"Line 1 is draft: this action is not available." in response.content


def test_a_tender_cannot_be_drafted_from_a_draft_line(official: Any, draft_plan: Plan) -> None:
    client = signed_in(official)
    line = draft_plan.lines.get()
    before = database_snapshot()
    response = client.post(
        reverse("workspace:plan_line_tender", kwargs={"pk": draft_plan.pk, "line_pk": line.pk})
    )
    assert response.status_code == 409
    assert b"A tender can be drafted only from a published line" in response.content
    assert database_snapshot() == before


def every_url(plan: Plan, line: PlanLine) -> list[str]:
    pk, line_pk = plan.pk, line.pk
    return [
        reverse("workspace:plan", kwargs={"pk": pk}),
        reverse("workspace:plan_edit", kwargs={"pk": pk}),
        reverse("workspace:plan_publish", kwargs={"pk": pk}),
        reverse("workspace:plan_line_add", kwargs={"pk": pk}),
        reverse("workspace:plan_line_edit", kwargs={"pk": pk, "line_pk": line_pk}),
        reverse("workspace:plan_line_delete", kwargs={"pk": pk, "line_pk": line_pk}),
        reverse("workspace:plan_line_withdraw", kwargs={"pk": pk, "line_pk": line_pk}),
        reverse("workspace:plan_line_tender", kwargs={"pk": pk, "line_pk": line_pk}),
    ]


def test_another_organizations_plan_answers_404_and_stays_as_it_was(
    other_buyer: Any, draft_plan: Plan
) -> None:
    stranger = factories.member(other_buyer, "buyer_official")
    client = signed_in(stranger)
    before = database_snapshot()
    for url in every_url(draft_plan, draft_plan.lines.get()):
        assert client.get(url).status_code == 404, url
        assert client.post(url, line_fields()).status_code == 404, url
    assert database_snapshot() == before
    # Its own list does not name the other buyer's plan.
    assert draft_plan.title.encode() not in client.get(reverse("workspace:plans")).content


def test_a_read_only_member_reads_and_changes_nothing(buyer: Any, draft_plan: Plan) -> None:
    auditor = factories.member(buyer, "auditor")
    client = signed_in(auditor)
    before = database_snapshot()
    plan_url, *change_urls = every_url(draft_plan, draft_plan.lines.get())
    page = client.get(plan_url)
    assert page.status_code == 200
    assert b"only buyer officials change it" in page.content
    assert (
        reverse("workspace:plan_publish", kwargs={"pk": draft_plan.pk}).encode() not in page.content
    )
    for url in change_urls:
        assert client.post(url, line_fields()).status_code == 403, url
    assert client.post(reverse("workspace:plan_create"), {"year": "2031"}).status_code == 403
    assert database_snapshot() == before


def test_signed_out_visitors_are_sent_to_sign_in(draft_plan: Plan) -> None:
    response = Client().get(reverse("workspace:plan", kwargs={"pk": draft_plan.pk}))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_forms_need_their_csrf_token(official: Any, draft_plan: Plan) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    response = client.post(reverse("workspace:plan_publish", kwargs={"pk": draft_plan.pk}))
    assert response.status_code == 403
    draft_plan.refresh_from_db()
    assert draft_plan.status == "draft"
