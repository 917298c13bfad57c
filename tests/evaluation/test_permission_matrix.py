"""The permission matrix, extended to the evaluation: who may carry out each step of a lot's
evaluation (services), and who sees which page (the committee's page, a bidder's own page, the
public report before and after completion).

Columns (roles):

  anon   anonymous visitor                      com    a member of the tender's committee
  nc     a committee member of the buyer who is not on this tender's committee
  off    a buyer official of the buyer          adm    an administrator of the buyer
  bkey   the buyer's API key (every scope)      own    a person of the bidder whose bid it is
  okey   that bidder's API key                  rival  a person of another bidder of the tender
  sup    a person of a supplier that did not bid

In the services' table, `ok` means the service does it and writes its audit row; any other
entry is the code of the PermissionDenied raised, with nothing changed in any table:
`PD` permission_denied, `PR` person_required (members act in person, never with a key), `NC`
not_on_committee. The target of each action is one bid ("own" is its bidder's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

import pytest
from django.test import Client

from pregon.core.actor import Actor
from pregon.core.errors import PermissionDenied
from pregon.core.models import AuditEvent
from pregon.evaluation import services
from pregon.evaluation.models import BidAssessment, Evaluation
from pregon.organizations.models import ApiKey, Organization
from tests import factories
from tests.bids.opening_world import OpeningWorld
from tests.evaluation.world import priced_world

pytestmark = pytest.mark.django_db

TABLE = """
action                  anon com  nc   off  adm  bkey own  okey rival sup
evaluation_start        PD   ok   NC   PD   PD   PR   PD   PR   PD    PD
assessment_qualify      PD   ok   NC   PD   PD   PR   PD   PR   PD    PD
assessment_disqualify   PD   ok   NC   PD   PD   PR   PD   PR   PD    PD
assessment_score        PD   ok   NC   PD   PD   PR   PD   PR   PD    PD
justification_request   PD   ok   NC   PD   PD   PR   PD   PR   PD    PD
justification_answer    PD   PD   PD   PD   PD   PD   ok   ok   PD    PD
justification_decide    PD   ok   NC   PD   PD   PR   PD   PR   PD    PD
evaluation_complete     PD   ok   NC   PD   PD   PR   PD   PR   PD    PD
"""
CODES = {"PD": "permission_denied", "PR": "person_required", "NC": "not_on_committee"}
_header, *_rows = (line.split() for line in TABLE.strip().splitlines())
ROLES = _header[1:]
EXPECTED = {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in _rows}

# Lot 1: 100 000 (Proveedor 1), 110 000 (Proveedor 2) and 70 000 (Proveedor 3, abnormally low).
PRICES = ["100000", "110000", "70000"]


@dataclass
class EvaluationWorld:
    """An opened tender with weighted criteria and three bids on lot 1, and people in every
    role of the table."""

    world: OpeningWorld

    @property
    def tender(self) -> Any:
        return self.world.tender

    @property
    def buyer(self) -> Organization:
        return self.world.tender.buyer

    @cached_property
    def member(self) -> Actor:
        return self.world.member_actor(1)

    @cached_property
    def evaluation(self) -> Evaluation:
        return services.evaluation_start(
            actor=self.member, tender=self.tender, lot=self.tender.lots.get(number=1)
        )

    def assessment(self, price: str) -> BidAssessment:
        return self.evaluation.assessments.get(price=Decimal(price))

    @cached_property
    def low(self) -> BidAssessment:
        return self.assessment("70000")

    def requested(self) -> BidAssessment:
        return services.justification_request(
            actor=self.member, assessment=self.low, request="Explique el precio."
        )

    def answered(self) -> BidAssessment:
        self.requested()
        return services.justification_answer(
            actor=self.supplier_actor(2), assessment=self.low, answer="Stock propio."
        )

    def ready(self) -> Evaluation:
        """Every bid checked and scored: the lot can be completed."""
        quality = list(self.tender.criteria.filter(kind="quality"))
        for price in ("100000", "110000"):
            assessment = services.assessment_qualify(
                actor=self.member, assessment=self.assessment(price)
            )
            services.assessment_score(
                actor=self.member,
                assessment=assessment,
                points={c.pk: Decimal(c.weight) for c in quality},
            )
        services.assessment_disqualify(actor=self.member, assessment=self.low, reason="Sin firma.")
        return self.evaluation

    def supplier(self, index: int) -> Organization:
        return self.world.offers[index].supplier

    def supplier_actor(self, index: int) -> Actor:
        return self.world.offers[index].actor

    def key_of(self, organization: Organization) -> Actor:
        key = ApiKey.objects.create(
            organization=organization,
            name="Integrador",
            prefix=f"k{organization.pk:0<11}"[:12],
            secret_hash="0" * 64,
            scopes=["tenders:read", "tenders:write", "questions:answer", "bids:submit"],
        )
        return Actor(user=None, organization=organization, api_key=key, channel="api")

    def actor(self, role: str, target: BidAssessment | None) -> Actor:
        """The actor of one column; `own` and `okey` act for the target bid's bidder."""
        own = target.supplier if target is not None else self.supplier(2)
        rival = next(o.supplier for o in self.world.offers if o.supplier != own)
        people: dict[str, Callable[[], Actor]] = {
            "anon": lambda: Actor(user=None, organization=None),
            "com": lambda: self.member,
            "nc": lambda: factories.actor_for(
                factories.member(self.buyer, "committee_member"), self.buyer
            ),
            "off": lambda: factories.actor_for(
                factories.member(self.buyer, "buyer_official"), self.buyer
            ),
            "adm": lambda: factories.actor_for(
                factories.member(self.buyer, "administrator"), self.buyer
            ),
            "bkey": lambda: self.key_of(self.buyer),
            "own": lambda: factories.actor_for(factories.member(own, "supplier_user"), own),
            "okey": lambda: self.key_of(own),
            "rival": lambda: factories.actor_for(factories.member(rival, "supplier_user"), rival),
            "sup": _stranger,
        }
        return people[role]()


