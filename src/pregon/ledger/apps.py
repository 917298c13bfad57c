from django.apps import AppConfig
from django.core.checks import register
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import audit_vocabulary_register
from pregon.ledger.checks import check_log_keys
from pregon.ledger.choices import AUDIT_VOCABULARY


class LedgerConfig(AppConfig):
    name = "pregon.ledger"
    verbose_name = _("Transparency log")

    def ready(self) -> None:
        audit_vocabulary_register(AUDIT_VOCABULARY)
        register(check_log_keys)
