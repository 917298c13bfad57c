"""The opening committee (pregon.tenders.services.committee): members' opening keys, a draft's
committee, what publication checks of it, the database's own rules, and its OCDS output.

Allowed actions are checked field by field with their one audit row; refused ones go through
the `refused` fixture (the exact error and code, every row of every table as it was, nothing
scheduled on commit).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from pregon.accounts.models import Membership
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.organizations.models import ApiKey
from pregon.publication import services as publication
from pregon.publication.models import Record, Release
from pregon.tenders import services
from pregon.tenders.models import CommitteeKey, CommitteeMember, Tender
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
# A point of order 8 on Curve25519: every shared secret with it is all zeros (RFC 7748 §6.1).
LOW_ORDER_POINT = bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
NO_COMMITTEE = (
    "Name the opening committee: the members who will open the bids together, and how many "
    "of them are needed."
)


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def new_rows(action: Any) -> tuple[Any, list[AuditEvent]]:
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    result = action()
    return result, list(AuditEvent.objects.exclude(pk__in=before).order_by("pk"))


def committee_member(buyer: Any) -> tuple[Any, Actor]:
    person = factories.member(buyer, "committee_member")
    return person, Actor(user=person, organization=buyer, ip_address="192.0.2.9")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# ---------------------------------------------------------------------------------------------
# the text of a public key


@given(st.binary(min_size=32, max_size=32))
def test_a_public_key_reads_back_from_its_text(raw: bytes) -> None:
    text = services.public_key_encode(raw)
    assert len(text) == 43 and "=" not in text
    assert services.public_key_decode(text) == raw
    assert services.public_key_decode(f"  {text}=\n") == raw


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "A" * 42,
        "A" * 44,
        "m3mDkz0VoU7P0dNfDY1Gb6W0mB0Y3cI3uQ3u7+K5VVk",  # "+": standard base64, not base64url
        "m3mDkz0VoU7P0dNfDY1Gb6W0mB0Y3cI3uQ3u7-K5VV!",
    ],
)
def test_text_that_is_no_public_key_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.public_key_decode(text, field="publicKey")
    assert (info.value.code, info.value.field) == ("invalid_public_key", "publicKey")


# ---------------------------------------------------------------------------------------------
# registering and revoking a key


def test_a_committee_member_registers_a_key(buyer: Any, now: dt.datetime) -> None:
    person, actor = committee_member(buyer)
    _private, public = factories.key_pair()

    key, rows = new_rows(lambda: services.committee_key_register(actor=actor, public_key=public))

    key.refresh_from_db()
    assert (key.user, key.organization, bytes(key.public_key)) == (person, buyer, public)
    assert key.fingerprint == hashlib.sha256(public).hexdigest()
    assert (key.created_at, key.revoked_at, key.is_active) == (now, None, True)
    [row] = rows
    assert (row.action, row.actor, row.organization, row.channel) == (
        "committee_key.register",
        person,
        buyer,
        "web",
    )
    assert (row.object_type, row.object_id) == ("tenders.committeekey", str(key.pk))
    assert row.summary == {"fingerprint": key.fingerprint}


def test_a_new_key_revokes_the_one_before(buyer: Any, now: dt.datetime) -> None:
    person, actor = committee_member(buyer)
    with clock.at(now - DAY):
        first = services.committee_key_register(actor=actor, public_key=factories.key_pair()[1])

    second, rows = new_rows(
        lambda: services.committee_key_register(actor=actor, public_key=factories.key_pair()[1])
    )

    first.refresh_from_db()
    assert first.revoked_at == now
    assert list(
        CommitteeKey.objects.filter(user=person, revoked_at__isnull=True).values_list(
            "pk", flat=True
        )
    ) == [second.pk]
    [row] = rows
    assert row.summary == {"fingerprint": second.fingerprint, "replaces": first.fingerprint}


def test_keys_are_per_organization(buyer: Any, other_buyer: Any) -> None:
    person, actor = committee_member(buyer)
    Membership.objects.create(user=person, organization=other_buyer, role="committee_member")
    here = services.committee_key_register(actor=actor, public_key=factories.key_pair()[1])
    there = services.committee_key_register(
        actor=Actor(user=person, organization=other_buyer), public_key=factories.key_pair()[1]
    )
    assert set(CommitteeKey.objects.filter(revoked_at__isnull=True)) == {here, there}


def test_who_may_not_register_a_key(refused: Any, buyer: Any, other_buyer: Any) -> None:
    public = factories.key_pair()[1]
    person, _actor = committee_member(buyer)
    official = factories.member(buyer, "buyer_official")
    key = ApiKey.objects.create(
        organization=buyer, name="Integrador", prefix="k" * 12, secret_hash="0" * 64, scopes=[]
    )
    for actor in (
        Actor(user=None, organization=buyer, api_key=key, channel="api"),
        Actor(user=official, organization=buyer),
        Actor(user=person, organization=None),
        Actor(user=person, organization=other_buyer),
        Actor(user=None, organization=buyer),
    ):
        refused(
            PermissionDenied,
            "permission_denied",
            services.committee_key_register,
            actor=actor,
            public_key=public,
        )


@pytest.mark.parametrize(
    "public_key",
    [bytes(31), bytes(33), bytes(32), LOW_ORDER_POINT, b"\x01" + bytes(31)],
    ids=["short", "long", "zero", "order 8", "order 1"],
)
def test_an_unusable_key_is_refused(refused: Any, buyer: Any, public_key: bytes) -> None:
    _person, actor = committee_member(buyer)
    error = refused(
        ValidationFailed,
        "invalid_public_key",
        services.committee_key_register,
        actor=actor,
        public_key=public_key,
    )
    assert error.field == "public_key"


def test_a_key_registered_before_is_refused(refused: Any, buyer: Any) -> None:
    _person, actor = committee_member(buyer)
    _other, other_actor = committee_member(buyer)
    public = factories.key_pair()[1]
    services.committee_key_register(actor=other_actor, public_key=public)
    for who in (actor, other_actor):
        refused(
            ValidationFailed,
            "key_already_registered",
            services.committee_key_register,
            actor=who,
            public_key=public,
        )


def test_a_member_revokes_their_key(buyer: Any, now: dt.datetime) -> None:
    person, actor = committee_member(buyer)
    key, _private = factories.committee_key(buyer, person)

    revoked, rows = new_rows(lambda: services.committee_key_revoke(actor=actor, key=key))

    key.refresh_from_db()
    assert (key.revoked_at, revoked.revoked_at) == (now, now)
    [row] = rows
    assert (row.action, row.actor, row.object_id) == ("committee_key.revoke", person, str(key.pk))
    assert row.summary == {"fingerprint": key.fingerprint}


def test_who_may_not_revoke_a_key(refused: Any, buyer: Any, other_buyer: Any) -> None:
    person, actor = committee_member(buyer)
    key, _private = factories.committee_key(buyer, person)
    _colleague, colleague = committee_member(buyer)
    official = factories.member(buyer, "buyer_official")
    Membership.objects.create(user=person, organization=other_buyer, role="committee_member")
    for who in (
        colleague,
        Actor(user=official, organization=buyer),
        Actor(user=person, organization=other_buyer),
        Actor(user=None, organization=buyer),
    ):
        refused(
            PermissionDenied, "permission_denied", services.committee_key_revoke, actor=who, key=key
        )
    services.committee_key_revoke(actor=actor, key=key)
    refused(
        InvalidTransition, "already_revoked", services.committee_key_revoke, actor=actor, key=key
    )


# ---------------------------------------------------------------------------------------------
# naming a draft's committee


def test_an_official_names_the_committee(
    buyer: Any, official_actor: Actor, now: dt.datetime
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, committee=False)
    keys = [factories.committee_key(buyer)[0] for _ in range(3)]
    order = [keys[2], keys[0], keys[1]]

    named, rows = new_rows(
        lambda: services.tender_committee_set(
            actor=official_actor,
            tender=draft,
            members=[key.user_id for key in order],
            threshold=2,
        )
    )

    draft.refresh_from_db()
    assert (draft.opening_threshold, draft.version, draft.updated_at) == (2, 2, now)
    stored = list(CommitteeMember.objects.filter(tender=draft).order_by("position"))
    assert stored == named
    assert [(m.position, m.user_id, bytes(m.public_key), m.fingerprint) for m in stored] == [
        (position, key.user_id, bytes(key.public_key), key.fingerprint)
        for position, key in enumerate(order, start=1)
    ]
    [row] = rows
    assert (row.action, row.actor, row.object_type, row.object_id) == (
        "tender.committee",
        official_actor.user,
        "tenders.tender",
        str(draft.pk),
    )
    assert row.summary == {
        "threshold": 2,
        "members": [f"{key.user.email} ({key.fingerprint[:16]})" for key in order],
    }


def test_naming_again_replaces_the_committee(buyer: Any, official_actor: Actor) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    newcomer, _private = factories.committee_key(buyer)
    services.tender_committee_set(
        actor=official_actor, tender=draft, members=[newcomer.user_id], threshold=1
    )
    draft.refresh_from_db()
    assert draft.opening_threshold == 1
    assert list(draft.committee.values_list("position", "fingerprint")) == [
        (1, newcomer.fingerprint)
    ]


def test_a_committee_refused_for_its_shape(refused: Any, buyer: Any, official_actor: Actor) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    ids = [key.user_id for key in (factories.committee_key(buyer)[0] for _ in range(3))]
    cases: list[tuple[list[int], Any, str]] = [
        ([], 1, "members"),
        ([ids[0], ids[0]], 1, "members"),
        (list(range(1, 22)), 2, "members"),
        (ids, 0, "threshold"),
        (ids, 4, "threshold"),
        (ids, -1, "threshold"),
        (ids, True, "threshold"),
    ]
    for members, threshold, field in cases:
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.tender_committee_set,
            actor=official_actor,
            tender=draft,
            members=members,
            threshold=threshold,
        )
        assert error.field == field, (members, threshold)


def test_only_committee_members_with_a_key_can_be_named(
    refused: Any, buyer: Any, other_buyer: Any, official_actor: Actor
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    good = factories.committee_key(buyer)[0].user_id
    official = factories.member(buyer, "buyer_official")
    foreign = factories.committee_key(other_buyer)[0].user_id
    inactive_key, _private = factories.committee_key(buyer)
    inactive_key.user.is_active = False
    inactive_key.user.save()
    without_key = factories.member(buyer, "committee_member")
    revoked, _private = factories.committee_key(buyer)
    CommitteeKey.objects.filter(pk=revoked.pk).update(revoked_at=clock.now())
    cases = {
        official.pk: "not_a_committee_member",
        foreign: "not_a_committee_member",
        inactive_key.user_id: "not_a_committee_member",
        2**40: "not_a_committee_member",
        without_key.pk: "no_opening_key",
        revoked.user_id: "no_opening_key",
    }
    for user_id, code in cases.items():
        error = refused(
            ValidationFailed,
            code,
            services.tender_committee_set,
            actor=official_actor,
            tender=draft,
            members=[good, user_id],
            threshold=1,
        )
        assert error.field == "members"
    error = refused(
        ValidationFailed,
        "no_opening_key",
        services.tender_committee_set,
        actor=official_actor,
        tender=draft,
        members=[without_key.pk],
        threshold=1,
    )
    assert str(error.message) == (
        f"{without_key} has no opening key yet: they register one on their page "
        "“My opening key” before they can be named."
    )


def test_who_may_not_name_a_committee(refused: Any, buyer: Any, other_buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    members = list(draft.committee.values_list("user_id", flat=True))
    _person, member_actor = committee_member(buyer)
    for actor in (
        member_actor,
        Actor(user=factories.member(buyer, "auditor"), organization=buyer),
        Actor(user=factories.member(other_buyer, "buyer_official"), organization=other_buyer),
        Actor(user=None, organization=None),
    ):
        refused(
            PermissionDenied,
            "permission_denied",
            services.tender_committee_set,
            actor=actor,
            tender=draft,
            members=members,
            threshold=2,
        )


def test_a_published_committee_cannot_change(
    refused: Any, buyer: Any, official_actor: Actor
) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer)
    members = list(tender.committee.values_list("user_id", flat=True))
    refused(
        InvalidTransition,
        "cannot_edit",
        services.tender_committee_set,
        actor=official_actor,
        tender=tender,
        members=members,
        threshold=1,
    )


# ---------------------------------------------------------------------------------------------
# publication checks the committee


def test_a_draft_without_a_committee_is_not_published(
    refused: Any, buyer: Any, official_actor: Actor
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, committee=False)
    assert services.publication_problems(draft) == [NO_COMMITTEE]
    error = refused(
        ValidationFailed,
        "not_publishable",
        services.tender_publish,
        actor=official_actor,
        tender=draft,
    )
    assert error.errors == {"__all__": [NO_COMMITTEE]}
    with pytest.raises(ValidationFailed) as info:
        services.tender_publish(actor=official_actor, tender=draft)
    assert str(info.value.as_problem()["detail"]) == NO_COMMITTEE


def test_a_member_who_left_or_changed_key_stops_publication(
    refused: Any, buyer: Any, official_actor: Actor
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    first, second, third = draft.committee.select_related("user").order_by("position")
    Membership.objects.filter(user=first.user, organization=buyer).delete()
    factories.committee_key(buyer, second.user)  # a new key revokes the one named
    services.committee_key_revoke(
        actor=Actor(user=third.user, organization=buyer),
        key=CommitteeKey.objects.get(fingerprint=third.fingerprint),
    )
    expected = [
        f"{first.user} (member 1 of the opening committee) is no longer a committee member of "
        "the buyer; name the committee again.",
        f"{second.user} (member 2 of the opening committee) has replaced or revoked the key "
        "named in the committee; name the committee again.",
        f"{third.user} (member 3 of the opening committee) has replaced or revoked the key "
        "named in the committee; name the committee again.",
    ]
    assert services.publication_problems(draft) == expected
    error = refused(
        ValidationFailed,
        "not_publishable",
        services.tender_publish,
        actor=official_actor,
        tender=draft,
    )
    assert error.errors == {"__all__": expected}


def test_a_threshold_above_the_members_stops_publication(buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, committee=(2, 2))
    Tender.objects.filter(pk=draft.pk).update(opening_threshold=3)
    draft.refresh_from_db()
    assert services.publication_problems(draft) == [
        "The opening committee needs 3 members to open the bids but has only 2; name it again."
    ]


def test_a_published_committee_outlives_a_revoked_key(buyer: Any) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer)
    before = list(tender.committee.values_list("position", "user_id", "fingerprint"))
    first = tender.committee.select_related("user").get(position=1)
    services.committee_key_revoke(
        actor=Actor(user=first.user, organization=buyer),
        key=CommitteeKey.objects.get(fingerprint=first.fingerprint),
    )
    assert list(tender.committee.values_list("position", "user_id", "fingerprint")) == before


# ---------------------------------------------------------------------------------------------
# the database's own rules


def _fails(create: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_the_database_refuses_malformed_keys(buyer: Any) -> None:
    person = factories.member(buyer, "committee_member")
    public = factories.key_pair()[1]
    fingerprint = hashlib.sha256(public).hexdigest()

    def key(**values: Any) -> Any:
        fields = {
            "user": person,
            "organization": buyer,
            "public_key": public,
            "fingerprint": fingerprint,
        }
        return lambda: CommitteeKey.objects.create(**{**fields, **values})

    _fails(key(public_key=public[:31]))
    _fails(key(public_key=public + b"\x00"))
    _fails(key(fingerprint=fingerprint.upper()))
    _fails(key(fingerprint=fingerprint[:63]))
    _fails(key(fingerprint=fingerprint[:63] + "g"))
    key()()
    # One active key per person and organization; any number of revoked ones.
    other = factories.key_pair()[1]
    _fails(key(public_key=other, fingerprint=hashlib.sha256(other).hexdigest()))
    key(public_key=other, fingerprint=hashlib.sha256(other).hexdigest(), revoked_at=clock.now())()
    # A fingerprint belongs to one key.
    _fails(key(user=factories.member(buyer, "committee_member")))


def test_the_database_refuses_malformed_committees(buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    first = draft.committee.get(position=1)
    outsider, _private = factories.committee_key(buyer)

    def member(**values: Any) -> Any:
        fields = {
            "tender": draft,
            "position": 4,
            "user": outsider.user,
            "public_key": bytes(outsider.public_key),
            "fingerprint": outsider.fingerprint,
        }
        return lambda: CommitteeMember.objects.create(**{**fields, **values})

    _fails(member(position=0))
    _fails(member(position=1))
    _fails(member(user=first.user))
    _fails(member(fingerprint=first.fingerprint))
    _fails(member(public_key=bytes(31)))
    _fails(member(fingerprint="not hex"))
    member()()
    _fails(lambda: Tender.objects.filter(pk=draft.pk).update(opening_threshold=0))


# ---------------------------------------------------------------------------------------------
# the committee in the tender's OCDS releases


def releases_of(tender: Tender) -> list[dict[str, Any]]:
    return [
        orjson.loads(data)
        for data in Release.objects.filter(ocid=tender.ocid)
        .order_by("seq")
        .values_list("data", flat=True)
    ]


def test_the_release_publishes_the_committee_without_names(buyer: Any) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer, committee=(3, 2))
    members = list(tender.committee.select_related("user").order_by("position"))
    [release] = releases_of(tender)
    assert release["tender"]["openingCommittee"] == {
        "threshold": 2,
        "members": [
            {
                "id": str(member.position),
                "position": member.position,
                "publicKey": b64(bytes(member.public_key)),
                "fingerprint": member.fingerprint,
            }
            for member in members
        ],
    }
    for member in members:
        published = release["tender"]["openingCommittee"]["members"][member.position - 1]
        raw = base64.urlsafe_b64decode(published["publicKey"] + "=")
        assert hashlib.sha256(raw).hexdigest() == published["fingerprint"]
    text = Release.objects.get(ocid=tender.ocid).data
    for member in members:
        assert member.user.email not in text
        assert member.user.full_name not in text
    assert publication.validator().validate_release(release) == []


def test_the_compiled_release_keeps_one_entry_per_member(
    buyer: Any, official_actor: Actor, now: dt.datetime
) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer)
    with clock.at(now + DAY):
        services.tender_amend(
            actor=official_actor,
            tender=tender,
            data=services.AmendmentData(reason="Errata", title="Computadores portátiles"),
        )
    with clock.at(tender.submission_deadline + dt.timedelta(minutes=1)):
        services.tender_close_if_due(tender_id=tender.pk)
    releases = releases_of(tender)
    assert len(releases) == 3
    committee = releases[0]["tender"]["openingCommittee"]
    assert [release["tender"]["openingCommittee"] for release in releases] == [committee] * 3
    record = Record.objects.get(ocid=tender.ocid)
    assert record.compiled["tender"]["openingCommittee"] == committee
    assert len(record.versioned["tender"]["openingCommittee"]["members"]) == 3
    assert publication.validator().validate_release(record.compiled) == []
