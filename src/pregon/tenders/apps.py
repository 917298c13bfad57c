from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import audit_vocabulary_register
from pregon.tenders.choices import AUDIT_VOCABULARY


class TendersConfig(AppConfig):
    name = "pregon.tenders"
    verbose_name = _("Tenders")

    def ready(self) -> None:
        # The OCDS mappings read models, which are loaded only once `ready` runs.
        from pregon.planning.followers import follower_lookup_register
        from pregon.publication.mapping import mapping_register
        from pregon.tenders.ocds import tender_sections
        from pregon.tenders.plan_followers import tender_followers

        audit_vocabulary_register(AUDIT_VOCABULARY)
        mapping_register(tender_sections)
        # The plans' pages learn from here which tender follows a line.
        follower_lookup_register(tender_followers)
