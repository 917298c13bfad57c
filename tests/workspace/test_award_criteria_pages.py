"""The award criteria on the buyer's pages and the public tender page (issue 11, item 1),
through Django's test client, as a browser without scripts sends them: the rows of weighted
criteria, a button that adds one, a box that removes one, the total, and the refusals in the
person's language. (tests/browser/test_award_criteria.py runs the same form in Chromium, with
and without JavaScript.)"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pregon.core import clock
from pregon.tenders.models import AwardCriterion, Tender
from tests import factories
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
SANTIAGO = ZoneInfo("America/Santiago")


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, language: str = "es", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def local(moment: dt.datetime) -> str:
    return moment.astimezone(SANTIAGO).strftime("%Y-%m-%dT%H:%M")


def rows(*criteria: tuple[str, str, str, str]) -> dict[str, str]:
    """The formset as the page sends it: (name, kind, weight, description) per row."""
    data = {"criteria-TOTAL_FORMS": str(len(criteria)), "criteria-INITIAL_FORMS": "0"}
    for index, (name, kind, weight, description) in enumerate(criteria):
        prefix = f"criteria-{index}-"
        data |= {
            prefix + "name": name,
            prefix + "kind": kind,
            prefix + "weight": weight,
            prefix + "description": description,
        }
    return data


def draft_fields(**changes: str) -> dict[str, str]:
    data = {
        "reference": "LIC-2026-0901",
        "title": "Servicio de aseo",
        "description": "Aseo de 8 edificios municipales por 24 meses.",
        "language": "es",
        "method": "open",
        "category": "services",
        "estimated_value": "120000000",
        "currency": "CLP",
        "award_criteria": "ratedCriteria",
        "price_scoring": "linear",
        "award_criteria_details": "",
        "enquiry_end": "2031-03-10T12:00",
        "submission_deadline": "2031-03-20T15:00",
        "opening_at": "2031-03-20T16:00",
    }
    data.update(changes)
    return data


GOOD_ROWS = rows(
    ("Precio", "price", "70", ""),
    ("Plan de trabajo", "quality", "30", "Frecuencias y dotación."),
)


def criteria_of(tender: Tender) -> list[tuple[str, str, int, str]]:
    return [
        (row.name, row.kind, row.weight, row.description)
        for row in AwardCriterion.objects.filter(tender=tender).order_by("position")
    ]


def names(response: Any) -> list[str]:
    """The names typed in the rows shown, in order."""
    return re.findall(r'name="criteria-\d+-name"[^>]*value="([^"]*)"', response.content.decode())


# ---------------------------------------------------------------------------------------------
# the draft's form


def test_the_new_draft_form_offers_both_ways_and_starts_with_two_rows(official: Any) -> None:
    page = signed_in(official).get(url("workspace:tender_create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="radio" name="award_criteria" value="priceOnly"' in html
    assert 'type="radio" name="award_criteria" value="ratedCriteria"' in html
    assert "Proporcional al precio más bajo: puntos = W × L ÷ P" in html
    assert page.context["criteria"].total_form_count() == 2
    assert names(page) == ["Precio"]
    assert "Total: aún sin ponderaciones (deben sumar 100 puntos)." in html
    assert "Agregar un criterio" in html


def test_a_row_is_added_without_saving_and_without_errors(official: Any) -> None:
    client = signed_in(official)
    before = database_snapshot()
    data = draft_fields(title="") | rows(
        ("Precio", "price", "60", ""),
        ("Experiencia", "quality", "25", ""),
        ("Borrar esta", "quality", "15", ""),
    )
    data["criteria-2-DELETE"] = "on"
    data["criteria_add"] = "1"
    page = client.post(url("workspace:tender_create"), data)
    assert page.status_code == 200
    assert database_snapshot() == before
    # The rows as typed, the removed one left out, and a new empty one, focused.
    assert names(page) == ["Precio", "Experiencia"]
    assert page.context["criteria"].total_form_count() == 3
    html = page.content.decode()
    assert re.search(r'name="criteria-2-name"[^>]*autofocus', html)
    assert "Total: 85 de 100 puntos." in html
    # Nothing was submitted yet: no complaint, not even about the empty title.
    assert "usa-error-message" not in html
    assert page.context["form"]["reference"].value() == "LIC-2026-0901"


def test_a_draft_is_saved_with_its_weighted_criteria(official: Any, buyer: Any) -> None:
    response = signed_in(official).post(url("workspace:tender_create"), draft_fields() | GOOD_ROWS)
    assert response.status_code == 302
    tender = Tender.objects.get(reference="LIC-2026-0901")
    assert (tender.award_criteria, tender.price_scoring) == ("ratedCriteria", "linear")
    assert criteria_of(tender) == [
        ("Precio", "price", 70, ""),
        ("Plan de trabajo", "quality", 30, "Frecuencias y dotación."),
    ]


def test_empty_rows_are_left_out_and_lowest_price_ignores_the_rows(official: Any) -> None:
    data = draft_fields(award_criteria="priceOnly") | rows(
        ("Precio", "price", "80", ""), ("", "quality", "", "")
    )
    response = signed_in(official).post(url("workspace:tender_create"), data)
    assert response.status_code == 302
    tender = Tender.objects.get(reference="LIC-2026-0901")
    assert (tender.award_criteria, tender.price_scoring, criteria_of(tender)) == (
        "priceOnly",
        "",
        [],
    )


@pytest.mark.parametrize(
    ("language", "weights", "message", "total"),
    [
        (
            "es",
            ("70", "20"),
            "Las ponderaciones suman 90 puntos; deben sumar exactamente 100.",
            "Total: 90 de 100 puntos.",
        ),
        (
            "pt-br",
            ("70", "40"),
            "Os pesos somam 110 pontos; devem somar exatamente 100.",
            "Total: 110 de 100 pontos.",
        ),
        (
            "fr",
            ("70", "20"),
            "Les pondérations totalisent 90 points\u00a0; elles doivent totaliser exactement 100.",
            "Total\u00a0: 90 sur 100 points.",
        ),
        (
            "en",
            ("70", "20"),
            "The weights add up to 90 points; they must add up to exactly 100.",
            "Total: 90 of 100 points.",
        ),
    ],
)
def test_weights_that_do_not_add_up_are_refused_in_the_person_s_language(
    official: Any, language: str, weights: tuple[str, str], message: str, total: str
) -> None:
    client = signed_in(official)
    before = database_snapshot()
    data = draft_fields() | rows(
        ("Precio", "price", weights[0], ""), ("Plan de trabajo", "quality", weights[1], "")
    )
    page = client.post(url("workspace:tender_create", language), data)
    assert page.status_code == 422
    assert database_snapshot() == before
    assert list(page.context["criteria"].non_form_errors()) == [message]
    html = page.content.decode()
    assert f'id="criteria-error" role="alert">{message}</span>' in html.replace("&#x27;", "'")
    assert total in html
    # What was typed is still there.
    assert names(page) == ["Precio", "Plan de trabajo"]


def test_two_price_criteria_are_refused(official: Any) -> None:
    data = draft_fields() | rows(
        ("Precio", "price", "50", ""),
        ("Precio de repuestos", "price", "20", ""),
        ("Plan de trabajo", "quality", "30", ""),
    )
    page = signed_in(official).post(url("workspace:tender_create"), data)
    assert page.status_code == 422
    assert list(page.context["criteria"].non_form_errors()) == [
        "Hay 2 criterios de precio; los criterios ponderados tienen exactamente uno."
    ]
    assert not Tender.objects.exists()


def test_a_row_without_its_weight_is_refused_on_the_row(official: Any) -> None:
    data = draft_fields() | rows(("Precio", "price", "100", ""), ("Plan", "quality", "", ""))
    page = signed_in(official).post(url("workspace:tender_create"), data)
    assert page.status_code == 422
    assert page.context["criteria"].forms[1].errors == {
        "weight": ["Indique la ponderación de este criterio."]
    }
    assert not Tender.objects.exists()


def test_the_edit_form_shows_the_stored_criteria_and_replaces_them(
    official: Any, buyer: Any
) -> None:
    tender = factories.TenderDraftFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    client = signed_in(official)
    page = client.get(url("workspace:tender_edit", pk=tender.pk))
    assert names(page) == ["Precio ofertado", "Experiencia del equipo", "Plazo de entrega"]
    assert page.context["form"]["award_criteria"].value() == "ratedCriteria"
    assert "Total: 100 de 100 puntos." in page.content.decode()
    fields = {
        name: (local(value) if isinstance(value, dt.datetime) else str(value))
        for name, value in page.context["form"].initial.items()
        if value is not None  # an empty field is posted empty, as a browser does
    }
    fields["price_scoring"] = "proportional"
    response = client.post(url("workspace:tender_edit", pk=tender.pk), fields | GOOD_ROWS)
    assert response.status_code == 302
    assert criteria_of(tender) == [
        ("Precio", "price", 70, ""),
        ("Plan de trabajo", "quality", 30, "Frecuencias y dotación."),
    ]


@pytest.mark.parametrize("role", ["committee_member", "auditor"])
def test_readers_of_the_buyer_cannot_change_the_criteria(
    buyer: Any, draft: Tender, role: str
) -> None:
    client = signed_in(factories.member(buyer, role))
    before = database_snapshot()
    assert client.get(url("workspace:tender_edit", pk=draft.pk)).status_code == 403
    response = client.post(url("workspace:tender_edit", pk=draft.pk), draft_fields() | GOOD_ROWS)
    assert response.status_code == 403
    assert database_snapshot() == before


def test_another_buyer_s_official_does_not_find_the_draft(other_buyer: Any, draft: Tender) -> None:
    outsider = factories.member(other_buyer, "buyer_official")
    response = signed_in(outsider).post(
        url("workspace:tender_edit", pk=draft.pk), draft_fields() | GOOD_ROWS
    )
    assert response.status_code == 404
    assert criteria_of(draft) == []


# ---------------------------------------------------------------------------------------------
# the amendment page


def _amend_fields(tender: Tender, **changes: str) -> dict[str, str]:
    data = {
        "reason": "Se pondera la calidad del servicio.",
        "title": tender.title,
        "description": tender.description,
        "estimated_value": str(tender.estimated_value),
        "award_criteria": "ratedCriteria",
        "price_scoring": "proportional",
        "award_criteria_details": "",
        "enquiry_end": local(tender.enquiry_end),
        "submission_deadline": local(tender.submission_deadline),
        "opening_at": local(tender.opening_at),
        "document_title": "",
        "document_type": "biddingDocuments",
    }
    data.update(changes)
    return data


def test_an_amendment_that_changes_the_criteria_must_move_the_deadline(
    official: Any, buyer: Any, now: dt.datetime
) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer, submission_deadline=now + 30 * DAY)
    client = signed_in(official)
    page = client.get(url("workspace:tender_amend", pk=tender.pk))
    assert page.status_code == 200
    assert "deben sumar 100" in page.content.decode()

    before = database_snapshot()
    refused = client.post(
        url("workspace:tender_amend", pk=tender.pk), _amend_fields(tender) | GOOD_ROWS
    )
    assert refused.status_code == 422
    assert database_snapshot() == before
    assert refused.context["form"].errors["submission_deadline"] == [
        "Los criterios de adjudicación se publicaron con la licitación: solo pueden cambiar en "
        "una enmienda que posterga el plazo de presentación de ofertas. Indique un plazo "
        "posterior en esta enmienda."
    ]
    assert names(refused) == ["Precio", "Plan de trabajo"]

    later = tender.submission_deadline + 10 * DAY
    response = client.post(
        url("workspace:tender_amend", pk=tender.pk),
        _amend_fields(
            tender,
            submission_deadline=local(later),
            opening_at=local(later + dt.timedelta(hours=1)),
        )
        | GOOD_ROWS,
    )
    assert response.status_code == 302
    tender.refresh_from_db()
    assert (tender.award_criteria, tender.price_scoring) == ("ratedCriteria", "proportional")
    assert criteria_of(tender)[0] == ("Precio", "price", 70, "")
    assert tender.submission_deadline.replace(second=0) == later.replace(second=0)
    # The public page lists what the amendment changed, the criteria among it.
    public = Client().get(url("tenders:detail", pk=tender.pk)).content.decode()
    amendments = public[public.index('id="amendments"') :]
    assert "Criterios ponderados" in amendments
    assert (
        "Precio (price, 70); Plan de trabajo (quality, 30): Frecuencias y dotación." in amendments
    )


def test_an_amendment_page_without_criteria_changes_leaves_them(
    official: Any, buyer: Any, now: dt.datetime
) -> None:
    tender = factories.TenderOpenFactory(
        buyer=buyer, criteria=factories.WEIGHTED_CRITERIA, submission_deadline=now + 30 * DAY
    )
    stored = criteria_of(tender)
    client = signed_in(official)
    page = client.get(url("workspace:tender_amend", pk=tender.pk))
    shown = rows(*[(name, kind, str(weight), text) for name, kind, weight, text in stored])
    response = client.post(
        url("workspace:tender_amend", pk=tender.pk),
        _amend_fields(tender, title="Servicio de aseo integral") | shown,
    )
    assert page.status_code == 200
    assert response.status_code == 302
    assert criteria_of(tender) == stored
    assert "criteria" not in tender.amendments.get().changes


# ---------------------------------------------------------------------------------------------
# the pages that show them


def test_the_public_page_shows_the_criteria_and_the_formula(buyer: Any) -> None:
    tender = factories.TenderOpenFactory(
        buyer=buyer, criteria=factories.WEIGHTED_CRITERIA, award_criteria_details="Empate: sorteo."
    )
    html = Client().get(url("tenders:detail", pk=tender.pk)).content.decode()
    section = html[html.index('id="award-criteria"') : html.index('id="lots"')]
    assert "Criterios ponderados (precio y calidad)" in html
    for text in (
        "Precio ofertado",
        "Experiencia del equipo",
        "la comisión evaluadora (calidad)",
        "la fórmula de precio",
        "Proporcional al precio más bajo.",
        "Puntos de precio = W × L ÷ P",
        "Notas sobre la evaluación",
        "Empate: sorteo.",
    ):
        assert text in section, text
    assert re.findall(r'class="text-right">(\d+)</td>', section) == ["60", "30", "10"]


def test_the_public_page_of_a_lowest_price_tender_says_so(open_tender: Tender) -> None:
    html = Client().get(url("tenders:detail", "fr", pk=open_tender.pk)).content.decode()
    assert (
        "Prix le plus bas\u00a0: chaque lot est attribué à l'offre conforme au prix le plus bas."
        in html.replace("&#x27;", "'")
    )


def test_the_buyer_s_page_shows_the_criteria_and_how_to_change_them(
    official: Any, buyer: Any
) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    published = factories.TenderOpenFactory(buyer=buyer, criteria=factories.WEIGHTED_CRITERIA)
    client = signed_in(official)
    draft_page = client.get(url("workspace:tender", pk=draft.pk)).content.decode()
    assert "Cambiar los criterios de adjudicación…" in draft_page
    assert "Plazo de entrega" in draft_page
    published_page = client.get(url("workspace:tender", pk=published.pk)).content.decode()
    assert "Cambiar los criterios de adjudicación…" not in published_page
    assert "solo cambian mediante una enmienda que posterga" in published_page
