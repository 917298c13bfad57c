"""The transparency log in the database.

Tables and what may change in them:

* ``LogHead``: one row holding the log's size; appenders lock it, so appends are serialised. Its
  size only grows (a database trigger refuses anything else).
* ``Leaf``: one row per logged item (index, kind, reference, RFC 9162 leaf hash). Insert-only.
* ``Node``: the hashes of complete perfect subtrees, keyed by ``(level, index)`` (see
  ``pregon.tlog.merkle``). Insert-only.
* ``SignedCheckpoint``: every checkpoint the log signed, as served. Insert-only: the history.
* ``WatchedLog``: another instance's log that this instance witnesses (configuration).
* ``IssuedCosignature``: every checkpoint of a watched log that this instance checked and
  cosigned. Insert-only.
* ``ReceivedCosignature``: cosignatures of this log's checkpoints made by other instances.
  Insert-only.

The insert-only tables are ``LoggedRow`` models: they refuse ``save()`` of an existing row,
``delete()``, and queryset ``update()``/``delete()`` in the application
(``pregon.core.append_only``), and database triggers refuse UPDATE and DELETE from any other
client (migration ``0002_append_only_triggers``) and, on PostgreSQL, TRUNCATE of any of the
log's tables, the head's included (``0003_truncate_triggers``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core import clock
from pregon.core.append_only import AppendOnlyModel
from pregon.ledger.choices import LeafKind


class LoggedRow(AppendOnlyModel):
    """A row of one of the log's insert-only tables."""

    append_only_message = "The transparency log is append-only."

    class Meta:
        abstract = True


class LogHead(models.Model):
    """The one row that holds how many leaves the log has; appenders lock it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(_("tree size"), default=0)

    class Meta:
        verbose_name = _("log head")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="ledger_loghead_single_row"),
            models.CheckConstraint(condition=models.Q(size__gte=0), name="ledger_loghead_size"),
        ]

    def __str__(self) -> str:
        return f"log of {self.size} leaves"


class Leaf(LoggedRow):
    """One logged item: its position in the tree, what it is, and the hash of its bytes."""

    index = models.BigIntegerField(_("leaf index"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=32, choices=LeafKind.choices)
    # The id of what was logged (a release id, a bid id...), to find the leaf from the item.
    ref = models.CharField(_("reference"), max_length=255, db_index=True)
    leaf_hash = models.BinaryField(_("leaf hash"), max_length=32, db_index=True)
    created_at = models.DateTimeField(_("logged at"), default=clock.now)

    class Meta:
        verbose_name = _("log leaf")
        verbose_name_plural = _("log leaves")
        ordering = ["index"]
        constraints = [
            models.CheckConstraint(condition=models.Q(index__gte=0), name="ledger_leaf_index"),
        ]

    def __str__(self) -> str:
        return f"leaf {self.index} ({self.kind} {self.ref})"


class Node(LoggedRow):
    """The hash of the perfect subtree of ``2**level`` leaves starting at ``index * 2**level``."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField(_("level"))
    index = models.BigIntegerField(_("index"))
    hash = models.BinaryField(_("hash"), max_length=32)

    class Meta:
        verbose_name = _("log node")
        verbose_name_plural = _("log nodes")

    def __str__(self) -> str:
        return f"node ({self.level}, {self.index})"


class SignedCheckpoint(LoggedRow):
    """A checkpoint the log signed: its size, root hash and the signed note exactly as served."""

    size = models.BigIntegerField(_("tree size"), db_index=True)
    root_hash = models.BinaryField(_("root hash"), max_length=32)
    note = models.TextField(_("signed note"))
    created_at = models.DateTimeField(_("signed at"), default=clock.now)

    class Meta:
        verbose_name = _("signed checkpoint")
        verbose_name_plural = _("signed checkpoints")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class WatchedLog(models.Model):
    """Another instance's log that this one witnesses: where it is and the key it signs with.

    The row is configuration (it can be deactivated and its key updated); what was witnessed is
    kept in ``IssuedCosignature`` and never changes.
    """

    origin = models.CharField(_("origin"), max_length=255, unique=True)
    url = models.URLField(_("log address"), max_length=500)
    vkey = models.CharField(_("verifier key"), max_length=500)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added at"), default=clock.now)
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("watched log")
        verbose_name_plural = _("watched logs")
        ordering = ["origin"]

    def __str__(self) -> str:
        return self.origin


class IssuedCosignature(LoggedRow):
    """A checkpoint of a watched log that this instance verified, checked and cosigned."""

    watched_log = models.ForeignKey(
        WatchedLog,
        verbose_name=_("watched log"),
        on_delete=models.PROTECT,
        related_name="issued_cosignatures",
    )
    size = models.BigIntegerField(_("tree size"))
    root_hash = models.BinaryField(_("root hash"), max_length=32)
    # The checkpoint with the log's own signature and this instance's cosignature.
    note = models.TextField(_("cosigned note"))
    created_at = models.DateTimeField(_("cosigned at"), default=clock.now)

    class Meta:
        verbose_name = _("issued cosignature")
        verbose_name_plural = _("issued cosignatures")
        ordering = ["-id"]
        indexes = [models.Index(fields=["watched_log", "-size"])]

    def __str__(self) -> str:
        return f"cosignature of {self.watched_log_id} at {self.size}"


class ReceivedCosignature(LoggedRow):
    """A witness's cosignature of one of this log's checkpoints, served beside it."""

    witness = models.ForeignKey(
        WatchedLog,
        verbose_name=_("witness"),
        on_delete=models.PROTECT,
        related_name="received_cosignatures",
    )
    size = models.BigIntegerField(_("tree size"))
    root_hash = models.BinaryField(_("root hash"), max_length=32)
    # The signature line exactly as it appears in a signed note (with its final newline).
    signature_line = models.TextField(_("signature line"))
    signed_at = models.DateTimeField(_("cosigned at"))
    created_at = models.DateTimeField(_("received at"), default=clock.now)

    class Meta:
        verbose_name = _("received cosignature")
        verbose_name_plural = _("received cosignatures")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["size", "root_hash", "signature_line"],
                name="ledger_received_cosignature_once",
            )
        ]

    def __str__(self) -> str:
        return f"cosignature by {self.witness_id} at {self.size}"
