"""Evaluations in the admin, read-only: every change goes through the evaluation services,
with their locks, checks, audit rows and publication."""

from __future__ import annotations

from django.contrib import admin

from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline
from pregon.evaluation.models import BidAssessment, Evaluation


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
