"""The award pages and API: the buyer decides lots and complaints on its page, a bidder
complains from its notice, and everyone reads every decision, complaint and resolution on the
tender's pages, the buyer's public page and the API. A refusal is shown in words and changes
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pregon.evaluation import services
from pregon.evaluation.choices import AwardStatus, ComplaintStatus
from pregon.evaluation.models import Award, AwardNotice, Complaint
from pregon.organizations.models import Organization
from tests import factories
from tests.bids.opening_world import OpeningWorld, SealedOffer, opening_world
from tests.evaluation.award_world import buyer_official_actor, decided, evaluated
from tests.evaluation.world import opened

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOSER = "Cooperativa Andina"


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opened(opening_world(buyer))


def _offer(world: OpeningWorld, name: str) -> SealedOffer:
    return next(o for o in world.offers if o.supplier.legal_name == name)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _official(world: OpeningWorld) -> Client:
    user = buyer_official_actor(world).user
    return _client(user)


def test_the_buyer_decides_a_lot_on_its_page(world: OpeningWorld) -> None:
    evaluated(world)
    client = _official(world)
    url = f"/en/tenders/{world.tender.pk}/awards/decide/"

    page = client.get(url)
    assert page.status_code == 200
    # The price as every page writes an amount: grouped, with its currency's decimals (none
    # for a Chilean peso).
    assert "Ranked first: Pequeña Empresa SpA, at 118,000 CLP." in page.content.decode()

    refused = client.post(url, {"action": "decide", "lot": "1", "text": "  "})
    assert refused.status_code == 422
    assert "Give the reasons for the decision." in refused.content.decode()
    assert not Award.objects.exists()

    done = client.post(url, {"action": "decide", "lot": "1", "text": "Lowest valid price."})
    assert done.status_code == 302
    award = Award.objects.get()
    assert (award.status, award.reason) == (AwardStatus.STANDSTILL, "Lowest valid price.")

    again = client.post(url, {"action": "decide", "lot": "1", "text": "Again."})
    assert again.status_code == 409
    assert "Lot 1 is already decided." in again.content.decode()
    assert Award.objects.count() == 1
    unknown = client.post(url, {"action": "decide", "lot": "9", "text": "x"})
    assert unknown.status_code == 404


def test_only_the_buyers_officials_reach_the_decision_page(world: OpeningWorld) -> None:
    evaluated(world)
    url = f"/en/tenders/{world.tender.pk}/awards/decide/"
    member = world.committee[0].user
    supplier = _offer(world, LOSER).actor.user
    other = factories.BuyerFactory()

    assert Client().get(url).status_code == 302  # to sign in
    for user in (member, supplier, factories.member(other, "buyer_official")):
        client = _client(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "decide", "lot": "1", "text": "x"}).status_code == 403
    assert not Award.objects.exists()


def test_a_bidder_complains_from_its_notice_and_the_buyer_decides(world: OpeningWorld) -> None:
    award = decided(world)
    loser = _offer(world, LOSER)
    notice = AwardNotice.objects.get(award=award, organization=loser.supplier)
    bidder = _client(loser.actor.user)
    url = f"/en/tenders/{world.tender.pk}/awards/notices/{notice.pk}/"

    bad = bidder.post(
        url, {"grounds": "Unfair.", "documents": [SimpleUploadedFile("a.pdf", b"MZ not pdf")]}
    )
    assert bad.status_code == 422
    assert "does not match its name" in bad.content.decode()
    assert not Complaint.objects.exists()

    filed = bidder.post(
        url,
        {
            "grounds": "The guarantee of the winner had expired.",
            "documents": [SimpleUploadedFile("guarantee.pdf", PDF)],
        },
    )
    assert filed.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.documents.count() == 1

    official = _official(world)
    manage = official.get(f"/en/tenders/{world.tender.pk}/awards/decide/")
    assert "The guarantee of the winner had expired." in manage.content.decode()
    decided_response = official.post(
        f"/en/tenders/{world.tender.pk}/awards/decide/",
        {"action": "dismiss", "complaint": str(complaint.pk), "text": "It was valid."},
    )
    assert decided_response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.DISMISSED
    # The bidder cannot decide, even by posting the form.
    assert (
        bidder.post(
            f"/en/tenders/{world.tender.pk}/awards/decide/",
            {"action": "uphold", "complaint": str(complaint.pk), "text": "x"},
        ).status_code
        == 403
    )


def test_everyone_reads_the_decisions_and_complaints(world: OpeningWorld) -> None:
    award = decided(world)
    loser = _offer(world, LOSER)
    complaint = services.complaint_file(
        actor=loser.actor,
        award=award,
        complainant=loser.supplier,
        grounds="The guarantee of the winner had expired.",
        documents=[SimpleUploadedFile("guarantee.pdf", PDF)],
    )
    services.complaint_decide(
        actor=buyer_official_actor(world),
        complaint=complaint,
        upheld=False,
        resolution="The guarantee was valid until the end of the contract.",
    )
    anonymous = Client()

    tender_page = anonymous.get(f"/en/tenders/{world.tender.pk}/").content.decode()
    assert "Evaluation and awards" in tender_page
    assert "Pequeña Empresa SpA" in tender_page
    assert f"/en/tenders/{world.tender.pk}/awards/complaints/{complaint.pk}/" in tender_page

    awards_page = anonymous.get(f"/en/tenders/{world.tender.pk}/awards/").content.decode()
    assert "Decided, in the standstill period" in awards_page
    assert "Dismissed" in awards_page

    complaint_page = anonymous.get(
        f"/en/tenders/{world.tender.pk}/awards/complaints/{complaint.pk}/"
    ).content.decode()
    assert "The guarantee of the winner had expired." in complaint_page
    assert "The guarantee was valid until the end of the contract." in complaint_page
    document = complaint.documents.get()
    download = anonymous.get(
        f"/en/tenders/{world.tender.pk}/awards/complaints/{complaint.pk}/documents/{document.pk}/"
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert anonymous.get(
        f"/en/tenders/{world.tender.pk}/awards/complaints/{complaint.pk + 1}/"
    ).status_code == (404)

    buyer_page = anonymous.get(f"/en/organizations/{world.tender.buyer.pk}/").content.decode()
    assert "Complaints about its awards" in buyer_page
    assert "<dt>Complaints filed</dt><dd>1</dd>" in buyer_page
    assert "<dt>Complaints upheld</dt><dd>0</dd>" in buyer_page


def test_the_api_lists_the_decisions(world: OpeningWorld, buyer: Organization) -> None:
    award = decided(world)
    loser = _offer(world, LOSER)
    complaint = services.complaint_file(
        actor=loser.actor, award=award, complainant=loser.supplier, grounds="Expired guarantee."
    )

    response = Client().get(f"/api/v1/tenders/{world.tender.pk}/awards")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert {key: item[key] for key in ("id", "ocds_id", "lot", "status", "ocds_status")} == {
        "id": award.pk,
        "ocds_id": f"award-{award.pk}",
        "lot": 1,
        "status": "suspended",
        "ocds_status": "pending",
    }
    assert item["supplier"] == {"id": award.supplier.party_id, "name": "Pequeña Empresa SpA"}  # type: ignore[union-attr]
    assert item["value_amount"] == "118000.00"
    assert [(c["id"], c["status"], c["grounds"]) for c in item["complaints"]] == [
        (complaint.pk, "pending", "Expired guarantee.")
    ]
    draft = factories.TenderDraftFactory(buyer=buyer)
    assert Client().get(f"/api/v1/tenders/{draft.pk}/awards").status_code == 404


def test_with_an_oversight_body_its_auditors_decide_on_the_page(
    world: OpeningWorld, settings: Any
) -> None:
    settings.PREGON_COMPLAINTS_DECIDED_BY = "oversight"
    award = decided(world)
    loser = _offer(world, LOSER)
    complaint = services.complaint_file(
        actor=loser.actor, award=award, complainant=loser.supplier, grounds="Expired guarantee."
    )
    url = f"/en/tenders/{world.tender.pk}/awards/decide/"
    official = _official(world)
    auditor = _client(factories.member(factories.OversightFactory(), "auditor"))

    page = official.get(url).content.decode()
    assert "On this platform an oversight body decides the complaints." in page
    assert 'value="dismiss"' not in page
    refused = official.post(
        url, {"action": "dismiss", "complaint": str(complaint.pk), "text": "Unfounded."}
    )
    assert refused.status_code == 403
    assert "oversight body" in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.PENDING

    assert 'value="dismiss"' in auditor.get(url).content.decode()
    done = auditor.post(
        url, {"action": "dismiss", "complaint": str(complaint.pk), "text": "Unfounded."}
    )
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.DISMISSED
