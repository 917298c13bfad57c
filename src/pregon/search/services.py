"""Writes of the search: the index of published records, and saved searches.

`search_document_update` is registered with publication's record observers (`apps.py`), so
a process is indexed in the transaction that publishes it. `search_reindex` rebuilds the whole
index from the records (after a change to what is indexed, or to move a database).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregon.accounts.models import User
from pregon.core.errors import NotFound, ValidationFailed
from pregon.publication.models import Record
from pregon.search.backends import backend
from pregon.search.documents import document_from_release
from pregon.search.models import SavedSearch, SearchCode, SearchDocument

#: Records read per batch by a reindex.
REINDEX_BATCH = 500


def search_document_update(record: Record) -> SearchDocument | None:
    """Index (or re-index) the published process of `record`; remove it when it has nothing
    to find. Returns the document, or None."""
    data = document_from_release(record.compiled)
    if data is None:
        SearchDocument.objects.filter(ocid=record.ocid).delete()
        return None
    with transaction.atomic():
        document, _created = SearchDocument.objects.update_or_create(
            ocid=record.ocid,
            defaults={
                "last_seq": record.last_seq,
                "date": record.date,
                "title": data.title,
                "description": data.description,
                "body": data.body,
                "title_folded": data.title_folded,
                "language": data.language,
                "buyer_id": data.buyer_id,
                "buyer_name": data.buyer_name,
                "country": data.country,
                "region": data.region,
                "method": data.method,
                "category": data.category,
                "status": data.status,
                "value_amount": data.value_amount,
                "currency": data.currency,
                "reserved_msme": data.reserved_msme,
                "closing_at": data.closing_at,
                "indexed_at": timezone.now(),
            },
        )
        SearchCode.objects.filter(document=document).delete()
        SearchCode.objects.bulk_create(
            SearchCode(document=document, scheme=scheme, prefix=prefix)
            for scheme, prefix in sorted(data.codes)
        )
        backend().index(document)
    return document


@dataclass(frozen=True)
class ReindexResult:
    records: int
    documents: int


def search_reindex(*, progress: Callable[[int, int], None] | None = None) -> ReindexResult:
    """Rebuild the whole index from the published records, in one transaction.

    `progress(done, total)` is called after each batch.
    """
    total = Record.objects.count()
    done = indexed = 0
    with transaction.atomic():
        backend().clear()
        SearchDocument.objects.all().delete()
        for record in Record.objects.order_by("pk").iterator(chunk_size=REINDEX_BATCH):
            if search_document_update(record) is not None:
                indexed += 1
            done += 1
            if progress is not None and (done % REINDEX_BATCH == 0 or done == total):
                progress(done, total)
    return ReindexResult(records=done, documents=indexed)


# ---------------------------------------------------------------------------------------------
# saved searches


def saved_search_create(*, owner: User, name: str, query: str) -> SavedSearch:
    """Save `query` (the search page's query string) as `name` for `owner`."""
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the search a name."), field="name")
    with transaction.atomic():
        if SavedSearch.objects.filter(owner=owner, name=name).exists():
            raise ValidationFailed(
                _("You already have a saved search named “%(name)s”.") % {"name": name},
                field="name",
            )
        return SavedSearch.objects.create(owner=owner, name=name, query=query.lstrip("?"))


def saved_search_delete(*, owner: User, pk: int) -> None:
    """Delete one of `owner`'s saved searches (another person's is not found)."""
    deleted, _rows = SavedSearch.objects.filter(owner=owner, pk=pk).delete()
    if not deleted:
        raise NotFound(_("This saved search does not exist."))
