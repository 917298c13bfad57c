"""The payment terms a contract's invoices are held to, read in one place.

An invoice is due a number of calendar days after the buyer receives it on the platform: the
legal term of the rule pack its contract's tender was published under, for the supplier's size
(`rules.payment_term`; a self-employed supplier counts as micro), else
`PREGON_INVOICE_DUE_DAYS` (30 by default). A pack's goal (`kind = "goal"`, the United States'
accelerated payment of small businesses) is a target the buyer aims at, not a deadline: it never
makes an invoice late, so the legal term, or the setting, holds. Every caller asks
`invoice_due_term`, none reads the setting or the pack itself. Each invoice keeps the term it was
given and the rule that set it (`Invoice.due_rule`), so a later change of the rule, of the
setting or of the supplier's size never makes a past payment late or on time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from pregon import rules
from pregon.contracts.processes import contract_process
from pregon.core import clock
from pregon.organizations.choices import Scale
from pregon.tenders.rule_packs import basis_text, pack_of, rule_of, rule_ref, text

if TYPE_CHECKING:
    from pregon.contracts.models import Contract, Invoice
    from pregon.organizations.models import Organization


@dataclasses.dataclass(frozen=True, kw_only=True)
class DueTerm:
    """The calendar days a buyer has to pay an invoice, and the rule that sets them: a pack's
    rule as ``CODE@VERSION:key``, or "" for the platform's `PREGON_INVOICE_DUE_DAYS`."""

    days: int
    rule: str = ""


def _pack_scale(supplier: Organization) -> str | None:
    # The packs know four sizes: a self-employed supplier is the smallest (as the tenders'
    # reservations count it).
    if supplier.scale == Scale.SELF_EMPLOYED:
        return "micro"
    return supplier.scale or None


def invoice_due_term(*, contract: Contract) -> DueTerm:
    """The term of an invoice of `contract`, from the day the buyer receives it: the legal
    payment term of its tender's rule pack for the supplier's size, else the platform's
    setting. Goals are not terms (see the module's docstring)."""
    if contract.tender is not None:
        pack = pack_of(contract.tender)
    else:
        # A purchase order follows the pack its quick quote was published under.
        ref = contract_process(contract).rule_pack
        pack = rules.pack(ref) if ref else rules.pack_for_country(str(contract.buyer.country))
    legal = dataclasses.replace(
        pack, payment_terms=tuple(r for r in pack.payment_terms if r.kind == "term")
    )
    rule = rules.payment_term(legal, scale=_pack_scale(contract.supplier))
    if rule is None:
        return DueTerm(days=int(settings.PREGON_INVOICE_DUE_DAYS))
    return DueTerm(days=rule.days, rule=rule_ref(pack.ref, rule))


def invoice_due_on(*, received_on: dt.date, due_days: int) -> dt.date:
    """The last day an invoice received on `received_on` may be paid without being late."""
    return received_on + dt.timedelta(days=due_days)


def invoice_due_basis(invoice: Invoice) -> str:
    """What set the invoice's term, in the active language: the pack's rule with its legal
    basis ("Pago dentro de 30 días (Ley 19.886 …)"), or the platform's own term."""
    if not invoice.due_rule:
        return _("The platform's term (the country's rules set none)")
    rule = rule_of(invoice.due_rule)
    if rule is None:
        # A pack version no longer installed: its reference still says which rule it was.
        return invoice.due_rule
    return str(format_lazy("{title} ({basis})", title=text(rule.title), basis=basis_text(rule)))


def day_of(organization: Organization, moment: dt.datetime) -> dt.date:
    """The day `moment` falls on in the organization's zone: a contract's dates (its period,
    deliveries, invoices and payments) are days of its buyer's calendar."""
    return timezone.localtime(moment, ZoneInfo(organization.effective_time_zone)).date()


def today_of(organization: Organization) -> dt.date:
    """Today in the organization's zone (by the platform clock)."""
    return day_of(organization, clock.now())
