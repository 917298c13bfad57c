"""Every change of subscriptions, webhooks and followed tenders: one function each.

An `Owner` is whoever a subscription or a webhook belongs to: a signed-in person (pages, the
API with a session) or an organization (the API with its key). An anonymous subscriber owns
nothing: their subscription is reached only through the signed links of its e-mails.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.models import User
from pregon.alerts import tasks
from pregon.alerts.choices import (
    BUYER_MAX_LENGTH,
    KEYWORD_MAX_LENGTH,
    MAX_BUYERS,
    MAX_CODES,
    MAX_KEYWORDS,
    MAX_REGIONS,
    REGION_MAX_LENGTH,
    TRANSITIONS,
    VALUE_LIMIT,
    Frequency,
    SubscriptionStatus,
)
from pregon.alerts.matching import (
    Criteria,
    is_code,
    keyword_stems,
    match_spec,
    subscription_keys,
)
from pregon.alerts.models import (
    Subscription,
    SubscriptionKey,
    TenderFollow,
    WebhookEndpoint,
)
from pregon.alerts.owners import Owner
from pregon.alerts.tokens import BadToken, confirm_token_read, tender_token_read
from pregon.alerts.webhooks import UnsafeAddress, resolve, url_check
from pregon.core import classifications
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import NotFound, ValidationFailed
from pregon.core.transitions import transition
from pregon.core.validation import check_text
from pregon.organizations.choices import Scale
from pregon.organizations.models import Organization
from pregon.tenders.choices import ClassificationScheme, TenderStatus
from pregon.tenders.models import Tender

URL_MAX_LENGTH = 500


@dataclass(frozen=True, kw_only=True)
class SubscriptionData:
    """A subscription as a form or the API gives it. Codes are (scheme, code) pairs."""

    name: str
    codes: tuple[tuple[str, str], ...] = ()
    keywords: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    buyers: tuple[str, ...] = ()
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    reserved_msme: bool = False
    frequency: str = Frequency.IMMEDIATE
    language: str = ""
    webhook_id: int | None = None
    # Anonymous subscribers and organizations give one; a person's e-mails go to their own.
    email: str = ""


# ---------------------------------------------------------------------------------------------
# validation


def _clean_list(
    values: tuple[str, ...], *, field: str, limit: int, length: int, many: str
) -> tuple[str, ...]:
    cleaned: list[str] = []
    for raw in values:
        value = " ".join(str(raw).split())
        if not value:
            continue
        check_text(value, field, limit=length)
        if value.casefold() not in {known.casefold() for known in cleaned}:
            cleaned.append(value)
    if len(cleaned) > limit:
        raise ValidationFailed(many % {"limit": limit}, field=field)
    return tuple(cleaned)


def _clean_codes(codes: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    cleaned: list[tuple[str, str]] = []
    for scheme, raw in codes:
        code = raw.strip()
        if scheme not in ClassificationScheme.values:
            raise ValidationFailed(
                _("Choose CPV or UNSPSC as the scheme of code %(code)s.") % {"code": code},
                field="codes",
            )
        digits = code.split("-", maxsplit=1)[0]
        if not is_code(code) or classifications.lookup(scheme, digits.ljust(8, "0")) is None:
            raise ValidationFailed(
                _(
                    "“%(code)s” is not a %(scheme)s code: give 2 to 8 digits of a known group "
                    "(for example 45000000, or 4521 for its descendants)."
                )
                % {"code": code, "scheme": scheme},
                field="codes",
            )
        if (scheme, code) not in cleaned:
            cleaned.append((scheme, code))
    if len(cleaned) > MAX_CODES:
        raise ValidationFailed(
            _("Follow at most %(limit)s classification codes.") % {"limit": MAX_CODES},
            field="codes",
        )
    return tuple(cleaned)


def _clean_value(value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value > VALUE_LIMIT:
        raise ValidationFailed(
            _("Give a value between 0 and %(limit)s.") % {"limit": f"{VALUE_LIMIT:,}"},
            field=field,
        )
    return value.quantize(Decimal("0.01"))


def _criteria(data: SubscriptionData) -> Criteria:
    keywords = _clean_list(
        data.keywords,
        field="keywords",
        limit=MAX_KEYWORDS,
        length=KEYWORD_MAX_LENGTH,
        many=_("Follow at most %(limit)s keywords."),
    )
    for keyword in keywords:
        if not any(keyword_stems(keyword).values()):
            raise ValidationFailed(
                _("The keyword “%(keyword)s” has no word to look for.") % {"keyword": keyword},
                field="keywords",
            )
    criteria = Criteria(
        codes=_clean_codes(data.codes),
        keywords=keywords,
        regions=_clean_list(
            data.regions,
            field="regions",
            limit=MAX_REGIONS,
            length=REGION_MAX_LENGTH,
            many=_("Follow at most %(limit)s regions."),
        ),
        buyers=_clean_list(
            data.buyers,
            field="buyers",
            limit=MAX_BUYERS,
            length=BUYER_MAX_LENGTH,
            many=_("Follow at most %(limit)s buyers."),
        ),
        value_min=_clean_value(data.value_min, "value_min"),
        value_max=_clean_value(data.value_max, "value_max"),
        reserved_msme=data.reserved_msme,
    )
    if (
        criteria.value_min is not None
        and criteria.value_max is not None
        and criteria.value_min > criteria.value_max
    ):
        raise ValidationFailed(
            _("The greatest value must not be less than the least value."), field="value_max"
        )
    if criteria.is_empty:
        raise ValidationFailed(
            _(
                "Say what to follow: at least one classification code, keyword, region or "
                "buyer, or only tenders reserved for your scale."
            ),
            code="no_criteria",
        )
    return criteria


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed(_("Give the subscription a name."), field="name")
    check_text(name, "name", limit=Subscription._meta.get_field("name").max_length)
    return name


def _clean_language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or settings.LANGUAGE_CODE).lower()
    if language == "pt":
        language = "pt-br"
    if language not in codes:
        raise ValidationFailed(_("Choose one of the platform's languages."), field="language")
    return language


def _clean_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed(_("Give a valid e-mail address."), field="email") from None
    check_text(email, "email", limit=Subscription._meta.get_field("email").max_length)
    return email


def _webhook(owner: Owner | None, webhook_id: int | None) -> WebhookEndpoint | None:
    if webhook_id is None:
        return None
    endpoint = (
        WebhookEndpoint.objects.filter(owner.condition, pk=webhook_id).first()
        if owner is not None
        else None
    )
    if endpoint is None:
        raise ValidationFailed(_("Choose one of your webhooks."), field="webhook")
    return endpoint


@dataclass(frozen=True)
class _Checked:
    name: str
    criteria: Criteria
    frequency: str
    language: str
    email: str
    webhook: WebhookEndpoint | None


def _check(owner: Owner | None, data: SubscriptionData) -> _Checked:
    """Validate everything; raises ValidationFailed with nothing changed."""
    name = _clean_name(data.name)
    if data.frequency not in Frequency.values:
        raise ValidationFailed(_("Choose how often to receive e-mails."), field="frequency")
    language = _clean_language(data.language)
    criteria = _criteria(data)
    webhook = _webhook(owner, data.webhook_id)
    if owner is not None and owner.user is not None:
        email = owner.user.email
    elif data.email.strip():
        email = _clean_email(data.email)
    elif owner is None:
        raise ValidationFailed(_("Give the e-mail address to send the alerts to."), field="email")
    else:
        email = ""
    if data.frequency == Frequency.NONE and webhook is None:
        raise ValidationFailed(
            _("With no e-mails, choose a webhook: the subscription would tell nobody."),
            field="frequency",
        )
    if data.frequency != Frequency.NONE and not email:
        raise ValidationFailed(
            _("Give the e-mail address to send the alerts to, or choose no e-mails."),
            field="email",
        )
    return _Checked(name, criteria, data.frequency, language, email, webhook)


# ---------------------------------------------------------------------------------------------
# the index


def subscriber_eligibility(subscription: Subscription) -> frozenset[str]:
    """Who the subscriber is for "reserved for my scale" (`MatchSpec.eligible`): the size of
    the supplier it belongs to (the self-employed count as micro) and "cooperative" when it is
    one; for a person, of the one supplier they act for. Empty when that is not one supplier:
    then every lot reserved for MSMEs fits."""
    organization = subscription.organization
    if organization is None and subscription.user_id is not None:
        suppliers = list(
            Organization.objects.filter(
                kind=OrganizationKind.SUPPLIER,
                memberships__user_id=subscription.user_id,
                memberships__role__in=SUPPLIER_ROLES,
            ).distinct()[:2]
        )
        organization = suppliers[0] if len(suppliers) == 1 else None
    if organization is None or organization.kind != OrganizationKind.SUPPLIER:
        return frozenset()
    tags = {"micro" if organization.scale == Scale.SELF_EMPLOYED else organization.scale}
    if organization.is_cooperative:
        tags.add("cooperative")
    return frozenset(tag for tag in tags if tag)


def subscription_index(subscription: Subscription) -> int:
    """Rewrite a subscription's match spec and index keys from its criteria (keys only while
    it is active). Returns the number of keys. "Reserved for my scale" reads the subscriber's
    size now (`subscriber_eligibility`); `pregon alerts reindex` brings it up to date after
    suppliers' sizes change."""
    criteria = Criteria(
        codes=tuple((entry["scheme"], entry["code"]) for entry in subscription.codes),
        keywords=tuple(subscription.keywords),
        regions=tuple(subscription.regions),
        buyers=tuple(subscription.buyers),
        value_min=subscription.value_min,
        value_max=subscription.value_max,
        reserved_msme=subscription.reserved_msme,
    )
    spec = match_spec(
        criteria,
        eligible=subscriber_eligibility(subscription) if criteria.reserved_msme else frozenset(),
    )
    subscription.spec = spec.as_json()
    Subscription.objects.filter(pk=subscription.pk).update(spec=subscription.spec)
    SubscriptionKey.objects.filter(subscription=subscription).delete()
    if subscription.status != SubscriptionStatus.ACTIVE:
        return 0
    keys = subscription_keys(spec)
    SubscriptionKey.objects.bulk_create(
        SubscriptionKey(
            subscription=subscription,
            key=key,
            exact=exact,
            value_min=subscription.value_min,
            value_max=subscription.value_max,
            frequency=subscription.frequency,
            webhook_id=subscription.webhook_id,
        )
        for key, exact in sorted(keys.items())
    )
    return len(keys)


