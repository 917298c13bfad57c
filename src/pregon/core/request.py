"""Reading facts about the HTTP request that the domain needs: the client address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting X-Forwarded-For only for the configured proxies."""
    proxies = settings.PREGON_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def ratelimit_ip(request: HttpRequest) -> str:
    """The key django-ratelimit uses for per-address limits."""
    return client_ip(request) or "unknown"
