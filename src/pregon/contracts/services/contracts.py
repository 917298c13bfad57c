"""A contract's life, from the active award to its end.

A buyer official drafts the contract of an active award (`contract_draft`: standstill over, no
complaint pending, the winner's evidence given: its held documents current and its scale
verified), with its title, period, documents and deliveries (`contract_update`,
`contract_document_add`, `milestone_add`, `milestone_remove`); its value and currency are the
award's. The buyer signs it (`contract_sign`), which publishes it and, on commit, e-mails the
supplier's people that it awaits them; the supplier confirms it in its workspace
(`contract_confirm`), which puts it in force. A contract not yet in force may be
cancelled (`contract_cancel`). In force, the buyer amends it (`contract_amend`: a new value,
end date or description, with the reason), adds deliveries and records them met
(`milestone_meet`), and at the end completes it (`contract_complete`, every delivery met) or
terminates it (`contract_terminate`, with the reason).

Every function runs in one transaction, on the locked tender and contract, with its audit row;
every public change publishes an OCDS release in it (`contract`, `contractUpdate`,
`contractAmendment`, `implementation`, `contractTermination`); a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.accounts.choices import BUYER_WRITE_ROLES
from pregon.accounts.permissions import require_role
from pregon.contracts import tasks
from pregon.contracts.choices import (
    CONTRACT_STANDING,
    MILESTONE_TRANSITIONS,
    TRANSITIONS,
    MilestoneStatus,
)
from pregon.contracts.models import Contract, ContractAmendment, ContractDocument, Milestone
from pregon.contracts.processes import contract_process
from pregon.contracts.services.common import (
    check_document,
    clean_amount,
    clean_date,
    clean_text,
    contract_lock,
    next_number,
    require_buyer,
    require_supplier,
    store_document,
)
from pregon.contracts.services.data import (
    AmendmentData,
    ContractData,
    DocumentData,
    MilestoneData,
    OrderData,
)
from pregon.contracts.terms import day_of, today_of
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.transitions import transition
from pregon.evaluation.choices import AwardStatus
from pregon.evaluation.models import Award
from pregon.organizations.models import Organization
from pregon.organizations.selectors import supplier_evidence_check
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.tenders.models import Tender

# ---------------------------------------------------------------------------------------------
# checks made before anything is locked


def _check_contract_data(data: ContractData) -> tuple[str, str, dt.date, dt.date]:
    title = clean_text(data.title, "title", missing=_("Give the contract a title."), model=Contract)
    description = clean_text(data.description, "description")
    start = clean_date(data.period_start, "period_start", missing=_("Give the start date."))
    end = clean_date(data.period_end, "period_end", missing=_("Give the end date."))
    if end < start:
        raise ValidationFailed(_("The contract cannot end before it starts."), field="period_end")
    return title, description, start, end


def _check_milestone_data(data: MilestoneData) -> tuple[str, str, dt.date]:
    title = clean_text(
        data.title, "title", missing=_("Say what is to be delivered."), model=Milestone
    )
    description = clean_text(data.description, "description")
    due = clean_date(data.due_date, "due_date", missing=_("Give the due date."))
    return title, description, due


def _publish(contract: Contract, tag: str) -> None:
    publication_record(ocid=contract_process(contract).ocid, tag=tag)


# ---------------------------------------------------------------------------------------------
# the draft


def contract_draft(*, actor: Actor, award: Award, data: ContractData) -> Contract:
    """Draft the contract of an active award: the award's supplier, value and currency, and
    the title and period the buyer gives. Refused while the award is in its standstill or
    suspended (or was cancelled, or names no supplier), and while another contract of the award
    stands (one not cancelled or terminated)."""
    tender: Tender = award.tender
    require_role(actor, tender.buyer, BUYER_WRITE_ROLES)
    title, description, start, end = _check_contract_data(data)
    with transaction.atomic():
        locked_tender = (
            Tender.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=tender.pk)
        )
        locked = (
            Award.objects.select_for_update(of=("self",))
            .select_related("supplier")
            .get(pk=award.pk)
        )
        if locked.status != AwardStatus.ACTIVE or locked.supplier is None:
            raise InvalidTransition(
                _(
                    "This award is %(status)s; a contract is drafted once the award is final "
                    "(the standstill over, no complaint pending)."
                )
                % {"status": str(locked.get_status_display()).lower()},
                code="award_not_active",
            )
        if Contract.objects.filter(award=locked, status__in=CONTRACT_STANDING).exists():
            raise InvalidTransition(
                _(
                    "This award already has a contract; a new one can be drafted only once that "
                    "one is cancelled or terminated."
                ),
                code="contract_exists",
            )
        # Evidence is asked only of the winner, and only now (the self-declaration stood in
        # for it at submission): documents current in the supplier's zone, scale verified.
        supplier_evidence_check(organization=locked.supplier)
        assert locked.value_amount is not None
        contract = Contract.objects.create(
            tender=locked_tender,
            award=locked,
            buyer=locked_tender.buyer,
            supplier=locked.supplier,
            title=title,
            description=description,
            value=locked.value_amount,
            currency=locked.currency,
            period_start=start,
            period_end=end,
            created_by=actor.user,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="contract.draft",
            target=contract,
            summary={
                "award": locked.pk,
                "title": title,
                "value": contract.value,
                "period_start": start,
                "period_end": end,
            },
        )
    return contract


def contract_order_draft(
    *, actor: Actor, buyer: Organization, supplier: Organization, data: OrderData
) -> Contract:
    """Draft a purchase order: a contract of no tender nor award (ADR 0020), between `buyer`
    and `supplier`, of `data.value`. The procedure that issues it (a quick quote) calls this
    in its own transaction, links the order to itself (so that `processes.contract_process`
    finds it), adds the delivery and signs it (`contract_sign`); the supplier's confirmation
    (`contract_confirm`) is its acceptance."""
    require_role(actor, buyer, BUYER_WRITE_ROLES)
    title, description, start, end = _check_contract_data(
        ContractData(
            title=data.title,
            description=data.description,
            period_start=data.period_start,
            period_end=data.period_end,
        )
    )
    value = clean_amount(data.value, "value")
    with transaction.atomic():
        contract = Contract.objects.create(
            buyer=buyer,
            supplier=supplier,
            title=title,
            description=description,
            value=value,
            currency=data.currency,
            period_start=start,
            period_end=end,
            created_by=actor.user,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="contract.draft",
            target=contract,
            summary={"title": title, "value": value, "period_start": start, "period_end": end},
        )
    return contract


def contract_update(*, actor: Actor, contract: Contract, data: ContractData) -> Contract:
    """Change a draft's title, description and period."""
    require_buyer(actor, contract)
    title, description, start, end = _check_contract_data(data)
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "edit", TRANSITIONS)
        changes: dict[str, Any] = {}
        for name, value in (
            ("title", title),
            ("description", description),
            ("period_start", start),
            ("period_end", end),
        ):
            if getattr(locked, name) != value:
                changes[name] = [getattr(locked, name), value]
                setattr(locked, name, value)
        if changes:
            locked.save(update_fields=list(changes))
        audit_record(
            actor=actor, action="contract.update", target=locked, summary={"changes": changes}
        )
    return locked


