"""A supplier's sealed bids in its workspace: the bid page of a tender, its bids with their
receipts, and the withdrawal of a bid.

The bid page never receives a bid. Its script (`static/workspace/bid.js`) seals the bid in
the browser with the sealing bundle (`static/bids/sealing.js`), to the opening committee the
tender's published release names, uploads the encrypted documents in chunks and submits the
envelope through the bids API, signed in with the page's session and CSRF token. Its form
fields carry no `name`, so even a form posted without the script sends nothing. Without
JavaScript the page says so and shows the `pregon bid submit` command for the tender.

Withdrawing posts a confirmation form here, which calls the same service as the API. Another
supplier's bid answers 404, as one that does not exist; a person who does not act for a
supplier gets 403, as everywhere in the supplier workspace.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.bids import services
from pregon.bids.choices import UPLOADS_PENDING_MAX, BidStatus
from pregon.bids.declaration import DECLARATION_VERSION, declaration_text
from pregon.bids.models import Bid, BidDeclaration, rfc3339
from pregon.bids.selectors import bid_of_supplier, bids_of_supplier
from pregon.core import clock
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import form_errors_from
from pregon.core.uploads import ALLOWED_TYPES
from pregon.ledger import keys
from pregon.organizations.acting import WorkspaceOrganization, actor_from_request, require_workspace
from pregon.organizations.api_auth import ORGANIZATION_HEADER
from pregon.organizations.choices import ApiScope
from pregon.publication.selectors import record_by_ocid
from pregon.sealing.envelope import DOCUMENT_OVERHEAD, MAX_TEXT
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender
from pregon.tenders.rule_packs import lot_open_to, lots_open_to, tender_open_to
from pregon.tenders.selectors import tender_public_get
from pregon.tlog.checkpoint import format_verifier_key, open_note
from pregon.tlog.errors import LedgerError
from pregon.workspace.supplier.bid_forms import WithdrawForm, new_idempotency_key

_SUPPLIER_KINDS = frozenset({OrganizationKind.SUPPLIER})
INVALID_FORM_STATUS = 422
#: The question of the page's one free-text answer. The tender has no questionnaire yet, so a
#: bid answers this one; it is written in the plain bid as is (not translated), so that the
#: opening record lists every bidder's answer under the same question, whatever the language
#: each bidder's page was in.
NOTES_QUESTION = "Notes and declarations"
# A bid id no bid has, replaced by the script with the real one in URLs it builds.
_ANY_ID = uuid.UUID(int=0)


def _supplier(request: HttpRequest) -> WorkspaceOrganization:
    return require_workspace(request, kinds=_SUPPLIER_KINDS, roles=SUPPLIER_ROLES)


def _public_tender(pk: int) -> Tender:
    try:
        return tender_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None


def _own_bid(workspace: WorkspaceOrganization, bid_id: uuid.UUID) -> Bid:
    try:
        return bid_of_supplier(organization=workspace.organization, pk=bid_id)
    except NotFound as error:
        raise Http404(str(error.message)) from None


# ---------------------------------------------------------------------------------------------
# what the pages show


@dataclass(frozen=True, kw_only=True)
class CommitteeMemberKey:
    """One member of the opening committee, as the tender's published release names them."""

    position: int
    fingerprint: str
    public_key: str


@dataclass(frozen=True, kw_only=True)
class PublishedCommittee:
    """The opening committee of the tender's compiled release (`tender.openingCommittee`)."""

    threshold: int
    members: list[CommitteeMemberKey]


def published_committee(tender: Tender) -> PublishedCommittee | None:
    """The committee the tender's published record names, or None when it names none.

    Read from the open data, not from the tables: it is what the transparency log holds, and
    what the page's script checks the API's answer against before it seals anything.
    """
    if not tender.ocid:
        return None
    try:
        record = record_by_ocid(ocid=tender.ocid, versioned=False)
    except NotFound:
        return None
    published = (record.compiled.get("tender") or {}).get("openingCommittee")
    if not isinstance(published, dict):
        return None
    threshold = published.get("threshold")
    entries = published.get("members")
    if not isinstance(threshold, int) or not isinstance(entries, list) or not entries:
        return None
    members = []
    for entry in entries:
        if not isinstance(entry, dict):
            return None
        position, fingerprint = entry.get("position"), entry.get("fingerprint")
        public_key = entry.get("publicKey")
        if not (
            isinstance(position, int)
            and isinstance(fingerprint, str)
            and isinstance(public_key, str)
        ):
            return None
        members.append(
            CommitteeMemberKey(position=position, fingerprint=fingerprint, public_key=public_key)
        )
    members.sort(key=lambda member: member.position)
    return PublishedCommittee(threshold=threshold, members=members)


