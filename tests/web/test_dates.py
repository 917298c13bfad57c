"""How dates and money read on pages: every time names its zone, a tender's dates read in its
buyer's zone, amounts have their currency's decimals, month names their language's case."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.core import clock
from pregon.tenders import services
from pregon.tenders.models import Tender
from pregon.web.templatetags.pregon import minor_units, money, timetag
from tests import factories
from tests.test_translations import compile_catalogs

pytestmark = pytest.mark.django_db

PUBLISHED = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
ENQUIRY_END = dt.datetime(2026, 12, 3, 21, 0, tzinfo=dt.UTC)
DEADLINE = dt.datetime(2026, 12, 10, 21, 0, tzinfo=dt.UTC)
VISIT = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
MINUS = "\u2212"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("locale")
    compile_catalogs(target)
    return target


@pytest.fixture(autouse=True)
def fresh_catalogs(settings: Any, compiled: Path) -> None:
    """Pages read the catalogs as committed, not .mo files that may be stale."""
    settings.LOCALE_PATHS = [compiled]


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def tender_of(buyer: Any, **fields: Any) -> Tender:
    """An open tender of `buyer`: questions until 3 December, bids until 10 December, both
    at 21:00 UTC."""
    with clock.at(PUBLISHED):
        return factories.TenderOpenFactory(
            buyer=buyer,
            enquiry_end=ENQUIRY_END,
            submission_deadline=DEADLINE,
            opening_at=DEADLINE + dt.timedelta(hours=1),
            **fields,
        )


@pytest.fixture
def belize() -> Any:
    return factories.BuyerFactory(country="BZ", legal_name="Ministry of Education of Belize")


@pytest.fixture
def curitiba() -> Any:
    return factories.BuyerFactory(
        country="BR",
        identifier_scheme="BR-CNPJ",
        legal_name="Prefeitura Municipal de Curitiba",
        locality="Curitiba",
    )


# ---------------------------------------------------------------------------------------------
# the <time> element


def test_the_time_element_carries_utc_and_names_the_zone_and_offset() -> None:
    with translation.override("en"):
        assert timetag(DEADLINE, "America/Belize") == (
            '<time datetime="2026-12-10T21:00:00Z">'
            f"10 Dec 2026, 15:00 (America/Belize, UTC{MINUS}06:00)</time>"
        )
        # No zone given: the page's zone, named all the same.
        assert timetag(DEADLINE) == (
            '<time datetime="2026-12-10T21:00:00Z">'
            f"10 Dec 2026, 18:00 (America/Santiago, UTC{MINUS}03:00)</time>"
        )
        assert timetag(DEADLINE, format_name="SHORT_DATETIME_FORMAT") == (
            '<time datetime="2026-12-10T21:00:00Z">'
            f"2026-12-10 18:00 (America/Santiago, UTC{MINUS}03:00)</time>"
        )
        assert timetag(None) == ""


def test_portuguese_months_are_written_in_lower_case(client: Client, curitiba: Any) -> None:
    tender = tender_of(curitiba, language="pt", currency="BRL")
    with clock.at(VISIT):
        html = client.get(url("tenders:detail", "pt-br", pk=tender.pk)).content.decode()
    assert (
        '<time datetime="2026-12-10T21:00:00Z">10 de dezembro de 2026 às 18:00 '
        f"(horário de America/Sao_Paulo, UTC{MINUS}03:00)</time>"
    ) in html
    for month in ("Janeiro", "Novembro", "Dezembro"):
        assert month not in html
    assert "150.000,00 BRL" in html


def test_spanish_and_french_pages_name_the_zone_too(client: Client, belize: Any) -> None:
    tender = tender_of(belize, language="en")
    with clock.at(VISIT):
        spanish = client.get(url("tenders:detail", "es", pk=tender.pk)).content.decode()
        french = client.get(url("tenders:detail", "fr", pk=tender.pk)).content.decode()
    assert (
        '<time datetime="2026-12-10T21:00:00Z">10 de diciembre de 2026 a las 15:00 '
        f"(hora de America/Belize, UTC{MINUS}06:00)</time>"
    ) in spanish
    assert (
        '<time datetime="2026-12-10T21:00:00Z">10 décembre 2026 15:00 '
        f"(heure de America/Belize, UTC{MINUS}06:00)</time>"
    ) in french


# ---------------------------------------------------------------------------------------------
# the workspaces and the organization page


def test_a_buyer_s_workspace_shows_its_tenders_in_its_zone(client: Client, belize: Any) -> None:
    tender = tender_of(belize, language="en")
    official = factories.member(belize, "buyer_official")
    client.force_login(official)
    expected = (
        '<time datetime="2026-12-10T21:00:00Z">'
        f"10 Dec 2026, 15:00 (America/Belize, UTC{MINUS}06:00)</time>"
    )
    with clock.at(VISIT):
        home = client.get(url("workspace:home")).content.decode()
        page = client.get(url("workspace:tender", pk=tender.pk)).content.decode()
    assert f'<td data-label="Bid deadline">{expected}</td>' in home
    assert f"<dt>Bid deadline</dt><dd>{expected}</dd>" in page
    # Each time names its zone, so no note about one zone for the whole page is left.
    assert "Times are shown in" not in home + page


def test_a_supplier_reads_its_questions_in_the_buyer_s_zone(client: Client, belize: Any) -> None:
    tender = tender_of(belize, language="en")
    supplier = factories.SupplierFactory()
    supplier_user = factories.member(supplier, "supplier_user")
    asked = dt.datetime(2026, 11, 26, 14, 30, tzinfo=dt.UTC)
    with clock.at(asked):
        services.question_ask(
            actor=factories.actor_for(supplier_user, supplier),
            tender=tender,
            text="Is a bid bond required?",
        )
    client.force_login(supplier_user)
    with clock.at(VISIT):
        html = client.get(url("supplier:home")).content.decode()
    assert (
        'asked <time datetime="2026-11-26T14:30:00Z">'
        f"26 Nov 2026, 08:30 (America/Belize, UTC{MINUS}06:00)</time>"
    ) in html


def test_a_buyer_s_page_says_which_zone_its_dates_read_in(client: Client, belize: Any) -> None:
    with clock.at(VISIT):
        html = client.get(url("organizations:detail", pk=belize.pk)).content.decode()
    assert f"<dt>Time zone of its dates</dt><dd>America/Belize (UTC{MINUS}06:00)</dd>" in html


# ---------------------------------------------------------------------------------------------
# money


@pytest.mark.parametrize(
    ("language", "value", "currency", "expected"),
    [
        ("en", "180000.00", "CLP", "180,000 CLP"),
        ("es", "180000.00", "CLP", "180\u00a0000 CLP"),
        ("pt-br", "180000.00", "CLP", "180.000 CLP"),
        ("en", "1500", "USD", "1,500.00 USD"),
        ("pt-br", "84500.5", "BRL", "84.500,50 BRL"),
        ("fr", "2500000", "PYG", "2\u00a0500\u00a0000 PYG"),
        ("en", "99.99", "", "99.99"),
    ],
)
def test_amounts_have_their_currency_s_decimals(
    language: str, value: str, currency: str, expected: str
) -> None:
    with translation.override(language):
        assert money(Decimal(value), currency) == expected
    assert money(None, currency) == ""


def test_minor_units_follow_iso_4217() -> None:
    assert {code: minor_units(code) for code in ("CLP", "PYG", "USD", "BRL", "clp")} == {
        "CLP": 0,
        "PYG": 0,
        "USD": 2,
        "BRL": 2,
        "clp": 0,
    }


def test_a_chilean_tender_list_shows_pesos_without_cents(client: Client, buyer: Any) -> None:
    factories.TenderOpenFactory(buyer=buyer, estimated_value=Decimal("150000.00"))
    html = client.get(url("tenders:list")).content.decode()
    assert '<li class="usa-collection__meta-item">150,000 CLP</li>' in html
    assert not re.search(r"150,000\.00", html)
