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
    COMPLETED = "completed", _("Completed")


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


#: What the evaluation's audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "evaluation.start": _("Evaluation of a lot started"),
        "evaluation.assess": _("Bid assessed"),
        "evaluation.score": _("Quality criteria scored"),
        "evaluation.request_justification": _("Justification of a low price requested"),
        "evaluation.answer_justification": _("Justification of a low price answered"),
        "evaluation.decide_justification": _("Justification of a low price decided"),
        "evaluation.complete": _("Evaluation of a lot completed"),
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
    },
    summary_choices={("evaluation.bidassessment", "compliance"): Compliance},
)