def _stranger() -> Actor:
    supplier = factories.SupplierFactory()
    return factories.actor_for(factories.member(supplier, "supplier_user"), supplier)


def _new_world(buyer: Organization) -> EvaluationWorld:
    return EvaluationWorld(priced_world(buyer, PRICES, criteria=True))


#: Each action: what it needs done first (returning its target bid, if any), and the call.
PREPARE: dict[str, Callable[[EvaluationWorld], BidAssessment | None]] = {
    "evaluation_start": lambda w: None,
    "assessment_qualify": lambda w: w.assessment("100000"),
    "assessment_disqualify": lambda w: w.assessment("100000"),
    "assessment_score": lambda w: w.assessment("100000"),
    "justification_request": lambda w: w.low,
    "justification_answer": lambda w: w.requested(),
    "justification_decide": lambda w: w.answered(),
    "evaluation_complete": lambda w: (w.ready(), None)[1],
}


def _scores(w: EvaluationWorld) -> dict[int, Decimal]:
    return {c.pk: Decimal(1) for c in w.tender.criteria.filter(kind="quality")}


ACTIONS: dict[str, Callable[[EvaluationWorld, Actor, Any], Any]] = {
    "evaluation_start": lambda w, a, t: services.evaluation_start(
        actor=a, tender=w.tender, lot=w.tender.lots.get(number=1)
    ),
    "assessment_qualify": lambda w, a, t: services.assessment_qualify(actor=a, assessment=t),
    "assessment_disqualify": lambda w, a, t: services.assessment_disqualify(
        actor=a, assessment=t, reason="No acredita experiencia."
    ),
    "assessment_score": lambda w, a, t: services.assessment_score(
        actor=a, assessment=t, points=_scores(w)
    ),
    "justification_request": lambda w, a, t: services.justification_request(
        actor=a, assessment=t, request="Explique el precio."
    ),
    "justification_answer": lambda w, a, t: services.justification_answer(
        actor=a, assessment=t, answer="Stock propio."
    ),
    "justification_decide": lambda w, a, t: services.justification_decide(
        actor=a, assessment=t, accept=True, decision="Justificación suficiente."
    ),
    "evaluation_complete": lambda w, a, t: services.evaluation_complete(
        actor=a, evaluation=w.evaluation
    ),
}
AUDIT_ACTIONS = {
    "evaluation_start": "evaluation.start",
    "assessment_qualify": "evaluation.assess",
    "assessment_disqualify": "evaluation.assess",
    "assessment_score": "evaluation.score",
    "justification_request": "evaluation.request_justification",
    "justification_answer": "evaluation.answer_justification",
    "justification_decide": "evaluation.decide_justification",
    "evaluation_complete": "evaluation.complete",
}


def test_the_table_covers_every_evaluation_service_and_role() -> None:
    assert set(EXPECTED) == set(ACTIONS) == set(PREPARE) == set(AUDIT_ACTIONS)
    # The award's services have their own table (test_award_permission_matrix.py), which
    # checks that the two tables together cover every service.
    assert set(ACTIONS) <= set(services.__all__)
    assert all(set(row.values()) <= {"ok", *CODES} for row in EXPECTED.values())


@pytest.mark.parametrize("action", list(ACTIONS))
def test_everyone_else_is_refused_and_nothing_changes(
    refused: Any, buyer: Organization, action: str
) -> None:
    w = _new_world(buyer)
    target = PREPARE[action](w)
    for role, outcome in EXPECTED[action].items():
        if outcome == "ok":
            continue
        error = refused(
            PermissionDenied, CODES[outcome], ACTIONS[action], w, w.actor(role, target), target
        )
        assert str(error.message), role


@pytest.mark.parametrize(
    ("action", "role"),
    [(action, role) for action, row in EXPECTED.items() for role, o in row.items() if o == "ok"],
)
def test_the_allowed_do_it_with_their_audit_row(
    buyer: Organization, action: str, role: str
) -> None:
    w = _new_world(buyer)
    target = PREPARE[action](w)
    actor = w.actor(role, target)
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    ACTIONS[action](w, actor, target)

    [row] = AuditEvent.objects.exclude(pk__in=before).filter(action=AUDIT_ACTIONS[action])
    assert (row.actor, row.channel) == (actor.user, actor.channel)


