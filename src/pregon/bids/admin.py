"""Sealed bids in the admin, read-only: every change goes through the bid services, with their
deadline, log leaf and audit row. Before the opening the admin does not name a bid's supplier
either (nor who submitted it): administrators run the platform, they do not judge tenders."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pregon.bids.choices import OpeningStatus
from pregon.bids.models import Bid, BidDocument, BidUpload, Opening, ShareHandIn
from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline


def _opened(bid: Bid) -> bool:
    opening = getattr(bid.tender, "opening", None)
    return opening is not None and opening.status == OpeningStatus.OPENED


class BidDocumentInline(ReadOnlyTabularInline):
    model = BidDocument
    fields = ("doc_id", "size", "sha256")
    readonly_fields = fields
    show_change_link = False


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    list_display = ("commitment", "tender", "status", "received_at", "leaf_index", "bidder")
    list_filter = ("status",)
    search_fields = ("commitment", "tender__ocid")
    fields = (
        "id",
        "tender",
        "bidder",
        "status",
        "commitment",
        "leaf_index",
        "received_at",
        "receipt",
        "replaces",
        "withdrawn_at",
        "withdraw_leaf_index",
        "withdraw_receipt",
    )
    readonly_fields = fields
    inlines = (BidDocumentInline,)

    @admin.display(description=_("supplier"))
    def bidder(self, bid: Bid) -> str:
        """The supplier, once the tender's bids are opened; sealed before."""
        return str(bid.supplier) if _opened(bid) else str(_("sealed until the opening"))


@admin.register(BidUpload)
class BidUploadAdmin(ReadOnlyAdmin):
    list_display = ("id", "tender", "size", "received", "completed_at", "created_at")
    fields = ("id", "tender", "size", "sha256", "received", "completed_at", "created_at")
    readonly_fields = fields


class ShareHandInInline(ReadOnlyTabularInline):
    model = ShareHandIn
    fields = ("bid", "member", "declaration", "handed_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Opening)
class OpeningAdmin(ReadOnlyAdmin):
    list_display = ("tender", "status", "started_at", "opened_at", "leaf_index")
    list_filter = ("status",)
    fields = ("tender", "status", "started_at", "opened_at", "leaf_index", "record")
    readonly_fields = fields
    inlines = (ShareHandInInline,)
