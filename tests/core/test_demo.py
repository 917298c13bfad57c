"""`pregon demo`: the world it promises, built through the services, and its guard rails.

The world is built once for the module (inside a transaction rolled back at the end), since
every test here reads the same world.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from pregon.accounts.models import Membership, User
from pregon.bids import services as bid_services
from pregon.bids.models import Bid, OpenedBid, Opening
from pregon.bids.selectors_opening import opening_envelopes
from pregon.core import classifications, clock
from pregon.core.actor import Actor
from pregon.core.identifiers import id_is_valid
from pregon.core.models import AuditEvent
from pregon.demo.accounts import DEMO_PASSWORD
from pregon.demo.content import TENDERS, BidSpec, TenderSpec
from pregon.demo.keys import key_file_path, key_files_directory
from pregon.demo.organizations import SUPPLIERS
from pregon.demo.pdf import render_pdf
from pregon.ledger.models import Leaf
from pregon.organizations.models import Organization
from pregon.publication import services as publication
from pregon.publication.models import Record, Release
from pregon.sealing import (
    Member,
    SealingError,
    keyfile_read,
    parse_envelope,
    seal_bid,
    share_decrypt,
)
from pregon.tenders.models import (
    Amendment,
    CommitteeKey,
    CommitteeMember,
    Item,
    Question,
    Tender,
    TenderDocument,
)
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests.conftest import database_snapshot

EXPECTED_AUDIT = {
    "organization.create": 7,  # the oversight body and six buyers
    "membership.grant": 25,  # the auditor, and an official and three committee members per buyer
    "committee_key.register": 18,  # each committee member's opening key
    "tender.committee": 31,  # every tender's opening committee, drafts included
    "supplier.register": 30,
    "tender.create": 31,
    "document.add": 37,  # plus three documents added by amendments
    "tender.publish": 26,
    "question.ask": 38,
    "question.answer": 29,
    "tender.amend": 3,
    "tender.close": 10,  # nine closed, and one closed then cancelled
    "tender.cancel": 5,
    "bid.submit": 23,  # sealed bids on ten tenders
    "bid.replace": 1,
    "bid.withdraw": 1,
    "opening.start": 7,  # six tenders opened, one opening collecting shares
    "opening.hand_in": 13,
    "opening.open": 6,
}


@pytest.fixture(scope="module")
def demo_build(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[str, Path, Path]]:
    """The demo's output, and its media and var directories (key files, the log's key)."""
    media = tmp_path_factory.mktemp("demo-media")
    var = tmp_path_factory.mktemp("demo-var")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, VAR_DIR=var),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("demo", "--if-empty", stdout=out)
        yield out.getvalue(), media, var
        transaction.set_rollback(True)


@pytest.fixture
def world(demo_build: tuple[str, Path, Path], db: None) -> str:
    """The demo command's output; the database holds the world it built."""
    return demo_build[0]


def test_buyers_in_three_countries_with_an_official_and_three_committee_members(
    world: str,
) -> None:
    buyers = Organization.objects.filter(kind="buyer")
    assert sorted(buyers.values_list("country", flat=True)) == ["BR", "BR", "BZ", "CL", "CL", "CL"]
    assert sorted(buyers.values_list("buyer_type", flat=True)) == [
        "hospital",
        "hospital",
        "ministry",
        "ministry",
        "municipality",
        "municipality",
    ]
    for buyer in buyers:
        roles = sorted(Membership.objects.filter(organization=buyer).values_list("role", flat=True))
        assert roles == ["buyer_official", *["committee_member"] * 3], buyer
        assert id_is_valid(buyer.identifier_scheme, buyer.identifier_id), buyer
    assert Organization.objects.filter(kind="oversight").count() == 1
    assert Membership.objects.filter(organization__kind="oversight", role="auditor").count() == 1
    assert (
        Membership.objects.filter(organization__kind="operator", role="administrator").count() == 1
    )