def subscriptions_reindex() -> int:
    """Rebuild every subscription's spec and keys (after a change of how text is stemmed).
    Returns how many subscriptions were indexed."""
    count = 0
    with transaction.atomic():
        for subscription in Subscription.objects.order_by("pk").iterator(chunk_size=500):
            subscription_index(subscription)
            count += 1
    return count


def _summary(checked: _Checked) -> dict[str, Any]:
    return {
        "name": checked.name,
        "frequency": checked.frequency,
        "codes": [f"{scheme} {code}" for scheme, code in checked.criteria.codes],
        "keywords": list(checked.criteria.keywords),
        "regions": list(checked.criteria.regions),
        "buyers": list(checked.criteria.buyers),
        "value_min": checked.criteria.value_min,
        "value_max": checked.criteria.value_max,
        "reserved_msme": checked.criteria.reserved_msme,
        "webhook": checked.webhook.pk if checked.webhook else None,
    }


def _apply(subscription: Subscription, checked: _Checked) -> None:
    subscription.name = checked.name
    subscription.frequency = checked.frequency
    subscription.language = checked.language
    subscription.webhook = checked.webhook
    subscription.codes = [
        {"scheme": scheme, "code": code} for scheme, code in checked.criteria.codes
    ]
    subscription.keywords = list(checked.criteria.keywords)
    subscription.regions = list(checked.criteria.regions)
    subscription.buyers = list(checked.criteria.buyers)
    subscription.value_min = checked.criteria.value_min
    subscription.value_max = checked.criteria.value_max
    subscription.reserved_msme = checked.criteria.reserved_msme


