"""Register once: the supplier's scale (computed by its country's rule pack, or declared, and
verified by the platform), its legal form and characteristics in the published data, the
documents it holds with their expiry and the reminders before it, and the evidence asked of a
winner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.organizations.models import DocumentReminder, SupplierDocument
from pregon.organizations.reminders import (
    document_remind,
    document_reminders_schedule,
    document_reminders_send,
)
from pregon.organizations.selectors import (
    EvidenceMissing,
    supplier_evidence_check,
    supplier_evidence_missing,
)
from pregon.organizations.services_documents import (
    DocumentData,
    supplier_document_remove,
    supplier_document_upload,
)
from pregon.organizations.services_scale import (
    ScaleData,
    supplier_scale_declare,
    supplier_scale_review,
)
from pregon.publication.mapping import organization_party
from tests import factories
from tests.organizations import evidence
from tests.organizations.evidence import give_evidence, pdf, platform_admin, upload

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)
NOON = dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)  # noon in Santiago


@pytest.fixture(autouse=True)
def today() -> Any:
    with clock.at(NOON):
        yield


@pytest.fixture
def brazilian(db: None) -> Any:
    return factories.SupplierFactory(country="BR", scale="small")


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


# ---------------------------------------------------------------------------------------------
# the scale


def test_the_pack_of_the_country_computes_the_scale_from_the_turnover(brazilian: Any) -> None:
    actor = factories.actor_for(factories.member(brazilian, "supplier_user"), brazilian)

    supplier = supplier_scale_declare(
        actor=actor,
        organization=brazilian,
        data=ScaleData(employees=4, annual_turnover=Decimal("300000.00")),
    )

    supplier.refresh_from_db()
    assert (supplier.scale, supplier.computed_scale, supplier.scale_rule_pack) == (
        "micro",
        "micro",
        "BR@2026.1",
    )
    assert (supplier.employees, supplier.annual_turnover) == (4, Decimal("300000.00"))
    assert (supplier.scale_status, supplier.scale_declared_at) == ("declared", NOON)
    row = AuditEvent.objects.get(action="supplier.scale_declare")
    assert row.summary == {
        "scale": "micro",
        "declared_scale": "",
        "computed_scale": "micro",
        "rule_pack": "BR@2026.1",
        "employees": 4,
        "annual_turnover": "300000.00",
        "scale_status": "declared",
    }


def test_the_computed_scale_overrides_the_declared_one(brazilian: Any) -> None:
    actor = factories.actor_for(factories.member(brazilian, "supplier_user"), brazilian)
    supplier = supplier_scale_declare(
        actor=actor,
        organization=brazilian,
        data=ScaleData(annual_turnover=Decimal("4000000"), declared_scale="micro"),
    )
    assert (supplier.scale, supplier.declared_scale) == ("small", "micro")


def test_where_the_pack_computes_no_scale_the_declaration_stands(supplier: Any) -> None:
    # Chile's pack leaves the size to the supplier's declaration (Ley 20.416 defines it).
    actor = factories.actor_for(factories.member(supplier, "supplier_user"), supplier)
    updated = supplier_scale_declare(
        actor=actor,
        organization=supplier,
        data=ScaleData(employees=12, annual_turnover=Decimal("50000"), declared_scale="medium"),
    )
    assert (updated.scale, updated.computed_scale, updated.scale_rule_pack) == ("medium", "", "")


def test_a_scale_the_figures_do_not_decide_needs_a_declaration(
    refused: Any, brazilian: Any
) -> None:
    actor = factories.actor_for(factories.member(brazilian, "supplier_user"), brazilian)
    error = refused(
        ValidationFailed,
        "scale_undecided",
        supplier_scale_declare,
        actor=actor,
        organization=brazilian,
        data=ScaleData(employees=3),
    )
    assert error.field == "declared_scale"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ScaleData(employees=-1, declared_scale="micro"), "employees"),
        (ScaleData(annual_turnover=Decimal("-5"), declared_scale="micro"), "annual_turnover"),
        (ScaleData(annual_turnover=Decimal("1.001"), declared_scale="micro"), "annual_turnover"),
        (ScaleData(declared_scale="huge"), "declared_scale"),
    ],
)
def test_figures_are_checked(refused: Any, brazilian: Any, data: ScaleData, field: str) -> None:
    actor = factories.actor_for(factories.member(brazilian, "supplier_user"), brazilian)
    error = refused(
        ValidationFailed,
        "validation_failed",
        supplier_scale_declare,
        actor=actor,
        organization=brazilian,
        data=data,
    )
    assert error.field == field


def test_only_the_supplier_s_people_declare_its_scale(
    refused: Any, supplier: Any, official_actor: Actor
) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        supplier_scale_declare,
        actor=official_actor,
        organization=supplier,
        data=ScaleData(declared_scale="micro"),
    )


def test_the_platform_verifies_the_scale_against_its_evidence(
    supplier: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    person = factories.member(supplier, "supplier_user", email="ana@proveedora.example")
    evidence = supplier_document_upload(
        actor=factories.actor_for(person, supplier),
        organization=supplier,
        data=DocumentData(kind="scaleEvidence", upload=pdf("planilla.pdf")),
    )
    supplier.refresh_from_db()
    assert (evidence.kind, evidence.filename, supplier.scale_status) == (
        "scaleEvidence",
        "planilla.pdf",
        "pending",
    )
    admin = platform_admin()

    with django_capture_on_commit_callbacks(execute=True):
        supplier_scale_review(actor=admin, organization=supplier, verified=True)

    supplier.refresh_from_db()
    assert (supplier.scale_status, supplier.scale_reviewed_by, supplier.scale_reviewed_at) == (
        "verified",
        admin.user,
        NOON,
    )
    assert actions()[-2:] == ["supplier_document.upload", "supplier.scale_verify"]
    [message] = mailoutbox
    assert message.to == ["ana@proveedora.example"]
    assert "Your scale is verified" in message.subject
    assert "Small enterprise" in message.body


def test_a_new_declaration_must_be_verified_again(supplier: Any) -> None:
    give_evidence(supplier)
    assert supplier.scale_status == "verified"
    person = factories.actor_for(factories.member(supplier, "supplier_user"), supplier)
    supplier_scale_declare(
        actor=person, organization=supplier, data=ScaleData(declared_scale="micro")
    )
    supplier.refresh_from_db()
    assert (supplier.scale, supplier.scale_status, supplier.scale_reviewed_at) == (
        "micro",
        "pending",
        None,
    )


def test_a_rejection_says_why(refused: Any, supplier: Any) -> None:
    upload(supplier, "scaleEvidence", None)
    admin = platform_admin()
    refused(
        ValidationFailed,
        "validation_failed",
        supplier_scale_review,
        actor=admin,
        organization=supplier,
        verified=False,
    )
    supplier_scale_review(
        actor=admin, organization=supplier, verified=False, note="La planilla es de 2019."
    )
    supplier.refresh_from_db()
    assert (supplier.scale_status, supplier.scale_review_note) == (
        "rejected",
        "La planilla es de 2019.",
    )
    [missing] = [
        item for item in supplier_evidence_missing(organization=supplier) if item.kind == "scale"
    ]
    assert missing.reason == "the evidence was not accepted: La planilla es de 2019."


def test_only_a_platform_administrator_reviews_a_pending_scale(
    refused: Any, supplier: Any, official_actor: Actor
) -> None:
    # A buyer's official does not decide, for every buyer, the scale of its own bidders.
    upload(supplier, "scaleEvidence", None)
    refused(
        PermissionDenied,
        "permission_denied",
        supplier_scale_review,
        actor=official_actor,
        organization=supplier,
        verified=True,
    )
    other = factories.SupplierFactory()
    refused(
        InvalidTransition,
        "scale_not_pending",
        supplier_scale_review,
        actor=platform_admin(),
        organization=other,
        verified=True,
    )


# ---------------------------------------------------------------------------------------------
# legal form and characteristics in the published data


def test_the_party_carries_scale_legal_form_and_characteristics() -> None:
    supplier = factories.SupplierFactory(
        scale="micro", is_cooperative=True, women_owned=True, indigenous_owned=True
    )
    assert organization_party(supplier)["details"] == {
        "scale": "micro",
        "legalForm": "cooperative",
        "characteristics": ["womenOwned", "indigenousOwned"],
    }
    plain = factories.SupplierFactory(scale="large", legal_form="association")
    assert organization_party(plain)["details"] == {"scale": "large", "legalForm": "association"}
    assert "details" not in organization_party(factories.BuyerFactory())


# ---------------------------------------------------------------------------------------------
# documents held once


def test_a_new_document_replaces_the_one_held_of_its_kind(
    supplier: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = upload(supplier, "tax", TODAY + dt.timedelta(days=60))
    with django_capture_on_commit_callbacks(execute=True):
        second = supplier_document_upload(
            actor=factories.actor_for(factories.member(supplier, "supplier_user"), supplier),
            organization=supplier,
            data=DocumentData(
                kind="tax",
                upload=pdf("tributario-2027.pdf"),
                expires_on=TODAY + dt.timedelta(days=90),
                issued_on=TODAY,
            ),
        )
    first.refresh_from_db()
    assert first.removed_at == NOON
    assert (second.removed_at, second.filename, second.size) == (
        None,
        "tributario-2027.pdf",
        len(evidence.PDF),
    )
    assert second.file.read().startswith(b"%PDF-1.7")
    assert SupplierDocument.objects.filter(organization=supplier, removed_at=None).count() == 1
    row = AuditEvent.objects.filter(action="supplier_document.upload").order_by("pk").last()
    assert row is not None
    assert row.summary == {
        "document_kind": "tax",
        "filename": "tributario-2027.pdf",
        "expires_on": "2027-03-07",
    }
    # One reminder task per threshold, each for the day it is reached.
    runs = sorted(
        DBTaskResult.objects.filter(
            task_path="pregon.organizations.tasks.remind_document"
        ).values_list("run_after", flat=True)
    )
    assert runs == [
        dt.datetime(2027, 2, 5, tzinfo=dt.UTC),
        dt.datetime(2027, 2, 28, tzinfo=dt.UTC),
    ]


@pytest.mark.parametrize(
    ("kind", "name", "content", "expires_on", "field", "code"),
    [
        ("tax", "tributario.pdf", b"MZ\x90\x00 not a pdf", TODAY, "file", "file_content_mismatch"),
        ("tax", "tributario.exe", b"%PDF-1.7", TODAY, "file", "file_type_not_allowed"),
        ("tax", "tributario.pdf", b"", TODAY, "file", "empty_file"),
        ("tax", "tributario.pdf", b"%PDF-1.7", None, "expires_on", "validation_failed"),
        (
            "tax",
            "tributario.pdf",
            b"%PDF-1.7",
            TODAY - dt.timedelta(days=1),
            "expires_on",
            "document_expired",
        ),
        ("passport", "p.pdf", b"%PDF-1.7", None, "kind", "validation_failed"),
    ],
)
def test_uploads_are_bounded_and_type_checked(
    refused: Any,
    supplier: Any,
    kind: str,
    name: str,
    content: bytes,
    expires_on: dt.date | None,
    field: str,
    code: str,
) -> None:
    error = refused(
        ValidationFailed,
        code,
        supplier_document_upload,
        actor=factories.actor_for(factories.member(supplier, "supplier_user"), supplier),
        organization=supplier,
        data=DocumentData(kind=kind, upload=pdf(name, content), expires_on=expires_on),
    )
    assert error.field == field


def test_a_document_too_large_is_refused(refused: Any, supplier: Any, settings: Any) -> None:
    settings.PREGON_MAX_UPLOAD_BYTES = 20
    refused(
        ValidationFailed,
        "file_too_large",
        supplier_document_upload,
        actor=factories.actor_for(factories.member(supplier, "supplier_user"), supplier),
        organization=supplier,
        data=DocumentData(kind="legal", upload=pdf()),
    )


def test_another_organization_cannot_upload_or_remove(
    refused: Any, supplier: Any, official_actor: Actor
) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        supplier_document_upload,
        actor=official_actor,
        organization=supplier,
        data=DocumentData(kind="legal", upload=pdf()),
    )
    document = upload(supplier, "legal", None)
    refused(
        PermissionDenied,
        "permission_denied",
        supplier_document_remove,
        actor=official_actor,
        document=document,
    )


def test_removing_the_evidence_of_size_undoes_its_verification(supplier: Any) -> None:
    give_evidence(supplier)
    evidence = SupplierDocument.objects.get(kind="scaleEvidence", removed_at=None)
    person = factories.actor_for(factories.member(supplier, "supplier_user"), supplier)
    supplier_document_remove(actor=person, document=evidence)
    supplier.refresh_from_db()
    assert supplier.scale_status == "declared"
    with pytest.raises(InvalidTransition):
        supplier_document_remove(actor=person, document=evidence)


# ---------------------------------------------------------------------------------------------
# the evidence asked of a winner


def test_what_a_winner_must_still_give(supplier: Any) -> None:
    upload(supplier, "legal", None)
    upload(supplier, "tax", TODAY + dt.timedelta(days=3))
    missing = supplier_evidence_missing(organization=supplier)
    assert [(item.kind, item.reason) for item in missing] == [
        ("socialSecurity", "not uploaded"),
        ("scale", "no evidence of size uploaded"),
    ]
    # Four days on, the tax certificate has expired too.
    later = supplier_evidence_missing(organization=supplier, on=TODAY + dt.timedelta(days=4))
    assert [(item.kind, item.reason) for item in later] == [
        ("tax", "expired on 2026-12-10"),
        ("socialSecurity", "not uploaded"),
        ("scale", "no evidence of size uploaded"),
    ]
    with pytest.raises(EvidenceMissing) as info:
        supplier_evidence_check(organization=supplier)
    assert info.value.as_problem()["missing"] == [
        {
            "kind": "socialSecurity",
            "label": "Social security compliance certificate",
            "reason": "not uploaded",
        },
        {"kind": "scale", "label": "Verified scale", "reason": "no evidence of size uploaded"},
    ]


def test_complete_evidence_passes(supplier: Any) -> None:
    give_evidence(supplier)
    assert supplier_evidence_missing(organization=supplier) == []
    supplier_evidence_check(organization=supplier)


# ---------------------------------------------------------------------------------------------
# reminders before a document expires


def test_one_reminder_per_document_and_threshold(supplier: Any, mailoutbox: list[Any]) -> None:
    factories.member(supplier, "supplier_user", email="ana@proveedora.example", language="es")
    document = upload(supplier, "socialSecurity", TODAY + dt.timedelta(days=20))
    upload(supplier, "tax", TODAY + dt.timedelta(days=200))  # not due

    assert document_reminders_schedule(today=TODAY) == 1
    assert document_reminders_schedule(today=TODAY) == 0
    assert document_reminders_send() == 3  # Ana and the two who uploaded
    assert document_reminders_send() == 0
    assert {message.to[0] for message in mailoutbox} >= {"ana@proveedora.example"}
    spanish = next(m for m in mailoutbox if m.to == ["ana@proveedora.example"])
    assert "vence" in spanish.subject or "expira" in spanish.subject

    # 13 days on: 7 days left, the second threshold; its reminder once, the first not again.
    assert document_reminders_schedule(today=TODAY + dt.timedelta(days=13)) == 1
    assert document_reminders_schedule(today=TODAY + dt.timedelta(days=14)) == 0
    assert sorted(
        DocumentReminder.objects.filter(document=document).values_list("days_before", flat=True)
    ) == [7, 30]


def test_a_document_uploaded_late_gets_only_the_nearest_reminder(supplier: Any) -> None:
    document = upload(supplier, "tax", TODAY + dt.timedelta(days=5))
    assert document_remind(document_id=document.pk) == 1
    assert document_remind(document_id=document.pk) == 0
    assert list(DocumentReminder.objects.values_list("days_before", flat=True)) == [7]


def test_a_replaced_document_is_not_reminded(supplier: Any, mailoutbox: list[Any]) -> None:
    upload(supplier, "tax", TODAY + dt.timedelta(days=20))
    document_reminders_schedule(today=TODAY)
    upload(supplier, "tax", TODAY + dt.timedelta(days=300))
    assert document_reminders_send() == 0
    assert mailoutbox == []
