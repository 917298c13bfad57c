"""A supplier's evidence for the tests: the documents it holds and its scale verified, as a
winner gives them before its contract."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pregon.core.actor import Actor
from pregon.organizations.models import Organization, SupplierDocument
from pregon.organizations.services_documents import DocumentData, supplier_document_upload
from pregon.organizations.services_scale import supplier_scale_review
from tests import factories

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name: str = "certificado.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def supplier_person(supplier: Organization) -> Actor:
    """A (new) person of the supplier, acting for it."""
    return factories.actor_for(factories.member(supplier, "supplier_user"), supplier)


def platform_admin() -> Actor:
    """A (new) administrator of the platform's operator organization."""
    operator = factories.OperatorFactory()
    return Actor(user=factories.member(operator, "administrator"), ip_address="192.0.2.9")


def upload(
    supplier: Organization,
    kind: str,
    expires_on: dt.date | None,
    *,
    actor: Actor | None = None,
    **more: Any,
) -> SupplierDocument:
    """The supplier's person (a new one unless `actor` is given) uploads a PDF of `kind`."""
    return supplier_document_upload(
        actor=actor or supplier_person(supplier),
        organization=supplier,
        data=DocumentData(kind=kind, upload=pdf(), expires_on=expires_on, **more),
    )


def give_evidence(
    supplier: Organization, *, until: dt.date | None = None, actor: Actor | None = None
) -> None:
    """Legal, tax and social security documents current until `until` (a year on by default),
    uploaded by `actor` (a new person of the supplier if None), and the scale verified
    against its evidence."""
    until = until or dt.date.today() + dt.timedelta(days=365)
    actor = actor or supplier_person(supplier)
    upload(supplier, "legal", None, actor=actor)
    upload(supplier, "tax", until, actor=actor)
    upload(supplier, "socialSecurity", until, actor=actor)
    upload(supplier, "scaleEvidence", None, actor=actor)
    supplier_scale_review(actor=platform_admin(), organization=supplier, verified=True)
    supplier.refresh_from_db()
