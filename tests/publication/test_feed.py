"""The changes feed never skips a release, even one committed after a read that came later."""

from __future__ import annotations

import threading
import time
from typing import Any

import orjson
import pytest
from django.db import connection, transaction
from django.test import Client

from pregon.core.actor import Actor
from pregon.publication import services as publication
from pregon.publication.models import FeedSequence, Release
from pregon.tenders import services
from pregon.tenders.models import Tender
from tests import factories
from tests.publication.test_api import body, path_of

pytestmark = pytest.mark.django_db


def read_all(client: Client, url: str) -> tuple[list[str], str]:
    """Follow the feed until an empty page; return the release ids and the link to resume."""
    seen: list[str] = []
    while True:
        package = body(client.get(url))
        if not package["releases"]:
            return seen, url
        seen += [release["id"] for release in package["releases"]]
        url = path_of(package["links"]["next"])


def test_the_feed_always_links_onwards(client: Client, open_tender: Tender) -> None:
    seen, resume = read_all(client, "/api/ocds/changes?limit=1")
    assert seen == [f"{open_tender.ocid}-tender-1"]
    empty = body(client.get(resume))
    assert empty["releases"] == []
    assert path_of(empty["links"]["next"]) == resume


def test_a_release_with_an_older_id_committed_after_a_read_is_not_missed(
    client: Client, buyer: Any, official_actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = factories.TenderOpenFactory(buyer=buyer)
    seen, resume = read_all(client, "/api/ocds/changes")
    assert seen == [f"{first.ocid}-tender-1"]

    # A second transaction got its row id *before* the first one's (PostgreSQL hands out
    # identities at INSERT, not at COMMIT), but commits only now, after the read above.
    older_id = Release.objects.get(ocid=first.ocid).pk - 1
    insert = Release.objects.create
    monkeypatch.setattr(Release.objects, "create", lambda **fields: insert(pk=older_id, **fields))
    draft = factories.TenderDraftFactory(buyer=buyer)
    services.tender_publish(actor=official_actor, tender=draft)
    assert Release.objects.get(ocid=draft.ocid).pk == older_id

    more, _resume = read_all(client, resume)
    assert more == [f"{draft.ocid}-tender-1"]


def test_positions_are_taken_in_commit_order(buyer: Any, official_actor: Actor) -> None:
    one = factories.TenderDraftFactory(buyer=buyer)
    two = factories.TenderDraftFactory(buyer=buyer)
    with transaction.atomic():
        services.tender_publish(actor=official_actor, tender=one)
        # Inside the first transaction the counter row is locked: another publisher on
        # PostgreSQL waits here until the first commits, and takes the next position.
        counter = FeedSequence.objects.get(pk=1)
        assert counter.value == Release.objects.get(ocid=one.ocid).seq
    services.tender_publish(actor=official_actor, tender=two)
    assert Release.objects.get(ocid=two.ocid).seq == Release.objects.get(ocid=one.ocid).seq + 1


def test_the_feed_serves_each_release_exactly_as_stored(
    client: Client, open_tender: Tender
) -> None:
    package = body(client.get("/api/ocds/changes"))
    stored = Release.objects.get(ocid=open_tender.ocid)
    assert package["releases"] == [orjson.loads(stored.data)]


def _postgresql_only(test: Any) -> Any:
    # Marked transactional only where it runs: SQLite has no row locks to show.
    if connection.vendor == "postgresql":
        return pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skip(reason="row locks are PostgreSQL's")(test)


@_postgresql_only
def test_a_second_publisher_waits_for_the_first_to_commit() -> None:
    """The feed position is held under a row lock until commit, so positions commit in order."""
    holding, release_first = threading.Event(), threading.Event()
    taken: dict[str, tuple[int, float]] = {}

    def publisher(name: str, hold: bool) -> None:
        try:
            with transaction.atomic():
                position = publication._next_sequence()
                if hold:
                    holding.set()
                    release_first.wait(10)
            taken[name] = (position, time.monotonic())
        finally:
            connection.close()

    first = threading.Thread(target=publisher, args=("first", True))
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=publisher, args=("second", False))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # blocked on the counter's row lock
    committed = time.monotonic()
    release_first.set()
    first.join(10)
    second.join(10)
    assert taken["second"][0] == taken["first"][0] + 1
    assert taken["second"][1] >= committed
