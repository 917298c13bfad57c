"""The public tender pages: the filtered list, the tender page, documents and questions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.models import AuditEvent
from pregon.tenders import services
from pregon.tenders.models import Item, Question, Tender
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def listed(response: Any) -> set[int]:
    """The tenders on the list page shown (the list is the portal's search)."""
    return {row.tender.pk for row in response.context["page"].object_list}


def buyer_actor(tender: Tender) -> Actor:
    official = tender.buyer.memberships.get(role="buyer_official").user
    return Actor(user=official, organization=tender.buyer, ip_address="192.0.2.10")


# ---------------------------------------------------------------------------------------------
# the list and its filters


@pytest.fixture
def world() -> dict[str, Tender]:
    """Tenders that differ in one respect each, plus a draft that must never show."""
    chile = factories.BuyerFactory(country="CL", legal_name="Municipalidad de Valparaíso")
    argentina = factories.BuyerFactory(country="AR", legal_name="Hospital de Rosario")
    goods = factories.TenderOpenFactory(buyer=chile, title="Computadores para escuelas")
    works_draft = factories.TenderDraftFactory(
        buyer=argentina,
        title="Reparación del pabellón",
        method="selective",
        category="works",
        estimated_value=Decimal("5000000.00"),
        currency="ARS",
        enquiry_end=clock.now() + dt.timedelta(days=30),
        submission_deadline=clock.now() + dt.timedelta(days=40),
        opening_at=clock.now() + dt.timedelta(days=40, hours=1),
    )
    # Medical classification for the works (CPV 33, UNSPSC 42) instead of the factory's IT.
    Item.objects.filter(lot__tender=works_draft, classification_scheme="CPV").update(
        classification_code="33141000-0"
    )
    Item.objects.filter(lot__tender=works_draft, classification_scheme="UNSPSC").update(
        classification_code="42131600"
    )
    works = services.tender_publish(actor=buyer_actor_for(argentina), tender=works_draft)
    closed = factories.TenderClosedFactory(buyer=chile, title="Servicio de aseo")
    cancelled = factories.TenderCancelledFactory(buyer=chile, title="Arriendo de vehículos")
    draft = factories.TenderDraftFactory(buyer=chile, title="Borrador secreto")
    return {
        "goods": goods,
        "works": works,
        "closed": closed,
        "cancelled": cancelled,
        "draft": draft,
        "chile": chile,  # type: ignore[dict-item]
        "argentina": argentina,  # type: ignore[dict-item]
    }


def buyer_actor_for(buyer: Any) -> Actor:
    official = factories.member(buyer, "buyer_official")
    return Actor(user=official, organization=buyer)


def test_the_list_shows_every_published_tender_and_no_draft(client: Client, world: Any) -> None:
    response = client.get(url("tenders:list"))
    assert response.status_code == 200
    assert listed(response) == {
        world["goods"].pk,
        world["works"].pk,
        world["closed"].pk,
        world["cancelled"].pk,
    }
    html = response.content.decode()
    assert "Borrador secreto" not in html
    assert "Computadores para escuelas" in html
    assert "Municipalidad de Valparaíso" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"method": "selective"}, {"works"}),
        ({"method": "open"}, {"goods", "closed", "cancelled"}),
        ({"category": "works"}, {"works"}),
        ({"category": "goods"}, {"goods", "closed", "cancelled"}),
        ({"status": "active"}, {"goods", "works"}),
        ({"status": "closed"}, {"closed"}),
        ({"status": "cancelled"}, {"cancelled"}),
        ({"country": "AR"}, {"works"}),
        ({"country": "CL"}, {"goods", "closed", "cancelled"}),
        ({"value_min": "1000000"}, {"works"}),
        ({"value_max": "150000"}, {"goods", "closed", "cancelled"}),
        ({"value_min": "150000", "value_max": "150000"}, {"goods", "closed", "cancelled"}),
        ({"classification": "33000000-0"}, {"works"}),
        ({"classification": "42000000"}, {"works"}),
        ({"classification": "43000000"}, {"goods", "closed", "cancelled"}),
        ({"q": "pabellón"}, {"works"}),
        ({"q": "Rosario"}, {"works"}),
        ({"q": "computadores escuelas"}, {"goods"}),
        ({"q": "nada-coincide"}, set()),
        ({"method": "open", "status": "active"}, {"goods"}),
    ],
)
def test_each_filter_narrows_the_list(
    client: Client, world: Any, query: dict[str, str], expected: set[str]
) -> None:
    response = client.get(url("tenders:list"), query)
    assert response.status_code == 200
    assert listed(response) == {world[name].pk for name in expected}


