"""Every change of an evaluation: one function each (see `services.evaluation`)."""

from pregon.evaluation.services.evaluation import (
    assessment_disqualify,
    assessment_qualify,
    assessment_score,
    evaluation_complete,
    evaluation_start,
    justification_answer,
    justification_decide,
    justification_request,
)

__all__ = [
    "assessment_disqualify",
    "assessment_qualify",
    "assessment_score",
    "evaluation_complete",
    "evaluation_start",
    "justification_answer",
    "justification_decide",
    "justification_request",
]