def closed_reason(tender: Tender, now: Any) -> str:
    """Why the tender takes no bid now, or "" while it is open (active, deadline ahead)."""
    if tender.status == TenderStatus.CANCELLED:
        return _("This tender was cancelled: it accepts no bids.")
    if tender.status != TenderStatus.ACTIVE or tender.submission_deadline <= now:
        return _(
            "The bid deadline has passed: this tender no longer accepts bids, replacements or "
            "withdrawals."
        )
    return ""


def cli_commands(tender: Tender, current: Bid | None) -> dict[str, str]:
    """The `pregon bid` commands that do from a terminal what the page does in the browser."""
    url = settings.SITE_URL.rstrip("/")
    lots = " ".join(f"--lot {lot.number}=AMOUNT" for lot in tender.lots.all())
    content = f'{lots} --answer "{NOTES_QUESTION}=…" --document FILE'
    if current is None:
        seal = f"pregon bid submit --url {url} --tender {tender.ocid} {content}"
    else:
        seal = f"pregon bid replace {current.pk} --url {url} {content}"
    commands = {"seal": seal}
    if current is not None:
        commands["withdraw"] = f"pregon bid withdraw {current.pk} --url {url}"
    return commands


def receipt_command(bid: Bid) -> str:
    """The command that fetches a bid's receipt and checks its inclusion in the log."""
    return f"pregon bid receipt {bid.pk} --url {settings.SITE_URL.rstrip('/')}"


def _log_key_of(note: str) -> str:
    """The verifier key (of this log's keys) whose signature on `note` verifies, or ""."""
    try:
        opened = open_note(note, keys.verifier_keys())
    except LedgerError:
        return ""
    return format_verifier_key(opened.verified[0].key)


def receipt_json(bid: Bid, *, withdrawal: bool = False) -> dict[str, Any]:
    """A receipt as `pregon bid receipt --receipt-out` saves it ("pregon-bid-receipt/1")."""
    if withdrawal:
        if bid.withdrawn_at is None or bid.withdraw_leaf_index is None:
            raise Http404(_("This bid was not withdrawn."))
        action, moment = "withdraw", bid.withdrawn_at
        index, note = bid.withdraw_leaf_index, bid.withdraw_receipt
    else:
        action, moment, index, note = bid.action, bid.received_at, bid.leaf_index, bid.receipt
    data: dict[str, Any] = {
        "format": "pregon-bid-receipt/1",
        "bid": str(bid.pk),
        "tender": str(bid.tender.ocid),
        "action": action,
        "commitment": bid.commitment,
        "time": rfc3339(moment),
        "leafIndex": index,
        "receivedAt": rfc3339(moment),
        "receipt": note,
    }
    log_key = _log_key_of(note)
    if log_key:
        data["logKey"] = log_key
    return data