def test_buyer_filter(client: Client, world: Any) -> None:
    # The buyer is named by its OCDS party id (the search's buyer facet).
    response = client.get(url("tenders:list"), {"buyer": world["argentina"].party_id})
    assert listed(response) == {world["works"].pk}
    assert listed(client.get(url("tenders:list"), {"buyer": "XX-UNKNOWN-1"})) == set()


def test_closing_date_range(client: Client, world: Any) -> None:
    today = clock.now().date()
    in_30 = (today + dt.timedelta(days=30)).isoformat()
    response = client.get(url("tenders:list"), {"closing_after": in_30})
    assert listed(response) == {world["works"].pk}
    response = client.get(
        url("tenders:list"),
        {
            "closing_after": (today + dt.timedelta(days=15)).isoformat(),
            "closing_before": (today + dt.timedelta(days=25)).isoformat(),
        },
    )
    # The open goods tender and the cancelled one share the factory's deadline in 20 days.
    assert listed(response) == {world["goods"].pk, world["cancelled"].pk}
    response = client.get(
        url("tenders:list"), {"closing_before": (today - dt.timedelta(days=1)).isoformat()}
    )
    assert listed(response) == {world["closed"].pk}


def test_ordering(client: Client, world: Any) -> None:
    response = client.get(url("tenders:list"), {"order": "value", "status": "active"})
    assert [row.tender.pk for row in response.context["page"].object_list] == [
        world["works"].pk,
        world["goods"].pk,
    ]
    response = client.get(url("tenders:list"), {"order": "closing", "status": "active"})
    assert [row.tender.pk for row in response.context["page"].object_list] == [
        world["goods"].pk,
        world["works"].pk,
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"value_min": "abc"}, "value_min", "Enter a number."),
        ({"value_min": "-5"}, "value_min", "Ensure this value is greater than or equal to 0."),
        (
            {"value_min": "10", "value_max": "5"},
            "value_max",
            "The highest value must not be less than the lowest value.",
        ),
        ({"closing_after": "yesterday"}, "closing_after", "Enter a valid date."),
        (
            {"closing_after": "2030-05-02", "closing_before": "2030-05-01"},
            "closing_before",
            "This date must not be before the first date.",
        ),
        ({"country": "ZZ"}, "country", "Select a valid choice."),
        ({"language": "de"}, "language", "Select a valid choice."),
        ({"method": "auction"}, "method", "Select a valid choice."),
        ({"classification": "99"}, "classification", "Select a valid choice."),
        ({"order": "random"}, "order", "Select a valid choice."),
    ],
)
def test_bad_filter_values_give_a_clear_error(
    client: Client, world: Any, query: dict[str, str], field: str, message: str
) -> None:
    response = client.get(url("tenders:list"), query)
    assert response.status_code == 200
    assert response.context["page"] is None
    errors = response.context["form"].errors[field]
    assert any(error.startswith(message) for error in errors), errors
    html = response.content.decode()
    assert "Some filters are not valid" in html
    assert f'href="#id_{field}"' in html
    assert f'id="id_{field}_error"' in html


