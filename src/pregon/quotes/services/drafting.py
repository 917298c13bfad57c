"""A quick quote from its draft to its publication or cancellation.

A buyer official drafts it in one form (`quick_quote_create`, or from a published plan line:
`quick_quote_create(plan_line=...)`), edits the draft (`quick_quote_update`), publishes it
(`quick_quote_publish`) and may cancel it until the order is issued (`quick_quote_cancel`).
The value must be within the threshold of the quick-quote rule of the buyer's country rule
pack, checked at the draft and again at the publication, when the pack version in force that
day is kept on the quick quote with the rule's least number of quotes, who may quote and the
OCDS method. Every function runs in one transaction with its audit row; a public change
publishes a release in it; a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import OrganizationKind
from pregon.contracts.services.common import clean_amount
from pregon.core import classifications, clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import PermissionDenied, ValidationFailed
from pregon.core.procurement import Category, ClassificationScheme, ContentLanguage, Currency
from pregon.core.transitions import transition
from pregon.core.validation import check_text
from pregon.organizations.models import Organization
from pregon.planning.models import PlanLine
from pregon.planning.services import (
    plan_line_check_followable,
    plan_line_follow,
    plan_line_unfollow,
)
from pregon.publication.choices import ReleaseTag
from pregon.publication.identifiers import ocid_for
from pregon.publication.services import publication_record
from pregon.quotes import packs, tasks
from pregon.quotes.choices import (
    DESCRIPTION_MAX_LENGTH,
    ITEMS_MAX,
    QUICK_QUOTE_SERIES,
    REASON_MAX_LENGTH,
    TRANSITIONS,
    QuickQuoteStatus,
)
from pregon.quotes.models import QuickQuote, QuickQuoteItem
from pregon.quotes.services.common import field_limit, lock, require_official
from pregon.quotes.services.data import ItemData, QuickQuoteData
from pregon.rules import Money

#: The fields of a quick quote that `QuickQuoteData` sets, in the order changes are recorded.
FIELDS = (
    "title",
    "description",
    "language",
    "category",
    "currency",
    "estimated_value",
    "delivery_place",
    "delivery_date",
    "closes_at",
    "restriction",
)


def _choice(value: Any, choices: Any, name: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationFailed(message, field=name)


def _check_item(number: int, item: ItemData) -> dict[str, Any]:
    field = f"items-{number - 1}"
    description = item.description.strip()
    if not description:
        raise ValidationFailed(
            _("Item %(number)s: say what is to be bought.") % {"number": number},
            field=f"{field}-description",
        )
    check_text(
        description,
        f"{field}-description",
        limit=field_limit(QuickQuoteItem, "description"),
    )
    _choice(
        item.classification_scheme,
        ClassificationScheme,
        f"{field}-classification_scheme",
        _("Choose CPV or UNSPSC."),
    )
    code = item.classification_code.strip()
    if not classifications.is_valid(item.classification_scheme, code):
        raise ValidationFailed(
            _("%(code)s is not a %(scheme)s code we know. Pick one from the list.")
            % {"code": code, "scheme": item.classification_scheme},
            field=f"{field}-classification_code",
        )
    quantity = item.quantity
    if (
        not isinstance(quantity, Decimal)
        or not quantity.is_finite()
        or quantity <= 0
        or quantity >= Decimal(10) ** 11
        or quantity != quantity.quantize(Decimal("0.001"))
    ):
        raise ValidationFailed(
            _("Item %(number)s: give a quantity above zero, with at most 3 decimals.")
            % {"number": number},
            field=f"{field}-quantity",
        )
    unit = item.unit.strip()
    if not unit:
        raise ValidationFailed(
            _("Item %(number)s: give the unit (units, boxes, hours…).") % {"number": number},
            field=f"{field}-unit",
        )
    check_text(unit, f"{field}-unit", limit=field_limit(QuickQuoteItem, "unit"))
    return {
        "number": number,
        "description": description,
        "classification_scheme": item.classification_scheme,
        "classification_code": code,
        "quantity": quantity,
        "unit": unit,
    }


def validate(data: QuickQuoteData) -> list[dict[str, Any]]:
    """The quick quote's own fields and its items (returned cleaned); refused on the first
    problem, named by its field."""
    title = data.title.strip()
    if not title:
        raise ValidationFailed(_("Give the quick quote a title."), field="title")
    check_text(title, "title", limit=field_limit(QuickQuote, "title"))
    check_text(data.description, "description", limit=DESCRIPTION_MAX_LENGTH)
    _choice(data.language, ContentLanguage, "language", _("Choose a language."))
    _choice(data.category, Category, "category", _("Choose a main category."))
    _choice(data.currency, Currency, "currency", _("Choose a currency."))
    clean_amount(data.estimated_value, "estimated_value")
    place = data.delivery_place.strip()
    if not place:
        raise ValidationFailed(
            _("Say where the goods are to be delivered."), field="delivery_place"
        )
    check_text(place, "delivery_place", limit=field_limit(QuickQuote, "delivery_place"))
    if not isinstance(data.delivery_date, dt.date) or isinstance(data.delivery_date, dt.datetime):
        raise ValidationFailed(_("Give the delivery date."), field="delivery_date")
    if not isinstance(data.closes_at, dt.datetime) or data.closes_at.tzinfo is None:
        raise ValidationFailed(_("Give the closing date and time."), field="closes_at")
    if data.delivery_date < data.closes_at.date():
        raise ValidationFailed(
            _("The delivery date cannot come before the closing."), field="delivery_date"
        )
    if not data.items:
        raise ValidationFailed(_("List at least one item."), field="items")
    if len(data.items) > ITEMS_MAX:
        raise ValidationFailed(
            _("A quick quote lists at most %(count)s items.") % {"count": ITEMS_MAX},
            field="items",
        )
    return [_check_item(number, item) for number, item in enumerate(data.items, start=1)]


def _values(data: QuickQuoteData, buyer: Organization) -> dict[str, Any]:
    """The columns the data sets, with the pack's rule in force today for the buyer (refused
    when the value is beyond its threshold)."""
    pack = packs.pack_in_force(buyer)
    rule = packs.rule_for(
        pack,
        category=data.category,
        value=Money(amount=data.estimated_value, currency=data.currency),
    )
    return {
        "title": data.title.strip(),
        "description": data.description.strip(),
        "language": data.language,
        "category": data.category,
        "currency": data.currency,
        "estimated_value": data.estimated_value,
        "delivery_place": data.delivery_place.strip(),
        "delivery_date": data.delivery_date,
        "closes_at": data.closes_at.replace(microsecond=0),
        "restriction": packs.restriction_for(rule, data.restricted),
        "rule_pack": pack.ref,
        "rule_key": rule.key,
        "min_quotes": packs.min_quotes(rule),
        "ocds_method": rule.ocds_method,
    }


def _items_replace(quick_quote: QuickQuote, items: list[dict[str, Any]]) -> None:
    QuickQuoteItem.objects.filter(quick_quote=quick_quote).delete()
    QuickQuoteItem.objects.bulk_create(
        QuickQuoteItem(quick_quote=quick_quote, **item) for item in items
    )


def quick_quote_create(
    *,
    actor: Actor,
    buyer: Organization,
    data: QuickQuoteData,
    plan_line: PlanLine | None = None,
) -> QuickQuote:
    """A buyer official drafts a quick quote, with its items. From a published plan line
    (`plan_line`, one of the buyer's) the quick quote follows it: it takes the line's ocid, and
    the line is marked followed in the same transaction, as a tender drafted from it."""
    if buyer.kind != OrganizationKind.BUYER:
        raise PermissionDenied(_("Only buyer organizations post quick quotes."))
    require_official(actor, buyer)
    items = validate(data)
    values = _values(data, buyer)
    if plan_line is not None:
        if plan_line.plan.buyer_id != buyer.pk:
            raise PermissionDenied(_("This plan line is another buyer's."))
        plan_line_check_followable(plan_line)
    with transaction.atomic():
        quick_quote = QuickQuote.objects.create(
            buyer=buyer, created_by=actor.user, created_at=clock.now(), **values
        )
        _items_replace(quick_quote, items)
        summary: dict[str, Any] = {
            "title": quick_quote.title,
            "value": quick_quote.estimated_value,
            "rule_pack": quick_quote.rule_pack,
        }
        if plan_line is not None:
            followed = plan_line_follow(actor=actor, line=plan_line, follower=quick_quote.reference)
            quick_quote.plan_line = followed
            quick_quote.ocid = followed.ocid
            quick_quote.save(update_fields=["plan_line", "ocid"])
            summary["plan_line"] = followed.reference
        audit_record(actor=actor, action="quick_quote.create", target=quick_quote, summary=summary)
    return quick_quote


def quick_quote_update(
    *, actor: Actor, quick_quote: QuickQuote, data: QuickQuoteData
) -> QuickQuote:
    """Change a draft quick quote and its items (the pack's rule is looked up again)."""
    require_official(actor, quick_quote.buyer)
    items = validate(data)
    values = _values(data, quick_quote.buyer)
    with transaction.atomic():
        locked = lock(quick_quote)
        transition(locked, "edit", TRANSITIONS)
        changes: dict[str, list[Any]] = {}
        for name, new in values.items():
            old = getattr(locked, name)
            if new != old:
                if name in FIELDS:
                    changes[name] = [old, new]
                setattr(locked, name, new)
        old_items = list(
            locked.items.values(
                "number",
                "description",
                "classification_scheme",
                "classification_code",
                "quantity",
                "unit",
            )
        )
        if old_items != items:
            changes["items"] = [len(old_items), len(items)]
            _items_replace(locked, items)
        locked.updated_at = clock.now()
        locked.save()
        if changes:
            audit_record(
                actor=actor,
                action="quick_quote.update",
                target=locked,
                summary={"changes": changes},
            )
    return locked


def _schedule_close(quick_quote: QuickQuote) -> None:
    """Enqueue the close for the closing time, once the transaction commits."""
    pk, closes_at = quick_quote.pk, quick_quote.closes_at
    transaction.on_commit(
        lambda: tasks.close_quick_quote_at_deadline.using(run_after=closes_at).enqueue(pk)
    )


def quick_quote_publish(*, actor: Actor, quick_quote: QuickQuote) -> QuickQuote:
    """Publish a draft: the pack in force today decides again (its threshold; its least and
    longest time open, counted from now) and is kept on the quick quote. Published as a
    `tender` release of its process, which reaches the matching alert subscriptions; its close
    is scheduled for the closing time."""
    require_official(actor, quick_quote.buyer)
    with transaction.atomic():
        locked = lock(quick_quote)
        transition(locked, "publish", TRANSITIONS)
        pack = packs.pack_in_force(locked.buyer)
        rule = packs.rule_for(pack, category=locked.category, value=packs.value_money(locked))
        now = clock.now().replace(microsecond=0)
        earliest, latest = packs.closing_bounds(rule, start=now, buyer=locked.buyer)
        if locked.closes_at < earliest:
            raise ValidationFailed(
                _(
                    "%(rule)s: a quick quote stays open until %(date)s at the earliest. Move "
                    "the closing later."
                )
                % {"rule": packs.text(rule.title), "date": _local(earliest, locked)},
                field="closes_at",
                code="closing_too_soon",
            )
        if locked.closes_at > latest:
            raise ValidationFailed(
                _("A quick quote closes by %(date)s at the latest. Move the closing earlier.")
                % {"date": _local(latest, locked)},
                field="closes_at",
                code="closing_too_late",
            )
        if not locked.items.exists():
            raise ValidationFailed(_("List at least one item."), field="items")
        restriction = packs.restriction_for(rule, None if locked.restriction != "none" else False)
        locked.rule_pack, locked.rule_key = pack.ref, rule.key
        locked.min_quotes = packs.min_quotes(rule)
        locked.ocds_method = rule.ocds_method
        locked.restriction = restriction
        locked.published_at = now
        locked.updated_at = now
        if not locked.ocid:
            locked.ocid = ocid_for(locked.pk, series=QUICK_QUOTE_SERIES)
        locked.save()
        audit_record(
            actor=actor,
            action="quick_quote.publish",
            target=locked,
            summary={
                "closes_at": locked.closes_at,
                "rule_pack": f"{pack.ref}:{rule.key}",
                "min_quotes": locked.min_quotes,
                "restriction": locked.restriction,
            },
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER)
        _schedule_close(locked)
    return locked


def _local(moment: dt.datetime, quick_quote: QuickQuote) -> str:
    zone = ZoneInfo(quick_quote.buyer.effective_time_zone)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def quick_quote_cancel(*, actor: Actor, quick_quote: QuickQuote, reason: str) -> QuickQuote:
    """Cancel a quick quote before its order is issued, saying why. A published one's
    cancellation is published (`tenderCancellation`); a draft that followed a plan line frees
    the line, as a cancelled draft tender does."""
    require_official(actor, quick_quote.buyer)
    text = reason.strip()
    if not text:
        raise ValidationFailed(
            _("Say why the quick quote is cancelled; suppliers and the public will read it."),
            field="reason",
        )
    check_text(text, "reason", limit=REASON_MAX_LENGTH)
    with transaction.atomic():
        locked = lock(quick_quote)
        was = transition(locked, "cancel", TRANSITIONS)
        now = clock.now()
        locked.cancelled_at = now
        locked.cancellation_reason = text
        locked.updated_at = now
        locked.save()
        audit_record(
            actor=actor, action="quick_quote.cancel", target=locked, summary={"reason": text}
        )
        if was == QuickQuoteStatus.DRAFT:
            if locked.plan_line is not None:
                line = locked.plan_line
                plan_line_unfollow(actor=actor, line=line, follower=locked.reference)
                # The line's ocid goes back to the line; the cancelled draft keeps none.
                locked.ocid = None
                locked.plan_line = None
                locked.save(update_fields=["ocid", "plan_line"])
        else:
            publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER_CANCELLATION)
    return locked
