"""Bad input to the tenders API answers a problem (never a 500) and stores nothing.

Each case was a server error, or stored garbage that the OCDS data then published: an id past
what the database holds, dates that exist in their own zone but not in UTC, NUL characters,
descriptions of a megabyte.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from pregon.api import openapi_document
from pregon.core import clock
from pregon.core.models import AuditEvent
from pregon.publication.models import Release
from pregon.tenders.models import Amendment, Question, Tender
from tests.api.openapi_check import check
from tests.api.test_buyer import _draft_body, database_snapshot, patch, post

pytestmark = pytest.mark.django_db

FAR_PAST = "0001-01-01T00:00:00+14:00"
FAR_FUTURE = "9999-12-31T23:59:59-12:00"
OUT_OF_RANGE = "This date is out of the range the platform can store."
NUL_MESSAGE = "Remove the NUL character (code 0) from this text."


def test_a_buyer_id_past_the_database_range_is_a_problem(client: Client) -> None:
    response = client.get("/api/v1/tenders", {"buyer": "99999999999999999999"})

    assert response.status_code == 422
    problem = check(response)
    assert (problem["code"], list(problem["errors"])) == ("validation_failed", ["buyer"])


@pytest.mark.parametrize("moment", [FAR_PAST, FAR_FUTURE])
@pytest.mark.parametrize("field", ["enquiry_end", "submission_deadline", "opening_at"])
def test_dates_that_utc_cannot_hold_are_refused_on_create(
    client: Client, buyer_token: str, field: str, moment: str
) -> None:
    before = database_snapshot()

    response = post(client, "/api/v1/tenders", buyer_token, _draft_body(**{field: moment}))

    assert response.status_code == 422
    assert check(response)["errors"] == {field: [OUT_OF_RANGE]}
    assert database_snapshot() == before


def test_dates_that_utc_cannot_hold_are_refused_on_edit_and_amend(
    client: Client, draft: Any, open_tender: Any, buyer_token: str
) -> None:
    before = database_snapshot()

    edited = patch(client, f"/api/v1/tenders/{draft.pk}", buyer_token, {"opening_at": FAR_FUTURE})
    amended = post(
        client,
        f"/api/v1/tenders/{open_tender.pk}/actions/amend/",
        buyer_token,
        {"reason": "Más plazo", "submission_deadline": FAR_FUTURE, "opening_at": FAR_FUTURE},
    )

    assert (edited.status_code, amended.status_code) == (422, 422)
    assert check(edited)["errors"] == {"opening_at": [OUT_OF_RANGE]}
    assert check(amended)["errors"] == {"submission_deadline": [OUT_OF_RANGE]}
    assert database_snapshot() == before


def test_an_offset_postgresql_does_not_take_is_stored_in_utc(
    client: Client, buyer_token: str
) -> None:
    # Python takes offsets up to a day; PostgreSQL refuses those beyond 15:59.
    deadline = (clock.now() + dt.timedelta(days=14)).replace(microsecond=0)
    far_offset = dt.timezone(-dt.timedelta(hours=21, minutes=29))
    sent = deadline.astimezone(far_offset).isoformat()

    response = post(client, "/api/v1/tenders", buyer_token, _draft_body(submission_deadline=sent))

    assert response.status_code == 201, response.content
    tender = Tender.objects.get(pk=response.json()["id"])
    assert tender.submission_deadline == deadline
    assert response.json()["submission_deadline"] == deadline.isoformat().replace("+00:00", "Z")


def test_nul_characters_are_neither_stored_nor_published(
    client: Client, open_tender: Any, buyer_token: str, supplier_token: str
) -> None:
    releases = Release.objects.count()

    created = post(client, "/api/v1/tenders", buyer_token, _draft_body(title="Ascensores\x00"))
    asked = post(
        client, f"/api/v1/tenders/{open_tender.pk}/questions", supplier_token, {"text": "¿\x00?"}
    )
    amended = post(
        client,
        f"/api/v1/tenders/{open_tender.pk}/actions/amend/",
        buyer_token,
        {"reason": "Corrección", "title": "Nuevo\x00título"},
    )

    assert (created.status_code, asked.status_code, amended.status_code) == (422, 422, 422)
    assert check(created)["errors"] == {"title": [NUL_MESSAGE]}
    assert check(asked)["errors"] == {"text": [NUL_MESSAGE]}
    assert check(amended)["errors"] == {"title": [NUL_MESSAGE]}
    assert not Tender.objects.filter(reference="API-2026-001").exists()
    assert not Question.objects.exists()
    assert not Amendment.objects.exists()
    assert Release.objects.count() == releases
    assert not AuditEvent.objects.filter(action__in=["tender.create", "question.ask"]).exists()


def test_a_megabyte_of_description_is_refused(
    client: Client, draft: Any, open_tender: Any, buyer_token: str
) -> None:
    megabyte = "x" * 1_000_000
    before = database_snapshot()

    responses = [
        post(client, "/api/v1/tenders", buyer_token, _draft_body(description=megabyte)),
        patch(client, f"/api/v1/tenders/{draft.pk}", buyer_token, {"description": megabyte}),
        post(
            client,
            f"/api/v1/tenders/{open_tender.pk}/actions/amend/",
            buyer_token,
            {"reason": "Más detalle", "description": megabyte},
        ),
    ]

    for response in responses:
        assert response.status_code == 422
        problem = check(response)
        assert list(problem["errors"]) == ["description"]
    assert database_snapshot() == before


def test_the_document_states_the_text_limits() -> None:
    schemas = openapi_document()["components"]["schemas"]
    limits = {
        (name, field): schemas[name]["properties"][field].get("maxLength")
        for name, field in [
            ("TenderCreateIn", "description"),
            ("TenderCreateIn", "award_criteria_details"),
            ("TenderUpdateIn", "description"),
            ("TenderUpdateIn", "award_criteria_details"),
            ("LotIn", "description"),
            ("AmendIn", "description"),
            ("AmendIn", "award_criteria_details"),
            ("QuestionIn", "text"),
            ("AnswerIn", "answer"),
            ("CancelIn", "reason"),
            ("AmendIn", "reason"),
        ]
    }
    assert limits == {
        ("TenderCreateIn", "description"): 20000,
        ("TenderCreateIn", "award_criteria_details"): 20000,
        ("TenderUpdateIn", "description"): None,  # nullable: the limit sits in anyOf
        ("TenderUpdateIn", "award_criteria_details"): None,
        ("LotIn", "description"): 20000,
        ("AmendIn", "description"): None,
        ("AmendIn", "award_criteria_details"): None,
        ("QuestionIn", "text"): 5000,
        ("AnswerIn", "answer"): 10000,
        ("CancelIn", "reason"): 5000,
        ("AmendIn", "reason"): 5000,
    }
    for name, field in [
        ("TenderUpdateIn", "description"),
        ("TenderUpdateIn", "award_criteria_details"),
        ("AmendIn", "description"),
        ("AmendIn", "award_criteria_details"),
    ]:
        variants = schemas[name]["properties"][field]["anyOf"]
        assert {"type": "string", "maxLength": 20000} in [
            {key: value for key, value in variant.items() if key in {"type", "maxLength"}}
            for variant in variants
        ], (name, field, json.dumps(variants))
