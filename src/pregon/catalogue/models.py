"""A supplier's catalogue (its shop window) and the public contracts it won, as published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from pregon.catalogue.choices import (
    CAPACITY_MAX_LENGTH,
    ITEM_NAME_MAX_LENGTH,
    REGION_MAX_LENGTH,
    UNIT_MAX_LENGTH,
    ItemKind,
)
from pregon.core import classifications, clock
from pregon.core.procurement import ClassificationScheme, Currency
from pregon.organizations.models import Organization


class CatalogueProfile(models.Model):
    """A supplier's shop window: what it does, what it can take on (capacity), the codes of what
    it offers and the regions it serves; its products and services are `CatalogueItem`s.

    draft (`published_at` empty) ──publish──▶ published ──withdraw──▶ draft
    """

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="catalogue",
    )
    description = models.TextField(_("what we do"), blank=True)
    capacity = models.TextField(_("capacity"), max_length=CAPACITY_MAX_LENGTH, blank=True)
    max_contract_value = models.DecimalField(
        _("largest contract we can take on"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
    )
    capacity_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, blank=True
    )
    lead_time_days = models.PositiveIntegerField(
        _("usual delivery time (days)"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("supplier catalogue")
        verbose_name_plural = _("supplier catalogues")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_contract_value__isnull=True)
                | Q(max_contract_value__gt=0) & ~Q(capacity_currency=""),
                name="catalogue_capacity_value_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(capacity_currency="") | Q(capacity_currency__in=Currency.values),
                name="catalogue_capacity_currency_valid",
            ),
        ]
        indexes = [models.Index(fields=["published_at"], name="catalogue_published")]

    def __str__(self) -> str:
        return str(_("Catalogue of %(supplier)s") % {"supplier": self.organization})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CatalogueCode(models.Model):
    """A classification code of what the supplier offers (a CPV or UNSPSC code).

    `prefix` is the code's significant digits (`classifications.descendants_prefix`): a search
    by a code finds the catalogues with that code or one below it, and the catalogues with a
    code above it (a supplier of "construction work" offers road works too).
    """

    profile = models.ForeignKey(
        CatalogueProfile,
        on_delete=models.CASCADE,
        related_name="codes",
        verbose_name=_("catalogue"),
    )
    scheme = models.CharField(
        _("classification scheme"), max_length=8, choices=ClassificationScheme.choices
    )
    code = models.CharField(_("classification code"), max_length=16)
    prefix = models.CharField(_("significant digits"), max_length=16, db_index=True)

    class Meta:
        verbose_name = _("classification code")
        verbose_name_plural = _("classification codes")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "scheme", "code"], name="catalogue_code_once"
            ),
            models.CheckConstraint(
                condition=Q(scheme__in=ClassificationScheme.values), name="catalogue_code_scheme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.code}"

    @property
    def label(self) -> str:
        """The code's name in the active language (its group's, said so, for a deep code)."""
        return classifications.label(self.scheme, self.code)


class ServedRegion(models.Model):
    """A region a supplier delivers to: a country, and within it a region by the name buyers'
    addresses give it (as the plans' and the search's region filters read it); an empty region
    is the whole country."""

    profile = models.ForeignKey(
        CatalogueProfile,
        on_delete=models.CASCADE,
        related_name="regions",
        verbose_name=_("catalogue"),
    )
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=REGION_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("region served")
        verbose_name_plural = _("regions served")
        ordering = ["country", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "country", "region"], name="catalogue_region_once"
            ),
        ]
        indexes = [models.Index(fields=["country", "region"], name="catalogue_region_lookup")]

    def __str__(self) -> str:
        name = str(getattr(self.country, "name", self.country))
        return f"{self.region}, {name}" if self.region else name


class CatalogueItem(models.Model):
    """A product or service in a supplier's catalogue, with an optional photo.

    The photo is stored as the platform re-encoded it (JPEG, metadata stripped, at most
    `PHOTO_MAX_SIDE` pixels a side) beside its thumbnail, both named by the hash of their bytes;
    the page that serves them checks that the catalogue is published, or that the reader acts
    for the supplier.
    """

    profile = models.ForeignKey(
        CatalogueProfile,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("catalogue"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    name = models.CharField(_("name"), max_length=ITEM_NAME_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    classification_scheme = models.CharField(
        _("classification scheme"), max_length=8, choices=ClassificationScheme.choices
    )
    classification_code = models.CharField(_("classification code"), max_length=16)
    prefix = models.CharField(_("significant digits"), max_length=16, db_index=True)
    unit = models.CharField(_("unit"), max_length=UNIT_MAX_LENGTH, blank=True)
    price = models.DecimalField(
        _("indicative price"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    photo = models.FileField(_("photo"), max_length=200, blank=True)
    thumbnail = models.FileField(_("thumbnail"), max_length=200, blank=True)
    photo_sha256 = models.CharField(_("SHA-256 of the photo"), max_length=64, blank=True)
    photo_width = models.PositiveIntegerField(_("photo width"), null=True, blank=True)
    photo_height = models.PositiveIntegerField(_("photo height"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), default=clock.now)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values), name="catalogue_item_kind"
            ),
            models.CheckConstraint(
                condition=Q(classification_scheme__in=ClassificationScheme.values),
                name="catalogue_item_scheme",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True, currency="")
                | Q(price__gte=0, currency__in=Currency.values),
                name="catalogue_item_price_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(photo="", thumbnail="", photo_sha256="")
                | (~Q(photo="") & ~Q(thumbnail="") & ~Q(photo_sha256="")),
                name="catalogue_item_photo_with_thumbnail",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_sha256)


class PublicContract(models.Model):
    """A contract a supplier holds, as this platform published it (OCDS `contracts`).

    Kept by the publication's record observer (`services.public_contracts_update`) from the
    compiled release, so the catalogue shows what the published data says, and only what it
    says: a contract not published is not here.
    """

    supplier = models.ForeignKey(
        Organization,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="public_contracts",
    )
    ocid = models.CharField(_("open contracting id"), max_length=100, db_index=True)
    contract_id = models.CharField(_("contract id"), max_length=200)
    title = models.CharField(_("title"), max_length=500, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=32, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2, null=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    date_signed = models.DateTimeField(_("signed"), null=True)
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("public contract")
        verbose_name_plural = _("public contracts")
        ordering = ["-date_signed", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "ocid", "contract_id"], name="catalogue_public_contract_once"
            ),
        ]
        indexes = [
            models.Index(fields=["supplier", "-date_signed"], name="catalogue_contracts_of"),
        ]

    def __str__(self) -> str:
        return self.title or self.contract_id
