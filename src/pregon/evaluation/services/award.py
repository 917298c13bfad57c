"""The award decision on each lot, its standstill period and the complaints about it.

A buyer official (signed in as themselves) decides a lot once its evaluation is completed
(`award_decide`): the bid ranked first (after the adjustments) is awarded at its price for the
lot, or, when no bid is valid, the lot is declared unsuccessful, with the reason either way. An
award starts its standstill period (`PREGON_STANDSTILL_DAYS` days); every bidder of the lot gets
a notice in its workspace and by e-mail, in its people's languages. When the period is over
without a pending complaint the award becomes final (`services.standstill`, run by a scheduled
task and by `pregon end_standstills`), and the contract may be signed.

During the standstill a bidder of the lot files a complaint, with its grounds and documents
(`complaint_file`); the award is suspended while one is pending. The buyer's officials (or an
oversight body's auditors: `PREGON_COMPLAINTS_DECIDED_BY`) decide it (`complaint_decide`):
upheld, the award is cancelled and the lot's evaluation goes back to the committee; dismissed,
the award resumes its standstill, or becomes final if its time has passed meanwhile.

Every function runs in one transaction on the locked rows (the tender, then the evaluation,
then the award, then its complaints), writes its audit row and publishes a release (`award`
for a decision, `awardUpdate` for every later change); e-mails and the end of the standstill
are enqueued on commit. A refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.permissions import require_role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.transitions import transition
from pregon.core.uploads import CheckedUpload, check_upload
from pregon.evaluation import tasks
from pregon.evaluation.choices import (
    AWARD_STANDING,
    AWARD_TRANSITIONS,
    COMPLAINT_DOCUMENTS_MAX,
    COMPLAINT_TRANSITIONS,
    GROUNDS_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TRANSITIONS,
    AwardNoticeKind,
    AwardStatus,
    ComplaintStatus,
    Compliance,
)
from pregon.evaluation.models import (
    Award,
    AwardNotice,
    BidAssessment,
    Complaint,
    ComplaintDocument,
    Evaluation,
)
from pregon.evaluation.selectors import (
    award_bidder_check,
    award_buyer_check,
    complaint_decider_check,
)
from pregon.evaluation.services.completion import ranking_price
from pregon.evaluation.services.evaluation import evaluation_reopen
from pregon.organizations.models import Organization
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender


def _text(value: str, field: str, missing: str, limit: int = TEXT_MAX_LENGTH) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(missing, field=field)
    if len(text) > limit:
        raise ValidationFailed(_("Write at most %(max)s characters.") % {"max": limit}, field=field)
    return text


def standstill_days() -> int:
    """The days of the standstill period after a decision (`PREGON_STANDSTILL_DAYS`)."""
    return int(settings.PREGON_STANDSTILL_DAYS)


def _lock_tender(tender_id: int) -> Tender:
    return Tender.objects.select_for_update().select_related("buyer").get(pk=tender_id)


def _lock_award(award: Award) -> tuple[Tender, Award]:
    """The award's tender and the award, locked in that order."""
    tender = _lock_tender(award.tender_id)
    locked = Award.objects.select_for_update().select_related("lot").get(pk=award.pk)
    return tender, locked


def _notify(award: Award, kinds: Mapping[int, str]) -> list[AwardNotice]:
    """One notice per bidder (`kinds`: organization id → kind), e-mailed after commit."""
    notices = [
        AwardNotice.objects.create(award=award, organization_id=organization_id, kind=kind)
        for organization_id, kind in kinds.items()
    ]
    for notice in notices:
        notice_id = notice.pk
        transaction.on_commit(lambda n=notice_id: tasks.send_award_notice.enqueue(n))  # type: ignore[misc]
    return notices


def _schedule_standstill_end(award: Award) -> None:
    ends, award_id = award.standstill_ends_at, award.pk
    transaction.on_commit(lambda: tasks.end_standstill.using(run_after=ends).enqueue(award_id))


# ---------------------------------------------------------------------------------------------
# the decision


