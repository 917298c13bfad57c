"""How django-allauth fits Pregón: suppliers register through our own page."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Registration creates an organization too, so it happens on the supplier registration
        # page (pregon.organizations), never through allauth's bare sign-up form.
        return False
