"""Every change of a sub-opportunity, its answers and a contract's subcontracts: one function
each.

- The poster (a supplier): `sub_opportunity_post` for a tender open for bids (it prepares a bid)
  or for a contract it holds (signed by the buyer, not ended); `sub_opportunity_close` (no more
  answers), `sub_opportunity_cancel` (with the reason) and `answer_pick` (one answer is chosen,
  the others are not; on a contract, the subcontract is recorded at once).
- Any other supplier (an MSME only, when it is reserved): `answer_submit` (one standing answer
  per organization; a new one replaces none, it is refused) and `answer_withdraw`.
- The prime contractor (the contract's supplier): `subcontract_record`, from a chosen answer or
  directly for a supplier registered on the platform, and `subcontract_payment_record`.

Every function checks who acts, runs in one transaction on the rows it locks (the tender, then
the contract, then the sub-opportunity, then its answers), writes its audit row, and changes
nothing when it refuses. A subcontract or a payment republishes the contract's process; the
e-mails (to the poster when answered, to the chosen supplier) are sent after the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import require_role
from pregon.contracts.models import Contract
from pregon.contracts.processes import contract_process
from pregon.contracts.services.common import clean_amount, clean_date, clean_text, contract_lock
from pregon.contracts.terms import today_of
from pregon.core import classifications, clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.procurement import ClassificationScheme
from pregon.core.transitions import transition
from pregon.organizations.models import Organization
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.subcontracting import tasks
from pregon.subcontracting.choices import (
    ANSWER_STANDING,
    ANSWER_TRANSITIONS,
    CONTRACT_MOVES,
    TRANSITIONS,
    AnswerStatus,
    Reservation,
)
from pregon.subcontracting.models import Answer, Subcontract, SubcontractPayment, SubOpportunity
from pregon.tenders.models import Tender
from pregon.tenders.services.common import tender_require_open


@dataclass(frozen=True, kw_only=True)
class SubOpportunityData:
    """What the poster writes. The currency is the tender's or the contract's."""

    title: str
    description: str
    estimated_value: Decimal | None
    closes_at: dt.datetime | None
    reserved: str = Reservation.OPEN
    classification_scheme: str = ""
    classification_code: str = ""


@dataclass(frozen=True, kw_only=True)
class AnswerData:
    """A supplier's price for the work (in the sub-opportunity's currency) and its note."""

    price: Decimal | None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class SubcontractData:
    """A subcontract the prime records: from a chosen answer (the subcontractor and, unless
    given, the price come from it) or for a registered supplier."""

    description: str
    value: Decimal | None
    subcontractor: Organization | None = None
    answer: Answer | None = None


@dataclass(frozen=True, kw_only=True)
class SubcontractPaymentData:
    amount: Decimal | None
    paid_on: dt.date | None


# ---------------------------------------------------------------------------------------------
# checks


def _require_supplier(actor: Actor, organization: Organization | None) -> Organization:
    """The acting supplier: refuse anyone acting for no supplier, or without a supplier role."""
    if organization is None or organization.kind != OrganizationKind.SUPPLIER:
        raise PermissionDenied(
            _("Only a supplier can do this; act for your supplier organization."),
            code="not_a_supplier",
        )
    require_role(actor, organization, SUPPLIER_ROLES)
    return organization


def _publish(contract: Contract) -> None:
    """Republish the contract's process (its subcontracts are part of its release)."""
    publication_record(ocid=contract_process(contract).ocid, tag=ReleaseTag.IMPLEMENTATION)


