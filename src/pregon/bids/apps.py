from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.bids.choices import AUDIT_VOCABULARY
from pregon.bids.choices_opening import OPENING_AUDIT_VOCABULARY
from pregon.core.audit_vocabulary import audit_vocabulary_register


class BidsConfig(AppConfig):
    name = "pregon.bids"
    verbose_name = _("Sealed bids")

    def ready(self) -> None:
        # The OCDS mapping reads models, which are loaded only once `ready` runs. It publishes
        # nothing before the opening: a sealed bid is only its commitment in the log until then.
        from pregon.bids.ocds import bid_sections
        from pregon.publication.mapping import mapping_register

        audit_vocabulary_register(AUDIT_VOCABULARY)
        audit_vocabulary_register(OPENING_AUDIT_VOCABULARY)
        mapping_register(bid_sections)
