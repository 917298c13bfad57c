from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log's pages, filters and CSV export; the rows are written by `core.audit`."""

    name = "pregon.audit"
    verbose_name = _("Audit log")