# ---------------------------------------------------------------------------------------------
# subscriptions


def subscription_create(
    *, actor: Actor, owner: Owner | None, data: SubscriptionData
) -> Subscription:
    """Subscribe `owner` (None: an anonymous subscriber, by e-mail) to what `data` follows.

    Active at once when the e-mails go to the signed-in owner's own address, or when there are
    none (webhook only); otherwise pending, and a confirmation message (the only e-mail an
    unconfirmed address ever gets) is sent after commit.
    """
    checked = _check(owner, data)
    confirmed = not checked.email or (owner is not None and owner.user is not None)
    now = timezone.now()
    with transaction.atomic():
        subscription = Subscription(
            **(owner.fields if owner is not None else {}),
            email=checked.email,
            status=SubscriptionStatus.ACTIVE if confirmed else SubscriptionStatus.PENDING,
            confirmed_at=now if confirmed else None,
            created_at=now,
            updated_at=now,
        )
        _apply(subscription, checked)
        subscription.save()
        subscription_index(subscription)
        audit_record(
            actor=actor,
            action="subscription.create",
            target=subscription,
            summary=_summary(checked) | ({"email": checked.email} if owner is None else {}),
        )
        if not confirmed:
            _send_confirmation_on_commit(subscription.pk)
    return subscription


