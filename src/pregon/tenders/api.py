"""The tenders API: public reads, the buyer's drafting and transitions, and clarifications.

Each endpoint parses its input, finds the object through a selector (another organization's
tender or a draft answers 404), calls one service and renders its own output schema.
Transitions are `POST …/actions/<verb>/`.

Every answer that shows a tender carries its version as `ETag`; every change of a tender takes
`If-Match`, which the service checks on the locked row (412 when the tender changed since).
"""

import base64
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Path, Query, Router, UploadedFile
from ninja.errors import AuthenticationError

from pregon.accounts.choices import BUYER_READ_ROLES
from pregon.core.actor import Actor
from pregon.core.api_pagination import MAX_OFFSET, paginated
from pregon.core.errors import ValidationFailed
from pregon.core.versions import ExpectedVersion, version_tag
from pregon.organizations.api_auth import (
    SignedInSession,
    WriteThrottle,
    acting,
    acting_for,
    actor_of,
    public,
    require_reader,
)
from pregon.organizations.choices import ApiScope
from pregon.tenders import services
from pregon.tenders.models import Amendment, CommitteeKey, Question, Tender, TenderDocument
from pregon.tenders.schemas import (
    AmendIn,
    AmendmentOut,
    AnswerIn,
    BuyerCommitteeOut,
    BuyerTenderDetailOut,
    BuyerTenderOut,
    CancelIn,
    CommitteeIn,
    CommitteeKeyIn,
    CommitteeKeyOut,
    CommitteeOut,
    DocumentIn,
    DocumentOut,
    QuestionIn,
    QuestionOut,
    TenderCancelOut,
    TenderCreateIn,
    TenderDetailOut,
    TenderFilterQuery,
    TenderPublishOut,
    TenderSummaryOut,
    TenderUpdateIn,
)
from pregon.tenders.selectors import (
    committee_public_get,
    document_public_get,
    question_for_organization,
    questions_public,
    tender_for_organization,
    tender_for_organization_by_ocid,
    tender_public_get,
    tenders_of_buyer,
    tenders_public,
)

router = Router(tags=["tenders"])

# Who may read an organization's own tenders (drafts included) when signed in.
_BINARY = {
    "responses": {
        200: {
            "description": "The document's bytes, served with its own media type "
            "(`content_type` in the tender).",
            "content": {"*/*": {}},
        }
    }
}


def _own(request: HttpRequest, tender_id: int) -> Tender:
    """One of the acting organization's tenders, or 404."""
    return tender_for_organization(organization=acting_for(actor_of(request)), pk=tender_id)


_ETAG = {
    "ETag": {
        "description": "The tender's version. Send it back in `If-Match` to change the tender "
        "only if nobody changed it since.",
        "schema": {"type": "string"},
    }
}
_IF_MATCH = (
    "The tender's ETag as you read it: the change is refused (412) if the tender changed "
    "since. `*` or no header: whatever its version."
)


def _with_etag(options: dict[str, Any], status: int = 200) -> dict[str, Any]:
    """Endpoint options (from `acting` or `public`) whose `status` answer documents `ETag`."""
    responses = options["openapi_extra"].setdefault("responses", {})
    responses.setdefault(status, {})["headers"] = _ETAG
    return options


def _tagged(response: HttpResponse, tender: Tender) -> Tender:
    """Send the tender's version as the answer's ETag."""
    response["ETag"] = version_tag(tender.version)
    return tender


# ---------------------------------------------------------------------------------------------
# public reads


@router.get(
    "/tenders",
    response=list[TenderSummaryOut],
    url_name="tender_list",
    summary="List published tenders",
    **public(errors=(422,)),
)
@paginated
def tender_list(request: HttpRequest, filters: Query[TenderFilterQuery]) -> object:
    """Published tenders (open, closed and cancelled; never drafts), with the portal's filters.

    By default the tenders closing soonest come first.
    """
    return tenders_public(filters=filters.to_filters())


@router.get(
    "/tenders/{int:tender_id}",
    response=TenderDetailOut,
    url_name="tender_detail",
    summary="Read a published tender",
    **_with_etag(public(errors=(404,))),
)
def tender_detail(request: HttpRequest, response: HttpResponse, tender_id: int) -> Tender:
    """Everything public about a tender: lots and items, documents with their SHA-256,
    questions with their answers (never who asked), amendments. Drafts answer 404."""
    return _tagged(response, tender_public_get(pk=tender_id))


