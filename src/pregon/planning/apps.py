from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import audit_vocabulary_register
from pregon.planning.choices import AUDIT_VOCABULARY


class PlanningConfig(AppConfig):
    name = "pregon.planning"
    verbose_name = _("Procurement plans")

    def ready(self) -> None:
        # The OCDS mapping reads models, loaded only once `ready` runs. It is registered before
        # the tenders' (INSTALLED_APPS order): a tender that follows a line is merged over it.
        from pregon.planning.ocds import plan_line_sections
        from pregon.publication.mapping import mapping_register

        audit_vocabulary_register(AUDIT_VOCABULARY)
        mapping_register(plan_line_sections)
