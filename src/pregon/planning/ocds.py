"""The plan lines' part of a release: OCDS 1.1 `planning`, the planned `tender`, the buyer, and
the process's language and initiation type.

Registered with `pregon.publication.mapping` from `apps.py`, before the tenders' mapping
(INSTALLED_APPS order): for a process that a tender follows, the tender's sections are merged
over these. Each published line is a contracting process of its own (ADR 0019):

* `planning` (the line is first published), then `planningUpdate` (a change, a withdrawal);
  the tender drafted from the line keeps its ocid, and its first release is tagged `tender`.
* `planning.budget`: the line's estimated value, and the plan's title as its description.
* `planning.procurementPlan` is a field of ours: the plan (id, year, title), the line's number
  and quarter, and the line's public page.
* `tender.status` is `planned` while the line is coming soon, `withdrawn` once withdrawn (the
  reason a `cancellationDetails` document, as for a cancelled tender); `tender.tenderPeriod`
  gives only its `startDate`, the first moment of the line's quarter in the buyer's time zone.
* One item, id `planned`, with the line's classification; `procurementMethod` maps as the
  tenders' does (a request for quotations is `open`).
* A line the buyer means to reserve for MSMEs has one lot, id `1`, whose `reservation` (our
  field, as a tender's reserved lot) names micro, small and medium-sized enterprises, with no
  `obligation` nor `rule`: the buyer's country rule pack decides when the tender is published.
* The hand-over: the first release published after a tender followed the line (the tender's
  own `tender` release) sets every field of the planned item to `null`, and every field of the
  planned lot's `reservation`, because OCDS merging never removes an array entry (nor an object
  given `null`): the compiled release then
  keeps `{"id": "planned", "classification": {}}` (a classification cannot be `null`) and the
  tender's own items and lots.

Texts written here are in the plan's language, the release's `language` (a tender that follows
puts its own).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from pregon.core import classifications
from pregon.core.procurement import OCDS_PROCUREMENT_METHOD, Method, interface_language
from pregon.planning.choices import PlanLineStatus
from pregon.planning.models import PlanLine
from pregon.publication.mapping import (
    NotPublishable,
    ReleaseRequest,
    Sections,
    absolute_url,
    ocds_datetime,
    ocds_value,
)

#: The id of the planned item in `tender.items`.
PLANNED_ITEM_ID = "planned"
#: The id of the planned lot (the first lot of the tender that follows takes it over).
PLANNED_LOT_ID = "1"
#: The sizes a line reserved for MSMEs names (the partyDetails_scale codes).
MSME_SCALES = ("micro", "small", "medium")

# A line's states in the OCDS tenderStatus codelist (a followed line's tender says its own).
_TENDER_STATUS = {
    PlanLineStatus.PUBLISHED: "planned",
    PlanLineStatus.WITHDRAWN: "withdrawn",
}


def _line_page(line: PlanLine) -> str:
    return absolute_url(line.get_absolute_url())


def _classification(line: PlanLine) -> dict[str, Any]:
    """The line's code, named when the catalogue names the code itself (a deeper code's group
    would go in `additionalClassifications`, which cannot be cleared at the hand-over)."""
    scheme, code = line.classification_scheme, line.classification_code
    data: dict[str, Any] = {"scheme": scheme, "id": code}
    entry = classifications.lookup(scheme, code)
    if entry is not None and entry.code == code:
        data["description"] = entry.name(translation.get_language())
    return data


def _reservation() -> dict[str, Any]:
    """A planned lot reserved for MSMEs: the buyer's intention, no rule yet."""
    return {
        "description": _("Planned to be reserved for micro, small and medium-sized enterprises"),
        "scales": list(MSME_SCALES),
        "cooperatives": False,
        "localSuppliers": False,
        "localOnly": False,
    }


def _planning(line: PlanLine) -> dict[str, Any]:
    plan = line.plan
    return {
        "budget": {
            "description": plan.title,
            "amount": ocds_value(line.estimated_value, line.currency),
        },
        "procurementPlan": {
            "id": str(plan.pk),
            "year": plan.year,
            "title": plan.title,
            "line": line.number,
            "quarter": line.quarter,
            "url": _line_page(line),
        },
    }


def _withdrawal(line: PlanLine) -> dict[str, Any]:
    assert line.withdrawn_at is not None
    return {
        "id": "withdrawal",
        "documentType": "cancellationDetails",
        "title": _("Reason for the withdrawal"),
        "description": line.withdrawal_reason,
        "url": _line_page(line),
        "datePublished": ocds_datetime(line.withdrawn_at),
        "format": "text/html",
        "language": line.plan.language,
    }