def test_thirty_suppliers_of_every_scale_with_cooperatives(world: str) -> None:
    suppliers = Organization.objects.filter(kind="supplier")
    assert suppliers.count() == 30
    assert Counter(suppliers.values_list("scale", flat=True)) == {
        "micro": 7,
        "small": 9,
        "medium": 5,
        "large": 5,
        "selfEmployed": 4,
    }
    assert Counter(suppliers.values_list("country", flat=True)) == {"CL": 14, "BR": 11, "BZ": 5}
    assert suppliers.filter(is_cooperative=True).count() == 6
    assert suppliers.filter(women_owned=True).count() == 11
    assert suppliers.filter(indigenous_owned=True).count() == 4
    assert suppliers.filter(is_local=True).count() == 16
    for supplier in suppliers:
        assert id_is_valid(supplier.identifier_scheme, supplier.identifier_id), supplier
        assert Membership.objects.filter(organization=supplier, role="supplier_user").count() == 1


def test_every_demo_account_is_verified_waives_mfa_and_uses_the_documented_password(
    world: str,
) -> None:
    users = User.objects.all()
    assert users.count() == 56
    assert not users.filter(mfa_waived=False).exists()
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 56
    assert users.get(email="admin@demo.example").is_superuser
    assert users.filter(is_staff=True).count() == 1
    for email in (
        "admin@demo.example",
        "compras@mop.demo.example",
        "contato@coopafap.demo.example",
    ):
        assert users.get(email=email).check_password("pregon-demo")


def test_published_tenders_in_every_reachable_state_and_drafts(world: str) -> None:
    now = clock.now()
    assert Counter(Tender.objects.values_list("status", flat=True)) == {
        "active": 12,
        "closed": 9,
        "cancelled": 5,
        "draft": 5,
    }
    published = Tender.objects.exclude(status="draft")
    assert published.filter(published_at__isnull=False).count() == 26
    assert Counter(published.values_list("language", flat=True)) == {"es": 13, "pt": 8, "en": 5}
    assert Counter(published.values_list("currency", flat=True)) == {
        "CLP": 13,
        "BRL": 8,
        "BZD": 4,
        "USD": 1,
    }
    assert set(published.values_list("method", flat=True)) == {
        "open",
        "selective",
        "limited",
        "direct",
        "rfq",
    }
    for tender in Tender.objects.filter(status="active"):
        assert tender.submission_deadline > now, tender
    for tender in Tender.objects.filter(status="closed"):
        assert tender.submission_deadline < tender.closed_at < now, tender
    for tender in Tender.objects.filter(status="cancelled"):
        assert tender.cancellation_reason and tender.cancelled_at < now, tender
    # One tender was cancelled after its deadline closed it.
    assert Tender.objects.filter(status="cancelled", closed_at__isnull=False).count() == 1
    drafts = Tender.objects.filter(status="draft")
    assert not drafts.filter(published_at__isnull=False).exists()
    assert all(tender.submission_deadline > now for tender in drafts)


def test_every_tender_has_an_opening_committee_of_three_with_two_needed(world: str) -> None:
    for buyer in Organization.objects.filter(kind="buyer"):
        members = set(
            Membership.objects.filter(organization=buyer, role="committee_member").values_list(
                "user_id", flat=True
            )
        )
        keys = CommitteeKey.objects.filter(organization=buyer, revoked_at__isnull=True)
        assert set(keys.values_list("user_id", flat=True)) == members, buyer
        fingerprints = {key.fingerprint: key.user_id for key in keys}
        for tender in Tender.objects.filter(buyer=buyer):
            assert tender.opening_threshold == 2, tender
            named = list(tender.committee.order_by("position"))
            assert [member.position for member in named] == [1, 2, 3], tender
            assert {member.fingerprint: member.user_id for member in named} == fingerprints
    assert CommitteeMember.objects.count() == 3 * Tender.objects.count()


def test_lots_and_items_carry_known_classification_codes(world: str) -> None:
    assert Tender.objects.filter(lots__isnull=True).count() == 0
    items = Item.objects.all()
    assert items.count() == sum(len(lot.items) for spec in TENDERS for lot in spec.lots)
    assert set(items.values_list("classification_scheme", flat=True)) == {"CPV", "UNSPSC"}
    for item in items:
        assert classifications.is_valid(item.classification_scheme, item.classification_code)
        assert item.quantity > 0 and item.unit


