"""The alerts' pages: a person's subscriptions, webhooks and followed tenders; subscribing by
e-mail without an account; and the landing pages of the e-mails' signed links (confirm,
unsubscribe, stop a tender's reminders), which need no sign-in.

The signed links never act on a GET (a mail scanner that opens every link must not confirm or
unsubscribe anybody): the page shows one button, which POSTs. The unsubscribe address also
takes the one-click POST a mail client sends by itself (RFC 8058), without a CSRF token: the
signed token in the address is the credential.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.http import user_of
from pregon.alerts import selectors, services
from pregon.alerts.forms import SubscriptionForm, WebhookForm, parse_codes
from pregon.alerts.owners import Owner
from pregon.alerts.tokens import BadToken, unsubscribe_token_read
from pregon.core.actor import Actor
from pregon.core.choices import Channel
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import form_errors_from
from pregon.core.request import client_ip
from pregon.organizations.acting import current_organization
from pregon.tenders.models import Tender

INVALID_FORM_STATUS = 422
_RATE_GROUP = "alerts.subscribe"
#: The search parameters a "get alerts for this search" link may bring to the form.
_FROM_SEARCH = ("q", "classification", "region", "buyer", "value_min", "value_max")


def _actor(request: HttpRequest) -> Actor:
    user = request.user if request.user.is_authenticated else None
    return Actor(user=user, ip_address=client_ip(request), channel=Channel.WEB)


def _owner(request: HttpRequest) -> Owner:
    return Owner(user=user_of(request))


def _not_found(error: NotFound) -> Http404:
    return Http404(str(error.message))


def _supplier(request: HttpRequest) -> Any:
    return current_organization(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)


# ---------------------------------------------------------------------------------------------
# a person's alerts


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's subscriptions, webhooks and followed tenders; with no
    subscription yet, what their supplier profile proposes to follow."""
    owner = _owner(request)
    subscriptions = list(selectors.subscriptions_of(owner))
    proposal = None
    if not subscriptions:
        workspace = _supplier(request)
        proposal = selectors.profile_proposal(
            user=user_of(request), organization=workspace.organization if workspace else None
        )
    return render(
        request,
        "alerts/list.html",
        {
            "subscriptions": subscriptions,
            "webhooks": list(selectors.webhooks_of(owner)),
            "follows": list(selectors.followed_tenders_of(user_of(request))),
            "proposal": proposal,
        },
    )


def _initial(request: HttpRequest) -> dict[str, Any]:
    """The new subscription form's values: the supplier profile's proposal (`?from=profile`),
    or the search the visitor came from (`?q=…&classification=…`)."""
    initial: dict[str, Any] = {"frequency": "immediate", "language": get_language() or "en"}
    if request.GET.get("from") == "profile" and request.user.is_authenticated:
        workspace = _supplier(request)
        proposal = selectors.profile_proposal(
            user=user_of(request), organization=workspace.organization if workspace else None
        )
        return initial | proposal.initial
    found = {name: request.GET.get(name, "").strip()[:200] for name in _FROM_SEARCH}
    if found["q"]:
        initial["keywords"] = found["q"]
    if found["classification"] and parse_codes(found["classification"]):
        initial["codes"] = found["classification"]
    for name in ("region", "buyer"):
        if found[name]:
            initial[f"{name}s"] = found[name]
    for name in ("value_min", "value_max"):
        if found[name]:
            initial[name] = found[name]
    if request.GET.get("reserved_msme"):
        initial["reserved_msme"] = True
    if any(found.values()):
        initial["name"] = found["q"] or _("Tenders of my search")
    return initial


