"""Forms of a committee member's pages. The key itself is checked by the service
(`tenders.services.committee_key_register`); its refusals come back onto the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OpeningKeyForm(forms.Form):
    """The public key of a key pair the member made on their own device.

    Only the public key is posted. The page's script fills it in after making the key pair in
    the browser (or reading a key file chosen on the device, which is never uploaded); without
    the script, the member pastes the public key `pregon keys generate` printed.
    """

    public_key = forms.CharField(
        label=_("Public key"),
        max_length=100,
        strip=True,
        help_text=_(
            "43 characters of base64url, as the key generator shows them. Never paste your "
            "key file or your passphrase here."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
        error_messages={"required": _("Paste the public key of your key pair.")},
    )
