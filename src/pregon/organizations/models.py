"""Organizations and the API keys they issue to integrators."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from pregon.accounts.choices import OrganizationKind
from pregon.core import clock
from pregon.core.time_zones import country_time_zone, validate_time_zone
from pregon.organizations.choices import (
    ApiScope,
    BuyerType,
    ConsortiumMemberStatus,
    ConsortiumStatus,
    DocumentKind,
    LegalForm,
    Scale,
    ScaleStatus,
)


class Organization(models.Model):
    """A buyer, a supplier, an oversight body or the platform operator.

    Suppliers carry their scale (micro to large, or self-employed), their legal form (company,
    cooperative, association, community enterprise…) and the characteristics they declare;
    these feed the MSME indicators. A supplier registers once and every bid reuses the profile.

    The scale (`scale`, what every bid carries into the bid statistics and OCDS) is the one the
    country's rule pack computes from the declared employees and annual turnover
    (`computed_scale`, under the pack `scale_rule_pack`), or the supplier's own declaration
    (`declared_scale`) when the figures do not decide it. Its evidence is a held document; a
    platform administrator verifies it (`scale_status`, see `ScaleStatus` for the states).
    Its dates (a buyer's tender deadlines) are set and shown in its time zone, the main one of
    its country unless it names another.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    identifier_scheme = models.CharField(_("identifier scheme"), max_length=24)
    identifier_id = models.CharField(_("identifier"), max_length=64)
    legal_name = models.CharField(_("legal name"), max_length=300)
    name = models.CharField(_("name in common use"), max_length=200, blank=True)
    street_address = models.CharField(_("street address"), max_length=300, blank=True)
    locality = models.CharField(_("city or locality"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = CountryField(_("country"))
    email = models.EmailField(_("contact e-mail"), blank=True)
    telephone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("what the organization does"), blank=True)
    buyer_type = models.CharField(
        _("type of public body"), max_length=24, choices=BuyerType.choices, blank=True
    )
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=24, choices=LegalForm.choices, blank=True
    )
    declared_scale = models.CharField(
        _("declared scale"), max_length=16, choices=Scale.choices, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_turnover = models.DecimalField(
        _("annual turnover"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    computed_scale = models.CharField(
        _("scale by the country's rules"), max_length=16, choices=Scale.choices, blank=True
    )
    scale_rule_pack = models.CharField(_("rule pack of the scale"), max_length=64, blank=True)
    scale_declared_at = models.DateTimeField(_("scale declared"), null=True, blank=True)
    scale_status = models.CharField(
        _("verification of the scale"),
        max_length=16,
        choices=ScaleStatus.choices,
        default=ScaleStatus.DECLARED,
    )
    scale_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scale reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scale_reviewed_at = models.DateTimeField(_("scale reviewed"), null=True, blank=True)
    scale_review_note = models.TextField(_("note of the review"), blank=True)
    is_cooperative = models.BooleanField(_("cooperative"), default=False)
    women_owned = models.BooleanField(_("women-owned"), default=False)
    indigenous_owned = models.BooleanField(_("indigenous-owned"), default=False)
    is_local = models.BooleanField(_("local business"), default=False)
    hubzone = models.BooleanField(_("HUBZone small business"), default=False)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "The zone its dates are set and shown in, by its IANA name (America/Belize). "
            "Empty: the main zone of its country."
        ),
    )
    created_at = models.DateTimeField(_("registered"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_scheme", "identifier_id"], name="organization_identifier_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
            # A supplier always declares its scale; other kinds never carry one.
            models.CheckConstraint(
                condition=(
                    models.Q(kind=OrganizationKind.SUPPLIER, scale__in=Scale.values)
                    | (~models.Q(kind=OrganizationKind.SUPPLIER) & models.Q(scale=""))
                ),
                name="organization_scale_for_suppliers",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OrganizationKind.SUPPLIER)
                | models.Q(
                    is_cooperative=False,
                    women_owned=False,
                    indigenous_owned=False,
                    is_local=False,
                    hubzone=False,
                ),
                name="organization_characteristics_for_suppliers",
            ),
            # A supplier has a legal form; a cooperative is one by its legal form.
            models.CheckConstraint(
                condition=(
                    models.Q(kind=OrganizationKind.SUPPLIER, legal_form__in=LegalForm.values)
                    | (~models.Q(kind=OrganizationKind.SUPPLIER) & models.Q(legal_form=""))
                ),
                name="organization_legal_form_for_suppliers",
            ),
            models.CheckConstraint(
                condition=models.Q(legal_form=LegalForm.COOPERATIVE, is_cooperative=True)
                | (~models.Q(legal_form=LegalForm.COOPERATIVE) & models.Q(is_cooperative=False)),
                name="organization_cooperative_by_legal_form",
            ),
            models.CheckConstraint(
                condition=models.Q(declared_scale__in=["", *Scale.values])
                & models.Q(computed_scale__in=["", *Scale.values]),
                name="organization_declared_computed_scale_valid",
            ),
            # Figures, a computed scale and a review only for suppliers.
            models.CheckConstraint(
                condition=models.Q(kind=OrganizationKind.SUPPLIER)
                | models.Q(
                    employees__isnull=True,
                    annual_turnover__isnull=True,
                    computed_scale="",
                    declared_scale="",
                    scale_status=ScaleStatus.DECLARED,
                ),
                name="organization_scale_figures_for_suppliers",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_turnover__isnull=True) | models.Q(annual_turnover__gte=0),
                name="organization_turnover_not_negative",
            ),
            # A computed scale names the rule pack it was computed under.
            models.CheckConstraint(
                condition=models.Q(computed_scale="") | ~models.Q(scale_rule_pack=""),
                name="organization_computed_scale_has_pack",
            ),
            models.CheckConstraint(
                condition=models.Q(scale_status__in=ScaleStatus.values),
                name="organization_scale_status_valid",
            ),
            # A verified or rejected scale records when it was reviewed.
            models.CheckConstraint(
                condition=~models.Q(scale_status__in=[ScaleStatus.VERIFIED, ScaleStatus.REJECTED])
                | models.Q(scale_reviewed_at__isnull=False),
                name="organization_scale_review_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return self.name or self.legal_name

    @property
    def effective_time_zone(self) -> str:
        """The IANA name of the zone this organization's dates read in: its own, or by default
        its country's main one (America/Sao_Paulo for Brazil)."""
        # str() of a country is its ISO code ("" when none is set).
        return self.time_zone or country_time_zone(str(self.country))

    @property
    def party_id(self) -> str:
        """The id this organization has among the parties of published data."""
        return f"{self.identifier_scheme}-{self.identifier_id}"

    @property
    def is_msme(self) -> bool:
        return self.scale in {Scale.MICRO, Scale.SMALL, Scale.MEDIUM, Scale.SELF_EMPLOYED}

    @property
    def characteristics(self) -> list[str]:
        """The characteristics it declares, as the codes published data use."""
        return [
            code
            for code, declared in (
                ("womenOwned", self.women_owned),
                ("indigenousOwned", self.indigenous_owned),
                ("local", self.is_local),
                ("hubZone", self.hubzone),
            )
            if declared
        ]

    @property
    def is_consortium(self) -> bool:
        return self.legal_form == LegalForm.CONSORTIUM


class Consortium(models.Model):
    """Suppliers bidding as one (a consortium, a unión temporal, a groupement): a supplier
    organization of its own (`organization`, legal form consortium, on whose behalf the lead
    member's people bid), its members with their shares, and where it stands.

    A lead member forms it and invites the others; once every member has accepted it is formed
    and may bid. Its scale is its largest member's, so it counts as an SME only when every
    member is one; a reserved lot accepts it only when every member may bid on the lot.
    """

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("consortium"),
        on_delete=models.PROTECT,
        related_name="consortium",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConsortiumStatus.choices,
        default=ConsortiumStatus.FORMING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    formed_at = models.DateTimeField(_("formed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConsortiumStatus.values),
                name="consortium_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ConsortiumStatus.FORMED)
                | models.Q(formed_at__isnull=False),
                name="consortium_formed_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ConsortiumStatus.CANCELLED)
                | models.Q(cancelled_at__isnull=False),
                name="consortium_cancelled_recorded",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def may_bid(self) -> bool:
        return self.status == ConsortiumStatus.FORMED


class ConsortiumMember(models.Model):
    """One member of a consortium, its share and its answer to the invitation (the lead member
    accepts by forming it)."""

    consortium = models.ForeignKey(
        Consortium, verbose_name=_("consortium"), on_delete=models.CASCADE, related_name="members"
    )
    member = models.ForeignKey(
        Organization,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="consortium_memberships",
    )
    is_lead = models.BooleanField(_("lead member"), default=False)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    status = models.CharField(
        _("answer"),
        max_length=16,
        choices=ConsortiumMemberStatus.choices,
        default=ConsortiumMemberStatus.INVITED,
    )
    invited_at = models.DateTimeField(_("invited"), default=clock.now)
    # When the invitation was e-mailed to the member's people (once, however often the task runs).
    emailed_at = models.DateTimeField(_("invitation e-mailed"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")
        ordering = ["-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "member"], name="consortium_member_once"),
            models.UniqueConstraint(
                fields=["consortium"],
                condition=models.Q(is_lead=True),
                name="consortium_one_lead",
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0, share__lte=100), name="consortium_share_range"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ConsortiumMemberStatus.values),
                name="consortium_member_status_valid",
            ),
            # The lead member accepted by forming the consortium.
            models.CheckConstraint(
                condition=models.Q(is_lead=False)
                | models.Q(status=ConsortiumMemberStatus.ACCEPTED),
                name="consortium_lead_accepted",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ConsortiumMemberStatus.INVITED)
                | models.Q(answered_at__isnull=False),
                name="consortium_member_answer_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.share} %)"


def supplier_document_path(instance: SupplierDocument, filename: str) -> str:
    # A random name: names supplied by people never reach the disk, and two versions of a
    # document with the same bytes stay two files (one may be removed, not the other).
    return f"supplier-documents/{instance.organization_id}/{uuid.uuid4().hex}"


class SupplierDocument(models.Model):
    """A document a supplier holds once on the platform (legal existence, tax and social
    security compliance, evidence of its size), with the day it expires.

    One current document of each kind: uploading a new one removes the old one from use
    (`removed_at`), which stays for the record. The files are not public: the supplier's
    people, the platform administrators who verify them and the buyers it won a contract
    from read them.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("document"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=supplier_document_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("format"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier document")
        verbose_name_plural = _("supplier documents")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=models.Q(removed_at__isnull=True),
                name="supplier_document_one_current_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="supplier_document_kind"
            ),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="supplier_document_size"),
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True)
                | models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="supplier_document_expires_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"], name="supplier_document_expiry")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.filename})"

    def is_current_on(self, day: dt.date) -> bool:
        """In use and not expired on `day` (a document expires at the end of its last day)."""
        return self.removed_at is None and (self.expires_on is None or self.expires_on >= day)


class DocumentReminder(models.Model):
    """The e-mail telling a supplier's people that a document expires soon: at most one per
    document and number of days before its expiry (`PREGON_DOCUMENT_REMINDER_DAYS`)."""

    document = models.ForeignKey(
        SupplierDocument, on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    created_at = models.DateTimeField(_("created"), default=clock.now)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("document reminder")
        verbose_name_plural = _("document reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "days_before"], name="document_reminder_once"
            ),
            models.CheckConstraint(
                condition=models.Q(days_before__gt=0), name="document_reminder_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} −{self.days_before}"


class ApiKey(models.Model):
    """A secret an organization gives an integrator (e.g. a marketplace acting for a supplier).

    Only a hash of the secret is stored; the prefix lets the key be found and shown.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: ApiScope | str) -> bool:
        return str(scope) in self.scopes

    @property
    def is_active(self) -> bool:
        now = clock.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
