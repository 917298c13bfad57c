"""The tender page links to its open data: the OCDS record, the releases, and each release's
proof of inclusion in the transparency log (issue 9, item 13). Every link is followed."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pregon.ledger.selectors import log_tree
from pregon.publication.models import Release
from pregon.tlog.merkle import verify_inclusion
from tests import factories

pytestmark = pytest.mark.django_db


def open_data_section(html: str) -> str:
    match = re.search(r'<section id="open-data".*?</section>', html, re.S)
    assert match, "the tender page has no open-data section"
    return match.group(0)


def links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)]


def test_the_tender_page_links_to_its_record_releases_and_proofs(client: Client) -> None:
    tender = factories.TenderCancelledFactory(title="Compra de lámparas")
    releases = list(Release.objects.filter(ocid=tender.ocid).order_by("seq"))
    assert [release.tag for release in releases] == [["tender"], ["tenderCancellation"]]

    page = client.get(reverse("tenders:detail", kwargs={"pk": tender.pk}))
    section = open_data_section(page.content.decode())
    hrefs = links(section)
    proofs = [href for href in hrefs if href.startswith("/log/proof/inclusion?")]
    assert hrefs == [
        f"/api/ocds/records/{tender.ocid}",
        f"/api/ocds/releases?ocid={tender.ocid}",
        "/log/",
        f"/api/ocds/releases/{releases[0].release_id}",
        proofs[0],
        f"/api/ocds/releases/{releases[1].release_id}",
        proofs[1],
    ]
    assert len(proofs) == 2

    record = client.get(hrefs[0]).json()
    assert [item["ocid"] for item in record["records"]] == [tender.ocid]
    package = client.get(hrefs[1]).json()
    assert [item["id"] for item in package["releases"]] == [r.release_id for r in releases]
    assert client.get(hrefs[2]).status_code == 200

    root = log_tree().root
    for release, release_link, proof_link in zip(releases, hrefs[3::2], proofs, strict=True):
        served = client.get(release_link).json()
        assert [item["id"] for item in served["releases"]] == [release.release_id]
        leaf_hash = re.search(r"leaf_hash=([0-9a-f]{64})", proof_link)
        assert leaf_hash is not None
        assert leaf_hash.group(1) == served["transparencyLog"]["leafHash"]
        proof: dict[str, Any] = client.get(proof_link).json()
        assert proof["leaf_index"] == release.leaf_index
        # The proof verifies: the leaf is in the tree the link names.
        verify_inclusion(
            leaf_hash=bytes.fromhex(leaf_hash.group(1)),
            index=proof["leaf_index"],
            size=proof["tree_size"],
            proof=[base64.b64decode(value) for value in proof["hashes"]],
            root=root(proof["tree_size"]),
        )


def test_the_on_this_page_menu_leads_to_the_open_data(client: Client) -> None:
    tender = factories.TenderOpenFactory()
    html = client.get(reverse("tenders:detail", kwargs={"pk": tender.pk})).content.decode()
    assert '<a class="usa-link" href="#open-data">Open data</a>' in html
    assert '<h2 id="open-data-heading">Open data</h2>' in html
