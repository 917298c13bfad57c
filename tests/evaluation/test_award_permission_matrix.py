"""The permission matrix, extended to the award: who may decide a lot, complain about its
award, decide the complaint and read a bidder's notice.

Columns (roles):

  anon   anonymous visitor                        com    a member of the tender's committee
  off    a buyer official of the buyer            adm    an administrator of the buyer
  aud    an auditor of the buyer                  bkey   the buyer's API key (every scope)
  xoff   a buyer official of another buyer        ovs    an auditor of an oversight body
  win    a person of the awarded bidder           lose   a person of a losing bidder of the lot
  lkey   that losing bidder's API key             lot2   a person of a bidder of lot 2 only
  sup    a person of a supplier that did not bid

`ok` means the service does it and writes its audit row; any other entry is the code of the
error raised, with nothing changed in any table (`refused`): `PD` permission_denied, `PR`
person_required (officials decide in person, never with a key), `NB` not_a_bidder (a
PermissionDenied too), `AW` awarded_bidder (an InvalidTransition: the winner has nothing to
complain about). A complaint is filed for the actor's own organization, or, for the columns
that are not a supplier, for the losing bidder; the notice read is the losing bidder's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest

from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied
from pregon.core.models import AuditEvent
from pregon.evaluation import services
from pregon.evaluation.models import Award, AwardNotice, Complaint
from pregon.organizations.models import ApiKey, Organization
from tests import factories
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.evaluation.award_world import buyer_official_actor, evaluated
from tests.evaluation.test_permission_matrix import ACTIONS as EVALUATION_ACTIONS
from tests.evaluation.world import opened

pytestmark = pytest.mark.django_db

TABLE = """
action              anon com off adm aud bkey xoff ovs win lose lkey lot2 sup
award_decide        PD   PD  ok  PD  PD  PR   PD   PD  PD  PD   PR   PD   PD
complaint_file      PD   PD  PD  PD  PD  PD   PD   PD  AW  ok   ok   NB   NB
complaint_decide    PD   PD  ok  PD  PD  PR   PD   PD  PD  PD   PR   PD   PD
award_notice_read   PD   PD  PD  PD  PD  PD   PD   PD  PD  ok   ok   PD   PD
"""
CODES: dict[str, tuple[type[Exception], str]] = {
    "PD": (PermissionDenied, "permission_denied"),
    "PR": (PermissionDenied, "person_required"),
    "NB": (PermissionDenied, "not_a_bidder"),
    "AW": (InvalidTransition, "awarded_bidder"),
}
_header, *_rows = (line.split() for line in TABLE.strip().splitlines())
ROLES = _header[1:]
EXPECTED = {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in _rows}
SUPPLIER_ROLES = {"win", "lose", "lkey", "lot2", "sup"}
#: The services no person calls: the platform runs them (by time, or inside another service).
SYSTEM_SERVICES = {
    "award_standstill_end",
    "awards_standstill_end_due",
    "award_notice_email",
    "evaluation_reopen",
    "standstill_days",
    "cover_lapse",
    "covers_lapse_due",
    "cover_invitation_email",
    # The answers to a right to cover: their matrix is in tests/evaluation/test_preferences.py.
    "cover_improve",
    "cover_pass",
}
AUDIT_ACTIONS = {
    "award_decide": "award.decide",
    "complaint_file": "complaint.file",
    "complaint_decide": "complaint.decide",
    "award_notice_read": "award.notice_read",
}


@dataclass
class AwardWorld:
    """Lot 1 evaluated (Pequeña Empresa SpA first, Cooperativa Andina and Ana Pérez behind; Gran
    Empresa SA bid on lot 2 only), and people in every role of the table."""

    world: OpeningWorld

    @property
    def buyer(self) -> Organization:
        return self.world.tender.buyer

    def supplier(self, name: str) -> Organization:
        return next(o.supplier for o in self.world.offers if o.supplier.legal_name == name)

    @cached_property
    def evaluation(self) -> Any:
        return evaluated(self.world)

    @cached_property
    def award(self) -> Award:
        return services.award_decide(
            actor=buyer_official_actor(self.world),
            evaluation=self.evaluation,
            reason="First in the ranking.",
        )

    @cached_property
    def complaint(self) -> Complaint:
        loser = self.supplier("Cooperativa Andina")
        return services.complaint_file(
            actor=factories.actor_for(factories.member(loser, "supplier_user"), loser),
            award=self.award,
            complainant=loser,
            grounds="Expired guarantee.",
        )

    @cached_property
    def notice(self) -> AwardNotice:
        return AwardNotice.objects.get(
            award=self.award, organization=self.supplier("Cooperativa Andina")
        )

    def key_of(self, organization: Organization) -> Actor:
        key = ApiKey.objects.create(
            organization=organization,
            name="Integrador",
            prefix=f"k{organization.pk:0<11}"[:12],
            secret_hash="0" * 64,
            scopes=["tenders:read", "tenders:write", "questions:answer", "bids:submit"],
        )
        return Actor(user=None, organization=organization, api_key=key, channel="api")

    def person(self, organization: Organization, role: str) -> Actor:
        return factories.actor_for(factories.member(organization, role), organization)

    def actor(self, role: str) -> Actor:
        other = factories.BuyerFactory
        people: dict[str, Callable[[], Actor]] = {
            "anon": lambda: Actor(user=None, organization=None),
            "com": lambda: self.world.member_actor(1),
            "off": lambda: self.person(self.buyer, "buyer_official"),
            "adm": lambda: self.person(self.buyer, "administrator"),
            "aud": lambda: self.person(self.buyer, "auditor"),
            "bkey": lambda: self.key_of(self.buyer),
            "xoff": lambda: self.person(other(), "buyer_official"),
            "ovs": lambda: self.person(factories.OversightFactory(), "auditor"),
            "win": lambda: self.person(self.supplier("Pequeña Empresa SpA"), "supplier_user"),
            "lose": lambda: self.person(self.supplier("Cooperativa Andina"), "supplier_user"),
            "lkey": lambda: self.key_of(self.supplier("Cooperativa Andina")),
            "lot2": lambda: self.person(self.supplier("Gran Empresa SA"), "supplier_user"),
            "sup": lambda: self.person(factories.SupplierFactory(), "supplier_user"),
        }
        return people[role]()


def _world(buyer: Organization) -> AwardWorld:
    return AwardWorld(opened(opening_world(buyer)))


#: Each action: what it needs done first, and the call.
PREPARE: dict[str, Callable[[AwardWorld], Any]] = {
    "award_decide": lambda w: w.evaluation,
    "complaint_file": lambda w: w.award,
    "complaint_decide": lambda w: w.complaint,
    "award_notice_read": lambda w: w.notice,
}


def _complainant(w: AwardWorld, role: str, actor: Actor) -> Organization:
    if role in SUPPLIER_ROLES and actor.organization is not None:
        return actor.organization
    return w.supplier("Cooperativa Andina")


ACTIONS: dict[str, Callable[[AwardWorld, str, Actor], Any]] = {
    "award_decide": lambda w, role, a: services.award_decide(
        actor=a, evaluation=w.evaluation, reason="First in the ranking."
    ),
    "complaint_file": lambda w, role, a: services.complaint_file(
        actor=a, award=w.award, complainant=_complainant(w, role, a), grounds="Unfair."
    ),
    "complaint_decide": lambda w, role, a: services.complaint_decide(
        actor=a, complaint=w.complaint, upheld=False, resolution="Unfounded."
    ),
    "award_notice_read": lambda w, role, a: services.award_notice_read(actor=a, notice=w.notice),
}


def test_the_tables_cover_every_service_and_role() -> None:
    assert set(EXPECTED) == set(ACTIONS) == set(PREPARE) == set(AUDIT_ACTIONS)
    assert set(services.__all__) == set(EVALUATION_ACTIONS) | set(ACTIONS) | SYSTEM_SERVICES
    assert all(set(row.values()) <= {"ok", *CODES} for row in EXPECTED.values())
    assert set(ROLES) >= SUPPLIER_ROLES


@pytest.mark.parametrize("action", list(ACTIONS))
def test_everyone_else_is_refused_and_nothing_changes(
    refused: Any, buyer: Organization, action: str
) -> None:
    w = _world(buyer)
    PREPARE[action](w)
    for role, outcome in EXPECTED[action].items():
        if outcome == "ok":
            continue
        error_class, code = CODES[outcome]
        actor = w.actor(role)
        error = refused(error_class, code, ACTIONS[action], w, role, actor)
        assert str(error.message), role


@pytest.mark.parametrize(
    ("action", "role"),
    [(action, role) for action, row in EXPECTED.items() for role, o in row.items() if o == "ok"],
)
def test_the_allowed_do_it_with_their_audit_row(
    buyer: Organization, action: str, role: str
) -> None:
    w = _world(buyer)
    PREPARE[action](w)
    actor = w.actor(role)
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    ACTIONS[action](w, role, actor)

    [row] = AuditEvent.objects.exclude(pk__in=before).filter(action=AUDIT_ACTIONS[action])
    assert (row.actor, row.channel) == (actor.user, actor.channel)


def test_with_an_oversight_body_only_its_auditors_decide_complaints(
    refused: Any, buyer: Organization, settings: Any
) -> None:
    settings.PREGON_COMPLAINTS_DECIDED_BY = "oversight"
    w = _world(buyer)
    complaint = w.complaint
    for role in ("off", "adm", "aud", "com", "lose", "xoff"):
        refused(
            PermissionDenied,
            "oversight_decides",
            services.complaint_decide,
            actor=w.actor(role),
            complaint=complaint,
            upheld=False,
            resolution="Unfounded.",
        )
    refused(
        PermissionDenied,
        "person_required",
        services.complaint_decide,
        actor=w.key_of(w.buyer),
        complaint=complaint,
        upheld=False,
        resolution="Unfounded.",
    )

    auditor = w.actor("ovs")
    services.complaint_decide(actor=auditor, complaint=complaint, upheld=False, resolution="Ok.")

    assert AuditEvent.objects.get(action="complaint.decide").actor == auditor.user