def test_questions_answered_and_unanswered_with_the_asker_recorded(world: str) -> None:
    questions = Question.objects.all()
    assert questions.count() == 38
    assert questions.filter(answered_at__isnull=True).count() == 9
    assert questions.filter(asked_for__kind="supplier").count() == 38
    for question in questions.select_related("tender", "asked_for"):
        assert question.asked_at >= question.tender.published_at
        assert question.asked_at > question.asked_for.created_at  # registered before asking
        if question.answered_at is not None:
            assert question.asked_at < question.answered_at <= clock.now()
    # The unanswered questions all wait on open tenders.
    assert set(
        questions.filter(answered_at__isnull=True).values_list("tender__status", flat=True)
    ) == {"active"}


def test_amendments_give_reasons_and_move_deadlines_later(world: str) -> None:
    amendments = Amendment.objects.all()
    assert amendments.count() == 3
    for amendment in amendments:
        assert amendment.reason
        assert amendment.new_deadline > amendment.previous_deadline
        assert amendment.changes_offer
        assert amendment.tender.submission_deadline == amendment.new_deadline
    assert TenderDocument.objects.filter(amendment__isnull=False).count() == 3


def test_documents_are_valid_pdfs_stored_under_their_hash(
    world: str, demo_build: tuple[str, Path, Path]
) -> None:
    media = demo_build[1]
    documents = TenderDocument.objects.all()
    assert documents.count() == 40
    for document in documents:
        content = (media / document.file.name).read_bytes()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert document.size == len(content)
        assert document.content_type == "application/pdf"


def test_every_service_action_left_its_audit_row(world: str) -> None:
    assert Counter(AuditEvent.objects.values_list("action", flat=True)) == EXPECTED_AUDIT
    assert AuditEvent.objects.filter(created_at__gt=clock.now()).count() == 0
    # Deadlines are closed by the platform itself, every other action by a person.
    assert set(
        AuditEvent.objects.filter(action="tender.close").values_list("actor_label", flat=True)
    ) == {"system"}
    assert not AuditEvent.objects.exclude(action="tender.close").filter(actor=None).exists()


def test_the_output_lists_accounts_and_says_mfa_is_waived(world: str) -> None:
    assert "26 published tenders (12 open, 9 closed, 5 cancelled), 5 drafts" in world
    assert re.search(r"^    \w+ \d{4}: \d+ actions$", world, re.M)  # progress through time
    rows = [line for line in world.splitlines() if line.rstrip().endswith("pregon-demo")]
    assert len(rows) == 56
    assert re.search(
        r"^Administrator\s+Pregón \(demo\)\s+admin@demo\.example\s+pregon-demo$", world, re.M
    )
    assert "Multi-factor sign-in is waived for these demo accounts" in world
    assert "Production refuses that waiver" in world
    assert (
        "Sealed bids: 24 submitted (1 of them replacements), 1 withdrawn. Public openings: 6 "
        "done, 1 waiting for more committee members." in world
    )
    keys = key_files_directory()
    assert (
        f"Wrote the opening key files of 18 committee members to {keys} (passphrase: "
        "pregon-demo)." in world
    )
    assert f"with their key file, {keys}/<e-mail>.pregon-key, whose passphrase" in world


def test_if_empty_does_nothing_the_second_time(world: str) -> None:
    before = (Organization.objects.count(), Tender.objects.count(), AuditEvent.objects.count())
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert (
        out.getvalue().strip() == "The database already has organizations; the demo was not loaded."
    )
    after = (Organization.objects.count(), Tender.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_without_flags_a_populated_database_is_refused(world: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="already has organizations"):
        call_command("demo", stdout=io.StringIO())
    assert AuditEvent.objects.count() == before


def test_production_is_refused_unless_forced(world: str, settings: Any) -> None:
    settings.PRODUCTION = True
    before = Organization.objects.count()
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "--reset", stdout=io.StringIO())
    assert Organization.objects.count() == before


