"""The signed links of the alerts' e-mails: confirm an address, unsubscribe in one click, stop a
tender's reminders. Signed with the instance's SECRET_KEY (`django.core.signing`), so they need
no table and nobody can make one for another's subscription.

A confirmation link holds the address it confirms and lasts `PREGON_ALERTS_CONFIRM_DAYS`; an
unsubscribe link lasts as long as the subscription (it must work from any old e-mail).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_CONFIRM = "pregon.alerts.confirm"
_UNSUBSCRIBE = "pregon.alerts.unsubscribe"
_TENDER = "pregon.alerts.tender"
_DAY = 24 * 3600


class BadToken(ValueError):
    """A link that was altered, cut, or has expired."""


def confirm_token(*, subscription_id: int, email: str) -> str:
    """The token of the link that confirms `email` for a subscription."""
    return signing.dumps({"s": subscription_id, "e": email.lower()}, salt=_CONFIRM)


@dataclass(frozen=True)
class Confirmation:
    subscription_id: int
    email: str


def confirm_token_read(token: str) -> Confirmation:
    """What a confirmation link says; BadToken when it was altered or has expired."""
    try:
        data = signing.loads(
            token, salt=_CONFIRM, max_age=settings.PREGON_ALERTS_CONFIRM_DAYS * _DAY
        )
        return Confirmation(subscription_id=int(data["s"]), email=str(data["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadToken(token) from None


def unsubscribe_token(*, subscription_id: int) -> str:
    """The token of a subscription's one-click unsubscribe link."""
    return signing.Signer(salt=_UNSUBSCRIBE).sign(str(subscription_id))


def unsubscribe_token_read(token: str) -> int:
    """The subscription an unsubscribe link names; BadToken when it was altered."""
    try:
        return int(signing.Signer(salt=_UNSUBSCRIBE).unsign(token))
    except (signing.BadSignature, ValueError):
        raise BadToken(token) from None


def tender_token(*, user_id: int, tender_id: int) -> str:
    """The token of the link that stops a person's reminders about one tender."""
    return signing.Signer(salt=_TENDER).sign(f"{user_id}.{tender_id}")


def tender_token_read(token: str) -> tuple[int, int]:
    """The (person, tender) a reminders link names; BadToken when it was altered."""
    try:
        user, tender = signing.Signer(salt=_TENDER).unsign(token).split(".")
        return int(user), int(tender)
    except (signing.BadSignature, ValueError):
        raise BadToken(token) from None
