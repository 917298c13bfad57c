"""Reads of the alerts: an owner's subscriptions and webhooks (another's are not found), a
webhook's delivery log, the tenders a person follows, and the subscription a supplier's
profile proposes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pregon.accounts.models import User
from pregon.alerts.choices import Channel, DeliveryStatus, Frequency
from pregon.alerts.models import (
    Delivery,
    DeliveryAttempt,
    Subscription,
    TenderFollow,
    WebhookEndpoint,
)
from pregon.alerts.owners import Owner
from pregon.core.errors import NotFound
from pregon.organizations.models import Organization
from pregon.tenders.models import Tender

#: How many attempts a webhook's log page shows.
LOG_ENTRIES = 100


def subscriptions_of(owner: Owner) -> QuerySet[Subscription]:
    """An owner's subscriptions, by name."""
    return (
        Subscription.objects.filter(owner.condition)
        .select_related("webhook")
        .order_by("name", "pk")
    )


def subscription_of(owner: Owner, pk: int) -> Subscription:
    """One of an owner's subscriptions; NotFound for anyone else's."""
    subscription = subscriptions_of(owner).filter(pk=pk).first()
    if subscription is None:
        raise NotFound(_("This subscription does not exist."))
    return subscription


def webhooks_of(owner: Owner) -> QuerySet[WebhookEndpoint]:
    """An owner's webhooks, oldest first, with how many notices each had and how many failed."""

    # Counted in subqueries by webhook, which its deliveries' index serves.
    def count(condition: Q) -> Subquery:
        rows = (
            Delivery.objects.filter(condition, webhook=OuterRef("pk"))
            .order_by()
            .values("webhook")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Subquery(rows, output_field=IntegerField())

    return (
        WebhookEndpoint.objects.filter(owner.condition)
        .annotate(
            delivered=Coalesce(count(Q(status=DeliveryStatus.SENT)), 0),
            failing=Coalesce(
                count(
                    Q(status=DeliveryStatus.FAILED)
                    | Q(status=DeliveryStatus.PENDING, attempts__gt=0)
                ),
                0,
            ),
        )
        .order_by("created_at", "pk")
    )


def webhook_of(owner: Owner, pk: int) -> WebhookEndpoint:
    """One of an owner's webhooks; NotFound for anyone else's."""
    endpoint = WebhookEndpoint.objects.filter(owner.condition, pk=pk).first()
    if endpoint is None:
        raise NotFound(_("This webhook does not exist."))
    return endpoint


def webhook_deliveries(endpoint: WebhookEndpoint) -> QuerySet[Delivery]:
    """A webhook's deliveries, newest first: what was (or will be) sent and how it went."""
    return (
        Delivery.objects.filter(webhook=endpoint, channel=Channel.WEBHOOK)
        .select_related("subscription")
        .order_by("-created_at", "-pk")
    )


def webhook_attempts(endpoint: WebhookEndpoint) -> QuerySet[DeliveryAttempt]:
    """The latest attempts to reach a webhook, newest first (the delivery log)."""
    return (
        DeliveryAttempt.objects.filter(delivery__webhook=endpoint)
        .select_related("delivery")
        .order_by("-attempted_at", "-pk")[:LOG_ENTRIES]
    )


def followed_tenders_of(user: User) -> QuerySet[TenderFollow]:
    """The tenders a person follows, the latest first."""
    return (
        TenderFollow.objects.filter(user=user, active=True)
        .select_related("tender__buyer")
        .order_by("tender__submission_deadline", "pk")
    )


def is_following(user: User, tender: Tender) -> bool:
    """Whether a person follows a tender."""
    return TenderFollow.objects.filter(user=user, tender=tender, active=True).exists()


@dataclass(frozen=True, kw_only=True)
class Proposal:
    """A subscription a supplier's profile suggests, as the subscription form's values."""

    initial: dict[str, object] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def is_useful(self) -> bool:
        return bool(self.reasons)


def profile_proposal(*, user: User, organization: Organization | None) -> Proposal:
    """What a supplier's profile proposes to follow: the tenders of buyers of its region.

    The profile declares no classification codes or products (only a free description), so
    the region is what it says of the tenders that fit; the rest is for the supplier to add.
    "Reserved for my scale" is left unticked: no tender is published as reserved yet, and it
    would hide every other one.
    """
    language = user.language or (get_language() or settings.LANGUAGE_CODE)
    initial: dict[str, object] = {
        "frequency": Frequency.DAILY,
        "language": language,
        "name": _("Opportunities for %(name)s") % {"name": organization}
        if organization is not None
        else _("My opportunities"),
    }
    reasons = []
    if organization is not None and organization.region:
        initial["regions"] = organization.region
        reasons.append(
            _("Tenders of buyers in %(region)s, where your business is.")
            % {"region": organization.region}
        )
    return Proposal(initial=initial, reasons=reasons)
