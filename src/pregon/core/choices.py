from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How an action reached the service that recorded it in the audit log."""

    WEB = "web", _("Web pages")
    API = "api", _("API")
    ADMIN = "admin", _("Administration site")
    COMMAND = "command", _("Command line")
    TASK = "task", _("Scheduled task")
