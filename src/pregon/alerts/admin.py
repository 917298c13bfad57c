"""Alerts in the admin, read-only: subscriptions change through their owners' pages, the API
and the e-mails' signed links (the services, with their audit rows); webhooks' secrets are
never shown."""

from __future__ import annotations

from django.contrib import admin

from pregon.alerts.models import (
    Delivery,
    DeliveryAttempt,
    Subscription,
    TenderNotice,
    WebhookEndpoint,
)
from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "organization", "email", "status", "frequency", "created_at")
    list_filter = ("status", "frequency", "language")
    search_fields = ("name", "email", "user__email")
    exclude = ("spec",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("url", "user", "organization", "created_at")
    search_fields = ("url",)
    exclude = ("secret",)


class DeliveryAttemptInline(ReadOnlyTabularInline):
    model = DeliveryAttempt
    fields = ("attempted_at", "succeeded", "status_code", "error", "duration_ms")
    readonly_fields = fields
    show_change_link = False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("release_id", "subscription", "channel", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("ocid", "release_id")
    inlines = (DeliveryAttemptInline,)


@admin.register(TenderNotice)
class TenderNoticeAdmin(ReadOnlyAdmin):
    list_display = ("tender", "user", "kind", "status", "sent_at")
    list_filter = ("kind", "status")
