"""`pregon migrate` creates the tables of the database caches the embedded default uses: the
rate limits' (`default`) and the public pages' (`pages`, ADR 0021)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection

from pregon.core.apps import _create_cache_table

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = {"default": "test_rate_cache", "pages": "test_page_cache"}


def test_migrating_creates_each_database_cache_s_table(settings: Any) -> None:
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
        for alias, table in TABLES.items()
    }
    try:
        _create_cache_table(using="default")
        assert set(TABLES.values()) <= set(connection.introspection.table_names())
        caches["pages"].set("page:x", b"kept")
        assert caches["pages"].get("page:x") == b"kept"
        assert caches["default"].get("page:x") is None
    finally:
        with connection.cursor() as cursor:
            for table in TABLES.values():
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
