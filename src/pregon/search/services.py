"""Writes of the search: the index of published records, and saved searches.

`search_document_update` is registered with publication's record observers (`apps.py`), so
a process is indexed in the transaction that publishes it. `search_reindex` rebuilds the whole
index from the records (after a change to what is indexed, or to move a database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregon.accounts.models import User
from pregon.core.errors import NotFound, ValidationFailed
from pregon.publication.models import Record
from pregon.search.backends import backend
from pregon.search.documents import DocumentData, document_from_release
from pregon.search.models import SavedSearch, SearchCode, SearchDocument, SearchWord
from pregon.search.text import vocabulary_words

#: Records read per batch by a reindex.
REINDEX_BATCH = 500


def _fields(data: DocumentData, *, last_seq: int, date: dt.datetime) -> dict[str, Any]:
    """The columns of a document's row."""
    return {
        "last_seq": last_seq,
        "date": date,
        "title": data.title,
        "reference": data.reference,
        "reference_key": data.reference_key[:200],
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
        "reserved_for": data.reserved_for[:64],
        "closing_at": data.closing_at,
        "indexed_at": timezone.now(),
    }


def _vocabulary_add(documents: Iterable[SearchDocument]) -> None:
    """Add the words of the documents' texts to the vocabulary of misspellings (the words it
    has already are left as they are)."""
    found = {
        (document.language, word)
        for document in documents
        for word in vocabulary_words(f"{document.title}\n{document.body}")
    }
    with connection.cursor() as cursor:
        # Both databases take ON CONFLICT DO NOTHING (SQLite since 3.24); a plain statement
        # many times is several times quicker than building model instances for a bulk load.
        cursor.executemany(
            f"INSERT INTO {SearchWord._meta.db_table} (language, word) VALUES (%s, %s)"  # noqa: S608
            " ON CONFLICT DO NOTHING",
            sorted(found),
        )


def _codes_add(documents: Sequence[tuple[SearchDocument, DocumentData]]) -> None:
    """The classification codes of new documents (every prefix, as `DocumentData.codes`)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SearchCode._meta.db_table} (document_id, scheme, prefix)"  # noqa: S608
            " VALUES (%s, %s, %s)",
            [
                (document.pk, scheme, prefix)
                for document, data in documents
                for scheme, prefix in sorted(data.codes)
            ],
        )


def search_document_update(record: Record) -> SearchDocument | None:
    """Index (or re-index) the published process of `record`; remove it when it has nothing
    to find. Returns the document, or None."""
    data = document_from_release(record.compiled)
    if data is None:
        SearchDocument.objects.filter(ocid=record.ocid).delete()
        return None
    with transaction.atomic():
        document, _created = SearchDocument.objects.update_or_create(
            ocid=record.ocid, defaults=_fields(data, last_seq=record.last_seq, date=record.date)
        )
        SearchCode.objects.filter(document=document).delete()
        SearchCode.objects.bulk_create(
            SearchCode(document=document, scheme=scheme, prefix=prefix)
            for scheme, prefix in sorted(data.codes)
        )
        backend().index(document)
        _vocabulary_add([document])
    return document


@dataclass(frozen=True)
class IndexEntry:
    """One process to add to the index: its searchable view and its feed position and date."""

    data: DocumentData
    last_seq: int
    date: dt.datetime


def search_documents_add(entries: Sequence[IndexEntry]) -> list[SearchDocument]:
    """Add processes that are not in the index yet, in a few statements (a reindex, or a bulk
    load): their documents, classification codes, full-text entries and words."""
    with transaction.atomic():
        documents = SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    ocid=entry.data.ocid,
                    **_fields(entry.data, last_seq=entry.last_seq, date=entry.date),
                )
                for entry in entries
            ]
        )
        _codes_add(
            [(document, entry.data) for document, entry in zip(documents, entries, strict=True)]
        )
        backend().index_many(documents)
        _vocabulary_add(documents)
    return documents


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
        SearchWord.objects.all().delete()
        batch: list[IndexEntry] = []
        for record in Record.objects.order_by("pk").iterator(chunk_size=REINDEX_BATCH):
            data = document_from_release(record.compiled)
            if data is not None:
                batch.append(IndexEntry(data=data, last_seq=record.last_seq, date=record.date))
            done += 1
            if done % REINDEX_BATCH == 0 or done == total:
                indexed += len(search_documents_add(batch))
                batch = []
                if progress is not None:
                    progress(done, total)
        if batch:
            indexed += len(search_documents_add(batch))
        backend().optimize()
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
