"""Every change of the alerts: one function each (subscriptions, webhooks and followed tenders
in `subscriptions`, matching in `matching`, sending in `delivery` and `reminders`)."""

from pregon.alerts.services.delivery import (
    SendResult,
    deliveries_send,
    delivery_send,
    digest_send,
    digests_send,
)
from pregon.alerts.services.matching import MatchResult, alerts_match, alerts_record_observe
from pregon.alerts.services.reminders import (
    deadline_reminders_schedule,
    tender_notice_send,
    tender_notices_send,
)
from pregon.alerts.services.subscriptions import (
    Owner,
    SubscriptionData,
    subscription_confirm,
    subscription_create,
    subscription_delete,
    subscription_index,
    subscription_unsubscribe,
    subscription_update,
    subscriptions_reindex,
    tender_follow,
    tender_unfollow,
    tender_unfollow_by_link,
    webhook_create,
    webhook_delete,
    webhook_rotate,
)

__all__ = [
    "MatchResult",
    "Owner",
    "SendResult",
    "SubscriptionData",
    "alerts_match",
    "alerts_record_observe",
    "deadline_reminders_schedule",
    "deliveries_send",
    "delivery_send",
    "digest_send",
    "digests_send",
    "subscription_confirm",
    "subscription_create",
    "subscription_delete",
    "subscription_index",
    "subscription_unsubscribe",
    "subscription_update",
    "subscriptions_reindex",
    "tender_follow",
    "tender_notice_send",
    "tender_notices_send",
    "tender_unfollow",
    "tender_unfollow_by_link",
    "webhook_create",
    "webhook_delete",
    "webhook_rotate",
]