def _check_opportunity(data: SubOpportunityData, now: dt.datetime) -> dict[str, object]:
    title = clean_text(
        data.title, "title", missing=_("Give the sub-opportunity a title."), model=SubOpportunity
    )
    description = clean_text(
        data.description, "description", missing=_("Describe the work you offer.")
    )
    value = clean_amount(data.estimated_value, "estimated_value")
    if not isinstance(data.closes_at, dt.datetime) or data.closes_at.tzinfo is None:
        raise ValidationFailed(_("Give the date and time answers close."), field="closes_at")
    if data.closes_at <= now:
        raise ValidationFailed(_("Answers must close in the future."), field="closes_at")
    if data.reserved not in Reservation.values:
        raise ValidationFailed(_("Choose who may answer."), field="reserved")
    scheme = (data.classification_scheme or "").strip()
    code = (data.classification_code or "").strip()
    if (code or scheme) and (
        scheme not in ClassificationScheme.values or not classifications.is_valid(scheme, code)
    ):
        raise ValidationFailed(
            _("This is not a code of the classification chosen."), field="classification_code"
        )
    return {
        "title": title,
        "description": description,
        "estimated_value": value,
        "closes_at": data.closes_at,
        "reserved": data.reserved,
        "classification_scheme": scheme,
        "classification_code": code,
    }


# ---------------------------------------------------------------------------------------------
# the poster


def sub_opportunity_post(
    *,
    actor: Actor,
    data: SubOpportunityData,
    tender: Tender | None = None,
    contract: Contract | None = None,
) -> SubOpportunity:
    """Post a sub-opportunity for exactly one of a tender open for bids (the poster may be
    preparing a bid for it) or a contract the poster holds, signed by the buyer and not ended.
    It is public at once and takes answers until `closes_at`."""
    poster = _require_supplier(actor, actor.organization)
    if (tender is None) == (contract is None):
        raise ValidationFailed(
            _("A sub-opportunity belongs to one tender or to one contract."), code="link_one"
        )
    now = clock.now()
    fields = _check_opportunity(data, now)
    with transaction.atomic():
        if tender is not None:
            locked_tender = Tender.objects.select_for_update().get(pk=tender.pk)
            tender_require_open(locked_tender, now)
            if locked_tender.buyer_id == poster.pk:
                raise PermissionDenied(_("A buyer does not subcontract its own tender."))
            link: dict[str, Tender | Contract] = {"tender": locked_tender}
            currency = locked_tender.currency
            summary: dict[str, object] = {"tender": locked_tender.reference}
        else:
            assert contract is not None
            locked = contract_lock(contract)
            if locked.supplier_id != poster.pk:
                raise PermissionDenied(
                    _("Only the contract's supplier posts sub-opportunities of it."),
                    code="not_the_prime",
                )
            transition(locked, "subcontract", CONTRACT_MOVES)
            currency, link = locked.currency, {"contract": locked}
            summary = {"contract": locked.pk}
        opportunity = SubOpportunity.objects.create(
            organization=poster,
            currency=currency,
            posted_at=now,
            posted_by=actor.user,
            **link,
            **fields,
        )
        audit_record(
            actor=actor,
            action="subopportunity.post",
            target=opportunity,
            summary={
                **summary,
                "title": fields["title"],
                "value": fields["estimated_value"],
                "reserved": fields["reserved"],
                "closes_at": fields["closes_at"],
            },
        )
    return opportunity


def _opportunity_lock(actor: Actor, opportunity: SubOpportunity) -> SubOpportunity:
    """The poster's sub-opportunity, read again under its lock (after its contract's, if any)."""
    _require_supplier(actor, actor.organization)
    if actor.organization is None or opportunity.organization_id != actor.organization.pk:
        raise PermissionDenied(
            _("Only the organization that posted this sub-opportunity can do this."),
            code="not_the_poster",
        )
    if opportunity.contract_id is not None:
        contract_lock(opportunity.contract)  # type: ignore[arg-type]
    return (
        SubOpportunity.objects.select_for_update(of=("self",))
        .select_related("contract", "contract__tender", "tender", "organization")
        .get(pk=opportunity.pk)
    )


def sub_opportunity_close(*, actor: Actor, opportunity: SubOpportunity) -> SubOpportunity:
    """The poster stops taking answers before the closing time (it may then choose one)."""
    with transaction.atomic():
        locked = _opportunity_lock(actor, opportunity)
        transition(locked, "close", TRANSITIONS)
        locked.ended_at = clock.now()
        locked.save(update_fields=["status", "ended_at"])
        audit_record(actor=actor, action="subopportunity.close", target=locked, summary={})
    return locked