def script_texts(*, document_limit: int, documents_max: int) -> dict[str, str]:
    """What the bid page's script says, in the page's language.

    `%(name)s`, `%(number)s`, `%(count)s` and `%(detail)s` are left for the script to fill in.
    """
    name = {"name": "%(name)s"}
    return {
        "summary": _("Please correct the fields marked below."),
        "no-lot": _("Enter your price for at least one lot."),
        "amount": _(
            "Write the price with digits only, with a point or a comma before the decimals (at "
            "most ten), like 1250.50."
        ),
        "too-many": _("Choose at most %(count)s documents.") % {"count": documents_max},
        "empty": _("%(name)s is empty.") % name,
        "size": _("%(name)s is larger than the limit of %(limit)s.")
        % {**name, "limit": filesizeformat(document_limit)},
        "type": _("%(name)s: files of this type are not accepted. Accepted types: %(types)s.")
        % {**name, "types": ", ".join(sorted(ALLOWED_TYPES))},
        "content": _(
            "%(name)s: the content of the file does not match its name. Save it again in the "
            "right format and retry."
        )
        % name,
        "unreadable": _("%(name)s could not be read on this device.") % name,
        "committee-mismatch": _(
            "The opening committee the platform sent is not the one published for this tender. "
            "Nothing was sealed or sent. Reload the page; if this happens again, tell the buyer."
        ),
        "committee-failed": _(
            "The opening committee could not be fetched, so nothing was sealed or sent. Check "
            "your connection and try again."
        ),
        "seal-failed": _(
            "The bid could not be sealed in this browser, and nothing was sent. Check the prices "
            "and notes, or use the pregon command below."
        ),
        "too-large": _(
            "The sealed bid is too large. Shorten the notes, or put long texts in a document."
        ),
        "sealing": _("Sealing the bid on this device…"),
        "uploading": _("Uploading encrypted document %(number)s of %(count)s…")
        % {"number": "%(number)s", "count": "%(count)s"},
        "resuming": _("The connection dropped. Resuming where the upload stopped…"),
        "submitting": _("Submitting the sealed envelope…"),
        "resending": _(
            "Your last submission did not receive its receipt. Sending the same sealed bid "
            "again, with the same idempotency key…"
        ),
        "done": _("The platform received your sealed bid. Keep the receipt below."),
        "unreachable": _(
            "The platform could not be reached, and nothing is lost: your sealed bid is kept in "
            "this browser tab. Press “Send again”, or reload the page, to send it with the same "
            "idempotency key."
        ),
        "upload-failed": _(
            "The platform could not be reached, so the bid was not submitted. Check your "
            "connection and press the button again."
        ),
        "refused": _("The platform refused the bid: %(detail)s") % {"detail": "%(detail)s"},
        "declaration": _(
            "Tick the box to sign the self-declaration: a bid is not accepted without it."
        ),
        "deadline": _(
            "The bid deadline has passed: the platform accepts no more bids for this tender."
        ),
    }


def _current_log_key() -> str:
    return format_verifier_key(keys.verifier_keys()[0])


# ---------------------------------------------------------------------------------------------
# pages


@login_required
@require_GET
def bids_list(request: HttpRequest) -> HttpResponse:
    """The organization's sealed bids, newest first, with their status and receipts."""
    workspace = _supplier(request)
    return render(
        request,
        "workspace/supplier/bids/list.html",
        {
            "workspace": workspace,
            "nav": "bids",
            "bids": list(bids_of_supplier(organization=workspace.organization)),
        },
    )