def contract_document_add(
    *, actor: Actor, contract: Contract, data: DocumentData
) -> ContractDocument:
    """Attach a document to a draft (the contract's text, an annex, the guarantees); an
    amendment brings the documents of a contract in force."""
    require_buyer(actor, contract)
    check_document(data)
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "edit", TRANSITIONS)
        document = store_document(actor, locked, data)
        audit_record(
            actor=actor,
            action="contract.document_add",
            target=locked,
            summary={"document": document.title, "sha256": document.sha256},
        )
    return document


def milestone_add(*, actor: Actor, contract: Contract, data: MilestoneData) -> Milestone:
    """Add a delivery the contract expects by a date. On a published contract (signed or in
    force) it is published at once (`contractUpdate`)."""
    require_buyer(actor, contract)
    title, description, due = _check_milestone_data(data)
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "add_milestone", TRANSITIONS)
        milestone = Milestone.objects.create(
            contract=locked,
            number=next_number(Milestone, locked),
            title=title,
            description=description,
            due_date=due,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="contract.milestone_add",
            target=locked,
            summary={"milestone": milestone.number, "title": title, "due_date": due},
        )
        if locked.is_public:
            _publish(locked, ReleaseTag.CONTRACT_UPDATE)
    return milestone


def milestone_remove(*, actor: Actor, milestone: Milestone) -> None:
    """Remove a delivery from a draft (once signed, a delivery stays: it is public)."""
    contract = milestone.contract
    require_buyer(actor, contract)
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "edit", TRANSITIONS)
        mine = Milestone.objects.select_for_update().get(pk=milestone.pk, contract=locked)
        transition(mine, "remove", MILESTONE_TRANSITIONS)
        audit_record(
            actor=actor,
            action="contract.milestone_remove",
            target=locked,
            summary={"milestone": mine.number, "title": mine.title},
        )
        mine.delete()


# ---------------------------------------------------------------------------------------------
# signatures


