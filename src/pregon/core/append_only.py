"""Tables whose rows are inserted once and then only read: the audit log, the transparency log,
published releases.

A model inherits ``AppendOnlyModel`` and names what is append-only in ``append_only_message``.
Its ``save()`` inserts a new row and refuses to write an existing one again, its ``delete()``
refuses, and its manager's queryset refuses ``update()`` and ``delete()`` (and so
``bulk_update()``, ``update_or_create()`` of an existing row and their async forms, which go
through them). The refusals are ``TypeError``: a program that tries is wrong, whoever uses it.

This guards the application only. Each app's migrations add database triggers that refuse
the same changes to every other client (``pregon.core.db_triggers``), on every table of a
model that inherits this one.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn, TypeVar

from django.db import models

_Row = TypeVar("_Row", bound="AppendOnlyModel")


class AppendOnlyQuerySet(models.QuerySet[_Row]):
    """A queryset that can insert and read rows, never change or remove them."""

    def update(self, **kwargs: Any) -> NoReturn:
        """Refuse: the rows never change."""
        raise TypeError(self.model.append_only_message)

    def delete(self) -> NoReturn:
        """Refuse: the rows are never removed."""
        raise TypeError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    """A row that can be inserted once and then only read."""

    # What the refusals say; each model names itself ("The audit log is append-only.").
    append_only_message: ClassVar[str] = "These rows are append-only."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new row; refuse to write an existing one again."""
        if self.append_only_row_exists():
            raise TypeError(self.append_only_message)
        # Never an UPDATE, not even the one Django tries first when the primary key is set.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refuse: the rows are never removed."""
        raise TypeError(self.append_only_message)

    def append_only_row_exists(self) -> bool:
        """Whether saving this instance would write a row that is in the table (refused)."""
        return not self._state.adding
