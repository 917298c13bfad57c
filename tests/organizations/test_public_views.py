"""Public organization pages and the supplier registration page."""

from __future__ import annotations

import math
import re
from typing import Any

import django_ratelimit.core
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.accounts.models import Membership, User
from pregon.core.identifiers import rut_with_check_digit
from pregon.core.models import AuditEvent
from pregon.organizations.models import Organization
from tests import factories
from tests.organizations.conftest import Inbox

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# ---------------------------------------------------------------------------------------------
# organization pages


def test_buyer_page_lists_its_published_tenders_only(client: Client, buyer: Any) -> None:
    published = factories.TenderOpenFactory(buyer=buyer, title="Compra publicada")
    factories.TenderDraftFactory(buyer=buyer, title="Compra en borrador")
    factories.TenderOpenFactory(title="Compra de otro comprador")
    response = client.get(buyer.get_absolute_url())
    assert response.status_code == 200
    assert [t.pk for t in response.context["tenders"]] == [published.pk]
    html = response.content.decode()
    assert "Compra publicada" in html
    assert "Compra en borrador" not in html
    assert "Compra de otro comprador" not in html
    assert buyer.legal_name in html
    assert f"CL-RUT <code>{buyer.identifier_id}</code>" in html
    assert "Chile" in html
    assert "Región Metropolitana" in html
    assert "Ministry or national agency" in html
    assert html.count("<h1") == 1