def _entry(entries: Any, entry_id: str) -> dict[str, Any] | None:
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            return entry
    return None


def _cleared(
    old: dict[str, Any] | None, new: dict[str, Any], *, entry: bool = True
) -> dict[str, Any]:
    """`new`, with `null` for each field `old` holds and `new` does not, so that the compiled
    release drops them. Inside objects too: merging leaves an object in place when it is given
    `null` (`pregon.ocds.merge`), so a classification or a reservation is cleared field by
    field, its `id` included. An array `entry` keeps its `id`, by which merging finds it."""
    result = dict(new)
    for key, value in (old or {}).items():
        if (entry and key == "id") or value is None:
            continue
        if key not in result:
            if isinstance(value, dict):
                nested = _cleared(value, {}, entry=False)
                if nested:
                    result[key] = nested
            else:
                result[key] = None
        elif isinstance(value, dict) and isinstance(result[key], dict):
            result[key] = _cleared(value, result[key], entry=False)
    return result


def planned_tender(line: PlanLine, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The `tender` of a line coming soon or withdrawn; `previous` is the compiled release's."""
    status = _TENDER_STATUS[PlanLineStatus(line.status)]
    previous = previous or {}
    item = {
        "id": PLANNED_ITEM_ID,
        "description": line.description,
        "classification": _classification(line),
    }
    data: dict[str, Any] = {
        "id": line.reference,
        "title": line.description,
        "status": status,
        "items": [_cleared(_entry(previous.get("items"), PLANNED_ITEM_ID), item)],
        "value": ocds_value(line.estimated_value, line.currency),
        "procurementMethod": OCDS_PROCUREMENT_METHOD[Method(line.method)],
        "procurementMethodDetails": str(Method(line.method).label),
        "mainProcurementCategory": line.category,
        "tenderPeriod": {"startDate": ocds_datetime(line.quarter_start())},
    }
    lot: dict[str, Any] = {}
    if line.reserved:
        lot = {
            "id": PLANNED_LOT_ID,
            "title": line.description,
            "status": status,
            "reservation": _reservation(),
        }
    old_lot = _entry(previous.get("lots"), PLANNED_LOT_ID)
    if lot or old_lot:
        data["lots"] = [_cleared(old_lot, lot or {"id": PLANNED_LOT_ID})]
    if line.status == PlanLineStatus.WITHDRAWN:
        data["documents"] = [_withdrawal(line)]
    return data


def handed_over_tender(previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the first release after a tender followed the line clears of the planned tender
    (its item, its lot's reservation); None once the tender has taken over."""
    if not previous or previous.get("status") != "planned":
        return None
    data: dict[str, Any] = {}
    item = _entry(previous.get("items"), PLANNED_ITEM_ID)
    if item is not None:
        data["items"] = [_cleared(item, {"id": PLANNED_ITEM_ID})]
    lot = _entry(previous.get("lots"), PLANNED_LOT_ID)
    if lot is not None and isinstance(lot.get("reservation"), dict):
        # The tender's own lot 1 is merged over this (its title, status, its own reservation).
        data["lots"] = [
            {"id": PLANNED_LOT_ID, "reservation": _cleared(lot["reservation"], {}, entry=False)}
        ]
    return data or None


def plan_line_sections(request: ReleaseRequest) -> Sections | None:
    """The line's sections of the process `request.ocid`; None if no line has that ocid."""
    line = PlanLine.objects.select_related("plan", "plan__buyer").filter(ocid=request.ocid).first()
    if line is None:
        return None
    if not line.is_public:
        raise NotPublishable(f"plan line {line.pk} is a draft and was never published")
    plan = line.plan
    previous = (request.previous or {}).get("tender")
    previous = previous if isinstance(previous, dict) else None
    with translation.override(interface_language(plan.language)):
        buyer = request.parties.add(plan.buyer, "buyer")
        body: dict[str, Any] = {"buyer": buyer, "planning": _planning(line)}
        if line.status == PlanLineStatus.FOLLOWED:
            tender = handed_over_tender(previous)
        else:
            tender = planned_tender(line, previous)
        if tender:
            body["tender"] = tender
    return Sections(head={"initiationType": "tender", "language": plan.language}, body=body)
