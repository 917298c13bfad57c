"""The form of the committee's opening page: a member's shares, and their declarations on the bids
whose share they cannot decrypt, as the page's script fills them in after decrypting in the
browser, or as a file (the same JSON as the API's body)."""

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
from pregon.bids.choices_opening import HAND_IN_MAX_SHARES, ShareDeclaration

#: The largest shares file read: a share is about a hundred bytes of JSON.
SHARES_FILE_MAX_BYTES = 1_048_576
_B64URL = re.compile(r"[A-Za-z0-9_-]+")


def _invalid() -> forms.ValidationError:
    return forms.ValidationError(
        _(
            'This is not a list of shares: it must be {"shares": [{"bid": …, "share": …}]}, '
            "as the opening page and the pregon command write it."
        ),
        code="invalid_shares",
    )


def parse_hand_in(
    text: str,
) -> tuple[list[tuple[uuid.UUID, bytes]], list[tuple[uuid.UUID, str]]]:
    """The (bid id, share) pairs and the (bid id, reason) declarations of a hand-in written as
    the API's body: `{"shares": [{"bid": uuid, "share": base64url}], "declarations": [{"bid":
    uuid, "reason": "share_undecryptable" | "share_mismatch"}]}` (either list may be left out,
    not both); `ValidationError` otherwise."""
    invalid = _invalid()
    try:
        value: Any = json.loads(text)
    except ValueError:
        raise invalid from None
    if not isinstance(value, dict) or not ("shares" in value or "declarations" in value):
        raise invalid
    shares, declarations = value.get("shares", []), value.get("declarations", [])
    if not isinstance(shares, list) or not isinstance(declarations, list):
        raise invalid
    if len(shares) + len(declarations) > HAND_IN_MAX_SHARES:
        raise forms.ValidationError(
            _("Hand in at most %(limit)s shares at a time.") % {"limit": HAND_IN_MAX_SHARES}
        )
    return _pairs(shares, invalid), _declarations(declarations, invalid)


def _declarations(items: list[Any], invalid: forms.ValidationError) -> list[tuple[uuid.UUID, str]]:
    declared = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"bid", "reason"}:
            raise invalid
        try:
            bid = uuid.UUID(str(item["bid"]))
        except ValueError:
            raise invalid from None
        if item["reason"] not in ShareDeclaration.values:
            raise forms.ValidationError(
                _("The declaration on bid %(bid)s gives no known reason: it is one of %(reasons)s.")
                % {"bid": bid, "reasons": ", ".join(ShareDeclaration.values)}
            )
        declared.append((bid, str(item["reason"])))
    return declared


def _pairs(items: list[Any], invalid: forms.ValidationError) -> list[tuple[uuid.UUID, bytes]]:
    pairs = []
    for item in items:
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
    """Either the shares (and declarations) the page's script made, or a shares file."""

    shares = forms.CharField(required=False, widget=forms.Textarea)
    shares_file = forms.FileField(
        label=gettext_lazy("Shares file"),
        required=False,
        help_text=gettext_lazy(
            'A JSON file {"shares": [{"bid": …, "share": …}]} with your decrypted shares (and '
            '{"declarations": [{"bid": …, "reason": …}]} for those you cannot decrypt).'
        ),
    )

    def clean(self) -> dict[str, Any]:
        """The pairs and declarations to hand in, from the script's field or else from the
        file."""
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
        cleaned["pairs"], cleaned["declarations"] = parse_hand_in(text)
        return cleaned
