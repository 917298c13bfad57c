"""The Python client of sealed bids, without a framework: ``pregon.client.Client``.

A bidder seals a bid on their own machine to the tender's opening committee (checked against
the transparency log), uploads its encrypted documents in resumable chunks, submits the
envelope with an idempotency key and checks the signed receipt; later ``Client.receipt``
proves the receipt is in the log. A committee member downloads the envelopes at the opening
and hands in the shares decrypted with their key file. ``pregon bid ...`` and ``pregon keys
open-shares`` are its command line (``pregon.client.cli``).

Nothing here imports Django (an import contract in ``make lint`` checks it): only the standard
library's ``urllib``, ``pregon.sealing`` and ``pregon.tlog``.
"""

from pregon.client.client import (
    Client,
    HandIn,
    OpeningEnvelope,
    UploadState,
    new_idempotency_key,
    plain_bid,
)
from pregon.client.committee import Committee, CommitteeMember
from pregon.client.errors import ClientError
from pregon.client.receipts import Inclusion, Receipt

__all__ = [
    "Client",
    "ClientError",
    "Committee",
    "CommitteeMember",
    "HandIn",
    "Inclusion",
    "OpeningEnvelope",
    "Receipt",
    "UploadState",
    "new_idempotency_key",
    "plain_bid",
]
