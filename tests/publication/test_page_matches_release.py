"""The portal reads the models and the open data is OCDS (ADR 0011): the two must tell the same
story. A tender's public page shows what its compiled release holds, and nothing it keeps out."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from pregon.publication.models import Record
from tests.publication.conftest import ASKER_QUESTION, Lifecycle

pytestmark = pytest.mark.django_db


def _page_text(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    # Compare text, not markup: tags out, entities decoded, runs of blanks collapsed.
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_tender_page_shows_what_the_release_publishes(lifecycle: Lifecycle) -> None:
    tender = lifecycle.tender
    compiled = Record.objects.get(ocid=tender.ocid).compiled
    section = compiled["tender"]
    page = _page_text(Client(), f"/{tender.language}/tenders/{tender.pk}/")

    expected = [section["title"], section["description"], section["id"]]
    expected += [lot["title"] for lot in section["lots"]]
    expected += [item["description"] for item in section["items"]]
    expected += [
        document["title"]
        for document in section["documents"]
        if document["documentType"] != "clarifications"
    ]
    expected += [amendment["rationale"] for amendment in section["amendments"]]
    expected.append(compiled["buyer"]["name"])
    for text in expected:
        assert _squash(text) in page, text

    # Each answered clarification: the question and its answer, on the page and in the data.
    clarifications = [
        document
        for document in section["documents"]
        if document["documentType"] == "clarifications"
    ]
    assert len(clarifications) == 1
    assert ASKER_QUESTION in clarifications[0]["description"]
    assert ASKER_QUESTION in page
    assert "Windows 11 Pro o equivalente." in clarifications[0]["description"]
    assert "Windows 11 Pro o equivalente." in page


def test_what_the_release_keeps_out_the_page_keeps_out(lifecycle: Lifecycle) -> None:
    """The asker of a question is in neither: not the organization, not the person."""
    tender = lifecycle.tender
    compiled = Record.objects.get(ocid=tender.ocid).compiled
    asker = lifecycle.asker
    assert asker.organization is not None and asker.user is not None
    page = _page_text(Client(), f"/{tender.language}/tenders/{tender.pk}/")
    party_names = {party["name"] for party in compiled["parties"]}
    for secret in (asker.organization.legal_name, asker.user.email):
        assert secret not in page
        assert secret not in party_names
