"""Procurement plans and their lines. The state diagrams are in the models' docstrings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pregon.core import clock
from pregon.core.procurement import (
    Category,
    ClassificationScheme,
    ContentLanguage,
    Currency,
    Method,
)
from pregon.planning.choices import (
    LINE_DESCRIPTION_MAX_LENGTH,
    PLAN_TITLE_MAX_LENGTH,
    YEAR_MAX,
    YEAR_MIN,
    PlanLineStatus,
    PlanStatus,
    Quarter,
)


class Plan(models.Model):
    """A buyer's procurement plan for one year: what it expects to buy, line by line, published
    ahead so that suppliers can prepare.

    Its life, as `choices.PLAN_TRANSITIONS` writes it::

           edit, add lines        add lines, publish the new ones
           ┌──┐                   ┌──┐
           │  ▼                   │  ▼
        ┌─────────┐ publish ┌───────────┐
        │  draft  ├────────▶│ published │
        └─────────┘         └───────────┘

    Publishing the plan publishes each of its draft lines (`PlanLine`); each line is a
    contracting process of its own, published as OCDS `planning` releases.
    """

    buyer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=PLAN_TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    # The language the buyer writes the plan in: the language of its releases.
    language = models.CharField(
        _("language of the plan"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.ES,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("procurement plan")
        verbose_name_plural = _("procurement plans")
        ordering = ["-year", "buyer"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "year"], name="plan_one_per_buyer_and_year"),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX), name="plan_year_range"
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT) | Q(published_at__isnull=False),
                name="plan_published_has_date",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="plan_has_title"),
        ]

    def __str__(self) -> str:
        return _("Procurement plan %(year)s: %(title)s") % {"year": self.year, "title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("planning:plan", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status == PlanStatus.PUBLISHED


class PlanLine(models.Model):
    """One procurement a plan expects: what, how classified, worth how much, when (a quarter),
    bought how, and whether the buyer means to reserve it for micro, small and medium-sized
    enterprises. Each line is a contracting process with its own `ocid`.

    Its life, as `choices.LINE_TRANSITIONS` writes it::

           edit                  edit (a planning update)
           ┌──┐                   ┌──┐
           │  ▼                   │  ▼
        ┌─────────┐ publish ┌───────────┐ a tender is drafted ┌──────────┐
        │  draft  ├────────▶│ published ├────────────────────▶│ followed │
        └────┬────┘         └─────┬─────┘◀────────────────────┤          │
             │ remove             │ withdraw   its draft is   └──────────┘
             ▼                    ▼            cancelled
          (deleted)         ┌───────────┐
                            │ withdrawn │
                            └───────────┘

    A published line is "coming soon" on the portal. The tender drafted from it takes its ocid
    (`tenders.services.tender_draft_from_plan_line`), so the same OCDS process goes on from
    planning to tender; `reserved` is the buyer's stated intention, which the buyer's country
    rule pack confirms, or not, when the tender is published.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines"
    )
    number = models.PositiveSmallIntegerField(_("line number"))
    ocid = models.CharField(
        _("open contracting id"), max_length=100, unique=True, null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=LINE_DESCRIPTION_MAX_LENGTH)
    classification_scheme = models.CharField(
        _("classification scheme"), max_length=8, choices=ClassificationScheme.choices
    )
    classification_code = models.CharField(_("classification code"), max_length=16)
    estimated_value = models.DecimalField(_("estimated value"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter.choices)
    method = models.CharField(_("procurement method"), max_length=16, choices=Method.choices)
    category = models.CharField(_("main category"), max_length=16, choices=Category.choices)
    reserved = models.BooleanField(_("to be reserved for MSMEs"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PlanLineStatus.choices,
        default=PlanLineStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    followed_at = models.DateTimeField(_("followed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan", "number"]
        indexes = [models.Index(fields=["status", "classification_code"])]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_line_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="plan_line_number_positive"),
            models.CheckConstraint(
                condition=Q(status__in=PlanLineStatus.values), name="plan_line_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="plan_line_quarter_range"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gt=0), name="plan_line_value_positive"
            ),
            models.CheckConstraint(
                condition=Q(status=PlanLineStatus.DRAFT) | Q(published_at__isnull=False),
                name="plan_line_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanLineStatus.WITHDRAWN)
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="plan_line_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanLineStatus.FOLLOWED) | Q(followed_at__isnull=False),
                name="plan_line_followed_has_date",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="plan_line_has_description"),
        ]

    def __str__(self) -> str:
        return _("Line %(number)s: %(description)s") % {
            "number": self.number,
            "description": self.description,
        }

    def get_absolute_url(self) -> str:
        return reverse("planning:line", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        """The line's reference, as a tender's: the plan's year and the line's number."""
        return f"{self.plan.year}-{self.number:03d}"

    @property
    def is_public(self) -> bool:
        return self.status != PlanLineStatus.DRAFT and self.published_at is not None

    @property
    def is_coming_soon(self) -> bool:
        return self.status == PlanLineStatus.PUBLISHED

    def quarter_start(self) -> dt.datetime:
        """The first moment of the line's quarter in the buyer's time zone."""
        zone = ZoneInfo(self.plan.buyer.effective_time_zone)
        return dt.datetime(self.plan.year, 3 * (self.quarter - 1) + 1, 1, tzinfo=zone)
