"""Country rule packs: versioned data and small pure functions that decide, for one country's
law, the size of a firm, the thresholds and periods of each method, which lots are reserved for
smaller firms, the preferences and tie rules of an evaluation, and the payment term.

No Django here (an import contract checks it): the apps call these functions and store the
pack's `ref` (``CODE@VERSION``) on what they decide with it. The operator's guide and the API
for the apps are in docs/rule-packs.md; the reasons in ADR 0017.
"""

from pregon.rules.loading import PackDataError, UnknownPack, pack_file_load
from pregon.rules.lookup import GENERIC, pack, pack_for_country, packs
from pregon.rules.model import (
    MSME_SCALES,
    SCALES,
    Amount,
    Eligibility,
    LegalBasis,
    Money,
    Pack,
    Period,
    QuotaRule,
    Rule,
    SubcontractingRule,
    Text,
)
from pregon.rules.preferences import (
    Adjustment,
    BidEntry,
    CoverInvitation,
    CoverRefused,
    PreferenceResult,
    RankingInput,
    apply_preferences,
    beneficiary,
    cover_resolve,
    draw_key,
)
from pregon.rules.procedures import (
    MissingRate,
    PublicationMinimum,
    ReservationDecision,
    ValueRequired,
    benefits_apply,
    divide_or_explain,
    earliest_closing,
    payment_term,
    publication_minimum,
    quick_quote,
    quota,
    reservation_decide,
    subcontracting,
)

__all__ = [
    "GENERIC",
    "MSME_SCALES",
    "SCALES",
    "Adjustment",
    "Amount",
    "BidEntry",
    "CoverInvitation",
    "CoverRefused",
    "Eligibility",
    "LegalBasis",
    "MissingRate",
    "Money",
    "Pack",
    "PackDataError",
    "Period",
    "PreferenceResult",
    "PublicationMinimum",
    "QuotaRule",
    "RankingInput",
    "ReservationDecision",
    "Rule",
    "SubcontractingRule",
    "Text",
    "UnknownPack",
    "ValueRequired",
    "apply_preferences",
    "beneficiary",
    "benefits_apply",
    "cover_resolve",
    "divide_or_explain",
    "draw_key",
    "earliest_closing",
    "pack",
    "pack_file_load",
    "pack_for_country",
    "packs",
    "payment_term",
    "publication_minimum",
    "quick_quote",
    "quota",
    "reservation_decide",
    "subcontracting",
]
