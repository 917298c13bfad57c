"""`pregon demo`: the world it promises, built through the services, and its guard rails.

The world is built once for the module (inside a transaction rolled back at the end), since
every test here reads the same world.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
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
from django.urls import reverse

from pregon.accounts.models import Membership, User
from pregon.bids import services as bid_services
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, OpenedBid, Opening
from pregon.bids.selectors_opening import opening_envelopes
from pregon.contracts import services as contract_services
from pregon.contracts.models import Contract, ContractAmendment, Invoice
from pregon.contracts.selectors import buyer_payment_figures
from pregon.core import classifications, clock
from pregon.core.actor import Actor
from pregon.core.identifiers import id_is_valid
from pregon.core.models import AuditEvent
from pregon.demo.accounts import DEMO_PASSWORD
from pregon.demo.content import TENDERS, BidSpec, TenderSpec
from pregon.demo.keys import key_file_path, key_files_directory
from pregon.demo.organizations import CONSORTIA, SUPPLIERS
from pregon.demo.pdf import render_pdf
from pregon.evaluation import services as evaluation_services
from pregon.evaluation.models import Award, AwardNotice, BidAssessment, Complaint, Evaluation
from pregon.evaluation.selectors import ComplaintFigures, complaint_figures_of_buyer
from pregon.ledger.models import Leaf
from pregon.organizations.models import Consortium, Organization, SupplierDocument
from pregon.planning.models import PlanLine
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
from pregon.subcontracting.models import SubOpportunity
from pregon.tenders import services as tender_services
from pregon.tenders.models import (
    Amendment,
    CommitteeKey,
    CommitteeMember,
    Item,
    Lot,
    Question,
    Tender,
    TenderDocument,
)
from pregon.tenders.rule_packs import lot_open_to
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests.conftest import database_snapshot

EXPECTED_AUDIT = {
    "organization.create": 7,  # the oversight body and six buyers
    "membership.grant": 25,  # the auditor, and an official and three committee members per buyer
    "committee_key.register": 18,  # each committee member's opening key
    "tender.committee": 34,  # every tender's opening committee, drafts included
    "supplier.register": 30,
    # Register once: each supplier holds four documents, and all but one have their scale
    # verified by the platform's administrator.
    "supplier_document.upload": 120,
    "supplier.scale_verify": 29,
    # Two micro firms form a consortium: the lead invites, the other accepts, and it is formed.
    "consortium.form": 1,
    "catalogue.publish": 5,
    "catalogue.update": 6,
    "catalogue_item.add": 12,
    # One sub-opportunity of a contract, answered, chosen, subcontracted and paid; one of an
    # open tender, still taking answers.
    "subopportunity.post": 2,
    "subanswer.submit": 1,
    "subopportunity.pick": 1,
    "subcontract.record": 1,
    "subcontract.pay": 1,
    "plan.create": 3,
    "plan.publish": 3,
    "plan_line.add": 11,
    "plan_line.withdraw": 1,
    "consortium.accept": 1,
    "consortium.complete": 1,
    "tender.create": 34,
    "document.add": 41,  # plus three documents added by amendments
    "tender.publish": 29,
    "question.ask": 41,
    "question.answer": 32,
    "tender.amend": 3,
    "tender.close": 13,  # twelve closed, and one closed then cancelled
    "tender.cancel": 5,
    "bid.submit": 31,  # sealed bids on fourteen tenders
    "bid.replace": 1,
    "bid.withdraw": 1,
    "opening.start": 10,  # nine tenders opened, one opening collecting shares
    "opening.hand_in": 19,
    "opening.open": 9,
    # Ten lots evaluated (one of them twice, after an upheld complaint), one still in progress.
    "evaluation.start": 10,
    "evaluation.assess": 22,  # every bid checked but one; one bid checked again
    "evaluation.score": 3,
    "evaluation.request_justification": 1,
    "evaluation.answer_justification": 1,
    "evaluation.decide_justification": 1,
    "evaluation.complete": 10,
    "evaluation.reopen": 1,
    "award.decide": 9,
    "award.unsuccessful": 1,
    "award.notice_read": 26,  # every bidder told of a decision reads the notice the next day
    "award.end_standstill": 7,
    "complaint.file": 2,
    "complaint.decide": 2,
    "contract.draft": 7,  # with the quick quote's purchase order
    "contract.document_add": 6,
    "contract.milestone_add": 19,
    "contract.sign": 7,
    "contract.confirm": 7,
    "contract.amend": 2,
    "contract.milestone_meet": 13,
    "contract.complete": 1,
    "invoice.submit": 13,
    "invoice.accept": 12,
    "invoice.reject": 1,
    "payment.record": 11,
    # Compra Ágil in Valparaíso: one delivered, one open with two quotes.
    "quick_quote.create": 2,
    "quick_quote.publish": 2,
    "quote.submit": 5,
    "quick_quote.close": 1,
    "quick_quote.pick": 1,
    "quick_quote.order": 1,
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
    # Thirty firms registered themselves; two of them formed a consortium, a supplier too.
    assert Organization.objects.filter(kind="supplier").count() == 31
    suppliers = Organization.objects.filter(kind="supplier").exclude(legal_form="consortium")
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
    # Register once: legal forms, scales computed where the country's pack counts, held
    # documents (one expiring soon) and scales verified.
    assert Counter(suppliers.values_list("legal_form", flat=True)) == {
        "company": 19,
        "cooperative": 6,
        "soleProprietor": 4,
        "communityEnterprise": 1,
    }
    assert suppliers.exclude(computed_scale="").count() == 10
    assert suppliers.filter(scale_status="verified").count() == 29
    assert suppliers.get(scale_status="pending").name == "Pehuén Tech"
    held = SupplierDocument.objects.filter(removed_at=None)
    assert held.count() == 120
    soon = clock.now().date() + dt.timedelta(days=30)
    assert [d.organization.name for d in held.filter(expires_on__lte=soon)] == [
        "Ferretería El Puerto"
    ]
    for supplier in suppliers:
        assert id_is_valid(supplier.identifier_scheme, supplier.identifier_id), supplier
        assert Membership.objects.filter(organization=supplier, role="supplier_user").count() == 1


def test_two_micro_firms_formed_a_consortium_that_bids_as_one_on_a_reserved_lot(
    world: str,
) -> None:
    (spec,) = CONSORTIA
    organization = Organization.objects.get(kind="supplier", legal_form="consortium")
    consortium = Consortium.objects.get(organization=organization)
    lead, other = _supplier("kanhgag"), _supplier("pinhao")
    assert (organization.legal_name, organization.identifier_scheme, organization.country) == (
        spec.name,
        "PREGON-CONSORTIUM",
        "BR",
    )
    # As large as its largest member: two micro firms make a micro consortium.
    assert (organization.scale, lead.scale, other.scale) == ("micro", "micro", "micro")
    assert consortium.status == "formed" and consortium.may_bid
    members = list(consortium.members.order_by("-is_lead"))
    assert [(m.member, m.share, m.is_lead, m.status) for m in members] == [
        (lead, Decimal(50), True, "accepted"),
        (other, Decimal(50), False, "accepted"),
    ]
    # Formed after both registered, accepted the next day, before the demo's first tender; the
    # invitation was e-mailed at once (so the task enqueued on commit sends nothing).
    assert max(lead.created_at, other.created_at) < consortium.created_at
    assert (consortium.formed_at - consortium.created_at).days == 0
    assert consortium.formed_at.date() > consortium.created_at.date()
    assert consortium.formed_at < Tender.objects.earliest("created_at").created_at
    assert members[1].emailed_at is not None
    assert members[1].answered_by == User.objects.get(email="contato@pinhao.demo.example")
    assert AuditEvent.objects.get(action="consortium.form").actor.email == (
        "contato@kanhgag.demo.example"
    )
    # The lead's person acts for it (and is listed again in the accounts table for it).
    assert list(
        Membership.objects.filter(organization=organization).values_list("user__email", "role")
    ) == [("contato@kanhgag.demo.example", "supplier_user")]
    # It bid, as one, on the lot of PMC-ICI-2026-004 reserved for ME/EPP: every member may.
    (bid,) = Bid.objects.filter(supplier=organization)
    assert (bid.tender.reference, bid.status) == ("PMC-ICI-2026-004", "submitted")
    reserved = bid.tender.lots.get(number=2)
    assert reserved.reserved and lot_open_to(reserved, organization) is None
    assert lot_open_to(reserved, _supplier("pampa")) is not None  # a large firm may not
    # Neither member bids on that tender alone (Lei 14.133/2021, art. 15).
    assert not Bid.objects.filter(tender=bid.tender, supplier__in=[lead, other]).exists()


def test_a_visitor_sees_the_consortium_as_its_lead_and_as_its_other_member(
    world: str, client: Any
) -> None:
    consortium = Organization.objects.get(legal_form="consortium")
    tender = Tender.objects.get(reference="PMC-ICI-2026-004")
    # The lead's person: the consortium and its members, then, acting for it, its sealed bid.
    client.force_login(User.objects.get(email="contato@kanhgag.demo.example"))
    page = client.get(reverse("supplier:consortia")).content.decode()
    assert consortium.legal_name in page and "Pinhão Tecnologia" in page
    client.post(reverse("supplier:switch"), {"organization": consortium.pk})
    assert tender.reference in client.get(reverse("supplier:bids")).content.decode()
    # The other member's person: the consortium it accepted to join.
    client.force_login(User.objects.get(email="contato@pinhao.demo.example"))
    page = client.get(reverse("supplier:consortia")).content.decode()
    assert consortium.legal_name in page and "Accepted" in page
    # A large firm is told that lot 2 is reserved for micro and small enterprises.
    client.force_login(User.objects.get(email="contato@pampa.demo.example"))
    page = client.get(reverse("supplier:bid", args=[tender.pk])).content.decode()
    assert "Lot 2 is reserved for micro and small enterprises" in page


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
        "closed": 12,
        "cancelled": 5,
        "draft": 5,
    }
    published = Tender.objects.exclude(status="draft")
    assert published.filter(published_at__isnull=False).count() == 29
    assert Counter(published.values_list("language", flat=True)) == {"es": 14, "pt": 10, "en": 5}
    assert Counter(published.values_list("currency", flat=True)) == {
        "CLP": 14,
        "BRL": 10,
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


def test_the_rule_packs_reserve_a_lot_and_ask_the_reason_for_single_lots(world: str) -> None:
    published = Tender.objects.exclude(published_at=None)
    assert set(published.values_list("rule_pack", flat=True)) == {
        "BR@2026.1",
        "CL@2026.1",
        "GENERIC@2026.1",
    }
    assert Tender.objects.filter(published_at=None).exclude(rule_pack="").count() == 0
    reserved = {
        (lot.tender.reference, lot.number): lot
        for lot in Lot.objects.filter(reserved=True).select_related("tender")
    }
    assert set(reserved) == {
        ("MIDH-CDB-2026-03", 2),
        ("PMC-ICI-2026-004", 2),
        ("HCPA-SUP-2026-131", 2),
    }
    # The quota of divisible goods: a quarter of the beds, for ME/EPP.
    quota = reserved["HCPA-SUP-2026-131", 2]
    assert quota.quota_of is not None and quota.quota_of.number == 1
    assert (quota.reserved_scales, quota.reservation_rule) == (
        ["micro", "small"],
        "BR@2026.1:quota",
    )
    belize = reserved["MIDH-CDB-2026-03", 2]
    assert belize.reserved_scales == ["micro", "small", "medium"]
    assert belize.reserved_cooperatives
    # Brazil: a lot up to R$80,000 is exclusive to ME/EPP (LC 123/2006, art. 48, I).
    brazil = reserved["PMC-ICI-2026-004", 2]
    assert brazil.estimated_value <= 80000
    assert (brazil.reserved_scales, brazil.reserved_cooperatives) == (["micro", "small"], False)
    assert (brazil.reservation_rule, brazil.reservation_obligation) == (
        "BR@2026.1:art48.exclusive",
        "must",
    )
    # Belize follows the GENERIC pack: every single-lot tender says why it is not divided.
    for tender in published.filter(rule_pack="GENERIC@2026.1").prefetch_related("lots"):
        assert (len(tender.lots.all()) == 1) == bool(tender.undivided_reason), tender.reference


def test_three_buyers_published_their_plans_for_next_year_and_one_line_was_withdrawn(
    world: str, client: Any
) -> None:
    lines = PlanLine.objects.select_related("plan__buyer").order_by("plan__buyer", "number")
    assert {line.plan.year for line in lines} == {clock.now().year + 1}
    assert {line.plan.buyer.country for line in lines} == {"CL", "BR", "BZ"}
    assert Counter(line.status for line in lines) == {"published": 10, "withdrawn": 1}
    withdrawn = lines.get(status="withdrawn")
    assert "JUNJI" in withdrawn.withdrawal_reason
    tags = {
        release.as_dict["tag"][0]
        for release in Release.objects.filter(ocid=withdrawn.ocid).order_by("pk")
    }
    assert tags == {"planning", "planningUpdate"}
    page = client.get(
        reverse("planning:coming_soon"), {"code": "30192000-1"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "Útiles escolares para las escuelas municipales" in page.content.decode()
    assert "Uniformes escolares" not in page.content.decode()


def test_questions_answered_and_unanswered_with_the_asker_recorded(world: str) -> None:
    questions = Question.objects.all()
    assert questions.count() == 41
    assert questions.filter(answered_at__isnull=True).count() == 9
    assert questions.filter(asked_for__kind="supplier").count() == 41
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
    assert documents.count() == 44
    for document in documents:
        content = (media / document.file.name).read_bytes()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert document.size == len(content)
        assert document.content_type == "application/pdf"


def test_every_service_action_left_its_audit_row(world: str) -> None:
    assert Counter(AuditEvent.objects.values_list("action", flat=True)) == EXPECTED_AUDIT
    assert AuditEvent.objects.filter(created_at__gt=clock.now()).count() == 0
    # Deadlines are closed and standstills ended by the platform itself, every other action by a
    # person.
    by_the_platform = ("tender.close", "award.end_standstill", "quick_quote.close")
    assert set(
        AuditEvent.objects.filter(action__in=by_the_platform).values_list("actor_label", flat=True)
    ) == {"system"}
    assert not AuditEvent.objects.exclude(action__in=by_the_platform).filter(actor=None).exists()


def test_the_output_lists_accounts_and_says_mfa_is_waived(world: str) -> None:
    assert "29 published tenders (12 open, 12 closed, 5 cancelled), 5 drafts" in world
    assert re.search(r"^    \w+ \d{4}: \d+ actions$", world, re.M)  # progress through time
    rows = [line for line in world.splitlines() if line.rstrip().endswith("pregon-demo")]
    assert len(rows) == 57  # 56 people, the consortium's lead member's person listed for it too
    assert re.search(
        r"^Supplier user\s+Consórcio Kanhgág-Pinhão Mobiliário Urbano\s+"
        r"contato@kanhgag\.demo\.example\s+pregon-demo$",
        world,
        re.M,
    )
    assert "Built 6 buyers in 3 countries, 30 suppliers, 56 people;" in world
    assert "Suppliers forming a consortium…" in world
    assert re.search(
        r"^Administrator\s+Pregón \(demo\)\s+admin@demo\.example\s+pregon-demo$", world, re.M
    )
    assert "Multi-factor sign-in is waived for these demo accounts" in world
    assert "Production refuses that waiver" in world
    assert (
        "Sealed bids: 32 submitted (1 of them replacements), 1 withdrawn. Public openings: 9 "
        "done, 1 waiting for more committee members." in world
    )
    assert (
        "Evaluations completed: 9, in progress: 1 (bids disqualified: 3, abnormally low prices "
        "justified: 1). Awards in standstill: 1, final: 7, unsuccessful: 1, cancelled after a "
        "complaint: 1. Complaints: 2 (upheld: 1, dismissed: 1)." in world
    )
    assert (
        "Contracts signed: 7 (in force: 6, completed: 1), amendments: 2, deliveries met: 13. "
        "Invoices submitted: 13 (rejected: 1, paid: 11, of them late: 6, awaiting payment: 1)."
        in world
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


@pytest.mark.parametrize(
    ("days", "problem"),
    [
        (3, "In MIDH-GOB-2026-11 a bidder complains 3 days after the award, after its standstill"),
        (12, "In MOP-DV-2026-031 the contract is drafted 11 days after the award, before its"),
    ],
)
def test_a_standstill_the_history_does_not_fit_is_refused_before_anything_is_erased(
    world: str, settings: Any, days: int, problem: str
) -> None:
    settings.PREGON_STANDSTILL_DAYS = days
    before = (Organization.objects.count(), AuditEvent.objects.count())
    with pytest.raises(
        CommandError, match="cannot be built with this platform's settings"
    ) as error:
        call_command("demo", "--reset", stdout=io.StringIO())
    assert problem in str(error.value)
    assert (Organization.objects.count(), AuditEvent.objects.count()) == before


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
    assert Organization.objects.count() == 39
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
    assert len(opened) == 9
    assert len({spec.buyer for spec in opened}) == 6
    assert sum(len(_standing(spec)) for spec in opened) == 21
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
    assert Leaf.objects.filter(kind="opening").count() == 9


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
    releases = list(Release.objects.order_by("pk"))
    # 82 of the tenders' own, one per opening, and 69 from the evaluations to the payments; 11
    # plan lines published and one withdrawn.
    # And 7 of the quick quotes (6 of the delivered one, 1 of the open one), and 2 of a
    # contract's subcontract and its payment.
    assert len(releases) == 172 + 7 + 2
    first_with_bids = {}
    for release in releases:
        if "bids" in release.as_dict:
            first_with_bids.setdefault(release.ocid, release)
    assert len(first_with_bids) == 9  # each opening published the bids, then every release did
    for release in releases:
        assert validator.validate_release(release.as_dict) == [], release.release_id


def test_a_visitor_finds_an_open_sub_opportunity(world: str, client: Any) -> None:
    open_ones = SubOpportunity.objects.filter(status="open", tender__status="active")
    assert open_ones.count() == 1
    opportunity = open_ones.get()
    assert opportunity.reserved == "msme"
    assert opportunity.organization.scale in {"medium", "large"}
    page = client.get(reverse("subcontracting:list")).content.decode()
    assert opportunity.title in page


def test_replaced_withdrawn_and_unopened_bids_stay_sealed(world: str) -> None:
    statuses = Counter(Bid.objects.values_list("status", flat=True))
    assert statuses == {"opened": 21, "submitted": 9, "replaced": 1, "withdrawn": 1}
    assert OpenedBid.objects.count() == 21
    assert not OpenedBid.objects.exclude(bid__status="opened").exists()
    assert Bid.objects.filter(tender__status="active").count() == 5


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
    assert len(sealed) == 11
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
        declaration=DECLARATION_VERSION,
    )

    assert outcome.created and outcome.bid.status == "submitted"


# ---------------------------------------------------------------------------------------------
# after the openings: evaluations, awards, complaints, contracts, invoices and payments


def _spec(reference: str) -> TenderSpec:
    return next(spec for spec in TENDERS if spec.reference == reference)


def _supplier(key: str) -> Organization:
    return Organization.objects.get(
        legal_name=next(s.legal_name for s in SUPPLIERS if s.key == key)
    )


def _compiled(reference: str) -> dict[str, Any]:
    return Record.objects.get(ocid=Tender.objects.get(reference=reference).ocid).compiled


def _assessment(reference: str, key: str, lot: int = 1) -> BidAssessment:
    return BidAssessment.objects.get(
        evaluation__tender__reference=reference,
        evaluation__lot__number=lot,
        supplier=_supplier(key),
    )


def _detail(reference: str, key: str) -> dict[str, Any]:
    """The published bid of supplier `key` in the tender's compiled record."""
    party = _supplier(key).party_id
    (detail,) = [
        detail
        for detail in _compiled(reference)["bids"]["details"]
        if detail["tenderers"][0]["id"] == party
    ]
    return detail


