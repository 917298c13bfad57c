from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "pregon.ledger"
    verbose_name = _("Transparency log")

    def ready(self) -> None:
        from pregon.ledger import checks  # noqa: F401  (registers the system checks)
