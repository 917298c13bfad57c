"""Uploaded documents are served only by the views that check who may read them, in every mode.

With DEBUG on, `/media/` used to serve any stored file to anyone who knew its name, and a
document's stored name is the SHA-256 of its content: a draft's documents leaked to anyone
who had seen the file elsewhere.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse

import pregon.urls
from pregon.core.actor import Actor
from pregon.tenders import services
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% pliego de condiciones, borrador\n%%EOF\n"


@pytest.fixture
def debug_on(settings: Any) -> Iterator[None]:
    """DEBUG on, with the URLs built as a development server builds them (at import)."""
    debug = settings.DEBUG
    settings.DEBUG = True
    importlib.reload(pregon.urls)
    clear_url_caches()
    yield
    settings.DEBUG = debug
    importlib.reload(pregon.urls)
    clear_url_caches()


@pytest.fixture
def document(buyer: Any, official: Any) -> Any:
    draft = factories.TenderDraftFactory(buyer=buyer)
    return services.document_add(
        actor=Actor(user=official, organization=buyer),
        tender=draft,
        data=services.DocumentData(
            upload=SimpleUploadedFile("pliego.pdf", PDF, content_type="application/pdf"),
            title="Pliego",
        ),
    )


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.usefixtures("debug_on")
def test_the_media_address_serves_nothing_with_debug_on(
    client: Client, document: Any, official: Any
) -> None:
    sha256 = hashlib.sha256(PDF).hexdigest()
    assert document.file.name == f"tenders/{document.tender_id}/{sha256}"
    assert document.file.storage.exists(document.file.name)
    path = f"/media/tenders/{document.tender_id}/{sha256}"
    for visitor in (None, official):
        if visitor is not None:
            client.force_login(visitor)
        response = client.get(path)
        assert response.status_code == 404
        assert PDF not in body(response)


@pytest.mark.usefixtures("debug_on")
def test_the_buyers_people_still_read_a_drafts_document(
    client: Client, document: Any, official: Any
) -> None:
    url = reverse("workspace:document", args=[document.tender_id, document.pk])
    client.force_login(official)
    response = client.get(url)
    assert (response.status_code, body(response)) == (200, PDF)


@pytest.mark.usefixtures("debug_on")
def test_no_one_else_reads_a_drafts_document(
    client: Client, document: Any, other_buyer: Any, supplier_user: Any
) -> None:
    url = reverse("workspace:document", args=[document.tender_id, document.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    for outsider in (factories.member(other_buyer, "buyer_official"), supplier_user):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 404
        assert PDF not in body(response)
    public = reverse("tenders:document", args=[document.tender_id, document.pk])
    assert client.get(public).status_code == 404
