"""Evaluations in the admin, read-only: every change goes through the evaluation services,
with their locks, checks, audit rows and publication."""

from __future__ import annotations

from django.contrib import admin

from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline
from pregon.evaluation.models import Award, AwardNotice, BidAssessment, Complaint, Evaluation


class BidAssessmentInline(ReadOnlyTabularInline):
    model = BidAssessment
    fields = ("bid", "supplier", "price", "compliance", "reason", "total_points", "rank")
    readonly_fields = fields
    show_change_link = False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("tender", "lot", "status", "started_at", "completed_at")
    list_filter = ("status",)
    search_fields = ("tender__ocid",)
    inlines = (BidAssessmentInline,)


class ComplaintInline(ReadOnlyTabularInline):
    model = Complaint
    fields = ("complainant", "status", "submitted_at", "decided_at", "resolution")
    readonly_fields = fields
    show_change_link = False


class AwardNoticeInline(ReadOnlyTabularInline):
    model = AwardNotice
    fields = ("organization", "kind", "created_at", "read_at", "emailed_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("tender", "lot", "status", "supplier", "value_amount", "standstill_ends_at")
    list_filter = ("status",)
    search_fields = ("tender__ocid", "supplier__legal_name")
    inlines = (ComplaintInline, AwardNoticeInline)
