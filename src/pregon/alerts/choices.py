"""The states of subscriptions and deliveries, their moves, and the labels of the alerts' audit
rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.transitions import Transition


class SubscriptionStatus(models.TextChoices):
    """Where a subscription is. The allowed moves are in `TRANSITIONS`."""

    PENDING = "pending", _("Waiting for the e-mail address to be confirmed")
    ACTIVE = "active", _("Active")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Frequency(models.TextChoices):
    """How a subscription's e-mails are sent."""

    IMMEDIATE = "immediate", _("One e-mail per tender, at once")
    DAILY = "daily", _("A daily digest")
    NONE = "none", _("No e-mail (webhook only)")


class Channel(models.TextChoices):
    """How a notice reaches a subscriber (a Delivery is one notice on one channel)."""

    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class Event(models.TextChoices):
    """What happened to a published process, from its release's tag."""

    PUBLISHED = "published", _("New tender")
    AMENDED = "amended", _("Tender amended")
    CANCELLED = "cancelled", _("Tender cancelled")
    PLANNED = "planned", _("Planned procurement")


#: The release tags that notify subscribers, and the event each announces. Other tags (a
#: question answered, the deadline passed, the bids opened: `tenderUpdate`) notify nobody.
#: A plan line's first release (`planning`) announces a procurement coming soon; its later
#: changes (`planningUpdate`) notify nobody, and the tender that follows it is a new tender.
EVENT_OF_TAG = {
    "tender": Event.PUBLISHED,
    "tenderAmendment": Event.AMENDED,
    "tenderCancellation": Event.CANCELLED,
    "planning": Event.PLANNED,
}
#: The events that also reach the subscriptions told of the process before.
FOLLOW_UP_EVENTS = frozenset({Event.AMENDED, Event.CANCELLED})


class DeliveryStatus(models.TextChoices):
    """Where one notice is: waiting, being sent (claimed by a worker), sent, or given up."""

    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (no more attempts)")


class NoticeKind(models.TextChoices):
    """What a notice to a tender's followers says."""

    DEADLINE = "deadline", _("The deadline is near")
    AMENDMENT = "amendment", _("The tender was amended")
    CANCELLATION = "cancellation", _("The tender was cancelled")


#: The longest lists a subscription may hold (each entry is one index key or more).
MAX_CODES = 50
MAX_KEYWORDS = 30
MAX_REGIONS = 30
MAX_BUYERS = 30
KEYWORD_MAX_LENGTH = 100
REGION_MAX_LENGTH = 200
BUYER_MAX_LENGTH = 200
#: The largest value range bound (as the search's value filter).
VALUE_LIMIT = 10**16

#: The state machine of a subscription (drawn in `models.Subscription`'s docstring).
TRANSITIONS: dict[str, Transition] = {
    "confirm": Transition(
        sources=frozenset({SubscriptionStatus.PENDING}),
        target=SubscriptionStatus.ACTIVE,
        refusal=_("This subscription is %(status)s; there is nothing to confirm."),
        code="not_pending",
    ),
    "edit": Transition(
        sources=frozenset({SubscriptionStatus.PENDING, SubscriptionStatus.ACTIVE}),
        target=None,
        refusal=_("This subscription is %(status)s and can no longer be changed."),
        code="unsubscribed",
    ),
    "unsubscribe": Transition(
        sources=frozenset({SubscriptionStatus.PENDING, SubscriptionStatus.ACTIVE}),
        target=SubscriptionStatus.UNSUBSCRIBED,
        refusal=_("This subscription is %(status)s already."),
        code="unsubscribed",
    ),
}

#: What the alerts' audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "subscription.create": _("Alert subscription created"),
        "subscription.update": _("Alert subscription changed"),
        "subscription.delete": _("Alert subscription deleted"),
        "subscription.confirm": _("Alert subscription confirmed"),
        "subscription.unsubscribe": _("Alert subscription ended by its link"),
        "webhook.create": _("Webhook registered"),
        "webhook.delete": _("Webhook deleted"),
        "webhook.rotate": _("Webhook secret replaced"),
        "tender.follow": _("Tender followed"),
        "tender.unfollow": _("Tender no longer followed"),
    },
    summary_keys={
        "name": _("Name"),
        "email": _("E-mail address"),
        "frequency": _("E-mails"),
        "codes": _("Classification codes"),
        "keywords": _("Keywords"),
        "regions": _("Regions"),
        "buyers": _("Buyers"),
        "value_min": _("Least value"),
        "value_max": _("Greatest value"),
        "reserved_msme": _("Reserved for my scale"),
        "webhook": _("Webhook"),
        # not "url": the summary keys are one vocabulary, and the log's "url" is its address
        "webhook_url": _("Address"),
        "tender": _("Tender"),
    },
    summary_choices={("alerts.subscription", "frequency"): Frequency},
)
