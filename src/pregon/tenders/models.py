"""Tenders and what they are made of. The state diagram is in `Tender`'s docstring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pregon.core import clock
from pregon.core.transitions import can_transition
from pregon.tenders.choices import (
    CRITERIA_TOTAL_WEIGHT,
    CRITERION_NAME_MAX_LENGTH,
    TRANSITIONS,
    AwardCriteria,
    Category,
    ClassificationScheme,
    ContentLanguage,
    CriterionKind,
    Currency,
    DocumentType,
    Method,
    PriceScoring,
    ReservationObligation,
    TenderStatus,
)
from pregon.tenders.scoring import price_formula_text


class Tender(models.Model):
    """A call for offers by one buyer, split into lots of items.

    Its life, as `choices.TRANSITIONS` writes it (every move goes through a service, which
    calls `pregon.core.transitions.transition` on the locked row)::

           edit               amend, ask, answer          answer
           ┌──┐                ┌──┐                        ┌──┐
           │  ▼                │  ▼                        │  ▼
        ┌─────────┐ publish ┌──────────┐ close at the ┌──────────┐
        │  draft  ├────────▶│  active  ├─────────────▶│  closed  ├──▶ opening, evaluation,
        └────┬────┘         └────┬─────┘ deadline (*) └────┬─────┘    award (later)
             │ cancel            │ cancel                  │ cancel
             ▼                   ▼                         ▼
        ┌────────────────────────────────────────────────────────┐
        │                       cancelled                        │
        └────────────────────────────────────────────────────────┘

    (*) run by the task worker, scheduled at publication and at each change of deadline.
    Edit covers the draft's fields, lots, items and documents.

    "Open" is more than the status: amend and ask (and bids, later) also need the bid
    deadline still ahead, read under the row lock, since the close task runs a moment after
    the deadline (`services.common.tender_require_open`).

    `version` counts every change of the tender or of its parts; the API shows it as the
    ETag and honours If-Match with it.
    """

    buyer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="tenders",
    )
    reference = models.CharField(_("buyer's reference"), max_length=64)
    ocid = models.CharField(
        _("open contracting id"), max_length=100, unique=True, null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    language = models.CharField(
        _("language of the tender"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.ES,
    )
    method = models.CharField(_("procurement method"), max_length=16, choices=Method.choices)
    category = models.CharField(_("main category"), max_length=16, choices=Category.choices)
    estimated_value = models.DecimalField(_("estimated value"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    award_criteria = models.CharField(
        _("award criteria"),
        max_length=16,
        choices=AwardCriteria.choices,
        default=AwardCriteria.PRICE_ONLY,
    )
    # With ratedCriteria: the tender's weighted criteria (`AwardCriterion`, shared by its lots)
    # and how the price criterion is scored; with priceOnly, neither.
    price_scoring = models.CharField(
        _("price scoring method"),
        max_length=16,
        choices=PriceScoring.choices,
        blank=True,
        default="",
    )
    award_criteria_details = models.TextField(_("notes on the evaluation"), blank=True)
    enquiry_end = models.DateTimeField(_("questions accepted until"))
    submission_deadline = models.DateTimeField(_("bid deadline"))
    opening_at = models.DateTimeField(_("bid opening"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TenderStatus.choices,
        default=TenderStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Counts every change; the API's ETag.")
    )
    # k of the opening committee's n members (`CommitteeMember`): how many must hand in their
    # shares to open the bids. None while the draft has no committee; publication needs one.
    opening_threshold = models.PositiveSmallIntegerField(
        _("members needed to open the bids"), null=True, blank=True
    )
    # The country rule pack in force for the buyer's country on the day of publication
    # ("BR@2026.1"), set by `tender_publish` and never changed after: every later decision
    # about the tender reads that version (docs/rule-packs.md). Empty for tenders published
    # before the packs existed.
    rule_pack = models.CharField(_("rule pack"), max_length=64, blank=True)
    # Divide or explain: why a single-lot tender above the pack's threshold is not divided into
    # lots. Public; publication needs it when the pack asks for it.
    undivided_reason = models.TextField(_("reason for not dividing into lots"), blank=True)
    # The share of the contract's value, in percent, the winner must subcontract to smaller
    # firms, where the pack lets the buyer require it (Brazil's LC 123/2006, art. 48, II, up to
    # 30%). Public; checked against the pack at publication.
    subcontracting_share = models.PositiveSmallIntegerField(
        _("share to subcontract to smaller firms (%)"), null=True, blank=True
    )
    # The line of a procurement plan this tender was drafted from: the tender took its ocid, so
    # one OCDS process runs from the plan to the tender (ADR 0019). One tender per line.
    plan_line = models.OneToOneField(
        "planning.PlanLine",
        verbose_name=_("plan line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tender",
    )

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "submission_deadline"]),
            models.Index(fields=["buyer", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "reference"], name="tender_reference_unique_per_buyer"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TenderStatus.values), name="tender_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0), name="tender_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(subcontracting_share__isnull=True)
                | Q(subcontracting_share__gte=1, subcontracting_share__lte=100),
                name="tender_subcontracting_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(enquiry_end__lte=F("submission_deadline")),
                name="tender_enquiries_end_before_deadline",
            ),
            models.CheckConstraint(
                condition=Q(opening_at__gte=F("submission_deadline")),
                name="tender_opening_after_deadline",
            ),
            models.CheckConstraint(
                condition=Q(status=TenderStatus.DRAFT)
                | Q(published_at__isnull=False)
                | Q(status=TenderStatus.CANCELLED),
                name="tender_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=TenderStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="tender_cancellation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(opening_threshold__isnull=True) | Q(opening_threshold__gte=1),
                name="tender_opening_threshold_positive",
            ),
            # Lowest price has no price formula; weighted criteria always have one.
            models.CheckConstraint(
                condition=Q(award_criteria=AwardCriteria.PRICE_ONLY, price_scoring="")
                | Q(
                    award_criteria=AwardCriteria.RATED_CRITERIA,
                    price_scoring__in=PriceScoring.values,
                ),
                name="tender_award_criteria_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tenders:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status != TenderStatus.DRAFT and self.published_at is not None

    @property
    def price_formula(self) -> str:
        """The price formula in words, in the active language ("" with lowest price)."""
        return price_formula_text(self.price_scoring) if self.price_scoring else ""

    @property
    def accepts_questions(self) -> bool:
        """Whether suppliers may ask now (the state allows it and the period lasts)."""
        return can_transition(self, "ask", TRANSITIONS) and clock.now() < self.enquiry_end


class Lot(models.Model):
    """A part of a tender that can be bid for and awarded on its own.

    A lot may be reserved for smaller firms when the buyer's country rule pack says it must or
    may be (`services.reservation`): `reserved_scales` are the sizes that may bid, and
    cooperatives or local suppliers of any size when `reserved_cooperatives` or
    `reserved_local`; only local suppliers when `reserved_local_only`. `reservation_rule` names
    the pack's rule (``CODE@VERSION:key``). The bid eligibility check reads these fields
    (`tenders.rule_packs.lot_open_to`).
    """

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="lots"
    )
    number = models.PositiveSmallIntegerField(_("lot number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    # What some packs' reservations depend on: how many eligible suppliers asked for a call
    # limited to them (Colombia), how many small firms market research expects to offer (the
    # United States' rule of two; None: not known).
    msme_requests = models.PositiveSmallIntegerField(_("requests for a limited call"), default=0)
    expected_small_offers = models.PositiveSmallIntegerField(
        _("small firms expected to offer"), null=True, blank=True
    )
    reserved = models.BooleanField(_("reserved for smaller firms"), default=False)
    # What the pack said at the last save: "must", "may" or "no".
    reservation_obligation = models.CharField(
        _("reservation under the rules"),
        max_length=4,
        choices=ReservationObligation.choices,
        default=ReservationObligation.NO,
    )
    reserved_scales = models.JSONField(_("sizes that may bid"), default=list, blank=True)
    reserved_cooperatives = models.BooleanField(_("cooperatives may bid"), default=False)
    reserved_local = models.BooleanField(_("local suppliers may bid"), default=False)
    reserved_local_only = models.BooleanField(_("only local suppliers"), default=False)
    reservation_rule = models.CharField(_("rule of the reservation"), max_length=128, blank=True)
    # A quota of divisible goods (Brazil's LC 123/2006, art. 48, III): this lot is the share of
    # `quota_of`'s goods reserved for smaller firms under the pack's quota rule. The main lot
    # cannot be removed while its quota exists (`services.lot_delete` says so first).
    quota_of = models.ForeignKey(
        "self",
        verbose_name=_("quota of lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotas",
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["tender", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reservation_obligation__in=ReservationObligation.values),
                name="lot_reservation_obligation_valid",
            ),
            # A reserved lot names its rule; a lot the rules must reserve is reserved.
            models.CheckConstraint(
                condition=Q(reserved=False) | ~Q(reservation_rule=""),
                name="lot_reservation_has_rule",
            ),
            models.CheckConstraint(
                condition=~Q(reservation_obligation=ReservationObligation.MUST) | Q(reserved=True),
                name="lot_must_be_reserved",
            ),
            models.CheckConstraint(
                condition=~Q(reservation_obligation=ReservationObligation.NO) | Q(reserved=False),
                name="lot_reserved_only_by_rule",
            ),
            models.UniqueConstraint(fields=["tender", "number"], name="lot_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="lot_number_positive"),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="lot_value_not_negative",
            ),
            # A quota is reserved (under the pack's quota rule) and is not its own main lot.
            models.CheckConstraint(
                condition=Q(quota_of__isnull=True) | Q(reserved=True),
                name="lot_quota_is_reserved",
            ),
            models.CheckConstraint(
                condition=Q(quota_of__isnull=True) | ~Q(quota_of=F("pk")),
                name="lot_quota_not_of_itself",
            ),
        ]

    def __str__(self) -> str:
        return _("Lot %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    @property
    def reserved_for_msmes(self) -> bool:
        """Whether the lot is reserved and only micro, small or medium firms (or cooperatives
        or local suppliers) may bid: what the portal's "reserved for MSMEs" facet counts."""
        return self.reserved and bool(self.reserved_scales) and "large" not in self.reserved_scales


