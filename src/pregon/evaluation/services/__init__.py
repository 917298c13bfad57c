"""Every change of an evaluation and of an award: one function each (see `services.evaluation`,
`services.award`, `services.standstill`, `services.cover` and `services.cover_deadline`)."""

from pregon.evaluation.services.award import (
    award_decide,
    award_notice_read,
    complaint_decide,
    complaint_file,
    standstill_days,
)
from pregon.evaluation.services.cover import cover_improve, cover_pass
from pregon.evaluation.services.cover_deadline import cover_lapse, covers_lapse_due
from pregon.evaluation.services.evaluation import (
    assessment_disqualify,
    assessment_qualify,
    assessment_score,
    evaluation_complete,
    evaluation_reopen,
    evaluation_start,
    justification_answer,
    justification_decide,
    justification_request,
)
from pregon.evaluation.services.notices import award_notice_email, cover_invitation_email
from pregon.evaluation.services.standstill import award_standstill_end, awards_standstill_end_due

__all__ = [
    "assessment_disqualify",
    "assessment_qualify",
    "assessment_score",
    "award_decide",
    "award_notice_email",
    "award_notice_read",
    "award_standstill_end",
    "awards_standstill_end_due",
    "complaint_decide",
    "complaint_file",
    "cover_improve",
    "cover_invitation_email",
    "cover_lapse",
    "cover_pass",
    "covers_lapse_due",
    "evaluation_complete",
    "evaluation_reopen",
    "evaluation_start",
    "justification_answer",
    "justification_decide",
    "justification_request",
    "standstill_days",
]
