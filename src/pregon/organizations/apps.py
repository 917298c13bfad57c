from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import audit_vocabulary_register
from pregon.organizations.choices import AUDIT_VOCABULARY


class OrganizationsConfig(AppConfig):
    name = "pregon.organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        audit_vocabulary_register(AUDIT_VOCABULARY)