def test_every_opened_tender_is_evaluated_by_the_members_who_opened_it(world: str) -> None:
    evaluations = Evaluation.objects.select_related("tender", "lot")
    assert Counter(evaluations.values_list("status", flat=True)) == {
        "completed": 9,
        "in_progress": 1,
    }
    assert {(e.tender.reference, e.lot.number) for e in evaluations} == {
        (spec.reference, evaluation.lot)
        for spec in _specs(opened=True)
        for evaluation in spec.evaluations
    }
    for evaluation in evaluations:
        spec = _spec(evaluation.tender.reference)
        openers = evaluation.tender.committee.filter(position__in=spec.opening_by)
        assert evaluation.started_by_id in set(openers.values_list("user_id", flat=True))
        assert Opening.objects.get(tender=evaluation.tender).opened_at < evaluation.started_at
        if evaluation.completed_at is not None:
            assert evaluation.started_at < evaluation.completed_at < clock.now()
            # Each completed lot publishes its report.
            documents = _compiled(spec.reference)["tender"]["documents"]
            assert f"evaluation-report-{evaluation.lot.number}" in {d["id"] for d in documents}


def test_weighted_criteria_are_scored_by_the_committee_and_rank_by_points(world: str) -> None:
    # Proportional price points (30 x lowest / price) plus the committee's quality points.
    biobio = _assessment("MOP-DV-2026-031", "biobio")
    cordillera = _assessment("MOP-DV-2026-031", "cordillera")
    assert (biobio.price_points, biobio.total_points, biobio.rank) == (
        Decimal("30.00"),
        Decimal("93.50"),
        1,
    )
    assert (cordillera.price_points, cordillera.total_points, cordillera.rank) == (
        Decimal("27.39"),  # 30 x 598730000 / 655900000 = 27.385...
        Decimal("84.39"),
        2,
    )
    catering = _assessment("HHHA-ALIM-2026-007", "losaromos")
    assert sorted(catering.scores.values_list("points", flat=True)) == [
        Decimal("8.00"),
        Decimal("15.50"),
        Decimal("24.00"),
    ]
    assert catering.total_points == Decimal("87.50")
    scores = _detail("MOP-DV-2026-031", "cordillera")["evaluationScores"]
    assert scores["quality"][0]["points"] == 57
    assert scores["total"] == 84.39