def award_decide(*, actor: Actor, evaluation: Evaluation, reason: str) -> Award:
    """Decide the evaluated lot: award the bid ranked first, or declare the lot unsuccessful
    when no bid is valid; `reason` is the buyer's justification (or why nothing is awarded),
    published with the decision.

    Refused before the lot's evaluation is completed, for a tender that is not closed (a
    cancelled one), and for a lot already decided (a cancelled award is decided again once the
    lot's evaluation is completed again).
    """
    award_buyer_check(actor=actor, tender=evaluation.tender)
    text = _text(reason, "reason", _("Give the reasons for the decision."))
    with transaction.atomic():
        tender = _lock_tender(evaluation.tender_id)
        if tender.status != TenderStatus.CLOSED:
            raise InvalidTransition(
                _("This tender is %(status)s; its lots are not awarded.")
                % {"status": tender.get_status_display().lower()},
                code="tender_not_closed",
            )
        locked = Evaluation.objects.select_for_update().select_related("lot").get(pk=evaluation.pk)
        transition(locked, "award", TRANSITIONS)
        if Award.objects.filter(lot=locked.lot, status__in=AWARD_STANDING).exists():
            raise InvalidTransition(
                _("Lot %(lot)s is already decided.") % {"lot": locked.lot.number},
                code="already_decided",
            )
        assessments = list(
            BidAssessment.objects.filter(evaluation=locked)
            .select_related("supplier")
            .order_by("received_at", "bid_id")
        )
        first = next(
            (a for a in assessments if a.compliance == Compliance.QUALIFIED and a.rank == 1), None
        )
        now = clock.now()
        # The awarded price is the one ranked: a covering price when the bid covered the best
        # offer (a right to cover), else its price for the lot.
        price = None if first is None else ranking_price(locked, first.bid_id) or first.price
        if first is None:
            award = Award.objects.create(
                tender=tender,
                lot=locked.lot,
                status=AwardStatus.UNSUCCESSFUL,
                reason=text,
                decided_at=now,
                decided_by=actor.user,
            )
            kinds = {a.supplier_id: AwardNoticeKind.UNSUCCESSFUL for a in assessments}
            action = "award.unsuccessful"
            summary: dict[str, object] = {"lot": locked.lot.number, "reason": text}
        else:
            award = Award.objects.create(
                tender=tender,
                lot=locked.lot,
                status=AwardStatus.STANDSTILL,
                bid_id=first.bid_id,
                supplier=first.supplier,
                value_amount=price,
                currency=first.currency,
                reason=text,
                decided_at=now,
                decided_by=actor.user,
                standstill_ends_at=now + dt.timedelta(days=standstill_days()),
            )
            kinds = {
                a.supplier_id: AwardNoticeKind.AWARDED
                if a.supplier_id == first.supplier_id
                else AwardNoticeKind.NOT_AWARDED
                for a in assessments
            }
            action = "award.decide"
            summary = {
                "lot": locked.lot.number,
                "bid": first.bid_id,
                "supplier": first.supplier.party_id,
                "value": f"{price} {first.currency}",
                "standstill_ends_at": award.standstill_ends_at,
                "reason": text,
            }
            _schedule_standstill_end(award)
        _notify(award, kinds)
        audit_record(actor=actor, action=action, target=award, summary=summary)
        publication_record(ocid=tender.ocid, tag=ReleaseTag.AWARD)
    return award


# ---------------------------------------------------------------------------------------------
# complaints


def _checked_documents(documents: Sequence[UploadedFile]) -> list[CheckedUpload]:
    if len(documents) > COMPLAINT_DOCUMENTS_MAX:
        raise ValidationFailed(
            _("Attach at most %(max)s documents.") % {"max": COMPLAINT_DOCUMENTS_MAX},
            field="documents",
        )
    return [check_upload(document) for document in documents]


