"""Organizations and the API keys they issue to integrators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from pregon.accounts.choices import OrganizationKind
from pregon.core import clock
from pregon.core.time_zones import country_time_zone, validate_time_zone
from pregon.organizations.choices import ApiScope, BuyerType, Scale


class Organization(models.Model):
    """A buyer, a supplier, an oversight body or the platform operator.

    Suppliers carry their scale (micro to large, or self-employed), whether they are a
    cooperative, and the characteristics they declare; these feed the MSME indicators.
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
    is_cooperative = models.BooleanField(_("cooperative"), default=False)
    women_owned = models.BooleanField(_("women-owned"), default=False)
    indigenous_owned = models.BooleanField(_("indigenous-owned"), default=False)
    is_local = models.BooleanField(_("local business"), default=False)
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
                    is_cooperative=False, women_owned=False, indigenous_owned=False, is_local=False
                ),
                name="organization_characteristics_for_suppliers",
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
