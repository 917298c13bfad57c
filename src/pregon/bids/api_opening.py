"""The opening's API: the sealed envelopes for the committee, the members' shares, and the
public opening record.

The committee's two endpoints take a signed-in session only (with the CSRF token to hand in):
a committee member acts in person, with the multi-factor sign-in officials must use, never
with an organization's API key. The opening record is public, once the bids are opened.
"""

from __future__ import annotations

import base64

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.errors import AuthenticationError

from pregon.bids import services
from pregon.bids.schemas_opening import HandInOut, OpeningEnvelopesOut, OpeningRecordOut, SharesIn
from pregon.bids.selectors import tender_for_bidding
from pregon.bids.selectors_opening import (
    opening_envelopes,
    opening_record_get,
    opening_share_pairs,
)
from pregon.core.actor import Actor
from pregon.organizations.api_auth import SignedInSession, WriteThrottle, actor_of, public

router = Router(tags=["bids"])

_OCID = Path(
    ...,
    max_length=100,
    description="The tender's open contracting id (`ocid`), e.g. ocds-pregon-000042.",
)
#: Exposed to browsers by the API's CORS headers (`core.problems`).
LEAF_HEADER = "Pregon-Log-Leaf-Index"


class SignedInPerson(SignedInSession):
    """A signed-in committee member acting in person: an organization API key is not accepted
    (401, saying so). The same security scheme as the other personal operations (registering
    an opening key), with its own refusal."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        if not request.user.is_authenticated:
            raise AuthenticationError(
                status_code=401,
                message=_(
                    "Sign in on the site as the committee member: shares are handed in by each "
                    "member in person, never with an organization API key."
                ),
            )
        return super().__call__(request)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _share(text: str) -> bytes:
    # The schema's pattern admits only 44 base64url characters: always 33 bytes.
    return base64.urlsafe_b64decode(text + "=")


@router.get(
    "/tenders/{ocid}/opening/envelopes",
    response=OpeningEnvelopesOut,
    url_name="opening_envelopes",
    summary="Read the sealed bids at the opening",
    auth=[SignedInPerson()],
    openapi_extra=public(errors=(401, 403, 404, 409, 422))["openapi_extra"],
)
def opening_envelopes_read(request: HttpRequest, ocid: str = _OCID) -> dict[str, object]:
    """For a member of the tender's opening committee, signed in, from the opening time on: the
    envelope of every bid standing at the deadline, to decrypt your share of each on your own
    device. No bidder is named. Before the opening time 409; anyone else 403."""
    tender = tender_for_bidding(ocid=ocid)
    bids = opening_envelopes(actor=actor_of(request), tender=tender)
    return {"bids": [{"id": bid.pk, "envelope": _b64(bytes(bid.envelope))} for bid in bids]}


@router.post(
    "/tenders/{ocid}/opening/shares",
    response=HandInOut,
    url_name="opening_shares_hand_in",
    summary="Hand in your shares at the opening",
    auth=[SignedInPerson()],
    throttle=[WriteThrottle("PREGON_API_WRITE_RATE")],
    openapi_extra=public(errors=(400, 401, 403, 404, 409, 422, 429))["openapi_extra"],
)
def opening_shares_hand_in(
    request: HttpRequest, payload: SharesIn, ocid: str = _OCID
) -> dict[str, object]:
    """A committee member hands in their plaintext share of each sealed bid (with the CSRF
    token), and declares, in `declarations`, the bids whose share they cannot decrypt (their
    key does not open it, or it does not match the SHA-256 the envelope holds for them). Each
    share is checked against that SHA-256: one wrong share refuses the whole hand-in (422,
    naming your position in `member` and the bid in `bid`) and nothing is kept. A bid gets a
    share or a declaration, never both (422). A bid is settled when it holds the shares needed,
    or when so many members declared that it never can (it is then recorded as undecryptable,
    naming them); when every bid is settled, the bids are opened and the opening record is
    published. Repeating a hand-in answers the same."""
    tender = tender_for_bidding(ocid=ocid)
    pairs = opening_share_pairs(
        tender=tender, shares=[(item.bid, _share(item.share)) for item in payload.shares]
    )
    declarations = opening_share_pairs(
        tender=tender,
        shares=[(item.bid, item.reason) for item in payload.declarations],
        field="declarations",
    )
    result = services.opening_shares_hand_in(
        actor=actor_of(request), tender=tender, shares=pairs, declarations=declarations
    )
    return {"handedIn": result.handed_in, "declared": result.declared, "opened": result.opened}


@router.get(
    "/tenders/{ocid}/opening",
    response=OpeningRecordOut,
    url_name="opening_record",
    summary="Read a tender's opening record",
    **public(errors=(404, 422)),
)
def opening_record(request: HttpRequest, ocid: str = _OCID) -> HttpResponse:
    """The public record of a tender's bid opening: every bid standing at the deadline with its
    bidder, its prices per lot or why it could not be decrypted, the committee positions whose
    shares opened it (and of those who declared they could not decrypt theirs), and the bid
    statistics. Served exactly as logged: its RFC 8785 bytes are
    the transparency-log leaf named in `Pregon-Log-Leaf-Index`. 404 until the bids are opened
    (nobody learns who bid before)."""
    opening = opening_record_get(tender=tender_for_bidding(ocid=ocid))
    response = HttpResponse(orjson.dumps(opening.record), content_type="application/json")
    response[LEAF_HEADER] = str(opening.leaf_index)
    return response
