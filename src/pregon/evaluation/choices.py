"""The states of a lot's evaluation and of each bid's assessment in it, their moves, and the
labels of the evaluation's audit rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.transitions import Transition


class EvaluationStatus(models.TextChoices):
    """Where the evaluation of one lot is. The allowed moves are in `TRANSITIONS`."""

    IN_PROGRESS = "in_progress", _("In progress")
    JUSTIFICATION_REQUESTED = "justification_requested", _("Waiting for justifications")
    COVER_OFFERED = "cover_offered", _("Waiting for the answer to the right to cover")
    COMPLETED = "completed", _("Completed")


class CoverStatus(models.TextChoices):
    """Where a right to cover the best offer is (`COVER_TRANSITIONS`)."""

    OFFERED = "offered", _("Offered, awaiting the answer")
    IMPROVED = "improved", _("Covered with a lower price")
    PASSED = "passed", _("Let pass by the bidder")
    LAPSED = "lapsed", _("Let pass: the deadline passed without an answer")


class Compliance(models.TextChoices):
    """Whether a bid meets the tender's requirements for a lot."""

    PENDING = "pending", _("Not yet checked")
    QUALIFIED = "qualified", _("Qualified")
    DISQUALIFIED = "disqualified", _("Disqualified")


class Justification(models.TextChoices):
    """Where the justification of an abnormally low price is (`JUSTIFICATION_TRANSITIONS`)."""

    NONE = "none", _("Not requested")
    REQUESTED = "requested", _("Requested from the bidder")
    ANSWERED = "answered", _("Answered by the bidder")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


#: The justifications the committee still has to decide.
JUSTIFICATIONS_OPEN = frozenset({Justification.REQUESTED, Justification.ANSWERED})
#: The longest reason, request or answer the committee or a bidder may write.
TEXT_MAX_LENGTH = 4000

#: The state machine of a lot's evaluation (drawn in `models.Evaluation`'s docstring).
TRANSITIONS: dict[str, Transition] = {
    "assess": Transition(
        sources=frozenset({EvaluationStatus.IN_PROGRESS, EvaluationStatus.JUSTIFICATION_REQUESTED}),
        target=None,
        refusal=_("The evaluation of this lot is %(status)s; its assessments no longer change."),
        code="evaluation_completed",
    ),
    "request_justification": Transition(
        sources=frozenset({EvaluationStatus.IN_PROGRESS, EvaluationStatus.JUSTIFICATION_REQUESTED}),
        target=EvaluationStatus.JUSTIFICATION_REQUESTED,
        refusal=_("The evaluation of this lot is %(status)s; no justification can be requested."),
        code="evaluation_completed",
    ),
    "answer": Transition(
        sources=frozenset({EvaluationStatus.JUSTIFICATION_REQUESTED}),
        target=None,
        refusal=_("The evaluation of this lot is %(status)s; it awaits no justification."),
        code="no_justification_requested",
    ),
    "decide": Transition(
        sources=frozenset({EvaluationStatus.JUSTIFICATION_REQUESTED}),
        target=None,
        refusal=_("The evaluation of this lot is %(status)s; it awaits no justification."),
        code="no_justification_requested",
    ),
    "resume": Transition(
        sources=frozenset({EvaluationStatus.JUSTIFICATION_REQUESTED}),
        target=EvaluationStatus.IN_PROGRESS,
        refusal=_("The evaluation of this lot is %(status)s; it awaits no justification."),
        code="no_justification_requested",
    ),
    "complete": Transition(
        sources=frozenset({EvaluationStatus.IN_PROGRESS}),
        target=EvaluationStatus.COMPLETED,
        refusal=_(
            "The evaluation of this lot is %(status)s; it can be completed only while in "
            "progress, with every justification decided."
        ),
        code="cannot_complete",
    ),
    # A rule pack's fictitious tie invites a bidder to cover the best offer: the lot waits for
    # its answer (`services.cover`), which completes it.
    "offer_cover": Transition(
        sources=frozenset({EvaluationStatus.IN_PROGRESS}),
        target=EvaluationStatus.COVER_OFFERED,
        refusal=_("The evaluation of this lot is %(status)s; no right to cover can be offered."),
        code="cannot_complete",
    ),
    "cover_answered": Transition(
        sources=frozenset({EvaluationStatus.COVER_OFFERED}),
        target=EvaluationStatus.COMPLETED,
        refusal=_("The evaluation of this lot is %(status)s; it awaits no right to cover."),
        code="no_cover_offered",
    ),
    # The lot is decided on the completed evaluation's ranking (`services.award.award_decide`).
    "award": Transition(
        sources=frozenset({EvaluationStatus.COMPLETED}),
        target=None,
        refusal=_(
            "The evaluation of this lot is %(status)s; a lot is awarded only once its "
            "evaluation is completed."
        ),
        code="evaluation_not_completed",
    ),
    # A complaint upheld sends the lot back to the committee (`evaluation_reopen`).
    "reopen": Transition(
        sources=frozenset({EvaluationStatus.COMPLETED}),
        target=EvaluationStatus.IN_PROGRESS,
        refusal=_("The evaluation of this lot is %(status)s; only a completed one is reopened."),
        code="cannot_reopen",
    ),
}