def contract_sign(*, actor: Actor, contract: Contract, signatory: str) -> Contract:
    """The buyer signs the draft (`signatory`: who signs, and their position). It needs at
    least one document (the contract's text) and the award still final. Publishes the contract
    (OCDS status `pending`: it awaits the supplier's confirmation)."""
    require_buyer(actor, contract)
    name = clean_text(
        signatory,
        "buyer_signatory",
        missing=_("Give the name and position of the person who signs."),
        model=Contract,
    )
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "sign", TRANSITIONS)
        # A purchase order (no award) is signed as its quick quote issues it: its terms are the
        # quick quote's and the chosen quote's, public on their page (ADR 0020).
        if locked.award is not None:
            if locked.award.status != AwardStatus.ACTIVE:
                raise InvalidTransition(
                    _("The award of this contract is no longer final; it cannot be signed."),
                    code="award_not_active",
                )
            if not ContractDocument.objects.filter(contract=locked).exists():
                raise ValidationFailed(
                    _("Attach the contract's text (a document) before signing it."),
                    code="contract_without_document",
                    field="document",
                )
            # A document may have expired (or the scale's evidence been replaced) since the
            # draft.
            supplier_evidence_check(organization=locked.supplier)
        locked.buyer_signatory, locked.buyer_signed_by = name, actor.user
        locked.buyer_signed_at = clock.now()
        locked.save(
            update_fields=["status", "buyer_signatory", "buyer_signed_by", "buyer_signed_at"]
        )
        audit_record(
            actor=actor, action="contract.sign", target=locked, summary={"signatory": name}
        )
        _publish(locked, ReleaseTag.CONTRACT)
        contract_id = locked.pk
        transaction.on_commit(lambda: tasks.send_confirmation_request.enqueue(contract_id))
    return locked


def contract_confirm(*, actor: Actor, contract: Contract, signatory: str) -> Contract:
    """The supplier confirms (signs) the contract the buyer signed: it comes into force, and
    the date of this last signature is its `dateSigned` (`contractUpdate`)."""
    require_supplier(actor, contract)
    name = clean_text(
        signatory,
        "supplier_signatory",
        missing=_("Give the name and position of the person who signs."),
        model=Contract,
    )
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "confirm", TRANSITIONS)
        locked.supplier_signatory, locked.supplier_signed_by = name, actor.user
        locked.supplier_signed_at = max(clock.now(), locked.buyer_signed_at or clock.now())
        locked.save(
            update_fields=[
                "status",
                "supplier_signatory",
                "supplier_signed_by",
                "supplier_signed_at",
            ]
        )
        audit_record(
            actor=actor, action="contract.confirm", target=locked, summary={"signatory": name}
        )
        _publish(locked, ReleaseTag.CONTRACT_UPDATE)
    return locked


def contract_cancel(*, actor: Actor, contract: Contract, reason: str) -> Contract:
    """Cancel a contract before it comes into force, with the reason; the award may then have
    another contract. A signed (published) contract's cancellation is published too."""
    require_buyer(actor, contract)
    text = clean_text(reason, "reason", missing=_("Say why the contract is cancelled."))
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "cancel", TRANSITIONS)
        locked.end_reason, locked.ended_at = text, clock.now()
        locked.save(update_fields=["status", "end_reason", "ended_at"])
        audit_record(actor=actor, action="contract.cancel", target=locked, summary={"reason": text})
        if locked.is_public:
            _publish(locked, ReleaseTag.CONTRACT_UPDATE)
    return locked


# ---------------------------------------------------------------------------------------------
# in force


def contract_amend(*, actor: Actor, contract: Contract, data: AmendmentData) -> ContractAmendment:
    """Change a contract in force: a new value, a new end of the period or a new description
    (at least one of them, each different from the current one), with the reason, and
    optionally the signed amendment as a document. The value never goes below the invoices
    already accepted. Kept with the values before and after; published (`contractAmendment`)."""
    require_buyer(actor, contract)
    reason = clean_text(data.reason, "reason", missing=_("Give the reason for the amendment."))
    value = None if data.value is None else clean_amount(data.value, "value")
    period_end = (
        None
        if data.period_end is None
        else clean_date(data.period_end, "period_end", missing=_("Give the end date."))
    )
    description = None if data.description is None else clean_text(data.description, "description")
    if data.document is not None:
        check_document(data.document)
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "amend", TRANSITIONS)
        if value is not None and value == locked.value:
            value = None
        if period_end is not None and period_end == locked.period_end:
            period_end = None
        if description is not None and description == locked.description:
            description = None
        if value is None and period_end is None and description is None:
            raise ValidationFailed(
                _("Change the value, the end of the period or the description."),
                code="amendment_changes_nothing",
            )
        if value is not None and value < locked.accepted_amount:
            raise ValidationFailed(
                _(
                    "The value cannot go below the invoices already accepted "
                    "(%(accepted)s %(currency)s)."
                )
                % {"accepted": locked.accepted_amount, "currency": locked.currency},
                field="value",
            )
        if period_end is not None and period_end < locked.period_start:
            raise ValidationFailed(
                _("The contract cannot end before it starts."), field="period_end"
            )
        amendment = ContractAmendment.objects.create(
            contract=locked,
            number=next_number(ContractAmendment, locked),
            reason=reason,
            previous_value=locked.value if value is not None else None,
            new_value=value,
            previous_period_end=locked.period_end if period_end is not None else None,
            new_period_end=period_end,
            previous_description=locked.description if description is not None else None,
            new_description=description,
            created_at=clock.now(),
            created_by=actor.user,
        )
        changed = []
        if value is not None:
            locked.value = value
            changed.append("value")
        if period_end is not None:
            locked.period_end = period_end
            changed.append("period_end")
        if description is not None:
            locked.description = description
            changed.append("description")
        locked.save(update_fields=changed)
        document = (
            store_document(actor, locked, data.document, amendment)
            if data.document is not None
            else None
        )
        audit_record(
            actor=actor,
            action="contract.amend",
            target=locked,
            summary={
                "amendment": amendment.number,
                "reason": reason,
                "changes": {
                    name: [
                        getattr(amendment, f"previous_{name}"),
                        getattr(amendment, f"new_{name}"),
                    ]
                    for name in changed
                },
                **({"document": document.title} if document else {}),
            },
        )
        _publish(locked, ReleaseTag.CONTRACT_AMENDMENT)
    return amendment


