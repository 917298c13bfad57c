from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.contracts.choices import AUDIT_VOCABULARY
from pregon.core.audit_vocabulary import audit_vocabulary_register


class ContractsConfig(AppConfig):
    name = "pregon.contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        # The OCDS mapping reads models, loaded only once `ready` runs. It is registered after
        # the evaluation's (INSTALLED_APPS order), whose awards its `awardID`s name.
        from pregon.contracts.ocds import contract_sections
        from pregon.publication.mapping import mapping_register

        audit_vocabulary_register(AUDIT_VOCABULARY)
        mapping_register(contract_sections)
