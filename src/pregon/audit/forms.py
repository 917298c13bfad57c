"""The audit page's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pregon.accounts.http import user_of
from pregon.audit.labels import action_label, object_type_label
from pregon.audit.selectors import AuditFilters, audit_filter_options
from pregon.core.pages import time_zone_note


class AuditFilterForm(forms.Form):
    """The filters above the audit table (a GET form)."""

    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    object_type = forms.ChoiceField(label=gettext_lazy("Type of object"), required=False)
    actor = forms.CharField(
        label=gettext_lazy("Who (e-mail address)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("Part of the address is enough."),
    )
    organization = forms.TypedChoiceField(
        label=gettext_lazy("Organization"), required=False, coerce=int, empty_value=None
    )
    date_from = forms.DateField(
        label=gettext_lazy("From (day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Until (day, included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    object_id = forms.CharField(label=gettext_lazy("Object number"), required=False, max_length=64)

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = audit_filter_options(user=user_of(request))
        any_choice = ("", _("Any"))
        self.fields["action"].choices = [any_choice] + [  # type: ignore[attr-defined]
            (action, f"{action_label(action)} ({action})") for action in options.actions
        ]
        self.fields["object_type"].choices = [any_choice] + [  # type: ignore[attr-defined]
            (kind, f"{object_type_label(kind)} ({kind})") for kind in options.object_types
        ]
        self.fields["organization"].choices = [any_choice] + [  # type: ignore[attr-defined]
            (str(organization.pk), str(organization)) for organization in options.organizations
        ]
        zone = _("Days in %(zone)s.") % {"zone": time_zone_note()}
        self.fields["date_from"].help_text = zone
        self.fields["date_to"].help_text = zone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The last day comes before the first."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters typed (an invalid one is left out and shown as an error)."""
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            actor=data.get("actor") or "",
            organization=data.get("organization"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            object_id=data.get("object_id") or "",
        )
