"""The states of plans and plan lines, their moves, and the labels of the plans' audit rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.procurement import Category, ContentLanguage, Method
from pregon.core.transitions import Transition


class PlanStatus(models.TextChoices):
    """Where a plan is. The allowed moves are in `PLAN_TRANSITIONS`."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PlanLineStatus(models.TextChoices):
    """Where a line of a plan is. The allowed moves are in `LINE_TRANSITIONS`."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Coming soon")
    FOLLOWED = "followed", _("Followed by a tender")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Quarter(models.IntegerChoices):
    """The quarter of the plan's year in which the procurement is expected to start."""

    Q1 = 1, _("First quarter (January to March)")
    Q2 = 2, _("Second quarter (April to June)")
    Q3 = 3, _("Third quarter (July to September)")
    Q4 = 4, _("Fourth quarter (October to December)")


#: The years a plan may be for.
YEAR_MIN, YEAR_MAX = 2000, 2100
#: The longest texts a plan takes (a line's description is the title of the tender drafted
#: from it, so it fits a tender's title).
PLAN_TITLE_MAX_LENGTH = 300
PLAN_DESCRIPTION_MAX_LENGTH = 5_000
LINE_DESCRIPTION_MAX_LENGTH = 300
REASON_MAX_LENGTH = 5_000
#: The most lines one plan holds.
LINES_MAX = 999

#: The plan's state machine (drawn in `models.Plan`'s docstring). Publishing a plan publishes
#: its draft lines: the first time, and again for the lines added since.
PLAN_TRANSITIONS: dict[str, Transition] = {
    "edit": Transition(
        sources=frozenset({PlanStatus.DRAFT}),
        target=None,
        refusal=_("Only a draft plan can be edited; this plan is %(status)s."),
    ),
    "publish": Transition(
        sources=frozenset({PlanStatus.DRAFT, PlanStatus.PUBLISHED}),
        target=PlanStatus.PUBLISHED,
        refusal=_("This plan cannot be published; it is %(status)s."),
    ),
    "add_line": Transition(
        sources=frozenset({PlanStatus.DRAFT, PlanStatus.PUBLISHED}),
        target=None,
        refusal=_("Lines cannot be added to this plan; it is %(status)s."),
    ),
}

#: A line's state machine (drawn in `models.PlanLine`'s docstring).
LINE_TRANSITIONS: dict[str, Transition] = {
    "publish": Transition(
        sources=frozenset({PlanLineStatus.DRAFT}),
        target=PlanLineStatus.PUBLISHED,
        refusal=_("Only a draft line can be published; this line is %(status)s."),
    ),
    # A published line may change: the change is published as a planning update.
    "edit": Transition(
        sources=frozenset({PlanLineStatus.DRAFT, PlanLineStatus.PUBLISHED}),
        target=None,
        refusal=_("This line can no longer change; it is %(status)s."),
    ),
    # A draft line was never public: it is removed. A published one is withdrawn instead.
    "remove": Transition(
        sources=frozenset({PlanLineStatus.DRAFT}),
        target=None,
        refusal=_(
            "Only a draft line can be removed; this line is %(status)s. Withdraw a published "
            "line instead."
        ),
    ),
    "withdraw": Transition(
        sources=frozenset({PlanLineStatus.PUBLISHED}),
        target=PlanLineStatus.WITHDRAWN,
        refusal=_("Only a published line can be withdrawn; this line is %(status)s."),
    ),
    # A tender drafted from the line follows it; one line, one tender.
    "follow": Transition(
        sources=frozenset({PlanLineStatus.PUBLISHED}),
        target=PlanLineStatus.FOLLOWED,
        refusal=_(
            "A tender can be drafted only from a published line that nothing follows yet; "
            "this line is %(status)s."
        ),
    ),
    # The draft tender that followed the line was cancelled before it was ever published.
    "unfollow": Transition(
        sources=frozenset({PlanLineStatus.FOLLOWED}),
        target=PlanLineStatus.PUBLISHED,
        refusal=_("This line is not followed by a tender; it is %(status)s."),
    ),
}


#: What the plans' audit rows mean (registered in `apps.py`, read by the audit page). Keys the
#: tenders name too ("title", "reason", "tender", …) read as the tenders' labels.
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "plan.create": _("Procurement plan created"),
        "plan.update": _("Draft procurement plan edited"),
        "plan.publish": _("Procurement plan published"),
        "plan_line.add": _("Plan line added"),
        "plan_line.update": _("Plan line changed"),
        "plan_line.delete": _("Draft plan line removed"),
        "plan_line.withdraw": _("Plan line withdrawn"),
        "plan_line.follow": _("Tender drafted from a plan line"),
        "plan_line.unfollow": _("Plan line freed by the cancellation of its draft tender"),
    },
    summary_keys={
        "year": _("Year"),
        "quarter": _("Quarter"),
        "line": _("Line number"),
        "lines": _("Lines"),
        "published_lines": _("Lines published"),
        "classification": _("Classification"),
        "reserved_for_msmes": _("Reserved for MSMEs"),
    },
    summary_choices={
        ("planning.planline", "status"): PlanLineStatus,
        ("planning.planline", "method"): Method,
        ("planning.planline", "category"): Category,
        ("planning.plan", "status"): PlanStatus,
        ("planning.plan", "language"): ContentLanguage,
    },
    owner_fields={"planning.plan": "buyer", "planning.planline": "plan__buyer"},
)
