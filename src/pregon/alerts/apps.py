from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.alerts.choices import AUDIT_VOCABULARY
from pregon.core.audit_vocabulary import audit_vocabulary_register


class AlertsConfig(AppConfig):
    name = "pregon.alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        # Registered after the search's observer (INSTALLED_APPS order): matching reads the
        # search document that observer has just updated.
        from django.core.exceptions import ImproperlyConfigured

        from pregon.alerts.services.matching import alerts_record_observe
        from pregon.publication.observers import record_observer_register, record_observers
        from pregon.search.services import search_document_update

        if search_document_update not in record_observers():
            raise ImproperlyConfigured(
                'List "pregon.alerts" after "pregon.search" in INSTALLED_APPS.'
            )
        audit_vocabulary_register(AUDIT_VOCABULARY)
        record_observer_register(alerts_record_observe)
