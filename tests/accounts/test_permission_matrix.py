"""Who may do what: every role against every action, including another organization's objects.

The table below is the specification. `ok` means the service carries the action out (and
writes its audit row, in the actor's name); `PD` means it refuses with PermissionDenied and
nothing changes. Services check whose organization an API key acts for, never its scopes:
scopes are the API layer's, so a buyer's read-only key and its read-write key get the same
answers here. Platform administrators administer the platform (organizations and memberships);
they do not act for a buyer or a supplier, and API keys never manage keys or people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.accounts import services as accounts
from pregon.accounts.models import Membership, User
from pregon.core.actor import Actor
from pregon.core.errors import PermissionDenied
from pregon.core.models import AuditEvent
from pregon.organizations import services as organizations
from pregon.organizations.models import ApiKey, Organization
from pregon.organizations.services import OrganizationData
from pregon.tenders import services as tenders
from pregon.tenders.models import CommitteeKey, Question, Tender, TenderDocument
from pregon.tenders.services import AmendmentData, DocumentData, ItemData, LotData, TenderData
from tests import factories

pytestmark = pytest.mark.django_db

# Roles (columns):
#   anon  anonymous visitor                 sup   supplier user
#   off   buyer official of the buyer       oth   buyer official of ANOTHER buyer
#   com   committee member of the buyer     aud   auditor of the buyer
#   ovs   auditor of an oversight body      su    superuser
#   opa   administrator of the operator     key   the buyer's API key (every scope)
#   keyr  the buyer's read-only API key     okey  another buyer's API key
#   skey  the supplier's API key
#   two   a buyer official of the buyer AND of another buyer, acting for the other one
#   keyx  the buyer's API key (every scope), revoked
TABLE = """
action               anon sup  off  oth  com  aud  ovs  su   opa  key  keyr okey skey two  keyx
tender_create        PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
tender_update        PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
lot_save             PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
lot_delete           PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
item_add             PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
item_delete          PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
document_add         PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
document_delete      PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
tender_publish       PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
tender_amend         PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
tender_cancel        PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
question_ask         PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   ok   PD   PD
question_answer      PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
tender_committee_set PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
committee_key_register PD   PD   PD   PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD
committee_key_revoke PD   PD   PD   PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD
organization_update  PD   PD   ok   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD
api_key_issue        PD   PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD
api_key_revoke       PD   PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD
membership_grant     PD   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD   PD   PD
membership_revoke    PD   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD   PD   PD
organization_create  PD   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD   PD   PD
user_update_flags    PD   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD   PD   PD
user_deactivate      PD   PD   PD   PD   PD   PD   PD   ok   ok   PD   PD   PD   PD   PD   PD
"""
OUTCOMES: dict[str, type[Exception] | None] = {"ok": None, "PD": PermissionDenied}

_header, *_rows = (line.split() for line in TABLE.strip().splitlines())
ROLES = _header[1:]
EXPECTED = {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in _rows}
PDF = b"%PDF-1.7\n%%EOF\n"


class World:
    """A buyer with a draft and an open tender (with a question), and people in every role."""

    def __init__(self) -> None:
        self.buyer = factories.BuyerFactory()
        self.other_buyer = factories.BuyerFactory()
        self.supplier = factories.SupplierFactory()
        self.oversight = factories.OversightFactory()
        self.operator = factories.OperatorFactory()
        self.official = factories.member(self.buyer, "buyer_official")
        self.committee_member = factories.member(self.buyer, "committee_member")

    def actor(self, role: str) -> Actor:
        """The actor of one column of the table, as a page or the API would build it."""
        people: dict[str, Callable[[], tuple[User | None, Organization | None]]] = {
            "anon": lambda: (None, None),
            "sup": lambda: (factories.member(self.supplier, "supplier_user"), self.supplier),
            "off": lambda: (self.official, self.buyer),
            "oth": lambda: (factories.member(self.other_buyer, "buyer_official"), self.other_buyer),
            "com": lambda: (self.committee_member, self.buyer),
            "aud": lambda: (factories.member(self.buyer, "auditor"), self.buyer),
            "ovs": lambda: (factories.member(self.oversight, "auditor"), self.oversight),
            "su": lambda: (factories.UserFactory(is_superuser=True, is_staff=True), None),
            "opa": lambda: (factories.member(self.operator, "administrator"), self.operator),
            "two": lambda: (self.official_of_both, self.other_buyer),
        }
        keys = {
            "key": (self.buyer, ["questions:answer", "tenders:read", "tenders:write"]),
            "keyr": (self.buyer, ["tenders:read"]),
            "okey": (self.other_buyer, ["questions:answer", "tenders:read", "tenders:write"]),
            "skey": (self.supplier, ["questions:ask"]),
            "keyx": (self.buyer, ["questions:answer", "tenders:read", "tenders:write"]),
        }
        if role in keys:
            organization, scopes = keys[role]
            key = ApiKey.objects.create(
                organization=organization,
                name=f"Integrador {role}",
                prefix=f"{role:0<12}",
                secret_hash="0" * 64,
                scopes=scopes,
                revoked_at=timezone.now() - dt.timedelta(minutes=1) if role == "keyx" else None,
            )
            return Actor(user=None, organization=organization, api_key=key, channel="api")
        user, organization = people[role]()
        return Actor(user=user, organization=organization, ip_address="192.0.2.77")

    @cached_property
    def official_of_both(self) -> User:
        """A buyer official of the buyer who is one of the other buyer's officials too."""
        person = factories.member(self.buyer, "buyer_official")
        Membership.objects.create(user=person, organization=self.other_buyer, role="buyer_official")
        return person

    @property
    def official_actor(self) -> Actor:
        return Actor(user=self.official, organization=self.buyer)

    @cached_property
    def draft(self) -> Tender:
        return factories.TenderDraftFactory(buyer=self.buyer)

    @cached_property
    def document(self) -> TenderDocument:
        return tenders.document_add(
            actor=self.official_actor,
            tender=self.draft,
            data=DocumentData(upload=SimpleUploadedFile("bases.pdf", PDF), title="Bases"),
        )

    @cached_property
    def open_tender(self) -> Tender:
        return factories.TenderOpenFactory(buyer=self.buyer)

    @cached_property
    def question(self) -> Question:
        asker = factories.member(self.supplier, "supplier_user")
        return tenders.question_ask(
            actor=Actor(user=asker, organization=self.supplier),
            tender=self.open_tender,
            text="¿Plazo de entrega?",
        )

    @cached_property
    def opening_key(self) -> CommitteeKey:
        """The committee member's own opening key."""
        return factories.committee_key(self.buyer, self.committee_member)[0]

    @cached_property
    def spare_key(self) -> ApiKey:
        key, _token = organizations.api_key_issue(
            actor=self.official_actor,
            organization=self.buyer,
            name="Antigua",
            scopes=["tenders:read"],
        )
        return key


