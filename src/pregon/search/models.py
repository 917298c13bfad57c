"""The search index: one document per published contracting process, and saved searches.

A `SearchDocument` is derived from a publication `Record` (the compiled release) and nothing
else, so anything published (tenders today, quick quotes, plan lines or ingested processes
later) is found the same way. It is rebuilt whenever its record changes and can be rebuilt
from the records at any time (`pregon search reindex`).

The full-text part lives beside it, by back end (see `backends/`): on SQLite, FTS5 tables
keyed by the document's id; on PostgreSQL, the `vector` column (a tsvector, left empty on
SQLite) and trigram index on `title_folded`, created by the migrations on that database only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TsVectorField(models.Field[Any, Any]):
    """A PostgreSQL `tsvector` column (text, always empty, on other databases).

    Written only by the PostgreSQL back end's SQL; never read into Python.
    """

    description = "PostgreSQL tsvector"

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    """What the search knows of one published process: texts and facet values."""

    ocid = models.CharField(_("open contracting id"), max_length=100, unique=True)
    last_seq = models.BigIntegerField(_("feed position of the latest release"))
    date = models.DateTimeField(_("latest release date"))
    title = models.TextField(_("title"))
    # The buyer's own reference of the process (OCDS tender.id), as published and as compared
    # (folded, letters and digits only: text.reference_key).
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    reference_key = models.CharField(
        _("reference without punctuation"), max_length=200, blank=True, db_index=True
    )
    description = models.TextField(_("description"), blank=True)
    # Everything else that is searched: the items, their classifications, the buyer's name.
    body = models.TextField(_("searched text"), blank=True)
    title_folded = models.TextField(_("title without accents"))
    language = models.CharField(_("language"), max_length=8, blank=True, db_index=True)
    buyer_id = models.CharField(_("buyer id"), max_length=200, blank=True, db_index=True)
    buyer_name = models.CharField(_("buyer"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=200, blank=True, db_index=True)
    method = models.CharField(_("procurement method"), max_length=50, blank=True, db_index=True)
    category = models.CharField(_("category"), max_length=50, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=50, blank=True, db_index=True)
    value_amount = models.DecimalField(
        _("estimated value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # Reserved for micro, small and medium enterprises: no release says so yet (the MSME
    # reservations come with their own issue); the column and its filter are ready.
    reserved_msme = models.BooleanField(_("reserved for MSMEs"), default=False)
    # Who may bid on its lots reserved for MSMEs: their sizes and "cooperative", space-separated
    # (alerts match "reserved for my scale" on it); empty when no lot is reserved.
    reserved_for = models.CharField(_("reserved for"), max_length=64, blank=True, default="")
    closing_at = models.DateTimeField(_("closing date"), null=True, blank=True, db_index=True)
    # PostgreSQL only: the weighted tsvector of the title and body in the document's language.
    vector = TsVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed"), default=timezone.now)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["closing_at", "id"]
        indexes = [models.Index(fields=["value_amount"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return self.ocid


class SearchCode(models.Model):
    """A classification code of a document, once per prefix, so a code finds its descendants.

    "45210000" is stored as "45", "452", "4521", "45210", ... "45210000": a filter on a group's
    significant digits ("4521") is an equality.
    """

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="codes")
    scheme = models.CharField(_("scheme"), max_length=20)
    prefix = models.CharField(_("code prefix"), max_length=20)

    class Meta:
        verbose_name = _("search classification code")
        verbose_name_plural = _("search classification codes")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "scheme", "prefix"], name="search_code_once"
            )
        ]
        indexes = [models.Index(fields=["prefix", "scheme"])]

    def __str__(self) -> str:
        return f"{self.scheme} {self.prefix}"


class SearchWord(models.Model):
    """A word of the indexed texts (folded), once per language: the vocabulary a misspelled
    word is corrected against.

    Each back end keeps a trigram index of it (SQLite: the FTS5 table `search_word_trigram`;
    PostgreSQL: a pg_trgm GIN index), created by the migrations on that database only. Words are
    added as documents are indexed and only removed by a reindex, so a word may outlive its
    last document; correcting to it then finds nothing, as an unknown word would.
    """

    language = models.CharField(_("language"), max_length=8, blank=True)
    word = models.CharField(_("word"), max_length=40)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="search_word_once")
        ]

    def __str__(self) -> str:
        return self.word


class SavedSearch(models.Model):
    """A person's named search: the query string of the search page, replayed as it was."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(_("search"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_once")
        ]

    def __str__(self) -> str:
        return self.name
