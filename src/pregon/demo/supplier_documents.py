"""The demo suppliers' register-once profile: the figures their scale is computed from, the
documents they hold (legal existence, tax and social security certificates, evidence of size),
one of them expiring soon, and their scales verified by the platform's administrator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.demo.organizations import SupplierSpec
from pregon.demo.pdf import render_pdf
from pregon.organizations.choices import DocumentKind, LegalForm, Scale
from pregon.organizations.models import Organization
from pregon.organizations.services_documents import DocumentData, supplier_document_upload
from pregon.organizations.services_scale import supplier_scale_review

#: Legal forms other than a company's (a cooperative's is its own: `SupplierSpec.is_cooperative`;
#: the self-employed are individual entrepreneurs).
LEGAL_FORMS = {"kanhgag": LegalForm.COMMUNITY_ENTERPRISE}
#: Employees the demo suppliers declare, by the scale they are: each country's rule pack
#: computes the same scale from them (Belize's generic pack counts employees).
EMPLOYEES = {Scale.MICRO: 5, Scale.SMALL: 30, Scale.MEDIUM: 120, Scale.LARGE: 400}
#: Brazil's pack computes from the gross annual revenue (ME up to R$360,000, EPP up to R$4.8
#: million): the turnover Brazilian micro and small suppliers declare.
BRAZILIAN_TURNOVER = {Scale.MICRO: Decimal("240000.00"), Scale.SMALL: Decimal("1900000.00")}
#: The supplier whose tax certificate expires soon (its people get the reminder).
EXPIRING_SOON = "elpuerto"
#: The supplier whose evidence of size still awaits verification.
UNVERIFIED = "pehuen"

_TITLES = {
    DocumentKind.LEGAL: "Certificado de vigencia",
    DocumentKind.TAX: "Certificado de cumplimiento tributario",
    DocumentKind.SOCIAL_SECURITY: "Certificado de cotizaciones previsionales",
    DocumentKind.SCALE_EVIDENCE: "Estados financieros y planilla de remuneraciones",
}


def legal_form_of(spec: SupplierSpec) -> str:
    """The legal form a demo supplier registers with."""
    if spec.is_cooperative:
        return LegalForm.COOPERATIVE
    if spec.scale == Scale.SELF_EMPLOYED:
        return LegalForm.SOLE_PROPRIETOR
    return LEGAL_FORMS.get(spec.key, LegalForm.COMPANY)


def figures_of(spec: SupplierSpec) -> tuple[int | None, Decimal | None]:
    """The employees and annual turnover a demo supplier declares."""
    employees = EMPLOYEES.get(Scale(spec.scale))
    turnover = BRAZILIAN_TURNOVER.get(Scale(spec.scale)) if spec.country == "BR" else None
    return employees, turnover


def _pdf(spec: SupplierSpec, kind: str, expires_on: dt.date | None) -> SimpleUploadedFile:
    title = _TITLES[DocumentKind(kind)]
    content = render_pdf(
        title=title,
        subtitle=f"{spec.legal_name} · {spec.scheme} {spec.identifier}",
        paragraphs=[
            f"{spec.legal_name} ({spec.locality}, {spec.region}).",
            f"Válido hasta: {expires_on.isoformat()}" if expires_on else "Sin vencimiento.",
        ],
        footer="Documento de demostración de Pregón.",
        author=spec.legal_name,
    )
    return SimpleUploadedFile(f"{slugify(title)}.pdf", content, content_type="application/pdf")


def documents_hold(
    *,
    spec: SupplierSpec,
    organization: Organization,
    person: Actor,
    admin: Actor,
    moment: dt.datetime,
    today: dt.datetime,
    index: int,
) -> None:
    """The supplier uploads its documents the day after it registers; the platform's
    administrator verifies its scale two days later (all but one supplier)."""
    until = today.date() + dt.timedelta(days=120 + 9 * index)
    expiring = today.date() + dt.timedelta(days=12)
    documents = (
        (DocumentKind.LEGAL, None),
        (DocumentKind.TAX, expiring if spec.key == EXPIRING_SOON else until),
        (DocumentKind.SOCIAL_SECURITY, until + dt.timedelta(days=30)),
        (DocumentKind.SCALE_EVIDENCE, None),
    )
    with clock.at(moment + dt.timedelta(days=1)):
        for kind, expires_on in documents:
            supplier_document_upload(
                actor=person,
                organization=organization,
                data=DocumentData(
                    kind=kind, upload=_pdf(spec, kind, expires_on), expires_on=expires_on
                ),
            )
    if spec.key != UNVERIFIED:
        with clock.at(moment + dt.timedelta(days=3)):
            supplier_scale_review(actor=admin, organization=organization, verified=True)