def milestone_meet(*, actor: Actor, milestone: Milestone, date_met: dt.date) -> Milestone:
    """Record that a delivery was made on `date_met` (not after today, in the buyer's
    calendar, nor before the buyer signed the contract). Published (`implementation`)."""
    contract = milestone.contract
    require_buyer(actor, contract)
    met = clean_date(date_met, "date_met", missing=_("Give the date the delivery was made."))
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "meet_milestone", TRANSITIONS)
        mine = Milestone.objects.select_for_update().get(pk=milestone.pk, contract=locked)
        transition(mine, "meet", MILESTONE_TRANSITIONS)
        if met > today_of(locked.buyer):
            raise ValidationFailed(
                _("The delivery cannot be recorded as made in the future."), field="date_met"
            )
        assert locked.buyer_signed_at is not None
        signed_on = day_of(locked.buyer, locked.buyer_signed_at)
        if met < signed_on:
            raise ValidationFailed(
                _("The delivery cannot be dated before the contract was signed (%(date)s).")
                % {"date": signed_on.isoformat()},
                field="date_met",
            )
        mine.date_met, mine.met_recorded_at = met, clock.now()
        mine.save(update_fields=["status", "date_met", "met_recorded_at"])
        audit_record(
            actor=actor,
            action="contract.milestone_meet",
            target=locked,
            summary={"milestone": mine.number, "title": mine.title, "date_met": met},
        )
        _publish(locked, ReleaseTag.IMPLEMENTATION)
    return mine


def contract_complete(*, actor: Actor, contract: Contract, note: str = "") -> Contract:
    """The contract is fulfilled: every delivery met. Its invoices may still be decided and
    paid. Published (`contractTermination`, OCDS status `terminated`)."""
    require_buyer(actor, contract)
    text = clean_text(note, "reason")
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "complete", TRANSITIONS)
        pending = Milestone.objects.filter(
            contract=locked, status=MilestoneStatus.SCHEDULED
        ).count()
        if pending:
            raise InvalidTransition(
                ngettext(
                    "%(count)s delivery of this contract is not met yet: record it met, or "
                    "terminate the contract with the reason.",
                    "%(count)s deliveries of this contract are not met yet: record them met, "
                    "or terminate the contract with the reason.",
                    pending,
                )
                % {"count": pending},
                code="deliveries_pending",
            )
        locked.end_reason, locked.ended_at = text, clock.now()
        locked.save(update_fields=["status", "end_reason", "ended_at"])
        audit_record(
            actor=actor,
            action="contract.complete",
            target=locked,
            summary={"reason": text} if text else {},
        )
        _publish(locked, ReleaseTag.CONTRACT_TERMINATION)
    return locked


def contract_terminate(*, actor: Actor, contract: Contract, reason: str) -> Contract:
    """End a contract in force before it is fulfilled, with the reason (published,
    `contractTermination`). The award may then have another contract."""
    require_buyer(actor, contract)
    text = clean_text(reason, "reason", missing=_("Say why the contract is terminated."))
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "terminate", TRANSITIONS)
        locked.end_reason, locked.ended_at = text, clock.now()
        locked.save(update_fields=["status", "end_reason", "ended_at"])
        audit_record(
            actor=actor, action="contract.terminate", target=locked, summary={"reason": text}
        )
        _publish(locked, ReleaseTag.CONTRACT_TERMINATION)
    return locked
