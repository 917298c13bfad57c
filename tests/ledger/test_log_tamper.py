"""Show: a release edited directly in the database is caught by `pregon verify`.

Tenders are published through the real services (each release appended to the log in the
publishing transaction, a checkpoint signed on commit), the bulk files are written, and
`pregon verify` checks the files and a release URL against a live server. Then one stored
release is rewritten with raw SQL, behind the application's back: the database refuses, so the
edit is made as someone allowed to change the schema would, with its triggers taken away. The
regenerated bulk file and the release URL serve the rewritten release, and `pregon verify`
names it and exits with status 1.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from pregon.core import db_triggers
from pregon.ledger.models import Leaf
from pregon.publication import services as publication
from pregon.publication.models import Release
from tests import factories
from tests.ledger.conftest import VKEY

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("log_settings")]


def verify(live_server: Any, source: str, state: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "verify", source, "--log", live_server.url, "--key", VKEY, "--state", str(state),
            stdout=out, stderr=err,
        )  # fmt: skip
    except CommandError as error:
        error.output = (out.getvalue(), err.getvalue())  # type: ignore[attr-defined]
        raise
    return out.getvalue(), err.getvalue()


def test_a_release_rewritten_in_the_database_fails_verification(
    live_server: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PREGON_DATA_DIR = tmp_path / "data"
    buyer = factories.BuyerFactory()
    tenders = [factories.TenderOpenFactory(buyer=buyer) for _ in range(3)]
    stored = list(Release.objects.order_by("seq"))
    assert len(stored) == 3
    # Each release is the leaf its publishing transaction appended.
    assert [r.leaf_index for r in stored] == list(
        Leaf.objects.filter(kind="release", ref__in=[r.release_id for r in stored])
        .order_by("index")
        .values_list("index", flat=True)
    )
    publication.bulk_files_generate()
    bulk_url = f"{live_server.url}/data/releases.jsonl.gz"
    state = tmp_path / "state.json"
    out, _err = verify(live_server, bulk_url, state)
    assert "OK: all 3 releases are in the log" in out

    target = stored[1]
    assert tenders[1].title in target.data
    rewrite = (
        "UPDATE publication_release SET data = REPLACE(data, %s, %s) WHERE release_id = %s",
        [tenders[1].title, "Adjudicación directa sin concurso", target.release_id],
    )
    # The database refuses the edit to whoever lacks the right to change the schema...
    with (
        pytest.raises(IntegrityError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(*rewrite)
    assert str(refused.value).splitlines()[0] == (
        "published releases are append-only: UPDATE on publication_release refused"
    )
    assert Release.objects.get(pk=target.pk).data == target.data
    # ...and someone who has it takes the triggers away for the edit.
    with transaction.atomic(), db_triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute(*rewrite)
    assert "Adjudicación directa sin concurso" in Release.objects.get(pk=target.pk).data
    publication.bulk_files_generate()

    with pytest.raises(CommandError) as raised:
        verify(live_server, bulk_url, state)
    assert raised.value.returncode == 1
    assert str(raised.value) == "1 of 3 releases failed verification."
    _out, err = raised.value.output  # type: ignore[attr-defined]
    assert err.startswith(f"FAILED line 2, release {target.release_id}: not in the log ")

    with pytest.raises(CommandError) as raised:
        verify(live_server, f"{live_server.url}/api/ocds/releases/{target.release_id}", state)
    assert raised.value.returncode == 1
    _out, err = raised.value.output  # type: ignore[attr-defined]
    assert err.startswith(f"FAILED line 1, release {target.release_id}: not in the log ")

    untouched = stored[0].release_id
    out, _err = verify(live_server, f"{live_server.url}/api/ocds/releases/{untouched}", state)
    assert "OK: the release is in the log" in out
