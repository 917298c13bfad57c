"""The states of a contract, of its milestones and of its invoices, their moves, and the labels
of the contracts' audit rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.transitions import Transition


class ContractStatus(models.TextChoices):
    """Where a contract is. The allowed moves are in `TRANSITIONS` (drawn in `models.Contract`)."""

    PENDING = "pending", _("Draft, not signed")
    SIGNED = "signed", _("Signed by the buyer, awaiting the supplier")
    ACTIVE = "active", _("In force")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")
    CANCELLED = "cancelled", _("Cancelled before it came into force")


#: The contracts that stand for their award: while one does, no other is drafted from it.
CONTRACT_STANDING = frozenset(
    {
        ContractStatus.PENDING,
        ContractStatus.SIGNED,
        ContractStatus.ACTIVE,
        ContractStatus.COMPLETED,
    }
)
#: The contracts that are public: the buyer has signed them (a draft never is).
CONTRACT_PUBLIC = frozenset(
    {
        ContractStatus.SIGNED,
        ContractStatus.ACTIVE,
        ContractStatus.COMPLETED,
        ContractStatus.TERMINATED,
    }
)
#: The contracts whose supplier both signatures bind (in force now or once).
CONTRACT_IN_FORCE_ONCE = frozenset(
    {ContractStatus.ACTIVE, ContractStatus.COMPLETED, ContractStatus.TERMINATED}
)


class ContractDocumentType(models.TextChoices):
    """The kinds of document a contract carries (codes of the OCDS documentType codelist)."""

    SIGNED = "contractSigned", _("Signed contract")
    ANNEX = "contractAnnexe", _("Annex to the contract")
    SCHEDULE = "contractSchedule", _("Schedule of deliveries")
    GUARANTEES = "contractGuarantees", _("Guarantees")


class MilestoneStatus(models.TextChoices):
    """Whether a delivery was made (OCDS milestoneStatus codes)."""

    SCHEDULED = "scheduled", _("Scheduled")
    MET = "met", _("Met")


class InvoiceStatus(models.TextChoices):
    """Where an invoice is. The allowed moves are in `INVOICE_TRANSITIONS`."""

    SUBMITTED = "submitted", _("Submitted, awaiting the buyer")
    ACCEPTED = "accepted", _("Accepted, awaiting payment")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


#: The invoices the buyer still owes an answer or money for (they may fall overdue).
INVOICES_OPEN = frozenset({InvoiceStatus.SUBMITTED, InvoiceStatus.ACCEPTED})
#: The longest reason, description or title a person may write.
TEXT_MAX_LENGTH = 4000

#: The state machine of a contract (drawn in `models.Contract`'s docstring).
TRANSITIONS: dict[str, Transition] = {
    "edit": Transition(
        sources=frozenset({ContractStatus.PENDING}),
        target=None,
        refusal=_("This contract is %(status)s; only a draft can be changed."),
        code="not_a_draft",
    ),
    "add_milestone": Transition(
        sources=frozenset({ContractStatus.PENDING, ContractStatus.SIGNED, ContractStatus.ACTIVE}),
        target=None,
        refusal=_("This contract is %(status)s; no delivery can be added to it."),
        code="contract_closed",
    ),
    "sign": Transition(
        sources=frozenset({ContractStatus.PENDING}),
        target=ContractStatus.SIGNED,
        refusal=_("This contract is %(status)s; only a draft can be signed by the buyer."),
        code="cannot_sign",
    ),
    "confirm": Transition(
        sources=frozenset({ContractStatus.SIGNED}),
        target=ContractStatus.ACTIVE,
        refusal=_(
            "This contract is %(status)s; the supplier confirms a contract once the buyer has "
            "signed it, and only once."
        ),
        code="cannot_confirm",
    ),
    "cancel": Transition(
        sources=frozenset({ContractStatus.PENDING, ContractStatus.SIGNED}),
        target=ContractStatus.CANCELLED,
        refusal=_(
            "This contract is %(status)s; only a contract not yet in force can be cancelled."
        ),
        code="cannot_cancel",
    ),
    "amend": Transition(
        sources=frozenset({ContractStatus.ACTIVE}),
        target=None,
        refusal=_("This contract is %(status)s; only a contract in force can be amended."),
        code="cannot_amend",
    ),
    "meet_milestone": Transition(
        sources=frozenset({ContractStatus.ACTIVE}),
        target=None,
        refusal=_("This contract is %(status)s; deliveries are recorded while it is in force."),
        code="contract_not_in_force",
    ),
    "invoice": Transition(
        sources=frozenset({ContractStatus.ACTIVE}),
        target=None,
        refusal=_("This contract is %(status)s; invoices are submitted while it is in force."),
        code="contract_not_in_force",
    ),
    # What was delivered under a contract is paid for after it ends too.
    "settle": Transition(
        sources=frozenset(CONTRACT_IN_FORCE_ONCE),
        target=None,
        refusal=_("This contract is %(status)s; it has no invoices to decide or pay."),
        code="contract_not_in_force",
    ),
    "complete": Transition(
        sources=frozenset({ContractStatus.ACTIVE}),
        target=ContractStatus.COMPLETED,
        refusal=_("This contract is %(status)s; only a contract in force can be completed."),
        code="cannot_complete",
    ),
    "terminate": Transition(
        sources=frozenset({ContractStatus.ACTIVE}),
        target=ContractStatus.TERMINATED,
        refusal=_("This contract is %(status)s; only a contract in force can be terminated."),
        code="cannot_terminate",
    ),
}

#: The state machine of a milestone.
MILESTONE_TRANSITIONS: dict[str, Transition] = {
    "meet": Transition(
        sources=frozenset({MilestoneStatus.SCHEDULED}),
        target=MilestoneStatus.MET,
        refusal=_("This delivery is already %(status)s."),
        code="milestone_already_met",
    ),
    "remove": Transition(
        sources=frozenset({MilestoneStatus.SCHEDULED}),
        target=None,
        refusal=_("This delivery is %(status)s; it cannot be removed."),
        code="milestone_already_met",
    ),
}

#: The state machine of an invoice::
#:
#:     submitted ──accept──▶ accepted ──pay (the last part)──▶ paid
#:         │                   └─┐ pay (a part) ┌─┘
#:         └──reject──▶ rejected   └────────────┘
INVOICE_TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(
        sources=frozenset({InvoiceStatus.SUBMITTED}),
        target=InvoiceStatus.ACCEPTED,
        refusal=_("This invoice is %(status)s; only a submitted invoice can be accepted."),
        code="invoice_already_decided",
    ),
    "reject": Transition(
        sources=frozenset({InvoiceStatus.SUBMITTED}),
        target=InvoiceStatus.REJECTED,
        refusal=_("This invoice is %(status)s; only a submitted invoice can be rejected."),
        code="invoice_already_decided",
    ),
    "pay": Transition(
        sources=frozenset({InvoiceStatus.ACCEPTED}),
        target=None,
        refusal=_("This invoice is %(status)s; payments are recorded on accepted invoices."),
        code="invoice_not_payable",
    ),
    "settle": Transition(
        sources=frozenset({InvoiceStatus.ACCEPTED}),
        target=InvoiceStatus.PAID,
        refusal=_("This invoice is %(status)s; payments are recorded on accepted invoices."),
        code="invoice_not_payable",
    ),
}


#: What the contracts' audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "contract.draft": _("Contract drafted"),
        "contract.update": _("Draft contract changed"),
        "contract.document_add": _("Document added to a contract"),
        "contract.milestone_add": _("Delivery added to a contract"),
        "contract.milestone_remove": _("Delivery removed from a draft contract"),
        "contract.sign": _("Contract signed by the buyer"),
        "contract.confirm": _("Contract confirmed by the supplier"),
        "contract.cancel": _("Contract cancelled"),
        "contract.amend": _("Contract amended"),
        "contract.milestone_meet": _("Delivery recorded as met"),
        "contract.complete": _("Contract completed"),
        "contract.terminate": _("Contract terminated"),
        "invoice.submit": _("Invoice submitted"),
        "invoice.accept": _("Invoice accepted"),
        "invoice.reject": _("Invoice rejected"),
        "payment.record": _("Payment recorded"),
    },
    summary_keys={
        "award": _("Award"),
        "contract": _("Contract"),
        "title": _("Title"),
        "value": _("Value"),
        "period_start": _("Start of the period"),
        "period_end": _("End of the period"),
        "signatory": _("Signatory"),
        "milestone": _("Delivery"),
        "due_date": _("Due date"),
        "date_met": _("Date met"),
        "amendment": _("Amendment"),
        "changes": _("Changes"),
        "invoice": _("Invoice"),
        "amount": _("Amount"),
        "due_on": _("Due date"),
        "due_rule": _("Rule of the payment term"),
        "paid_on": _("Date paid"),
        "late": _("Paid late"),
        "document": _("Document"),
        "sha256": _("SHA-256"),
        "reason": _("Reason"),
    },
    owner_fields={"contracts.contract": "buyer"},
)