def test_an_abnormally_low_price_is_justified_and_the_justification_accepted(world: str) -> None:
    spec = _spec("MIDH-GOB-2026-11").evaluations[0].assessments[2].justification
    assert spec is not None
    aggregates = _assessment("MIDH-GOB-2026-11", "aggregates")
    assert aggregates.abnormally_low
    assert (aggregates.compliance, aggregates.justification, aggregates.rank) == (
        "qualified",
        "accepted",
        1,
    )
    assert aggregates.justification_answer == spec.answer
    assert aggregates.requested_at < aggregates.answered_at < aggregates.decided_at
    published = _detail("MIDH-GOB-2026-11", "aggregates")
    assert published["abnormallyLow"] == {
        "flagged": True,
        "justification": "accepted",
        "decision": spec.decision,
    }
    assert AuditEvent.objects.get(action="evaluation.answer_justification").actor.email == (
        "info@aggregates.demo.example"
    )


def test_bids_disqualified_with_the_reason_and_a_lot_without_a_valid_bid(world: str) -> None:
    disqualified = BidAssessment.objects.filter(compliance="disqualified")
    assert disqualified.count() == 3
    for reference, lot, key in (
        ("HHHA-ALIM-2026-007", 2, "kumemongen"),
        ("HHHA-ALIM-2026-007", 2, "losaromos"),
        ("IMV-OBRAS-2026-008", 1, "biobio"),
    ):
        expected = next(
            assessment.disqualified
            for evaluation in _spec(reference).evaluations
            if evaluation.lot == lot
            for assessment in evaluation.assessments
            if assessment.supplier == key and assessment.disqualified
        )
        assert _assessment(reference, key, lot).reason == expected
        assert any(
            detail["status"] == "disqualified" and detail["description"] == expected
            for detail in _compiled(reference)["bids"]["details"]
        )
    unsuccessful = Award.objects.get(status="unsuccessful")
    assert (unsuccessful.tender.reference, unsuccessful.lot.number) == ("HHHA-ALIM-2026-007", 2)
    assert unsuccessful.reason == _spec("HHHA-ALIM-2026-007").evaluations[1].reason
    assert unsuccessful.supplier is None and unsuccessful.value_amount is None
    published = {a["relatedLots"][0]: a for a in _compiled("HHHA-ALIM-2026-007")["awards"]}
    assert published["2"]["status"] == "unsuccessful" and "suppliers" not in published["2"]
    assert published["1"]["status"] == "active"


