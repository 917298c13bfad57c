"""The payment term of an invoice (pregon.contracts.terms): the legal term of the rule pack its
tender was published under, for the supplier's size, else PREGON_INVOICE_DUE_DAYS; each invoice
keeps the days and the rule it was given, and its pages say which rule set them, with its legal
basis, in the reader's language.

The contract world's tender is Chilean (CL@2026.1: 30 days for every supplier). The other packs
are set on it as if it had been published under them: the term depends only on the pack the
tender keeps and on the supplier's scale.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.contracts.models import Contract
from pregon.contracts.terms import invoice_due_basis, invoice_due_term
from pregon.core import clock
from pregon.core.models import AuditEvent
from pregon.organizations.models import Organization
from pregon.rules.loading import PACKS_DIR_VARIABLE, registry
from pregon.tenders.models import Tender
from tests.contracts.world import ContractWorld, contract_world

pytestmark = pytest.mark.django_db

SHIPPED_BR = Path(__file__).parents[2] / "src/pregon/rules/packs/br/2026.1.toml"
# A later version of Brazil's pack with a payment term for ME/EPP, which the shipped 2026.1
# version does not have (Brazil's law, as the sources of November 2026 state it, sets none): a
# made-up rule, to see a Brazilian supplier's invoice follow a term of its pack.
BR_TERM = """
[[payment_term]]
key = "payment.me_epp_10_days"
basis = { law = "Lei de teste 1/2027", article = "art. 5" }
days = 10
scales = ["micro", "small"]
[payment_term.title]
en = "Payment within 10 days to ME/EPP"
es = "Pago dentro de 10 días a ME/EPP"
pt = "Pagamento em até 10 dias a ME/EPP"
fr = "Paiement sous 10 jours aux ME/EPP"
[payment_term.explanation]
en = "The buyer pays micro and small enterprises within 10 days."
es = "El comprador paga a las micro y pequeñas empresas dentro de 10 días."
pt = "O comprador paga as microempresas e empresas de pequeno porte em até 10 dias."
fr = "L'acheteur paie les micro et petites entreprises sous 10 jours."
"""


@pytest.fixture
def world(buyer: Organization, settings: Any) -> ContractWorld:
    return contract_world(buyer, settings)


@pytest.fixture
def delivered(world: ContractWorld) -> Contract:
    """A contract in force whose two deliveries were met on days 10 and 40."""
    contract = world.active()
    world.met(contract, 1, 10)
    world.met(contract, 2, 40)
    return contract


@pytest.fixture
def brazil_2027(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """BR@2027.1: the shipped Brazilian pack with a term for ME/EPP, as an operator's pack."""
    text = SHIPPED_BR.read_text(encoding="utf-8")
    text = text.replace('version = "2026.1"', 'version = "2027.1"', 1)
    text = text.replace("effective_from = 2026-01-01", "effective_from = 2027-01-01", 1)
    (tmp_path / "br-2027.1.toml").write_text(text + BR_TERM, encoding="utf-8")
    monkeypatch.setenv(PACKS_DIR_VARIABLE, str(tmp_path))
    registry.cache_clear()
    yield "BR@2027.1"
    monkeypatch.delenv(PACKS_DIR_VARIABLE)
    registry.cache_clear()


def _published_under(world: ContractWorld, ref: str) -> None:
    Tender.objects.filter(pk=world.award.tender_id).update(rule_pack=ref)


def _supplier_scale(world: ContractWorld, scale: str) -> None:
    Organization.objects.filter(pk=world.supplier.pk).update(scale=scale)


def test_the_tender_keeps_chiles_pack_and_its_30_days_hold_whatever_the_setting(
    world: ContractWorld, delivered: Contract, settings: Any
) -> None:
    assert world.award.tender.rule_pack == "CL@2026.1"
    settings.PREGON_INVOICE_DUE_DAYS = 45

    invoice = world.invoice(delivered, 1, 11)

    assert (invoice.due_days, invoice.due_on, invoice.due_rule) == (
        30,
        world.date(41),
        "CL@2026.1:payment.30_days",
    )
    audit = AuditEvent.objects.get(action="invoice.submit", object_id=str(invoice.pk))
    assert audit.summary["due_rule"] == "CL@2026.1:payment.30_days"
    with translation.override("es"):
        assert invoice_due_basis(invoice) == (
            "Pago dentro de 30 días (Ley 19.886 (reformed by Ley 21.634))"
        )


