"""Fixtures shared by the whole suite: people in each role, and tenders in each state."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from pregon.core import db_triggers
from pregon.core.actor import Actor
from tests import factories

# Playwright's sync API runs an event loop; Django refuses ORM calls from a thread with a
# running loop unless told it is safe (the live server and the test share the database).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _is_transactional(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(
        marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    )


def _on_test_database() -> bool:
    """Whether the connection is the suite's own database, never a developer's var/ or server one."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        return "memorydb" in name
    return connection.vendor == "postgresql" and name.startswith(TEST_DATABASE_PREFIX)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """Lift the append-only tables' triggers around the flush that ends a transactional test.

    The flush empties every table, with DELETE on SQLite and TRUNCATE on PostgreSQL, which the
    triggers refuse for the audit log, the published releases and the transparency log.
    """
    restore = None
    if _is_transactional(item) and _on_test_database():
        blocker = item.config.stash[blocking_manager_key]
        with blocker.unblock():
            restore = db_triggers.lift(connection)
    try:
        return (yield)
    finally:
        # After the last test the database is gone; before any other, the triggers return.
        if restore is not None and nextitem is not None:
            with blocker.unblock():
                db_triggers.restore(connection, restore)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database, with the sessions a test left open ended before the drop.

    A server thread of a test (the live server, a log served over HTTP) can keep its own
    connection until the garbage collector finds it; PostgreSQL then refuses DROP DATABASE and
    the run ends with an error that says nothing about any test.
    """
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql" and _on_test_database():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = False
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends with no language active, as a fresh thread would.

    The test client runs LocaleMiddleware in the test's own thread, so a page asked for in
    Spanish would otherwise leave Spanish active for the assertions, and the tests, after it.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def buyer(db: None) -> Any:
    return factories.BuyerFactory()


@pytest.fixture
def other_buyer(db: None) -> Any:
    return factories.BuyerFactory()


@pytest.fixture
def supplier(db: None) -> Any:
    return factories.SupplierFactory()


@pytest.fixture
def official(buyer: Any) -> Any:
    """A buyer official of `buyer`."""
    return factories.member(buyer, "buyer_official")


@pytest.fixture
def supplier_user(supplier: Any) -> Any:
    return factories.member(supplier, "supplier_user")


@pytest.fixture
def official_actor(official: Any, buyer: Any) -> Actor:
    return Actor(user=official, organization=buyer, ip_address="203.0.113.7")


@pytest.fixture
def supplier_actor(supplier_user: Any, supplier: Any) -> Actor:
    return Actor(user=supplier_user, organization=supplier, ip_address="198.51.100.4")


@pytest.fixture
def draft(buyer: Any) -> Any:
    return factories.TenderDraftFactory(buyer=buyer)


@pytest.fixture
def open_tender(buyer: Any) -> Any:
    return factories.TenderOpenFactory(buyer=buyer)


@pytest.fixture
def days() -> Any:
    return lambda n: dt.timedelta(days=n)


def database_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the project, to compare before and after a refused action.

    All of them, not a list kept by hand: a refused action must leave no release, log leaf,
    audit row or task behind either, whichever app a later change makes write them.
    """
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.fixture
def refused(db: None) -> Any:
    """Call a service that must refuse: `refused(ErrorClass, "code", service, **arguments)`.

    Checks the exact error class and code, that no row of any table changed (tenders, lots,
    items, documents, questions, amendments, organizations, people, keys, releases, log
    leaves), that no audit row and no task was written, and that nothing was left scheduled to
    run on commit.
    Returns the error for further checks of its message or field.
    """

    def check(
        error_class: type[Exception], code: str, service: Any, /, *args: Any, **kwargs: Any
    ) -> Any:
        before = database_snapshot()
        pending = len(connection.run_on_commit)
        with pytest.raises(error_class) as info:
            service(*args, **kwargs)
        assert type(info.value) is error_class
        assert info.value.code == code  # type: ignore[attr-defined]
        assert database_snapshot() == before
        assert len(connection.run_on_commit) == pending
        return info.value

    return check
