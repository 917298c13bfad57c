"""The supplier's shop window: description, capabilities, products and services, past public contracts; and the search of suppliers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.catalogue.choices import AUDIT_VOCABULARY
from pregon.core.audit_vocabulary import audit_vocabulary_register


class CatalogueConfig(AppConfig):
    name = "pregon.catalogue"
    verbose_name = _("Supplier catalogues")

    def ready(self) -> None:
        # The observer reads models, loaded only once `ready` runs.
        from pregon.catalogue.services import public_contracts_update
        from pregon.publication.observers import record_observer_register

        audit_vocabulary_register(AUDIT_VOCABULARY)
        record_observer_register(public_contracts_update)
