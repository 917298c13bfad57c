from django.db import models
from django.utils.translation import gettext_lazy as _


class ReleaseTag(models.TextChoices):
    """The OCDS releaseTag codelist: what kind of change a release announces.

    Tenders use `tender`, `tenderAmendment`, `tenderUpdate` and `tenderCancellation` today; the
    other codes are for the capabilities that will publish through the same service (planning,
    awards, contracts, implementation).
    """

    PLANNING = "planning", _("Planning")
    PLANNING_UPDATE = "planningUpdate", _("Planning update")
    TENDER = "tender", _("Tender")
    TENDER_AMENDMENT = "tenderAmendment", _("Tender amendment")
    TENDER_UPDATE = "tenderUpdate", _("Tender update")
    TENDER_CANCELLATION = "tenderCancellation", _("Tender cancellation")
    AWARD = "award", _("Award")
    AWARD_UPDATE = "awardUpdate", _("Award update")
    AWARD_CANCELLATION = "awardCancellation", _("Award cancellation")
    CONTRACT = "contract", _("Contract")
    CONTRACT_UPDATE = "contractUpdate", _("Contract update")
    CONTRACT_AMENDMENT = "contractAmendment", _("Contract amendment")
    IMPLEMENTATION = "implementation", _("Implementation")
    IMPLEMENTATION_UPDATE = "implementationUpdate", _("Implementation update")
    CONTRACT_TERMINATION = "contractTermination", _("Contract termination")