def sub_opportunity_cancel(
    *, actor: Actor, opportunity: SubOpportunity, reason: str
) -> SubOpportunity:
    """The poster withdraws the sub-opportunity, saying why; no answer is chosen."""
    text = clean_text(reason, "reason", missing=_("Say why the sub-opportunity is cancelled."))
    with transaction.atomic():
        locked = _opportunity_lock(actor, opportunity)
        transition(locked, "cancel", TRANSITIONS)
        locked.ended_at, locked.cancellation_reason = clock.now(), text
        locked.save(update_fields=["status", "ended_at", "cancellation_reason"])
        audit_record(
            actor=actor, action="subopportunity.cancel", target=locked, summary={"reason": text}
        )
    return locked


def answer_pick(*, actor: Actor, answer: Answer) -> Answer:
    """The poster chooses one submitted answer: the sub-opportunity is awarded, the other
    submitted answers are not chosen. On a contract, the subcontract is recorded at once (the
    answer's price, the sub-opportunity's title as the work); on a tender, the prime records it
    on its contract once it holds one. The chosen supplier is told by e-mail."""
    with transaction.atomic():
        locked = _opportunity_lock(actor, answer.opportunity)
        mine = Answer.objects.select_for_update().get(pk=answer.pk, opportunity=locked)
        transition(locked, "pick", TRANSITIONS)
        transition(mine, "choose", ANSWER_TRANSITIONS)
        now = clock.now()
        locked.ended_at = locked.ended_at or now
        locked.save(update_fields=["status", "ended_at"])
        mine.decided_at = now
        mine.save(update_fields=["status", "decided_at"])
        Answer.objects.filter(opportunity=locked, status=AnswerStatus.SUBMITTED).exclude(
            pk=mine.pk
        ).update(status=AnswerStatus.NOT_CHOSEN, decided_at=now)
        audit_record(
            actor=actor,
            action="subopportunity.pick",
            target=locked,
            summary={"answer": mine.pk, "organization": mine.organization_id, "price": mine.price},
        )
        if locked.contract is not None:
            contract = locked.contract
            transition(contract, "subcontract", CONTRACT_MOVES)
            _subcontract_create(
                actor=actor,
                contract=contract,
                subcontractor=mine.organization,
                description=locked.title,
                value=mine.price,
                answer=mine,
            )
            _publish(contract)
        answer_id = mine.pk
        transaction.on_commit(lambda: tasks.send_answer_chosen.enqueue(answer_id))
    return mine


# ---------------------------------------------------------------------------------------------
# the answering suppliers


def answer_submit(*, actor: Actor, opportunity: SubOpportunity, data: AnswerData) -> Answer:
    """A supplier's answer: its price and note. Refused to the poster itself, to a firm that is
    not an MSME when the sub-opportunity is reserved, after the closing time, and to an
    organization that already has a standing answer (it withdraws that one first)."""
    supplier = _require_supplier(actor, actor.organization)
    price = clean_amount(data.price, "price")
    note = clean_text(data.note, "note")
    with transaction.atomic():
        locked = SubOpportunity.objects.select_for_update().get(pk=opportunity.pk)
        transition(locked, "answer", TRANSITIONS)
        if locked.closes_at <= clock.now():
            raise InvalidTransition(
                _("Answers to this sub-opportunity closed on %(date)s.")
                % {"date": locked.closes_at.isoformat(timespec="minutes")},
                code="answers_closed",
            )
        if locked.organization_id == supplier.pk:
            raise PermissionDenied(
                _("You posted this sub-opportunity; you cannot answer it."), code="own_opportunity"
            )
        if locked.is_reserved and not supplier.is_msme:
            raise PermissionDenied(
                _(
                    "This sub-opportunity is reserved for micro, small and medium-sized "
                    "enterprises; your organization's scale is %(scale)s."
                )
                % {"scale": supplier.get_scale_display().lower()},
                code="reserved_for_msmes",
            )
        if Answer.objects.filter(
            opportunity=locked, organization=supplier, status__in=sorted(ANSWER_STANDING)
        ).exists():
            raise InvalidTransition(
                _("Your organization has already answered; withdraw that answer to send another."),
                code="already_answered",
            )
        answer = Answer.objects.create(
            opportunity=locked,
            organization=supplier,
            price=price,
            currency=locked.currency,
            note=note,
            scale=supplier.scale,
            submitted_at=clock.now(),
            submitted_by=actor.user,
        )
        audit_record(
            actor=actor,
            action="subanswer.submit",
            target=answer,
            summary={"opportunity": locked.pk, "price": price, "scale": supplier.scale},
        )
        answer_id = answer.pk
        transaction.on_commit(lambda: tasks.send_answer_received.enqueue(answer_id))
    return answer


