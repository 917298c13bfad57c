"""Choices of the transparency log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeafKind(models.TextChoices):
    """What a leaf's bytes are. Each capability that logs something adds its kind here."""

    RELEASE = "release", _("OCDS release")
    BID_COMMITMENT = "bid_commitment", _("Bid commitment")
    OPENING = "opening", _("Opening record")
    AWARD = "award", _("Award decision")
