"""The OCDS API through HTTP: package shapes, pagination, filters, caching, CORS, problems."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from django.test import Client

from pregon.ledger.models import Leaf
from pregon.ocds.schema import EXTENSION_URLS
from pregon.publication import api_views
from pregon.publication import services as publication
from pregon.publication.models import Record, Release
from pregon.tenders.models import Tender
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests import factories
from tests.publication.conftest import Lifecycle

pytestmark = pytest.mark.django_db
SITE = "https://compras.example.org"


def get(client: Client, url: str, **headers: Any) -> Any:
    return client.get(url, headers=headers)


def body(response: Any) -> Any:
    return orjson.loads(response.content)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture
def world(lifecycle: Lifecycle, cancelled: Tender) -> dict[str, Any]:
    """Six releases of two processes (four of one, two of the other)."""
    return {"lifecycle": lifecycle.tender, "cancelled": cancelled}


def check_package(package: dict[str, Any], kind: str) -> None:
    key = "releases" if kind == "release" else "records"
    metadata = {name: value for name, value in package.items() if name != key}
    assert publication.validator().validate_package(metadata, kind, len(package[key])) == []
    for item in package[key]:
        if kind == "release":
            assert publication.validator().validate_release(item) == []
        else:
            assert publication.validator().validate_record(item) == []


# ---------------------------------------------------------------------------------------------
# releases


def test_the_release_list_is_a_release_package_in_feed_order(
    client: Client, world: dict[str, Any]
) -> None:
    response = get(client, "/api/ocds/releases")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    package = body(response)
    check_package(package, "release")
    stored = list(Release.objects.order_by("seq"))
    assert [release["id"] for release in package["releases"]] == [r.release_id for r in stored]
    assert package["uri"] == f"{SITE}/api/ocds/releases"
    assert package["version"] == "1.1"
    assert package["extensions"] == list(EXTENSION_URLS)
    assert package["publisher"] == {"name": "Pregón", "uri": "http://127.0.0.1:8000"}
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publicationPolicy"] == "http://127.0.0.1:8000/data/#policy"
    assert package["publishedDate"] == max(r["date"] for r in package["releases"])
    assert "links" not in package
    # Served exactly as stored.
    assert response.content.count(stored[0].data.encode()) == 1


def test_pages_follow_links_next_with_an_opaque_cursor(
    client: Client, world: dict[str, Any]
) -> None:
    seen: list[str] = []
    url = "/api/ocds/releases?limit=4"
    pages = 0
    while url:
        package = body(get(client, url))
        seen += [release["id"] for release in package["releases"]]
        pages += 1
        url = path_of(package["links"]["next"]) if "links" in package else ""
    assert pages == 2
    assert seen == list(Release.objects.order_by("seq").values_list("release_id", flat=True))
    first = body(get(client, "/api/ocds/releases?limit=4"))
    cursor = parse_qs(urlsplit(first["links"]["next"]).query)["cursor"][0]
    assert cursor == api_views.encode_cursor(Release.objects.order_by("seq")[3].seq)
    assert not cursor.isdigit()


def test_the_ocid_and_since_filters(client: Client, world: dict[str, Any]) -> None:
    tender = world["lifecycle"]
    package = body(get(client, f"/api/ocds/releases?ocid={tender.ocid}"))
    assert [release["ocid"] for release in package["releases"]] == [tender.ocid] * 4
    third = Release.objects.filter(ocid=tender.ocid).order_by("seq")[2]
    since = third.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    later = body(get(client, f"/api/ocds/releases?ocid={tender.ocid}&since={since}"))
    assert [release["id"] for release in later["releases"]] == [
        Release.objects.filter(ocid=tender.ocid).order_by("seq")[3].release_id
    ]
    offset = third.date.astimezone(dt.timezone(dt.timedelta(hours=-3))).isoformat()
    same = body(get(client, f"/api/ocds/releases?ocid={tender.ocid}&since={offset}"))
    assert same["releases"] == later["releases"]
    day = body(get(client, f"/api/ocds/releases?since={dt.date(2999, 1, 1).isoformat()}"))
    assert day["releases"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=nope", "cursor"),
        ("cursor=" + api_views.encode_cursor(1)[:-1] + "!", "cursor"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("since=yesterday", "since"),
        # Before and after what UTC can hold, once converted (these answered 500).
        ("since=0001-01-01T00:00:00%2B14:00", "since"),
        ("since=9999-12-31T23:59:59-12:00", "since"),
        # Digits int() cannot read, though str.isdigit() takes them.
        ("limit=%C2%B2", "limit"),
        ("cursor=" + base64.urlsafe_b64encode("p²".encode()).decode().rstrip("="), "cursor"),
        ("cursor=" + api_views.encode_cursor(10**18), "cursor"),
    ],
)
def test_bad_parameters_are_problems(client: Client, query: str, field: str) -> None:
    response = get(client, f"/api/ocds/releases?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    problem = body(response)
    assert problem["code"] == "bad_query"
    assert problem["status"] == 400
    assert list(problem["errors"]) == [field]


def test_one_release_with_its_log_leaf_beside_it(client: Client, world: dict[str, Any]) -> None:
    stored = Release.objects.filter(ocid=world["cancelled"].ocid).last()
    assert stored is not None
    response = get(client, f"/api/ocds/releases/{stored.release_id}")
    assert response.status_code == 200
    package = body(response)
    check_package(package, "release")
    [release] = package["releases"]
    assert release == orjson.loads(stored.data)
    assert package["uri"] == f"{SITE}/api/ocds/releases/{stored.release_id}"
    # The logged bytes are the canonical form of the release exactly as served.
    served_hash = leaf_hash(canonical_bytes(release))
    assert bytes(Leaf.objects.get(index=stored.leaf_index).leaf_hash) == served_hash
    log = package["transparencyLog"]
    assert log["leafIndex"] == stored.leaf_index
    assert log["leafHash"] == served_hash.hex()
    assert log["treeSize"] == Leaf.objects.count()
    proof = f"{SITE}/log/proof/inclusion?leaf_hash={served_hash.hex()}&tree_size={log['treeSize']}"
    assert log["inclusionProof"] == proof
    assert response["Link"] == f'<{proof}>; rel="inclusion-proof"'
    assert response["Pregon-Log-Leaf-Index"] == str(stored.leaf_index)
    assert "Link" in response["Access-Control-Expose-Headers"]


def test_an_unknown_release_is_a_404_problem(client: Client, db: None) -> None:
    response = get(client, "/api/ocds/releases/ocds-pregon-999999-tender-1")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert body(response)["code"] == "not_found"


# ---------------------------------------------------------------------------------------------
# records


def test_records_hold_linked_releases_and_the_compiled_release(
    client: Client, world: dict[str, Any]
) -> None:
    package = body(get(client, "/api/ocds/records"))
    check_package(package, "record")
    assert [record["ocid"] for record in package["records"]] == list(
        Record.objects.order_by("pk").values_list("ocid", flat=True)
    )
    tender = world["lifecycle"]
    [record] = [item for item in package["records"] if item["ocid"] == tender.ocid]
    stored = list(Release.objects.filter(ocid=tender.ocid).order_by("seq"))
    assert record["releases"] == [
        {
            "url": f"{SITE}/api/ocds/releases/{row.release_id}#{row.release_id}",
            "date": row.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tag": row.tag,
        }
        for row in stored
    ]
    assert record["compiledRelease"] == Record.objects.get(ocid=tender.ocid).compiled
    assert "versionedRelease" not in record
    # Each linked URL answers with the package that holds the release.
    linked = body(get(client, path_of(record["releases"][0]["url"].split("#")[0])))
    assert linked["releases"][0]["id"] == stored[0].release_id


def test_one_record_with_its_versioned_release(client: Client, world: dict[str, Any]) -> None:
    tender = world["lifecycle"]
    plain = body(get(client, f"/api/ocds/records/{tender.ocid}"))
    assert "versionedRelease" not in plain["records"][0]
    package = body(get(client, f"/api/ocds/records/{tender.ocid}?versioned=1"))
    check_package(package, "record")
    [record] = package["records"]
    assert record["versionedRelease"] == Record.objects.get(ocid=tender.ocid).versioned
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert package["publishedDate"] == record["compiledRelease"]["date"]
    assert get(client, f"/api/ocds/records/{tender.ocid}?versioned=maybe").status_code == 400
    assert get(client, "/api/ocds/records/ocds-nope").status_code == 404


def test_records_paginate(client: Client, world: dict[str, Any]) -> None:
    first = body(get(client, "/api/ocds/records?limit=1"))
    second = body(get(client, path_of(first["links"]["next"])))
    assert "links" not in second
    assert [first["records"][0]["ocid"], second["records"][0]["ocid"]] == list(
        Record.objects.order_by("pk").values_list("ocid", flat=True)
    )


# ---------------------------------------------------------------------------------------------
# HTTP: caching, CORS, methods


@pytest.mark.parametrize(
    "url",
    ["/api/ocds/releases", "/api/ocds/records", "/api/ocds/changes", "/api/ocds/records/{ocid}"],
)
def test_conditional_get_answers_304(client: Client, world: dict[str, Any], url: str) -> None:
    url = url.format(ocid=world["lifecycle"].ocid)
    response = get(client, url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and response["Cache-Control"].startswith("public, max-age=")
    again = get(client, url, if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    assert get(client, url, if_modified_since=modified).status_code == 304
    assert get(client, url, if_none_match='"other"').status_code == 200


def test_a_new_release_changes_the_validators(client: Client, world: dict[str, Any]) -> None:
    before = get(client, "/api/ocds/releases")
    factories.TenderOpenFactory(buyer=world["lifecycle"].buyer)
    after = get(client, "/api/ocds/releases", if_none_match=before["ETag"])
    assert after.status_code == 200
    assert len(body(after)["releases"]) == 7


def test_cors_and_preflight(client: Client, world: dict[str, Any]) -> None:
    response = get(client, "/api/ocds/releases", origin="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/ocds/releases",
        headers={
            "origin": "https://elsewhere.example",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    refused = client.post("/api/ocds/releases")
    assert refused.status_code == 405
    assert refused["Allow"] == "GET, HEAD, OPTIONS"
    assert client.head("/api/ocds/releases").status_code == 200


def test_the_list_reads_in_few_queries(
    client: Client, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        get(client, "/api/ocds/releases")
    with django_assert_max_num_queries(2):
        get(client, "/api/ocds/records?versioned=1")