def test_awards_in_standstill_final_and_unsuccessful_each_bidder_told(world: str) -> None:
    assert Counter(Award.objects.values_list("status", flat=True)) == {
        "active": 7,
        "standstill": 1,
        "unsuccessful": 1,
        "cancelled": 1,
    }
    now = clock.now()
    standstill = Award.objects.get(status="standstill")
    assert standstill.tender.reference == "PMC-SMOP-2026-027"
    assert standstill.decided_at < now < standstill.standstill_ends_at
    assert standstill.supplier == _supplier("araucaria")
    for award in Award.objects.filter(status="active"):
        assert award.standstill_ends_at < award.activated_at < now
    # The final award whose contract waits for the buyer's official.
    ready = Award.objects.get(tender__reference="IMV-ALUM-2026-014")
    assert ready.status == "active" and not Contract.objects.filter(award=ready).exists()
    # Every bidder of a decided lot got its notice, e-mailed at once (nothing was mailed: the
    # demo's past), and read it the next morning.
    for award in Award.objects.all():
        bidders = set(
            BidAssessment.objects.filter(evaluation__lot=award.lot).values_list(
                "supplier_id", flat=True
            )
        )
        notices = AwardNotice.objects.filter(award=award)
        kinds = {"cancelled"} if award.status == "cancelled" else set()
        assert {n.organization_id for n in notices.exclude(kind__in=kinds)} == bidders
        for notice in notices:
            assert notice.created_at < notice.emailed_at < notice.read_at < now