def test_brazils_shipped_pack_sets_no_term_so_the_setting_holds_and_stays_with_the_invoice(
    world: ContractWorld, delivered: Contract, settings: Any
) -> None:
    _published_under(world, "BR@2026.1")
    _supplier_scale(world, "micro")
    settings.PREGON_INVOICE_DUE_DAYS = 20

    invoice = world.invoice(delivered, 1, 11)

    assert (invoice.due_days, invoice.due_on, invoice.due_rule) == (20, world.date(31), "")
    with translation.override("en"):
        assert invoice_due_basis(invoice) == "The platform's term (the country's rules set none)"
    # The term in force when it arrives stays with it.
    settings.PREGON_INVOICE_DUE_DAYS = 15
    later = world.invoice(delivered, 2, 41, "10000")
    invoice.refresh_from_db()
    assert (later.due_days, later.due_on) == (15, world.date(56))
    assert (invoice.due_days, invoice.due_on) == (20, world.date(31))


@pytest.mark.parametrize(
    ("scale", "days", "rule"),
    [
        ("micro", 10, "BR@2027.1:payment.me_epp_10_days"),
        ("small", 10, "BR@2027.1:payment.me_epp_10_days"),
        # Self-employed counts as micro, as the reservations count it.
        ("selfEmployed", 10, "BR@2027.1:payment.me_epp_10_days"),
        # The rule names no other size: the setting holds.
        ("medium", 25, ""),
        ("large", 25, ""),
    ],
)
def test_a_brazilian_pack_with_a_term_for_me_epp_gives_it_to_them_only(
    world: ContractWorld,
    delivered: Contract,
    settings: Any,
    brazil_2027: str,
    scale: str,
    days: int,
    rule: str,
) -> None:
    _published_under(world, brazil_2027)
    _supplier_scale(world, scale)
    settings.PREGON_INVOICE_DUE_DAYS = 25

    invoice = world.invoice(delivered, 1, 11)

    assert (invoice.due_days, invoice.due_on, invoice.due_rule) == (
        days,
        world.date(11 + days),
        rule,
    )


def test_the_united_states_goal_is_not_a_deadline(
    world: ContractWorld, delivered: Contract, settings: Any
) -> None:
    # US@2026.1 aims to pay small businesses within 15 days (a goal); it sets no legal term.
    _published_under(world, "US@2026.1")
    settings.PREGON_INVOICE_DUE_DAYS = 30
    for scale in ("small", "large"):
        _supplier_scale(world, scale)
        delivered.refresh_from_db()
        assert invoice_due_term(contract=delivered).days == 30
        assert invoice_due_term(contract=delivered).rule == ""


@pytest.mark.parametrize(
    ("language", "basis"),
    [
        ("en", "Payment within 30 days (Ley 19.886 (reformed by Ley 21.634))"),
        ("es", "Pago dentro de 30 días (Ley 19.886 (reformed by Ley 21.634))"),
        ("pt-br", "Pagamento em até 30 dias (Ley 19.886 (reformed by Ley 21.634))"),
        ("fr", "Paiement sous 30 jours (Ley 19.886 (reformed by Ley 21.634))"),
    ],
)
def test_the_pages_of_the_supplier_and_the_buyer_say_which_rule_set_the_term(
    world: ContractWorld, delivered: Contract, language: str, basis: str
) -> None:
    world.invoice(delivered, 1, 11)
    supplier, buyer = Client(), Client()
    supplier.force_login(world.supplier_actor.user)
    buyer.force_login(world.official.user)
    with translation.override(language):
        mine = reverse("contracts:mine", kwargs={"pk": delivered.pk})
        manage = reverse("contracts:manage", kwargs={"pk": delivered.pk})
    with clock.at(world.at(12)):
        assert basis in supplier.get(mine).content.decode()
        assert basis in buyer.get(manage).content.decode()