def answer_withdraw(*, actor: Actor, answer: Answer) -> Answer:
    """The answering supplier withdraws its submitted answer (before one is chosen)."""
    supplier = _require_supplier(actor, actor.organization)
    if answer.organization_id != supplier.pk:
        raise PermissionDenied(
            _("Only the organization that answered can withdraw this answer."),
            code="not_the_answerer",
        )
    with transaction.atomic():
        SubOpportunity.objects.select_for_update().get(pk=answer.opportunity_id)
        mine = Answer.objects.select_for_update().get(pk=answer.pk)
        transition(mine, "withdraw", ANSWER_TRANSITIONS)
        mine.decided_at = clock.now()
        mine.save(update_fields=["status", "decided_at"])
        audit_record(
            actor=actor,
            action="subanswer.withdraw",
            target=mine,
            summary={"opportunity": mine.opportunity_id},
        )
    return mine


# ---------------------------------------------------------------------------------------------
# the prime's subcontracts


def _subcontract_create(
    *,
    actor: Actor,
    contract: Contract,
    subcontractor: Organization,
    description: str,
    value: Decimal,
    answer: Answer | None,
) -> Subcontract:
    """A subcontract of the locked contract (checked by the caller), with its audit row."""
    if subcontractor.kind != OrganizationKind.SUPPLIER:
        raise ValidationFailed(
            _("The subcontractor must be a supplier registered on the platform."),
            field="subcontractor",
        )
    if subcontractor.pk == contract.supplier_id:
        raise ValidationFailed(
            _("A contract's supplier does not subcontract to itself."), field="subcontractor"
        )
    already = Subcontract.objects.filter(contract=contract).aggregate(total=Sum("value"))[
        "total"
    ] or Decimal(0)
    if already + value > contract.value:
        raise ValidationFailed(
            _(
                "The subcontracts would then be worth more than the contract (%(value)s "
                "%(currency)s); %(left)s %(currency)s is left to subcontract."
            )
            % {
                "value": contract.value,
                "currency": contract.currency,
                "left": max(contract.value - already, Decimal(0)),
            },
            field="value",
        )
    last = (
        Subcontract.objects.filter(contract=contract)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    subcontract = Subcontract.objects.create(
        contract=contract,
        prime_id=contract.supplier_id,
        subcontractor=subcontractor,
        number=(last or 0) + 1,
        answer=answer,
        description=description,
        value=value,
        currency=contract.currency,
        scale=subcontractor.scale,
        recorded_at=clock.now(),
        recorded_by=actor.user,
    )
    audit_record(
        actor=actor,
        action="subcontract.record",
        target=subcontract,
        summary={
            "contract": contract.pk,
            "subcontract": subcontract.number,
            "subcontractor": subcontractor.pk,
            "value": value,
            "scale": subcontractor.scale,
            "answer": answer.pk if answer else None,
        },
    )
    return subcontract


def _require_prime(actor: Actor, contract: Contract) -> None:
    _require_supplier(actor, actor.organization)
    if actor.organization is None or contract.supplier_id != actor.organization.pk:
        raise PermissionDenied(
            _("Only the contract's supplier records its subcontracts."), code="not_the_prime"
        )


def subcontract_record(*, actor: Actor, contract: Contract, data: SubcontractData) -> Subcontract:
    """The prime records a subcontract of its contract (signed by the buyer, not ended): from
    an answer it chose (on this contract or on its tender) not yet recorded, or directly for
    a supplier registered on the platform. The subcontractor's scale is kept as it is now.
    Published with the contract."""
    _require_prime(actor, contract)
    description = clean_text(
        data.description,
        "description",
        missing=_("Describe the work subcontracted.") if data.answer is None else None,
    )
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "subcontract", CONTRACT_MOVES)
        answer = None
        if data.answer is not None:
            answer = (
                Answer.objects.select_for_update(of=("self",))
                .select_related("opportunity", "organization")
                .filter(pk=data.answer.pk)
                .first()
            )
            opportunity = answer.opportunity if answer else None
            if (
                answer is None
                or opportunity is None
                or answer.status != AnswerStatus.CHOSEN
                or opportunity.organization_id != locked.supplier_id
                or not (
                    opportunity.contract_id == locked.pk
                    or (
                        opportunity.tender_id is not None
                        and opportunity.tender_id == locked.tender_id
                    )
                )
            ):
                raise ValidationFailed(
                    _("Choose an answer you picked for this contract or its tender."),
                    field="answer",
                )
            if Subcontract.objects.filter(answer=answer).exists():
                raise InvalidTransition(
                    _("A subcontract already records this answer."), code="answer_recorded"
                )
            subcontractor = answer.organization
            value = clean_amount(data.value if data.value is not None else answer.price, "value")
            description = description or opportunity.title
        else:
            if data.subcontractor is None:
                raise ValidationFailed(
                    _("Name the subcontractor, a supplier registered on the platform."),
                    field="subcontractor",
                )
            subcontractor = data.subcontractor
            value = clean_amount(data.value, "value")
        subcontract = _subcontract_create(
            actor=actor,
            contract=locked,
            subcontractor=subcontractor,
            description=description,
            value=value,
            answer=answer,
        )
        _publish(locked)
    return subcontract


