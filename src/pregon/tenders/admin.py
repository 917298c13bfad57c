"""Tenders in the admin, read-only: every change of a tender happens in the buyer workspace
or the API, through the tender services, with its state checks and audit rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline
from pregon.tenders.models import (
    Amendment,
    AwardCriterion,
    CommitteeKey,
    CommitteeMember,
    Item,
    Lot,
    Question,
    Tender,
    TenderDocument,
)


def _all_fields(model: Any) -> tuple[str, ...]:
    return tuple(field.name for field in model._meta.fields)


class LotInline(ReadOnlyTabularInline):
    model = Lot
    fields = ("number", "title", "estimated_value")
    readonly_fields = fields


class AwardCriterionInline(ReadOnlyTabularInline):
    model = AwardCriterion
    fields = ("position", "name", "kind", "weight", "description")
    readonly_fields = fields


class DocumentInline(ReadOnlyTabularInline):
    model = TenderDocument
    fields = ("title", "document_type", "filename", "size", "amendment", "uploaded_at")
    readonly_fields = fields


class QuestionInline(ReadOnlyTabularInline):
    model = Question
    fields = ("number", "lot", "asked_at", "answered_at")
    readonly_fields = fields


class AmendmentInline(ReadOnlyTabularInline):
    model = Amendment
    fields = ("number", "reason", "changes_offer", "previous_deadline", "new_deadline")
    readonly_fields = fields


class CommitteeMemberInline(ReadOnlyTabularInline):
    model = CommitteeMember
    fields = ("position", "user", "fingerprint")
    readonly_fields = fields


class ItemInline(ReadOnlyTabularInline):
    model = Item
    fields = ("description", "classification_scheme", "classification_code", "quantity", "unit")
    readonly_fields = fields


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "title",
        "buyer",
        "status",
        "method",
        "category",
        "estimated_value",
        "currency",
        "submission_deadline",
        "published_at",
    )
    list_filter = ("status", "method", "category", "language", "currency", "buyer__country")
    search_fields = ("reference", "title", "ocid", "buyer__legal_name", "buyer__name")
    date_hierarchy = "submission_deadline"
    list_select_related = ("buyer",)
    readonly_fields = _all_fields(Tender)
    inlines = (
        AwardCriterionInline,
        LotInline,
        CommitteeMemberInline,
        DocumentInline,
        QuestionInline,
        AmendmentInline,
    )


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ("tender", "number", "title", "estimated_value")
    search_fields = ("title", "tender__reference", "tender__title")
    list_select_related = ("tender",)
    readonly_fields = _all_fields(Lot)
    inlines = (ItemInline,)


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = (
        "description",
        "lot",
        "classification_scheme",
        "classification_code",
        "quantity",
        "unit",
    )
    list_filter = ("classification_scheme",)
    search_fields = ("description", "classification_code", "lot__tender__reference")
    list_select_related = ("lot", "lot__tender")
    readonly_fields = _all_fields(Item)


@admin.register(TenderDocument)
class TenderDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "tender", "document_type", "filename", "size", "uploaded_at")
    list_filter = ("document_type", "content_type")
    search_fields = ("title", "filename", "sha256", "tender__reference")
    list_select_related = ("tender",)
    readonly_fields = _all_fields(TenderDocument)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("tender", "number", "asked_for", "asked_at", "answered_at")
    list_filter = (("answered_at", admin.EmptyFieldListFilter),)
    search_fields = ("text", "answer", "tender__reference")
    list_select_related = ("tender", "asked_for")
    readonly_fields = _all_fields(Question)


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ("tender", "number", "changes_offer", "previous_deadline", "new_deadline")
    list_filter = ("changes_offer",)
    search_fields = ("reason", "tender__reference")
    list_select_related = ("tender",)
    readonly_fields = _all_fields(Amendment)


@admin.register(CommitteeKey)
class CommitteeKeyAdmin(ReadOnlyAdmin):
    """Committee members' opening keys: registered and revoked by the members themselves."""

    list_display = ("fingerprint", "user", "organization", "created_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("fingerprint", "user__email", "user__full_name", "organization__legal_name")
    list_select_related = ("user", "organization")
    # The raw key shows as its fingerprint; the bytes say nothing more to a person.
    fields = ("user", "organization", "fingerprint", "created_at", "revoked_at")
    readonly_fields = fields


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    """Who sits on each tender's opening committee, with the key copied when it was named."""

    list_display = ("tender", "position", "user", "fingerprint")
    search_fields = ("fingerprint", "user__email", "tender__reference")
    list_select_related = ("tender", "user")
    fields = ("tender", "position", "user", "fingerprint")
    readonly_fields = fields
