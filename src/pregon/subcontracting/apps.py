"""Subcontracting opportunities posted by prime contractors and bidders, the answers of MSMEs, and the subcontracts recorded."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import audit_vocabulary_register
from pregon.subcontracting.choices import AUDIT_VOCABULARY


class SubcontractingConfig(AppConfig):
    name = "pregon.subcontracting"
    verbose_name = _("Subcontracting")

    def ready(self) -> None:
        # The OCDS mapping and the contract page's section read models, loaded only once
        # `ready` runs. The mapping comes after the contracts' (INSTALLED_APPS order), whose
        # `contracts[]` entries it adds to by id.
        from pregon.contracts.page_sections import contract_section_register
        from pregon.publication.mapping import mapping_register
        from pregon.subcontracting.ocds import subcontract_sections
        from pregon.subcontracting.sections import contract_subcontracts_section

        audit_vocabulary_register(AUDIT_VOCABULARY)
        mapping_register(subcontract_sections)
        contract_section_register(contract_subcontracts_section)
