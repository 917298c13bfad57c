"""The states of a sub-opportunity and of its answers, their moves, the contract states that
allow subcontracts and their payments, and the labels of the subcontracting audit rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.contracts.choices import ContractStatus
from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.transitions import Transition
from pregon.organizations.choices import Scale


class SubOpportunityStatus(models.TextChoices):
    """Where a sub-opportunity is. The moves are in `TRANSITIONS` (drawn in
    `models.SubOpportunity`)."""

    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed to answers")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


class AnswerStatus(models.TextChoices):
    """Where an answer is. The moves are in `ANSWER_TRANSITIONS`."""

    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CHOSEN = "chosen", _("Chosen")
    NOT_CHOSEN = "not_chosen", _("Not chosen")


class Reservation(models.TextChoices):
    """Who may answer a sub-opportunity."""

    OPEN = "open", _("Any supplier")
    MSME = "msme", _("Micro, small and medium-sized enterprises only")


#: The scales that count as micro, small and medium-sized enterprises (self-employed people
#: included), as `Organization.is_msme` reads them.
MSME_SCALES = frozenset({Scale.MICRO, Scale.SMALL, Scale.MEDIUM, Scale.SELF_EMPLOYED})
#: The answers that stand for their organization: one per organization and sub-opportunity.
ANSWER_STANDING = frozenset({AnswerStatus.SUBMITTED, AnswerStatus.CHOSEN, AnswerStatus.NOT_CHOSEN})

#: The state machine of a sub-opportunity::
#:
#:          answer, edit (loops)
#:            ┌──┐
#:            │  ▼       close          pick
#:  post ──▶ ┌──────┐ ─────────▶ ┌────────┐ ──────▶ ┌─────────┐
#:           │ open │            │ closed │         │ awarded │
#:           └──┬───┘ ─────────────────────────────▶└─────────┘
#:              │ cancel   pick  │ cancel
#:              ▼                ▼
#:           ┌─────────────────────────┐
#:           │        cancelled        │
#:           └─────────────────────────┘
TRANSITIONS: dict[str, Transition] = {
    "answer": Transition(
        sources=frozenset({SubOpportunityStatus.OPEN}),
        target=None,
        refusal=_("This sub-opportunity is %(status)s; it takes no answers."),
        code="not_open",
    ),
    "close": Transition(
        sources=frozenset({SubOpportunityStatus.OPEN}),
        target=SubOpportunityStatus.CLOSED,
        refusal=_("This sub-opportunity is %(status)s; only an open one can be closed."),
        code="cannot_close",
    ),
    "pick": Transition(
        sources=frozenset({SubOpportunityStatus.OPEN, SubOpportunityStatus.CLOSED}),
        target=SubOpportunityStatus.AWARDED,
        refusal=_("This sub-opportunity is %(status)s; no answer can be chosen."),
        code="cannot_pick",
    ),
    "cancel": Transition(
        sources=frozenset({SubOpportunityStatus.OPEN, SubOpportunityStatus.CLOSED}),
        target=SubOpportunityStatus.CANCELLED,
        refusal=_("This sub-opportunity is %(status)s; it can no longer be cancelled."),
        code="cannot_cancel",
    ),
}

#: The state machine of an answer::
#:
#:   submitted ──withdraw──▶ withdrawn
#:       │ choose    └─ (the others, when one is chosen) ─▶ not chosen
#:       ▼
#:     chosen
ANSWER_TRANSITIONS: dict[str, Transition] = {
    "withdraw": Transition(
        sources=frozenset({AnswerStatus.SUBMITTED}),
        target=AnswerStatus.WITHDRAWN,
        refusal=_("This answer is %(status)s; only a submitted answer can be withdrawn."),
        code="cannot_withdraw",
    ),
    "choose": Transition(
        sources=frozenset({AnswerStatus.SUBMITTED}),
        target=AnswerStatus.CHOSEN,
        refusal=_("This answer is %(status)s; only a submitted answer can be chosen."),
        code="cannot_choose",
    ),
    "pass_over": Transition(
        sources=frozenset({AnswerStatus.SUBMITTED}),
        target=AnswerStatus.NOT_CHOSEN,
        refusal=_("This answer is %(status)s."),
        code="cannot_pass_over",
    ),
}

#: What a contract's state allows of its subcontracts (read on the contract's row).
CONTRACT_MOVES: dict[str, Transition] = {
    # A sub-opportunity is posted, and a subcontract recorded, on a contract the buyer signed
    # and that has not ended.
    "subcontract": Transition(
        sources=frozenset({ContractStatus.SIGNED, ContractStatus.ACTIVE}),
        target=None,
        refusal=_(
            "This contract is %(status)s; subcontracts are recorded on a contract signed by "
            "the buyer that has not ended."
        ),
        code="contract_not_open_to_subcontracts",
    ),
    # What a subcontractor delivered is paid for after the contract ends too.
    "pay_subcontract": Transition(
        sources=frozenset(
            {
                ContractStatus.SIGNED,
                ContractStatus.ACTIVE,
                ContractStatus.COMPLETED,
                ContractStatus.TERMINATED,
            }
        ),
        target=None,
        refusal=_("This contract is %(status)s; no payment to a subcontractor can be recorded."),
        code="contract_not_payable",
    ),
}

#: The longest description or note a person may write.
TEXT_MAX_LENGTH = 4000

#: What the subcontracting audit rows mean (registered in `apps.py`).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "subopportunity.post": _("Sub-opportunity posted"),
        "subopportunity.close": _("Sub-opportunity closed to answers"),
        "subopportunity.cancel": _("Sub-opportunity cancelled"),
        "subopportunity.pick": _("Answer to a sub-opportunity chosen"),
        "subanswer.submit": _("Answer to a sub-opportunity submitted"),
        "subanswer.withdraw": _("Answer to a sub-opportunity withdrawn"),
        "subcontract.record": _("Subcontract recorded"),
        "subcontract.pay": _("Payment to a subcontractor recorded"),
    },
    summary_keys={
        "tender": _("Tender"),
        "contract": _("Contract"),
        "opportunity": _("Sub-opportunity"),
        "answer": _("Answer"),
        "subcontract": _("Subcontract"),
        "subcontractor": _("Subcontractor"),
        "organization": _("Organization"),
        "title": _("Title"),
        "price": _("Price"),
        "value": _("Value"),
        "amount": _("Amount"),
        "paid_on": _("Date paid"),
        "scale": _("Scale"),
        "reserved": _("Reserved for"),
        "closes_at": _("Answers until"),
        "reason": _("Reason"),
    },
    owner_fields={
        "subcontracting.subopportunity": "organization",
        "subcontracting.answer": "organization",
        "subcontracting.subcontract": "prime",
    },
)
