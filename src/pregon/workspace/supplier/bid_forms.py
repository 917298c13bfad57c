"""The one form of the sealed-bid pages that posts to the server: withdrawing a bid.

The bid itself is never posted through a form: it is sealed in the browser and sent to the
API as ciphertext (`static/workspace/bid.js`), so no plaintext price reaches the server.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from pregon.bids.choices import IDEMPOTENCY_KEY_PATTERN


def new_idempotency_key() -> str:
    """A fresh key for one withdrawal (the form carries it, so a repeated post repeats it)."""
    return uuid.uuid4().hex


class WithdrawForm(forms.Form):
    """Confirm the withdrawal of a sealed bid.

    The idempotency key is made when the form is shown: posting the same form twice (a double
    click, a reload after a dropped answer) asks for the same withdrawal, and gets its receipt.
    """

    confirm = forms.BooleanField(
        label=_("I withdraw this bid: it will not be opened, and this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        validators=[RegexValidator(IDEMPOTENCY_KEY_PATTERN)],
    )