class AwardCriterion(models.Model):
    """One weighted award criterion of a tender whose award criteria are `ratedCriteria`.

    A tender's criteria apply to every lot: each lot's bids are scored against them on their
    own. The database holds what one row can say (a weight of 1 to 100 points, a name used once
    per tender, at most one price criterion); what takes every row of the tender (exactly one
    price criterion, weights adding up to 100) is checked by the service that writes them all
    at once, under the tender's row lock (`services.criteria.award_criteria_apply`).
    """

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=CRITERION_NAME_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=CriterionKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight (points)"))

    class Meta:
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        ordering = ["tender", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "position"], name="award_criterion_position_unique"
            ),
            models.UniqueConstraint(fields=["tender", "name"], name="award_criterion_name_unique"),
            models.UniqueConstraint(
                fields=["tender"],
                condition=Q(kind=CriterionKind.PRICE),
                name="award_criterion_one_price_per_tender",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="award_criterion_position_positive"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=CRITERIA_TOTAL_WEIGHT),
                name="award_criterion_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CriterionKind.values), name="award_criterion_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="award_criterion_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """Something to be delivered, classified by CPV or UNSPSC."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="items"
    )
    description = models.CharField(_("description"), max_length=500)
    classification_scheme = models.CharField(
        _("classification scheme"), max_length=8, choices=ClassificationScheme.choices
    )
    classification_code = models.CharField(_("classification code"), max_length=16)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=40)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["lot", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.description


def document_path(instance: TenderDocument, filename: str) -> str:
    # The stored name is the content hash: uploads never overwrite each other and names
    # supplied by users never reach the file system.
    return f"tenders/{instance.tender_id}/{instance.sha256}"


class TenderDocument(models.Model):
    """A public document of a tender (notice, specifications, ...)."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    document_type = models.CharField(_("type"), max_length=32, choices=DocumentType.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("format"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    amendment = models.ForeignKey(
        "Amendment",
        verbose_name=_("added by amendment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["tender", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tenders:document", kwargs={"pk": self.tender_id, "doc": self.pk})


class Question(models.Model):
    """A clarification question. The asker is kept private; question and answer are public."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveIntegerField(_("number"))
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_for = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), default=clock.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="question_number_unique"),
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_at__isnull=True))
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="question_answer_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Question %(number)s") % {"number": self.number}

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Amendment(models.Model):
    """A change to a published tender, with its reason and what it changed."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="amendments"
    )
    number = models.PositiveIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), default=dict)
    # True when the change alters what bidders must offer; the deadline then moved.
    changes_offer = models.BooleanField(_("changes what bidders must offer"), default=False)
    previous_deadline = models.DateTimeField(_("previous deadline"))
    new_deadline = models.DateTimeField(_("new deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), default=clock.now)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="amendment_number_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
            models.CheckConstraint(
                condition=Q(new_deadline__gte=F("previous_deadline")),
                name="amendment_never_shortens_deadline",
            ),
        ]

    def __str__(self) -> str:
        return _("Amendment %(number)s") % {"number": self.number}


#: A fingerprint: SHA-256 of the raw public key, in lowercase hexadecimal.
FINGERPRINT_PATTERN = r"^[0-9a-f]{64}$"
#: The length of an X25519 public key.
PUBLIC_KEY_BYTES = 32


class CommitteeKey(models.Model):
    """A committee member's personal X25519 public key, registered by the member.

    The private key never reaches the platform: the member creates the pair on their own
    device (in the browser, or with `pregon keys generate`) and keeps it in a file protected by
    a passphrase. A person holds at most one active key per organization; registering a new
    one revokes the old. Committees already named keep the key they copied
    (`CommitteeMember`), so a revocation changes no published tender.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="committee_keys",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_key = models.BinaryField(_("public key"), max_length=PUBLIC_KEY_BYTES)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("registered"), default=clock.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening key")
        verbose_name_plural = _("opening keys")
        ordering = ["organization", "user", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(revoked_at__isnull=True),
                name="committee_key_one_active_per_organization",
            ),
            models.CheckConstraint(
                condition=Q(fingerprint__regex=FINGERPRINT_PATTERN),
                name="committee_key_fingerprint_hex",
            ),
            models.CheckConstraint(
                condition=Exact(Length("public_key"), PUBLIC_KEY_BYTES),
                name="committee_key_public_key_32_bytes",
            ),
        ]

    def __str__(self) -> str:
        return _("Opening key %(fingerprint)s") % {"fingerprint": self.fingerprint[:16]}

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CommitteeMember(models.Model):
    """One of the n members of a tender's opening committee, at a position 1..n.

    The member's public key and fingerprint are copied from their `CommitteeKey` when the
    committee is named, and published with the tender: bidders encrypt one share of each bid
    to each of these keys, in this order.
    """

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="committee"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_key = models.BinaryField(_("public key"), max_length=PUBLIC_KEY_BYTES)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)

    class Meta:
        verbose_name = _("opening committee member")
        verbose_name_plural = _("opening committee members")
        ordering = ["tender", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "position"], name="committee_member_position_unique"
            ),
            models.UniqueConstraint(fields=["tender", "user"], name="committee_member_user_unique"),
            models.UniqueConstraint(
                fields=["tender", "fingerprint"], name="committee_member_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="committee_member_position_positive"
            ),
            models.CheckConstraint(
                condition=Q(fingerprint__regex=FINGERPRINT_PATTERN),
                name="committee_member_fingerprint_hex",
            ),
            models.CheckConstraint(
                condition=Exact(Length("public_key"), PUBLIC_KEY_BYTES),
                name="committee_member_public_key_32_bytes",
            ),
        ]

    def __str__(self) -> str:
        return _("Committee member %(position)s") % {"position": self.position}