def _tender_data() -> TenderData:
    now = timezone.now()
    return TenderData(
        reference="LIC-MATRIZ-1",
        title="Servicio de aseo",
        description="Aseo de dependencias municipales.",
        method="open",
        category="services",
        estimated_value=Decimal("900000"),
        currency="CLP",
        enquiry_end=now + dt.timedelta(days=10),
        submission_deadline=now + dt.timedelta(days=20),
        opening_at=now + dt.timedelta(days=21),
    )


def _item() -> ItemData:
    return ItemData(
        description="Servicio mensual",
        classification_scheme="UNSPSC",
        classification_code="76111500",
        quantity=Decimal(12),
        unit="mes",
    )


def _profile(organization: Organization) -> OrganizationData:
    return OrganizationData(
        identifier_scheme=organization.identifier_scheme,
        identifier_id=organization.identifier_id,
        legal_name=organization.legal_name,
        country=str(organization.country),
        name="Nombre nuevo",
        buyer_type=organization.buyer_type,
    )


# Each action on the buyer's objects. The objects exist before the actor is built, so a refusal
# is checked against a database that already holds them.
PREPARE: dict[str, Callable[[World], Any]] = {
    "tender_update": lambda w: w.draft,
    "lot_save": lambda w: w.draft,
    "lot_delete": lambda w: w.draft,
    "item_add": lambda w: w.draft,
    "item_delete": lambda w: w.draft,
    "document_delete": lambda w: w.document,
    "document_add": lambda w: w.draft,
    "tender_publish": lambda w: w.draft,
    "tender_amend": lambda w: w.open_tender,
    "tender_cancel": lambda w: w.open_tender,
    "question_ask": lambda w: w.open_tender,
    "question_answer": lambda w: w.question,
    "api_key_revoke": lambda w: w.spare_key,
    "tender_committee_set": lambda w: w.draft,
    "committee_key_revoke": lambda w: w.opening_key,
    "membership_revoke": lambda w: w.committee_member,
    "user_update_flags": lambda w: w.committee_member,
    "user_deactivate": lambda w: w.committee_member,
}

