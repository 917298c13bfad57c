"""The supplier's sealed-bid pages through HTTP: the bid page, the withdrawal form, the list of
bids with their receipts, and the deadline clock on the public tender page."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.bids import services
from pregon.bids.choices import BidStatus
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, rfc3339
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.models import AuditEvent
from pregon.publication.models import Record
from pregon.sealing import Member, seal_bid
from pregon.tenders.models import Tender
from pregon.tlog.checkpoint import ALG_ED25519, SignerKey, format_signer_key, open_note
from pregon.web.templatetags.server_clock import deadline_left, left_text
from pregon.workspace.supplier.bids import NOTES_QUESTION, published_committee
from tests import factories
from tests.test_translations import compile_catalogs, english_phrases, visible_text

pytestmark = pytest.mark.django_db

ORIGIN = "bids.example.org/pregon/log"
SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(1, 33)))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _log_key(settings: Any, tmp_path: Any) -> None:
    """A known log origin and signing key, so receipts verify against `SIGNER.verifier`."""
    settings.PREGON_LOG_ORIGIN = ORIGIN
    settings.PREGON_LOG_SIGNER_KEY = format_signer_key(SIGNER)
    settings.VAR_DIR = tmp_path / "var"
    settings.SITE_URL = "https://compras.example.org"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(actor: Actor, tender: Tender, *, key: str = "bid-1", document: bytes = b"") -> Bid:
    """Seal a bid to the tender's committee as a client does, upload its document, submit it."""
    committee = [
        Member(fingerprint=m.fingerprint, public_key=bytes(m.public_key))
        for m in tender.committee.order_by("position")
    ]
    documents = [("d1", document)] if document else []
    sealed = seal_bid(
        ocid=str(tender.ocid),
        members=committee,
        threshold=tender.opening_threshold,
        bid={
            "format": "pregon-bid/1",
            "tender": tender.ocid,
            "lots": [{"lot": "1", "amount": "1000.00", "currency": tender.currency}],
            "answers": [],
            "documents": [
                {"id": "d1", "name": "a.pdf", "mediaType": "application/pdf", "size": len(b)}
                for _doc, b in documents
            ],
        },
        documents=documents,
    )
    refs = []
    for doc_id, stored in sealed.documents:
        upload = services.bid_upload_start(
            actor=actor, tender=tender, size=len(stored), sha256=hashlib.sha256(stored).hexdigest()
        )
        upload = services.bid_upload_append(actor=actor, upload=upload, offset=0, chunk=stored)
        refs.append((doc_id, upload))
    return services.bid_submit(
        actor=actor,
        tender=tender,
        envelope=sealed.envelope,
        documents=refs,
        idempotency_key=key,
        declaration=DECLARATION_VERSION,
    ).bid


def form_html(page: str) -> str:
    match = re.search(r'<form id="bid-form".*?</form>', page, flags=re.S)
    assert match is not None
    return match.group(0)


@pytest.fixture
def tender(buyer: Any) -> Tender:
    return factories.TenderOpenFactory(buyer=buyer, lots=2)


# ---------------------------------------------------------------------------------------------
# the bid page