@login_required
@require_GET
def bid_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The bid page of a published tender: seal and submit, replace or withdraw the bid.

    Drafts answer 404 like unknown tenders. Once the deadline has passed (by the database's
    clock), or the tender is cancelled, the page says so and offers no form.
    """
    workspace = _supplier(request)
    tender = _public_tender(pk)
    now = clock.db_now()
    history = list(bids_of_supplier(organization=workspace.organization, tender=tender))
    current = next((bid for bid in history if bid.status == BidStatus.SUBMITTED), None)
    committee = published_committee(tender)
    # The server bounds a document as stored (encrypted: nonce and tag added); the page bounds
    # the file chosen, before it is encrypted.
    limit = settings.PREGON_BID_DOCUMENT_MAX_BYTES - DOCUMENT_OVERHEAD
    context = {
        "workspace": workspace,
        "nav": "bids",
        "tender": tender,
        # Lots reserved for smaller firms that this supplier does not fit are not offered.
        "lots": lots_open_to(tender, workspace.organization),
        "reserved_notes": [
            note
            for lot in tender.lots.all()
            if (note := lot_open_to(lot, workspace.organization)) is not None
        ],
        "history": history,
        "current": current,
        "committee": committee,
        "closed": closed_reason(tender, now)
        or (tender_open_to(tender, workspace.organization) or ""),
        "server_now": now,
        "commands": cli_commands(tender, current),
        "notes_question": NOTES_QUESTION,
        "document_limit": limit,
        "document_types": ", ".join(sorted(ALLOWED_TYPES)),
        "documents_max": UPLOADS_PENDING_MAX,
        "document_accept": ",".join(sorted(ALLOWED_TYPES)),
        "notes_max": MAX_TEXT,
        "declaration_version": DECLARATION_VERSION,
        "declaration_text": declaration_text(),
        "script_texts": script_texts(document_limit=limit, documents_max=UPLOADS_PENDING_MAX),
        "script": {
            "ocid": tender.ocid,
            "organization": workspace.organization.pk,
            "organization_header": ORGANIZATION_HEADER,
            "csrf": get_token(request),
            "replace": str(current.pk) if current is not None else "",
            "currency": tender.currency,
            "time_zone": tender.buyer.effective_time_zone,
            "log_key": _current_log_key(),
            "chunk": settings.PREGON_BID_CHUNK_MAX_BYTES,
            "types": json.dumps(ALLOWED_TYPES, sort_keys=True),
            "urls": json.dumps(
                {
                    "committee": reverse("api:tender_committee", kwargs={"ocid": tender.ocid}),
                    "uploadStart": reverse("api:bid_upload_start", kwargs={"ocid": tender.ocid}),
                    "upload": reverse("api:bid_upload_get", kwargs={"upload_id": _ANY_ID}),
                    "submit": reverse("api:bid_submit", kwargs={"ocid": tender.ocid}),
                    "replace": reverse("api:bid_replace", kwargs={"bid_id": _ANY_ID}),
                    "receiptPage": reverse("supplier:bid_receipt", kwargs={"bid_id": _ANY_ID}),
                    "anyId": str(_ANY_ID),
                },
                sort_keys=True,
            ),
        },
    }
    return render(request, "workspace/supplier/bids/bid.html", context)


@login_required
@require_GET
def bid_receipt(request: HttpRequest, bid_id: uuid.UUID) -> HttpResponse:
    """One of the organization's bids: its status and signed receipts, and how to check them."""
    workspace = _supplier(request)
    bid = _own_bid(workspace, bid_id)
    return render(
        request,
        "workspace/supplier/bids/receipt.html",
        {
            "workspace": workspace,
            "nav": "bids",
            "bid": bid,
            "tender": bid.tender,
            "replaced_by": Bid.objects.filter(replaces=bid).first(),
            "declaration": BidDeclaration.objects.filter(bid=bid).first(),
            "command": receipt_command(bid),
            "scope": ApiScope.BIDS_SUBMIT.value,
        },
    )


@login_required
@require_GET
def bid_receipt_download(
    request: HttpRequest, bid_id: uuid.UUID, withdrawal: bool = False
) -> HttpResponse:
    """A receipt as a file, in the format `pregon bid receipt` saves."""
    workspace = _supplier(request)
    bid = _own_bid(workspace, bid_id)
    data = receipt_json(bid, withdrawal=withdrawal)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json; charset=utf-8",
    )
    name = f"bid-{bid.pk}-{data['action']}.receipt.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def bid_withdraw(request: HttpRequest, bid_id: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation; POST withdraws the bid (until the deadline) and shows its
    receipt."""
    workspace = _supplier(request)
    bid = _own_bid(workspace, bid_id)
    form = WithdrawForm(request.POST or None, initial={"idempotency_key": new_idempotency_key()})
    context = {
        "workspace": workspace,
        "nav": "bids",
        "bid": bid,
        "tender": bid.tender,
        "form": form,
        "closed": closed_reason(bid.tender, clock.db_now()),
    }
    template = "workspace/supplier/bids/withdraw.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=INVALID_FORM_STATUS)
    try:
        services.bid_withdraw(
            actor=actor_from_request(request, workspace.organization),
            bid=bid,
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except DomainError as error:
        form_errors_from(error, form)
        context["closed"] = closed_reason(bid.tender, clock.db_now())
        return render(request, template, context, status=error.status)
    messages.success(
        request,
        _("Your bid is withdrawn; the transparency log records it. Keep the receipt below."),
    )
    return redirect("supplier:bid_receipt", bid_id=bid.pk)