@router.get(
    "/tenders/{int:tender_id}/questions",
    response=list[QuestionOut],
    url_name="tender_questions",
    summary="List a tender's questions and answers",
    **public(errors=(404, 422)),
)
@paginated
def tender_questions(request: HttpRequest, tender_id: int) -> object:
    """The clarification questions of a published tender in the order they were asked,
    with the buyer's answers. Who asked is never published."""
    return questions_public(tender=tender_public_get(pk=tender_id))


# A row id: past the largest the database holds, a number is refused (422), never looked up.
_ROW_ID = Path(..., ge=1, le=MAX_OFFSET)


@router.get(
    "/tenders/{int:tender_id}/documents/{int:document_id}",
    url_name="tender_document_download",
    summary="Download a tender document",
    **public(errors=(404, 422), extra=_BINARY),
)
def tender_document_download(
    request: HttpRequest, tender_id: int = _ROW_ID, document_id: int = _ROW_ID
) -> FileResponse:
    """The file of a published tender's document. The `Repr-Digest` header carries its
    SHA-256 (RFC 9530), the same as `sha256` in the tender."""
    document = document_public_get(tender_pk=tender_id, pk=document_id)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    digest = base64.b64encode(bytes.fromhex(document.sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


# ---------------------------------------------------------------------------------------------
# the buyer's tenders


@router.get(
    "/buyer/tenders",
    response=list[BuyerTenderOut],
    url_name="buyer_tender_list",
    summary="List your organization's tenders",
    tags=["buyer"],
    **acting(ApiScope.TENDERS_READ, write=False, errors=(422,)),
)
@paginated
def buyer_tender_list(request: HttpRequest) -> object:
    """Every tender of the organization you act for, drafts included, newest first, with how
    many questions wait for an answer."""
    actor = actor_of(request)
    organization = acting_for(actor)
    require_reader(actor, organization, BUYER_READ_ROLES)
    return tenders_of_buyer(buyer=organization)


@router.get(
    "/buyer/tenders/{int:tender_id}",
    response=BuyerTenderDetailOut,
    url_name="buyer_tender_detail",
    summary="Read one of your organization's tenders",
    tags=["buyer"],
    **_with_etag(acting(ApiScope.TENDERS_READ, write=False, errors=(404,))),
)
def buyer_tender_detail(request: HttpRequest, response: HttpResponse, tender_id: int) -> Tender:
    """One tender of the organization you act for, drafts included. Other organizations'
    tenders answer 404."""
    actor = actor_of(request)
    organization = acting_for(actor)
    require_reader(actor, organization, BUYER_READ_ROLES)
    return _tagged(response, tender_for_organization(organization=organization, pk=tender_id))


@router.post(
    "/tenders",
    response={201: BuyerTenderDetailOut},
    url_name="tender_create",
    summary="Draft a tender",
    tags=["buyer"],
    **_with_etag(acting(ApiScope.TENDERS_WRITE, errors=(422,)), status=201),
)
def tender_create(request: HttpRequest, response: HttpResponse, payload: TenderCreateIn) -> Tender:
    """Create a draft for the organization you act for, with its lots and items in one body.
    Nothing is public until the draft is published."""
    actor = actor_of(request)
    tender = services.tender_create(actor=actor, buyer=acting_for(actor), data=payload.to_data())
    return _tagged(response, tender_for_organization(organization=tender.buyer, pk=tender.pk))


@router.patch(
    "/tenders/{int:tender_id}",
    response=BuyerTenderDetailOut,
    url_name="tender_update",
    summary="Edit a draft",
    tags=["buyer"],
    **_with_etag(acting(ApiScope.TENDERS_WRITE, errors=(404, 409, 412, 422))),
)
def tender_update(
    request: HttpRequest,
    response: HttpResponse,
    tender_id: int,
    payload: TenderUpdateIn,
    if_match: str | None = Header(None, alias="If-Match", description=_IF_MATCH),
) -> Tender:
    """Change a draft. Only the fields sent change; the others keep their value, as they are
    when the change is made (two edits of different fields sent at once both hold). `lots`,
    when given, replaces every lot and item. A published tender changes through an amendment
    instead (409 here)."""
    tender = _own(request, tender_id)
    services.tender_update(
        actor=actor_of(request),
        tender=tender,
        data=payload.to_changes(),
        expected_version=ExpectedVersion.from_header(if_match),
    )
    return _tagged(response, tender_for_organization(organization=tender.buyer, pk=tender.pk))


@router.post(
    "/tenders/{int:tender_id}/documents",
    response={201: DocumentOut},
    url_name="tender_document_add",
    summary="Attach a document to a draft",
    tags=["buyer"],
    **acting(ApiScope.TENDERS_WRITE, errors=(404, 409, 422)),
)
def tender_document_add(
    request: HttpRequest,
    tender_id: int,
    file: File[UploadedFile],
    meta: Form[DocumentIn],
) -> TenderDocument:
    """Upload a document (multipart/form-data: `file`, `title`, `document_type`). The size is
    bounded and the type is checked from the content (PDF, office formats, images, CSV,
    text, ZIP)."""
    return services.document_add(
        actor=actor_of(request),
        tender=_own(request, tender_id),
        data=services.DocumentData(upload=file, title=meta.title, document_type=meta.document_type),
    )


@router.post(
    "/tenders/{int:tender_id}/actions/publish/",
    response=TenderPublishOut,
    url_name="tender_publish",
    summary="Publish a draft",
    tags=["buyer"],
    **_with_etag(acting(ApiScope.TENDERS_WRITE, errors=(404, 409, 412, 422))),
)
def tender_publish(
    request: HttpRequest,
    response: HttpResponse,
    tender_id: int,
    if_match: str | None = Header(None, alias="If-Match", description=_IF_MATCH),
) -> Tender:
    """Publish a draft: it becomes public and open for questions and bids, and closes by itself
    at the bid deadline. Refused (422, with every reason in `errors`) when it breaks a rule,
    such as the minimum time between publication and deadline."""
    tender = services.tender_publish(
        actor=actor_of(request),
        tender=_own(request, tender_id),
        expected_version=ExpectedVersion.from_header(if_match),
    )
    return _tagged(response, tender)


@router.post(
    "/tenders/{int:tender_id}/actions/cancel/",
    response=TenderCancelOut,
    url_name="tender_cancel",
    summary="Cancel a tender",
    tags=["buyer"],
    **_with_etag(acting(ApiScope.TENDERS_WRITE, errors=(404, 409, 412, 422))),
)
def tender_cancel(
    request: HttpRequest,
    response: HttpResponse,
    tender_id: int,
    payload: CancelIn,
    if_match: str | None = Header(None, alias="If-Match", description=_IF_MATCH),
) -> Tender:
    """Cancel a draft, an open or a closed tender, stating why. A published tender stays
    public with the reason."""
    tender = services.tender_cancel(
        actor=actor_of(request),
        tender=_own(request, tender_id),
        reason=payload.reason,
        expected_version=ExpectedVersion.from_header(if_match),
    )
    return _tagged(response, tender)


@router.post(
    "/tenders/{int:tender_id}/actions/amend/",
    response={201: AmendmentOut},
    url_name="tender_amend",
    summary="Amend an open tender",
    tags=["buyer"],
    **acting(ApiScope.TENDERS_WRITE, errors=(404, 409, 412, 422)),
)
def tender_amend(
    request: HttpRequest,
    tender_id: int,
    payload: AmendIn,
    if_match: str | None = Header(None, alias="If-Match", description=_IF_MATCH),
) -> Amendment:
    """Change an open tender with a public reason. When the change alters what bidders must
    offer, the deadline moves so that bidders keep the minimum time. An open tender is one
    whose bid deadline is still ahead (409 after it, even before it shows as closed).
    Documents are not added through this endpoint."""
    return services.tender_amend(
        actor=actor_of(request),
        tender=_own(request, tender_id),
        data=payload.to_data(),
        expected_version=ExpectedVersion.from_header(if_match),
    )


# ---------------------------------------------------------------------------------------------
# clarifications


@router.post(
    "/tenders/{int:tender_id}/questions",
    response={201: QuestionOut},
    url_name="question_ask",
    summary="Ask a clarification question",
    tags=["questions"],
    **acting(
        ApiScope.QUESTIONS_ASK,
        errors=(404, 409, 422),
        throttles=[WriteThrottle("PREGON_QUESTION_RATE", per_organization=True)],
    ),
)
def question_ask(request: HttpRequest, tender_id: int, payload: QuestionIn) -> Question:
    """A supplier (or an integrator acting for one) asks about an open tender while the
    period for questions lasts. The question is published with the answer; who asked is
    not."""
    tender = tender_public_get(pk=tender_id)
    lot = None
    if payload.lot is not None:
        lot = next((lot for lot in tender.lots.all() if lot.number == payload.lot), None)
        if lot is None:
            raise ValidationFailed(
                _("This tender has no lot %(number)s.") % {"number": payload.lot}, field="lot"
            )
    return services.question_ask(actor=actor_of(request), tender=tender, text=payload.text, lot=lot)


@router.post(
    "/questions/{int:question_id}/actions/answer/",
    response=QuestionOut,
    url_name="question_answer",
    summary="Answer a question",
    tags=["buyer", "questions"],
    **acting(ApiScope.QUESTIONS_ANSWER, errors=(404, 409, 422)),
)
def question_answer(request: HttpRequest, question_id: int, payload: AnswerIn) -> Question:
    """Answer a question on one of your organization's tenders. The answer is public at once;
    the asker stays anonymous. A question is answered once."""
    question = question_for_organization(organization=acting_for(actor_of(request)), pk=question_id)
    return services.question_answer(
        actor=actor_of(request), question=question, answer=payload.answer
    )


# ---------------------------------------------------------------------------------------------
# the opening committee


_OCID = Path(
    ...,
    max_length=100,
    description="The tender's open contracting id (`ocid`), e.g. ocds-pregon-000042.",
)


class SignedInPerson(SignedInSession):
    """A signed-in person acting as themselves: opening keys are personal, so an organization
    API key is not accepted (401, saying so)."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        if not request.user.is_authenticated:
            raise AuthenticationError(
                status_code=401,
                message=_(
                    "Sign in on the site: an opening key is registered by the committee member "
                    "in person, never with an organization API key."
                ),
            )
        return super().__call__(request)


@router.post(
    "/committee-keys",
    response={201: CommitteeKeyOut},
    url_name="committee_key_register",
    summary="Register your opening key",
    tags=["buyer"],
    auth=[SignedInPerson()],
    throttle=[WriteThrottle("PREGON_API_WRITE_RATE")],
    openapi_extra=public(errors=(400, 401, 403, 422, 429))["openapi_extra"],
)
def committee_key_register(request: HttpRequest, payload: CommitteeKeyIn) -> CommitteeKey:
    """A committee member registers the public key of the X25519 key pair they created on
    their own device (in the browser, or with `pregon keys generate`), for the buyer they act
    for. Only the public key is sent; the private key stays in the member's passphrase-protected
    key file. Registering a new key revokes the member's previous one for that buyer; tenders
    already published keep the key they were published with. Needs a signed-in session (with
    its CSRF token) of a person holding the committee-member role."""
    return services.committee_key_register(
        actor=actor_of(request),
        public_key=services.public_key_decode(payload.public_key, field="public_key"),
    )


@router.get(
    "/tenders/{ocid}/committee",
    response=CommitteeOut,
    url_name="tender_committee",
    summary="Read a tender's opening committee",
    tags=["tenders"],
    **public(errors=(404, 422)),
)
def tender_committee(request: HttpRequest, ocid: str = _OCID) -> Tender:
    """The opening committee of a published tender: how many members are needed to open the
    bids, and each member's public key and fingerprint in the order sealed bids carry their
    shares. Members are not named. The same committee is in the tender's OCDS release, under
    `tender.openingCommittee` (with OCDS's camelCase names: `publicKey`). Drafts answer 404."""
    return committee_public_get(ocid=ocid)


@router.put(
    "/tenders/{ocid}/committee",
    response=BuyerCommitteeOut,
    url_name="tender_committee_set",
    summary="Name a draft's opening committee",
    tags=["buyer"],
    **acting(ApiScope.TENDERS_WRITE, errors=(404, 409, 422)),
)
def tender_committee_set(request: HttpRequest, payload: CommitteeIn, ocid: str = _OCID) -> Tender:
    """Name the opening committee of one of your drafts: committee members of your
    organization, each with an active opening key, in order, and how many of them must hand in
    their shares to open the bids (1 to n; fewer than all is wiser). Replaces the committee the
    draft had. A published tender's committee cannot change (409)."""
    actor = actor_of(request)
    tender = tender_for_organization_by_ocid(organization=acting_for(actor), ocid=ocid)
    services.tender_committee_set(
        actor=actor, tender=tender, members=payload.members, threshold=payload.threshold
    )
    tender.refresh_from_db()
    return tender
