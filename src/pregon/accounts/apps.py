from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.accounts.choices import AUDIT_VOCABULARY
from pregon.core.audit_vocabulary import audit_vocabulary_register


class AccountsConfig(AppConfig):
    name = "pregon.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        audit_vocabulary_register(AUDIT_VOCABULARY)
