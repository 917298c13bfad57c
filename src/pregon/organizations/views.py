"""The supplier registration page (the public organization pages are in `pregon.web`)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from pregon.core.actor import Actor
from pregon.core.errors import DomainError
from pregon.core.pages import form_errors_from
from pregon.core.request import client_ip
from pregon.organizations import services
from pregon.organizations.forms import SupplierRegistrationForm

_REGISTERED_EMAIL = "pregon_registered_email"


def _registration_rate(group: str, request: HttpRequest) -> str:
    # Read at request time, so an operator (or a test) can change it without a restart.
    return settings.PREGON_REGISTRATION_RATE


@ratelimit(key="ip", rate=_registration_rate, method="POST", block=True)
def register(request: HttpRequest) -> HttpResponse:
    """A supplier registers itself and its first user, then confirms the e-mail address."""
    if request.user.is_authenticated:
        messages.info(
            request,
            _("You are signed in already. Sign out first to register another business."),
        )
        return redirect("web:dashboard")
    form = SupplierRegistrationForm(
        request.POST if request.method == "POST" else None,
        initial={"language": (get_language() or "en")[:2]},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                user = services.supplier_register(
                    actor=Actor(user=None, ip_address=client_ip(request), channel="web"),
                    registration=form.registration(),
                )
            except DomainError as error:
                if error.field == "identifier_scheme" and form.chose_other_scheme:
                    error.field = "identifier_scheme_other"
                form_errors_from(error, form)
            else:
                # The service has committed: the message never announces a rolled-back account.
                address = EmailAddress.objects.get(user=user, primary=True)
                # The message goes out in the language the person chose for e-mails.
                with translation.override(user.language or get_language()):
                    address.send_confirmation(request, signup=True)
                request.session[_REGISTERED_EMAIL] = address.email
                return redirect("organizations:registered")
    return render(request, "organizations/register.html", {"form": form}, status=status)


def registered(request: HttpRequest) -> HttpResponse:
    """'Check your e-mail': the page after a registration."""
    return render(
        request,
        "organizations/registered.html",
        {"email": request.session.get(_REGISTERED_EMAIL, "")},
    )