def test_a_complaint_dismissed_and_one_upheld_that_sent_the_lot_back(world: str) -> None:
    # Belize: a losing bidder complained about the abnormally low price; dismissed.
    belize = Tender.objects.get(reference="MIDH-GOB-2026-11")
    spec = _spec("MIDH-GOB-2026-11").evaluations[0].complaint
    assert spec is not None
    dismissed = Complaint.objects.get(award__tender=belize)
    assert (dismissed.status, dismissed.complainant) == ("dismissed", _supplier("maya"))
    assert (dismissed.grounds, dismissed.resolution) == (spec.grounds, spec.resolution)
    assert dismissed.documents.get().content_type == "application/pdf"
    assert dismissed.award.status == "active"
    assert dismissed.submitted_at < dismissed.decided_at < dismissed.award.standstill_ends_at
    assert complaint_figures_of_buyer(buyer=belize.buyer) == ComplaintFigures(filed=1, upheld=0)
    # Valparaíso: a complaint upheld; the committee looked again; the lot went to the next bid.
    stairs = Tender.objects.get(reference="IMV-OBRAS-2026-008")
    upheld = Complaint.objects.get(award__tender=stairs)
    assert (upheld.status, upheld.complainant) == ("upheld", _supplier("elpuerto"))
    assert upheld.award.status == "cancelled" and upheld.award.supplier == _supplier("biobio")
    again = Award.objects.get(tender=stairs, status="active")
    assert again.supplier == _supplier("elpuerto") and again.decided_at > upheld.decided_at
    assert AuditEvent.objects.filter(action="evaluation.reopen").count() == 1
    assert _assessment("IMV-OBRAS-2026-008", "biobio").compliance == "disqualified"
    assert complaint_figures_of_buyer(buyer=stairs.buyer) == ComplaintFigures(filed=1, upheld=1)
    published = _compiled("IMV-OBRAS-2026-008")["awards"]
    assert [(a["status"], a["complaints"][0]["status"] if a.get("complaints") else None)
            for a in published] == [("cancelled", "upheld"), ("active", None)]  # fmt: skip
    # Nobody else complained.
    assert Complaint.objects.count() == 2


