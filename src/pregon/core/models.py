"""The audit log: one row for every official action, never edited nor deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core import clock
from pregon.core.append_only import AppendOnlyModel
from pregon.core.choices import Channel


class AuditEvent(AppendOnlyModel):
    """Who did what, to which object, for which organization, when and from where."""

    append_only_message = "The audit log is append-only."

    created_at = models.DateTimeField(_("when"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        # People are deactivated, never deleted: deleting one would rewrite their rows here.
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text as well: the trail names the person exactly as they were when they acted.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300)
    summary = models.JSONField(_("summary of the change"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    def append_only_row_exists(self) -> bool:
        # The database numbers the trail: an event that carries a number is, or would pose
        # as, one already recorded.
        return self.pk is not None