ACTIONS: dict[str, Callable[[World, Actor], Any]] = {
    "tender_create": lambda w, a: tenders.tender_create(
        actor=a, buyer=w.buyer, data=_tender_data()
    ),
    "tender_update": lambda w, a: tenders.tender_update(
        actor=a,
        tender=w.draft,
        data=TenderData(
            **{name: getattr(w.draft, name) for name in tenders._TENDER_FIELDS if name != "title"},
            title="Título corregido",
        ),
    ),
    "lot_save": lambda w, a: tenders.lot_save(
        actor=a, tender=w.draft, data=LotData(title="Lote nuevo", items=[_item()])
    ),
    "lot_delete": lambda w, a: tenders.lot_delete(actor=a, lot=w.draft.lots.get()),
    "item_add": lambda w, a: tenders.item_add(actor=a, lot=w.draft.lots.get(), data=_item()),
    "item_delete": lambda w, a: tenders.item_delete(actor=a, item=w.draft.lots.get().items.first()),
    "document_add": lambda w, a: tenders.document_add(
        actor=a,
        tender=w.draft,
        data=DocumentData(upload=SimpleUploadedFile("anexo.pdf", PDF), title="Anexo"),
    ),
    "document_delete": lambda w, a: tenders.document_delete(actor=a, document=w.document),
    "tender_publish": lambda w, a: tenders.tender_publish(actor=a, tender=w.draft),
    "tender_amend": lambda w, a: tenders.tender_amend(
        actor=a, tender=w.open_tender, data=AmendmentData(reason="Errata", title="Título nuevo")
    ),
    "tender_cancel": lambda w, a: tenders.tender_cancel(
        actor=a, tender=w.open_tender, reason="Necesidad cubierta"
    ),
    "question_ask": lambda w, a: tenders.question_ask(
        actor=a, tender=w.open_tender, text="¿Se aceptan ofertas parciales?"
    ),
    "question_answer": lambda w, a: tenders.question_answer(
        actor=a, question=w.question, answer="Sí."
    ),
    "tender_committee_set": lambda w, a: tenders.tender_committee_set(
        actor=a,
        tender=w.draft,
        members=list(w.draft.committee.values_list("user_id", flat=True)),
        threshold=1,
    ),
    "committee_key_register": lambda w, a: tenders.committee_key_register(
        actor=a, public_key=factories.key_pair()[1]
    ),
    "committee_key_revoke": lambda w, a: tenders.committee_key_revoke(actor=a, key=w.opening_key),
    "organization_update": lambda w, a: organizations.organization_update(
        actor=a, organization=w.buyer, data=_profile(w.buyer)
    ),
    "api_key_issue": lambda w, a: organizations.api_key_issue(
        actor=a, organization=w.buyer, name="Corredor", scopes=["tenders:read"]
    ),
    "api_key_revoke": lambda w, a: organizations.api_key_revoke(actor=a, key=w.spare_key),
    "membership_grant": lambda w, a: accounts.membership_grant(
        actor=a, organization=w.buyer, user=w.committee_member, role="auditor"
    ),
    "membership_revoke": lambda w, a: accounts.membership_revoke(
        actor=a, membership=Membership.objects.get(user=w.committee_member)
    ),
    "user_update_flags": lambda w, a: accounts.user_update_flags(
        actor=a, user=w.committee_member, is_staff=True, is_superuser=False
    ),
    "user_deactivate": lambda w, a: accounts.user_deactivate(actor=a, user=w.committee_member),
    "organization_create": lambda w, a: organizations.organization_create(
        actor=a,
        kind="buyer",
        data=OrganizationData(
            identifier_scheme="US-EIN",
            identifier_id="12-3456789",
            legal_name="City of Springfield",
            country="US",
            buyer_type="municipality",
        ),
    ),
}


AUDIT_ACTIONS = {
    "tender_create": "tender.create",
    "tender_update": "tender.update",
    "lot_save": "lot.add",
    "lot_delete": "lot.delete",
    "item_add": "item.add",
    "item_delete": "item.delete",
    "document_add": "document.add",
    "document_delete": "document.delete",
    "tender_publish": "tender.publish",
    "tender_amend": "tender.amend",
    "tender_cancel": "tender.cancel",
    "question_ask": "question.ask",
    "question_answer": "question.answer",
    "tender_committee_set": "tender.committee",
    "committee_key_register": "committee_key.register",
    "committee_key_revoke": "committee_key.revoke",
    "organization_update": "organization.update",
    "api_key_issue": "api_key.issue",
    "api_key_revoke": "api_key.revoke",
    "membership_grant": "membership.grant",
    "membership_revoke": "membership.revoke",
    "organization_create": "organization.create",
    "user_update_flags": "user.update_flags",
    "user_deactivate": "user.deactivate",
}


def test_the_table_covers_every_action_and_role() -> None:
    assert set(EXPECTED) == set(ACTIONS) == set(AUDIT_ACTIONS)
    assert all(set(row.values()) <= set(OUTCOMES) for row in EXPECTED.values())
    assert len(ROLES) == 15


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission(refused: Any, action: str, role: str) -> None:
    world = World()
    PREPARE.get(action, lambda w: None)(world)
    actor = world.actor(role)
    outcome = OUTCOMES[EXPECTED[action][role]]

    if outcome is not None:
        refused(outcome, "permission_denied", ACTIONS[action], world, actor)
        return

    before = set(AuditEvent.objects.values_list("pk", flat=True))
    ACTIONS[action](world, actor)
    [row] = AuditEvent.objects.exclude(pk__in=before)
    assert row.action == AUDIT_ACTIONS[action]
    assert (row.actor, row.actor_label) == (actor.user, actor.label)
    assert (row.organization, row.channel) == (actor.organization, actor.channel)