def test_the_buyers_pages_show_their_complaints_and_how_they_pay(world: str, client: Any) -> None:
    belize = Organization.objects.get(
        legal_name="Ministry of Infrastructure Development and Housing"
    )
    page = client.get(f"/en/organizations/{belize.pk}/").content.decode()
    assert "<dt>Complaints filed</dt><dd>1</dd>" in page
    assert "<dt>Complaints upheld</dt><dd>0</dd>" in page
    assert "<dt>Average days to pay</dt><dd>27.0 days</dd>" in page
    assert "<dt>Paid late</dt><dd>1 of 2 " in page
    # Every buyer has paid invoices, some on time and some late.
    figures = {
        buyer.name: buyer_payment_figures(buyer=buyer)
        for buyer in Organization.objects.filter(kind="buyer")
    }
    assert {name: (f.paid, f.average_days, f.late) for name, f in figures.items()} == {
        "Ministerio de Obras Públicas (MOP)": (2, Decimal("29.0"), 1),
        "Municipalidad de Valparaíso": (2, Decimal("32.0"), 1),
        "Hospital Regional de Temuco": (2, Decimal("30.0"), 1),
        "Prefeitura Municipal de Curitiba": (2, Decimal("33.5"), 1),
        "Hospital de Clínicas de Porto Alegre (HCPA)": (1, Decimal("46.0"), 1),
        "Ministry of Infrastructure Development and Housing (Belize)": (2, Decimal("27.0"), 1),
    }
    assert figures["Hospital de Clínicas de Porto Alegre (HCPA)"].overdue == 1


def test_contracts_signed_confirmed_amended_delivered_invoiced_paid_and_completed(
    world: str,
) -> None:
    # A tender's contracts (the quick quote's purchase order has no award: tests/quotes).
    contracts = Contract.objects.select_related("award", "tender").filter(tender__isnull=False)
    assert Counter(contracts.values_list("status", flat=True)) == {"active": 5, "completed": 1}
    for contract in contracts:
        assert contract.award.status == "active" and contract.supplier == contract.award.supplier
        assert contract.award.activated_at < contract.buyer_signed_at < contract.supplier_signed_at
        assert contract.documents.filter(document_type="contractSigned").count() == 1
        amended = contract.amendments.exclude(new_value=None).first()
        assert contract.value == (amended.new_value if amended else contract.award.value_amount)
    value, period = (
        ContractAmendment.objects.exclude(new_value=None).get(),
        ContractAmendment.objects.exclude(new_period_end=None).get(),
    )
    assert (value.contract.tender.reference, value.previous_value, value.new_value) == (
        "MOP-DV-2026-031",
        Decimal("598730000.00"),
        Decimal("641640000.00"),
    )
    assert period.contract.tender.reference == "MIDH-GOB-2026-11"
    assert (period.new_period_end - period.previous_period_end).days == 60
    assert value.reason and period.reason and value.contract.documents.filter(amendment=value)
    completed = Contract.objects.get(status="completed")
    assert completed.tender.reference == "IMV-OBRAS-2026-008"
    assert not completed.milestones.filter(status="scheduled").exists()
    assert completed.milestones.count() == 2 and completed.ended_at < clock.now()

    invoices = Invoice.objects.all()
    assert Counter(invoices.values_list("status", flat=True)) == {
        "paid": 11,
        "accepted": 1,
        "rejected": 1,
    }
    rejected = invoices.get(status="rejected")
    assert rejected.reference == "FAC-3391" and rejected.rejection_reason.startswith(
        "La factura cobra 21.450 raciones"
    )
    paid = invoices.filter(status="paid")
    late = [invoice for invoice in paid if invoice.paid_on > invoice.due_on]
    assert len(late) == 6
    assert sorted(invoice.days_to_pay for invoice in paid) == [
        16, 17, 18, 26, 26, 37, 38, 41, 42, 42, 46,
    ]  # fmt: skip
    for invoice in paid:
        assert invoice.milestone.status == "met" and invoice.milestone.date_met <= invoice.issued_on
        assert invoice.payments.get().paid_on == invoice.paid_on
        assert invoice.file.name and invoice.content_type == "application/pdf"


