"""What this instance has published as OCDS: releases (append-only), records, and the feed order.

A release is stored once, as the exact JSON text the API and the bulk files serve, and never
changed: the public truth is superseded by newer releases, not edited. Its canonical bytes
(RFC 8785) are a leaf of the transparency log, so an edit made behind the application's back
is caught by anyone who checks the log.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregon.core.append_only import AppendOnlyModel


class Release(AppendOnlyModel):
    """One OCDS release, as published, never changed nor removed.

    `seq` is the release's position in the changes feed. It is taken under a lock held until
    the publishing transaction commits, so releases become visible in `seq` order: a reader
    that has seen `seq` n has seen everything before it (see `services._next_sequence`).
    """

    append_only_message = "Published releases are append-only."

    seq = models.BigIntegerField(_("position in the changes feed"), unique=True)
    release_id = models.CharField(_("release id"), max_length=200, unique=True)
    ocid = models.CharField(_("open contracting id"), max_length=100)
    date = models.DateTimeField(_("release date"), db_index=True)
    tag = models.JSONField(_("tags"))
    # The JSON text exactly as served; its RFC 8785 canonical form is the logged leaf.
    data = models.TextField(_("release (JSON)"))
    sha256 = models.CharField(_("SHA-256 of the canonical bytes"), max_length=64)
    leaf_index = models.BigIntegerField(_("transparency log leaf"))
    # When this instance stored it, by the wall clock: the release `date` follows the platform
    # clock, which the demo sets to past moments; HTTP caching needs the real time.
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["seq"]
        indexes = [models.Index(fields=["ocid", "seq"])]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gte=1), name="release_seq_positive"),
            models.CheckConstraint(condition=Q(leaf_index__gte=0), name="release_leaf_index"),
        ]

    def __str__(self) -> str:
        return self.release_id

    @property
    def as_dict(self) -> dict[str, Any]:
        """The release parsed from its stored JSON."""
        value: dict[str, Any] = orjson.loads(self.data)
        return value


class Record(models.Model):
    """The current state of one contracting process: its compiled and versioned releases.

    Updated incrementally with each new release of the `ocid` (never recompiled from scratch).
    """

    ocid = models.CharField(_("open contracting id"), max_length=100, unique=True)
    compiled = models.JSONField(_("compiled release"))
    versioned = models.JSONField(_("versioned release"))
    release_count = models.PositiveIntegerField(_("releases"))
    last_seq = models.BigIntegerField(_("feed position of the latest release"))
    date = models.DateTimeField(_("latest release date"))
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["ocid"]
        indexes = [models.Index(fields=["last_seq"])]

    def __str__(self) -> str:
        return self.ocid


class FeedSequence(models.Model):
    """The one row whose lock orders publication commits (see `Release.seq`)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("feed sequence")
        verbose_name_plural = _("feed sequences")

    def __str__(self) -> str:
        return str(self.value)


class BulkState(models.Model):
    """The one row that debounces bulk-file regeneration: at most one run is pending."""

    pending = models.BooleanField(default=False)
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bulk files state")
        verbose_name_plural = _("bulk files states")

    def __str__(self) -> str:
        return "pending" if self.pending else "idle"
