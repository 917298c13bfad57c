"""The form of the committee's opening page: a member's shares, as the page's script fills them
in after decrypting them in the browser, or as a file (the same JSON as the API's body)."""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pregon.bids.choices import SHARE_BYTES
from pregon.bids.choices_opening import HAND_IN_MAX_SHARES

#: The largest shares file read: a share is about a hundred bytes of JSON.
SHARES_FILE_MAX_BYTES = 1_048_576
_B64URL = re.compile(r"[A-Za-z0-9_-]+")


def parse_shares(text: str) -> list[tuple[uuid.UUID, bytes]]:
    """The (bid id, share) pairs of a hand-in written as the API's body:
    `{"shares": [{"bid": uuid, "share": base64url}]}`; `ValidationError` otherwise."""
    invalid = forms.ValidationError(
        _(
            'This is not a list of shares: it must be {"shares": [{"bid": …, "share": …}]}, '
            "as the opening page and the pregon command write it."
        ),
        code="invalid_shares",
    )
    try:
        value: Any = json.loads(text)
    except ValueError:
        raise invalid from None
    if not isinstance(value, dict) or not isinstance(value.get("shares"), list):
        raise invalid
    if len(value["shares"]) > HAND_IN_MAX_SHARES:
        raise forms.ValidationError(
            _("Hand in at most %(limit)s shares at a time.") % {"limit": HAND_IN_MAX_SHARES}
        )
    pairs = []
    for item in value["shares"]:
        if not isinstance(item, dict) or set(item) != {"bid", "share"}:
            raise invalid
        try:
            bid = uuid.UUID(str(item["bid"]))
        except ValueError:
            raise invalid from None
        share = item["share"]
        if not isinstance(share, str) or not _B64URL.fullmatch(share) or len(share) % 4 == 1:
            raise invalid
        try:
            data = base64.urlsafe_b64decode(share + "=" * (-len(share) % 4))
        except (binascii.Error, ValueError):  # pragma: no cover - the pattern rules it out
            raise invalid from None
        if len(data) != SHARE_BYTES:
            raise forms.ValidationError(
                _("The share for bid %(bid)s is not a share: a share is %(size)s bytes.")
                % {"bid": bid, "size": SHARE_BYTES}
            )
        pairs.append((bid, data))
    return pairs


class HandInForm(forms.Form):
    """Either the shares the page's script decrypted, or a shares file."""

    shares = forms.CharField(required=False, widget=forms.Textarea)
    shares_file = forms.FileField(
        label=gettext_lazy("Shares file"),
        required=False,
        help_text=gettext_lazy(
            'A JSON file {"shares": [{"bid": …, "share": …}]} with your decrypted shares.'
        ),
    )

    def clean(self) -> dict[str, Any]:
        """The pairs to hand in, from the script's field or else from the file."""
        cleaned = super().clean() or {}
        text = cleaned.get("shares") or ""
        upload = cleaned.get("shares_file")
        if not text.strip() and upload is not None:
            if upload.size > SHARES_FILE_MAX_BYTES:
                raise forms.ValidationError(_("This file is too large to be a shares file."))
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("This file is not a shares file.")) from None
        if not text.strip():
            raise forms.ValidationError(
                _(
                    "Nothing to hand in: decrypt your shares with your key file first, or choose "
                    "a shares file."
                ),
                code="empty",
            )
        cleaned["pairs"] = parse_shares(text)
        return cleaned