def test_releases_are_published_in_date_order(world: str) -> None:
    dates = [release.as_dict["date"] for release in Release.objects.order_by("pk")]
    assert dates == sorted(dates)
    assert dates[-1] < clock.now().isoformat()


def test_the_published_data_is_referentially_sound(world: str, tmp_path: Path) -> None:
    manifest = publication.bulk_files_generate(directory=tmp_path)
    with gzip.open(tmp_path / manifest.generation / "records.jsonl.gz", "rb") as handle:
        compiled = [orjson.loads(line)["compiledRelease"] for line in handle]
    with gzip.open(tmp_path / manifest.generation / "releases.jsonl.gz", "rb") as handle:
        releases = [orjson.loads(line) for line in handle]
    # Each release is a full snapshot: each must hold together on its own, as each record does.
    for release in [*compiled, *releases]:
        parties = {party["id"]: party for party in release.get("parties", [])}
        awards = {award["id"] for award in release.get("awards", [])}
        for award in release.get("awards", []):
            for supplier in award.get("suppliers", []):
                assert "supplier" in parties[supplier["id"]]["roles"], release["id"]
                assert parties[supplier["id"]]["details"]["scale"], release["id"]
        for contract in release.get("contracts", []):
            assert contract["awardID"] in awards, release["id"]
            for payment in contract.get("implementation", {}).get("transactions", []):
                assert "payee" in parties[payment["payee"]["id"]]["roles"], release["id"]
                assert "payer" in parties[payment["payer"]["id"]]["roles"], release["id"]
    contracts = [contract for record in compiled for contract in record.get("contracts", [])]
    assert len(contracts) == 7  # six of tenders, one quick quote's purchase order
    assert sum(len(record.get("awards", [])) for record in compiled) == 11
    assert sum(len(c.get("implementation", {}).get("transactions", [])) for c in contracts) == 11


#: The roles of the parties whose size the published data must carry (issue 12: every bidder and
#: supplier, and each member of a consortium).
SIZED_ROLES = {"tenderer", "supplier", "consortiumMember"}


def _releases(directory: Path) -> list[dict[str, Any]]:
    """Every release of the bulk files, and every record's compiled release."""
    manifest = publication.bulk_files_generate(directory=directory)
    with gzip.open(directory / manifest.generation / "records.jsonl.gz", "rb") as handle:
        compiled = [orjson.loads(line)["compiledRelease"] for line in handle]
    with gzip.open(directory / manifest.generation / "releases.jsonl.gz", "rb") as handle:
        return [*compiled, *(orjson.loads(line) for line in handle)]


def _assert_msme_data(release: dict[str, Any], reserved: set[tuple[str, str]]) -> Counter[str]:
    """Every bidder, supplier and consortium member of `release` carries its scale, a
    consortium its members, and each lot of `reserved` (ocid, lot id) its reservation (and no
    other lot one); returns how many parties of each role it checked."""
    checked: Counter[str] = Counter()
    parties = {party["id"]: party for party in release.get("parties", [])}
    for party in parties.values():
        roles = SIZED_ROLES.intersection(party["roles"])
        if not roles:
            continue
        checked.update(roles)
        details = party.get("details", {})
        assert details.get("scale"), (release["id"], party["id"])
        if details.get("legalForm") == "consortium":
            members = details["consortiumMembers"]
            assert len(members) >= 2 and sum(m["share"] for m in members) == 100
            for member in members:
                assert "consortiumMember" in parties[member["id"]]["roles"], release["id"]
    for lot in release.get("tender", {}).get("lots", []):
        marked = (release["ocid"], lot["id"]) in reserved
        assert ("reservation" in lot) == marked, (release["id"], lot["id"])
        if marked:
            assert lot["reservation"]["scales"] and lot["reservation"]["description"]
            # A plan line states the buyer's intention; the rule comes with its tender's pack.
            if "-plan-" not in release["ocid"]:
                assert lot["reservation"]["rule"]["legalBasis"], release["id"]
    return checked


def _reserved_lots() -> set[tuple[str, str]]:
    """The reserved lots, and the plan lines to be reserved (published as their process's one
    lot)."""
    lots = Lot.objects.filter(reserved=True).values_list("tender__ocid", "number")
    lines = PlanLine.objects.filter(reserved=True).values_list("ocid", flat=True)
    return {(str(ocid), str(number)) for ocid, number in lots} | {(ocid, "1") for ocid in lines}