def _store_document(complaint: Complaint, checked: CheckedUpload) -> ComplaintDocument:
    limit = ComplaintDocument._meta.get_field("filename").max_length or 200
    filename = checked.filename if len(checked.filename) <= limit else checked.filename[-limit:]
    document = ComplaintDocument(
        complaint=complaint,
        filename=filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    # Stored under its content hash: a rolled-back complaint leaves at most an unreferenced
    # file that a later identical upload reuses; no row ever points at a partial write.
    document.file.save(checked.sha256, checked.file, save=False)
    document.save()
    return document


def complaint_file(
    *,
    actor: Actor,
    award: Award,
    complainant: Organization,
    grounds: str,
    documents: Sequence[UploadedFile] = (),
) -> Complaint:
    """`complainant`, a bidder of the award's lot (not the one awarded), complains about the
    award during its standstill, with its `grounds` and up to `COMPLAINT_DOCUMENTS_MAX`
    documents (checked by `pregon.core.uploads`). The award is suspended until the complaint
    is decided. Everything filed is public.

    Refused to anyone who did not bid on the lot, after the standstill period (by the
    database's clock, under the award's lock), for an unsuccessful or final award, and while
    the same bidder's earlier complaint about it is still pending.
    """
    award_bidder_check(actor=actor, award=award, supplier=complainant)
    if award.supplier_id == complainant.pk:
        raise InvalidTransition(
            _("Your bid is the one awarded; there is nothing for you to complain about."),
            code="awarded_bidder",
        )
    text = _text(grounds, "grounds", _("Write the grounds of your complaint."), GROUNDS_MAX_LENGTH)
    checked = _checked_documents(documents)
    with transaction.atomic():
        tender, locked = _lock_award(award)
        transition(locked, "complain", AWARD_TRANSITIONS)
        now = clock.db_now()
        if locked.standstill_ends_at is None or locked.standstill_ends_at <= now:
            raise InvalidTransition(
                _("The standstill period of this award is over; complaints are no longer filed."),
                code="standstill_over",
            )
        if Complaint.objects.filter(
            award=locked, complainant=complainant, status=ComplaintStatus.PENDING
        ).exists():
            raise InvalidTransition(
                _("Your earlier complaint about this award is still pending."),
                code="complaint_pending",
            )
        locked.save(update_fields=["status"])
        complaint = Complaint.objects.create(
            award=locked,
            complainant=complainant,
            filed_by=actor.user,
            grounds=text,
            submitted_at=now,
        )
        stored = [_store_document(complaint, upload) for upload in checked]
        audit_record(
            actor=actor,
            action="complaint.file",
            target=complaint,
            summary={
                "award": locked.ocds_id,
                "lot": locked.lot.number,
                "grounds": text,
                "documents": [document.filename for document in stored],
            },
        )
        publication_record(ocid=tender.ocid, tag=ReleaseTag.AWARD_UPDATE)
    return complaint


def complaint_decide(
    *, actor: Actor, complaint: Complaint, upheld: bool, resolution: str
) -> Complaint:
    """Decide a pending complaint, with the reasons (`resolution`, published).

    Upheld: the award is cancelled, the other pending complaints about it are closed with the
    same reasons, the lot's evaluation is reopened for the committee, and every bidder of the
    lot is told. Dismissed: once no complaint about the award is pending, the award resumes its
    standstill, or becomes final if the standstill period is over.
    """
    complaint_decider_check(actor=actor, tender=complaint.award.tender)
    text = _text(resolution, "resolution", _("Give the reasons for the decision."))
    with transaction.atomic():
        tender, award = _lock_award(complaint.award)
        complaints = list(
            Complaint.objects.select_for_update().filter(award=award).order_by("submitted_at", "pk")
        )
        mine = next(c for c in complaints if c.pk == complaint.pk)
        transition(mine, "uphold" if upheld else "dismiss", COMPLAINT_TRANSITIONS)
        now = clock.db_now()
        decided = [mine]
        if upheld:
            transition(award, "cancel", AWARD_TRANSITIONS)
            award.cancelled_at = now
            award.save(update_fields=["status", "cancelled_at"])
            for other in complaints:
                if other is not mine and other.status == ComplaintStatus.PENDING:
                    transition(other, "close", COMPLAINT_TRANSITIONS)
                    decided.append(other)
            evaluation = Evaluation.objects.get(lot_id=award.lot_id)
            evaluation_reopen(actor=actor, evaluation=evaluation, reason=text)
            _notify(
                award,
                dict.fromkeys(
                    BidAssessment.objects.filter(evaluation=evaluation)
                    .values_list("supplier_id", flat=True)
                    .distinct(),
                    AwardNoticeKind.CANCELLED,
                ),
            )
        elif not any(c.status == ComplaintStatus.PENDING for c in complaints):
            transition(award, "resume", AWARD_TRANSITIONS)
            if award.standstill_ends_at is not None and award.standstill_ends_at <= now:
                award.status, award.activated_at = AwardStatus.ACTIVE, now
            else:
                award.status = AwardStatus.STANDSTILL
                _schedule_standstill_end(award)
            award.save(update_fields=["status", "activated_at"])
        for entry in decided:
            entry.decided_at, entry.decided_by, entry.resolution = now, actor.user, text
            entry.save(update_fields=["status", "decided_at", "decided_by", "resolution"])
        audit_record(
            actor=actor,
            action="complaint.decide",
            target=mine,
            summary={
                "award": award.ocds_id,
                "lot": award.lot.number,
                "status": mine.status,
                "resolution": text,
            },
        )
        publication_record(ocid=tender.ocid, tag=ReleaseTag.AWARD_UPDATE)
    return mine


# ---------------------------------------------------------------------------------------------
# notices


def award_notice_read(*, actor: Actor, notice: AwardNotice) -> AwardNotice:
    """Record that the bidder read its notice (the first time only; audited, as the proof
    that it was told)."""
    from_db = AwardNotice.objects.select_related("award__lot").get(pk=notice.pk)
    require_role(actor, from_db.organization, SUPPLIER_ROLES)
    if from_db.read_at is not None:
        return from_db
    with transaction.atomic():
        locked = AwardNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.read_at is None:
            locked.read_at = clock.now()
            locked.save(update_fields=["read_at"])
            audit_record(
                actor=actor,
                action="award.notice_read",
                target=locked,
                summary={"award": from_db.award.ocds_id, "lot": from_db.award.lot.number},
            )
    return locked
