"""The tenders' part of a release: OCDS 1.1 `tender` (with the lots, submissionTerms and
partyDetails_scale extensions), the buyer, and the process's language and initiation type.

Registered with `pregon.publication.mapping` from `apps.py`; publication asks it for the
sections of a process and puts them together with the other stages' (see that module).

What is never published: drafts; who asked a clarification question (the asker's user and
organization are not even read here).

Choices worth knowing (also in docs/open-data.md):

* `tender.status`: `active` while open *and* after the deadline (evaluation is ongoing; the
  ended `tenderPeriod` says bids are closed); `cancelled`; `complete` or `unsuccessful` only
  once award decisions exist.
* Requests for quotations are advertised publicly and any registered supplier may quote, so
  their `procurementMethod` is `open`, with `procurementMethodDetails` saying what they are.
* Clarifications: OCDS 1.1 has no core field for them and the enquiries extension is not one
  of the four this instance declares, so each answered question is a `tender.documents` entry
  of type `clarifications` whose description holds the question and its answer, and whose URL
  points at it on the tender page. `tender.hasEnquiries` says whether any was received.
* The reason for a cancellation is a `cancellationDetails` document.
* The bid opening is a `tender.milestones` entry (type `assessment`), `scheduled` here; the
  bids' mapping marks it `met`, with its `dateMet`, once the opening record is published.
* `tender.openingCommittee` is our extension field: the threshold k and the n members'
  public keys and fingerprints, in the order bidders encrypt their shares (never their names).
  Each member carries an `id` (its position) so that OCDS merging keeps one entry per member.
* `tender.awardCriteriaDetails` is written here, in the tender's language: the criteria, their
  weights and the price formula in words, then the buyer's notes on the evaluation.
* `tender.weightedCriteria` is our extension field, present when `awardCriteria` is
  `ratedCriteria`: the price scoring method (code and formula) and the criteria, each with an
  `id` (its position). OCDS merging never removes an array entry or an object, only fields set
  to `null`: a release after the criteria changed nulls the fields of each criterion (and of the
  object) that the compiled release had and the tender no longer has.
* Fields of ours from the country rule packs: `tender.rulePack` (the pack version the tender
  was published under, and its page), `tender.reasonForNotDividing` (divide or explain) and
  `tender.lots[].reservation` (who may bid on a reserved lot, under which rule; `quotaOf`, the
  lot whose divisible goods a quota lot shares) and `tender.subcontractingRequirement` (the
  share of the contract the winner subcontracts to smaller firms).
* Free texts generated here (document titles, amendment summaries) are in the tender's
  language, the release's `language`.
"""

from __future__ import annotations

import base64
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pregon.core import classifications
from pregon.core.procurement import OCDS_PROCUREMENT_METHOD
from pregon.publication.mapping import (
    NotPublishable,
    ReleaseRequest,
    Sections,
    absolute_url,
    ocds_datetime,
    ocds_number,
    ocds_value,
)
from pregon.tenders.choices import (
    AMENDABLE_FIELDS,
    CRITERIA_TOTAL_WEIGHT,
    AwardCriteria,
    ContentLanguage,
    Method,
    TenderStatus,
)
from pregon.tenders.models import (
    Amendment,
    AwardCriterion,
    CommitteeMember,
    Item,
    Lot,
    Question,
    Tender,
    TenderDocument,
)
from pregon.tenders.rule_packs import (
    basis_text,
    reservation_label,
    rule_of,
    subcontracting_requirement,
)
from pregon.tenders.rule_packs import text as rule_text
from pregon.tenders.scoring import CriterionLine, award_criteria_text, price_formula_text

# The platform's tender states in the OCDS tenderStatus codelist (drafts are never published).
TENDER_STATUS = {
    TenderStatus.ACTIVE: "active",
    TenderStatus.CLOSED: "active",
    TenderStatus.CANCELLED: "cancelled",
}

# The OCDS method codelist is closed: open, selective, limited, direct (plans map the same way).
PROCUREMENT_METHOD = OCDS_PROCUREMENT_METHOD

#: The id of the bid-opening milestone in `tender.milestones` (the bids mark it met).
OPENING_MILESTONE_ID = "bid-opening"

# Tender fields whose value can become empty after publication: a later release must then say
# `null`, or the compiled release would keep the old value.
_CLEARABLE_TENDER_FIELDS = ("awardCriteriaDetails",)