# ---------------------------------------------------------------------------------------------
# pages

#: The people of the pages' columns (the API keys do not sign in to pages).
PAGE_ROLES = ["anon", "com", "nc", "off", "adm", "own", "rival", "sup"]


def _clients(w: EvaluationWorld) -> dict[str, Client]:
    """A browser per role, signed in (but the anonymous one); `own` is the low bid's bidder."""
    own, rival = w.supplier(2), w.supplier(0)
    stranger = factories.SupplierFactory()
    users = {
        "com": w.world.committee[0].user,
        "nc": factories.member(w.buyer, "committee_member"),
        "off": factories.member(w.buyer, "buyer_official"),
        "adm": factories.member(w.buyer, "administrator"),
        "own": factories.member(own, "supplier_user"),
        "rival": factories.member(rival, "supplier_user"),
        "sup": factories.member(stranger, "supplier_user"),
    }
    clients = {"anon": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _pages(w: EvaluationWorld) -> dict[str, str]:
    base = f"/es/tenders/{w.tender.pk}/evaluation/"
    return {"report": base, "committee": f"{base}committee/", "mine": f"{base}mine/"}


def _status(response: Any) -> str:
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "302"
    return str(response.status_code)


PAGES = """
page                    anon  com  nc   off  adm  own  rival sup
committee_get           login 200  403  403  403  403  403   403
committee_post_qualify  login 302  403  403  403  403  403   403
mine_get                login 403  403  403  403  200  200   200
mine_post_answer        login 403  403  403  403  302  404   404
report_before           200   200  200  200  200  200  200   200
report_after            200   200  200  200  200  200  200   200
"""
_page_header, *_page_rows = (line.split() for line in PAGES.strip().splitlines())
PAGE_EXPECTED = {row[0]: dict(zip(_page_header[1:], row[1:], strict=True)) for row in _page_rows}


def test_the_pages_table_covers_every_role() -> None:
    assert _page_header[1:] == PAGE_ROLES


def test_the_committee_page_is_the_committees_only(buyer: Organization) -> None:
    w = _new_world(buyer)
    clients = _clients(w)
    pages = _pages(w)
    target = w.assessment("100000")

    for role in PAGE_ROLES:
        response = clients[role].get(pages["committee"])
        assert _status(response) == PAGE_EXPECTED["committee_get"][role], role
        if role != "com":
            assert "Proveedor" not in response.content.decode(), role

    # The committee member last: until then, every refusal leaves the bid unchecked.
    for role in [r for r in PAGE_ROLES if r != "com"] + ["com"]:
        response = clients[role].post(
            pages["committee"], {"action": "qualify", "assessment": target.pk}
        )
        assert _status(response) == PAGE_EXPECTED["committee_post_qualify"][role], role
        target.refresh_from_db()
        assert (target.compliance == "qualified") == (role == "com"), role


def test_a_bidder_sees_and_answers_its_own_assessment_only(buyer: Organization) -> None:
    w = _new_world(buyer)
    w.requested()
    clients = _clients(w)
    pages = _pages(w)

    for role in PAGE_ROLES:
        response = clients[role].get(pages["mine"])
        assert _status(response) == PAGE_EXPECTED["mine_get"][role], role
        text = response.content.decode()
        assert ("Explique el precio." in text) == (role == "own"), role
        # The prices as the Spanish page writes them (grouped, no cents for a Chilean peso).
        assert ("70\u00a0000 CLP" in text) == (role == "own"), role
        assert ("100\u00a0000 CLP" in text) == (role == "rival"), role

    for role in [r for r in PAGE_ROLES if r != "own"] + ["own"]:
        response = clients[role].post(pages["mine"], {"assessment": w.low.pk, "text": "Mía."})
        assert _status(response) == PAGE_EXPECTED["mine_post_answer"][role], role
        w.low.refresh_from_db()
        assert (w.low.justification_answer == "Mía.") == (role == "own"), role


def test_the_report_is_public_and_empty_until_the_lot_is_completed(buyer: Organization) -> None:
    w = _new_world(buyer)
    w.ready()
    clients = _clients(w)
    pages = _pages(w)

    for role in PAGE_ROLES:
        response = clients[role].get(pages["report"])
        assert _status(response) == PAGE_EXPECTED["report_before"][role], role
        text = response.content.decode()
        assert "Proveedor" not in text, role
        assert "Sin firma." not in text, role

    services.evaluation_complete(actor=w.member, evaluation=w.evaluation)
    for role in PAGE_ROLES:
        response = clients[role].get(pages["report"])
        assert _status(response) == PAGE_EXPECTED["report_after"][role], role
        text = response.content.decode()
        assert all(f"Proveedor {n}" in text for n in (1, 2, 3)), role
        assert "Sin firma." in text, role
