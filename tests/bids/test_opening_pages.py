"""The committee's opening page and the public opening record on the tender's page."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pregon.bids.models import Opening, ShareHandIn
from pregon.core import clock
from pregon.organizations.models import Organization
from pregon.tlog.jcs import canonical_bytes
from tests import factories
from tests.bids.opening_world import MARKER, OpeningWorld, offer, opening_world
from tests.test_translations import compile_catalogs

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opening_world(buyer)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(world: OpeningWorld) -> str:
    return reverse("opening:committee", kwargs={"pk": world.tender.pk})


def _shares_json(shares: list[tuple[Any, bytes]]) -> str:
    return json.dumps({"shares": [{"bid": str(b.pk), "share": _b64(s)} for b, s in shares]})


def _text(response: Any) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# the committee's page


def test_a_member_sees_the_sealed_bids_by_number_only(world: OpeningWorld) -> None:
    with clock.at(world.at):
        response = _client(world.committee[1].user).get(_page(world))

    assert response.status_code == 200
    page = _text(response)
    for number in range(1, 5):
        assert f"Bid {number}</th>" in page
    for made in world.offers:
        assert made.supplier.display_name not in page
        assert made.bid.commitment[:16] in page
    assert f'data-fingerprint="{world.committee[1].fingerprint}"' in page
    assert 'src="/static/bids/sealing.js"' in page
    assert 'src="/static/bids/opening.js"' in page
    assert "pregon keys open-shares --url http://testserver --tender " + world.tender.ocid in page
    # The key section is the script's: hidden without it, and its inputs are never sent.
    assert '<div id="opening-decrypt" hidden' in page
    assert 'id="opening-key-passphrase" type="password"' in page
    assert 'name="passphrase"' not in page
    assert "0 of the 3 members have handed in shares; 2 are needed." in page
    assert (
        "At least 2 more members must hand in their shares, or declare that they cannot "
        "decrypt them, before the bids open." in page
    )


def test_before_the_opening_time_the_page_says_when(world: OpeningWorld) -> None:
    with clock.at(world.tender.opening_at - dt.timedelta(hours=1)):
        response = _client(world.committee[0].user).get(_page(world))

    assert response.status_code == 200
    page = _text(response)
    assert "The opening has not started" in page
    assert 'id="opening-hand-in"' not in page


@pytest.mark.parametrize("role", ["buyer_official", "committee_member", "auditor"])
def test_the_buyers_other_people_are_refused(world: OpeningWorld, role: str) -> None:
    person = factories.member(world.tender.buyer, role)
    with clock.at(world.at):
        page = _client(person).get(_page(world))
        envelopes = _client(person).get(
            reverse("opening:envelopes", kwargs={"pk": world.tender.pk})
        )

    assert (page.status_code, envelopes.status_code) == (403, 403)


def test_an_anonymous_visitor_is_sent_to_sign_in(world: OpeningWorld) -> None:
    response = Client().get(_page(world))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_member_without_multi_factor_sign_in_is_sent_to_set_it_up(
    world: OpeningWorld, settings: Any
) -> None:
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = True

    with clock.at(world.at):
        response = _client(world.committee[0].user).get(_page(world))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_envelopes_download_for_the_page_script(world: OpeningWorld) -> None:
    with clock.at(world.at):
        response = _client(world.committee[0].user).get(
            reverse("opening:envelopes", kwargs={"pk": world.tender.pk})
        )

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{world.tender.ocid}-envelopes.json"'
    )
    assert response.json() == {
        "tender": world.tender.ocid,
        "bids": [
            {"id": str(made.bid.pk), "envelope": _b64(made.sealed.envelope)}
            for made in world.offers
        ],
    }


# ---------------------------------------------------------------------------------------------
# handing in from the page


def test_members_hand_in_from_the_page_and_the_record_appears(world: OpeningWorld) -> None:
    with clock.at(world.at):
        first = _client(world.committee[0].user).post(
            _page(world), {"shares": _shares_json(world.shares(1))}, follow=True
        )
        assert "The platform holds 4 shares of yours. At least 1 more member must hand in" in (
            _text(first)
        )
        assert "1 of the 3 members has handed in shares; 2 are needed." in _text(first)
        # The third member decrypted with the pregon command: a shares file, without script.
        upload = SimpleUploadedFile(
            "shares.json", _shares_json(world.shares(3)).encode(), "application/json"
        )
        second = _client(world.committee[2].user).post(
            _page(world), {"shares_file": upload}, follow=True
        )

    assert second.redirect_chain == [(world.tender.get_absolute_url() + "#opening", 302)]
    page = _text(second)
    assert "The bids are open: the opening record is published on the tender" in page
    for made in world.offers:
        assert made.supplier.display_name in page
    assert "Prices offered for lot 1" in page
    assert "Prices offered for lot 2" in page
    assert "<dt>Bids received</dt><dd>4</dd>" in page
    assert "<dt>Bids from micro, small and medium enterprises</dt><dd>3</dd>" in page
    assert "<dt>Bids from cooperatives</dt><dd>1</dd>" in page
    assert "The opening record (JSON), exactly as logged" in page
    assert MARKER not in page  # answers and documents are not part of the public record


def test_a_hand_in_after_the_bids_opened_is_told_so_and_keeps_nothing(
    world: OpeningWorld,
) -> None:
    third = world.shares(3)  # decrypted while the bids were sealed, handed in too late
    with clock.at(world.at):
        for position in (1, 2):
            _client(world.committee[position - 1].user).post(
                _page(world), {"shares": _shares_json(world.shares(position))}
            )
        late = _client(world.committee[2].user).post(
            _page(world), {"shares": _shares_json(third)}, follow=True
        )

    assert late.redirect_chain == [(world.tender.get_absolute_url() + "#opening", 302)]
    assert "The bids were opened before your hand-in: your shares were not needed." in _text(late)
    assert not ShareHandIn.objects.filter(member=world.committee[2]).exists()


def test_a_wrong_share_from_the_page_is_shown_and_nothing_is_kept(world: OpeningWorld) -> None:
    shares = world.shares(2)
    victim = shares[0][0]
    shares[0] = (victim, bytes(33))

    with clock.at(world.at):
        response = _client(world.committee[1].user).post(
            _page(world), {"shares": _shares_json(shares)}
        )

    assert response.status_code == 422
    assert (
        f"The share handed in by member 2 for bid {victim.pk} is not the share sealed to that "
        "member in the bid." in _text(response)
    )
    assert not ShareHandIn.objects.exists()


def test_a_file_that_is_not_a_shares_file_is_refused(world: OpeningWorld) -> None:
    upload = SimpleUploadedFile("key.json", b'{"format": "pregon-committee-key/1"}')

    with clock.at(world.at):
        response = _client(world.committee[0].user).post(_page(world), {"shares_file": upload})

    assert response.status_code == 422
    assert "This is not a list of shares" in _text(response)


def test_without_bids_the_page_opens_an_empty_record(buyer: Organization) -> None:
    world = opening_world(buyer, bidders=False)

    with clock.at(world.at):
        page = _client(world.committee[0].user).get(_page(world))
        assert "{&quot;shares&quot;: []}</textarea>" in _text(page)
        assert "Open the bids (there are none)" in _text(page)
        response = _client(world.committee[0].user).post(_page(world), {"shares": '{"shares": []}'})

    assert response.status_code == 302
    assert Opening.objects.get(tender=world.tender).status == "opened"


# ---------------------------------------------------------------------------------------------
# the tender's page


@pytest.mark.parametrize("who", ["anonymous", "buyer_official", "committee_member"])
def test_before_the_opening_nobody_sees_who_bid_on_the_tender_page(
    world: OpeningWorld, who: str
) -> None:
    client = Client()
    if who == "committee_member":
        client.force_login(world.committee[0].user)
    elif who != "anonymous":
        client.force_login(factories.member(world.tender.buyer, who))

    with clock.at(world.at):
        # One member handed in: still sealed.
        _client(world.committee[1].user).post(
            _page(world), {"shares": _shares_json(world.shares(2))}
        )
        response = client.get(world.tender.get_absolute_url())

    page = _text(response)
    assert response.status_code == 200
    assert "The bids are sealed: nobody, not even the buyer" in page
    for made in world.offers:
        assert made.supplier.display_name not in page
    link = 'href="' + _page(world) + '"'
    assert (link in page) == (who == "committee_member")


def test_the_tender_page_names_bids_that_could_not_be_decrypted(
    buyer: Organization, settings: Any, tmp_path: Path
) -> None:
    compile_catalogs(tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    world = opening_world(buyer, bidders=False)
    lots = [{"lot": "1", "amount": "10", "currency": world.tender.currency}]
    honest = offer(world, factories.SupplierFactory(legal_name="Honesta SpA"), lots)
    value = json.loads(honest.sealed.envelope)
    value["nonce"] = _b64(bytes(12))
    offer(
        world,
        factories.SupplierFactory(legal_name="Dañada SpA"),
        lots,
        envelope=canonical_bytes(value),
        sealed=honest.sealed,
    )

    with clock.at(world.at):
        for position in (1, 2):
            _client(world.committee[position - 1].user).post(
                _page(world), {"shares": _shares_json(world.shares(position))}
            )
    response = Client().get(
        world.tender.get_absolute_url().replace("/en/", "/es/"), headers={"Accept-Language": "es"}
    )

    page = _text(response)
    assert "Ofertas que no se pudieron descifrar" in page
    assert (
        "<strong>Dañada SpA</strong>: La clave reconstruida con las partes del comité no la "
        "descifra: su texto cifrado fue alterado o el oferente la selló mal." in page
    )
