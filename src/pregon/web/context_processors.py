from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    """Facts every page shows: the instance's name and whether this is the embedded demo."""
    return {
        "PREGON_INSTANCE_NAME": settings.PREGON_INSTANCE_NAME,
        "PREGON_PRODUCTION": settings.PRODUCTION,
    }