def test_htmx_gets_only_the_results_with_the_count_and_language_target(
    client: Client, world: Any
) -> None:
    response = client.get(url("tenders:list"), {"method": "selective"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="tender-results"' in html
    assert '<p id="tender-count" hx-swap-oob="innerHTML">1 tender found</p>' in html
    assert 'id="language-next"' in html
    assert 'value="/en/tenders/?method=selective"' in html
    assert "HX-Request" in response["Vary"]
    # The back button's restore request needs the whole page.
    response = client.get(
        url("tenders:list"),
        {"method": "selective"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_the_filter_form_works_without_javascript_and_enhances_with_htmx(
    client: Client, world: Any
) -> None:
    html = client.get(url("tenders:list")).content.decode()
    assert '<form id="tender-filters" class="usa-form pregon-filters" method="get"' in html
    assert 'action="/en/tenders/"' in html
    assert 'hx-get="/en/tenders/"' in html
    assert 'hx-push-url="true"' in html
    assert '<label class="usa-label" for="id_method">' in html


def test_pagination_20_per_page(client: Client, buyer: Any) -> None:
    tenders = [factories.TenderOpenFactory(buyer=buyer) for _ in range(21)]
    first = client.get(url("tenders:list"))
    assert len(first.context["page"].object_list) == 20
    html = first.content.decode()
    assert "21 tenders found · page 1 of 2" in html
    assert 'aria-current="page"' in html
    assert 'href="?page=2"' in html
    second = client.get(url("tenders:list"), {"page": 2})
    assert listed(second) == {tenders[-1].pk}  # closing order: the last made closes last
    assert "page 2 of 2" in second.content.decode()
    # A page number out of range or not a number falls back, never errors.
    assert client.get(url("tenders:list"), {"page": "x"}).status_code == 200
    assert client.get(url("tenders:list"), {"page": 99}).context["page"].number == 2


def test_pagination_keeps_the_filters(client: Client, buyer: Any) -> None:
    for _ in range(21):
        factories.TenderOpenFactory(buyer=buyer)
    html = client.get(url("tenders:list"), {"method": "open", "page": 1}).content.decode()
    assert 'href="?method=open&amp;page=2"' in html


def _list_queries(client: Client, query: dict[str, str]) -> int:
    """The queries of the list rendered (not served whole from the pages cache)."""
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("tenders:list"), query).status_code == 200
    return len(queries)


def test_list_query_count_is_bounded_and_constant_as_the_data_grows(
    client: Client, buyer: Any, other_buyer: Any
) -> None:
    # A page of results, its tenders, the total, each facet's counts: 13 queries, whatever the
    # number of tenders.
    factories.TenderOpenFactory(buyer=buyer)
    searched = {"status": "active", "q": "computadores"}
    # Once before counting: the first search of a process reads what it then keeps (on
    # PostgreSQL, the parsed words), whichever test of the worker ran one first.
    _list_queries(client, searched)
    few = (_list_queries(client, {}), _list_queries(client, searched))
    for index in range(21):
        factories.TenderOpenFactory(buyer=buyer if index % 2 else other_buyer)
    many = (_list_queries(client, {}), _list_queries(client, searched))
    assert few == many
    assert many[0] <= 13
    user = factories.UserFactory()
    client.force_login(user)
    assert _list_queries(client, searched) <= many[1] + 2  # the session and the user


# ---------------------------------------------------------------------------------------------
# the tender page


@pytest.fixture
def full_tender(buyer: Any) -> Tender:
    """An open tender with two lots, a document, an answered question and an amendment."""
    draft = factories.TenderDraftFactory(
        buyer=buyer, lots=2, award_criteria_details="Precio 100 %."
    )
    official = factories.member(buyer, "buyer_official")
    actor = Actor(user=official, organization=buyer)
    services.document_add(
        actor=actor,
        tender=draft,
        data=services.DocumentData(
            upload=SimpleUploadedFile("bases.pdf", PDF, content_type="application/pdf"),
            title="Bases técnicas",
            document_type="technicalSpecifications",
        ),
    )
    tender = services.tender_publish(actor=actor, tender=draft)
    supplier = factories.SupplierFactory(legal_name="Proveedora Secreta SpA")
    asker = factories.member(
        supplier, "supplier_user", full_name="Ana Preguntona", email="ana.asker@secreta.example"
    )
    question = services.question_ask(
        actor=Actor(user=asker, organization=supplier),
        tender=tender,
        text="¿Se aceptan equipos reacondicionados?",
    )
    services.question_answer(actor=actor, question=question, answer="No, solo equipos nuevos.")
    services.tender_amend(
        actor=actor,
        tender=tender,
        data=services.AmendmentData(
            reason="Se corrige el valor estimado.", estimated_value=Decimal("180000.00")
        ),
    )
    tender.refresh_from_db()
    return tender


def test_tender_page_shows_everything_public(client: Client, full_tender: Tender) -> None:
    response = client.get(full_tender.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    tender = full_tender
    for text in (
        tender.reference,
        tender.ocid,
        tender.buyer.legal_name,
        f'href="{tender.buyer.get_absolute_url()}"',
        "Open",  # method
        "Goods",
        "180,000 CLP",  # a Chilean peso has no cents
        "Lowest price",
        "Precio 100 %.",
        "Lot 1: Lote 1",
        "Lot 2: Lote 2",
        "Computador de escritorio",
        "30213000-5",
        "Office and computing machinery",
        "43211902",
        "Information Technology Broadcasting and Telecommunications",
        "Bases técnicas",
        "Technical specifications",
        "application/pdf",
        "bases.pdf",
        tender.documents.get().sha256,
        "Question 1",
        "¿Se aceptan equipos reacondicionados?",
        "No, solo equipos nuevos.",
        "Amendment 1",
        "Se corrige el valor estimado.",
        "150,000 CLP",  # the value before the amendment
        "This amendment changes what bidders must offer.",
        "Questions close",
        "Bids are opened",
        "Open for bids",
    ):
        assert text in html, text
    assert html.count("<h1") == 1
    # The amendment moved the deadline; the timeline is in date order.
    timeline = [event.label for event in response.context["timeline"]]
    assert timeline == [
        "Published",
        "Amendment 1",
        "Questions close",
        "Bid deadline",
        "Bids are opened",
    ]


def test_an_amendment_that_moves_the_deadline_says_so(client: Client, open_tender: Tender) -> None:
    late = open_tender.submission_deadline - dt.timedelta(days=2)
    with clock.at(late):
        services.tender_amend(
            actor=buyer_actor(open_tender),
            tender=open_tender,
            data=services.AmendmentData(
                reason="Cambia la descripción.", description="Computadores portátiles."
            ),
        )
    open_tender.refresh_from_db()
    amendment = open_tender.amendments.get()
    assert amendment.new_deadline == late + dt.timedelta(days=5)
    html = client.get(open_tender.get_absolute_url()).content.decode()
    assert re.search(
        r"The bid deadline moved from <time datetime=\"[^\"]+\">[^<]+</time> to "
        r"<time datetime=\"[^\"]+\">[^<]+</time>\.",
        html,
    )
    assert "Computadores portátiles." in html
    assert "Bid deadline" in html


def test_tender_page_in_spanish_names_classifications_in_spanish(
    client: Client, full_tender: Tender
) -> None:
    response = client.get(url("tenders:detail", "es", pk=full_tender.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Máquinas, equipo y artículos de oficina" in html
    assert "Difusión de Tecnologías de Información y Telecomunicaciones" in html


def test_the_askers_identity_never_appears(client: Client, full_tender: Tender) -> None:
    secrets = ["Ana Preguntona", "ana.asker@secreta.example", "Proveedora Secreta SpA"]
    html = client.get(full_tender.get_absolute_url()).content.decode()
    for secret in secrets:
        assert secret not in html
    # Nor for another signed-in supplier.
    other = factories.member(factories.SupplierFactory(), "supplier_user")
    client.force_login(other)
    html = client.get(full_tender.get_absolute_url()).content.decode()
    for secret in secrets:
        assert secret not in html


def test_cancelled_tender_shows_the_reason(client: Client) -> None:
    tender = factories.TenderCancelledFactory()
    html = client.get(tender.get_absolute_url()).content.decode()
    assert "This tender was cancelled" in html
    assert "La necesidad fue cubierta por un convenio marco." in html
    assert "This tender no longer accepts questions." in html


def test_closed_tender_page(client: Client) -> None:
    tender = factories.TenderClosedFactory()
    response = client.get(tender.get_absolute_url())
    assert response.status_code == 200
    assert "Closed for bids" in [event.label for event in response.context["timeline"]]


def test_a_draft_is_404(client: Client, draft: Tender, official: Any) -> None:
    assert client.get(draft.get_absolute_url()).status_code == 404
    # Even for its own buyer's officials: the public page is for published tenders.
    client.force_login(official)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(url("tenders:detail", pk=987654)).status_code == 404


def test_detail_query_count_is_bounded(
    client: Client, full_tender: Tender, django_assert_max_num_queries: Any
) -> None:
    # 7 for the tender and what it holds (its award criteria too), 3 for its open data:
    # releases, checkpoint, log size, 1 for the database's clock, which the countdown to the
    # deadline starts from, and 1 for its buyer's payment figures (the contracts section).
    with django_assert_max_num_queries(12):
        client.get(full_tender.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# documents


def test_document_download_headers(client: Client, full_tender: Tender) -> None:
    document = full_tender.documents.get()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bases.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(PDF))
    assert b"".join(response.streaming_content) == PDF


def test_documents_of_drafts_and_other_tenders_are_404(
    client: Client, full_tender: Tender, draft: Tender, official: Any, buyer: Any
) -> None:
    services.document_add(
        actor=Actor(user=official, organization=buyer),
        tender=draft,
        data=services.DocumentData(
            upload=SimpleUploadedFile("borrador.pdf", PDF), title="Borrador"
        ),
    )
    draft_document = draft.documents.get()
    assert client.get(draft_document.get_absolute_url()).status_code == 404
    document = full_tender.documents.get()
    wrong_tender = url("tenders:document", pk=draft.pk, doc=document.pk)
    assert client.get(wrong_tender).status_code == 404


# ---------------------------------------------------------------------------------------------
# asking questions


def ask(client: Client, tender: Tender, text: str = "¿Cuál es el plazo de entrega?") -> Any:
    return client.post(url("tenders:ask", pk=tender.pk), {"text": text})


def test_a_supplier_sees_the_form_and_asks(
    client: Client, open_tender: Tender, supplier_user: Any, supplier: Any
) -> None:
    client.force_login(supplier_user)
    page = client.get(open_tender.get_absolute_url()).content.decode()
    assert f'action="{url("tenders:ask", pk=open_tender.pk)}"' in page
    assert '<label class="usa-label" for="id_text">' in page
    response = ask(client, open_tender)
    assert response.status_code == 302
    assert response["Location"] == open_tender.get_absolute_url() + "#questions"
    question = Question.objects.get()
    assert (question.tender, question.number, question.text) == (
        open_tender,
        1,
        "¿Cuál es el plazo de entrega?",
    )
    assert (question.asked_by, question.asked_for) == (supplier_user, supplier)
    event = AuditEvent.objects.get(action="question.ask")
    assert event.ip_address == "127.0.0.1"
    followed = client.get(response["Location"]).content.decode()
    assert "Your question was sent as question 1." in followed


def test_a_question_about_one_lot(client: Client, buyer: Any, supplier_user: Any) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer, lots=2)
    lot = tender.lots.get(number=2)
    client.force_login(supplier_user)
    response = client.post(
        url("tenders:ask", pk=tender.pk), {"text": "¿Marca exigida?", "lot": lot.pk}
    )
    assert response.status_code == 302
    assert Question.objects.get().lot == lot


def test_anonymous_is_sent_to_sign_in(client: Client, open_tender: Tender) -> None:
    page = client.get(open_tender.get_absolute_url()).content.decode()
    assert "Sign in to ask a question" in page
    response = ask(client, open_tender)
    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login") + "?next=")
    assert not Question.objects.exists()


def test_a_buyer_official_is_refused(client: Client, open_tender: Tender, official: Any) -> None:
    client.force_login(official)
    page = client.get(open_tender.get_absolute_url()).content.decode()
    assert 'id="id_text"' not in page
    response = ask(client, open_tender)
    assert response.status_code == 403
    assert "Only registered suppliers can ask questions." in response.content.decode()
    assert not Question.objects.exists()
    assert not AuditEvent.objects.filter(action="question.ask").exists()


def test_after_the_enquiry_end_the_question_is_refused(
    client: Client, open_tender: Tender, supplier_user: Any
) -> None:
    client.force_login(supplier_user)
    with clock.at(open_tender.enquiry_end + dt.timedelta(minutes=1)):
        page = client.get(open_tender.get_absolute_url()).content.decode()
        assert 'id="id_text"' not in page
        assert "This tender no longer accepts questions." in page
        response = ask(client, open_tender)
    assert response.status_code == 409
    assert "The period for questions has ended." in response.content.decode()
    assert not Question.objects.exists()
    assert not AuditEvent.objects.filter(action="question.ask").exists()


def test_an_empty_question_shows_the_field_error(
    client: Client, open_tender: Tender, supplier_user: Any
) -> None:
    client.force_login(supplier_user)
    response = ask(client, open_tender, text="   ")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_text_error"' in html
    assert 'aria-invalid="true"' in html
    assert not Question.objects.exists()


def test_get_on_the_ask_address_goes_back_to_the_questions(
    client: Client, open_tender: Tender, supplier_user: Any
) -> None:
    client.force_login(supplier_user)
    response = client.get(url("tenders:ask", pk=open_tender.pk))
    assert response.status_code == 302
    assert response["Location"] == open_tender.get_absolute_url() + "#questions"


def test_questions_are_rate_limited_per_user(
    client: Client, open_tender: Tender, supplier_user: Any, settings: Any
) -> None:
    settings.PREGON_QUESTION_RATE = "2/h"
    client.force_login(supplier_user)
    assert ask(client, open_tender, "Primera").status_code == 302
    assert ask(client, open_tender, "Segunda").status_code == 302
    response = ask(client, open_tender, "Tercera")
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert list(Question.objects.values_list("text", flat=True)) == ["Primera", "Segunda"]
    # Another person is counted apart.
    other = factories.member(factories.SupplierFactory(), "supplier_user")
    client.force_login(other)
    assert ask(client, open_tender, "Otra persona").status_code == 302


def test_the_429_page_is_translated_into_the_request_language(
    client: Client, open_tender: Tender, supplier_user: Any, settings: Any
) -> None:
    settings.PREGON_QUESTION_RATE = "0/h"
    client.force_login(supplier_user)
    response = client.post(url("tenders:ask", "es", pk=open_tender.pk), {"text": "Hola"})
    assert response.status_code == 429
    assert re.search(r'<html lang="es">', response.content.decode())


def test_a_question_about_the_only_lot(client: Client, buyer: Any, supplier_user: Any) -> None:
    # One lot or several: the supplier chooses between the whole tender and each lot, as the
    # API allows.
    tender = factories.TenderOpenFactory(buyer=buyer, lots=1)
    lot = tender.lots.get()
    client.force_login(supplier_user)

    page = client.get(tender.get_absolute_url()).content.decode()
    select = re.search(r'<select name="lot"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, "the lot is not offered"
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)) == [
        ("", "The whole tender"),
        (str(lot.pk), "Lot 1: Lote 1"),
    ]
    assert '<label class="usa-label" for="id_lot">About</label>' in page

    response = client.post(url("tenders:ask", pk=tender.pk), {"text": "¿Garantía?", "lot": lot.pk})
    assert response.status_code == 302
    assert Question.objects.get().lot == lot


# ---------------------------------------------------------------------------------------------
# how dates, money and classifications read

BELIZE_PUBLISHED = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
BELIZE_ENQUIRY_END = dt.datetime(2026, 12, 3, 21, 0, tzinfo=dt.UTC)
BELIZE_DEADLINE = dt.datetime(2026, 12, 10, 21, 0, tzinfo=dt.UTC)
BELIZE_VISIT = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
# 21:00 UTC is 3 p.m. in Belize (UTC-06:00 all year) and 6 p.m. in Santiago (UTC-03:00 in
# December): the page must say Belize's.
BELIZE_DEADLINE_TAG = (
    '<time datetime="2026-12-10T21:00:00Z">10 Dec 2026, 15:00 (America/Belize, UTC\u221206:00)'
    "</time>"
)


@pytest.fixture
def belize_tender() -> Tender:
    """A Belize ministry's open tender: questions until 3 December, bids until 10 December,
    both at 3 p.m. in Belize."""
    buyer = factories.BuyerFactory(
        country="BZ", legal_name="Ministry of Infrastructure Development and Housing"
    )
    with clock.at(BELIZE_PUBLISHED):
        return factories.TenderOpenFactory(
            buyer=buyer,
            language="en",
            currency="BZD",
            estimated_value=Decimal("84500.50"),
            enquiry_end=BELIZE_ENQUIRY_END,
            submission_deadline=BELIZE_DEADLINE,
            opening_at=BELIZE_DEADLINE + dt.timedelta(hours=1),
        )


def test_a_tender_s_dates_read_in_its_buyer_s_zone_with_the_offset(
    client: Client, belize_tender: Tender
) -> None:
    with clock.at(BELIZE_VISIT):
        html = client.get(belize_tender.get_absolute_url()).content.decode()
    assert f"<dt>Bid deadline</dt><dd>{BELIZE_DEADLINE_TAG}</dd>" in html
    assert (
        "<dt>Questions accepted until</dt><dd>"
        '<time datetime="2026-12-03T21:00:00Z">3 Dec 2026, 15:00 (America/Belize, UTC\u221206:00)'
        "</time></dd>"
    ) in html
    assert (
        "<dt>Bid opening</dt><dd>"
        '<time datetime="2026-12-10T22:00:00Z">10 Dec 2026, 16:00 (America/Belize, UTC\u221206:00)'
        "</time></dd>"
    ) in html
    assert "84,500.50 BZD" in html


def test_every_time_on_the_tender_page_names_its_zone(client: Client, full_tender: Tender) -> None:
    html = client.get(full_tender.get_absolute_url()).content.decode()
    times = re.findall(r"<time\b[^>]*>[^<]*</time>", html)
    # Published, three dates, the question and its answer, the amendment, its two deadlines,
    # and the timeline.
    assert len(times) >= 12
    for tag in times:
        # Chile's offset is UTC-03:00 in its summer and UTC-04:00 in its winter.
        assert re.fullmatch(
            r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">[^<]+ '
            r"\(America/Santiago, UTC\u22120[34]:00\)</time>",
            tag,
        ), tag


def test_the_list_and_the_home_page_show_the_deadline_in_the_buyer_s_zone(
    client: Client, belize_tender: Tender
) -> None:
    with clock.at(BELIZE_VISIT):
        listing = client.get(url("tenders:list")).content.decode()
        home = client.get("/en/").content.decode()
    expected = f"Bid deadline: {BELIZE_DEADLINE_TAG} <strong>(closes in 15 days)</strong>"
    assert expected in listing
    assert expected in home


def test_the_sentence_about_questions_ends_with_one_full_stop(
    client: Client, belize_tender: Tender
) -> None:
    with clock.at(BELIZE_VISIT):
        html = client.get(belize_tender.get_absolute_url()).content.decode()
    assert (
        "<p>Registered suppliers can ask questions until "
        '<time datetime="2026-12-03T21:00:00Z">3 Dec 2026, 15:00 (America/Belize, UTC\u221206:00)'
        "</time>.</p>"
    ) in html
    text = re.sub(r"<[^>]+>", "", html)
    assert ".." not in text.replace("...", "")


def test_a_deeper_cpv_code_says_the_name_shown_is_its_division_s(
    client: Client, open_tender: Tender
) -> None:
    Item.objects.filter(lot__tender=open_tender, classification_scheme="CPV").update(
        classification_code="18143000-3"
    )
    html = client.get(open_tender.get_absolute_url()).content.decode()
    assert (
        '<td data-label="Classification">CPV <code>18143000-3</code><br>'
        '<span class="text-base-dark">Within division 18000000-9: Clothing, footwear, luggage '
        "articles and accessories</span></td>"
    ) in html
    # A division's own code is named as itself (changed behind the services' back: no
    # publication tells the kept page).
    Item.objects.filter(lot__tender=open_tender, classification_scheme="CPV").update(
        classification_code="18000000-9"
    )
    caches["pages"].clear()
    html = client.get(open_tender.get_absolute_url()).content.decode()
    assert (
        '<span class="text-base-dark">Clothing, footwear, luggage articles and accessories</span>'
    ) in html


def test_chilean_pesos_have_no_cents(client: Client, open_tender: Tender) -> None:
    html = client.get(open_tender.get_absolute_url()).content.decode()
    assert "<dt>Estimated value</dt><dd>150,000 CLP</dd>" in html
    assert not re.search(r"\d,00(?!\d)", re.sub(r"<[^>]+>", "", html))