def test_supplier_page_shows_scale_and_declared_characteristics(client: Client) -> None:
    supplier = factories.SupplierFactory(
        legal_name="Cooperativa Textil del Sur Ltda.",
        name="Textiles del Sur",
        scale="micro",
        is_cooperative=True,
        women_owned=True,
        indigenous_owned=False,
        is_local=True,
        website="https://textilesdelsur.example",
        street_address="Av. Alemania 123",
        locality="Temuco",
    )
    response = client.get(url("organizations:detail", "es", pk=supplier.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Textiles del Sur · Pregón</title>" in html
    assert "Cooperativa Textil del Sur Ltda." in html
    assert "Av. Alemania 123, Temuco" in html
    assert 'href="https://textilesdelsur.example"' in html
    # The Spanish request left Spanish active in this thread: name the English page explicitly.
    en = client.get(url("organizations:detail", "en", pk=supplier.pk)).content.decode()
    for text in ("Micro enterprise", "Cooperative", "Women-owned", "Local business", "declared by"):
        assert text in en
    assert "Indigenous-owned" not in en
    assert "Published tenders" not in en


def test_operator_and_unknown_organizations_are_404(client: Client) -> None:
    operator = factories.OperatorFactory()
    assert client.get(operator.get_absolute_url()).status_code == 404
    assert client.get(url("organizations:detail", pk=999999)).status_code == 404


# ---------------------------------------------------------------------------------------------
# registration

VALID = {
    "full_name": "María González",
    "email": "Maria@Textiles.example",
    "password": "tejidos-de-lana-2026",
    "password_confirm": "tejidos-de-lana-2026",
    "language": "es",
    "identifier_scheme": "CL-RUT",
    "identifier_id": "76.086.428-5",
    "legal_name": "Textiles González SpA",
    "name": "Textiles González",
    "country": "CL",
    "region": "Araucanía",
    "locality": "Temuco",
    "street_address": "Calle Montt 45",
    "legal_form": "company",
    "scale": "small",
    "women_owned": "on",
    "indigenous_owned": "on",
    "is_local": "",
    "description": "Tejidos de lana para uniformes.",
}


def counts() -> tuple[int, int, int, int, int]:
    return (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        EmailAddress.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_registration_page_renders(client: Client) -> None:
    response = client.get(url("organizations:register", "es"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="es" selected>' in html
    assert '<option value="CL-RUT">CL-RUT · Rol Único Tributario</option>' in html
    assert '<label class="usa-label" for="id_identifier_id">' in html
    assert 'aria-describedby="id_identifier_id_helptext"' in html


def test_registration_creates_user_organization_membership_and_sends_one_email(
    client: Client,
) -> None:
    response = client.post(url("organizations:register"), VALID, REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 302
    assert response["Location"] == url("organizations:registered")
    user = User.objects.get()
    assert (user.email, user.full_name, user.language) == (
        "maria@textiles.example",
        "María González",
        "es",
    )
    assert user.check_password("tejidos-de-lana-2026")
    organization = Organization.objects.get()
    assert (
        organization.kind,
        organization.identifier_scheme,
        organization.identifier_id,
        organization.legal_name,
        organization.name,
        str(organization.country),
        organization.region,
        organization.locality,
        organization.street_address,
        organization.scale,
        organization.is_cooperative,
        organization.women_owned,
        organization.indigenous_owned,
        organization.is_local,
        organization.description,
    ) == (
        "supplier",
        "CL-RUT",
        "76086428-5",
        "Textiles González SpA",
        "Textiles González",
        "CL",
        "Araucanía",
        "Temuco",
        "Calle Montt 45",
        "small",
        False,
        True,
        True,
        False,
        "Tejidos de lana para uniformes.",
    )
    membership = Membership.objects.get()
    assert (membership.user, membership.organization, membership.role) == (
        user,
        organization,
        "supplier_user",
    )
    address = EmailAddress.objects.get()
    assert (address.user, address.email, address.primary, address.verified) == (
        user,
        "maria@textiles.example",
        True,
        False,
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.ip_address, event.actor) == (
        "supplier.register",
        "198.51.100.23",
        user,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maria@textiles.example"]
    # In the language María chose for e-mails, although she registered on the English page.
    assert mail.outbox[0].subject.endswith("Confirme su correo electrónico")
    assert "Alguien, probablemente usted" in mail.outbox[0].body
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "Check your e-mail" in page
    assert "maria@textiles.example" in page


def test_the_verification_link_confirms_the_address(client: Client) -> None:
    client.post(url("organizations:register"), VALID)
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/accounts/confirm-email/" in line
    ).strip()
    path = link[link.index("/", link.index("//") + 2) :]
    page = client.get(path)
    assert page.status_code == 200
    # She chose Spanish: the e-mail, and the page its link opens, are in Spanish.
    with translation.override("es"):
        heading = translation.gettext("Confirm your e-mail address")
    assert heading in page.content.decode()
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get().verified is True


def test_another_register_can_be_named(client: Client) -> None:
    data = VALID | {
        "identifier_scheme": "other",
        "identifier_scheme_other": "PE-RUC",
        "identifier_id": "20100070970",
        "country": "PE",
    }
    assert client.post(url("organizations:register"), data).status_code == 302
    organization = Organization.objects.get()
    assert (organization.identifier_scheme, organization.identifier_id) == (
        "PE-RUC",
        "20100070970",
    )


def assert_refused(response: Any, field: str, message: str, before: tuple[int, ...]) -> None:
    assert response.status_code == 422
    assert message in response.context["form"].errors[field]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert counts() == before
    assert mail.outbox == []


def test_a_duplicate_identifier_shows_the_field_error_and_creates_nothing(
    client: Client,
) -> None:
    factories.SupplierFactory(identifier_id="76086428-5")
    before = counts()
    response = client.post(url("organizations:register"), VALID)
    assert_refused(
        response,
        "identifier_id",
        "An organization with this identifier is already registered. Ask its users to "
        "invite you instead.",
        before,
    )


def test_an_invalid_rut_shows_the_field_error_and_creates_nothing(client: Client) -> None:
    before = counts()
    response = client.post(url("organizations:register"), VALID | {"identifier_id": "76086428-4"})
    assert_refused(
        response, "identifier_id", "76086428-4 is not a valid CL-RUT; check the digits.", before
    )


def test_a_badly_shaped_other_register_is_refused(client: Client) -> None:
    before = counts()
    data = VALID | {"identifier_scheme": "other", "identifier_scheme_other": "peru ruc"}
    response = client.post(url("organizations:register"), data)
    assert_refused(
        response,
        "identifier_scheme_other",
        "The identifier scheme must look like CL-RUT or BR-CNPJ (country code, dash, register).",
        before,
    )


def test_a_taken_address_is_answered_as_a_new_one_and_its_owner_is_told(
    client: Client, smtp_server: Inbox, fresh_catalogs: None
) -> None:
    # Brazilian, she reads Portuguese; the page is in English and the form says Spanish.
    factories.UserFactory(email="maria@textiles.example", language="pt-br")
    before = counts()
    response = client.post(url("organizations:register"), VALID)

    assert (response.status_code, response["Location"]) == (302, url("organizations:registered"))
    page = client.get(response["Location"]).content.decode()
    assert "We sent a message to maria@textiles.example." in page
    assert counts() == before
    assert smtp_server.recipients == [["maria@textiles.example"]]
    [message] = smtp_server.messages
    assert message["Subject"] == "[Pregón] Alguém tentou se cadastrar com o seu e-mail"
    assert message["To"] == "maria@textiles.example"
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert (
        "Alguém, talvez você, tentou cadastrar uma empresa com este e-mail "
        "(maria@textiles.example). Ele já tem uma conta, então nada foi cadastrado e nada "
        "mudou na sua conta."
    ) in text
    assert "Se foi você, entre:\n\nhttp://testserver/pt-br/accounts/login/\n" in text
    assert (
        "Se você esqueceu sua senha, escolha uma nova aqui:\n\n"
        "http://testserver/pt-br/accounts/password/reset/\n"
    ) in text


def test_the_answer_is_the_same_whether_the_address_has_an_account(
    smtp_server: Inbox,
) -> None:
    factories.UserFactory(email="taken@textiles.example")
    answers = []
    for address, identifier in (
        ("free@textiles.example", "76.086.428-5"),
        ("taken@textiles.example", rut_with_check_digit(77_123_456)),
    ):
        client = Client()
        data = VALID | {"email": address, "identifier_id": identifier}
        response = client.post(url("organizations:register"), data)
        page = client.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                page.status_code,
                # The same page but for the address typed and the CSRF token of each visitor.
                re.sub(
                    r'name="csrfmiddlewaretoken" value="[^"]+"',
                    "TOKEN",
                    page.content.decode().replace(address, "ADDRESS"),
                ),
            )
        )
    assert answers[0] == answers[1]
    # Each address got one message: a confirmation link, or the note to the owner.
    assert smtp_server.recipients == [["free@textiles.example"], ["taken@textiles.example"]]
    assert User.objects.filter(email="free@textiles.example").exists()


def test_a_weak_password_is_refused(client: Client) -> None:
    before = counts()
    data = VALID | {"password": "12345678", "password_confirm": "12345678"}
    response = client.post(url("organizations:register"), data)
    assert response.status_code == 422
    assert "This password is entirely numeric." in response.context["form"].errors["password"][0]
    assert counts() == before


def test_passwords_that_differ_are_refused(client: Client) -> None:
    before = counts()
    response = client.post(
        url("organizations:register"), VALID | {"password_confirm": "otra-cosa-distinta"}
    )
    assert_refused(response, "password_confirm", "The two passwords are not the same.", before)


def test_missing_required_fields(client: Client) -> None:
    before = counts()
    response = client.post(url("organizations:register"), {})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {
        "full_name",
        "email",
        "password",
        "password_confirm",
        "language",
        "identifier_scheme",
        "identifier_id",
        "legal_name",
        "country",
        "legal_form",
    }
    assert counts() == before


def test_registration_is_rate_limited_per_address(client: Client, settings: Any) -> None:
    settings.PREGON_REGISTRATION_RATE = "2/h"
    data = VALID | {"identifier_id": "76086428-4"}  # refused, but counted
    assert client.post(url("organizations:register"), data).status_code == 422
    assert client.post(url("organizations:register"), data).status_code == 422
    response = client.post(url("organizations:register"), VALID)
    assert response.status_code == 429
    assert not User.objects.exists()
    # Another address may still register.
    response = client.post(url("organizations:register"), VALID, REMOTE_ADDR="203.0.113.99")
    assert response.status_code == 302


def test_the_default_window_lets_an_office_register_several_businesses(settings: Any) -> None:
    assert settings.PREGON_REGISTRATION_RATE == "30/10m"


class FrozenTime:
    """Stands for the `time` module where the rate limiter reads the time."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def limiter_clock(monkeypatch: pytest.MonkeyPatch) -> FrozenTime:
    frozen = FrozenTime(1_800_000_000.0)
    monkeypatch.setattr(django_ratelimit.core, "time", frozen)
    return frozen


def test_past_the_limit_the_page_keeps_the_input_and_says_when_to_retry(
    client: Client, settings: Any, limiter_clock: FrozenTime
) -> None:
    settings.PREGON_REGISTRATION_RATE = "1/10m"
    refused = VALID | {"identifier_id": "76086428-4"}
    assert client.post(url("organizations:register"), refused).status_code == 422

    response = client.post(url("organizations:register"), VALID)

    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    # The window is ten minutes; the last second of it counts too.
    assert 0 < seconds <= 601
    minutes = math.ceil(seconds / 60)
    html = response.content.decode()
    unit = "minute" if minutes == 1 else "minutes"
    assert (
        "Registrations from your network have reached their limit for now. What you typed is "
        "kept below, except the password: type it again and send the form in "
        f"{minutes} {unit}."
    ) in html
    form = response.context["form"]
    assert not form.is_bound
    for name in ("full_name", "email", "identifier_id", "legal_name", "region", "description"):
        assert form[name].value() == VALID[name], name
    assert 'value="Textiles González SpA"' in html
    assert 'value="Maria@Textiles.example"' in html
    assert '<option value="CL" selected>' in html
    assert '<option value="small" selected>' in html
    assert 'id="id_women_owned" checked>' in html
    assert 'id="id_indigenous_owned" checked>' in html
    assert '<option value="company" selected>' in html
    assert "tejidos-de-lana-2026" not in html
    assert not User.objects.exists()

    # Still refused a second before the time it gave, accepted at that time.
    limiter_clock.now += seconds - 1
    assert client.post(url("organizations:register"), VALID).status_code == 429
    limiter_clock.now += 1
    response = client.post(url("organizations:register"), VALID)
    assert (response.status_code, response["Location"]) == (302, url("organizations:registered"))


def test_a_signed_in_person_is_sent_to_the_workspace(client: Client, supplier_user: Any) -> None:
    client.force_login(supplier_user)
    response = client.get(url("organizations:register"))
    assert response.status_code == 302
    assert response["Location"] == url("web:dashboard")