def test_every_bidder_and_supplier_published_carries_its_scale_and_reserved_lots_are_marked(
    world: str, tmp_path: Path
) -> None:
    reserved = _reserved_lots()
    # Belize's lot for MSMEs and cooperatives; Brazil's lot for ME/EPP, and its quota of beds;
    # five plan lines to be reserved.
    assert len(reserved) == 3 + 5
    releases = _releases(tmp_path)
    checked: Counter[str] = Counter()
    for release in releases:
        checked += _assert_msme_data(release, reserved)
    assert checked["tenderer"] and checked["supplier"], checked
    # The reserved lots are marked from their tenders' first release on.
    marked = {
        (release["ocid"], lot["id"])
        for release in releases
        for lot in release.get("tender", {}).get("lots", [])
        if "reservation" in lot
    }
    assert marked == reserved


def test_at_its_opening_the_consortium_is_published_with_its_members_and_their_scales(
    world: str, tmp_path: Path
) -> None:
    """The consortium's bid waits for the deadline of PMC-ICI-2026-004; a visitor who moves the
    clock past it sees two committee members open it, and the consortium published as one
    bidder with its members, each with its scale and share."""
    tender = Tender.objects.get(reference="PMC-ICI-2026-004")
    with clock.at(tender.submission_deadline + dt.timedelta(minutes=1)):
        assert tender_services.tender_close_if_due(tender_id=tender.pk)
    seats = list(tender.committee.select_related("user").order_by("position")[:2])
    for minutes, seat in enumerate(seats, start=5):
        member = Actor(user=seat.user, organization=tender.buyer)
        private, _public = keyfile_read(key_file_path(seat.user.email).read_bytes(), DEMO_PASSWORD)
        with clock.at(tender.opening_at + dt.timedelta(minutes=minutes)):
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
            result = bid_services.opening_shares_hand_in(actor=member, tender=tender, shares=shares)
    assert result.opened
    consortium = Organization.objects.get(legal_form="consortium")
    record = Opening.objects.get(tender=tender).record
    assert record is not None
    statistics = record["statistics"]
    assert {key: statistics[key] for key in ("bids", "smeBids", "microBids")} == {
        "bids": 1,
        "smeBids": 1,
        "microBids": 1,
    }
    compiled = Record.objects.get(ocid=tender.ocid).compiled
    assert _assert_msme_data(compiled, _reserved_lots()) == {"tenderer": 1, "consortiumMember": 2}
    parties = {party["id"]: party for party in compiled["parties"]}
    published = parties[consortium.party_id]
    assert published["roles"] == ["tenderer"]
    assert published["details"]["scale"] == "micro"
    members = published["details"]["consortiumMembers"]
    assert [(m["id"], m["share"], m["lead"]) for m in members] == [
        (_supplier("kanhgag").party_id, 50, True),
        (_supplier("pinhao").party_id, 50, False),
    ]
    assert [detail["relatedLots"] for detail in compiled["bids"]["details"]] == [["2"]]
    latest = Release.objects.filter(ocid=tender.ocid).latest("pk")
    assert publication.validator().validate_release(latest.as_dict) == []
    # The bulk files carry the same.
    for release in _releases(tmp_path):
        _assert_msme_data(release, _reserved_lots())


def test_a_visitor_finishes_the_evaluation_in_progress_and_the_buyer_decides(world: str) -> None:
    tender = Tender.objects.get(reference="HCPA-SUP-2026-097")
    evaluation = Evaluation.objects.get(tender=tender)
    assert Counter(evaluation.assessments.values_list("compliance", flat=True)) == {
        "qualified": 1,
        "pending": 1,
    }
    # Nothing of an evaluation in progress is public.
    assert {detail["status"] for detail in _compiled(tender.reference)["bids"]["details"]} == {
        "pending"
    }
    member = User.objects.get(email="comissao@hcpa.demo.example")
    committee = Actor(user=member, organization=tender.buyer)
    evaluation_services.assessment_qualify(
        actor=committee, assessment=evaluation.assessments.get(compliance="pending")
    )
    evaluation_services.evaluation_complete(actor=committee, evaluation=evaluation)
    official = Actor(
        user=User.objects.get(email="suprimentos@hcpa.demo.example"), organization=tender.buyer
    )
    award = evaluation_services.award_decide(
        actor=official, evaluation=evaluation, reason="Menor preço entre as propostas habilitadas."
    )
    assert award.status == "standstill" and award.supplier == _supplier("costureiras")


def test_a_visitor_drafts_the_contract_of_the_final_award_and_a_bidder_may_complain(
    world: str,
) -> None:
    award = Award.objects.get(tender__reference="IMV-ALUM-2026-014")
    official = Actor(
        user=User.objects.get(email="adquisiciones@valparaiso.demo.example"),
        organization=award.tender.buyer,
    )
    today = clock.now().date()
    contract = contract_services.contract_draft(
        actor=official,
        award=award,
        data=contract_services.ContractData(
            title="Mantención de luminarias peatonales",
            period_start=today,
            period_end=today.replace(year=today.year + 1),
        ),
    )
    assert contract.status == "pending" and contract.value == Decimal("41870000.00")
    # The award in its standstill takes complaints from the losing bidder.
    standstill = Award.objects.get(status="standstill")
    pampa = _supplier("pampa")
    complaint = evaluation_services.complaint_file(
        actor=Actor(user=User.objects.get(email="contato@pampa.demo.example"), organization=pampa),
        award=standstill,
        complainant=pampa,
        grounds="A proposta vencedora não comprova a experiência em área tombada exigida.",
    )
    assert complaint.status == "pending"
    standstill.refresh_from_db()
    assert standstill.status == "suspended"