def test_reset_erases_everything_and_builds_the_same_world(
    world: str, settings: Any, tmp_path: Path
) -> None:
    # Another var directory, so that the module's world keeps its own key files; it holds the
    # key files of an earlier demo, which are replaced.
    earlier = tmp_path / "demo" / "committee-keys"
    earlier.mkdir(parents=True)
    (earlier / "gone@mop.demo.example.pregon-key").write_text("{}")
    (earlier / "committee2@midh.demo.example.pregon-key").write_text("{}")
    settings.VAR_DIR = tmp_path
    Organization.objects.create(
        kind="buyer",
        identifier_scheme="XX-TEST",
        identifier_id="1",
        legal_name="Extra",
        country="CL",
    )
    if connection.vendor == "postgresql":
        # The world was written in this test's own open transaction, whose deferred foreign-key
        # checks would block TRUNCATE; a real --reset runs on committed data.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("demo", "--reset", stdout=io.StringIO())
    assert Organization.objects.count() == 38
    assert not Organization.objects.filter(legal_name="Extra").exists()
    assert Counter(AuditEvent.objects.values_list("action", flat=True)) == EXPECTED_AUDIT
    # The key files are those of the new world's keys.
    assert len(list(earlier.iterdir())) == 18
    assert not (earlier / "gone@mop.demo.example.pregon-key").exists()
    member = User.objects.get(email="committee2@midh.demo.example")
    _private, public = keyfile_read(key_file_path(member.email).read_bytes(), DEMO_PASSWORD)
    assert (
        bytes(CommitteeKey.objects.get(user=member, revoked_at__isnull=True).public_key) == public
    )


def test_the_pdf_writer_keeps_its_cross_references_exact() -> None:
    content = render_pdf(
        title="Bases (técnicas) \\ São Paulo", subtitle="x", paragraphs=["a " * 400], footer="f"
    )
    start = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert content[start:].startswith(b"xref\n0 8\n")
    entries = content[start:].split(b"\n")[3:10]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry[:10])
        assert content[offset:].startswith(b"%d 0 obj" % number)
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", content).group(1))
    stream = content.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")
    assert "Bases \\(técnicas\\) \\\\ São Paulo".encode("cp1252") in content


# ---------------------------------------------------------------------------------------------
# sealed bids and their openings

SCALES = {spec.key: (spec.scale, spec.is_cooperative) for spec in SUPPLIERS}
SME = {"micro", "small", "medium", "selfEmployed"}


def _specs(*, opened: bool) -> list[TenderSpec]:
    """The tenders whose bids the demo opened (two members handed in), or whose opening waits."""
    return [spec for spec in TENDERS if spec.opening_by and (len(spec.opening_by) >= 2) == opened]


def _standing(spec: TenderSpec) -> list[BidSpec]:
    return [bid for bid in spec.bids if bid.withdrawn_days_ago is None]


def _expected_statistics(spec: TenderSpec) -> dict[str, int]:
    profiles = [SCALES[bid.supplier] for bid in _standing(spec)]
    return {
        "bids": len(profiles),
        "smeBids": sum(scale in SME for scale, _coop in profiles),
        "microBids": sum(scale == "micro" for scale, _coop in profiles),
        "smallBids": sum(scale == "small" for scale, _coop in profiles),
        "mediumBids": sum(scale == "medium" for scale, _coop in profiles),
        "cooperativeBids": sum(coop for _scale, coop in profiles),
    }


def _party(supplier: str) -> str:
    legal_name = next(spec.legal_name for spec in SUPPLIERS if spec.key == supplier)
    return Organization.objects.get(legal_name=legal_name).party_id