def _too_many(request: HttpRequest, form: SubscriptionForm, seconds_left: int) -> HttpResponse:
    seconds = seconds_left if seconds_left > 0 else 60
    context = {"form": form, "anonymous": True, "retry_minutes": math.ceil(seconds / 60)}
    response = render(request, "alerts/form.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _subscribe_rate(group: str, request: HttpRequest) -> str:
    return str(settings.PREGON_ALERTS_SUBSCRIBE_RATE)


@require_http_methods(["GET", "POST"])
def subscription_create(request: HttpRequest) -> HttpResponse:
    """A new subscription: a signed-in person's, or anyone's with an e-mail address (which
    they confirm by the link they receive)."""
    anonymous = not request.user.is_authenticated
    owner = None if anonymous else _owner(request)
    webhooks = [] if owner is None else list(selectors.webhooks_of(owner))
    form = SubscriptionForm(
        request.POST or None, initial=_initial(request), anonymous=anonymous, webhooks=webhooks
    )
    context = {"form": form, "anonymous": anonymous}
    if request.method != "POST":
        return render(request, "alerts/form.html", context)
    if anonymous:
        usage = get_usage(
            request,
            group=_RATE_GROUP,
            key="ip",
            rate=_subscribe_rate,
            method="POST",
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            return _too_many(request, form, usage["time_left"] + 1)
    if not form.is_valid():
        return render(request, "alerts/form.html", context, status=INVALID_FORM_STATUS)
    try:
        subscription = services.subscription_create(
            actor=_actor(request), owner=owner, data=form.to_data()
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, "alerts/form.html", context, status=error.status)
    if anonymous:
        return render(request, "alerts/check_email.html", {"email": subscription.email})
    messages.success(request, _("You follow “%(name)s” from now on.") % {"name": subscription.name})
    return redirect("alerts:list")


@login_required
@require_http_methods(["GET", "POST"])
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one of one's subscriptions (another's is not found)."""
    owner = _owner(request)
    try:
        subscription = selectors.subscription_of(owner, pk)
    except NotFound as error:
        raise _not_found(error) from None
    form = SubscriptionForm(
        request.POST or None,
        initial=SubscriptionForm.initial_from(subscription),
        webhooks=list(selectors.webhooks_of(owner)),
    )
    context = {"form": form, "subscription": subscription, "anonymous": False}
    if request.method != "POST":
        return render(request, "alerts/form.html", context)
    if not form.is_valid():
        return render(request, "alerts/form.html", context, status=INVALID_FORM_STATUS)
    try:
        services.subscription_update(
            actor=_actor(request), owner=owner, subscription=subscription, data=form.to_data()
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, "alerts/form.html", context, status=error.status)
    messages.success(request, _("The subscription is saved."))
    return redirect("alerts:list")


@login_required
@require_http_methods(["GET", "POST"])
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of one's subscriptions, after confirmation."""
    try:
        subscription = selectors.subscription_of(_owner(request), pk)
    except NotFound as error:
        raise _not_found(error) from None
    if request.method != "POST":
        return render(request, "alerts/delete.html", {"subscription": subscription})
    services.subscription_delete(actor=_actor(request), subscription=subscription)
    messages.success(
        request, _("The subscription “%(name)s” is deleted.") % {"name": subscription.name}
    )
    return redirect("alerts:list")


# ---------------------------------------------------------------------------------------------
# the e-mails' signed links


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a subscription's address: a button, which POSTs."""
    if request.method != "POST":
        return render(request, "alerts/confirm.html", {"token": token})
    try:
        subscription = services.subscription_confirm(actor=_actor(request), token=token)
    except NotFound as error:
        return render(request, "alerts/link_invalid.html", {"message": error.message}, status=404)
    return render(request, "alerts/confirmed.html", {"subscription": subscription})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Unsubscribe in one click: a button (or a mail client's own POST, RFC 8058)."""
    try:
        subscription_id = unsubscribe_token_read(token)
    except BadToken:
        message = _("This unsubscribe link is not valid. Copy the whole link from the e-mail.")
        return render(request, "alerts/link_invalid.html", {"message": message}, status=404)
    if request.method != "POST":
        return render(request, "alerts/unsubscribe.html", {"token": token})
    try:
        subscription = services.subscription_unsubscribe(
            actor=_actor(request), subscription_id=subscription_id
        )
    except NotFound:
        # Deleted by its owner: there is nothing left to send to anybody.
        return render(request, "alerts/unsubscribed.html", {"subscription": None})
    return render(request, "alerts/unsubscribed.html", {"subscription": subscription})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def tender_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Stop a tender's reminders and notices, from the link of one of them."""
    if request.method != "POST":
        return render(request, "alerts/tender_stop.html", {"token": token})
    try:
        follow = services.tender_unfollow_by_link(actor=_actor(request), token=token)
    except NotFound as error:
        return render(request, "alerts/link_invalid.html", {"message": error.message}, status=404)
    return render(request, "alerts/tender_stopped.html", {"tender": follow.tender})


# ---------------------------------------------------------------------------------------------
# followed tenders (the button on the tender's page)


def _public_tender(pk: int) -> Tender:
    tender = Tender.objects.filter(pk=pk, published_at__isnull=False).first()
    if tender is None:
        raise Http404(_("This tender does not exist."))
    return tender


@login_required
@require_POST
def tender_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a tender: reminders before its deadline, notices of its amendments."""
    tender = _public_tender(pk)
    services.tender_follow(actor=_actor(request), user=user_of(request), tender=tender)
    messages.success(
        request,
        _(
            "You follow this tender: you will be reminded before its deadline and told of its "
            "amendments."
        ),
    )
    return redirect(tender.get_absolute_url())


@login_required
@require_POST
def tender_unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop following a tender (no reminders, no notices of it)."""
    tender = _public_tender(pk)
    services.tender_unfollow(actor=_actor(request), user=user_of(request), tender=tender)
    messages.success(request, _("You no longer follow this tender."))
    if request.POST.get("next") == "alerts":
        return redirect("alerts:list")
    return redirect(tender.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# webhooks


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    """One's webhooks, and a form to register one."""
    owner = _owner(request)
    form = WebhookForm(request.POST or None)
    context = {"form": form, "webhooks": list(selectors.webhooks_of(owner))}
    if request.method != "POST":
        return render(request, "alerts/webhooks.html", context)
    if not form.is_valid():
        return render(request, "alerts/webhooks.html", context, status=INVALID_FORM_STATUS)
    try:
        endpoint, secret = services.webhook_create(
            actor=_actor(request),
            owner=owner,
            url=form.cleaned_data["url"],
            description=form.cleaned_data.get("description") or "",
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, "alerts/webhooks.html", context, status=error.status)
    return _secret_page(request, {"webhook": endpoint, "secret": secret})


def _secret_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The page that shows a webhook's secret, once: never kept by a cache."""
    response = render(request, "alerts/webhook_secret.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _webhook(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.webhook_of(_owner(request), pk)
    except NotFound as error:
        raise _not_found(error) from None


@login_required
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A webhook and its delivery log: every attempt, its answer, and what is still to go."""
    endpoint = _webhook(request, pk)
    return render(
        request,
        "alerts/webhook.html",
        {
            "webhook": endpoint,
            "attempts": list(selectors.webhook_attempts(endpoint)),
            "deliveries": list(selectors.webhook_deliveries(endpoint)[: selectors.LOG_ENTRIES]),
            "subscriptions": list(endpoint.subscriptions.order_by("name")),
        },
    )


@login_required
@require_POST
def webhook_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a webhook's secret and show the new one, once."""
    endpoint = _webhook(request, pk)
    secret = services.webhook_rotate(actor=_actor(request), endpoint=endpoint)
    return _secret_page(request, {"webhook": endpoint, "secret": secret, "rotated": True})


@login_required
@require_http_methods(["GET", "POST"])
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a webhook and its log, after confirmation (refused while subscriptions use it)."""
    endpoint = _webhook(request, pk)
    if request.method != "POST":
        return render(request, "alerts/webhook_delete.html", {"webhook": endpoint})
    try:
        services.webhook_delete(actor=_actor(request), endpoint=endpoint)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("alerts:webhook", pk=endpoint.pk)
    messages.success(request, _("The webhook is deleted."))
    return redirect("alerts:webhooks")
