"""The opening's constants and the labels of its audit rows (beside `choices`, which holds the
states of bids and openings). Imports no model and no service: `apps.py` reads it at start-up."""

from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary

#: The format of the opening record, as logged and served.
OPENING_FORMAT = "pregon-opening/1"
#: The most shares one hand-in may carry (one per bid).
HAND_IN_MAX_SHARES = 5_000
#: Why a bid could not be opened, as the record names it. `envelope_altered`: the stored
#: envelope is not the one committed to; the others are the sealing library's codes.
REASON_ENVELOPE_ALTERED = "envelope_altered"

#: The statistics of an opening, in the order they are published (OCDS `bids.statistics`):
#: `bids` and `smeBids` are the bid extension's; the others are this platform's (docs).
MEASURES = ("bids", "smeBids", "microBids", "smallBids", "mediumBids", "cooperativeBids")

#: What the opening's audit rows mean (registered in `apps.py` beside the bids' own).
OPENING_AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "opening.start": _("Bid opening started"),
        "opening.hand_in": _("Shares handed in at the opening"),
        "opening.open": _("Sealed bids opened"),
    },
    summary_keys={
        "member": _("Position on the opening committee"),
        "shares": _("Shares handed in"),
        "bids": _("Sealed bids"),
        "undecryptable": _("Bids that could not be decrypted"),
        "documents_altered": _("Documents that do not match their bid"),
    },
)