def subcontract_payment_record(
    *, actor: Actor, subcontract: Subcontract, data: SubcontractPaymentData
) -> SubcontractPayment:
    """The prime records a payment to a subcontractor, made on `data.paid_on` (not after
    today in the buyer's calendar, as the contract's days are), of at most what is left to pay
    of the subcontract. Published with the contract."""
    contract = subcontract.contract
    _require_prime(actor, contract)
    amount = clean_amount(data.amount, "amount")
    paid_on = clean_date(data.paid_on, "paid_on", missing=_("Give the date of the payment."))
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "pay_subcontract", CONTRACT_MOVES)
        mine = Subcontract.objects.select_for_update().get(pk=subcontract.pk, contract=locked)
        if paid_on > today_of(locked.buyer):
            raise ValidationFailed(
                _("A payment cannot be recorded in the future."), field="paid_on"
            )
        if amount > mine.left_to_pay:
            raise ValidationFailed(
                _("This is more than is left to pay of the subcontract: %(left)s %(currency)s.")
                % {"left": mine.left_to_pay, "currency": mine.currency},
                field="amount",
            )
        last = (
            SubcontractPayment.objects.filter(subcontract=mine)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        payment = SubcontractPayment.objects.create(
            subcontract=mine,
            number=(last or 0) + 1,
            amount=amount,
            currency=mine.currency,
            paid_on=paid_on,
            recorded_at=clock.now(),
            recorded_by=actor.user,
        )
        mine.paid_amount += amount
        mine.save(update_fields=["paid_amount"])
        audit_record(
            actor=actor,
            action="subcontract.pay",
            target=mine,
            summary={
                "contract": locked.pk,
                "subcontract": mine.number,
                "amount": amount,
                "paid_on": paid_on,
            },
        )
        _publish(locked)
    return payment


__all__ = [
    "AnswerData",
    "SubOpportunityData",
    "SubcontractData",
    "SubcontractPaymentData",
    "answer_pick",
    "answer_submit",
    "answer_withdraw",
    "sub_opportunity_cancel",
    "sub_opportunity_close",
    "sub_opportunity_post",
    "subcontract_payment_record",
    "subcontract_record",
]