def test_sealed_bids_were_opened_in_public_across_the_buyers(world: str) -> None:
    opened = _specs(opened=True)
    assert len(opened) == 6
    assert len({spec.buyer for spec in opened}) == 6
    assert sum(len(_standing(spec)) for spec in opened) == 14
    for spec in opened:
        tender = Tender.objects.get(reference=spec.reference)
        assert tender.status == "closed", spec.reference
        # k < n: two of the three members opened the bids, the third never acted.
        assert tender.opening_threshold == 2 < tender.committee.count()
        opening = Opening.objects.get(tender=tender)
        assert opening.status == "opened"
        assert tender.opening_at < opening.opened_at < clock.now()
        record = opening.record
        assert {key: record["statistics"][key] for key in _expected_statistics(spec)} == (
            _expected_statistics(spec)
        )
        # The prices of the bids standing at the deadline: a replacement's, never the replaced.
        assert {
            (entry["tenderer"]["id"], lot["lot"], lot["amount"])
            for entry in record["bids"]
            for lot in entry["lots"]
        } == {
            (_party(bid.supplier), str(number), amount)
            for bid in _standing(spec)
            for number, amount in (bid.new_prices or bid.prices)
        }
        for entry in record["bids"]:
            assert entry["outcome"] == "opened"
            assert entry["members"] == sorted(spec.opening_by)
            assert [document["intact"] for document in entry["documents"]] == [True]
        # The record is the opening leaf of the transparency log.
        leaf = Leaf.objects.get(index=opening.leaf_index)
        assert (leaf.kind, leaf.ref) == ("opening", f"{tender.ocid}/opening")
        assert bytes(leaf.leaf_hash) == leaf_hash(canonical_bytes(record))
    assert Leaf.objects.filter(kind="opening").count() == 6


def test_the_published_records_and_the_bulk_files_carry_the_bid_statistics(
    world: str, tmp_path: Path
) -> None:
    published = {}
    for spec in _specs(opened=True):
        tender = Tender.objects.get(reference=spec.reference)
        compiled = Record.objects.get(ocid=tender.ocid).compiled
        statistics = {item["measure"]: item["value"] for item in compiled["bids"]["statistics"]}
        assert statistics == _expected_statistics(spec)
        assert len(compiled["bids"]["details"]) == sum(
            len(bid.new_prices or bid.prices) for bid in _standing(spec)
        )
        published[tender.ocid] = statistics
    # Nothing is published of the bids of a tender not opened.
    for spec in _specs(opened=False):
        compiled = Record.objects.get(ocid=Tender.objects.get(reference=spec.reference).ocid)
        assert "bids" not in compiled.compiled

    manifest = publication.bulk_files_generate(directory=tmp_path)
    with gzip.open(tmp_path / manifest.generation / "records.jsonl.gz", "rb") as handle:
        records = [orjson.loads(line) for line in handle]
    in_bulk = {
        record["ocid"]: {
            item["measure"]: item["value"]
            for item in record["compiledRelease"]["bids"]["statistics"]
        }
        for record in records
        if "bids" in record["compiledRelease"]
    }
    assert in_bulk == published


def test_every_release_of_the_demo_openings_included_validates(world: str) -> None:
    validator = publication.validator()
    releases = list(Release.objects.all())
    assert len(releases) == 79  # 73 of the tenders' own, and one per opening
    assert sum(1 for release in releases if "bids" in release.as_dict) == 6
    for release in releases:
        assert validator.validate_release(release.as_dict) == [], release.release_id


def test_replaced_withdrawn_and_unopened_bids_stay_sealed(world: str) -> None:
    statuses = Counter(Bid.objects.values_list("status", flat=True))
    assert statuses == {"opened": 14, "submitted": 8, "replaced": 1, "withdrawn": 1}
    assert OpenedBid.objects.count() == 14
    assert not OpenedBid.objects.exclude(bid__status="opened").exists()
    assert Bid.objects.filter(tender__status="active").count() == 4


def _still_sealed_prices() -> set[str]:
    """The amounts of every bid the demo never opened: replaced, withdrawn, not yet opened."""
    prices: set[str] = set()
    for spec in TENDERS:
        opened = len(spec.opening_by) >= 2
        for bid in spec.bids:
            if bid.new_prices:
                prices.update(amount for _lot, amount in bid.prices)
            if bid.withdrawn_days_ago is not None or not opened:
                prices.update(amount for _lot, amount in (bid.new_prices or bid.prices))
    return prices


