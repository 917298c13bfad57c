"""The bulk files: their content, the /data/ page that lists them, downloads, regeneration."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from pregon.core.actor import Actor
from pregon.ocds.merge import compile_release
from pregon.publication import bulk
from pregon.publication import services as publication
from pregon.publication.models import BulkState, Record, Release
from pregon.publication.tasks import regenerate_bulk_files
from pregon.tenders import services
from pregon.tenders.models import Tender
from tests import factories
from tests.publication.conftest import Lifecycle

pytestmark = pytest.mark.django_db
TASK_PATH = "pregon.publication.tasks.regenerate_bulk_files"


@pytest.fixture
def written(lifecycle: Lifecycle, cancelled: Tender, settings: Any) -> bulk.Manifest:
    return publication.bulk_files_generate()


def current(settings: Any, manifest: bulk.Manifest, name: str) -> Path:
    return Path(settings.PREGON_DATA_DIR) / manifest.generation / name


def lines(path: Path) -> list[Any]:
    with gzip.open(path, "rb") as handle:
        return [orjson.loads(line) for line in handle]


def test_the_files_hold_every_release_and_record(written: bulk.Manifest, settings: Any) -> None:
    assert (written.releases, written.records) == (6, 2)
    stored = list(Release.objects.order_by("seq"))
    releases = lines(current(settings, written, "releases.jsonl.gz"))
    assert releases == [orjson.loads(row.data) for row in stored]
    validator = publication.validator()
    for release in releases:
        assert validator.validate_release(release) == []

    records = lines(current(settings, written, "records.jsonl.gz"))
    assert [record["ocid"] for record in records] == sorted(
        Record.objects.values_list("ocid", flat=True)
    )
    for record in records:
        assert validator.validate_record(record) == []
        own = [release for release in releases if release["ocid"] == record["ocid"]]
        assert record["compiledRelease"] == compile_release(own)
        assert [link["url"].rsplit("#", 1)[1] for link in record["releases"]] == [
            release["id"] for release in own
        ]


def test_a_release_package_per_year(written: bulk.Manifest, settings: Any) -> None:
    years = [item for item in written.files if item.kind == "year"]
    assert sum(item.count for item in years) == 6
    for item in years:
        assert item.name == f"releases-{item.year}.json.gz"
        with gzip.open(current(settings, written, item.name)) as handle:
            package = orjson.loads(handle.read())
        assert package["uri"] == f"https://compras.example.org/data/{item.name}"
        assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert {release["date"][:4] for release in package["releases"]} == {str(item.year)}
        assert len(package["releases"]) == item.count
        metadata = {key: value for key, value in package.items() if key != "releases"}
        assert publication.validator().validate_package(metadata, "release", item.count) == []


def test_the_flattened_tables(written: bulk.Manifest, settings: Any) -> None:
    names = {item.kind: item.name for item in written.files}
    with zipfile.ZipFile(current(settings, written, names["csv"])) as archive:
        assert {"releases.csv", "parties.csv", "tender_items.csv", "tender_lots.csv"} <= set(
            archive.namelist()
        )
        with archive.open("releases.csv") as handle:
            rows = list(csv.DictReader(io.TextIOWrapper(handle, "utf-8")))
        with archive.open("tender_items.csv") as handle:
            items = list(csv.DictReader(io.TextIOWrapper(handle, "utf-8")))
    assert sorted(row["ocid"] for row in rows) == sorted(
        Record.objects.values_list("ocid", flat=True)
    )
    assert len(items) == 4 + 2  # two lots of two items, and one lot of two
    assert {item.count for item in written.files if item.kind in {"csv", "xlsx", "parquet"}} == {2}
    xlsx = current(settings, written, names["xlsx"])
    with zipfile.ZipFile(xlsx) as workbook:  # an XLSX file is a zip of XML parts
        assert "xl/workbook.xml" in workbook.namelist()
    with zipfile.ZipFile(current(settings, written, names["parquet"])) as archive:
        table = pq.read_table(io.BytesIO(archive.read("releases.parquet")))
    assert table.num_rows == 2


def test_the_manifest_lists_size_and_digest_of_each_file(
    written: bulk.Manifest, settings: Any
) -> None:
    assert [item.name for item in written.files] == [
        "releases.jsonl.gz",
        "records.jsonl.gz",
        *sorted((item.name for item in written.files if item.kind == "year"), reverse=True),
        "compiled-csv.zip",
        "compiled.xlsx",
        "compiled-parquet.zip",
    ]
    for item in written.files:
        data = current(settings, written, item.name).read_bytes()
        assert item.size == len(data)
        assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert bulk.read_manifest(Path(settings.PREGON_DATA_DIR)) == written


def test_the_data_page_lists_the_files(client: Client, written: bulk.Manifest) -> None:
    response = client.get("/data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1>") == 1
    for item in written.files:
        assert f'href="/data/{item.name}"' in page
        assert item.sha256 in page
        assert f"{item.size} bytes" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert "Creative Commons Attribution 4.0 (CC BY 4.0)" in page
    assert 'id="policy"' in page
    assert "Who asked a clarification question" in page
    assert response["Access-Control-Allow-Origin"] == "*"
    spanish = client.get("/data/", headers={"accept-language": "es"})
    assert '<html lang="es">' in spanish.content.decode()


def test_the_data_page_before_the_first_run(client: Client, db: None) -> None:
    response = client.get("/data/")
    assert response.status_code == 200
    assert "The bulk files have not been written yet." in response.content.decode()
    assert client.get("/data/releases.jsonl.gz").status_code == 404
    assert client.get("/data/manifest.json").status_code == 404


def test_a_file_download(client: Client, written: bulk.Manifest, settings: Any) -> None:
    item = written.file("releases.jsonl.gz")
    assert item is not None
    response = client.get("/data/releases.jsonl.gz", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == current(settings, written, item.name).read_bytes()
    assert hashlib.sha256(content).hexdigest() == item.sha256
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Length"] == str(item.size)
    assert "Content-Encoding" not in response
    assert response["ETag"] == f'"{item.sha256}"'
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Disposition"] == 'attachment; filename="releases.jsonl.gz"'
    again = client.get("/data/releases.jsonl.gz", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    since = client.get(
        "/data/releases.jsonl.gz", headers={"if-modified-since": response["Last-Modified"]}
    )
    assert since.status_code == 304
    manifest = client.get("/data/manifest.json")
    assert orjson.loads(manifest.content)["generation"] == written.generation
    missing = client.get("/data/../settings.py")
    assert missing.status_code == 404
    assert client.get("/data/secrets.txt").status_code == 404


def test_a_new_generation_replaces_the_files_and_keeps_one_before(
    written: bulk.Manifest, settings: Any, official_actor: Actor, buyer: Any
) -> None:
    directory = Path(settings.PREGON_DATA_DIR)
    factories.TenderOpenFactory(buyer=buyer)
    second = publication.bulk_files_generate()
    third = publication.bulk_files_generate()
    assert second.releases == third.releases == 7
    generations = sorted(entry.name for entry in directory.iterdir() if entry.is_dir())
    assert generations == sorted([second.generation, third.generation])
    assert not (directory / written.generation).exists()
    # Same data, same bytes: the files are reproducible.
    assert [item.sha256 for item in second.files if item.kind != "year"][:2] == [
        item.sha256 for item in third.files if item.kind != "year"
    ][:2]


def test_the_records_describe_the_snapshot_the_releases_were_read_at(
    lifecycle: Lifecycle,
) -> None:
    tender = lifecycle.tender
    latest = Release.objects.order_by("seq").last()
    assert latest is not None
    # Files written up to the position before the latest release: the stored record already
    # holds that release, so the record is compiled as it stood at the snapshot.
    [record] = list(bulk._records(latest.seq - 1))
    stored = [
        orjson.loads(data)
        for data in Release.objects.filter(ocid=tender.ocid, seq__lt=latest.seq).values_list(
            "data", flat=True
        )
    ]
    assert record["compiledRelease"] == compile_release(stored)
    assert record["compiledRelease"] != Record.objects.get(ocid=tender.ocid).compiled
    assert len(record["releases"]) == 3


def test_regeneration_is_enqueued_once_after_commit(
    settings: Any,
    official_actor: Actor,
    buyer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.PREGON_BULK_AUTO = True
    settings.PREGON_BULK_DELAY = 30
    one = factories.TenderDraftFactory(buyer=buyer)
    two = factories.TenderDraftFactory(buyer=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_publish(actor=official_actor, tender=one)
        assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_publish(actor=official_actor, tender=two)
    [task] = DBTaskResult.objects.filter(task_path=TASK_PATH)
    state = BulkState.objects.get(pk=1)
    assert state.pending is True
    assert state.requested_at is not None
    assert task.run_after == state.requested_at + dt.timedelta(seconds=30)

    result = regenerate_bulk_files.call()
    assert result["releases"] == 2
    assert BulkState.objects.get(pk=1).pending is False
    assert bulk.read_manifest(Path(settings.PREGON_DATA_DIR)) is not None
    # The next publication asks again.
    assert publication.bulk_schedule() is True
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 2


def test_a_stale_pending_mark_is_taken_over(settings: Any, db: None) -> None:
    settings.PREGON_BULK_STALE_AFTER = 60
    assert publication.bulk_schedule() is True
    assert publication.bulk_schedule() is False
    BulkState.objects.filter(pk=1).update(
        requested_at=BulkState.objects.get(pk=1).requested_at - dt.timedelta(minutes=5)
    )
    assert publication.bulk_schedule() is True


def test_no_regeneration_is_asked_when_automatic_bulk_is_off(
    settings: Any, official_actor: Actor, draft: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PREGON_BULK_AUTO = False
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_publish(actor=official_actor, tender=draft)
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


def test_the_publish_bulk_command(lifecycle: Lifecycle, settings: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("publish_bulk", "--directory", str(tmp_path / "elsewhere"), stdout=out)
    manifest = bulk.read_manifest(tmp_path / "elsewhere")
    assert manifest is not None
    assert out.getvalue().splitlines()[0] == (
        f"Wrote generation {manifest.generation}: 4 releases, 1 records."
    )
    assert manifest.files[0].sha256 in out.getvalue()
