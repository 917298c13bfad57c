"""Every change to a sealed bid goes through one of these functions (API, pages, commands).

`uploads`: the encrypted documents, in chunks (`bid_upload_start`, `bid_upload_append`);
`upload_purge`: deleting abandoned uploads (`bid_uploads_purge`, `bid_upload_purge_if_due`);
`submission`: the bids (`bid_submit`, `bid_replace`, `bid_withdraw`); `common`: who may bid,
the checks of an envelope against its tender, the log leaf and the signed receipt.
"""

from pregon.bids.services.common import (
    BidOutcome,
    DocumentRef,
    IdempotencyKeyReused,
    UploadOffsetMismatch,
    receipt_text,
)
from pregon.bids.services.opening import (
    HandIn,
    TooFewShares,
    WrongShare,
    opening_complete,
    opening_shares_hand_in,
    opening_start,
)
from pregon.bids.services.submission import bid_replace, bid_submit, bid_withdraw
from pregon.bids.services.upload_purge import (
    UploadPurge,
    bid_upload_purge_if_due,
    bid_uploads_purge,
)
from pregon.bids.services.uploads import bid_upload_append, bid_upload_start

__all__ = [
    "BidOutcome",
    "DocumentRef",
    "HandIn",
    "IdempotencyKeyReused",
    "TooFewShares",
    "UploadOffsetMismatch",
    "UploadPurge",
    "WrongShare",
    "bid_replace",
    "bid_submit",
    "bid_upload_append",
    "bid_upload_purge_if_due",
    "bid_upload_start",
    "bid_uploads_purge",
    "bid_withdraw",
    "opening_complete",
    "opening_shares_hand_in",
    "opening_start",
    "receipt_text",
]
