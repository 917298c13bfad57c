"""The alerts API: `/subscriptions` and `/webhooks`, each owner's own.

The owner is whoever calls: a signed-in person (their session, with its CSRF token for writes)
owns their own subscriptions and webhooks, whatever organizations they belong to; an
organization API key with the scope `alerts:manage` owns the organization's. Another owner's
subscription or webhook is not found (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import AuthenticationError
from ninja.responses import Status

from pregon.accounts.models import User
from pregon.alerts import selectors, services
from pregon.alerts.models import Delivery, Subscription, WebhookEndpoint
from pregon.alerts.owners import Owner
from pregon.alerts.schemas import (
    DeliveryOut,
    SubscriptionIn,
    SubscriptionOut,
    WebhookIn,
    WebhookOut,
    WebhookSecretOut,
)
from pregon.core.actor import Actor
from pregon.core.api_pagination import paginated
from pregon.core.request import client_ip
from pregon.organizations.api_auth import (
    SCOPE_EXTENSION,
    OrganizationApiKey,
    SignedInSession,
    WriteThrottle,
    actor_of,
    public,
)
from pregon.organizations.choices import ApiScope

router = Router(tags=["alerts"])


class SubscriberSession(SignedInSession):
    """A signed-in person acting as themselves (their own subscriptions), whatever
    organizations they belong to."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        if not request.user.is_authenticated and "Authorization" not in request.headers:
            raise AuthenticationError(
                status_code=401,
                message=_("Sign in, or send an organization API key with the scope alerts:manage."),
            )
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = request.user
        if not isinstance(user, User) or not user.is_active:
            return None
        return Actor(user=user, organization=None, channel="api", ip_address=client_ip(request))


def _owner(request: HttpRequest) -> tuple[Actor, Owner]:
    actor = actor_of(request)
    if actor.api_key is not None:
        return actor, Owner(organization=actor.organization)
    return actor, Owner(user=actor.user)


def _auth(errors: tuple[int, ...], *, write: bool) -> dict[str, Any]:
    extra = public(errors=(401, 403, *errors, *((400, 429) if write else ())))["openapi_extra"]
    extra[SCOPE_EXTENSION] = ApiScope.ALERTS_MANAGE.value
    return {
        "auth": [OrganizationApiKey(ApiScope.ALERTS_MANAGE), SubscriberSession()],
        "throttle": [WriteThrottle("PREGON_API_WRITE_RATE")] if write else [],
        "openapi_extra": extra,
    }


# ---------------------------------------------------------------------------------------------
# subscriptions


@router.get(
    "/subscriptions",
    response=list[SubscriptionOut],
    url_name="subscriptions",
    summary="List my subscriptions",
    **_auth((), write=False),
)
@paginated
def subscription_list(request: HttpRequest) -> QuerySet[Subscription]:
    """The caller's subscriptions (a person's own, or the API key's organization's), by name."""
    return selectors.subscriptions_of(_owner(request)[1])


@router.post(
    "/subscriptions",
    response={201: SubscriptionOut},
    url_name="subscription_create",
    summary="Subscribe to alerts",
    **_auth((422,), write=True),
)
def subscription_post(request: HttpRequest, payload: SubscriptionIn) -> Status:
    """Follow classification codes, keywords, regions, buyers, a value range or the tenders
    reserved for MSMEs. An organization's e-mail address starts `pending` until confirmed by
    the link sent to it; webhooks need no confirmation."""
    actor, owner = _owner(request)
    subscription = services.subscription_create(actor=actor, owner=owner, data=payload.to_data())
    return Status(201, SubscriptionOut.model_validate(subscription))


@router.get(
    "/subscriptions/{subscription_id}",
    response=SubscriptionOut,
    url_name="subscription",
    summary="Read one of my subscriptions",
    **_auth((404,), write=False),
)
def subscription_get(request: HttpRequest, subscription_id: int) -> Subscription:
    """One of the caller's subscriptions (another's is not found)."""
    return selectors.subscription_of(_owner(request)[1], subscription_id)


