"""Choices of the transparency log."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.tlog.leaves import KIND_AWARD, KIND_BID_COMMITMENT, KIND_OPENING, KIND_RELEASE


class LeafKind(models.TextChoices):
    """What a leaf's bytes are. Each capability that logs something adds its kind here (and,
    when its documents can be checked by content, their shape to `pregon.tlog.leaves`)."""

    RELEASE = KIND_RELEASE, _("OCDS release")
    BID_COMMITMENT = KIND_BID_COMMITMENT, _("Bid commitment")
    OPENING = KIND_OPENING, _("Opening record")
    AWARD = KIND_AWARD, _("Award decision")


#: What the transparency log's audit rows mean (registered in `apps.py`).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "log.witness_add": _("Watched log added"),
        "log.witness_update": _("Watched log changed"),
        "log.witness_remove": _("Watched log removed"),
    },
    summary_keys={
        "origin": _("Log name (origin)"),
        "url": _("Log address"),
        "vkey": _("Verifier key"),
        "active": _("Active"),
        "before": _("Before the change"),
    },
)
