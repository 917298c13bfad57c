"""The supplier's "Documents and size" page and the platform administrators' verification
pages, through HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.organizations.models import SupplierDocument
from tests import factories
from tests.organizations.evidence import PDF, pdf, platform_admin, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_supplier_declares_its_figures_and_uploads_a_document(
    supplier: Any, supplier_user: Any
) -> None:
    client = signed_in(supplier_user)
    page = client.get(reverse("supplier:documents"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Documents and size" in html
    assert "Tax compliance certificate" in html
    assert "not uploaded" in html

    declared = client.post(
        reverse("supplier:scale_declare"),
        {"scale-employees": "8", "scale-annual_turnover": "", "scale-declared_scale": "micro"},
    )
    assert declared.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.scale, supplier.employees, supplier.declared_scale) == ("micro", 8, "micro")

    expires = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    uploaded = client.post(
        reverse("supplier:document_upload"),
        {
            "document-kind": "tax",
            "document-expires_on": expires,
            "document-file": pdf("sii.pdf"),
        },
    )
    assert uploaded.status_code == 302
    document = SupplierDocument.objects.get(organization=supplier)
    assert (document.kind, document.filename, document.expires_on.isoformat()) == (
        "tax",
        "sii.pdf",
        expires,
    )
    html = client.get(reverse("supplier:documents")).content.decode()
    assert "sii.pdf" in html
    download = client.get(reverse("supplier:document_file", kwargs={"pk": document.pk}))
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_refused_upload_is_shown_on_the_form(supplier: Any, supplier_user: Any) -> None:
    client = signed_in(supplier_user)
    response = client.post(
        reverse("supplier:document_upload"),
        {"document-kind": "tax", "document-file": pdf("sii.pdf")},
    )
    assert response.status_code == 422
    assert "Give the day this certificate expires" in response.content.decode()
    assert not SupplierDocument.objects.exists()


def test_another_supplier_s_document_is_not_found(supplier: Any, supplier_user: Any) -> None:
    other = factories.SupplierFactory()
    document = upload(other, "legal", None)
    client = signed_in(supplier_user)
    url = reverse("supplier:document_file", kwargs={"pk": document.pk})
    assert client.get(url).status_code == 404
    remove = reverse("supplier:document_remove", kwargs={"pk": document.pk})
    assert client.post(remove).status_code == 404


def test_the_platform_administrator_verifies_from_the_list(supplier: Any) -> None:
    upload(supplier, "scaleEvidence", None)
    admin = platform_admin()
    client = signed_in(admin.user)
    listing = client.get(reverse("platform:scales")).content.decode()
    assert supplier.display_name in listing
    review = reverse("platform:scale_review", kwargs={"pk": supplier.pk})
    assert "certificado.pdf" in client.get(review).content.decode()
    evidence = client.get(reverse("platform:scale_evidence", kwargs={"pk": supplier.pk}))
    assert b"".join(evidence.streaming_content) == PDF
    assert client.post(review, {"decision": "reject"}).status_code == 422
    assert client.post(review, {"decision": "verify"}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.scale_status == "verified"
    after = client.get(reverse("platform:scales")).content.decode()
    assert "is reviewed; its people are told by e-mail." in after
    assert "No scale awaits verification." in after


def test_a_buyer_official_cannot_reach_the_verification_pages(supplier: Any, official: Any) -> None:
    client = signed_in(official)
    assert client.get(reverse("platform:scales")).status_code == 403
    review = reverse("platform:scale_review", kwargs={"pk": supplier.pk})
    assert client.post(review, {"decision": "verify"}).status_code == 403