def _send_confirmation_on_commit(subscription_id: int) -> None:
    transaction.on_commit(lambda: tasks.send_confirmation.enqueue(subscription_id))


def _locked(subscription: Subscription) -> Subscription:
    return Subscription.objects.select_for_update().get(pk=subscription.pk)


def subscription_update(
    *, actor: Actor, owner: Owner, subscription: Subscription, data: SubscriptionData
) -> Subscription:
    """Change one of `owner`'s subscriptions (found with `selectors.subscription_of`).

    An organization that gives another address must confirm it again (the subscription is
    pending until then).
    """
    checked = _check(owner, data)
    with transaction.atomic():
        locked = _locked(subscription)
        transition(locked, "edit", TRANSITIONS)
        readdress = bool(checked.email) and checked.email != locked.email
        _apply(locked, checked)
        locked.updated_at = timezone.now()
        if readdress and owner.user is None:
            locked.email = checked.email
            locked.status = SubscriptionStatus.PENDING
            locked.confirmed_at = None
            _send_confirmation_on_commit(locked.pk)
        elif readdress:
            locked.email = checked.email
        locked.save()
        subscription_index(locked)
        audit_record(
            actor=actor, action="subscription.update", target=locked, summary=_summary(checked)
        )
    return locked


def subscription_delete(*, actor: Actor, subscription: Subscription) -> None:
    """Delete a subscription with its deliveries (found with `selectors.subscription_of`)."""
    with transaction.atomic():
        locked = _locked(subscription)
        audit_record(
            actor=actor, action="subscription.delete", target=locked, summary={"name": locked.name}
        )
        locked.delete()


def subscription_confirm(*, actor: Actor, token: str) -> Subscription:
    """Confirm the e-mail address of a pending subscription through its signed link.

    An already active one answers as confirmed (a second click). Raises NotFound for an
    altered or expired link, or one for an address the subscription no longer has.
    """
    try:
        confirmation = confirm_token_read(token)
    except BadToken:
        raise NotFound(
            _("This confirmation link is not valid or has expired. Subscribe again."),
            code="bad_link",
        ) from None
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(pk=confirmation.subscription_id, email=confirmation.email)
            .first()
        )
        if subscription is None:
            raise NotFound(
                _("This confirmation link is not valid or has expired. Subscribe again."),
                code="bad_link",
            )
        if subscription.status == SubscriptionStatus.ACTIVE:
            return subscription
        transition(subscription, "confirm", TRANSITIONS)
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["status", "confirmed_at"])
        subscription_index(subscription)
        audit_record(
            actor=actor,
            action="subscription.confirm",
            target=subscription,
            summary={"email": subscription.email},
        )
    return subscription


def subscription_unsubscribe(*, actor: Actor, subscription_id: int) -> Subscription:
    """End a subscription through its one-click link (the id comes from the signed token).

    A second click answers as done. Its pending notices are not sent (the senders skip a
    subscription that is not active).
    """
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None:
            raise NotFound(_("This subscription does not exist any more."), code="bad_link")
        if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
            return subscription
        transition(subscription, "unsubscribe", TRANSITIONS)
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["status", "unsubscribed_at"])
        subscription_index(subscription)
        audit_record(
            actor=actor,
            action="subscription.unsubscribe",
            target=subscription,
            summary={"email": subscription.email},
        )
    return subscription


