"""Consortia (issue 12, item 6): a supplier forms one and invites its members, who accept or
decline; once formed it bids as one, a reserved lot accepts it only when every member may bid
on it, its members are counted in the bid statistics and published as parties, and the rule
packs' consortium factors read its members."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pregon.core import clock
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.evaluation.preferences import bidder_facts
from pregon.organizations.choices import ConsortiumMemberStatus, ConsortiumStatus
from pregon.organizations.emails import consortium_invite_notify
from pregon.organizations.models import Consortium, ConsortiumMember, Organization
from pregon.organizations.selectors import supplier_evidence_missing
from pregon.organizations.services_consortia import (
    ConsortiumData,
    InvitedMember,
    consortium_answer,
    consortium_cancel,
    consortium_form,
)
from pregon.organizations.services_scale import ScaleData, supplier_scale_declare
from pregon.publication.mapping import Parties
from pregon.tenders.rule_packs import lot_open_to, tender_open_to
from pregon.tlog.leaves import opening_statistics
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now() -> Any:
    with clock.at(timezone.now().replace(microsecond=0)):
        yield


def firm(scale: str, **fields: Any) -> tuple[Organization, Any]:
    """A supplier of `scale` with one person."""
    organization = factories.SupplierFactory(scale=scale, **fields)
    person = factories.member(organization, "supplier_user")
    return organization, factories.actor_for(person, organization)


def invited(organization: Organization, share: str) -> InvitedMember:
    return InvitedMember(
        identifier_scheme=organization.identifier_scheme,
        identifier_id=organization.identifier_id,
        share=share,
    )


def form(
    lead: tuple[Organization, Any], *others: tuple[Organization, str], lead_share: str = "50"
) -> Consortium:
    organization, actor = lead
    return consortium_form(
        actor=actor,
        lead=organization,
        data=ConsortiumData(
            name="Consorcio Andino",
            lead_share=lead_share,
            members=[invited(member, share) for member, share in others],
        ),
    )


def formed(*firms: tuple[Organization, Any]) -> Consortium:
    """A consortium of `firms` (the first leads), every member accepted, equal shares."""
    share = str((Decimal(100) / len(firms)).quantize(Decimal("0.01")))
    last = str(Decimal(100) - Decimal(share) * (len(firms) - 1))
    consortium = form(
        firms[0], *((o, share) for o, _a in firms[1:-1]), (firms[-1][0], last), lead_share=share
    )
    for organization, actor in firms[1:]:
        consortium_answer(
            actor=actor,
            membership=ConsortiumMember.objects.get(consortium=consortium, member=organization),
            accept=True,
        )
    consortium.refresh_from_db()
    return consortium


# ---------------------------------------------------------------------------------------------
# forming, answering, cancelling


def test_forming_a_consortium_invites_its_members_and_its_lead_acts_for_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    lead = firm("micro")
    colleague = factories.member(lead[0], "supplier_user")
    other, _actor = firm("small")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        consortium = form(lead, (other, "40"), lead_share="60")
    assert len(callbacks) == 1  # one invitation e-mail task per invited member
    assert DBTaskResult.objects.filter(task_path__endswith="consortium_invite").count() == 1
    organization = consortium.organization
    assert (organization.kind, organization.legal_form, organization.scale) == (
        "supplier",
        "consortium",
        "small",
    )
    assert organization.identifier_scheme == "PREGON-CONSORTIUM"
    assert consortium.status == ConsortiumStatus.FORMING
    members = list(consortium.members.order_by("-is_lead"))
    assert [(m.member, m.share, m.is_lead, m.status) for m in members] == [
        (lead[0], Decimal("60"), True, ConsortiumMemberStatus.ACCEPTED),
        (other, Decimal("40"), False, ConsortiumMemberStatus.INVITED),
    ]
    # Every person of the lead acts for the consortium.
    assert set(organization.memberships.values_list("user_id", flat=True)) == {
        lead[1].user.pk,
        colleague.pk,
    }
    row = AuditEvent.objects.get(action="consortium.form")
    assert row.summary["members"] == [
        f"{lead[0].party_id} 60% (lead)",
        f"{other.party_id} 40%",
    ]


@pytest.mark.parametrize(
    ("shares", "field", "message"),
    [
        (("50", "40"), "members", "The shares add up to 90%; they must add up to 100%."),
        (("0", "100"), "lead_share", "A share is more than 0 and at most 100"),
        (("50", "abc"), "member_1_share", "Give the share as a number"),
    ],
)
def test_shares_are_checked_and_nothing_is_written(
    shares: tuple[str, str], field: str, message: str
) -> None:
    lead = firm("micro")
    other, _actor = firm("micro")
    before = Organization.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        form(lead, (other, shares[1]), lead_share=shares[0])
    assert refused.value.field == field
    assert message in str(refused.value.message)
    assert Organization.objects.count() == before
    assert not Consortium.objects.exists()


def test_members_must_be_registered_firms_listed_once() -> None:
    lead = firm("micro")
    with pytest.raises(ValidationFailed, match="No supplier is registered as CL-RUT 1-9"):
        consortium_form(
            actor=lead[1],
            lead=lead[0],
            data=ConsortiumData(
                name="X",
                lead_share="50",
                members=[
                    InvitedMember(identifier_scheme="CL-RUT", identifier_id="1-9", share="50")
                ],
            ),
        )
    with pytest.raises(ValidationFailed, match="is listed twice"):
        form(lead, (lead[0], "50"))
    with pytest.raises(ValidationFailed, match="at least one other member"):
        form(lead)
    other = firm("small")
    consortium = formed(lead, other)
    with pytest.raises(ValidationFailed, match="a consortium's members are firms"):
        form(other, (consortium.organization, "50"))


def test_only_the_supplier_people_form_and_answer() -> None:
    lead = firm("micro")
    other = firm("micro")
    stranger = firm("small")
    with pytest.raises(PermissionDenied):
        consortium_form(
            actor=stranger[1],
            lead=lead[0],
            data=ConsortiumData(name="X", lead_share="50", members=[invited(other[0], "50")]),
        )
    consortium = form(lead, (other[0], "50"))
    invitation = ConsortiumMember.objects.get(consortium=consortium, member=other[0])
    with pytest.raises(PermissionDenied):
        consortium_answer(actor=stranger[1], membership=invitation, accept=True)
    invitation.refresh_from_db()
    assert invitation.status == ConsortiumMemberStatus.INVITED


def test_the_last_acceptance_forms_it_and_an_answer_is_given_once() -> None:
    lead, second, third = firm("micro"), firm("small"), firm("micro")
    consortium = form(lead, (second[0], "25"), (third[0], "25"))
    first = ConsortiumMember.objects.get(consortium=consortium, member=second[0])
    consortium_answer(actor=second[1], membership=first, accept=True)
    consortium.refresh_from_db()
    assert consortium.status == ConsortiumStatus.FORMING
    with pytest.raises(InvalidTransition, match="already answered"):
        consortium_answer(actor=second[1], membership=first, accept=False)
    consortium_answer(
        actor=third[1],
        membership=ConsortiumMember.objects.get(consortium=consortium, member=third[0]),
        accept=True,
    )
    consortium.refresh_from_db()
    assert consortium.status == ConsortiumStatus.FORMED
    assert consortium.formed_at is not None
    assert consortium.organization.scale == "small"  # its largest member's
    assert AuditEvent.objects.filter(action="consortium.complete").count() == 1
    with pytest.raises(InvalidTransition, match="Only a consortium still forming"):
        consortium_cancel(actor=lead[1], consortium=consortium)


def test_a_member_that_declines_cancels_it() -> None:
    lead, other = firm("micro"), firm("micro")
    consortium = form(lead, (other[0], "50"))
    consortium_answer(
        actor=other[1],
        membership=ConsortiumMember.objects.get(consortium=consortium, member=other[0]),
        accept=False,
    )
    consortium.refresh_from_db()
    assert consortium.status == ConsortiumStatus.CANCELLED
    assert tender_open_to(factories.TenderOpenFactory(), consortium.organization) == (
        "The consortium Consorcio Andino was cancelled: it cannot bid."
    )


def test_the_lead_cancels_while_forming_and_nobody_else_does() -> None:
    lead, other = firm("micro"), firm("micro")
    consortium = form(lead, (other[0], "50"))
    with pytest.raises(PermissionDenied):
        consortium_cancel(actor=other[1], consortium=consortium)
    consortium_cancel(actor=lead[1], consortium=consortium)
    consortium.refresh_from_db()
    assert consortium.status == ConsortiumStatus.CANCELLED
    assert AuditEvent.objects.filter(action="consortium.cancel").count() == 1


def test_its_scale_follows_its_members() -> None:
    lead, other = firm("micro", country="BR"), firm("micro")
    consortium = formed(lead, other)
    assert consortium.organization.scale == "micro"
    supplier_scale_declare(
        actor=lead[1],
        organization=lead[0],
        data=ScaleData(annual_turnover=Decimal("50000000"), employees=300),
    )
    consortium.organization.refresh_from_db()
    assert consortium.organization.scale == "large"


def test_the_invitation_is_emailed_once(smtp_server: Any) -> None:
    lead, other = firm("micro", legal_name="Micro Uno"), firm("micro")
    invitee = factories.member(other[0], "supplier_user", language="es")
    consortium = form(lead, (other[0], "50"))
    invitation = ConsortiumMember.objects.get(consortium=consortium, member=other[0])
    assert consortium_invite_notify(member_id=invitation.pk) == 2  # both of its people
    assert consortium_invite_notify(member_id=invitation.pk) == 0
    to_invitee = next(m for m in smtp_server.messages if m["To"] == invitee.email)
    assert "Micro Uno" in to_invitee["Subject"]
    assert to_invitee["Content-Language"] == "es"
    assert "/supplier/consortia/" in to_invitee.get_content()


# ---------------------------------------------------------------------------------------------
# bidding as one


def reserved_lot() -> Any:
    """A lot reserved for micro and small enterprises."""
    tender = factories.TenderOpenFactory()
    lot = tender.lots.get()
    lot.reserved = True
    lot.reservation_obligation = "must"
    lot.reserved_scales = ["micro", "small"]
    lot.reservation_rule = "GENERIC@2026.1:reservation.optional"
    lot.save()
    return lot


def test_a_reserved_lot_accepts_a_consortium_only_when_every_member_may_bid() -> None:
    lot = reserved_lot()
    micro_pair = formed(firm("micro"), firm("micro"))
    assert lot_open_to(lot, micro_pair.organization) is None
    with_large = formed(firm("micro"), firm("large", legal_name="Grande S.A."))
    refusal = lot_open_to(lot, with_large.organization)
    assert refusal is not None
    assert refusal.startswith(
        "A reserved lot accepts a consortium only when every member may bid on it."
    )
    assert "Grande S.A. is registered as large enterprise" in refusal


def test_a_consortium_bids_only_once_formed() -> None:
    lead, other = firm("micro"), firm("micro")
    consortium = form(lead, (other[0], "50"))
    tender = factories.TenderOpenFactory()
    assert tender_open_to(tender, consortium.organization) == (
        "The consortium Consorcio Andino may bid once every member has accepted its invitation."
    )
    consortium_answer(
        actor=other[1],
        membership=ConsortiumMember.objects.get(consortium=consortium, member=other[0]),
        accept=True,
    )
    assert tender_open_to(tender, consortium.organization) is None


def test_statistics_count_the_consortium_once_and_its_members_sizes() -> None:
    def tenderer(scale: str, *members: str, cooperative: bool = False) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": "x", "name": "x", "scale": scale, "cooperative": False}
        if members:
            entry["consortium"] = [
                {
                    "id": "m",
                    "name": "m",
                    "scale": s,
                    "cooperative": cooperative,
                    "share": "50",
                    "lead": n == 0,
                }
                for n, s in enumerate(members)
            ]
        return {"tenderer": entry}

    bids = [
        tenderer("small", "micro", "small"),  # an SME consortium with a micro member
        tenderer("large", "micro", "large", cooperative=True),  # not an SME bid, micro takes part
        tenderer("medium"),
    ]
    assert opening_statistics(bids) == {
        "bids": 3,
        "smeBids": 2,
        "microBids": 2,
        "smallBids": 1,
        "mediumBids": 1,
        "cooperativeBids": 1,
    }


def test_published_as_a_party_with_its_members_and_their_shares() -> None:
    lead = firm("micro", legal_name="Micro Uno")
    other = firm("small", legal_name="Pequeña Dos")
    consortium = formed(lead, other)
    parties = Parties()
    parties.add(consortium.organization, "tenderer")
    published = {party["id"]: party for party in parties.as_list()}
    party = published[consortium.organization.party_id]
    assert party["roles"] == ["tenderer"]
    assert party["details"]["legalForm"] == "consortium"
    assert party["details"]["scale"] == "small"
    assert party["details"]["consortiumMembers"] == [
        {"id": lead[0].party_id, "name": "Micro Uno", "share": 50, "lead": True},
        {"id": other[0].party_id, "name": "Pequeña Dos", "share": 50, "lead": False},
    ]
    assert published[lead[0].party_id]["roles"] == ["consortiumMember"]
    assert published[other[0].party_id]["details"]["scale"] == "small"


def test_the_packs_consortium_factors_read_its_members() -> None:
    women_led = firm("micro", women_owned=True)
    consortium = formed(women_led, firm("small"))
    eligible, scale, characteristics = bidder_facts(consortium.organization)
    assert (eligible, scale) == (True, "small")
    assert {"msme_consortium", "plural_with_msme", "plural_with_women_led"} <= characteristics
    mixed = formed(firm("micro"), firm("large"))
    _eligible, _scale, characteristics = bidder_facts(mixed.organization)
    assert "msme_consortium" not in characteristics
    assert "plural_with_msme" in characteristics


def test_hubzone_is_a_characteristic_the_us_preference_reads() -> None:
    hubzone = factories.SupplierFactory(country="US", scale="small", hubzone=True)
    _eligible, _scale, characteristics = bidder_facts(hubzone)
    assert "hubzone" in characteristics
    assert hubzone.characteristics == ["hubZone"]


# ---------------------------------------------------------------------------------------------
# the page


def test_the_consortia_page_forms_and_answers(client: Client) -> None:
    lead = firm("micro", legal_name="Micro Uno")
    other = firm("micro", legal_name="Micro Dos")
    client.force_login(lead[1].user)
    page = client.get(reverse("supplier:consortia"))
    assert page.status_code == 200
    assert "Form a consortium" in page.content.decode()
    refused = client.post(
        reverse("supplier:consortium_new"),
        {
            "name": "Consorcio Andino",
            "lead_share": "60",
            "member_1_scheme": other[0].identifier_scheme,
            "member_1_id": other[0].identifier_id,
            "member_1_share": "30",
        },
    )
    assert refused.status_code == 422
    assert "The shares add up to 90%" in refused.content.decode()
    assert not Consortium.objects.exists()
    made = client.post(
        reverse("supplier:consortium_new"),
        {
            "name": "Consorcio Andino",
            "lead_share": "60",
            "member_1_scheme": other[0].identifier_scheme,
            "member_1_id": other[0].identifier_id,
            "member_1_share": "40",
        },
    )
    assert made.status_code == 302
    consortium = Consortium.objects.get()
    client.force_login(other[1].user)
    page = client.get(reverse("supplier:consortia")).content.decode()
    assert "Accept: join “Consorcio Andino”" in page
    invitation = ConsortiumMember.objects.get(member=other[0])
    # Another supplier cannot answer it.
    client.force_login(firm("small")[1].user)
    assert (
        client.post(reverse("supplier:consortium_accept", args=[invitation.pk])).status_code == 404
    )
    client.force_login(other[1].user)
    answered = client.post(reverse("supplier:consortium_accept", args=[invitation.pk]))
    assert answered.status_code == 302
    consortium.refresh_from_db()
    assert consortium.status == ConsortiumStatus.FORMED


def test_the_page_speaks_spanish(client: Client) -> None:
    lead = firm("micro")
    client.force_login(lead[1].user)
    page = client.get("/es/supplier/consortia/", HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    assert "Formar un consorcio" in page.content.decode()


def test_a_size_whose_evidence_was_rejected_does_not_open_a_reserved_lot() -> None:
    lot = reserved_lot()
    rejected = factories.SupplierFactory(
        scale="micro",
        legal_name="Dudosa Ltda.",
        scale_status="rejected",
        scale_reviewed_at=timezone.now(),
    )
    refusal = lot_open_to(lot, rejected)
    assert refusal is not None
    assert (
        "Dudosa Ltda. is registered as micro enterprise, whose evidence the platform did not "
        "accept, so it cannot bid on this lot." in refusal
    )


def test_the_evidence_a_consortium_gives_before_a_contract_is_each_members() -> None:
    lead = firm("micro", legal_name="Micro Uno")
    other = firm("micro", legal_name="Micro Dos")
    consortium = formed(lead, other)
    missing = supplier_evidence_missing(organization=consortium.organization)
    labels = [item.label for item in missing]
    assert "Micro Uno: Verified scale" in labels
    assert "Micro Dos: Verified scale" in labels
    assert all(label.startswith(("Micro Uno: ", "Micro Dos: ")) for label in labels)
    with pytest.raises(ValidationFailed, match="each member declares its own"):
        supplier_scale_declare(
            actor=factories.actor_for(lead[1].user, consortium.organization),
            organization=consortium.organization,
            data=ScaleData(employees=3),
        )


def test_the_public_page_and_the_api_show_its_members(client: Client) -> None:
    lead = firm("micro", legal_name="Micro Uno")
    other = firm("micro", legal_name="Micro Dos")
    consortium = formed(lead, other)
    page = client.get(consortium.organization.get_absolute_url()).content.decode()
    assert "Members of the consortium" in page
    assert "Micro Uno" in page and "Micro Dos" in page
    assert "Consortium (joint bid)" in page
    member_page = client.get(lead[0].get_absolute_url()).content.decode()
    assert "Member of consortia" in member_page
    assert "Consorcio Andino" in member_page
    profile = client.get(f"/api/v1/organizations/{consortium.organization.pk}").json()
    assert profile["legal_form"] == "consortium"
    assert [(m["name"], m["share"], m["lead"]) for m in profile["consortium_members"]] == [
        ("Micro Uno", "50.00", True),
        ("Micro Dos", "50.00", False),
    ]
    assert client.get(f"/api/v1/organizations/{lead[0].pk}").json()["consortium_members"] is None
