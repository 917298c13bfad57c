"""After the closing: the buyer chooses a quote and issues the purchase order.

The buyer chooses one standing quote of a closed quick quote (`quick_quote_pick`), giving the
reason when it is not the lowest price; the choice is published as the process's award. Then
it issues the order (`quick_quote_order`): a contract of no tender nor award (ADR 0020), with
the chosen quote's price, one delivery due on its delivery date, signed by the buyer at once
(the contracts' `contract_sign`, which publishes it). As before any contract, the chosen
supplier's evidence must be complete first (documents current, scale verified: issue 12's
"register once"; the self-declaration stood in for it while quoting). The supplier's
confirmation of that contract (`contracts.services.contract_confirm`) is its acceptance;
deliveries, invoices and payments then follow as in any contract.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from pregon.contracts.models import Contract
from pregon.contracts.services import (
    MilestoneData,
    OrderData,
    contract_order_draft,
    contract_sign,
    milestone_add,
)
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.procurement import interface_language
from pregon.core.transitions import transition
from pregon.core.validation import check_text
from pregon.organizations.selectors import supplier_evidence_check
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.quotes.choices import REASON_MAX_LENGTH, TRANSITIONS, QuoteStatus
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.services.common import lock, require_official


def quick_quote_pick(
    *, actor: Actor, quick_quote: QuickQuote, quote: Quote, reason: str = ""
) -> QuickQuote:
    """Choose `quote` (a standing quote of this closed quick quote). A quote that is not the
    lowest price needs the reason, which is published with the choice (`award`). The choice
    may change until the order is issued."""
    require_official(actor, quick_quote.buyer)
    text = (reason or "").strip()
    check_text(text, "reason", limit=REASON_MAX_LENGTH)
    with transaction.atomic():
        locked = lock(quick_quote)
        transition(locked, "pick", TRANSITIONS)
        standing = list(
            Quote.objects.filter(quick_quote=locked, status=QuoteStatus.SUBMITTED).order_by(
                "price", "submitted_at", "pk"
            )
        )
        chosen = next((q for q in standing if q.pk == quote.pk), None)
        if chosen is None:
            raise ValidationFailed(
                _("Choose one of the standing quotes of this quick quote."), field="quote"
            )
        lowest = standing[0].price
        if chosen.price > lowest and not text:
            raise ValidationFailed(
                _(
                    "This quote is not the lowest (%(lowest)s %(currency)s): say why you choose "
                    "it. The reason is published."
                )
                % {"lowest": lowest, "currency": locked.currency},
                field="reason",
                code="reason_required",
            )
        if locked.chosen_id == chosen.pk and locked.choice_reason == text:
            raise ValidationFailed(_("This quote is already the chosen one."), code="unchanged")
        now = clock.now()
        locked.chosen, locked.chosen_at, locked.choice_reason = chosen, now, text
        locked.updated_at = now
        locked.save(update_fields=["chosen", "chosen_at", "choice_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="quick_quote.pick",
            target=locked,
            summary={
                "quote": chosen.pk,
                "supplier": chosen.supplier.display_name,
                "price": chosen.price,
                "lowest": chosen.price == lowest,
                **({"reason": text} if text else {}),
            },
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.AWARD)
    return locked


def quick_quote_order(*, actor: Actor, quick_quote: QuickQuote, signatory: str) -> Contract:
    """Issue the purchase order of the chosen quote, signed for the buyer by `signatory` (name
    and position): a contract from today to the delivery date, with the delivery as its one
    milestone. It is published (`contract`, OCDS status `pending`) and awaits the supplier's
    confirmation in its workspace. Refused (`EvidenceMissing`, nothing written) while the
    chosen supplier's evidence is incomplete."""
    require_official(actor, quick_quote.buyer)
    with transaction.atomic():
        locked = lock(quick_quote)
        transition(locked, "order", TRANSITIONS)
        chosen = (
            Quote.objects.select_related("supplier")
            .filter(pk=locked.chosen_id, status=QuoteStatus.SUBMITTED)
            .first()
            if locked.chosen_id is not None
            else None
        )
        if chosen is None:
            raise InvalidTransition(
                _("Choose a quote before issuing the order."), code="nothing_chosen"
            )
        supplier_evidence_check(organization=chosen.supplier)
        today = clock.now().astimezone(ZoneInfo(locked.buyer.effective_time_zone)).date()
        due = max(chosen.delivery_date, today)
        order = contract_order_draft(
            actor=actor,
            buyer=locked.buyer,
            supplier=chosen.supplier,
            data=OrderData(
                title=locked.title,
                description=locked.description,
                value=chosen.price,
                currency=locked.currency,
                period_start=today,
                period_end=due,
            ),
        )
        now = clock.now()
        locked.order, locked.ordered_at, locked.updated_at = order, now, now
        locked.save(update_fields=["status", "order", "ordered_at", "updated_at"])
        audit_record(
            actor=actor,
            action="quick_quote.order",
            target=locked,
            summary={
                "order": order.pk,
                "supplier": chosen.supplier.display_name,
                "price": chosen.price,
            },
        )
        # The delivery is named in the quick quote's language, as its other texts.
        with translation.override(interface_language(locked.language)):
            title = _("Delivery at %(place)s") % {"place": locked.delivery_place}
        milestone_add(
            actor=actor, contract=order, data=MilestoneData(title=title[:300], due_date=due)
        )
        return contract_sign(actor=actor, contract=order, signatory=signatory)