#: The state machine of an abnormally low price's justification (on `BidAssessment`).
JUSTIFICATION_TRANSITIONS: dict[str, Transition] = {
    "request": Transition(
        sources=frozenset({Justification.NONE}),
        target=Justification.REQUESTED,
        refusal=_("A justification of this price was already requested; it is %(status)s."),
        code="justification_already_requested",
    ),
    "answer": Transition(
        sources=frozenset({Justification.REQUESTED}),
        target=Justification.ANSWERED,
        refusal=_("This justification cannot be answered now; it is %(status)s."),
        code="cannot_answer",
    ),
    "accept": Transition(
        sources=frozenset({Justification.ANSWERED}),
        target=Justification.ACCEPTED,
        refusal=_("Only an answered justification can be accepted; it is %(status)s."),
        code="cannot_accept",
    ),
    "reject": Transition(
        sources=frozenset({Justification.REQUESTED, Justification.ANSWERED}),
        target=Justification.REJECTED,
        refusal=_("Only a requested justification can be rejected; it is %(status)s."),
        code="cannot_reject",
    ),
}


#: The state machine of a right to cover (on `RightToCover`).
COVER_TRANSITIONS: dict[str, Transition] = {
    "improve": Transition(
        sources=frozenset({CoverStatus.OFFERED}),
        target=CoverStatus.IMPROVED,
        refusal=_("This right to cover is %(status)s; it was already answered."),
        code="cover_answered",
    ),
    "pass": Transition(
        sources=frozenset({CoverStatus.OFFERED}),
        target=CoverStatus.PASSED,
        refusal=_("This right to cover is %(status)s; it was already answered."),
        code="cover_answered",
    ),
    "lapse": Transition(
        sources=frozenset({CoverStatus.OFFERED}),
        target=CoverStatus.LAPSED,
        refusal=_("This right to cover is %(status)s; it was already answered."),
        code="cover_answered",
    ),
}


class AwardStatus(models.TextChoices):
    """Where the decision on one lot is. The allowed moves are in `AWARD_TRANSITIONS`."""

    STANDSTILL = "standstill", _("Decided, in the standstill period")
    SUSPENDED = "suspended", _("Suspended by a complaint")
    ACTIVE = "active", _("Final: the contract may be signed")
    CANCELLED = "cancelled", _("Cancelled after a complaint")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful: no compliant bid")


class ComplaintStatus(models.TextChoices):
    """Where a complaint about an award is. The allowed moves are in `COMPLAINT_TRANSITIONS`."""

    PENDING = "pending", _("Pending a decision")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")
    CLOSED = "closed", _("Closed: the award was cancelled on another complaint")


class AwardNoticeKind(models.TextChoices):
    """What a notice tells a bidder of the lot."""

    AWARDED = "awarded", _("Your bid is awarded")
    NOT_AWARDED = "not_awarded", _("Your bid is not awarded")
    UNSUCCESSFUL = "unsuccessful", _("No bid is awarded")
    CANCELLED = "cancelled", _("The award is cancelled")


#: The awards whose decision stands (every one but a cancelled one): one per lot at most.
AWARD_STANDING = frozenset(
    {
        AwardStatus.STANDSTILL,
        AwardStatus.SUSPENDED,
        AwardStatus.ACTIVE,
        AwardStatus.UNSUCCESSFUL,
    }
)
#: The longest grounds of a complaint, and the most documents it carries.
GROUNDS_MAX_LENGTH = 10_000
COMPLAINT_DOCUMENTS_MAX = 10

#: Who decides complaints (`settings.PREGON_COMPLAINTS_DECIDED_BY`).
COMPLAINTS_DECIDED_BY_BUYER = "buyer"
COMPLAINTS_DECIDED_BY_OVERSIGHT = "oversight"

