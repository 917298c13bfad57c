"""Contracts in the admin, read-only: every change goes through the contract services, with
their locks, checks, audit rows and publication."""

from __future__ import annotations

from django.contrib import admin

from pregon.contracts.models import Contract, Invoice, Milestone, Payment
from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline


class MilestoneInline(ReadOnlyTabularInline):
    model = Milestone
    fields = ("number", "title", "due_date", "status", "date_met")
    readonly_fields = fields
    show_change_link = False


class InvoiceInline(ReadOnlyTabularInline):
    model = Invoice
    fields = ("number", "reference", "amount", "received_on", "due_on", "status", "paid_on")
    readonly_fields = fields
    show_change_link = False


class PaymentInline(ReadOnlyTabularInline):
    model = Payment
    fields = ("number", "invoice", "amount", "paid_on")
    readonly_fields = fields
    show_change_link = False


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("pk", "tender", "supplier", "value", "currency", "status", "buyer_signed_at")
    list_filter = ("status",)
    search_fields = ("tender__ocid", "title")
    inlines = (MilestoneInline, InvoiceInline, PaymentInline)
