"""Subcontracting in the admin, read-only: every change goes through the services, with their
locks, checks, audit rows and publication."""

from __future__ import annotations

from django.contrib import admin

from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline
from pregon.subcontracting.models import Answer, Subcontract, SubcontractPayment, SubOpportunity


class AnswerInline(ReadOnlyTabularInline):
    model = Answer
    fields = ("organization", "price", "currency", "scale", "status", "submitted_at")
    readonly_fields = fields
    show_change_link = False


class PaymentInline(ReadOnlyTabularInline):
    model = SubcontractPayment
    fields = ("number", "amount", "currency", "paid_on")
    readonly_fields = fields
    show_change_link = False


@admin.register(SubOpportunity)
class SubOpportunityAdmin(ReadOnlyAdmin):
    list_display = ("pk", "title", "organization", "tender", "contract", "reserved", "status")
    list_filter = ("status", "reserved")
    search_fields = ("title", "organization__legal_name")
    inlines = (AnswerInline,)


@admin.register(Subcontract)
class SubcontractAdmin(ReadOnlyAdmin):
    list_display = ("pk", "contract", "number", "subcontractor", "value", "scale", "paid_amount")
    list_filter = ("scale",)
    search_fields = ("subcontractor__legal_name", "contract__title")
    inlines = (PaymentInline,)