def test_no_price_of_a_sealed_bid_is_stored_in_plain(
    world: str, demo_build: tuple[str, Path, Path]
) -> None:
    rows = b"\n".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for table in database_snapshot().values()
        for row in table
        for value in row.values()
    )
    files = b"".join(
        path.read_bytes()
        for path in sorted(Path(django_settings.MEDIA_ROOT).rglob("*"))
        if path.is_file()
    )
    stored = rows + files
    sealed = _still_sealed_prices()
    assert len(sealed) == 10
    for amount in sealed:
        assert amount.encode() not in stored, amount
    # The opened ones are public, in the opening records: the search does find prices.
    assert b"598730000" in stored and b"2798355.20" in stored


def test_each_committee_member_has_a_key_file_that_opens_with_the_demo_password(
    world: str, demo_build: tuple[str, Path, Path]
) -> None:
    directory = demo_build[2] / "demo" / "committee-keys"
    assert key_files_directory() == directory
    members = list(Membership.objects.filter(role="committee_member").select_related("user"))
    assert len(members) == 18
    assert sorted(path.name for path in directory.iterdir()) == sorted(
        f"{member.user.email}.pregon-key" for member in members
    )
    for member in members:
        path = key_file_path(member.user.email)
        assert path.stat().st_mode & 0o777 == 0o600
        _private, public = keyfile_read(path.read_bytes(), DEMO_PASSWORD)
        key = CommitteeKey.objects.get(user=member.user, revoked_at__isnull=True)
        assert bytes(key.public_key) == public
    with pytest.raises(SealingError) as refused:
        keyfile_read(key_file_path(members[0].user.email).read_bytes(), "not-the-password")
    assert refused.value.code == "wrong_passphrase"


def test_a_visitor_finishes_the_waiting_opening_with_a_demo_key_file(world: str) -> None:
    (spec,) = _specs(opened=False)
    tender = Tender.objects.get(reference=spec.reference)
    opening = Opening.objects.get(tender=tender)
    assert opening.status == "collecting"
    assert set(opening.hand_ins.values_list("member__position", flat=True)) == set(spec.opening_by)
    seat = (
        tender.committee.exclude(position__in=spec.opening_by)
        .select_related("user")
        .order_by("position")
        .first()
    )
    assert seat is not None
    member = Actor(user=seat.user, organization=tender.buyer)
    private, _public = keyfile_read(key_file_path(seat.user.email).read_bytes(), DEMO_PASSWORD)
    shares = [
        (
            bid,
            share_decrypt(
                parse_envelope(bytes(bid.envelope)),
                ocid=str(tender.ocid),
                private_raw=private,
                fingerprint=seat.fingerprint,
            ),
        )
        for bid in opening_envelopes(actor=member, tender=tender)
    ]
    assert len(shares) == 2

    result = bid_services.opening_shares_hand_in(actor=member, tender=tender, shares=shares)

    assert result.opened
    opening.refresh_from_db()
    assert opening.status == "opened"
    assert opening.record["statistics"]["bids"] == 2
    assert opening.record["statistics"]["smeBids"] == 2


def test_a_demo_supplier_can_bid_now_on_an_open_tender(world: str) -> None:
    tender = Tender.objects.get(reference="MIDH-CDB-2026-03")
    supplier = Organization.objects.get(legal_name__startswith="Cayo Builders")
    bidder = Actor(
        user=User.objects.get(email="info@cayobuilders.demo.example"), organization=supplier
    )
    sealed = seal_bid(
        ocid=str(tender.ocid),
        members=[
            Member(fingerprint=m.fingerprint, public_key=bytes(m.public_key))
            for m in tender.committee.order_by("position")
        ],
        threshold=tender.opening_threshold or 0,
        bid={
            "format": "pregon-bid/1",
            "tender": str(tender.ocid),
            "lots": [{"lot": "2", "amount": "1588000.00", "currency": tender.currency}],
            "answers": [],
            "documents": [],
        },
        documents=[],
    )

    outcome = bid_services.bid_submit(
        actor=bidder,
        tender=tender,
        envelope=sealed.envelope,
        documents=[],
        idempotency_key="live-bid",
    )

    assert outcome.created and outcome.bid.status == "submitted"
