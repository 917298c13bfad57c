"""The supplier registration page (the public organization pages are in `pregon.web`)."""

from __future__ import annotations

import math

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from pregon.accounts.emails import registration_attempt_notify
from pregon.core.actor import Actor
from pregon.core.errors import DomainError
from pregon.core.pages import form_errors_from
from pregon.core.request import client_ip
from pregon.organizations import services
from pregon.organizations.forms import SupplierRegistrationForm

_REGISTERED_EMAIL = "pregon_registered_email"
_RATE_GROUP = "organizations.register"
# What is typed on the page and never sent back to the browser.
_SECRET_FIELDS = frozenset({"password", "password_confirm"})
# When the rate limiter's cache cannot say how long is left.
_FALLBACK_WAIT = 60


def _registration_rate(group: str, request: HttpRequest) -> str:
    # Read at request time, so an operator (or a test) can change it without a restart.
    return settings.PREGON_REGISTRATION_RATE


def register(request: HttpRequest) -> HttpResponse:
    """A supplier registers itself and its first user, then confirms the e-mail address."""
    if request.user.is_authenticated:
        messages.info(
            request,
            _("You are signed in already. Sign out first to register another business."),
        )
        return redirect("web:dashboard")
    initial = {"language": (get_language() or "en")[:2]}
    if request.method != "POST":
        form = SupplierRegistrationForm(initial=initial)
        return render(request, "organizations/register.html", {"form": form})
    usage = get_usage(
        request,
        group=_RATE_GROUP,
        key="ip",
        rate=_registration_rate,
        method="POST",
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        # The limiter's window still holds at its last second: the first free one is after it.
        return _too_many(request, initial, usage["time_left"] + 1)
    form = SupplierRegistrationForm(request.POST, initial=initial)
    if form.is_valid():
        try:
            user = services.supplier_register(
                actor=Actor(user=None, ip_address=client_ip(request), channel="web"),
                registration=form.registration(),
            )
        except DomainError as error:
            if error.code == "email_taken":
                # Whether an address has an account is its owner's business only: the page
                # answers as for a new registration, and the owner is told by e-mail.
                email = form.cleaned_data["email"].strip().lower()
                registration_attempt_notify(request=request, email=email)
                return _registered(request, email)
            if error.field == "identifier_scheme" and form.chose_other_scheme:
                error.field = "identifier_scheme_other"
            form_errors_from(error, form)
        else:
            # The service has committed: the message never announces a rolled-back account.
            address = EmailAddress.objects.get(user=user, primary=True)
            # The message goes out in the language the person chose for e-mails.
            with translation.override(user.language or get_language()):
                address.send_confirmation(request, signup=True)
            return _registered(request, address.email)
    return render(request, "organizations/register.html", {"form": form}, status=422)


def _registered(request: HttpRequest, email: str) -> HttpResponse:
    request.session[_REGISTERED_EMAIL] = email
    return redirect("organizations:registered")


def _too_many(request: HttpRequest, initial: dict[str, str], seconds_left: int) -> HttpResponse:
    """429, with the form as it was sent (passwords aside) and when to send it again."""
    seconds = seconds_left if seconds_left > 0 else _FALLBACK_WAIT
    typed = {
        name: request.POST.get(name)
        for name in SupplierRegistrationForm.base_fields
        if name in request.POST and name not in _SECRET_FIELDS
    }
    form = SupplierRegistrationForm(initial=initial | typed)
    context = {"form": form, "retry_minutes": math.ceil(seconds / 60)}
    response = render(request, "organizations/register.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def registered(request: HttpRequest) -> HttpResponse:
    """'Check your e-mail': the page after a registration."""
    return render(
        request,
        "organizations/registered.html",
        {"email": request.session.get(_REGISTERED_EMAIL, "")},
    )