def test_the_bid_page_offers_the_sealing_form_without_any_named_field(
    supplier_user: Any, supplier: Any, tender: Tender
) -> None:
    response = signed_in(supplier_user).get(reverse("supplier:bid", args=[tender.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    form = form_html(page)
    # Nothing the supplier types can be posted: the fields have no name, the form no action.
    assert re.findall(r"\bname=", form) == []
    assert "action=" not in form
    assert 'id="bid-lot-1"' in form and 'id="bid-lot-2"' in form
    assert "Sealing needs JavaScript" in page
    assert (
        f"pregon bid submit --url https://compras.example.org --tender {tender.ocid} "
        f'--lot 1=AMOUNT --lot 2=AMOUNT --answer "{NOTES_QUESTION}=…" --document FILE'
    ) in html.unescape(page)
    fingerprints = list(tender.committee.order_by("position").values_list("fingerprint", flat=True))
    assert re.findall(r'data-fingerprint="([0-9a-f]{64})"', page) == fingerprints
    assert 'data-threshold="2"' in page
    assert f'data-organization="{supplier.pk}"' in page
    assert "Seal and submit the bid" in page
    assert response.context["closed"] == ""


def test_the_committee_on_the_page_is_the_published_one(tender: Tender) -> None:
    committee = published_committee(tender)

    assert committee is not None
    assert committee.threshold == 2
    assert [m.fingerprint for m in committee.members] == list(
        tender.committee.order_by("position").values_list("fingerprint", flat=True)
    )
    # The page reads the open data: a record without the committee is a tender without one.
    record = Record.objects.get(ocid=tender.ocid)
    del record.compiled["tender"]["openingCommittee"]
    record.save(update_fields=["compiled"])
    assert published_committee(tender) is None


def test_a_tender_whose_record_names_no_committee_says_it_takes_no_sealed_bid(
    supplier_user: Any, tender: Tender
) -> None:
    record = Record.objects.get(ocid=tender.ocid)
    del record.compiled["tender"]["openingCommittee"]
    record.save(update_fields=["compiled"])

    page = signed_in(supplier_user).get(reverse("supplier:bid", args=[tender.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "This tender cannot receive sealed bids" in content
    assert 'id="bid-form"' not in content
    assert "bids/sealing.js" not in content


def test_after_the_deadline_the_page_says_bids_are_closed(
    supplier_user: Any, tender: Tender
) -> None:
    client = signed_in(supplier_user)
    with clock.at(tender.submission_deadline):
        page = client.get(reverse("supplier:bid", args=[tender.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Bids are closed" in content
    assert (
        "The bid deadline has passed: this tender no longer accepts bids, replacements or "
        "withdrawals."
    ) in content
    assert 'id="bid-form"' not in content
    # The script stays, to fetch the receipt of a submission sent before the deadline.
    assert 'data-open="false"' in content


def test_a_cancelled_tender_takes_no_bid(supplier_user: Any, buyer: Any) -> None:
    tender = factories.TenderCancelledFactory(buyer=buyer)

    page = signed_in(supplier_user).get(reverse("supplier:bid", args=[tender.pk]))

    assert page.status_code == 200
    assert page.context["closed"] == "This tender was cancelled: it accepts no bids."
    assert 'id="bid-form"' not in page.content.decode()


def test_drafts_and_unknown_tenders_answer_404(supplier_user: Any, draft: Any) -> None:
    client = signed_in(supplier_user)

    assert client.get(reverse("supplier:bid", args=[draft.pk])).status_code == 404
    assert client.get(reverse("supplier:bid", args=[draft.pk + 1000])).status_code == 404


def test_only_people_acting_for_a_supplier_reach_the_pages(
    official: Any, tender: Tender, supplier_actor: Actor
) -> None:
    bid = submit(supplier_actor, tender)
    urls = [
        reverse("supplier:bids"),
        reverse("supplier:bid", args=[tender.pk]),
        reverse("supplier:bid_receipt", args=[bid.pk]),
        reverse("supplier:bid_receipt_file", args=[bid.pk]),
        reverse("supplier:bid_withdraw", args=[bid.pk]),
    ]
    buyer_official = signed_in(official)
    anonymous = Client()
    for url in urls:
        assert buyer_official.get(url).status_code == 403
        login = anonymous.get(url)
        assert login.status_code == 302
        assert login["Location"].startswith(reverse("account_login"))
    assert (
        buyer_official.post(urls[-1], {"confirm": "on", "idempotency_key": "k1"}).status_code == 403
    )
    assert Bid.objects.get().status == BidStatus.SUBMITTED


def test_another_suppliers_bid_answers_404(tender: Tender, supplier_actor: Actor) -> None:
    bid = submit(supplier_actor, tender)
    other = factories.SupplierFactory()
    client = signed_in(factories.member(other, "supplier_user"))

    for name in ("supplier:bid_receipt", "supplier:bid_receipt_file", "supplier:bid_withdraw"):
        assert client.get(reverse(name, args=[bid.pk])).status_code == 404
    response = client.post(
        reverse("supplier:bid_withdraw", args=[bid.pk]), {"confirm": "on", "idempotency_key": "k1"}
    )
    assert response.status_code == 404
    assert Bid.objects.get().status == BidStatus.SUBMITTED
    # Its bid page is its own: it shows no bid of the first supplier.
    page = client.get(reverse("supplier:bid", args=[tender.pk]))
    assert page.context["current"] is None
    assert bid.commitment not in page.content.decode()


def test_with_a_bid_the_page_offers_to_replace_it_blank_or_withdraw_it(
    supplier_user: Any, tender: Tender, supplier_actor: Actor
) -> None:
    bid = submit(supplier_actor, tender)

    page = signed_in(supplier_user).get(reverse("supplier:bid", args=[tender.pk]))

    content = page.content.decode()
    assert page.context["current"] == bid
    assert bid.commitment in content
    assert "Replace your bid" in content
    assert "Sealed bids cannot be read back" in content
    assert f'data-replace="{bid.pk}"' in content
    assert reverse("supplier:bid_withdraw", args=[bid.pk]) in content
    assert f"pregon bid replace {bid.pk} --url https://compras.example.org" in content
    assert f"pregon bid withdraw {bid.pk} --url https://compras.example.org" in content
    # Nothing of the sealed bid is filled in: the price inputs have no value.
    assert "value=" not in form_html(content)


# ---------------------------------------------------------------------------------------------
# receipts


def test_the_receipt_page_shows_the_signed_note_and_how_to_check_it(
    supplier_user: Any, tender: Tender, supplier_actor: Actor
) -> None:
    bid = submit(supplier_actor, tender, document=b"%PDF-1.4 oferta")

    page = signed_in(supplier_user).get(reverse("supplier:bid_receipt", args=[bid.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert bid.commitment in content
    assert bid.receipt in html.unescape(content)
    assert f"pregon bid receipt {bid.pk} --url https://compras.example.org" in content
    assert reverse("supplier:bid_receipt_file", args=[bid.pk]) in content
    assert "Signed receipt of the withdrawal" not in content


def test_the_receipt_file_is_the_format_pregon_bid_receipt_saves(
    supplier_user: Any, tender: Tender, supplier_actor: Actor
) -> None:
    bid = submit(supplier_actor, tender)

    response = signed_in(supplier_user).get(reverse("supplier:bid_receipt_file", args=[bid.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bid-{bid.pk}-submit.receipt.json"'
    )
    data = json.loads(response.content)
    assert data == {
        "format": "pregon-bid-receipt/1",
        "bid": str(bid.pk),
        "tender": tender.ocid,
        "action": "submit",
        "commitment": bid.commitment,
        "time": rfc3339(bid.received_at),
        "leafIndex": bid.leaf_index,
        "receivedAt": rfc3339(bid.received_at),
        "logKey": data["logKey"],
        "receipt": bid.receipt,
    }
    assert data["logKey"].startswith(f"{ORIGIN}+")
    opened = open_note(data["receipt"], [SIGNER.verifier])
    assert opened.text.split("\n")[2:7] == [
        tender.ocid,
        bid.commitment,
        "submit",
        rfc3339(bid.received_at),
        str(bid.leaf_index),
    ]
    withdrawal = reverse("supplier:bid_withdrawal_receipt_file", args=[bid.pk])
    assert signed_in(supplier_user).get(withdrawal).status_code == 404


# ---------------------------------------------------------------------------------------------
# withdrawal


def test_withdrawing_needs_the_confirmation(
    supplier_user: Any, tender: Tender, supplier_actor: Actor
) -> None:
    bid = submit(supplier_actor, tender)
    client = signed_in(supplier_user)
    url = reverse("supplier:bid_withdraw", args=[bid.pk])

    form = client.get(url)
    assert form.status_code == 200
    key = form.context["form"]["idempotency_key"].value()
    assert re.fullmatch(r"[0-9a-f]{32}", key)

    refused = client.post(url, {"idempotency_key": key})

    assert refused.status_code == 422
    assert "Tick the box to confirm the withdrawal." in refused.content.decode()
    bid.refresh_from_db()
    assert (bid.status, bid.withdrawn_at) == (BidStatus.SUBMITTED, None)


def test_withdrawing_calls_the_service_and_a_repeated_post_withdraws_once(
    supplier_user: Any, supplier: Any, tender: Tender, supplier_actor: Actor
) -> None:
    bid = submit(supplier_actor, tender)
    client = signed_in(supplier_user)
    url = reverse("supplier:bid_withdraw", args=[bid.pk])

    first = client.post(url, {"confirm": "on", "idempotency_key": "withdraw-1"})

    assert first.status_code == 302
    assert first["Location"] == reverse("supplier:bid_receipt", args=[bid.pk])
    bid.refresh_from_db()
    assert bid.status == BidStatus.WITHDRAWN
    assert bid.withdraw_idempotency_key == "withdraw-1"
    leaf = bid.withdraw_leaf_index
    row = AuditEvent.objects.get(action="bid.withdraw")
    assert (row.actor, row.organization, row.channel) == (supplier_user, supplier, "web")

    again = client.post(url, {"confirm": "on", "idempotency_key": "withdraw-1"})

    assert again.status_code == 302
    bid.refresh_from_db()
    assert bid.withdraw_leaf_index == leaf
    assert AuditEvent.objects.filter(action="bid.withdraw").count() == 1
    receipt = client.get(first["Location"]).content.decode()
    assert "Signed receipt of the withdrawal" in receipt
    assert "Your bid is withdrawn" in receipt
    file = json.loads(
        client.get(reverse("supplier:bid_withdrawal_receipt_file", args=[bid.pk])).content
    )
    assert (file["action"], file["leafIndex"], file["receipt"]) == (
        "withdraw",
        leaf,
        bid.withdraw_receipt,
    )


def test_withdrawing_after_the_deadline_is_refused(
    supplier_user: Any, tender: Tender, supplier_actor: Actor
) -> None:
    bid = submit(supplier_actor, tender)
    client = signed_in(supplier_user)
    url = reverse("supplier:bid_withdraw", args=[bid.pk])

    with clock.at(tender.submission_deadline + dt.timedelta(seconds=1)):
        shown = client.get(url)
        refused = client.post(url, {"confirm": "on", "idempotency_key": "late-1"})

    assert 'type="checkbox"' not in shown.content.decode()
    assert refused.status_code == 409
    content = refused.content.decode()
    assert "The bid deadline has passed" in content
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED


# ---------------------------------------------------------------------------------------------
# the list


def test_the_list_shows_the_organizations_bids_newest_first_with_their_receipts(
    supplier_user: Any, buyer: Any, tender: Tender, supplier_actor: Actor
) -> None:
    first = submit(supplier_actor, tender, key="bid-a")
    services.bid_withdraw(actor=supplier_actor, bid=first, idempotency_key="wd-a")
    second = submit(supplier_actor, tender, key="bid-b")
    other = factories.SupplierFactory()
    foreign = submit(
        factories.actor_for(factories.member(other, "supplier_user"), other), tender, key="x"
    )

    page = signed_in(supplier_user).get(reverse("supplier:bids"))

    assert page.status_code == 200
    assert [bid.pk for bid in page.context["bids"]] == [second.pk, first.pk]
    content = page.content.decode()
    assert foreign.commitment not in content
    for bid in (first, second):
        assert bid.commitment in content
        assert reverse("supplier:bid_receipt", args=[bid.pk]) in content
    assert "Withdrawn" in content and "Submitted (sealed)" in content
    # Times read in the buyer's zone, as the tender's own dates.
    assert f"({buyer.effective_time_zone}, UTC" in content


def test_an_empty_list_says_how_to_bid(supplier_user: Any) -> None:
    page = signed_in(supplier_user).get(reverse("supplier:bids"))

    assert page.status_code == 200
    assert "has not submitted any sealed bid yet" in page.content.decode()


# ---------------------------------------------------------------------------------------------
# the deadline clock


def test_the_public_tender_page_shows_deadline_platform_time_and_countdown(
    client: Client, supplier_user: Any, tender: Tender
) -> None:
    now = tender.submission_deadline - dt.timedelta(days=3, hours=4, minutes=5, seconds=6)
    with clock.at(now):
        anonymous = client.get(tender.get_absolute_url()).content.decode()
        supplier_page = signed_in(supplier_user).get(tender.get_absolute_url()).content.decode()

    assert 'data-deadline-clock data-deadline="' in anonymous
    assert f'data-server-now="{rfc3339(now)}"' in anonymous
    assert '<span role="timer" data-countdown>3 days, 04:05:06</span>' in anonymous
    assert 'data-text-one="%(days)s day, %(time)s"' in anonymous
    assert "pregon/countdown.js" in anonymous
    assert "Sign in to bid" in anonymous
    assert "Prepare a sealed bid" not in anonymous
    assert reverse("supplier:bid", args=[tender.pk]) in supplier_page
    assert "Prepare a sealed bid" in supplier_page


def test_a_closed_tender_has_no_countdown(client: Client, buyer: Any) -> None:
    tender = factories.TenderClosedFactory(buyer=buyer)

    page = client.get(tender.get_absolute_url()).content.decode()

    assert "data-deadline-clock" not in page


@pytest.fixture
def fresh_catalogs(settings: Any, tmp_path: Any) -> None:
    """The catalogs as committed (the .mo files of the working tree may be stale)."""
    compile_catalogs(tmp_path)
    settings.LOCALE_PATHS = [tmp_path]


@pytest.mark.usefixtures("fresh_catalogs")
def test_countdown_texts() -> None:
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert deadline_left(now + dt.timedelta(seconds=59), now) == "00:00:59"
    assert deadline_left(now + dt.timedelta(days=1, hours=2), now) == "1 day, 02:00:00"
    assert deadline_left(now + dt.timedelta(days=12, seconds=61), now) == "12 days, 00:01:01"
    assert deadline_left(now, now) == "The bid deadline has passed."
    # Half a second before the deadline the platform still takes bids: it has not passed.
    assert deadline_left(now + dt.timedelta(milliseconds=500), now) == "00:00:01"
    assert left_text(0, days_form=2) == "%(days)s days, %(time)s"
    with translation.override("es"):
        assert deadline_left(now + dt.timedelta(days=2), now) == "2 días, 00:00:00"


@pytest.mark.usefixtures("fresh_catalogs")
@pytest.mark.parametrize("language", ["es", "pt-br", "fr"])
def test_the_bid_pages_read_in_the_language(
    language: str, supplier_user: Any, tender: Tender, supplier_actor: Actor
) -> None:
    bid = submit(supplier_actor, tender)
    services.bid_withdraw(actor=supplier_actor, bid=bid, idempotency_key="wd-1")
    client = signed_in(supplier_user)
    english = english_phrases(language)
    for url in (
        reverse("supplier:bid", args=[tender.pk]),
        reverse("supplier:bids"),
        reverse("supplier:bid_receipt", args=[bid.pk]),
        reverse("supplier:bid_withdraw", args=[bid.pk]),
    ):
        assert url.startswith("/en/")
        localized = f"/{language}{url[3:]}"
        response = client.get(localized)
        assert response.status_code == 200, localized
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        # The script's sentences too (they are attributes, which visible_text leaves out).
        texts = " ".join(re.findall(r'data-text-[a-z-]+="([^"]*)"', page))
        # Commands are code: they name the bid's fixed question as the bid records it.
        prose = re.sub(r"<pre\b.*?</pre>", " ", page, flags=re.S)
        shown = visible_text(prose) + " " + html.unescape(texts)
        assert [phrase for phrase in english if phrase in shown] == [], localized
