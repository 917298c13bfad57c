from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import audit_vocabulary_register
from pregon.evaluation.choices import AUDIT_VOCABULARY


class EvaluationConfig(AppConfig):
    name = "pregon.evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        # The OCDS mapping reads models, loaded only once `ready` runs. It is registered after
        # the bids' (INSTALLED_APPS order), so its bid statuses merge over their `pending`.
        from pregon.evaluation.adjustments import adjustments_register
        from pregon.evaluation.ocds import award_sections, evaluation_sections
        from pregon.evaluation.preferences import rule_pack_adjuster
        from pregon.publication.mapping import mapping_register

        audit_vocabulary_register(AUDIT_VOCABULARY)
        # The country rule packs' preferences and tie rules (docs/evaluation-and-contracts.md).
        adjustments_register(rule_pack_adjuster)
        mapping_register(evaluation_sections)
        mapping_register(award_sections)