def _classification(item: Item) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The item's classification, and its catalogue group when the code is more precise."""
    scheme, code = item.classification_scheme, item.classification_code
    entry = classifications.lookup(scheme, code)
    classification: dict[str, Any] = {"scheme": scheme, "id": code}
    additional: list[dict[str, Any]] = []
    language = translation.get_language()
    if entry is not None and entry.code == code:
        classification["description"] = entry.name(language)
    elif entry is not None:
        additional.append({"scheme": scheme, "id": entry.code, "description": entry.name(language)})
    return classification, additional


def _item(item: Item, lot: Lot) -> dict[str, Any]:
    classification, additional = _classification(item)
    data: dict[str, Any] = {
        "id": str(item.pk),
        "description": item.description,
        "classification": classification,
    }
    if additional:
        data["additionalClassifications"] = additional
    data["quantity"] = ocds_number(item.quantity)
    data["unit"] = {"name": item.unit}
    data["relatedLot"] = _lot_id(lot)
    return data


def _lot_id(lot: Lot) -> str:
    # Lots are renumbered only while the tender is a draft, so the number is stable once public.
    return str(lot.number)


def _lot(lot: Lot, tender: Tender, status: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": _lot_id(lot), "title": lot.title}
    if lot.description:
        data["description"] = lot.description
    if lot.estimated_value is not None:
        data["value"] = ocds_value(lot.estimated_value, tender.currency)
    data["status"] = status
    if lot.reserved:
        data["reservation"] = _reservation(lot)
    return data


def _reservation(lot: Lot) -> dict[str, Any]:
    """A reserved lot: who may bid and the rule pack's rule (a field of ours, see
    docs/open-data.md). Texts in the tender's language."""
    rule = rule_of(lot.reservation_rule)
    pack_ref, _sep, key = lot.reservation_rule.partition(":")
    data: dict[str, Any] = {
        "description": reservation_label(lot),
        "scales": list(lot.reserved_scales),
        "cooperatives": lot.reserved_cooperatives,
        "localSuppliers": lot.reserved_local,
        "localOnly": lot.reserved_local_only,
        "obligation": lot.reservation_obligation,
        "rule": {"pack": pack_ref, "id": key},
    }
    if lot.quota_of is not None:
        # A quota of divisible goods: the share of the main lot's goods reserved here.
        data["quotaOf"] = _lot_id(lot.quota_of)
    if rule is not None:
        data["rule"] |= {
            "title": rule_text(rule.title),
            "legalBasis": basis_text(rule),
            "effectiveFrom": rule.effective_from.isoformat(),
        }
    return data


def _tender_page(tender: Tender, anchor: str = "") -> str:
    # The tender's own language prefix: the URL must not depend on who triggered the release.
    path = reverse("tenders:detail", kwargs={"pk": tender.pk})
    return absolute_url(f"{path}#{anchor}" if anchor else path)


def _file_document(document: TenderDocument, tender: Tender) -> dict[str, Any]:
    published = tender.published_at or document.uploaded_at
    return {
        "id": str(document.pk),
        "documentType": document.document_type,
        "title": document.title,
        "url": absolute_url(document.get_absolute_url()),
        "datePublished": ocds_datetime(max(document.uploaded_at, published)),
        "format": document.content_type,
        "language": tender.language,
    }


def _clarification(question: Question, tender: Tender) -> dict[str, Any]:
    """An answered question as a document; the asker is deliberately not part of it."""
    assert question.answered_at is not None
    data: dict[str, Any] = {
        "id": f"clarification-{question.number}",
        "documentType": "clarifications",
        "title": _("Question %(number)s") % {"number": question.number},
        "description": _("Question: %(question)s\n\nAnswer: %(answer)s")
        % {"question": question.text, "answer": question.answer},
        "url": _tender_page(tender, f"question-{question.number}"),
        "datePublished": ocds_datetime(question.answered_at),
        "format": "text/html",
        "language": tender.language,
    }
    if question.lot is not None:
        data["relatedLots"] = [_lot_id(question.lot)]
    return data


def _cancellation(tender: Tender) -> dict[str, Any]:
    assert tender.cancelled_at is not None
    return {
        "id": "cancellation",
        "documentType": "cancellationDetails",
        "title": _("Reason for the cancellation"),
        "description": tender.cancellation_reason,
        "url": _tender_page(tender),
        "datePublished": ocds_datetime(tender.cancelled_at),
        "format": "text/html",
        "language": tender.language,
    }


def _amendment(amendment: Amendment) -> dict[str, Any]:
    changed = []
    for name in AMENDABLE_FIELDS:
        if name in amendment.changes:
            changed.append(
                str(capfirst(getattr(Tender._meta.get_field(name), "verbose_name", name)))
            )
        # The weighted criteria are rows of their own, named beside the tender's fields.
        if name == "price_scoring" and "criteria" in amendment.changes:
            changed.append(_("Weighted criteria"))
    parts = []
    if changed:
        parts.append(_("Changed: %(fields)s.") % {"fields": ", ".join(changed)})
    documents = amendment.changes.get("documents") or []
    if documents:
        parts.append(_("Documents added: %(titles)s.") % {"titles": ", ".join(documents)})
    if amendment.new_deadline != amendment.previous_deadline:
        parts.append(
            _("The bid deadline moved from %(previous)s to %(new)s.")
            % {
                "previous": ocds_datetime(amendment.previous_deadline),
                "new": ocds_datetime(amendment.new_deadline),
            }
        )
    return {
        "id": str(amendment.number),
        "date": ocds_datetime(amendment.created_at),
        "rationale": amendment.reason,
        "description": " ".join(parts),
    }


def _opening_committee(tender: Tender) -> dict[str, Any] | None:
    """Who opens the bids, as bidders need it: k, and each member's key in position order."""
    members = list(CommitteeMember.objects.filter(tender=tender).order_by("position"))
    if tender.opening_threshold is None or not members:
        return None
    return {
        "threshold": tender.opening_threshold,
        "members": [
            {
                # Arrays of objects merge by `id` in compiled releases; without one, every
                # release would add the members again.
                "id": str(member.position),
                "position": member.position,
                # base64url without padding, as everywhere in the sealed-bid formats.
                "publicKey": base64.urlsafe_b64encode(member.public_key).decode().rstrip("="),
                "fingerprint": member.fingerprint,
            }
            for member in members
        ],
    }


def _award_criteria_details(tender: Tender, criteria: list[AwardCriterion]) -> str:
    """The criteria and the price formula in words, then the buyer's notes, if any."""
    text = award_criteria_text(
        tender.award_criteria,
        price_scoring=tender.price_scoring,
        criteria=[
            CriterionLine(name=row.name, kind=row.kind, weight=row.weight) for row in criteria
        ],
    )
    notes = tender.award_criteria_details.strip()
    return f"{text}\n\n{notes}" if notes else text


def _weighted_criteria(
    tender: Tender, criteria: list[AwardCriterion], previous: Any
) -> dict[str, Any] | None:
    """`tender.weightedCriteria`, with `null` for what `previous` (the compiled release's)
    holds and the tender no longer does; None when there is nothing to say."""
    data: dict[str, Any] = {}
    if tender.award_criteria == AwardCriteria.RATED_CRITERIA:
        data = {
            "priceScoring": tender.price_scoring,
            "priceFormula": price_formula_text(tender.price_scoring),
            "totalWeight": CRITERIA_TOTAL_WEIGHT,
            "criteria": [],
        }
        for row in criteria:
            criterion: dict[str, Any] = {"id": str(row.position), "name": row.name}
            if row.description:
                criterion["description"] = row.description
            criterion["type"] = row.kind
            criterion["weight"] = row.weight
            data["criteria"].append(criterion)
    previous = previous if isinstance(previous, dict) else {}
    for key in ("priceScoring", "priceFormula", "totalWeight"):
        if key not in data and previous.get(key) is not None:
            data[key] = None
    now = {entry["id"]: entry for entry in data.get("criteria", [])}
    cleared = []
    for old in previous.get("criteria") or []:
        if not isinstance(old, dict) or "id" not in old:
            continue
        current = now.get(old["id"], {"id": old["id"]})
        gone = {key: None for key, value in old.items() if key not in current and value is not None}
        if old["id"] in now:
            current.update(gone)
        elif gone:
            cleared.append({"id": old["id"], **gone})
    if cleared:
        data.setdefault("criteria", []).extend(cleared)
    return data or None


def tender_section(
    tender: Tender, *, procuring_entity: dict[str, str], previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The `tender` object of a release; `previous` is the tender of the compiled release."""
    if tender.status not in TENDER_STATUS or tender.published_at is None:
        raise NotPublishable(f"tender {tender.pk} is {tender.status} and was never published")
    status = TENDER_STATUS[TenderStatus(tender.status)]
    lots = list(
        Lot.objects.filter(tender=tender)
        .select_related("quota_of")
        .prefetch_related("items")
        .order_by("number")
    )
    items = [_item(item, lot) for lot in lots for item in lot.items.all()]
    documents = [
        _file_document(document, tender)
        for document in TenderDocument.objects.filter(tender=tender).order_by("uploaded_at", "id")
    ]
    answered = Question.objects.filter(tender=tender, answered_at__isnull=False)
    documents += [
        _clarification(question, tender)
        for question in answered.select_related("lot").order_by("number")
    ]
    if tender.status == TenderStatus.CANCELLED:
        documents.append(_cancellation(tender))
    amendments = [
        _amendment(amendment)
        for amendment in Amendment.objects.filter(tender=tender).order_by("number")
    ]
    criteria = list(AwardCriterion.objects.filter(tender=tender).order_by("position"))
    data: dict[str, Any] = {
        "id": tender.reference,
        "title": tender.title,
        "description": tender.description,
        "status": status,
        "procuringEntity": procuring_entity,
        "items": items,
        "value": ocds_value(tender.estimated_value, tender.currency),
        "procurementMethod": PROCUREMENT_METHOD[Method(tender.method)],
        "procurementMethodDetails": str(Method(tender.method).label),
        "mainProcurementCategory": tender.category,
        "awardCriteria": tender.award_criteria,
        "awardCriteriaDetails": _award_criteria_details(tender, criteria),
    }
    weighted = _weighted_criteria(tender, criteria, (previous or {}).get("weightedCriteria"))
    if weighted is not None:
        data["weightedCriteria"] = weighted
    data["submissionMethod"] = ["electronicSubmission"]
    data["submissionTerms"] = {"electronicSubmissionPolicy": "required"}
    published = ocds_datetime(tender.published_at)
    data["tenderPeriod"] = {
        "startDate": published,
        "endDate": ocds_datetime(tender.submission_deadline),
    }
    data["enquiryPeriod"] = {"startDate": published, "endDate": ocds_datetime(tender.enquiry_end)}
    data["hasEnquiries"] = Question.objects.filter(tender=tender).exists()
    data["lots"] = [_lot(lot, tender, status) for lot in lots]
    if tender.undivided_reason:
        data["reasonForNotDividing"] = tender.undivided_reason
    if tender.subcontracting_share is not None:
        # A field of ours (docs/open-data.md): the share the winner subcontracts to smaller
        # firms, under the pack's rule, in words in the tender's language.
        data["subcontractingRequirement"] = {
            "minimumPercentage": tender.subcontracting_share,
            "description": subcontracting_requirement(tender),
        }
    if tender.rule_pack:
        data["rulePack"] = {
            "id": tender.rule_pack,
            "url": absolute_url(reverse("rules:pack", kwargs={"ref": tender.rule_pack})),
        }
    committee = _opening_committee(tender)
    if committee is not None:
        data["openingCommittee"] = committee
    if documents:
        data["documents"] = documents
    data["milestones"] = [
        {
            "id": OPENING_MILESTONE_ID,
            "title": _("Bid opening"),
            "type": "assessment",
            "dueDate": ocds_datetime(tender.opening_at),
            "status": "scheduled",
        }
    ]
    if amendments:
        data["amendments"] = amendments
    for key in _CLEARABLE_TENDER_FIELDS:
        if key not in data and previous and previous.get(key) is not None:
            data[key] = None
    return data


def tender_sections(request: ReleaseRequest) -> Sections | None:
    """The tender's sections of the process `request.ocid`; None if no tender has that ocid.

    Texts written here are in the tender's language, the release's `language`.
    """
    tender = Tender.objects.select_related("buyer").filter(ocid=request.ocid).first()
    if tender is None:
        return None
    # The interface's Portuguese is Brazil's: "pt" alone would find no catalogue.
    language = "pt-br" if tender.language == ContentLanguage.PT else tender.language
    with translation.override(language):
        buyer = request.parties.add(tender.buyer, "buyer", "procuringEntity")
        previous_tender = (request.previous or {}).get("tender")
        tender_data = tender_section(
            tender,
            procuring_entity=buyer,
            previous=previous_tender if isinstance(previous_tender, dict) else None,
        )
    return Sections(
        head={"initiationType": "tender", "language": tender.language},
        body={"buyer": buyer, "tender": tender_data},
    )
