"""The opening's constants and the labels of its audit rows (beside `choices`, which holds the
states of bids and openings). Imports no model and no service: `apps.py` reads it at start-up."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary

#: The format of the opening record, as logged and served.
OPENING_FORMAT = "pregon-opening/1"
#: The most shares one hand-in may carry (one per bid).
HAND_IN_MAX_SHARES = 5_000
#: Why a bid could not be opened, as the record names it. `envelope_altered`: the stored
#: envelope is not the one committed to; `shares_undecryptable`: more than n - k members
#: declared they cannot decrypt their shares, so it can never hold k (`declaredBy` names them);
#: the others are the sealing library's codes.
REASON_ENVELOPE_ALTERED = "envelope_altered"
REASON_SHARES_UNDECRYPTABLE = "shares_undecryptable"


class ShareDeclaration(models.TextChoices):
    """Why a committee member declares, for one bid, that they cannot hand in their share.

    A statement by the member, not a proof: it is public (their position is in the opening
    record) and it lets the opening settle a bid that can never hold k shares (ADR 0015).
    """

    SHARE_UNDECRYPTABLE = (
        "share_undecryptable",
        _("my key does not open the share sealed to me"),
    )
    SHARE_MISMATCH = (
        "share_mismatch",
        _("what my key decrypts is not the share whose SHA-256 the bid holds for me"),
    )


def bid_settled(*, shares: int, declarations: int, members: int, threshold: int) -> bool:
    """Whether a bid is settled at the opening: it holds k valid shares (it can be opened), or
    more than n - k members declared they cannot decrypt theirs (fewer than k could ever hand
    in: it is recorded as undecryptable)."""
    return shares >= threshold or declarations > members - threshold


def acts_missing(*, shares: int, declarations: int, members: int, threshold: int) -> int:
    """The fewest more members who must act on a bid (hand in their share, or declare that they
    cannot) before it is settled; 0 once it is."""
    if bid_settled(shares=shares, declarations=declarations, members=members, threshold=threshold):
        return 0
    return min(threshold - shares, members - threshold + 1 - declarations)


#: The statistics of an opening, in the order they are published (OCDS `bids.statistics`):
#: `bids` and `smeBids` are the bid extension's; the others are this platform's (docs).
MEASURES = ("bids", "smeBids", "microBids", "smallBids", "mediumBids", "cooperativeBids")

#: What the opening's audit rows mean (registered in `apps.py` beside the bids' own).
OPENING_AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "opening.start": _("Bid opening started"),
        "opening.hand_in": _("Shares handed in at the opening"),
        "opening.declare": _("Committee member declared shares they cannot decrypt"),
        "opening.open": _("Sealed bids opened"),
    },
    summary_keys={
        "member": _("Position on the opening committee"),
        "shares": _("Shares handed in"),
        "share_undecryptable": _("Bids whose share does not open with the member's key"),
        "share_mismatch": _("Bids whose decrypted share does not match its SHA-256"),
        "bids": _("Sealed bids"),
        "undecryptable": _("Bids that could not be decrypted"),
        "documents_altered": _("Documents that do not match their bid"),
    },
)
