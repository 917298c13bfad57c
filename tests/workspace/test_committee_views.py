"""The opening committee's pages: a buyer official names a draft's committee; a committee
member registers, replaces and revokes their opening key. Each refused step is checked by its
status and by every row being exactly as it was."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pregon.accounts.models import Membership
from pregon.core import clock
from pregon.core.models import AuditEvent
from pregon.tenders.models import CommitteeKey
from tests import factories
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def committee_url(tender: Any) -> str:
    return reverse("workspace:tender_committee", kwargs={"pk": tender.pk})


# ---------------------------------------------------------------------------------------------
# the buyer names a draft's committee


def test_the_form_offers_committee_members_with_a_key(buyer: Any, official: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, committee=False)
    keys = sorted(
        (factories.committee_key(buyer)[0] for _ in range(3)),
        key=lambda key: str(key.user).casefold(),
    )
    waiting = factories.member(buyer, "committee_member", full_name="Zoila Espera Llave")
    factories.member(buyer, "auditor")
    factories.committee_key(factories.BuyerFactory())

    page = signed_in(official).get(committee_url(draft))

    assert page.status_code == 200
    form = page.context["form"]
    assert [value for value, _label in form.fields["members"].choices] == [k.user_id for k in keys]
    # With no committee yet, everyone offered is chosen, one fewer needed than there are.
    assert form.initial == {"members": [k.user_id for k in keys], "threshold": 2}
    assert "Zoila Espera Llave" in page.content.decode()
    assert [person.pk for person in page.context["without_key"]] == [waiting.pk]
    for key in keys:
        assert key.fingerprint[:16] in page.content.decode()
    assert b"so that one absent member does not block the opening" in page.content


def test_an_official_names_the_committee_through_the_page(buyer: Any, official: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, committee=False)
    keys = sorted(
        (factories.committee_key(buyer)[0] for _ in range(3)),
        key=lambda key: str(key.user).casefold(),
    )
    client = signed_in(official)

    # The boxes come back in any order; positions follow the list.
    response = client.post(
        committee_url(draft), {"members": [keys[2].user_id, keys[0].user_id], "threshold": "1"}
    )

    assert response.status_code == 302
    assert (
        response["Location"] == reverse("workspace:tender", kwargs={"pk": draft.pk}) + "#committee"
    )
    draft.refresh_from_db()
    assert draft.opening_threshold == 1
    assert list(draft.committee.values_list("position", "fingerprint")) == [
        (1, keys[0].fingerprint),
        (2, keys[2].fingerprint),
    ]
    assert AuditEvent.objects.filter(action="tender.committee", actor=official).count() == 1
    page = client.get(reverse("workspace:tender", kwargs={"pk": draft.pk}))
    text = page.content.decode()
    assert "Needed to open the bids: 1 of 2 members." in text
    assert keys[0].fingerprint in text and keys[2].fingerprint in text
    assert committee_url(draft) in text and "Change the opening committee…" in text


def test_a_refused_committee_is_shown_on_the_form(buyer: Any, official: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    members = list(draft.committee.values_list("user_id", flat=True))
    client = signed_in(official)
    cases = [
        ({"members": members, "threshold": "4"}, "threshold", 422),
        ({"members": members, "threshold": "0"}, "threshold", 422),
        ({"members": [], "threshold": "1"}, "members", 422),
        ({"members": [members[0], 2**40], "threshold": "1"}, "members", 422),
    ]
    for data, field, status in cases:
        before = database_snapshot()
        response = client.post(committee_url(draft), data)
        assert response.status_code == status, data
        assert field in response.context["form"].errors, data
        assert database_snapshot() == before
    response = client.post(committee_url(draft), {"members": members, "threshold": "4"})
    assert response.context["form"].errors["threshold"] == [
        "The number of members needed to open the bids must be between 1 and 3, the number of "
        "members named."
    ]


def test_who_may_open_the_committee_form(buyer: Any, other_buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    published = factories.TenderOpenFactory(buyer=buyer)
    url = committee_url(draft)
    for role in ("committee_member", "auditor"):
        client = signed_in(factories.member(buyer, role))
        assert client.get(url).status_code == 403, role
        assert client.post(url, {"members": [], "threshold": "1"}).status_code == 403, role
    stranger = signed_in(factories.member(other_buyer, "buyer_official"))
    assert stranger.get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))

    official = signed_in(factories.member(buyer, "buyer_official"))
    response = official.get(committee_url(published))
    assert response.status_code == 302
    before = database_snapshot()
    members = list(published.committee.values_list("user_id", flat=True))
    response = official.post(committee_url(published), {"members": members, "threshold": "1"})
    assert response.status_code == 409
    assert database_snapshot() == before


def test_the_tender_page_says_when_there_is_no_committee(buyer: Any, official: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, committee=False)
    page = signed_in(official).get(reverse("workspace:tender", kwargs={"pk": draft.pk}))
    text = page.content.decode()
    assert "No opening committee yet. The tender cannot be published without one." in text
    assert "Name the opening committee…" in text
    publish = signed_in(official).get(reverse("workspace:tender_publish", kwargs={"pk": draft.pk}))
    assert publish.context["problems"] == [
        "Name the opening committee: the members who will open the bids together, and how many "
        "of them are needed."
    ]


# ---------------------------------------------------------------------------------------------
# a committee member's opening key


def key_url() -> str:
    return reverse("committee:opening_key")


def test_a_member_registers_and_replaces_their_key(buyer: Any, now: dt.datetime) -> None:
    person = factories.member(buyer, "committee_member")
    client = signed_in(person)

    page = client.get(key_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "You have no opening key yet." in text
    assert '<script src="/static/bids/sealing.js" defer></script>' in text
    assert '<script src="/static/workspace/opening_key.js" defer></script>' in text
    # The passphrases and the key file are never part of the form that is posted.
    for element in re.findall(r"<input[^>]*>", text):
        if "opening-key-" in element:
            assert " name=" not in element, element
    assert re.search(r'<div id="opening-key-generator"[^>]*\shidden', text)

    public = factories.key_pair()[1]
    response = client.post(key_url(), {"public_key": b64(public)})
    assert response.status_code == 302
    first = CommitteeKey.objects.get(user=person)
    assert (first.organization, bytes(first.public_key)) == (buyer, public)
    page = client.get(key_url())
    assert first.fingerprint in page.content.decode()
    assert [str(m) for m in page.context["messages"]] == [
        "Your opening key is registered; its fingerprint begins with "
        f"{first.fingerprint[:16]}. Keep your key file and its passphrase safe: without them "
        "you cannot take part in an opening."
    ]

    replacement = factories.key_pair()[1]
    assert client.post(key_url(), {"public_key": b64(replacement) + "="}).status_code == 302
    first.refresh_from_db()
    assert first.revoked_at == now
    active = CommitteeKey.objects.get(user=person, revoked_at__isnull=True)
    assert active.fingerprint == hashlib.sha256(replacement).hexdigest()
    page = client.get(key_url())
    assert page.context["active_key"] == active
    assert page.context["revoked_keys"] == [first]


def test_a_refused_key_is_shown_on_the_form(buyer: Any) -> None:
    person = factories.member(buyer, "committee_member")
    taken = factories.committee_key(buyer)[0]
    client = signed_in(person)
    cases = [
        ("", "Paste the public key of your key pair."),
        ("not a key", None),
        (b64(bytes(32)), None),
        (b64(bytes(taken.public_key)), None),
    ]
    for text, message in cases:
        before = database_snapshot()
        response = client.post(key_url(), {"public_key": text})
        assert response.status_code == 422, text
        errors = response.context["form"].errors["public_key"]
        assert len(errors) == 1
        if message:
            assert errors == [message]
        assert database_snapshot() == before


def test_a_member_revokes_their_key(buyer: Any, now: dt.datetime) -> None:
    person = factories.member(buyer, "committee_member")
    key, _private = factories.committee_key(buyer, person)
    other, _private = factories.committee_key(buyer)
    client = signed_in(person)
    revoke = reverse("committee:opening_key_revoke", kwargs={"key_pk": key.pk})

    assert client.get(revoke).status_code == 405
    before = database_snapshot()
    foreign = reverse("committee:opening_key_revoke", kwargs={"key_pk": other.pk})
    assert client.post(foreign).status_code == 404
    assert database_snapshot() == before

    response = client.post(revoke, follow=True)
    assert response.redirect_chain == [(key_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Your opening key is revoked. Register a new one before a buyer names you to another "
        "opening committee."
    ]
    key.refresh_from_db()
    assert key.revoked_at == now
    again = client.post(revoke, follow=True)
    assert [str(m) for m in again.context["messages"]] == ["This opening key is already revoked."]


def test_only_committee_members_have_an_opening_key_page(buyer: Any, supplier_user: Any) -> None:
    for person in (factories.member(buyer, "buyer_official"), factories.member(buyer, "auditor")):
        client = signed_in(person)
        assert client.get(key_url()).status_code == 403
        before = database_snapshot()
        response = client.post(key_url(), {"public_key": b64(factories.key_pair()[1])})
        assert response.status_code == 403
        assert database_snapshot() == before
    assert signed_in(supplier_user).get(key_url()).status_code == 403
    anonymous = Client().get(key_url())
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))


def test_the_navigation_leads_committee_members_to_their_key(buyer: Any, official: Any) -> None:
    person = factories.member(buyer, "committee_member")
    home = signed_in(person).get(reverse("workspace:home"))
    assert f'href="{key_url()}"' in home.content.decode()
    official_home = signed_in(official).get(reverse("workspace:home"))
    assert f'href="{key_url()}"' not in official_home.content.decode()


def test_the_key_page_acts_for_the_chosen_buyer(buyer: Any, other_buyer: Any) -> None:
    person = factories.member(buyer, "committee_member")
    Membership.objects.create(user=person, organization=other_buyer, role="committee_member")
    client = signed_in(person)
    client.post(reverse("workspace:switch"), {"organization": other_buyer.pk, "next": key_url()})
    assert client.get(key_url()).context["workspace"].organization == other_buyer
    client.post(key_url(), {"public_key": b64(factories.key_pair()[1])})
    assert CommitteeKey.objects.get(user=person).organization == other_buyer