# ---------------------------------------------------------------------------------------------
# webhooks


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _clean_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise ValidationFailed(_("Give the address that receives the notices."), field="url")
    check_text(url, "url", limit=URL_MAX_LENGTH)
    try:
        _scheme, host, port = url_check(url)
        resolve(host, port, allow_private=settings.PREGON_ALERTS_WEBHOOK_ALLOW_PRIVATE)
    except UnsafeAddress as error:
        raise ValidationFailed(str(error), field="url", code="unsafe_url") from None
    return url


def webhook_create(
    *, actor: Actor, owner: Owner, url: str, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an address for signed notices. Returns the endpoint and its secret (shown to
    the owner now; they can replace it later, never read it again)."""
    url = _clean_url(url)
    description = " ".join(description.split())
    check_text(description, "description", limit=200)
    secret = _new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            **owner.fields, url=url, description=description, secret=secret
        )
        audit_record(
            actor=actor, action="webhook.create", target=endpoint, summary={"webhook_url": url}
        )
    return endpoint, secret


def webhook_rotate(*, actor: Actor, endpoint: WebhookEndpoint) -> str:
    """Replace a webhook's secret; returns the new one. Notices not yet sent are signed with it."""
    secret = _new_secret()
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.secret = secret
        locked.secret_rotated_at = timezone.now()
        locked.save(update_fields=["secret", "secret_rotated_at"])
        audit_record(
            actor=actor, action="webhook.rotate", target=locked, summary={"webhook_url": locked.url}
        )
    return secret


def webhook_delete(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    """Delete a webhook and its delivery log; refused while a subscription uses it."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        users = list(locked.subscriptions.order_by("name").values_list("name", flat=True)[:5])
        if users:
            raise ValidationFailed(
                _("Subscriptions use this webhook (%(names)s): change them first.")
                % {"names": ", ".join(users)},
                code="webhook_in_use",
            )
        audit_record(
            actor=actor, action="webhook.delete", target=locked, summary={"webhook_url": locked.url}
        )
        locked.delete()


# ---------------------------------------------------------------------------------------------
# followed tenders


def tender_follow(*, actor: Actor, user: User, tender: Tender) -> TenderFollow:
    """`user` follows a published tender: reminders before its deadline, notices of its
    amendments. Following again is a no-op."""
    if tender.status == TenderStatus.DRAFT or tender.published_at is None:
        raise NotFound(_("This tender does not exist."))
    with transaction.atomic():
        follow, created = TenderFollow.objects.select_for_update().get_or_create(
            user=user, tender=tender
        )
        if created or not follow.active:
            follow.active = True
            follow.save(update_fields=["active"])
            audit_record(
                actor=actor, action="tender.follow", target=follow, summary={"tender": tender.pk}
            )
    return follow


def tender_unfollow(*, actor: Actor, user: User, tender: Tender) -> TenderFollow:
    """`user` asks for no more reminders or notices about `tender` (also those they would get
    for having asked a question on it)."""
    with transaction.atomic():
        follow, created = TenderFollow.objects.select_for_update().get_or_create(
            user=user, tender=tender, defaults={"active": False}
        )
        if created or follow.active:
            follow.active = False
            follow.save(update_fields=["active"])
            audit_record(
                actor=actor, action="tender.unfollow", target=follow, summary={"tender": tender.pk}
            )
    return follow


def tender_unfollow_by_link(*, actor: Actor, token: str) -> TenderFollow:
    """`tender_unfollow` through the signed link of a reminder e-mail (no sign-in needed)."""
    try:
        user_id, tender_id = tender_token_read(token)
    except BadToken:
        raise NotFound(_("This link is not valid."), code="bad_link") from None
    user = User.objects.filter(pk=user_id).first()
    tender = Tender.objects.filter(pk=tender_id).first()
    if user is None or tender is None:
        raise NotFound(_("This link is not valid."), code="bad_link")
    return tender_unfollow(actor=actor, user=user, tender=tender)
