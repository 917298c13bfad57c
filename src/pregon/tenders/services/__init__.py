"""Every change to a tender goes through one of these functions (pages, API, commands, tasks).

Each one checks permission and the allowed from-states (`choices.TRANSITIONS`, through
`common.move`), locks the tender row, validates, writes inside one transaction with its audit
row, counts a new version of the tender, and schedules follow-up work on commit. A refused
action raises a `DomainError` and leaves the database as it was.

The modules, by sub-domain: `data` (what the services take), `validation` (checks of values),
`common` (lock, permission, state, version), `drafting`, `criteria` (the award criteria, which
drafting and amendments set through it), `documents`, `committee` (members' opening keys and a
draft's opening committee), `lifecycle` (publish, amend, cancel), `closing` (what the deadline
task runs), `questions` and `planned` (a draft from a line of a procurement plan). The names
below are the package's public face:
`from pregon.tenders import services; services.tender_publish(...)`.
"""

from pregon.tenders.services.closing import tender_close_if_due, tenders_close_due
from pregon.tenders.services.committee import (
    committee_key_register,
    committee_key_revoke,
    committee_problems,
    fingerprint_of,
    public_key_decode,
    public_key_encode,
    tender_committee_set,
)
from pregon.tenders.services.common import tender_require_open
from pregon.tenders.services.criteria import criteria_of
from pregon.tenders.services.data import (
    TENDER_FIELDS,
    AmendmentData,
    CriterionData,
    DocumentData,
    ItemData,
    LotData,
    TenderChanges,
    TenderData,
)
from pregon.tenders.services.documents import document_add, document_delete
from pregon.tenders.services.drafting import (
    item_add,
    item_delete,
    lot_delete,
    lot_save,
    tender_create,
    tender_update,
)
from pregon.tenders.services.lifecycle import (
    publication_problems,
    tender_amend,
    tender_cancel,
    tender_publish,
)
from pregon.tenders.services.planned import tender_draft_from_plan_line
from pregon.tenders.services.questions import question_answer, question_ask

# The former private name, still read by tests outside the tenders app.
_TENDER_FIELDS = TENDER_FIELDS

__all__ = [
    "TENDER_FIELDS",
    "AmendmentData",
    "CriterionData",
    "DocumentData",
    "ItemData",
    "LotData",
    "TenderChanges",
    "TenderData",
    "committee_key_register",
    "committee_key_revoke",
    "committee_problems",
    "criteria_of",
    "document_add",
    "document_delete",
    "fingerprint_of",
    "item_add",
    "item_delete",
    "lot_delete",
    "lot_save",
    "public_key_decode",
    "public_key_encode",
    "publication_problems",
    "question_answer",
    "question_ask",
    "tender_amend",
    "tender_cancel",
    "tender_close_if_due",
    "tender_committee_set",
    "tender_create",
    "tender_draft_from_plan_line",
    "tender_publish",
    "tender_require_open",
    "tender_update",
    "tenders_close_due",
]
