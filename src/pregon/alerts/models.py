"""Alerts: who follows what, the index that finds them, and every notice sent.

A `Subscription` belongs to a person (signed in), to an organization (through its API key), or
to nobody but an e-mail address confirmed by a signed link. Its criteria are kept as entered
and, for matching, as a precomputed `spec` and `SubscriptionKey` rows: the index from
classification prefixes, keyword stems, regions and buyers to subscriptions (see
`matching.py`). A `Delivery` is one notice of one release to one subscription on one
channel, unique, so a retry or a restarted worker never sends it twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregon.alerts.choices import (
    Channel,
    DeliveryStatus,
    Event,
    Frequency,
    NoticeKind,
    SubscriptionStatus,
)
from pregon.core import clock

_OWNED = Q(user__isnull=True) | Q(organization__isnull=True)
#: The namespace of the deliveries' public ids (UUID version 5).
DELIVERY_NAMESPACE = uuid.UUID("7d3f3c1e-52a4-4b8e-9c1c-5f1f0d6a9e21")


class WebhookEndpoint(models.Model):
    """An address that receives signed JSON notices, owned by a person or an organization.

    The secret signs every payload (HMAC-SHA256); it is shown to the owner when the endpoint is
    registered or its secret replaced, and kept here to sign.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("secret"), max_length=100)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    secret_rotated_at = models.DateTimeField(_("secret replaced"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organization__isnull=True)
                | Q(user__isnull=True, organization__isnull=False),
                name="webhook_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.url


class Subscription(models.Model):
    """What one subscriber follows, and how they hear of it.

    Its life, as `choices.TRANSITIONS` writes it::

                   confirm (the signed link)
        ┌─────────┐            ┌──────────┐ unsubscribe (the signed link)  ┌──────────────┐
        │ pending ├───────────▶│  active  ├───────────────────────────────▶│ unsubscribed │
        └────┬────┘            └──────────┘                                └──────────────┘
             └──────────────────────── unsubscribe ─────────────────────────────▲

    A subscription starts active when its e-mail address is already known to be its owner's
    (a signed-in person's own address) or when it has none (webhook only); otherwise pending
    until the address is confirmed. Only active subscriptions have index keys, so only they
    are matched. Its owner edits it (pending or active) and deletes it at any time.

    Criteria: a process fits when it has one of the `codes` (a group finds its descendants),
    one of the `keywords` (every word of it, stemmed), one of the `regions` and one of the
    `buyers`, for each list that is not empty, its estimated value within the range, and, with
    `reserved_msme`, is reserved for micro, small and medium enterprises.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(_("language of the e-mails"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
    )
    frequency = models.CharField(
        _("e-mails"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    webhook = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook"),
        null=True,
        blank=True,
        # An endpoint in use is not deleted (the service says which subscriptions use it).
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    # As entered: [{"scheme": "CPV", "code": "45210000"}], ["hospital"], ["Maule"], [party ids].
    codes = models.JSONField(_("classification codes"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    buyers = models.JSONField(_("buyers"), default=list, blank=True)
    value_min = models.DecimalField(
        _("least estimated value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    value_max = models.DecimalField(
        _("greatest estimated value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    reserved_msme = models.BooleanField(_("only tenders reserved for my scale"), default=False)
    # The criteria as the matcher reads them (folded, stemmed): `matching.MatchSpec.as_json`.
    spec = models.JSONField(_("criteria as matched"), default=dict, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["email", "status"])]
        constraints = [
            models.CheckConstraint(condition=_OWNED, name="subscription_at_most_one_owner"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(organization__isnull=False) | ~Q(email=""),
                name="subscription_has_owner_or_email",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubscriptionStatus.values), name="subscription_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="subscription_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(value_min__isnull=True)
                | Q(value_max__isnull=True)
                | Q(value_min__lte=F("value_max")),
                name="subscription_value_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == SubscriptionStatus.ACTIVE


class SubscriptionKey(models.Model):
    """One entry of the matching index: a key a published process may have, and an active
    subscription it may fit (see `matching.subscription_keys`).

    Only active subscriptions have keys (`services.subscriptions.subscription_index` keeps it
    so), and each key carries what matching needs without reading the subscription: whether
    the key alone proves the fit (`exact`), the subscription's value range, and its channels
    (`frequency`, `webhook`) for the deliveries.
    """

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(_("key"), max_length=400)
    exact = models.BooleanField(_("decides alone"), default=False)
    value_min = models.DecimalField(
        _("least estimated value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    value_max = models.DecimalField(
        _("greatest estimated value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    frequency = models.CharField(_("e-mails"), max_length=16, choices=Frequency.choices)
    webhook = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        # Never looked up by webhook (one in use is never deleted): no index to maintain.
        db_index=False,
    )

    class Meta:
        verbose_name = _("subscription index key")
        verbose_name_plural = _("subscription index keys")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "key"], name="subscription_key_once")
        ]
        # Covering: matching reads every column it needs from the index alone (one probe per
        # key of the process, no visit to the table).
        indexes = [
            models.Index(
                fields=[
                    "key",
                    "value_min",
                    "value_max",
                    "subscription",
                    "exact",
                    "frequency",
                    "webhook",
                ],
                name="subscription_key_lookup",
            )
        ]

    def __str__(self) -> str:
        return self.key


class Delivery(models.Model):
    """One notice of one release to one subscription on one channel.

    Created in the publishing transaction, at most once (the unique constraint). A worker
    claims it (`sending`) before it sends and marks it `sent` after, so a retried task skips
    it; a claim left by a worker that died is taken over after `PREGON_ALERTS_CLAIM_TIMEOUT`
    seconds. `public_id` is its public id (the webhook's `X-Pregon-Delivery`, the e-mail's
    Message-ID), by which a receiver recognizes the one repeat that a worker killed between
    sending and marking can cause.

    Matching writes a row per match in the publishing transaction (`services.matching`, in
    raw SQL), so the table has the fewest indexes the senders need, each filled in order of
    arrival: the unique constraint (release first), the due ones (status, next attempt) and a
    webhook's log (webhook deliveries only). An index by subscription, filled in random order,
    would make every commit write a page per match: deleting a subscription (rare) scans the
    deliveries instead, and the senders read them by release, status or webhook.
    """

    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    webhook = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        # The partial index `delivery_webhook_log` (webhook first) serves it.
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    # Not indexed: the deliveries of a process are found by its releases' ids (the unique
    # index), which publication lists by ocid.
    ocid = models.CharField(_("open contracting id"), max_length=100)
    release_id = models.CharField(_("release id"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                # Release first: the sender reads a release's deliveries by it.
                fields=["release_id", "subscription", "channel"],
                name="delivery_once",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="delivery_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.WEBHOOK) | Q(webhook__isnull=False),
                name="delivery_webhook_has_endpoint",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # The delivery log of a webhook; e-mail deliveries (most of them) stay out of it.
            models.Index(
                fields=["webhook", "created_at"],
                condition=Q(webhook__isnull=False),
                name="delivery_webhook_log",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.release_id} → {self.subscription_id} ({self.channel})"

    @property
    def public_id(self) -> str:
        """Its id for receivers: a UUID derived from what makes it unique, so it is the same on
        every attempt and never needs storing."""
        return str(
            uuid.uuid5(
                DELIVERY_NAMESPACE, f"{self.subscription_id}/{self.channel}/{self.release_id}"
            )
        )


class DeliveryAttempt(models.Model):
    """One try to send a delivery: the webhook delivery log its owner reads."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    attempted_at = models.DateTimeField(_("when"), default=timezone.now)
    succeeded = models.BooleanField(_("succeeded"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class TenderFollow(models.Model):
    """A person follows a tender (its page's button): reminded before the deadline and told of
    amendments. `active` False records that they asked for no more of its reminders (the
    e-mail's unsubscribe link), which also silences the reminders they get as askers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="followed_tenders",
    )
    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("tender"),
        on_delete=models.CASCADE,
        related_name="followers",
    )
    active = models.BooleanField(_("following"), default=True)
    created_at = models.DateTimeField(_("since"), default=clock.now)

    class Meta:
        verbose_name = _("followed tender")
        verbose_name_plural = _("followed tenders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tender"], name="tender_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.tender_id}"


class TenderNotice(models.Model):
    """One reminder or amendment notice to one person about one tender, sent at most once.

    `key` tells notices of one kind apart: the deadline it reminds of (a new deadline after an
    amendment is a new reminder), or the release that amended or cancelled the tender.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="tender_notices",
    )
    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("tender"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    key = models.CharField(_("key"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("tender notice")
        verbose_name_plural = _("tender notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "tender", "kind", "key"], name="tender_notice_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="tender_notice_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="tender_notice_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.tender_id} → {self.user_id}"


class DeliverySchedule(models.Model):
    """The one row that debounces the sending task: at most one is pending.

    Matching marks it in the publishing transaction and enqueues the task (after commit) only
    when it was not marked already; the task unmarks it before it reads what is due. A burst
    of publications thus causes one task, not one per release, and nothing is missed: a
    release committed after the task's read marks it again. A mark older than
    `PREGON_ALERTS_CLAIM_TIMEOUT` seconds (a worker that died) is taken over.
    """

    pending = models.BooleanField(default=False)
    requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery schedule")
        verbose_name_plural = _("delivery schedules")

    def __str__(self) -> str:
        return "pending" if self.pending else "idle"