#: The state machine of an award (drawn in `models.Award`'s docstring). An award is created in
#: `standstill` (or `unsuccessful`, which is final) by `award_decide`.
AWARD_TRANSITIONS: dict[str, Transition] = {
    "complain": Transition(
        sources=frozenset({AwardStatus.STANDSTILL, AwardStatus.SUSPENDED}),
        target=AwardStatus.SUSPENDED,
        refusal=_("This award is %(status)s; complaints are filed only during its standstill."),
        code="not_in_standstill",
    ),
    "end_standstill": Transition(
        sources=frozenset({AwardStatus.STANDSTILL}),
        target=AwardStatus.ACTIVE,
        refusal=_("This award is %(status)s; only a standstill without complaint ends."),
        code="cannot_end_standstill",
    ),
    # The last pending complaint dismissed: back to standstill, or active if its time passed.
    "resume": Transition(
        sources=frozenset({AwardStatus.SUSPENDED}),
        target=None,
        refusal=_("This award is %(status)s; it is not suspended."),
        code="not_suspended",
    ),
    "cancel": Transition(
        sources=frozenset({AwardStatus.SUSPENDED}),
        target=AwardStatus.CANCELLED,
        refusal=_("This award is %(status)s; only a suspended award is cancelled on a complaint."),
        code="cannot_cancel",
    ),
}

#: The state machine of a complaint (drawn in `models.Complaint`'s docstring).
COMPLAINT_TRANSITIONS: dict[str, Transition] = {
    "uphold": Transition(
        sources=frozenset({ComplaintStatus.PENDING}),
        target=ComplaintStatus.UPHELD,
        refusal=_("This complaint is %(status)s; it was already decided."),
        code="complaint_decided",
    ),
    "dismiss": Transition(
        sources=frozenset({ComplaintStatus.PENDING}),
        target=ComplaintStatus.DISMISSED,
        refusal=_("This complaint is %(status)s; it was already decided."),
        code="complaint_decided",
    ),
    "close": Transition(
        sources=frozenset({ComplaintStatus.PENDING}),
        target=ComplaintStatus.CLOSED,
        refusal=_("This complaint is %(status)s; it was already decided."),
        code="complaint_decided",
    ),
}


#: What the evaluation's audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "evaluation.start": _("Evaluation of a lot started"),
        "evaluation.assess": _("Bid assessed"),
        "evaluation.refuse_ineligible": _("Offer on a lot reserved for others refused"),
        "evaluation.score": _("Quality criteria scored"),
        "evaluation.request_justification": _("Justification of a low price requested"),
        "evaluation.answer_justification": _("Justification of a low price answered"),
        "evaluation.decide_justification": _("Justification of a low price decided"),
        "evaluation.complete": _("Evaluation of a lot completed"),
        "evaluation.reopen": _("Evaluation of a lot reopened"),
        "evaluation.offer_cover": _("Right to cover the best offer offered"),
        "evaluation.cover_improve": _("Best offer covered with a lower price"),
        "evaluation.cover_pass": _("Right to cover let pass"),
        "evaluation.cover_lapse": _("Right to cover lapsed at its deadline"),
        "award.decide": _("Lot awarded"),
        "award.unsuccessful": _("Lot declared unsuccessful"),
        "award.end_standstill": _("Standstill period ended"),
        "award.notice_read": _("Award notice read"),
        "complaint.file": _("Complaint filed"),
        "complaint.decide": _("Complaint decided"),
    },
    summary_keys={
        "lot": _("Lot"),
        "bid": _("Bid"),
        "compliance": _("Compliance"),
        "reason": _("Reason"),
        "scores": _("Points per criterion"),
        "justification": _("Justification"),
        "ranking": _("Ranking"),
        "adjustments": _("Adjustments of the ranking"),
        "supplier": _("Supplier"),
        "value": _("Value"),
        "status": _("Status"),
        "standstill_ends_at": _("End of the standstill period"),
        "award": _("Award"),
        "grounds": _("Grounds"),
        "documents": _("Documents"),
        "resolution": _("Resolution"),
        "complaint": _("Complaint"),
        "deadline": _("Deadline"),
        "price": _("Price"),
        "best_price": _("Best offer"),
    },
    summary_choices={
        ("evaluation.bidassessment", "compliance"): Compliance,
        ("evaluation.award", "status"): AwardStatus,
        ("evaluation.complaint", "status"): ComplaintStatus,
        ("evaluation.righttocover", "status"): CoverStatus,
    },
    owner_fields={
        "evaluation.award": "tender__buyer",
        "evaluation.righttocover": "evaluation__tender__buyer",
    },
)