@router.put(
    "/subscriptions/{subscription_id}",
    response=SubscriptionOut,
    url_name="subscription_update",
    summary="Change one of my subscriptions",
    **_auth((404, 409, 422), write=True),
)
def subscription_put(
    request: HttpRequest, subscription_id: int, payload: SubscriptionIn
) -> Subscription:
    """Replace what a subscription follows and how (the whole subscription is sent)."""
    actor, owner = _owner(request)
    subscription = selectors.subscription_of(owner, subscription_id)
    return services.subscription_update(
        actor=actor, owner=owner, subscription=subscription, data=payload.to_data()
    )


@router.delete(
    "/subscriptions/{subscription_id}",
    response={204: None},
    url_name="subscription_delete",
    summary="Delete one of my subscriptions",
    **_auth((404,), write=True),
)
def subscription_remove(request: HttpRequest, subscription_id: int) -> Status:
    """Delete a subscription and its deliveries."""
    actor, owner = _owner(request)
    subscription = selectors.subscription_of(owner, subscription_id)
    services.subscription_delete(actor=actor, subscription=subscription)
    return Status(204, None)


# ---------------------------------------------------------------------------------------------
# webhooks


@router.get(
    "/webhooks",
    response=list[WebhookOut],
    url_name="webhooks",
    summary="List my webhooks",
    **_auth((), write=False),
)
@paginated
def webhook_list(request: HttpRequest) -> QuerySet[WebhookEndpoint]:
    """The caller's webhooks, oldest first (their secrets are never shown again)."""
    return selectors.webhooks_of(_owner(request)[1])


@router.post(
    "/webhooks",
    response={201: WebhookSecretOut},
    url_name="webhook_create",
    summary="Register a webhook",
    **_auth((422,), write=True),
)
def webhook_post(request: HttpRequest, payload: WebhookIn) -> Status:
    """Register an address for signed notices; the answer holds its secret, once. Each POST
    it receives is signed in `X-Pregon-Signature` (see the alerts documentation)."""
    actor, owner = _owner(request)
    endpoint, secret = services.webhook_create(
        actor=actor, owner=owner, url=payload.url, description=payload.description
    )
    return Status(201, WebhookSecretOut(**WebhookOut.of(endpoint).model_dump(), secret=secret))


@router.post(
    "/webhooks/{webhook_id}/actions/rotate-secret",
    response=WebhookSecretOut,
    url_name="webhook_rotate",
    summary="Replace a webhook's secret",
    **_auth((404,), write=True),
)
def webhook_rotate(request: HttpRequest, webhook_id: int) -> WebhookSecretOut:
    """A new secret signs every notice from now on; the answer holds it, once."""
    actor, owner = _owner(request)
    endpoint = selectors.webhook_of(owner, webhook_id)
    secret = services.webhook_rotate(actor=actor, endpoint=endpoint)
    return WebhookSecretOut(**WebhookOut.of(endpoint).model_dump(), secret=secret)


@router.delete(
    "/webhooks/{webhook_id}",
    response={204: None},
    url_name="webhook_delete",
    summary="Delete a webhook",
    **_auth((404, 422), write=True),
)
def webhook_remove(request: HttpRequest, webhook_id: int) -> Status:
    """Delete a webhook and its delivery log (refused while a subscription uses it)."""
    actor, owner = _owner(request)
    services.webhook_delete(actor=actor, endpoint=selectors.webhook_of(owner, webhook_id))
    return Status(204, None)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=list[DeliveryOut],
    url_name="webhook_deliveries",
    summary="Read a webhook's delivery log",
    **_auth((404,), write=False),
)
@paginated
def webhook_deliveries(request: HttpRequest, webhook_id: int) -> QuerySet[Delivery]:
    """What was sent to a webhook, newest first, with every attempt and its answer."""
    endpoint = selectors.webhook_of(_owner(request)[1], webhook_id)
    return selectors.webhook_deliveries(endpoint).prefetch_related("tries")
