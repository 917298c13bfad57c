"""E-mailing the supplier that a contract awaits its confirmation, each person in their own
language.

This module imports nothing that schedules tasks, so the task module can import it alone.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pregon.accounts.choices import SUPPLIER_ROLES
from pregon.accounts.languages import user_language
from pregon.accounts.models import User
from pregon.contracts.choices import ContractStatus
from pregon.contracts.models import Contract
from pregon.contracts.processes import contract_process
from pregon.core import clock
from pregon.tenders.choices import ContentLanguage


def confirmation_recipients(contract: Contract) -> list[User]:
    """The active people of the contract's supplier, once each."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization_id=contract.supplier_id,
            memberships__role__in=SUPPLIER_ROLES,
        )
        .distinct()
        .order_by("email")
    )


def confirmation_message(contract: Contract, user: User) -> EmailMessage:
    """The request to confirm `contract` as an e-mail to `user`, in their language (templates
    `contracts/email/awaiting_confirmation_*.txt`)."""
    # The tender, or the procedure a purchase order was issued from: the same names.
    tender = contract_process(contract)
    fallback = "pt-br" if tender.language == ContentLanguage.PT else tender.language
    language = user_language(user, fallback)
    with translation.override(language):
        context = {
            "contract": contract,
            "tender": tender,
            "instance": settings.PREGON_INSTANCE_NAME,
            "contract_url": settings.SITE_URL
            + reverse("contracts:mine", kwargs={"pk": contract.pk}),
        }
        subject = render_to_string("contracts/email/awaiting_confirmation_subject.txt", context)
        body = render_to_string("contracts/email/awaiting_confirmation_body.txt", context)
    return EmailMessage(
        # One line; the no-break spaces French puts before a colon stay.
        subject=re.sub(r"[ \t\r\n]+", " ", subject).strip(),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )


def confirmation_request_email(*, contract_id: int) -> int:
    """E-mail the supplier's people that the buyer signed the contract and it awaits their
    confirmation, once: a contract already told, or no longer awaiting, is not sent again.
    Returns how many messages were sent."""
    with transaction.atomic():
        contract = (
            Contract.objects.select_for_update(of=("self",))
            .select_related("tender", "buyer", "supplier")
            .filter(pk=contract_id)
            .first()
        )
        if (
            contract is None
            or contract.confirmation_requested_at is not None
            or contract.status != ContractStatus.SIGNED
        ):
            return 0
        messages = [
            confirmation_message(contract, user) for user in confirmation_recipients(contract)
        ]
        for message in messages:
            message.send()
        contract.confirmation_requested_at = clock.now()
        contract.save(update_fields=["confirmation_requested_at"])
    return len(messages)
