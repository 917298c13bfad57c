"""E-mails to people about their own account, sent through allauth's adapter (its subject
prefix, its sender, its templates' layout) in the recipient's language."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from pregon.accounts.models import User


def registration_attempt_notify(*, request: HttpRequest, email: str) -> None:
    """Tell the owner of `email` that someone tried to register with it.

    Registration answers the same whether an address has an account or not, so that nobody
    learns who has one; the owner learns it here, with the links to sign in or to choose a new
    password. Nothing is sent when the address has no account.
    """
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "login_url": request.build_absolute_uri(reverse("account_login")),
            "password_reset_url": request.build_absolute_uri(reverse("account_reset_password")),
        }
        get_adapter(request).send_mail("account/email/registration_attempt", user.email, context)
